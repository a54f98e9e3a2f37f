// An Express app can mount another framework's app below a path: `app.use('/admin',
// koaApp.callback())`. Express takes the prefix off Node's `req.url` before Koa sees it, leaving
// the path received in `req.originalUrl` and the prefix in `req.baseUrl`. A route policy inside
// the Koa app reads the path received, the Express mount as its mount path (as a guard in an
// Express sub-app does), and any rewrite inside as a second reading, the stricter rule applying.
// (Before, it read Koa's own `ctx.originalUrl`, the URL without the prefix, so a policy keyed by
// the paths clients send gave `/admin/users` the rule of `/users`.)

import type { Server } from 'node:http';
import type { RoutePolicy } from '@cognito-guard/core';
import { cognitoGuard, type KoaGuard } from '@cognito-guard/koa';
import { createTestIssuer, sendRaw, type TestIssuer } from '@cognito-guard/testing';
import express from 'express';
import Koa3 from 'koa';
import mountKoa from 'koa-mount';
import Koa2 from 'koa2';

const FULL_PATHS: RoutePolicy = {
  defaultAction: 'deny',
  routes: {
    'GET /admin/{proxy+}': { groups: ['admins'] },
    'GET /{proxy+}': {},
  },
};

describe.each([
  ['Koa 3', Koa3],
  ['Koa 2', Koa2 as unknown as typeof Koa3],
])('a route policy in a %s app an Express app mounts at /admin', (_name, KoaClass) => {
  let issuer: TestIssuer;
  let guard: KoaGuard;
  const warnings: string[] = [];
  const servers: Server[] = [];
  const as = (groups: string[]): [string, string][] => [
    ['Authorization', `Bearer ${issuer.accessToken({ groups })}`],
  ];

  beforeAll(async () => {
    issuer = await createTestIssuer().start();
    guard = cognitoGuard({ ...issuer.config, logger: { warn: (m: string) => warnings.push(m) } });
    await guard.ready();
  });
  afterAll(async () => {
    await Promise.all(servers.map((s) => new Promise((resolve) => s.close(resolve))));
    await issuer.stop();
  });

  // The Koa app answers with the URL it routed; `inner` sets it up between guard and answer.
  async function serve(policy: RoutePolicy, inner?: (koa: Koa3) => Koa3): Promise<Server> {
    let koa = new KoaClass();
    koa.use(guard.guardRoutes(policy));
    koa.use((ctx) => {
      ctx.body = { routed: ctx.url };
    });
    if (inner) koa = inner(koa);
    const app = express();
    app.use('/admin', koa.callback());
    const server = await new Promise<Server>((resolve) => {
      const s = app.listen(0, '127.0.0.1', () => resolve(s));
    });
    servers.push(server);
    return server;
  }

  it('applies the rule of the path received: a caller without the group is refused', async () => {
    const server = await serve(FULL_PATHS);
    const denied = await sendRaw(server, 'GET', '/admin/users', as(['viewers']));
    expect(denied.status).toBe(403);
    const allowed = await sendRaw(server, 'GET', '/admin/users', as(['admins']));
    expect([allowed.status, allowed.body]).toEqual([200, '{"routed":"/users"}']);
  });

  it('reads keys relative to the Express mount under basePath, as in an Express sub-app', async () => {
    const server = await serve({
      basePath: '/admin',
      defaultAction: 'deny',
      routes: { 'GET /users': { groups: ['admins'] } },
    });
    expect((await sendRaw(server, 'GET', '/admin/users', as(['viewers']))).status).toBe(403);
    expect((await sendRaw(server, 'GET', '/admin/users', as(['admins']))).status).toBe(200);
  });

  it('names the Express mount when relative keys lack basePath', async () => {
    warnings.length = 0;
    const server = await serve({ defaultAction: 'deny', routes: { 'GET /users': {} } });
    expect((await sendRaw(server, 'GET', '/admin/users', as(['admins']))).status).toBe(403);
    expect(warnings).toEqual([expect.stringContaining('mounted under "/admin"')]);
  });

  it('under a koa-mount inside the Koa app, reads both mounts as the mount path', async () => {
    const server = await serve(
      { defaultAction: 'deny', routes: { 'GET /admin/reports/{proxy+}': { groups: ['admins'] } } },
      (koa) => new KoaClass().use(mountKoa('/reports', koa)),
    );
    expect((await sendRaw(server, 'GET', '/admin/reports/q3', as(['viewers']))).status).toBe(403);
    const allowed = await sendRaw(server, 'GET', '/admin/reports/q3', as(['admins']));
    expect([allowed.status, allowed.body]).toEqual([200, '{"routed":"/q3"}']);
  });

  it('reads a rewrite inside the Koa app as a second path, the stricter rule applying', async () => {
    const server = await serve(
      {
        defaultAction: 'allow',
        routes: { 'GET /admin/{proxy+}': {}, 'GET /admin/secrets': { groups: ['admins'] } },
      },
      (koa) =>
        new KoaClass()
          .use((ctx, next) => {
            ctx.url = ctx.url.replace(/^\/v2\//, '/');
            return next();
          })
          .use(mountKoa(koa)),
    );
    const denied = await sendRaw(server, 'GET', '/admin/v2/secrets', as(['viewers']));
    expect(denied.status).toBe(403);
    expect((await sendRaw(server, 'GET', '/admin/v2/secrets', as(['admins']))).status).toBe(200);
  });
});
