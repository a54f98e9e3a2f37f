// The movies/shows scenario through real Koa 2 and 3 apps with @koa/router, real tokens and a real JWKS.

import {
  createTestIssuer,
  expectedMovieStatus,
  MOVIE_USERS,
  type TestIssuer,
} from '@cognito-guard/testing';
import Router from '@koa/router';
import Koa from 'koa';
import Koa2 from 'koa2';
import request from 'supertest';
import { cognitoGuard, type KoaGuard } from '../src';

const policy = {
  routes: {
    'GET /movies': { groups: ['movies-group'] },
    'GET /movies/{id}': { groups: ['movies-group'] },
    'GET /shows': { groups: ['shows-group'] },
    'GET /health': { public: true },
  },
};

const frameworks: [string, typeof Koa][] = [
  ['Koa 3', Koa],
  ['Koa 2', Koa2 as unknown as typeof Koa],
];

function routerApp(KoaClass: typeof Koa, guard: KoaGuard) {
  const app = new KoaClass();
  const router = new Router();
  router.get('/health', (ctx) => {
    ctx.body = { ok: true };
  });
  router.get('/movies', guard.requireGroups('movies-group'), (ctx) => {
    ctx.body = { user: ctx.state.auth?.username };
  });
  router.get('/shows', guard.requireGroups('shows-group'), (ctx) => {
    ctx.body = { user: ctx.state.auth?.username };
  });
  app.use(router.routes());
  return app;
}

function policyApp(KoaClass: typeof Koa, guard: KoaGuard) {
  const app = new KoaClass();
  const router = new Router();
  app.use(guard.guardRoutes(policy));
  router.get('/health', (ctx) => {
    ctx.body = { ok: true };
  });
  router.get('/movies', (ctx) => {
    ctx.body = { user: ctx.state.auth?.username };
  });
  router.get('/movies/:id', (ctx) => {
    ctx.body = { id: ctx.params['id'] };
  });
  router.get('/shows', (ctx) => {
    ctx.body = { user: ctx.state.auth?.username };
  });
  app.use(router.routes());
  app.use((ctx) => {
    ctx.body = { leaked: true };
  });
  return app;
}

describe.each(frameworks)('%s', (_name, KoaClass) => {
  let issuer: TestIssuer;
  let guard: KoaGuard;
  const users: Record<string, readonly string[]> = MOVIE_USERS;
  const routes = ['/movies', '/shows', '/health'] as const;
  const token = (user: string) => issuer.accessToken({ username: user, groups: users[user] });

  beforeAll(async () => {
    issuer = await createTestIssuer().start();
    guard = cognitoGuard(issuer.config);
    await guard.ready();
  });
  afterAll(() => issuer.stop());

  describe.each([
    ['router guards', routerApp],
    ['guardRoutes(policy)', policyApp],
  ])('%s', (_variant, build) => {
    it.each(Object.keys(users))('%s gets the right status on every route', async (user) => {
      const server = build(KoaClass, guard).callback();
      for (const path of routes) {
        const status = expectedMovieStatus(users[user] ?? [], path);
        const res = await request(server)
          .get(path)
          .set('Authorization', `Bearer ${token(user)}`);
        expect([path, res.status]).toEqual([path, status]);
        if (status === 200 && path !== '/health') expect(res.body).toEqual({ user });
        if (status === 403) {
          expect(res.body).toEqual({ message: 'Forbidden' });
          expect(res.headers['www-authenticate']).toMatch(
            /^Bearer realm="api", error="insufficient_scope"/,
          );
        }
      }
    });

    it('refuses missing, malformed, invalid, expired and wrong-token_use tokens as the core table says', async () => {
      const server = build(KoaClass, guard).callback();
      const cases: [string, Record<string, string>, number, RegExp, unknown][] = [
        ['missing', {}, 401, /^Bearer realm="api"$/, { message: 'Unauthorized' }],
        [
          'Bearer without token',
          { Authorization: 'Bearer ' },
          400,
          /error="invalid_request"/,
          { message: 'Bad Request' },
        ],
        [
          'two tokens',
          { Authorization: `Bearer ${token('alice')}, Bearer ${token('bob')}` },
          400,
          /error="invalid_request"/,
          { message: 'Bad Request' },
        ],
        [
          'garbage',
          { Authorization: 'Bearer a.b.c' },
          401,
          /error="invalid_token"/,
          { message: 'Unauthorized' },
        ],
        [
          'foreign key',
          { Authorization: `Bearer ${issuer.brokenToken('foreign-key')}` },
          401,
          /error_description="The token signature is invalid"/,
          { message: 'Unauthorized' },
        ],
        [
          'expired',
          { Authorization: `Bearer ${issuer.brokenToken('expired')}` },
          401,
          /error_description="The token has expired"/,
          { message: 'The incoming token has expired' },
        ],
        [
          'ID token',
          { Authorization: `Bearer ${issuer.idToken({ groups: ['movies-group'] })}` },
          401,
          /error_description="Expected access token"/,
          { message: 'Unauthorized' },
        ],
      ];
      for (const [label, headers, status, challenge, body] of cases) {
        const res = await request(server).get('/movies').set(headers);
        expect([label, res.status, res.body]).toEqual([label, status, body]);
        expect(res.headers['www-authenticate']).toMatch(challenge);
      }
    });
  });

  it('cannot be bypassed through path tricks', async () => {
    const server = policyApp(KoaClass, guard).callback();
    const bob = token('bob');
    for (const path of [
      '/MOVIES',
      '/Movies/',
      '/movies/',
      '/mo%76ies',
      '/movies/1',
      '/movies?x=1',
    ]) {
      const res = await request(server).get(path).set('Authorization', `Bearer ${bob}`);
      expect([path, res.status]).toEqual([path, 403]);
    }
    for (const path of ['//movies', '/health/../movies', '/health/%2E%2E/movies']) {
      const res = await request(server).get(path).set('Authorization', `Bearer ${bob}`);
      expect([path, res.status]).toEqual([path, 400]);
    }
    expect(
      (await request(server).head('/movies').set('Authorization', `Bearer ${bob}`)).status,
    ).toBe(403);
    expect(
      (
        await request(server)
          .head('/movies')
          .set('Authorization', `Bearer ${token('alice')}`)
      ).status,
    ).toBe(200);
    expect(
      (
        await request(server)
          .get('/elsewhere')
          .set('Authorization', `Bearer ${token('carol')}`)
      ).status,
    ).toBe(403);
  });

  it("with errors: 'throw', hands the error to the app's error middleware", async () => {
    const throwing = cognitoGuard({ ...issuer.config, errors: 'throw' });
    const app = new KoaClass();
    app.use(async (ctx, next) => {
      try {
        await next();
      } catch (err) {
        const e = err as {
          status: number;
          headers: Record<string, string>;
          reason: string;
          expose: boolean;
        };
        ctx.status = e.status;
        ctx.set(e.headers);
        ctx.body = { custom: true, reason: e.reason, expose: e.expose };
      }
    });
    const router = new Router();
    router.get('/movies', throwing.requireGroups('movies-group'), (ctx) => {
      ctx.body = {};
    });
    app.use(router.routes());
    const res = await request(app.callback())
      .get('/movies')
      .set('Authorization', `Bearer ${token('bob')}`);
    expect(res.status).toBe(403);
    expect(res.body).toEqual({ custom: true, reason: 'group_missing', expose: true });
    expect(res.headers['www-authenticate']).toMatch(/insufficient_scope/);
  });

  it("with errors: 'throw', Koa's own onerror renders status, headers and the exposed message", async () => {
    const throwing = cognitoGuard({ ...issuer.config, errors: 'throw' });
    const app = new KoaClass();
    app.silent = true;
    app.use(throwing.requireGroups('movies-group'));
    const res = await request(app.callback()).get('/movies');
    expect(res.status).toBe(401);
    expect(res.headers['www-authenticate']).toBe('Bearer realm="api"');
    expect(res.text).toBe('Unauthorized');
  });

  it('never passes a tokenless CORS preflight to later middleware', async () => {
    const app = new KoaClass();
    app.use(guard.guardRoutes({ routes: { 'GET /movies': { groups: ['movies-group'] } } }));
    let reached = 0;
    app.use((ctx) => {
      reached++;
      ctx.body = { secret: true };
    });
    await request(app.callback())
      .options('/movies')
      .set('Origin', 'https://a.example')
      .set('Access-Control-Request-Method', 'GET')
      .expect(401);
    await request(app.callback()).options('/movies').expect(401);
    expect(reached).toBe(0);
    // An explicit public OPTIONS route is the policy's way to let preflights through.
    const open = new KoaClass();
    open.use(
      guard.guardRoutes({
        routes: {
          'GET /movies': { groups: ['movies-group'] },
          'OPTIONS /movies': { public: true },
        },
      }),
    );
    open.use((ctx) => {
      ctx.status = 204;
    });
    await request(open.callback())
      .options('/movies')
      .set('Origin', 'https://a.example')
      .set('Access-Control-Request-Method', 'GET')
      .expect(204);
    await request(open.callback()).get('/movies').expect(401);
  });

  it('chains authenticate() with a router guard and ignores a forged ctx.state.auth', async () => {
    const app = new KoaClass();
    app.use(async (ctx, next) => {
      if (ctx.get('x-forge')) (ctx.state as { auth?: unknown }).auth = { groups: ['movies-group'] };
      await next();
    });
    const router = new Router();
    router.get('/me', guard.authenticate(), guard.requireGroups('movies-group'), (ctx) => {
      ctx.body = { sub: ctx.state.auth?.sub };
    });
    app.use(router.routes());
    const server = app.callback();
    await request(server)
      .get('/me')
      .set('Authorization', `Bearer ${token('alice')}`)
      .expect(200);
    await request(server).get('/me').set('x-forge', '1').expect(401);
  });

  it('a second guard reuses the principal the first built, rather than verifying again', async () => {
    // Without a cache, a second verification would build another principal.
    const uncached = cognitoGuard({ ...issuer.config, cache: false });
    const app = new KoaClass();
    const router = new Router();
    let first: unknown;
    router.get(
      '/me',
      uncached.authenticate(),
      (ctx, next) => {
        first = ctx.state.auth;
        return next();
      },
      uncached.requireGroups('movies-group'),
      (ctx) => {
        ctx.body = { same: ctx.state.auth === first && first !== undefined };
      },
    );
    app.use(router.routes());
    const res = await request(app.callback())
      .get('/me')
      .set('Authorization', `Bearer ${token('alice')}`)
      .expect(200);
    expect(res.body).toEqual({ same: true });
  });

  it('authenticate({ optional: true }) lets anonymous requests through but refuses bad tokens', async () => {
    const app = new KoaClass();
    app.use(guard.authenticate({ optional: true }));
    app.use((ctx) => {
      ctx.body = { user: ctx.state.auth?.username ?? null };
    });
    const server = app.callback();
    expect((await request(server).get('/feed').expect(200)).body).toEqual({ user: null });
    expect(
      (
        await request(server)
          .get('/feed')
          .set('Authorization', `Bearer ${token('bob')}`)
          .expect(200)
      ).body,
    ).toEqual({ user: 'bob' });
    await request(server).get('/feed').set('Authorization', 'Bearer x.y.z').expect(401);
  });

  it('answers 503 when the keys endpoint is down', async () => {
    const down = await createTestIssuer().start();
    const downGuard = cognitoGuard(down.config);
    const t = down.accessToken({ groups: ['movies-group'] });
    await down.stop();
    const res = await request(routerApp(KoaClass, downGuard).callback())
      .get('/movies')
      .set('Authorization', `Bearer ${t}`);
    expect(res.status).toBe(503);
    expect(res.body).toEqual({ message: 'Service Unavailable' });
    expect(res.headers['retry-after']).toMatch(/^\d+$/);
  });

  it('fetches the keys once across many concurrent first requests', async () => {
    const fresh = await createTestIssuer().start();
    try {
      const freshGuard = cognitoGuard(fresh.config);
      const server = routerApp(KoaClass, freshGuard).listen(0);
      try {
        const tokens = Array.from({ length: 40 }, (_, i) =>
          fresh.accessToken({ username: `u${i}`, groups: ['movies-group'] }),
        );
        const results = await Promise.all(
          tokens.map((t) => request(server).get('/movies').set('Authorization', `Bearer ${t}`)),
        );
        expect(results.map((r) => r.status)).toEqual(tokens.map(() => 200));
        expect(fresh.jwksRequests).toBe(1);
      } finally {
        server.close();
      }
    } finally {
      await fresh.stop();
    }
  });
});
