// A shared cache in front of the app (a CDN, a reverse proxy) stores an answer whose own
// `Cache-Control` allows it, and replays it to any later request that matches the stored one on
// every header `Vary` names. An app that sets `max-age` for browsers' sake overrides the guard's
// `private` (the app's own `Cache-Control` stands), and a request with a cookie, unlike one with
// `Authorization`, may be stored (RFC 9111 §3.5). Each surface's answer to a cookie is put through
// http-cache-semantics, the RFC 9111 cache logic got and make-fetch-happen use, as a shared cache.

import type { GuardConfig } from '@cognito-guard/core';
import * as expressGuard from '@cognito-guard/express';
import * as fastifyGuard from '@cognito-guard/fastify';
import * as honoGuard from '@cognito-guard/hono';
import * as koaGuard from '@cognito-guard/koa';
import * as lambdaGuard from '@cognito-guard/lambda';
import {
  createTestIssuer,
  lambdaContext,
  restProxyEvent,
  type TestIssuer,
} from '@cognito-guard/testing';
import { getRequestListener } from '@hono/node-server';
import express from 'express';
import fastify from 'fastify';
import { Hono } from 'hono';
import CachePolicy from 'http-cache-semantics';
import Koa from 'koa';
import request from 'supertest';

let issuer: TestIssuer;
beforeAll(async () => {
  issuer = await createTestIssuer().start();
});
afterAll(() => issuer.stop());

/** The app's own caching, for browsers: it overrides the guard's `private`. */
const OWN_CACHE_CONTROL = 'max-age=60';

/**
 * What else the handler sets, in its own way on each framework: a `Cache-Control` (by default
 * {@link OWN_CACHE_CONTROL}) and, when given, a `Vary` set outright over the guard's.
 */
interface Own {
  readonly cacheControl: string;
  readonly vary?: string;
}
const BROWSERS_ONLY: Own = { cacheControl: OWN_CACHE_CONTROL };

type Headers = Record<string, string>;
interface Answer {
  readonly status: number;
  readonly headers: Record<string, string | string[] | undefined>;
  readonly body: string;
}

/** Sends `GET /movies` with these headers to one surface, whose handler names the caller. */
type Surface = (headers: Headers) => Promise<Answer>;

const config = (): GuardConfig => ({
  ...issuer.config,
  tokenSources: ['authorization', { cookie: 'id' }],
});
const greeting = (username: unknown) => `movies for ${String(username)}`;

async function overHttp(target: Parameters<typeof request>[0], headers: Headers) {
  const res = await request(target).get('/movies').set(headers);
  return { status: res.status, headers: res.headers, body: res.text };
}

const surfaces: [string, (own: Own) => Surface][] = [
  [
    'Express',
    (own) => {
      const app = express();
      app.get('/movies', expressGuard.cognitoGuard(config()).requireGroups('movies-group'));
      app.get('/movies', (req, res) => {
        if (own.vary) res.set('Vary', own.vary);
        res.set('Cache-Control', own.cacheControl).send(greeting(req.auth?.username));
      });
      return (headers) => overHttp(app, headers);
    },
  ],
  [
    'Koa',
    (own) => {
      const app = new Koa();
      app.use(koaGuard.cognitoGuard(config()).requireGroups('movies-group'));
      app.use((ctx) => {
        if (own.vary) ctx.set('Vary', own.vary);
        ctx.set('Cache-Control', own.cacheControl);
        ctx.body = greeting(ctx.state.auth?.username);
      });
      return (headers) => overHttp(app.callback(), headers);
    },
  ],
  [
    'Fastify',
    (own) => {
      const guard = fastifyGuard.cognitoGuard(config());
      return async (headers) => {
        const app = fastify();
        try {
          await app.register(guard.plugin);
          app.get('/movies', { onRequest: guard.requireGroups('movies-group') }, (req, reply) => {
            if (own.vary) reply.header('vary', own.vary);
            reply.header('cache-control', own.cacheControl).send(greeting(req.auth?.username));
          });
          return await overHttp(await app.listen({ port: 0, host: '127.0.0.1' }), headers);
        } finally {
          await app.close();
        }
      };
    },
  ],
  [
    'Hono',
    (own) => {
      const app = new Hono();
      app.use('/movies', honoGuard.cognitoGuard(config()).requireGroups('movies-group'));
      app.get('/movies', (c) => {
        if (own.vary) c.header('Vary', own.vary);
        c.header('Cache-Control', own.cacheControl);
        return c.text(greeting(c.get('auth')?.username));
      });
      return (headers) => overHttp(getRequestListener(app.fetch), headers);
    },
  ],
  [
    'Lambda',
    (own) => {
      const handler = lambdaGuard.cognitoGuard(config()).requireGroups('movies-group')(
        async (_event, context) => ({
          statusCode: 200,
          headers: { 'Cache-Control': own.cacheControl, ...(own.vary ? { Vary: own.vary } : {}) },
          body: greeting(context.auth.username),
        }),
      );
      return async (headers) => {
        const event = restProxyEvent({ method: 'GET', path: '/movies', headers });
        const result = (await handler(event, lambdaContext())) as {
          statusCode: number;
          headers?: Record<string, string>;
          body?: string;
        };
        // As API Gateway sends them on; the cache reads header names in lower case, as Node's.
        const sent = Object.entries(result.headers ?? {}).map(([k, v]) => [k.toLowerCase(), v]);
        return {
          status: result.statusCode,
          headers: Object.fromEntries(sent),
          body: result.body ?? '',
        };
      };
    },
  ],
];

const asked = (headers: Headers) => ({ url: '/movies', method: 'GET', headers });
const tokenOf = (username: string) => issuer.accessToken({ username, groups: ['movies-group'] });

/**
 * Bob's answer, stored by a shared cache: it must be storable (the app's own `Cache-Control` lets
 * it), replayed to bob, and to none of `others`. What `Vary` names is all that keeps it to bob.
 */
async function expectKeptToBob(surface: Surface, bobs: Headers, others: Headers[]) {
  const answer = await surface(bobs);
  expect([answer.status, answer.body]).toEqual([200, greeting('bob')]);
  const stored = new CachePolicy(
    asked(bobs),
    { status: answer.status, headers: answer.headers },
    { shared: true },
  );
  expect(stored.storable()).toBe(true);
  expect(stored.satisfiesWithoutRevalidation(asked(bobs))).toBe(true);
  for (const other of others) expect(stored.satisfiesWithoutRevalidation(asked(other))).toBe(false);
  return answer;
}

describe.each(surfaces)('%s behind a shared cache, with a token in a cookie', (_name, build) => {
  it("replays a caller's answer to that caller only", async () => {
    const surface = build(BROWSERS_ONLY);
    const alices = { cookie: `id=${tokenOf('alice')}` };
    await expectKeptToBob(surface, { cookie: `id=${tokenOf('bob')}` }, [
      {},
      alices,
      { cookie: 'id=forged' },
    ]);
    // Each of those goes to the app, which answers it on its own.
    expect((await surface({})).status).toBe(401);
    expect((await surface(alices)).body).toBe(greeting('alice'));
  });
});

// An app that lets a CDN store its answers (`public`) and names its own `Vary` outright, after the
// guard named the caller's headers there: the guard's fields go back on as the headers are sent.
describe.each(surfaces)(
  '%s behind a shared cache, a public answer with its own Vary',
  (_n, build) => {
    it.each([
      ['Authorization', (token: string): Headers => ({ authorization: `Bearer ${token}` })],
      ['a cookie', (token: string): Headers => ({ cookie: `id=${token}` })],
    ])("replays a caller's answer to that caller only, a token in %s", async (_where, carry) => {
      const surface = build({ cacheControl: 'public, max-age=60', vary: 'Accept-Encoding' });
      const answer = await expectKeptToBob(surface, carry(tokenOf('bob')), [
        {},
        carry(tokenOf('alice')),
      ]);
      // The app's own field stays beside the guard's.
      expect(String(answer.headers['vary']).toLowerCase()).toContain('accept-encoding');
    });
  },
);
