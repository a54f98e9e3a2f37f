// A policy used under koa-mount or a @koa/router prefix: route keys relative to the mount point
// apply with `basePath`; without it a koa-mount'ed guard says once that requests fall to
// defaultAction.

import type { RoutePolicy } from '@cognito-guard/core';
import { createTestIssuer, type TestIssuer } from '@cognito-guard/testing';
import KoaRouter from '@koa/router';
import Koa3 from 'koa';
import mount from 'koa-mount';
import Koa2 from 'koa2';
import request from 'supertest';
import { cognitoGuard } from '../src';

const frameworks: [string, typeof Koa3][] = [
  ['Koa 3', Koa3],
  ['Koa 2', Koa2 as unknown as typeof Koa3],
];

const relative: RoutePolicy = {
  defaultAction: 'allow',
  routes: { 'ANY /admin/{proxy+}': { groups: ['admins'] }, 'GET /movies': { groups: ['movies'] } },
};

describe.each(frameworks)('%s', (_name, KoaClass) => {
  let issuer: TestIssuer;
  let alice: string;
  let admin: string;
  beforeAll(async () => {
    issuer = await createTestIssuer().start();
    alice = issuer.accessToken({ groups: ['movies'] });
    admin = issuer.accessToken({ groups: ['admins'] });
  });
  afterAll(() => issuer.stop());
  const as = (token: string) => ({ Authorization: `Bearer ${token}` });

  function mounted(policy: RoutePolicy, warnings: string[]) {
    const guard = cognitoGuard({ ...issuer.config, logger: { warn: (m) => warnings.push(m) } });
    const api = new KoaClass();
    api.use(guard.guardRoutes(policy));
    api.use((ctx) => {
      ctx.body = { reached: ctx.originalUrl };
    });
    const app = new KoaClass();
    app.use(mount('/api', api as never));
    return app.callback();
  }

  it('koa-mount: applies route keys relative to basePath', async () => {
    const warnings: string[] = [];
    const server = mounted({ ...relative, basePath: '/api' }, warnings);
    await request(server).get('/api/admin/users').set(as(alice)).expect(403);
    await request(server).post('/api/admin/users').set(as(admin)).expect(200);
    await request(server).get('/api/movies').set(as(alice)).expect(200);
    await request(server).get('/api/movies').set(as(admin)).expect(403);
    expect(warnings).toEqual([]);
  });

  it('koa-mount: without basePath, falls to defaultAction and warns once', async () => {
    const warnings: string[] = [];
    const server = mounted(relative, warnings);
    await request(server).get('/api/admin/users').set(as(alice)).expect(200);
    await request(server).get('/api/admin/x').set(as(alice)).expect(200);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toContain('basePath: "/api"');
  });

  it('@koa/router prefix: applies route keys relative to basePath', async () => {
    const guard = cognitoGuard(issuer.config);
    // sensitive, as the README says for a guard in router.use(): otherwise @koa/router skips
    // the router's own middleware for another casing of the prefix while its routes still match
    // (tests/conformance/test/koa-router-topologies.test.ts).
    const router = new KoaRouter({ prefix: '/api', sensitive: true });
    router.use(guard.guardRoutes({ ...relative, basePath: '/api' }));
    router.all('/{*rest}', (ctx) => {
      ctx.body = { ok: true };
    });
    const app = new KoaClass();
    app.use(router.routes());
    const server = app.callback();
    await request(server).get('/api/admin/users').set(as(alice)).expect(403);
    await request(server).get('/api/admin/users').set(as(admin)).expect(200);
    await request(server).get('/api/movies').set(as(alice)).expect(200);
    await request(server).get('/API/admin/users').set(as(alice)).expect(404);
  });

  // A rewrite of ctx.url (koa-rewrite, a version prefix taken off) is served by its new path.
  const unversioned = async (ctx: Koa3.Context, next: Koa3.Next) => {
    ctx.url = ctx.url.replace(/^\/v2(?=\/)/, '');
    await next();
  };

  it('reads a URL rewritten before the guard by the route that serves it, mounted or not', async () => {
    const guard = cognitoGuard(issuer.config);
    const absolute: RoutePolicy = { defaultAction: 'allow', routes: relative.routes };
    const app = new KoaClass();
    app.use(unversioned);
    app.use(guard.guardRoutes(absolute));
    app.use((ctx) => {
      ctx.body = { reached: ctx.path };
    });
    await request(app.callback()).get('/v2/movies').expect(401);
    await request(app.callback())
      .get('/v2/movies')
      .set(as(alice))
      .expect(200, { reached: '/movies' });
    // Below koa-mount, the rewrite inside the mounted app and before the mount alike.
    const api = new KoaClass();
    api.use(unversioned);
    api.use(guard.guardRoutes({ ...relative, basePath: '/api' }));
    api.use((ctx) => {
      ctx.body = { reached: ctx.path };
    });
    const outer = new KoaClass();
    outer.use(unversioned);
    outer.use(mount('/api', api as never));
    for (const path of ['/api/v2/movies', '/v2/api/movies']) {
      await request(outer.callback()).get(path).set(as(admin)).expect(403);
      await request(outer.callback()).get(path).set(as(alice)).expect(200, { reached: '/movies' });
    }
  });

  it('nested koa-mounts name only the innermost mount: the guard then also reads the path as if mounted there alone, and fails closed', async () => {
    const guard = cognitoGuard(issuer.config);
    const inner = new KoaClass();
    inner.use(guard.guardRoutes({ ...relative, defaultAction: 'deny', basePath: '/v1/api' }));
    inner.use((ctx) => {
      ctx.body = { reached: ctx.path };
    });
    const middle = new KoaClass();
    middle.use(mount('/api', inner as never));
    const app = new KoaClass();
    app.use(mount('/v1', middle as never));
    // `/api/movies` (the innermost mount's reading) is outside basePath: the default denies.
    await request(app.callback()).get('/v1/api/movies').set(as(alice)).expect(403);
  });
});
