// The movies/shows scenario through one Hono app, served by @hono/node-server (a container) and by
// hono/aws-lambda (a Lambda behind REST and HTTP APIs), with real tokens and a real JWKS.

import type { Server } from 'node:http';
import {
  attackBattery,
  createTestIssuer,
  expectedMovieStatus,
  httpApiEvent,
  lambdaContext,
  MOVIE_USERS,
  restProxyEvent,
  sendRaw,
  type TestIssuer,
} from '@cognito-guard/testing';
import { serve } from '@hono/node-server';
import { type Context, Hono } from 'hono';
import { handle } from 'hono/aws-lambda';
import { cognitoGuard, type HonoGuard, isAuthError } from '../src';

const policy = {
  defaultAction: 'deny' as const,
  routes: {
    'GET /movies': { groups: ['movies-group'] },
    'GET /movies/{id}': { groups: ['movies-group'] },
    'GET /shows': { groups: ['shows-group'] },
    'GET /health': { public: true },
  },
};

function inlineApp(guard: HonoGuard) {
  const app = new Hono();
  app.get('/health', (c) => c.json({ ok: true }));
  app.get('/movies', guard.requireGroups('movies-group'), (c) =>
    c.json({ user: c.get('auth')?.username }),
  );
  app.use('/shows/*', guard.requireGroups('shows-group'));
  app.get('/shows', (c) => c.json({ user: c.get('auth')?.username }));
  return app;
}

function policyApp(guard: HonoGuard) {
  const app = new Hono();
  app.use(guard.guardRoutes(policy));
  app.get('/health', (c) => c.json({ ok: true }));
  app.get('/movies', (c) => c.json({ user: c.get('auth')?.username }));
  app.get('/shows', (c) => c.json({ user: c.get('auth')?.username }));
  // a catch-all that would leak if the policy could be bypassed
  app.all('*', (c) => c.json({ leaked: true }));
  return app;
}

interface Answer {
  readonly status: number;
  readonly headers: Readonly<Record<string, string | undefined>>;
  readonly body: string;
}

type Send = (method: string, path: string, headers: [string, string][]) => Promise<Answer>;

const servers: Server[] = [];
afterAll(() => Promise.all(servers.map((s) => new Promise((r) => s.close(r)))));

async function overNode(app: Hono): Promise<Send> {
  const server = await new Promise<Server>((resolve) => {
    const s = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, () =>
      resolve(s as Server),
    );
  });
  servers.push(server);
  return async (method, path, headers) => {
    const res = await sendRaw(server, method, path, headers);
    return { status: res.status, headers: res.headers, body: res.body };
  };
}

function overLambda(app: Hono, build: typeof restProxyEvent): Send {
  const handler = handle(app);
  return async (method, path, headers) => {
    const event = build({ method, path, headers: Object.fromEntries(headers) });
    const res = (await handler(event as never, lambdaContext() as never)) as {
      statusCode: number;
      headers?: Record<string, string>;
      multiValueHeaders?: Record<string, string[]>;
      body: string;
    };
    // REST API (payload 1.0) answers carry multiValueHeaders, HTTP API answers headers.
    const lower = Object.fromEntries([
      ...Object.entries(res.headers ?? {}).map(([k, v]) => [k.toLowerCase(), v]),
      ...Object.entries(res.multiValueHeaders ?? {}).map(([k, v]) => [
        k.toLowerCase(),
        v.join(', '),
      ]),
    ]);
    return { status: res.statusCode, headers: lower, body: res.body };
  };
}

const bearer = (token: string): [string, string][] => [['Authorization', `Bearer ${token}`]];

describe('Hono', () => {
  let issuer: TestIssuer;
  let guard: HonoGuard;
  const token = (name: string) =>
    issuer.accessToken({ username: name, groups: MOVIE_USERS[name as 'alice'] });

  beforeAll(async () => {
    issuer = await createTestIssuer().start();
    guard = cognitoGuard(issuer.config);
    await guard.ready();
  });
  afterAll(() => issuer.stop());

  const transports: [string, (app: Hono) => Send | Promise<Send>][] = [
    ['@hono/node-server', overNode],
    ['hono/aws-lambda, REST API event', (app) => overLambda(app, restProxyEvent)],
    [
      'hono/aws-lambda, HTTP API event',
      (app) => overLambda(app, httpApiEvent as unknown as typeof restProxyEvent),
    ],
  ];

  describe.each(transports)('on %s', (_transport, over) => {
    it.each([
      ['per-route guards and app.use', inlineApp],
      ['guardRoutes(policy)', policyApp],
    ])('%s: every user gets the right status on every route', async (_variant, build) => {
      const send = await over(build(guard));
      for (const name of Object.keys(MOVIE_USERS)) {
        for (const path of ['/movies', '/shows', '/health'] as const) {
          const status = expectedMovieStatus(MOVIE_USERS[name as 'alice'], path);
          const res = await send('GET', path, bearer(token(name)));
          expect([name, path, res.status]).toEqual([name, path, status]);
          if (status === 200 && path !== '/health')
            expect(JSON.parse(res.body)).toEqual({ user: name });
          if (status === 403) {
            expect(res.body).toBe('{"message":"Forbidden"}');
            expect(res.headers['www-authenticate']).toMatch(
              /^Bearer realm="api", error="insufficient_scope"/,
            );
            expect(res.headers['content-type']).toBe('application/json; charset=utf-8');
          }
        }
      }
      const missing = await send('GET', '/movies', []);
      expect([missing.status, missing.headers['www-authenticate'], missing.body]).toEqual([
        401,
        'Bearer realm="api"',
        '{"message":"Unauthorized"}',
      ]);
    });

    it('denies paths no route serves under a deny-by-default policy', async () => {
      const send = await over(policyApp(guard));
      expect((await send('GET', '/nowhere', bearer(token('carol')))).status).toBe(403);
      expect((await send('GET', '/MOVIES', bearer(token('bob')))).status).toBe(403);
    });

    it('keeps guarded answers out of shared caches unless the route set its own', async () => {
      const app = new Hono();
      app.get('/movies', guard.requireGroups('movies-group'), (c) => c.json({ ok: true }));
      app.get('/poster', guard.requireGroups('movies-group'), (c) => {
        c.header('Cache-Control', 'public, max-age=60');
        return c.json({ ok: true });
      });
      const send = await over(app);
      const movies = await send('GET', '/movies', bearer(token('alice')));
      expect([movies.headers['cache-control'], movies.headers['vary']]).toEqual([
        'private',
        'Authorization',
      ]);
      const poster = await send('GET', '/poster', bearer(token('alice')));
      expect(poster.headers['cache-control']).toBe('public, max-age=60');
    });

    it('authenticate() refuses a caller without a token; with { optional: true } lets one through, unmarked', async () => {
      const app = new Hono();
      const user = (c: Context) => c.json({ user: c.get('auth')?.username ?? null });
      app.get('/me', guard.authenticate(), user);
      app.get('/feed', guard.authenticate({ optional: true }), user);
      const send = await over(app);
      const expired = bearer(issuer.brokenToken('expired'));
      const answer = async (path: string, headers: [string, string][]) => {
        const res = await send('GET', path, headers);
        const { status, body } = res;
        return [status, body, res.headers['cache-control'], res.headers['vary']];
      };
      const missing = [401, '{"message":"Unauthorized"}', 'no-store', undefined];
      const stale = [401, '{"message":"The incoming token has expired"}', 'no-store', undefined];
      const alice = [200, '{"user":"alice"}', 'private', 'Authorization'];
      expect(await answer('/me', [])).toEqual(missing);
      expect(await answer('/me', bearer(token('alice')))).toEqual(alice);
      expect(await answer('/me', expired)).toEqual(stale);
      // An anonymous answer is for no one, so nothing marks it private; a bad token still fails.
      expect(await answer('/feed', [])).toEqual([200, '{"user":null}', undefined, undefined]);
      expect(await answer('/feed', bearer(token('alice')))).toEqual(alice);
      expect(await answer('/feed', expired)).toEqual(stale);
    });
  });

  it('refuses every attack in the battery with 400 or 401 over a real socket, never a 5xx', async () => {
    const app = inlineApp(guard);
    const server = await new Promise<Server>((resolve) => {
      const s = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, () =>
        resolve(s as Server),
      );
    });
    servers.push(server);
    for (const attack of attackBattery(issuer)) {
      const res = await sendRaw(server, 'GET', '/movies', attack.headers);
      expect([attack.name, attack.expect.includes(res.status)]).toEqual([attack.name, true]);
    }
    const alice = token('alice');
    const twice = await sendRaw(server, 'GET', '/movies', [...bearer(alice), ...bearer(alice)]);
    expect(twice.status).toBe(400);
    expect((await sendRaw(server, 'GET', '/movies', bearer(alice))).status).toBe(200);
  });

  it("with errors: 'throw', Hono's default error handler answers with the denial", async () => {
    const throwing = cognitoGuard({ ...issuer.config, errors: 'throw' });
    const app = new Hono();
    app.get('/movies', throwing.requireGroups('movies-group'), (c) => c.json({ ok: true }));
    const res = await app.request('/movies', {
      headers: { Authorization: `Bearer ${token('bob')}` },
    });
    expect([
      res.status,
      res.headers
        .get('www-authenticate')
        ?.startsWith('Bearer realm="api", error="insufficient_scope"'),
    ]).toEqual([403, true]);
    expect(await res.text()).toBe('{"message":"Forbidden"}');
  });

  it("with errors: 'throw', app.onError sees the AuthError as the exception's cause", async () => {
    const throwing = cognitoGuard({ ...issuer.config, errors: 'throw' });
    const app = new Hono();
    app.onError((err, c) => {
      const cause = (err as { cause?: unknown }).cause;
      return c.json({ kind: isAuthError(cause) ? cause.code : 'other' }, 418);
    });
    app.get('/movies', throwing.requireGroups('movies-group'), (c) => c.json({ ok: true }));
    const res = await app.request('/movies');
    expect([res.status, await res.json()]).toEqual([418, { kind: undefined }]);
    const bob = await app.request('/movies', {
      headers: { Authorization: `Bearer ${token('bob')}` },
    });
    expect([bob.status, await bob.json()]).toEqual([418, { kind: 'insufficient_scope' }]);
  });

  it('on hono/aws-lambda, reads the route API Gateway selected beside a custom domain’s base path', async () => {
    // A REST API behind a custom domain mapped at /v1: `path` keeps the base path, which the app
    // routes by; `resource`, what API Gateway selected, does not. The Lambda guard reads both.
    const app = new Hono();
    app.use(
      guard.guardRoutes({
        defaultAction: 'allow',
        routes: { 'GET /admin': { groups: ['admins'] } },
      }),
    );
    app.get('/v1/admin', (c) => c.json({ reached: true }));
    const handler = handle(app);
    const send = async (event: object) =>
      ((await handler(event as never, lambdaContext() as never)) as { statusCode: number })
        .statusCode;
    expect(await send(restProxyEvent({ path: '/v1/admin', resource: '/admin' }))).toBe(401);
    const alice = token('alice');
    expect(
      await send(restProxyEvent({ path: '/v1/admin', resource: '/admin', token: alice })),
    ).toBe(403);
    expect(await send(httpApiEvent({ path: '/v1/admin', routeKey: 'GET /admin' }))).toBe(401);
    const admin = issuer.accessToken({ groups: ['admins'] });
    expect(
      await send(httpApiEvent({ path: '/v1/admin', routeKey: 'GET /admin', token: admin })),
    ).toBe(200);
    // A route the policy does not name adds nothing.
    expect(await send(httpApiEvent({ path: '/v1/admin', routeKey: '$default' }))).toBe(200);
  });

  it('rejects bad adapter options at start-up, naming the field', () => {
    expect(() => cognitoGuard({ ...issuer.config, errors: 'next' as 'throw' })).toThrow(/errors/);
  });
});
