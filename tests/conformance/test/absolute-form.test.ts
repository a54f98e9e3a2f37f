// HTTP/1.1 servers must accept a request target in absolute form (`GET http://host/api/admin`),
// and Express, Koa, Fastify and Hono all serve it by its path. A guard that read the target as
// it arrived would find no `/api` base path in it and apply `defaultAction`, so under `'allow'`
// the admin route would be served to anyone. The guard reads the path every router reads, and
// refuses (400) a target whose authority routers could end at different places.

import { createServer, type Server } from 'node:http';
import type { GuardConfig } from '@cognito-guard/core';
import { cognitoGuard as expressGuard } from '@cognito-guard/express';
import { cognitoGuard as fastifyGuard } from '@cognito-guard/fastify';
import { cognitoGuard as honoGuard } from '@cognito-guard/hono';
import { cognitoGuard as koaGuard } from '@cognito-guard/koa';
import { sendRaw } from '@cognito-guard/testing';
import { getRequestListener } from '@hono/node-server';
import Router from '@koa/router';
import express5 from 'express';
import express4 from 'express4';
import fc from 'fast-check';
import fastify5 from 'fastify';
import fastify4 from 'fastify4';
import { Hono } from 'hono';
import Koa3 from 'koa';
import Koa2 from 'koa2';
import { callers } from './casings';

const policy = {
  basePath: '/api',
  defaultAction: 'allow' as const,
  routes: { 'GET /admin': { groups: ['admins'] } },
};

/** A listening server whose one handler, `GET /api/admin`, counts the requests it served. */
type Surface = (config: GuardConfig, reached: () => void) => Promise<Server>;

const listening = async (server: Server) => {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return server;
};

const surfaces: Record<string, Surface> = {};
for (const [name, factory] of [
  ['Express 5', express5],
  ['Express 4', express4 as unknown as typeof express5],
] as const) {
  surfaces[name] = async (config, reached) => {
    const app = factory();
    app.use(expressGuard(config).guardRoutes(policy));
    app.get('/api/admin', (_req, res) => {
      reached();
      res.send('admin');
    });
    return listening(createServer(app));
  };
  surfaces[`${name}, guard in a router mounted at /api`] = async (config, reached) => {
    const app = factory();
    const api = factory.Router();
    api.use(expressGuard(config).guardRoutes(policy));
    api.get('/admin', (_req, res) => {
      reached();
      res.send('admin');
    });
    app.use('/api', api);
    return listening(createServer(app));
  };
}
for (const [name, KoaClass] of [
  ['Koa 3', Koa3],
  ['Koa 2', Koa2 as unknown as typeof Koa3],
] as const) {
  surfaces[`${name} with @koa/router`] = async (config, reached) => {
    const app = new KoaClass();
    const router = new Router({ prefix: '/api' });
    router.get('/admin', (ctx) => {
      reached();
      ctx.body = 'admin';
    });
    app.use(koaGuard(config).guardRoutes(policy));
    app.use(router.routes());
    return listening(createServer(app.callback()));
  };
}
for (const [name, factory] of [
  ['Fastify 5', fastify5],
  ['Fastify 4', fastify4 as unknown as typeof fastify5],
] as const) {
  surfaces[name] = async (config, reached) => {
    const app = factory();
    app.addHook('onRequest', fastifyGuard(config).guardRoutes(policy));
    app.get('/api/admin', async () => {
      reached();
      return 'admin';
    });
    await app.listen({ port: 0, host: '127.0.0.1' });
    return app.server;
  };
}
surfaces['Hono on @hono/node-server'] = async (config, reached) => {
  const app = new Hono();
  app.use(honoGuard(config).guardRoutes(policy));
  app.get('/api/admin', (c) => {
    reached();
    return c.text('admin');
  });
  return listening(createServer(getRequestListener(app.fetch)));
};

// Authorities as clients could send them: plain ones, and ones Node's url.parse (Express, Koa)
// and find-my-way (Fastify) end at different places.
const authorityArb = fc.oneof(
  fc.constantFrom('example.com', 'u@example.com:8443', '127.0.0.1:80', '[::1]', 'EXAMPLE.COM'),
  fc
    .array(
      fc.constantFrom('x', '.', ':', '8', '@', '?', '=', ';', '%2f', '!', '~', '[', ']', '_'),
      {
        minLength: 1,
        maxLength: 6,
      },
    )
    .map((chars) => chars.join('')),
);
const targetArb = fc
  .tuple(
    fc.constantFrom('http', 'https', 'HTTP', 'ws'),
    authorityArb,
    fc.constantFrom('/api/admin', '/API/admin', '/api/admin/', '/api/%61dmin'),
    fc.constantFrom('', '?x=1'),
  )
  .map(([scheme, authority, path, query]) => `${scheme}://${authority}${path}${query}`);

describe.each(Object.keys(surfaces))('%s', (name) => {
  const who = callers();
  let server: Server;
  let reaches = 0;
  beforeAll(async () => {
    server = await (surfaces[name] as Surface)(who.issuer.config, () => void reaches++);
  });
  afterAll(() => new Promise((resolve) => server.close(resolve)));

  const send = async (target: string, token?: string) => {
    const before = reaches;
    const headers: [string, string][] =
      token === undefined ? [] : [['Authorization', `Bearer ${token}`]];
    const res = await sendRaw(server, 'GET', target, headers);
    return { status: res.status, reached: reaches > before };
  };

  it('serves an absolute-form target by its path, under the path’s rule', async () => {
    expect(await send('http://example.com/api/admin', who.admin)).toEqual({
      status: 200,
      reached: true,
    });
    expect(await send('http://example.com/api/admin', who.member)).toEqual({
      status: 403,
      reached: false,
    });
    expect(await send('http://example.com/api/admin')).toEqual({ status: 401, reached: false });
  });

  it('no absolute-form target reaches the admin handler without the group', async () => {
    await fc.assert(
      fc.asyncProperty(targetArb, fc.constantFrom(who.member, undefined), async (target, token) => {
        const answer = await send(target, token);
        expect({ target, ...answer }).toEqual({ target, status: answer.status, reached: false });
        expect([400, 401, 403, 404]).toContain(answer.status);
      }),
      { numRuns: 60 },
    );
  });
});
