// The movies/shows scenario through real Fastify 4 and 5 servers, real tokens and a real JWKS.

import type { Server } from 'node:http';
import {
  attackBattery,
  createTestIssuer,
  expectedMovieStatus,
  MOVIE_USERS,
  sendRaw,
  type TestIssuer,
} from '@cognito-guard/testing';
import fastify5, { type FastifyInstance } from 'fastify';
import fastify4 from 'fastify4';
import { authPlugin, cognitoGuard, type FastifyGuard } from '../src';

type Factory = typeof fastify5;
const frameworks: [string, Factory][] = [
  ['Fastify 5', fastify5],
  ['Fastify 4', fastify4 as unknown as Factory],
];

const policy = {
  defaultAction: 'deny' as const,
  routes: {
    'GET /movies': { groups: ['movies-group'] },
    'GET /movies/{id}': { groups: ['movies-group'] },
    'GET /shows': { groups: ['shows-group'] },
    'GET /health': { public: true },
  },
};

const user = async (request: { auth?: { username?: string } | undefined }) => ({
  user: request.auth?.username,
});

async function inlineApp(factory: Factory, guard: FastifyGuard) {
  const app = factory();
  await app.register(authPlugin);
  app.get('/health', async () => ({ ok: true }));
  app.get('/movies', { onRequest: guard.requireGroups('movies-group') }, user);
  app.get('/movies/:id', { onRequest: guard.requireGroups('movies-group') }, user);
  app.get('/shows', { preHandler: guard.requireGroups('shows-group') }, user);
  return app;
}

async function policyApp(factory: Factory, guard: FastifyGuard) {
  const app = factory();
  await app.register(authPlugin);
  app.addHook('onRequest', guard.guardRoutes(policy));
  app.get('/health', async () => ({ ok: true }));
  app.get('/movies', user);
  app.get('/movies/:id', user);
  app.get('/shows', user);
  // a catch-all that would leak if the policy could be bypassed
  app.all('/*', async () => ({ leaked: true }));
  return app;
}

async function pluginApp(factory: Factory, guard: FastifyGuard) {
  const app = factory();
  await app.register(authPlugin);
  await app.register(guard.plugin, { policy });
  app.get('/health', async () => ({ ok: true }));
  app.get('/movies', user);
  app.get('/movies/:id', user);
  app.get('/shows', user);
  app.all('/*', async () => ({ leaked: true }));
  return app;
}

async function listen(app: FastifyInstance): Promise<Server> {
  await app.listen({ port: 0, host: '127.0.0.1' });
  return app.server;
}

const bearer = (token: string): [string, string][] => [['Authorization', `Bearer ${token}`]];

describe.each(frameworks)('%s', (_name, factory) => {
  let issuer: TestIssuer;
  let guard: FastifyGuard;
  const apps: FastifyInstance[] = [];
  const token = (name: string) =>
    issuer.accessToken({ username: name, groups: MOVIE_USERS[name as 'alice'] });
  const serve = async (app: Promise<FastifyInstance> | FastifyInstance) => {
    const ready = await app;
    apps.push(ready);
    return listen(ready);
  };

  beforeAll(async () => {
    issuer = await createTestIssuer().start();
    guard = cognitoGuard(issuer.config);
    await guard.ready();
  });
  afterAll(async () => {
    await Promise.all(apps.map((app) => app.close()));
    await issuer.stop();
  });

  describe.each([
    ['per-route hooks', inlineApp],
    ['guardRoutes(policy) as an app hook', policyApp],
    ['the plugin with { policy }', pluginApp],
  ])('%s', (_variant, build) => {
    it.each(Object.keys(MOVIE_USERS))('%s gets the right status on every route', async (name) => {
      const server = await serve(build(factory, guard));
      for (const path of ['/movies', '/shows', '/health'] as const) {
        const status = expectedMovieStatus(MOVIE_USERS[name as 'alice'], path);
        const res = await sendRaw(server, 'GET', path, bearer(token(name)));
        expect([path, res.status]).toEqual([path, status]);
        if (status === 200 && path !== '/health')
          expect(JSON.parse(res.body)).toEqual({ user: name });
        if (status === 403) {
          expect(res.body).toBe('{"message":"Forbidden"}');
          expect(res.headers['www-authenticate']).toMatch(
            /^Bearer realm="api", error="insufficient_scope"/,
          );
          expect(res.headers['content-type']).toBe('application/json; charset=utf-8');
          expect(res.headers['cache-control']).toBe('no-store');
        }
      }
    });

    it('refuses a request without a token with 401 and the bare challenge', async () => {
      const server = await serve(build(factory, guard));
      const res = await sendRaw(server, 'GET', '/movies', []);
      expect([res.status, res.headers['www-authenticate'], res.body]).toEqual([
        401,
        'Bearer realm="api"',
        '{"message":"Unauthorized"}',
      ]);
    });
  });

  it('refuses every attack in the battery with 400 or 401, never a 5xx', async () => {
    const server = await serve(inlineApp(factory, guard));
    for (const attack of attackBattery(issuer)) {
      const res = await sendRaw(server, 'GET', '/movies', attack.headers);
      expect([attack.name, attack.expect.includes(res.status)]).toEqual([attack.name, true]);
    }
    expect((await sendRaw(server, 'GET', '/movies', bearer(token('alice')))).status).toBe(200);
  });

  it('denies paths no route serves under a deny-by-default policy, before the 404', async () => {
    const app = factory();
    app.addHook('onRequest', guard.guardRoutes(policy));
    app.get('/movies', user);
    const server = await serve(app);
    expect((await sendRaw(server, 'GET', '/nowhere', bearer(token('carol')))).status).toBe(403);
    expect((await sendRaw(server, 'GET', '/MOVIES', bearer(token('bob')))).status).toBe(403);
    expect((await sendRaw(server, 'GET', '/movies/', bearer(token('bob')))).status).toBe(403);
  });

  it('rejects register() with the ConfigError naming the route when the policy is invalid', async () => {
    // No plugin timeout to turn a hang into a rejection: only done(err) rejects it.
    const app = factory({ pluginTimeout: 0 });
    const registered = app.register(guard.plugin, { policy: { routes: { 'GET movies': {} } } });
    await expect(registered).rejects.toMatchObject({
      name: 'ConfigError',
      message: expect.stringContaining('routes.GET movies'),
    });
    await app.close();
  });

  it.each([
    {
      given: 'a misspelt policy',
      options: { polcy: { routes: { 'GET /movies': { groups: ['movies-group'] } } } },
      message:
        'Invalid @cognito-guard/fastify plugin options: polcy: is not a known option; did you mean "policy"?',
    },
    {
      given: 'a policy left null',
      options: { policy: null },
      message: 'Invalid route policy: (root): must be object, got null',
    },
  ])(
    'rejects register() given $given, rather than guarding nothing',
    async ({ options, message }) => {
      // Before, either registered no guard at all, and every route answered without a token.
      const app = factory({ pluginTimeout: 0 });
      const registered = app.register(guard.plugin, options as never);
      await expect(registered).rejects.toMatchObject({ name: 'ConfigError', message });
      await app.close();
    },
  );

  it("takes Fastify's register() options beside the policy", async () => {
    const app = factory();
    await app.register(guard.plugin, { policy, prefix: '/ignored', logLevel: 'warn' } as never);
    app.get('/movies', async () => ({ ok: true }));
    const server = await serve(app);
    expect((await sendRaw(server, 'GET', '/movies', [])).status).toBe(401);
    expect((await sendRaw(server, 'GET', '/movies', bearer(token('alice')))).status).toBe(200);
  });

  it('guards routes inside an encapsulated plugin with a prefix', async () => {
    const app = factory();
    await app.register(
      async (child) => {
        child.addHook('onRequest', guard.requireGroups('admins'));
        child.get('/users', async () => ({ users: [] }));
      },
      { prefix: '/admin' },
    );
    app.get('/open', async () => ({ ok: true }));
    const server = await serve(app);
    const admin = issuer.accessToken({ groups: ['admins'] });
    expect((await sendRaw(server, 'GET', '/admin/users', bearer(token('alice')))).status).toBe(403);
    expect((await sendRaw(server, 'GET', '/admin/users', bearer(admin))).status).toBe(200);
    expect((await sendRaw(server, 'GET', '/open', [])).status).toBe(200);
  });

  it("with errors: 'throw', Fastify's own error handler answers with the status and challenge", async () => {
    const throwing = cognitoGuard({ ...issuer.config, errors: 'throw' });
    const app = factory();
    app.get('/movies', { onRequest: throwing.requireGroups('movies-group') }, user);
    const server = await serve(app);
    const forbidden = await sendRaw(server, 'GET', '/movies', bearer(token('bob')));
    expect(forbidden.status).toBe(403);
    expect(forbidden.headers['www-authenticate']).toMatch(/error="insufficient_scope"/);
    const missing = await sendRaw(server, 'GET', '/movies', []);
    expect([missing.status, missing.headers['www-authenticate']]).toEqual([
      401,
      'Bearer realm="api"',
    ]);
    expect(JSON.parse(missing.body)).toMatchObject({ statusCode: 401 });
  });

  it("with errors: 'throw', a custom error handler sees the AuthError", async () => {
    const throwing = cognitoGuard({ ...issuer.config, errors: 'throw' });
    const app = factory();
    app.setErrorHandler(async (error: { statusCode?: number; code?: string }, _req, reply) =>
      reply.code(error.statusCode ?? 500).send({ kind: error.code }),
    );
    app.get('/movies', { onRequest: throwing.requireGroups('movies-group') }, user);
    const server = await serve(app);
    const res = await sendRaw(server, 'GET', '/movies', bearer(token('bob')));
    expect([res.status, JSON.parse(res.body)]).toEqual([403, { kind: 'insufficient_scope' }]);
  });

  it('keeps guarded answers out of shared caches unless the route set its own Cache-Control', async () => {
    const app = factory();
    app.get('/movies', { onRequest: guard.requireGroups('movies-group') }, user);
    app.get('/poster', { onRequest: guard.requireGroups('movies-group') }, async (_req, reply) => {
      reply.header('Cache-Control', 'public, max-age=60');
      reply.header('Vary', 'Accept');
      return { ok: true };
    });
    app.get('/health', { onRequest: guard.authenticate({ optional: true }) }, async () => 'ok');
    const server = await serve(app);
    const movies = await sendRaw(server, 'GET', '/movies', bearer(token('alice')));
    expect([movies.headers['cache-control'], movies.headers['vary']]).toEqual([
      'private',
      'Authorization',
    ]);
    const poster = await sendRaw(server, 'GET', '/poster', bearer(token('alice')));
    expect(poster.headers['cache-control']).toBe('public, max-age=60');
    const anonymous = await sendRaw(server, 'GET', '/health', []);
    expect([anonymous.status, anonymous.headers['cache-control']]).toEqual([200, undefined]);
  });

  it('adds Authorization to a Vary an earlier hook set (a CORS plugin, say), keeping it', async () => {
    const app = factory();
    app.addHook('onRequest', async (_req, reply) => {
      reply.header('Vary', 'Origin');
    });
    app.get('/movies', { onRequest: guard.requireGroups('movies-group') }, user);
    const server = await serve(app);
    const movies = await sendRaw(server, 'GET', '/movies', bearer(token('alice')));
    expect([movies.status, movies.headers['vary']]).toEqual([200, 'Origin, Authorization']);
  });

  it('stacks an app-wide and two per-route guards, and sets request.auth', async () => {
    const app = factory();
    await app.register(authPlugin);
    app.addHook('onRequest', guard.authenticate());
    app.get(
      '/movies',
      { preHandler: [guard.requireGroups('movies-group'), guard.requireScopes('movies/read')] },
      async (request) => ({ user: request.auth?.username, groups: request.auth?.groups }),
    );
    const server = await serve(app);
    const alice = issuer.accessToken({
      username: 'alice',
      groups: ['movies-group'],
      scopes: ['movies/read'],
    });
    const res = await sendRaw(server, 'GET', '/movies', bearer(alice));
    expect([res.status, JSON.parse(res.body)]).toEqual([
      200,
      { user: 'alice', groups: ['movies-group'] },
    ]);
    const noScope = await sendRaw(server, 'GET', '/movies', bearer(token('alice')));
    expect(noScope.status).toBe(403);
    expect(noScope.headers['www-authenticate']).toMatch(/scope="movies\/read"/);
  });

  it('rejects bad adapter options at start-up, naming the field', () => {
    expect(() => cognitoGuard({ ...issuer.config, errors: 'next' as 'throw' })).toThrow(/errors/);
  });
});
