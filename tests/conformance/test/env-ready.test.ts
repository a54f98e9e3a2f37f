// `ready()` beside the env-bound guards, on every surface: the signing keys are fetched once,
// before the first request, by the very guard the env-bound factories use; a bad environment and
// unreachable keys reject at start-up, never on a request.

import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import type { Guard } from '@cognito-guard/core';
import type * as CoreAdapter from '@cognito-guard/core/adapter';
import {
  createTestIssuer,
  lambdaContext,
  restProxyEvent,
  type TestIssuer,
} from '@cognito-guard/testing';
import { getRequestListener } from '@hono/node-server';
import Router from '@koa/router';
import express from 'express';
import fastify, { type FastifyPluginAsync } from 'fastify';
import { Hono } from 'hono';
import Koa from 'koa';
import request from 'supertest';

interface Surface {
  /** The package's env-bound `ready`. */
  readonly ready: () => Promise<void>;
  /** `GET /movies` with these headers, behind the env-bound `requireGroups('movies-group')`. */
  readonly send: (headers: Record<string, string>) => Promise<Answer>;
  readonly close?: () => Promise<unknown>;
}

interface Answer {
  readonly status: number;
  readonly vary: string | undefined;
}

// The status of `GET /movies` with this bearer token.
const call = async (surface: Surface, token: string) =>
  (await surface.send({ Authorization: `Bearer ${token}` })).status;

// One worker thread, running the build's worker script: the adapters here run from source, where
// there is none beside the offload module.
const VERIFY_THREADS = {
  COGNITO_VERIFY_THREADS: '1',
  COGNITO_VERIFY_WORKER_FILE: join(__dirname, '../../../packages/core/dist/verify-worker.cjs'),
};

// The process-wide env guard of the surface made last, read from that surface's own registry.
let lastEnvGuard: () => Guard = () => {
  throw new Error('no surface made yet');
};

// Each surface on a fresh module registry, so each has its own process-wide env guard.
function isolated<T>(name: string): T {
  let mod: T | undefined;
  jest.isolateModules(() => {
    mod = require(name) as T;
    lastEnvGuard = (require('@cognito-guard/core/adapter') as typeof CoreAdapter).defaultGuard;
  });
  return mod as T;
}

type Exports<H> = {
  ready: () => Promise<void>;
  requireGroups: (...groups: string[]) => H;
};

const httpCall =
  (target: Parameters<typeof request>[0]) =>
  (method: string, path: string, token?: string): Promise<number> => {
    const pending = request(target)[method.toLowerCase() as 'get' | 'post'](path);
    return (token === undefined ? pending : pending.set('Authorization', `Bearer ${token}`)).then(
      (res) => res.status,
    );
  };

const httpSend =
  (target: Parameters<typeof request>[0]) =>
  async (headers: Record<string, string>): Promise<Answer> => {
    const res = await request(target).get('/movies').set(headers);
    return { status: res.status, vary: res.headers['vary'] };
  };

const surfaces: Record<string, () => Promise<Surface>> = {
  async Express() {
    const { ready, requireGroups } =
      isolated<Exports<express.RequestHandler>>('@cognito-guard/express');
    const app = express();
    app.get('/movies', requireGroups('movies-group'), (_req, res) => {
      res.json({ ok: true });
    });
    return { ready, send: httpSend(app) };
  },
  async Koa() {
    const { ready, requireGroups } = isolated<Exports<Koa.Middleware>>('@cognito-guard/koa');
    const app = new Koa();
    const router = new Router();
    router.get('/movies', requireGroups('movies-group'), (ctx) => {
      ctx.body = { ok: true };
    });
    app.use(router.routes());
    return { ready, send: httpSend(app.callback()) };
  },
  async Fastify() {
    const { ready, requireGroups } = isolated<Exports<never>>('@cognito-guard/fastify');
    const app = fastify();
    app.get('/movies', { onRequest: requireGroups('movies-group') }, async () => ({ ok: true }));
    await app.ready();
    return { ready, send: httpSend(app.server), close: () => app.close() };
  },
  async 'Hono on Node'() {
    const { ready, requireGroups } = isolated<Exports<never>>('@cognito-guard/hono');
    const app = new Hono();
    app.get('/movies', requireGroups('movies-group'), (c) => c.json({ ok: true }));
    const server = createServer(getRequestListener(app.fetch));
    return { ready, send: httpSend(server) };
  },
  async Lambda() {
    type Result = { statusCode: number; headers?: Record<string, string> };
    type Guarded = (event: unknown, context: unknown) => Promise<Result>;
    const { ready, requireGroups } =
      isolated<Exports<(handler: Guarded) => Guarded>>('@cognito-guard/lambda');
    const handler = requireGroups('movies-group')(async () => ({ statusCode: 200, body: 'ok' }));
    const send = async (headers: Record<string, string>) => {
      const result = await handler(restProxyEvent({ path: '/movies', headers }), lambdaContext());
      return { status: result.statusCode, vary: result.headers?.['Vary'] };
    };
    return { ready, send };
  },
};

// The env-bound guardRoutes, app-wide, on every surface: the policy below over the movies app.
const POLICY = {
  defaultAction: 'deny',
  routes: {
    'GET /movies': { groups: ['movies-group'] },
    'GET /shows/{id}': { groups: ['shows-group'] },
    'GET /health': { public: true },
  },
} as const;

// Every route the apps serve, policy or not: a handler that answers 200 for any of them.
const APP_PATHS = ['/movies', '/shows/:id', '/health', '/admin'];

interface PolicySurface {
  readonly ready: () => Promise<void>;
  /** Status of `method path` with this token (none when undefined) through the app. */
  readonly call: (method: string, path: string, token?: string) => Promise<number>;
  readonly close?: () => Promise<unknown>;
}

type PolicyExports<H> = { ready: () => Promise<void>; guardRoutes: (policy: typeof POLICY) => H };

const policySurfaces: Record<string, () => Promise<PolicySurface>> = {
  async Express() {
    const { ready, guardRoutes } =
      isolated<PolicyExports<express.RequestHandler>>('@cognito-guard/express');
    const app = express();
    app.use(guardRoutes(POLICY));
    app.all(APP_PATHS, (_req, res) => {
      res.json({ ok: true });
    });
    return { ready, call: httpCall(app) };
  },
  async Koa() {
    const { ready, guardRoutes } = isolated<PolicyExports<Koa.Middleware>>('@cognito-guard/koa');
    const app = new Koa();
    const router = new Router();
    router.all(APP_PATHS, (ctx) => {
      ctx.body = { ok: true };
    });
    app.use(guardRoutes(POLICY)).use(router.routes());
    return { ready, call: httpCall(app.callback()) };
  },
  async Fastify() {
    const { ready, guardRoutes } = isolated<PolicyExports<never>>('@cognito-guard/fastify');
    const app = fastify();
    app.addHook('onRequest', guardRoutes(POLICY));
    for (const path of APP_PATHS) app.all(path, async () => ({ ok: true }));
    await app.ready();
    return { ready, call: httpCall(app.server), close: () => app.close() };
  },
  async 'Fastify authPlugin'() {
    const { ready, authPlugin } = isolated<{
      ready: () => Promise<void>;
      authPlugin: FastifyPluginAsync<{ policy: typeof POLICY }>;
    }>('@cognito-guard/fastify');
    const app = fastify();
    await app.register(authPlugin, { policy: POLICY });
    for (const path of APP_PATHS) app.all(path, async () => ({ ok: true }));
    await app.ready();
    return { ready, call: httpCall(app.server), close: () => app.close() };
  },
  async 'Hono on Node'() {
    const { ready, guardRoutes } = isolated<PolicyExports<never>>('@cognito-guard/hono');
    const app = new Hono();
    app.use(guardRoutes(POLICY));
    for (const path of APP_PATHS) app.all(path, (c) => c.json({ ok: true }));
    const server = createServer(getRequestListener(app.fetch));
    return { ready, call: httpCall(server) };
  },
  async Lambda() {
    type Guarded = (event: unknown, context: unknown) => Promise<{ statusCode: number }>;
    const { ready, guardRoutes } =
      isolated<PolicyExports<(handler: Guarded) => Guarded>>('@cognito-guard/lambda');
    const handler = guardRoutes(POLICY)(async () => ({ statusCode: 200, body: 'ok' }));
    const call = async (method: string, path: string, token?: string) =>
      (await handler(restProxyEvent({ method, path, token }), lambdaContext())).statusCode;
    return { ready, call };
  },
};

describe('ready() beside the env-bound guards', () => {
  let issuer: TestIssuer;
  beforeAll(async () => {
    issuer = await createTestIssuer().start();
  });
  afterAll(() => issuer.stop());

  // Makes a surface with COGNITO_VERIFY_THREADS set: the Lambda surfaces must refuse it where
  // their handler is built; every other one is readied, exercised, and closed.
  const withWorkerThreads = <S extends { ready(): Promise<void>; close?(): Promise<unknown> }>(
    name: string,
    make: () => Promise<S>,
    exercise: (surface: S) => Promise<void>,
  ) =>
    withEnvironment({ ...issuer.env, ...VERIFY_THREADS }, async () => {
      const making = make();
      if (name === 'Lambda') {
        await expect(making).rejects.toThrow(
          'COGNITO_VERIFY_THREADS: is read only by the env-bound guards of Express, Koa, Fastify and Hono: unset it',
        );
        return;
      }
      const surface = await making;
      try {
        await surface.ready();
        await exercise(surface);
      } finally {
        await surface.close?.();
      }
    });

  it.each(Object.keys(surfaces))(
    'on %s, fetches the keys before the first request, for the guards the factories made',
    (name) =>
      withEnvironment(issuer.env, async () => {
        const surface = await (surfaces[name] as () => Promise<Surface>)();
        try {
          const before = issuer.jwksRequests;
          await surface.ready();
          expect(issuer.jwksRequests).toBe(before + 1);
          const member = issuer.accessToken({ groups: ['movies-group'] });
          const outsider = issuer.accessToken({ groups: ['shows-group'] });
          expect(await call(surface, member)).toBe(200);
          expect(await call(surface, outsider)).toBe(403);
          expect(issuer.jwksRequests).toBe(before + 1);
        } finally {
          await surface.close?.();
        }
      }),
  );

  it.each(Object.keys(surfaces))(
    'on %s, rejects naming the variable when the environment is wrong',
    (name) =>
      withEnvironment({ ...issuer.env, COGNITO_USER_POOL_ID: undefined }, async () => {
        const { ready } = isolated<{ ready: () => Promise<void> }>(packageOf(name));
        let pending: Promise<void> | undefined;
        expect(() => {
          pending = ready();
        }).not.toThrow();
        await expect(pending).rejects.toThrow(/COGNITO_USER_POOL_ID/);
      }),
  );

  it.each(Object.keys(surfaces))(
    'on %s, rejects with a 503 when the keys cannot be fetched',
    async (name) => {
      const closed = await closedLoopbackPort();
      const unreachable = `http://127.0.0.1:${closed}/jwks.json`;
      await withEnvironment({ ...issuer.env, COGNITO_JWKS_URI: unreachable }, async () => {
        const { ready } = isolated<{ ready: () => Promise<void> }>(packageOf(name));
        const warn = jest.spyOn(console, 'warn').mockImplementation(() => undefined);
        try {
          await expect(ready()).rejects.toMatchObject({ status: 503, statusCode: 503 });
          // The client learns the kind of failure; the operator, through the logger, the cause.
          expect(warn).toHaveBeenCalledWith(
            expect.stringContaining(`cannot fetch signing keys from ${unreachable}`),
          );
        } finally {
          warn.mockRestore();
        }
      });
    },
  );

  it.each(Object.keys(surfaces))(
    'on %s, reads the token sources and trusted origins from the environment',
    (name) =>
      withEnvironment(
        {
          ...issuer.env,
          COGNITO_TOKEN_SOURCES: 'cookie:id_token, authorization',
          COGNITO_TRUSTED_ORIGINS: 'https://app.example.com',
        },
        async () => {
          const surface = await (surfaces[name] as () => Promise<Surface>)();
          try {
            const cookie = `id_token=${issuer.accessToken({ groups: ['movies-group'] })}`;
            const outsider = issuer.accessToken({ groups: ['shows-group'] });
            const answers = {
              cookie: await surface.send({ Cookie: cookie }),
              'cookie, read from a trusted page': await surface.send({
                Cookie: cookie,
                Origin: 'https://app.example.com',
              }),
              'cookie, read from another site': await surface.send({
                Cookie: cookie,
                Origin: 'https://elsewhere.example',
              }),
              // Two tokens, two readings of who calls: refused, whichever source comes first.
              'cookie and an outsider’s header': await surface.send({
                Cookie: cookie,
                Authorization: `Bearer ${outsider}`,
              }),
              'an outsider’s header alone': await surface.send({
                Authorization: `Bearer ${outsider}`,
              }),
            };
            expect(answers).toEqual({
              cookie: { status: 200, vary: 'Cookie, Authorization' },
              'cookie, read from a trusted page': { status: 200, vary: 'Cookie, Authorization' },
              'cookie, read from another site': expect.objectContaining({ status: 403 }),
              'cookie and an outsider’s header': expect.objectContaining({ status: 400 }),
              'an outsider’s header alone': expect.objectContaining({ status: 403 }),
            });
          } finally {
            await surface.close?.();
          }
        },
      ),
  );

  it('names COGNITO_TOKEN_SOURCES and COGNITO_TRUSTED_ORIGINS when their values are wrong', () =>
    withEnvironment(
      {
        ...issuer.env,
        COGNITO_TOKEN_SOURCES: 'authorization,header:x-token',
        COGNITO_TRUSTED_ORIGINS: 'https://app.example.com/',
      },
      async () => {
        const { ready } = isolated<{ ready: () => Promise<void> }>('@cognito-guard/express');
        await expect(ready()).rejects.toThrow(
          'COGNITO_TOKEN_SOURCES: "header:x-token" is not a token source: use authorization, alb or cookie:<name>',
        );
        process.env['COGNITO_TOKEN_SOURCES'] = 'cookie:id_token';
        const { ready: again } = isolated<{ ready: () => Promise<void> }>('@cognito-guard/express');
        await expect(again()).rejects.toThrow(/trustedOrigins\.0 \(COGNITO_TRUSTED_ORIGINS\)/);
      },
    ));

  // With COGNITO_VERIFY_THREADS, each server's env-bound guard verifies new tokens on a worker
  // thread, and decides as without it; the Lambda guard, which leaves the workers out, refuses it.
  it.each(Object.keys(surfaces))(
    'on %s, reads COGNITO_VERIFY_THREADS, or refuses it naming the variable',
    (name) =>
      withWorkerThreads(name, surfaces[name] as () => Promise<Surface>, async (surface) => {
        const members = [1, 2, 3].map(() => issuer.accessToken({ groups: ['movies-group'] }));
        const outsider = issuer.accessToken({ groups: ['shows-group'] });
        const statuses = [];
        for (const token of [...members, outsider]) statuses.push(await call(surface, token));
        expect(statuses).toEqual([200, 200, 200, 403]);
        expect(await call(surface, 'not.a.token')).toBe(401);
        expect(lastEnvGuard().verifier.offloadStats).toEqual({
          inWorkers: 5,
          handedBack: 0,
          unanswered: 0,
        });
      }),
  );

  it('names COGNITO_VERIFY_THREADS and COGNITO_VERIFY_WORKER_FILE when their values are wrong', async () => {
    const readyWith = (variables: Record<string, string>) =>
      withEnvironment({ ...issuer.env, ...variables }, () =>
        isolated<{ ready: () => Promise<void> }>('@cognito-guard/express').ready(),
      );
    await expect(readyWith({ ...VERIFY_THREADS, COGNITO_VERIFY_THREADS: 'many' })).rejects.toThrow(
      'COGNITO_VERIFY_THREADS: must be a whole number from 1 to 256, or auto, got "many"',
    );
    await expect(
      readyWith({ COGNITO_VERIFY_THREADS: '2', COGNITO_VERIFY_WORKER_FILE: '/nowhere/worker.cjs' }),
    ).rejects.toThrow('COGNITO_VERIFY_WORKER_FILE: /nowhere/worker.cjs does not exist');
    await expect(
      readyWith({ COGNITO_VERIFY_WORKER_FILE: VERIFY_THREADS.COGNITO_VERIFY_WORKER_FILE }),
    ).rejects.toThrow('COGNITO_VERIFY_WORKER_FILE: is read only with COGNITO_VERIFY_THREADS');
  });

  describe('the env-bound guardRoutes', () => {
    it.each(Object.keys(policySurfaces))(
      'on %s, reads COGNITO_VERIFY_THREADS, or refuses it naming the variable',
      (name) =>
        withWorkerThreads(
          name,
          policySurfaces[name] as () => Promise<PolicySurface>,
          async (surface) => {
            const shows = issuer.accessToken({ groups: ['shows-group'] });
            const movies = issuer.accessToken({ groups: ['movies-group'] });
            expect([
              await surface.call('GET', '/shows/7', shows),
              await surface.call('GET', '/movies', shows),
              await surface.call('GET', '/movies', movies),
            ]).toEqual([200, 403, 200]);
            // Three verifications: the cache keeps a token from its second sighting on.
            expect(lastEnvGuard().verifier.offloadStats).toEqual({
              inWorkers: 3,
              handedBack: 0,
              unanswered: 0,
            });
          },
        ),
    );

    it.each(Object.keys(policySurfaces))(
      'on %s, decides every route as the policy says, on the keys ready() fetched',
      (name) =>
        withEnvironment(issuer.env, async () => {
          const surface = await (policySurfaces[name] as () => Promise<PolicySurface>)();
          try {
            const before = issuer.jwksRequests;
            await surface.ready();
            const movies = issuer.accessToken({ groups: ['movies-group'] });
            const shows = issuer.accessToken({ groups: ['shows-group'] });
            const answers = {
              'movies-group on GET /movies': await surface.call('GET', '/movies', movies),
              'shows-group on GET /movies': await surface.call('GET', '/movies', shows),
              'no token on GET /movies': await surface.call('GET', '/movies'),
              'shows-group on GET /shows/7': await surface.call('GET', '/shows/7', shows),
              'movies-group on GET /shows/7': await surface.call('GET', '/shows/7', movies),
              'no token on GET /health': await surface.call('GET', '/health'),
              'movies-group on POST /movies': await surface.call('POST', '/movies', movies),
              'movies-group on GET /admin': await surface.call('GET', '/admin', movies),
            };
            expect(answers).toEqual({
              'movies-group on GET /movies': 200,
              'shows-group on GET /movies': 403,
              'no token on GET /movies': 401,
              'shows-group on GET /shows/7': 200,
              'movies-group on GET /shows/7': 403,
              'no token on GET /health': 200,
              'movies-group on POST /movies': 403,
              'movies-group on GET /admin': 403,
            });
            // The policy guard is the env guard ready() prepared: no request fetched the keys.
            expect(issuer.jwksRequests).toBe(before + 1);
          } finally {
            await surface.close?.();
          }
        }),
    );

    it.each(Object.keys(policySurfaces))(
      'on %s, refuses with 503 on a request when the keys cannot be fetched, running no handler',
      async (name) => {
        const closed = await closedLoopbackPort();
        const unreachable = `http://127.0.0.1:${closed}/jwks.json`;
        await withEnvironment({ ...issuer.env, COGNITO_JWKS_URI: unreachable }, async () => {
          const surface = await (policySurfaces[name] as () => Promise<PolicySurface>)();
          const warn = jest.spyOn(console, 'warn').mockImplementation(() => undefined);
          try {
            const movies = issuer.accessToken({ groups: ['movies-group'] });
            expect(await surface.call('GET', '/movies', movies)).toBe(503);
            expect(await surface.call('GET', '/health')).toBe(200);
          } finally {
            warn.mockRestore();
            await surface.close?.();
          }
        });
      },
    );

    it.each(Object.keys(policySurfaces))(
      'on %s, fails where the app is built, naming the variable, when the environment is wrong',
      (name) =>
        withEnvironment({ ...issuer.env, COGNITO_USER_POOL_ID: undefined }, async () => {
          const build = policySurfaces[name] as () => Promise<PolicySurface>;
          await expect(build()).rejects.toThrow(/COGNITO_USER_POOL_ID: is required/);
        }),
    );
  });
});

// Runs `body` with these variables set (or, when undefined, unset), then restores the environment.
async function withEnvironment(
  variables: Readonly<Record<string, string | undefined>>,
  body: () => Promise<void>,
): Promise<void> {
  const saved = { ...process.env };
  for (const [name, value] of Object.entries(variables)) {
    if (value === undefined) delete process.env[name];
    else process.env[name] = value;
  }
  try {
    await body();
  } finally {
    process.env = saved;
  }
}

function packageOf(surface: string): string {
  const name = surface.split(' ')[0]?.toLowerCase();
  return `@cognito-guard/${name}`;
}

// A loopback port nothing listens on: one the system just handed out and took back.
async function closedLoopbackPort(): Promise<number> {
  const server: Server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}
