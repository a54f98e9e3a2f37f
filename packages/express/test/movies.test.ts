// The movies/shows scenario through real Express 4 and 5 servers, real tokens and a real JWKS.

import type { Server } from 'node:http';
import { connect } from 'node:net';
import {
  createTestIssuer,
  expectedMovieStatus,
  MOVIE_USERS,
  type TestIssuer,
} from '@cognito-guard/testing';
import express5 from 'express';
import express4 from 'express4';
import request from 'supertest';
import { cognitoGuard, type ExpressGuard } from '../src';

const policy = {
  defaultAction: 'deny' as const,
  routes: {
    'GET /movies': { groups: ['movies-group'] },
    'GET /movies/{id}': { groups: ['movies-group'] },
    'GET /shows': { groups: ['shows-group'] },
    'GET /health': { public: true },
  },
};

type ExpressFactory = typeof express5;
const frameworks: [string, ExpressFactory][] = [
  ['Express 5', express5],
  ['Express 4', express4 as unknown as ExpressFactory],
];

function inlineApp(factory: ExpressFactory, guard: ExpressGuard) {
  const app = factory();
  app.get('/health', (_req, res) => void res.json({ ok: true }));
  app.get(
    '/movies',
    guard.requireGroups('movies-group'),
    (req, res) => void res.json({ user: req.auth?.username }),
  );
  app.get(
    '/movies/:id',
    guard.requireGroups('movies-group'),
    (req, res) => void res.json({ id: req.params['id'] }),
  );
  app.get(
    '/shows',
    guard.requireGroups('shows-group'),
    (req, res) => void res.json({ user: req.auth?.username }),
  );
  return app;
}

function policyApp(factory: ExpressFactory, guard: ExpressGuard) {
  const app = factory();
  app.use(guard.guardRoutes(policy));
  app.get('/health', (_req, res) => void res.json({ ok: true }));
  app.get('/movies', (req, res) => void res.json({ user: req.auth?.username }));
  app.get('/movies/:id', (req, res) => void res.json({ id: req.params['id'] }));
  app.get('/shows', (req, res) => void res.json({ user: req.auth?.username }));
  // a catch-all that would leak if the policy could be bypassed
  app.use((_req, res) => void res.status(200).json({ leaked: true }));
  return app;
}

describe.each(frameworks)('%s', (_name, factory) => {
  let issuer: TestIssuer;
  let guard: ExpressGuard;
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
    ['inline requireGroups', inlineApp],
    ['guardRoutes(policy)', policyApp],
  ])('%s', (_variant, build) => {
    it.each(Object.keys(users))('%s gets the right status on every route', async (user) => {
      const app = build(factory, guard);
      for (const path of routes) {
        const status = expectedMovieStatus(users[user] ?? [], path);
        const res = await request(app)
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
      const app = build(factory, guard);
      const cases: [string, Record<string, string>, number, RegExp, unknown][] = [
        ['missing', {}, 401, /^Bearer realm="api"$/, { message: 'Unauthorized' }],
        [
          'another scheme',
          { Authorization: 'Basic dXNlcjpwYXNz' },
          401,
          /^Bearer realm="api"$/,
          { message: 'Unauthorized' },
        ],
        [
          'Bearer without token',
          { Authorization: 'Bearer' },
          400,
          /error="invalid_request"/,
          { message: 'Bad Request' },
        ],
        [
          'two tokens',
          { Authorization: `Bearer ${token('alice')} ${token('alice')}` },
          400,
          /error="invalid_request"/,
          { message: 'Bad Request' },
        ],
        [
          'garbage',
          { Authorization: 'Bearer not.a.jwt' },
          401,
          /error="invalid_token", error_description="The token is not a well-formed JWT"/,
          { message: 'Unauthorized' },
        ],
        [
          'tampered',
          { Authorization: `Bearer ${issuer.brokenToken('tampered')}` },
          401,
          /error="invalid_token", error_description="The token signature is invalid"/,
          { message: 'Unauthorized' },
        ],
        [
          'expired',
          {
            Authorization: `Bearer ${issuer.brokenToken('expired', { groups: ['movies-group'] })}`,
          },
          401,
          /error="invalid_token", error_description="The token has expired"/,
          { message: 'The incoming token has expired' },
        ],
        [
          'ID token where access is required',
          { Authorization: `Bearer ${issuer.idToken({ groups: ['movies-group'] })}` },
          401,
          /error="invalid_token", error_description="Expected access token"/,
          { message: 'Unauthorized' },
        ],
      ];
      for (const [label, headers, status, challenge, body] of cases) {
        const res = await request(app).get('/movies').set(headers);
        expect([label, res.status, res.body]).toEqual([label, status, body]);
        expect(res.headers['www-authenticate']).toMatch(challenge);
        expect(res.headers['content-type']).toMatch(/^application\/json/);
      }
    });

    it('accepts a bare JWT and a lower-case scheme', async () => {
      const app = build(factory, guard);
      await request(app).get('/movies').set('Authorization', token('alice')).expect(200);
      await request(app)
        .get('/movies')
        .set('Authorization', `bearer ${token('alice')}`)
        .expect(200);
    });

    it('refuses several Authorization headers with 400, never first-one-wins', async () => {
      const server = build(factory, guard).listen(0);
      try {
        // Node keeps only the first Authorization header in req.headers; the raw list has both.
        const status = await rawStatus(server, [
          `Authorization: Bearer ${token('alice')}`,
          `authorization: Bearer ${token('bob')}`,
        ]);
        expect(status).toBe(400);
      } finally {
        server.close();
      }
    });
  });

  it('cannot be bypassed through path tricks', async () => {
    const app = policyApp(factory, guard);
    const bob = token('bob');
    for (const path of [
      '/MOVIES',
      '/Movies/',
      '/movies/',
      '/mo%76ies',
      '/movies/1',
      '/Movies/1/',
      '/movies?x=1',
      '/%6Dovies',
    ]) {
      const res = await request(app).get(path).set('Authorization', `Bearer ${bob}`);
      expect([path, res.status]).toEqual([path, 403]);
    }
    for (const path of ['//movies', '/health/../movies', '/health/%2e%2e/movies', '/./movies']) {
      const res = await request(app).get(path).set('Authorization', `Bearer ${bob}`);
      expect([path, res.status]).toEqual([path, 400]);
    }
    const head = await request(app).head('/movies').set('Authorization', `Bearer ${bob}`);
    expect(head.status).toBe(403);
    const headAlice = await request(app)
      .head('/movies')
      .set('Authorization', `Bearer ${token('alice')}`);
    expect(headAlice.status).toBe(200);
    const unmatched = await request(app)
      .get('/secret')
      .set('Authorization', `Bearer ${token('carol')}`);
    expect(unmatched.status).toBe(403);
  });

  it('never passes a tokenless CORS preflight to handlers; CORS middleware in front answers it', async () => {
    const app = factory();
    app.use(guard.requireGroups('movies-group'));
    let reached = 0;
    app.all('/movies', (_req, res) => {
      reached++;
      res.json({ secret: true });
    });
    const preflight = await request(app)
      .options('/movies')
      .set('Origin', 'https://app.example.com')
      .set('Access-Control-Request-Method', 'GET');
    expect(preflight.status).toBe(401);
    expect(reached).toBe(0);
    // The documented set-up: CORS middleware before the guard answers preflights itself.
    const withCors = factory();
    withCors.use((req, res, next) => {
      if (req.method === 'OPTIONS' && req.headers['access-control-request-method']) {
        res.setHeader('Access-Control-Allow-Origin', '*');
        return void res.status(204).end();
      }
      next();
    });
    withCors.use(guard.requireGroups('movies-group'));
    withCors.all('/movies', (_req, res) => {
      reached++;
      res.json({ secret: true });
    });
    await request(withCors)
      .options('/movies')
      .set('Origin', 'https://app.example.com')
      .set('Access-Control-Request-Method', 'GET')
      .expect(204);
    expect(reached).toBe(0);
    expect(() =>
      cognitoGuard({ ...issuer.config, allowCorsPreflight: true } as Parameters<
        typeof cognitoGuard
      >[0]),
    ).toThrow(/allowCorsPreflight: was removed/);
  });

  it("with errors: 'next', hands the error to the app's error handler", async () => {
    const viaNext = cognitoGuard({ ...issuer.config, errors: 'next' });
    const app = factory();
    app.get('/movies', viaNext.requireGroups('movies-group'), (_req, res) => void res.json({}));
    app.use(
      (
        err: { status: number; headers: Record<string, string>; reason: string; expose: boolean },
        _req: unknown,
        res: express5.Response,
        _next: unknown,
      ) => {
        res
          .status(err.status)
          .set(err.headers)
          .json({ custom: true, reason: err.reason, expose: err.expose });
      },
    );
    const res = await request(app)
      .get('/movies')
      .set('Authorization', `Bearer ${token('bob')}`);
    expect(res.status).toBe(403);
    expect(res.body).toEqual({ custom: true, reason: 'group_missing', expose: true });
    expect(res.headers['www-authenticate']).toMatch(/insufficient_scope/);
    const missing = await request(app).get('/movies');
    expect(missing.body).toEqual({ custom: true, reason: 'token_missing', expose: true });
  });

  it("with errors: 'next', Express's default handler already renders status and headers", async () => {
    const viaNext = cognitoGuard({ ...issuer.config, errors: 'next' });
    const app = factory();
    app.get('/movies', viaNext.requireGroups('movies-group'), (_req, res) => void res.json({}));
    const res = await request(app).get('/movies');
    expect(res.status).toBe(401);
    expect(res.headers['www-authenticate']).toBe('Bearer realm="api"');
  });

  it("with errors: 'next', an error handler that calls next() resumes routing (README, Express)", async () => {
    // Pinned Express behaviour, which the guard cannot prevent: an error handler must end the
    // request or pass the error on. Mounted last, as usual, a swallowed error ends in a 404.
    const viaNext = cognitoGuard({ ...issuer.config, errors: 'next' });
    const swallow = (_err: unknown, _req: unknown, _res: unknown, next: () => void) => next();
    const reached: string[] = [];
    const app = factory();
    app.use(viaNext.requireGroups('movies-group'));
    app.use(swallow);
    app.get('/movies', (_req, res) => {
      reached.push('movies');
      res.json({});
    });
    const last = factory();
    last.use(viaNext.requireGroups('movies-group'));
    last.get('/movies', (_req, res) => {
      reached.push('last');
      res.json({});
    });
    last.use(swallow);
    expect((await request(app).get('/movies')).status).toBe(200);
    expect((await request(last).get('/movies')).status).toBe(404);
    expect(reached).toEqual(['movies']);
  });

  it('chains: authenticate() then a group check reuses req.auth without verifying again', async () => {
    const app = factory();
    app.use(guard.authenticate());
    app.get(
      '/movies',
      guard.requireGroups('movies-group'),
      (req, res) => void res.json({ sub: req.auth?.sub }),
    );
    await request(app)
      .get('/movies')
      .set('Authorization', `Bearer ${token('alice')}`)
      .expect(200);
    await request(app)
      .get('/movies')
      .set('Authorization', `Bearer ${token('bob')}`)
      .expect(403);
    await request(app).get('/movies').expect(401);
    // Without a cache, a second verification would build another principal: the check reuses it.
    const uncached = cognitoGuard({ ...issuer.config, cache: false });
    const reused = factory();
    let first: unknown;
    reused.get(
      '/me',
      uncached.authenticate(),
      (req, _res, next) => {
        first = req.auth;
        next();
      },
      uncached.requireGroups('movies-group'),
      (req, res) => void res.json({ same: req.auth === first && first !== undefined }),
    );
    const res = await request(reused)
      .get('/me')
      .set('Authorization', `Bearer ${token('alice')}`)
      .expect(200);
    expect(res.body).toEqual({ same: true });
  });

  it('authenticate({ optional: true }) lets anonymous requests through but refuses bad tokens', async () => {
    const app = factory();
    app.get(
      '/feed',
      guard.authenticate({ optional: true }),
      (req, res) => void res.json({ user: req.auth?.username ?? null }),
    );
    expect((await request(app).get('/feed').expect(200)).body).toEqual({ user: null });
    expect(
      (
        await request(app)
          .get('/feed')
          .set('Authorization', `Bearer ${token('alice')}`)
          .expect(200)
      ).body,
    ).toEqual({ user: 'alice' });
    await request(app)
      .get('/feed')
      .set('Authorization', `Bearer ${issuer.brokenToken('expired')}`)
      .expect(401);
  });

  it('does not trust a req.auth that another middleware set', async () => {
    const app = factory();
    app.use((req, _res, next) => {
      (req as { auth?: unknown }).auth = { groups: ['movies-group'], sub: 'forged' };
      next();
    });
    app.get('/movies', guard.requireGroups('movies-group'), (_req, res) => void res.json({}));
    await request(app).get('/movies').expect(401);
    await request(app)
      .get('/movies')
      .set('Authorization', `Bearer ${token('bob')}`)
      .expect(403);
  });

  it('supports scopes, claims and custom rules', async () => {
    const app = factory();
    app.get('/write', guard.requireScopes('movies/write'), (_req, res) => void res.json({}));
    app.get('/gold', guard.requireClaim('username', ['alice']), (_req, res) => void res.json({}));
    app.get(
      '/all',
      guard.requireAllGroups('movies-group', 'shows-group'),
      (_req, res) => void res.json({}),
    );
    app.get(
      '/custom',
      guard.authorize((p) => p.username === 'carol'),
      (_req, res) => void res.json({}),
    );
    const scoped = issuer.accessToken({ scopes: ['movies/write'] });
    await request(app).get('/write').set('Authorization', `Bearer ${scoped}`).expect(200);
    const noScope = await request(app)
      .get('/write')
      .set('Authorization', `Bearer ${token('alice')}`);
    expect(noScope.status).toBe(403);
    expect(noScope.headers['www-authenticate']).toContain('scope="movies/write"');
    await request(app)
      .get('/gold')
      .set('Authorization', `Bearer ${token('alice')}`)
      .expect(200);
    await request(app)
      .get('/gold')
      .set('Authorization', `Bearer ${token('bob')}`)
      .expect(403);
    await request(app)
      .get('/all')
      .set('Authorization', `Bearer ${token('carol')}`)
      .expect(200);
    await request(app)
      .get('/all')
      .set('Authorization', `Bearer ${token('alice')}`)
      .expect(403);
    await request(app)
      .get('/custom')
      .set('Authorization', `Bearer ${token('carol')}`)
      .expect(200);
    await request(app)
      .get('/custom')
      .set('Authorization', `Bearer ${token('dave')}`)
      .expect(403);
  });
});

describe('key server behaviour through Express', () => {
  it('answers 503 with Retry-After when the keys endpoint is down', async () => {
    const issuer = await createTestIssuer().start();
    const guard = cognitoGuard(issuer.config);
    const token = issuer.accessToken({ groups: ['movies-group'] });
    await issuer.stop();
    const app = inlineApp(express5, guard);
    const res = await request(app).get('/movies').set('Authorization', `Bearer ${token}`);
    expect(res.status).toBe(503);
    expect(res.headers['retry-after']).toMatch(/^\d+$/);
    expect(res.headers['www-authenticate']).toBeUndefined();
    expect(res.body).toEqual({ message: 'Service Unavailable' });
  });

  it('fetches the keys once across many concurrent first requests', async () => {
    const issuer = await createTestIssuer().start();
    try {
      const guard = cognitoGuard(issuer.config);
      const app = inlineApp(express5, guard);
      const server = app.listen(0);
      try {
        const tokens = Array.from({ length: 40 }, (_, i) =>
          issuer.accessToken({ username: `u${i}`, groups: ['movies-group'] }),
        );
        const results = await Promise.all(
          tokens.map((t) => request(server).get('/movies').set('Authorization', `Bearer ${t}`)),
        );
        expect(results.map((r) => r.status)).toEqual(tokens.map(() => 200));
        expect(issuer.jwksRequests).toBe(1);
      } finally {
        server.close();
      }
    } finally {
      await issuer.stop();
    }
  });
});

// Sends a request with exactly the header lines given, which no HTTP client library allows.
function rawStatus(server: Server, headerLines: string[]): Promise<number> {
  const { port } = server.address() as { port: number };
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1', () => {
      socket.write(
        [
          'GET /movies HTTP/1.1',
          'Host: localhost',
          'Connection: close',
          ...headerLines,
          '',
          '',
        ].join('\r\n'),
      );
    });
    let data = '';
    socket.on('data', (chunk) => {
      data += chunk.toString();
    });
    socket.on('end', () => resolve(Number(data.split(' ')[1])));
    socket.on('error', reject);
  });
}
