// `ready()` beside the env-bound guards, on every surface: the signing keys are fetched once,
// before the first request, by the very guard the env-bound factories use; a bad environment and
// unreachable keys reject at start-up, never on a request.

import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  createTestIssuer,
  lambdaContext,
  restProxyEvent,
  type TestIssuer,
} from '@cognito-guard/testing';
import { getRequestListener } from '@hono/node-server';
import Router from '@koa/router';
import express from 'express';
import fastify from 'fastify';
import { Hono } from 'hono';
import Koa from 'koa';
import request from 'supertest';

interface Surface {
  /** The package's env-bound `ready`. */
  readonly ready: () => Promise<void>;
  /** Status of `GET /movies` behind the package's env-bound `requireGroups('movies-group')`. */
  readonly call: (token: string) => Promise<number>;
  readonly close?: () => Promise<unknown>;
}

// Each surface on a fresh module registry, so each has its own process-wide env guard.
function isolated<T>(name: string): T {
  let mod: T | undefined;
  jest.isolateModules(() => {
    mod = require(name) as T;
  });
  return mod as T;
}

type Exports<H> = {
  ready: () => Promise<void>;
  requireGroups: (...groups: string[]) => H;
};

const httpStatus = (target: Parameters<typeof request>[0], token: string) =>
  request(target)
    .get('/movies')
    .set('Authorization', `Bearer ${token}`)
    .then((res) => res.status);

const surfaces: Record<string, () => Promise<Surface>> = {
  async Express() {
    const { ready, requireGroups } =
      isolated<Exports<express.RequestHandler>>('@cognito-guard/express');
    const app = express();
    app.get('/movies', requireGroups('movies-group'), (_req, res) => {
      res.json({ ok: true });
    });
    return { ready, call: (token) => httpStatus(app, token) };
  },
  async Koa() {
    const { ready, requireGroups } = isolated<Exports<Koa.Middleware>>('@cognito-guard/koa');
    const app = new Koa();
    const router = new Router();
    router.get('/movies', requireGroups('movies-group'), (ctx) => {
      ctx.body = { ok: true };
    });
    app.use(router.routes());
    return { ready, call: (token) => httpStatus(app.callback(), token) };
  },
  async Fastify() {
    const { ready, requireGroups } = isolated<Exports<never>>('@cognito-guard/fastify');
    const app = fastify();
    app.get('/movies', { onRequest: requireGroups('movies-group') }, async () => ({ ok: true }));
    await app.ready();
    return { ready, call: (token) => httpStatus(app.server, token), close: () => app.close() };
  },
  async 'Hono on Node'() {
    const { ready, requireGroups } = isolated<Exports<never>>('@cognito-guard/hono');
    const app = new Hono();
    app.get('/movies', requireGroups('movies-group'), (c) => c.json({ ok: true }));
    const server = createServer(getRequestListener(app.fetch));
    return { ready, call: (token) => httpStatus(server, token) };
  },
  async Lambda() {
    type Guarded = (event: unknown, context: unknown) => Promise<{ statusCode: number }>;
    const { ready, requireGroups } =
      isolated<Exports<(handler: Guarded) => Guarded>>('@cognito-guard/lambda');
    const handler = requireGroups('movies-group')(async () => ({ statusCode: 200, body: 'ok' }));
    return {
      ready,
      call: async (token) => (await handler(restProxyEvent({ token }), lambdaContext())).statusCode,
    };
  },
};

describe('ready() beside the env-bound guards', () => {
  let issuer: TestIssuer;
  beforeAll(async () => {
    issuer = await createTestIssuer().start();
  });
  afterAll(() => issuer.stop());

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
          expect(await surface.call(member)).toBe(200);
          expect(await surface.call(outsider)).toBe(403);
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
