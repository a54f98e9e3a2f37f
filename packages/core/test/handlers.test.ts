import type { TestIssuer } from '@cognito-guard/testing';
import { ConfigError, createGuard, type Principal } from '../src';
import {
  bindGuard,
  bindHandlers,
  defineAdapter,
  type Evaluate,
  keepHeadersPrivate,
  readFetchRequest,
} from '../src/subpaths/adapter';
import { bearer, startIssuer } from './helpers';

describe('bindHandlers', () => {
  let issuer: TestIssuer;
  beforeAll(async () => {
    issuer = await startIssuer();
  });
  afterAll(() => issuer.stop());

  // The smallest possible "framework": a handler is the evaluate function itself.
  const handlers = () => {
    const guard = createGuard(issuer.config);
    return bindHandlers(
      () => guard,
      (evaluate: Evaluate) => evaluate,
    );
  };

  it('builds every factory on one guard', async () => {
    const h = handlers();
    const carol = issuer.accessToken({ username: 'carol', groups: ['a', 'b'], scopes: ['s1'] });
    const req = bearer(carol, 'GET', '/movies');
    for (const handler of [
      h.requireGroups('a', ['x']),
      h.requireAllGroups('a', 'b'),
      h.requireScopes('s1'),
      h.requireClaim('username', 'carol'),
      h.authorize((p) => p.groups.length === 2),
      h.authenticate(),
      h.guardRoutes({ routes: { 'GET /movies': { groups: ['b'] } } }),
    ]) {
      expect(await handler(req)).toMatchObject({ allowed: true });
    }
    expect(await h.requireGroups('z')(req)).toMatchObject({ status: 403 });
    expect(await h.guardRoutes({ routes: {} })(req)).toMatchObject({
      status: 403,
      reason: 'route_denied',
    });
  });

  it('refuses a request given to a factory: the factory itself was used as a handler', () => {
    const h = handlers();
    // What Express or Fastify (a request), Koa or Hono (a context) and Lambda (an event) pass.
    const requests = [
      { headers: {} },
      { req: {} },
      { requestContext: {} },
      { methodArn: 'arn' },
      { routeArn: 'arn' },
    ];
    for (const [name, factory] of Object.entries(h)) {
      for (const request of requests) {
        expect(() =>
          (factory as (...args: unknown[]) => unknown)(request, () => undefined),
        ).toThrow(
          new ConfigError(name, [
            {
              field: 'arguments',
              message: `got a request: ${name} itself was used as a handler; use the one ${name}(…) returns`,
            },
          ]),
        );
      }
    }
    // Values the factories take are not read as requests.
    expect(() => h.requireClaim('headers', 'x')).not.toThrow();
    expect(() => h.requireGroups(['headers'], 'req')).not.toThrow();
  });

  it('reuses only principals cognito-guard built', async () => {
    const h = handlers();
    const guard = createGuard(issuer.config);
    const token = issuer.accessToken({ groups: ['a'] });
    const principal = await guard.authenticate(bearer(token));
    const reused = await h.requireGroups('a')(bearer(token), { previous: principal });
    expect(reused.principal).toBe(principal);
    const plain = issuer.accessToken({ groups: [] });
    const forged = { ...principal, groups: ['a'], token: plain } as Principal;
    expect(await h.requireGroups('a')(bearer(plain), { previous: forged })).toMatchObject({
      allowed: false,
      status: 403,
    });
  });

  it('authenticate() refuses a tokenless request unless { optional: true } says otherwise', async () => {
    const h = handlers();
    const tokenless = { method: 'GET', path: '/movies', headers: {} };
    for (const strict of [
      h.authenticate(),
      h.authenticate({}),
      h.authenticate({ optional: false }),
    ]) {
      expect(await strict(tokenless)).toMatchObject({ allowed: false, status: 401 });
    }
    const lenient = h.authenticate({ optional: true });
    expect(await lenient(tokenless)).toMatchObject({ allowed: true, principal: undefined });
    // Optional is about a missing token: a broken one is still refused.
    const broken = bearer(issuer.brokenToken('tampered'), 'GET', '/movies');
    expect(await lenient(broken)).toMatchObject({ allowed: false, status: 401 });
    // An earlier middleware's principal for the same token is reused, not verified again.
    const token = issuer.accessToken({ groups: ['a'] });
    const principal = await createGuard(issuer.config).authenticate(bearer(token));
    const reused = await lenient(bearer(token), { previous: principal });
    expect(reused.principal).toBe(principal);
  });

  it('validates rules and policies when the factory is called', () => {
    const h = handlers();
    expect(() => h.requireGroups()).toThrow(ConfigError);
    expect(() => h.guardRoutes({ routes: { 'GET nope': {} } })).toThrow(ConfigError);
  });
});

describe('defaultGuard', () => {
  it('is created once from process.env and names missing variables', () => {
    jest.isolateModules(() => {
      const { defaultGuard } =
        require('../src/subpaths/adapter') as typeof import('../src/subpaths/adapter');
      const saved = { ...process.env };
      try {
        delete process.env['COGNITO_USER_POOL_ID'];
        delete process.env['COGNITO_CLIENT_ID'];
        expect(() => defaultGuard()).toThrow(/COGNITO_USER_POOL_ID/);
        process.env['COGNITO_USER_POOL_ID'] = 'eu-west-1_abc';
        process.env['COGNITO_CLIENT_ID'] = 'client';
        const first = defaultGuard();
        expect(first.config.pools[0]?.userPoolId).toBe('eu-west-1_abc');
        expect(defaultGuard()).toBe(first);
      } finally {
        process.env = saved;
      }
    });
  });
});

describe('env-bound factories', () => {
  let issuer: TestIssuer;
  beforeAll(async () => {
    issuer = await startIssuer();
  });
  afterAll(() => issuer.stop());

  it('share one process-wide guard: rules and route policies fetch the keys once', async () => {
    const saved = { ...process.env };
    Object.assign(process.env, issuer.env);
    try {
      let kit!: typeof import('../src/subpaths/adapter');
      jest.isolateModules(() => {
        kit = require('../src/subpaths/adapter');
      });
      const adapter = kit.defineAdapter<Evaluate>(['respond'], (evaluate) => evaluate);
      const rules = kit.envRules(adapter);
      const routes = kit.envRoutes(adapter, { routes: { 'GET /movies': { groups: ['a'] } } });
      const token = issuer.accessToken({ groups: ['a'] });
      const before = issuer.jwksRequests;
      expect(await rules.requireGroups('a')(bearer(token, 'GET', '/movies'))).toMatchObject({
        allowed: true,
      });
      expect(await routes(bearer(token, 'GET', '/movies'))).toMatchObject({
        allowed: true,
        route: 'GET /movies',
      });
      expect(await routes(bearer(token, 'GET', '/shows'))).toMatchObject({ status: 403 });
      expect(issuer.jwksRequests - before).toBe(1);
      expect(kit.defaultGuard().verifier).toBe(kit.defaultGuard().verifier);
    } finally {
      process.env = saved;
    }
  });

  it('bindGuard validates the adapter options it was described with', async () => {
    const adapter = defineAdapter<Evaluate>(['respond', 'next'], (evaluate) => evaluate);
    expect(() =>
      bindGuard(adapter, { ...issuer.config, errors: 'throw' } as Parameters<typeof bindGuard>[1]),
    ).toThrow(/errors/);
    const bound = bindGuard(adapter, { ...issuer.config, errors: 'next' });
    expect(bound.guard.config.pools[0]?.userPoolId).toBe(issuer.userPoolId);
    // ready() is the guard's own: it waits for the signing keys, as a start-up probe needs.
    await expect(bound.ready()).resolves.toBeUndefined();
    // Any value is named without throwing anything but the ConfigError: a BigInt or a cycle
    // made JSON.stringify throw a TypeError, and a function printed its source.
    const cycle: Record<string, unknown> = {};
    cycle['self'] = cycle;
    for (const [errors, shown] of [
      [10n, '10'],
      [cycle, 'an object'],
      [() => 'respond', 'a function'],
      ['respnd', '"respnd"'],
    ] as const) {
      expect(() => bindGuard(adapter, { ...issuer.config, errors } as never)).toThrow(
        new ConfigError('cognito-guard config', [
          { field: 'errors', message: `must be "respond" or "next", got ${shown}` },
        ]),
      );
    }
  });
});

describe('readFetchRequest', () => {
  it('reads method, path and headers of a Fetch Request, or the Node headers when given', () => {
    const request = new Request('http://example.test/movies/42?x=1', {
      method: 'POST',
      headers: { authorization: 'Bearer t', 'x-other': 'y' },
    });
    const read = readFetchRequest(request);
    expect(read).toMatchObject({ method: 'POST', path: '/movies/42?x=1', rawHeaders: undefined });
    expect(read.headers).toMatchObject({ authorization: 'Bearer t', 'x-other': 'y' });
    const raw = ['Authorization', 'Bearer a', 'Authorization', 'Bearer b'];
    const node = { authorization: 'Bearer a' };
    expect(readFetchRequest(request, raw, node)).toStrictEqual({
      method: 'POST',
      path: '/movies/42?x=1',
      headers: node,
      rawHeaders: raw,
      routedUrl: undefined,
    });
    expect(readFetchRequest(new Request('http://example.test')).path).toBe('/');
  });

  it('reads the target received beside the URL routed, with the query only the URL carries', () => {
    // hono/aws-lambda: the event's path (with its stage) lacks the query the bridge put in the URL.
    const request = new Request('http://example.test/movies/42?_method=DELETE', { method: 'POST' });
    expect(readFetchRequest(request, undefined, {}, '/prod/movies/42')).toMatchObject({
      path: '/prod/movies/42?_method=DELETE',
      routedUrl: '/movies/42?_method=DELETE',
    });
    // A received target with a query of its own keeps it; without a query, nothing is added.
    expect(readFetchRequest(request, undefined, {}, '/prod/movies/42?a=1').path).toBe(
      '/prod/movies/42?a=1',
    );
    const bare = new Request('http://example.test/movies/42');
    expect(readFetchRequest(bare, undefined, {}, '/prod/movies/42').path).toBe('/prod/movies/42');
  });
});

describe('keepHeadersPrivate', () => {
  it("marks a response's own headers private, keeping its Cache-Control and Vary fields", () => {
    const plain = new Response('x').headers;
    expect(keepHeadersPrivate(plain, 'Authorization')).toBe(true);
    expect([plain.get('cache-control'), plain.get('vary')]).toEqual(['private', 'Authorization']);
    const own = new Response('x', { headers: { 'cache-control': 'no-store', vary: 'Origin' } });
    expect(keepHeadersPrivate(own.headers, 'Authorization, Cookie')).toBe(true);
    expect([own.headers.get('cache-control'), own.headers.get('vary')]).toEqual([
      'no-store',
      'Origin, Authorization, Cookie',
    ]);
  });

  it('sets nothing and says so when the headers are immutable', () => {
    const redirect = Response.redirect('https://example.test/', 302);
    expect(keepHeadersPrivate(redirect.headers, 'Authorization')).toBe(false);
    expect([redirect.headers.get('cache-control'), redirect.headers.get('vary')]).toEqual([
      null,
      null,
    ]);
  });
});
