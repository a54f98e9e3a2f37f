// A policy used inside a sub-router: its route keys are relative to the mount point. With
// `basePath` the routes apply; without it every request falls to defaultAction, which the guard
// says once in the log.

import type { RoutePolicy } from '@cognito-guard/core';
import { createTestIssuer, type TestIssuer } from '@cognito-guard/testing';
import express5 from 'express';
import express4 from 'express4';
import request from 'supertest';
import { cognitoGuard } from '../src';

type ExpressFactory = typeof express5;
const frameworks: [string, ExpressFactory][] = [
  ['Express 5', express5],
  ['Express 4', express4 as unknown as ExpressFactory],
];

const relative: RoutePolicy = {
  defaultAction: 'allow',
  routes: { 'ANY /admin/{proxy+}': { groups: ['admins'] }, 'GET /movies': { groups: ['movies'] } },
};

describe.each(frameworks)('%s sub-router', (_name, factory) => {
  let issuer: TestIssuer;
  let alice: string;
  let admin: string;
  beforeAll(async () => {
    issuer = await createTestIssuer().start();
    alice = issuer.accessToken({ groups: ['movies'] });
    admin = issuer.accessToken({ groups: ['admins'] });
  });
  afterAll(() => issuer.stop());

  function appWith(policy: RoutePolicy, warnings: string[]) {
    const guard = cognitoGuard({ ...issuer.config, logger: { warn: (m) => warnings.push(m) } });
    const api = factory.Router();
    api.use(guard.guardRoutes(policy));
    api.use((req, res) => void res.json({ reached: req.originalUrl }));
    const app = factory();
    app.use('/api', api);
    return app;
  }

  it('applies route keys relative to basePath', async () => {
    const warnings: string[] = [];
    const app = appWith({ ...relative, basePath: '/api' }, warnings);
    const as = (token: string) => ({ Authorization: `Bearer ${token}` });
    await request(app).get('/api/admin/users').set(as(alice)).expect(403);
    await request(app).get('/API/Admin/users').set(as(alice)).expect(403);
    await request(app).delete('/api/admin/users/1').set(as(admin)).expect(200);
    await request(app).get('/api/movies').set(as(admin)).expect(403);
    await request(app).get('/api/movies').set(as(alice)).expect(200);
    // Outside the policy's routes, defaultAction: allow.
    await request(app).get('/api/elsewhere').expect(200);
    expect(warnings).toEqual([]);
  });

  it('without basePath, falls to defaultAction and warns once', async () => {
    const warnings: string[] = [];
    const app = appWith(relative, warnings);
    const as = { Authorization: `Bearer ${alice}` };
    // The finding: alice reached /api/admin/users. Still true without basePath; the log says why.
    await request(app).get('/api/admin/users').set(as).expect(200);
    await request(app).get('/api/admin/other').set(as).expect(200);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toContain('mounted under "/api"');
    expect(warnings[0]).toContain('basePath: "/api"');
  });

  it('with full route keys at the app root, needs no basePath and warns nothing', async () => {
    const warnings: string[] = [];
    const guard = cognitoGuard({ ...issuer.config, logger: { warn: (m) => warnings.push(m) } });
    const app = factory();
    app.use(guard.guardRoutes({ routes: { 'ANY /api/admin/{proxy+}': { groups: ['admins'] } } }));
    app.use((_req, res) => void res.json({ ok: true }));
    await request(app).get('/api/admin/users').set('Authorization', `Bearer ${alice}`).expect(403);
    await request(app).get('/nowhere').set('Authorization', `Bearer ${alice}`).expect(403);
    expect(warnings).toEqual([]);
  });
});
