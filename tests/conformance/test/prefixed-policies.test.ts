// A policy written relative to a prefix the guard cannot see (a Fastify plugin's `prefix`, a Hono
// sub-app under `app.route`, a proxy's path prefix in front of an Express app) matches none of
// the requests it was written for, so defaultAction decides them all. Real servers: the guard
// says so once, naming the prefix, and `basePath` set to it makes the policy's rules apply.

import { createServer, type Server } from 'node:http';
import type { RoutePolicy } from '@cognito-guard/core';
import { cognitoGuard as expressGuard } from '@cognito-guard/express';
import { cognitoGuard as fastifyGuard } from '@cognito-guard/fastify';
import { cognitoGuard as honoGuard } from '@cognito-guard/hono';
import type { TestIssuer } from '@cognito-guard/testing';
import { getRequestListener } from '@hono/node-server';
import express from 'express';
import Fastify from 'fastify';
import { Hono } from 'hono';
import request from 'supertest';
import { callers } from './casings';

// Keys relative to the prefix: an authenticated default, a rule for /admin.
const relative: RoutePolicy = {
  defaultAction: 'authenticated',
  routes: { 'GET /admin': { groups: ['admins'] } },
};

type Config = TestIssuer['config'] & { logger: { warn(message: string): void } };
type Serve = (config: Config, policy: RoutePolicy) => Promise<Server>;

const surfaces: [string, Serve][] = [
  [
    'Fastify, a plugin registered with prefix /api',
    async (config, policy) => {
      let server: Server | undefined;
      const app = Fastify({ serverFactory: (handler) => (server = createServer(handler)) });
      const guard = fastifyGuard(config);
      await app.register(
        async (api) => {
          api.addHook('onRequest', guard.guardRoutes(policy));
          api.get('/admin', async () => 'admin area');
        },
        { prefix: '/api' },
      );
      await app.ready();
      return server as Server;
    },
  ],
  [
    'Hono, a sub-app under app.route("/api")',
    async (config, policy) => {
      const api = new Hono();
      api.use('*', honoGuard(config).guardRoutes(policy));
      api.get('/admin', (c) => c.text('admin area'));
      const app = new Hono().route('/api', api);
      return createServer(getRequestListener(app.fetch));
    },
  ],
  [
    'Express behind a proxy that serves it under /api',
    async (config, policy) => {
      const app = express();
      app.use(expressGuard(config).guardRoutes(policy));
      app.get('/api/admin', (_req, res) => {
        res.send('admin area');
      });
      return createServer(app);
    },
  ],
];

describe.each(surfaces)('%s', (_name, serve) => {
  const who = callers();

  it('a relative policy lets defaultAction decide, and the guard names the prefix once', async () => {
    const warnings: string[] = [];
    const config = { ...who.issuer.config, logger: { warn: (m: string) => warnings.push(m) } };
    const server = await serve(config, relative);
    // The member, not an admin, gets in: defaultAction decides, as the warning says.
    const member = await request(server).get('/api/admin').auth(who.member, { type: 'bearer' });
    expect(member.status).toBe(200);
    await request(server).get('/api/admin').auth(who.admin, { type: 'bearer' });
    expect(warnings).toEqual([
      expect.stringMatching(
        /^cognito-guard: GET \/api\/admin matched no route of its policy, so defaultAction applies, though \/admin matches its route "GET \/admin"\. If the policy's route keys are relative to "\/api" .*set basePath: "\/api" in the policy\.$/,
      ),
    ]);
  });

  it('with basePath set to the prefix, the rule applies and nothing is said', async () => {
    const warnings: string[] = [];
    const config = { ...who.issuer.config, logger: { warn: (m: string) => warnings.push(m) } };
    const server = await serve(config, { ...relative, basePath: '/api' });
    const member = await request(server).get('/api/admin').auth(who.member, { type: 'bearer' });
    expect(member.status).toBe(403);
    const admin = await request(server).get('/api/admin').auth(who.admin, { type: 'bearer' });
    expect(admin.status).toBe(200);
    expect(warnings).toEqual([]);
  });
});
