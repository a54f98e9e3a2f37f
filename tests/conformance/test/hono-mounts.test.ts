// A Hono app below a mount is handed a new Request whose URL is not the one the client sent:
// Hono's `app.mount` and `hono/mount` take the prefix off, an app can dispatch itself again with
// a rewritten URL, an Express app can mount @hono/node-server's listener below a path. A route
// policy inside reads both the target received and the URL routed, and applies the stricter
// rule, on Node and through hono/aws-lambda; an Express mount, which names its prefix
// (`req.baseUrl`), is read as a mount, as in an Express sub-app. (Before, it read only the routed URL, so a policy
// keyed by the paths clients send gave `/admin/users` the rule of `/users`.)

import type { Server } from 'node:http';
import type { RoutePolicy } from '@cognito-guard/core';
import { cognitoGuard, type HonoGuard } from '@cognito-guard/hono';
import {
  createTestIssuer,
  httpApiEvent,
  lambdaContext,
  restProxyEvent,
  sendRaw,
  type TestIssuer,
} from '@cognito-guard/testing';
import { getRequestListener, serve } from '@hono/node-server';
import express from 'express';
import { Hono } from 'hono';
import { handle } from 'hono/aws-lambda';
import { mount } from 'hono/mount';

// Keyed by the paths clients send, as on every surface: the admin pages need the group, the
// rest a token. `GET /users` is the same handler's path as its mounted app routes it.
const POLICY: RoutePolicy = {
  defaultAction: 'deny',
  routes: {
    'GET /admin/{proxy+}': { groups: ['admins'] },
    'GET /{proxy+}': {},
  },
};

// The admin app, guarded inside: it serves `/users` as its router sees it.
function adminApp(guard: HonoGuard, policy: RoutePolicy, reached: string[]): Hono {
  const admin = new Hono();
  admin.use(guard.guardRoutes(policy));
  admin.get('/users', (c) => {
    reached.push(c.req.path);
    return c.json({ users: ['alice'] });
  });
  return admin;
}

describe('a route policy inside a mounted or re-dispatched Hono app', () => {
  let issuer: TestIssuer;
  let guard: HonoGuard;
  const servers: Server[] = [];
  const viewer = () => issuer.accessToken({ groups: ['viewers'] });
  const administrator = () => issuer.accessToken({ groups: ['admins'] });

  beforeAll(async () => {
    issuer = await createTestIssuer().start();
    guard = cognitoGuard(issuer.config);
    await guard.ready();
  });
  afterAll(async () => {
    await Promise.all(servers.map((s) => new Promise((resolve) => s.close(resolve))));
    await issuer.stop();
  });

  // Each topology serves `path` with the admin handler, which sees it as `served`.
  const topologies: Record<
    string,
    { path: string; served: string; build: (reached: string[]) => Hono }
  > = {
    "Hono's app.mount('/admin', admin.fetch)": {
      path: '/admin/users',
      served: '/users',
      build: (reached) => {
        const app = new Hono();
        app.mount('/admin', adminApp(guard, POLICY, reached).fetch);
        return app;
      },
    },
    "hono/mount: app.all('/admin/*', mount(admin.fetch))": {
      path: '/admin/users',
      served: '/users',
      build: (reached) => {
        const app = new Hono();
        app.all('/admin/*', mount(adminApp(guard, POLICY, reached).fetch));
        return app;
      },
    },
    'an app dispatching itself again with the version prefix taken off': {
      path: '/v2/admin/users',
      served: '/admin/users',
      build: (reached) => {
        const app = new Hono();
        app.use(guard.guardRoutes(POLICY));
        app.all('/v2/*', (c) => {
          const url = new URL(c.req.url);
          url.pathname = url.pathname.slice('/v2'.length);
          return app.fetch(new Request(url, c.req.raw), c.env);
        });
        app.get('/admin/users', (c) => {
          reached.push(c.req.path);
          return c.json({ users: ['alice'] });
        });
        return app;
      },
    },
  };

  async function overNode(app: Hono): Promise<Server> {
    const server = await new Promise<Server>((resolve) => {
      const s = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, () =>
        resolve(s as Server),
      );
    });
    servers.push(server);
    return server;
  }

  describe.each(Object.entries(topologies))('%s', (_name, { path, served, build }) => {
    it('on @hono/node-server, refuses a caller without the group and serves one with it', async () => {
      const reached: string[] = [];
      const server = await overNode(build(reached));
      const denied = await sendRaw(server, 'GET', path, [['Authorization', `Bearer ${viewer()}`]]);
      expect(denied.status).toBe(403);
      expect(denied.headers['www-authenticate']).toContain('insufficient_scope');
      expect(reached).toEqual([]);
      const allowed = await sendRaw(server, 'GET', path, [
        ['Authorization', `Bearer ${administrator()}`],
      ]);
      expect([allowed.status, allowed.body]).toEqual([200, '{"users":["alice"]}']);
      expect(reached).toEqual([served]);
    });

    it.each([
      ['REST API', restProxyEvent],
      ['HTTP API', httpApiEvent as unknown as typeof restProxyEvent],
    ])(
      'through hono/aws-lambda (%s events), refuses a caller without the group',
      async (_api, event) => {
        const reached: string[] = [];
        const handler = handle(build(reached));
        const call = async (token: string) =>
          (await handler(
            event({ method: 'GET', path, headers: { authorization: `Bearer ${token}` } }) as never,
            lambdaContext() as never,
          )) as { statusCode: number };
        expect((await call(viewer())).statusCode).toBe(403);
        expect(reached).toEqual([]);
        expect((await call(administrator())).statusCode).toBe(200);
        expect(reached).toHaveLength(1);
      },
    );
  });

  it('an Express app mounting the Hono listener at /admin: read as a mount, as in Express', async () => {
    const reached: string[] = [];
    // Keyed by the paths clients send only: Express names its mount (req.baseUrl), so the path
    // the Hono app routes is that mount's, and needs no key of its own.
    const keyedByReceivedOnly: RoutePolicy = {
      defaultAction: 'deny',
      routes: { 'GET /admin/{proxy+}': { groups: ['admins'] } },
    };
    const outer = express();
    outer.use('/admin', getRequestListener(adminApp(guard, keyedByReceivedOnly, reached).fetch));
    const server = await new Promise<Server>((resolve) => {
      const s = outer.listen(0, '127.0.0.1', () => resolve(s));
    });
    servers.push(server);
    const denied = await sendRaw(server, 'GET', '/admin/users', [
      ['Authorization', `Bearer ${viewer()}`],
    ]);
    expect(denied.status).toBe(403);
    expect(reached).toEqual([]);
    const allowed = await sendRaw(server, 'GET', '/admin/users', [
      ['Authorization', `Bearer ${administrator()}`],
    ]);
    expect(allowed.status).toBe(200);
    expect(reached).toEqual(['/users']);
  });

  it('under defaultAction deny, a routed path without a key of its own is refused (fail closed)', async () => {
    const reached: string[] = [];
    const keyedByReceivedOnly: RoutePolicy = {
      defaultAction: 'deny',
      routes: { 'GET /admin/{proxy+}': { groups: ['admins'] } },
    };
    const app = new Hono();
    app.mount('/admin', adminApp(guard, keyedByReceivedOnly, reached).fetch);
    const server = await overNode(app);
    const res = await sendRaw(server, 'GET', '/admin/users', [
      ['Authorization', `Bearer ${administrator()}`],
    ]);
    // `/users`, the URL the mounted app routes, matches no route: the stricter reading denies.
    expect(res.status).toBe(403);
    expect(reached).toEqual([]);
  });
});
