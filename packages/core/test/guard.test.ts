import type { TestIssuer } from '@cognito-guard/testing';
import { type Decision, predicate, requireGroups, requireScopes } from '../src';
import { bearer, guardFor, request, startIssuer, withDebugLog } from './helpers';

describe('guard decisions', () => {
  let issuer: TestIssuer;
  beforeAll(async () => {
    issuer = await startIssuer();
  });
  afterAll(() => issuer.stop());

  const policy = {
    routes: {
      'GET /movies': { groups: ['movies-group'] },
      'GET /shows': { groups: ['shows-group'] },
      'GET /health': { public: true },
      'ANY /admin/{proxy+}': { allGroups: ['admins'], scopes: ['api/admin'] },
    },
  };

  it('allows a satisfied rule and reports the principal, route and duration', async () => {
    const guard = guardFor(issuer);
    const token = issuer.accessToken({ username: 'alice', groups: ['movies-group'] });
    const compiled = guard.compilePolicy(policy);
    const before = performance.now();
    const decision = await guard.checkRoute(bearer(token, 'GET', '/movies'), compiled);
    const took = performance.now() - before;
    expect(decision).toMatchObject({
      allowed: true,
      status: 200,
      reason: 'rule_satisfied',
      route: 'GET /movies',
      method: 'GET',
      path: '/movies',
      code: undefined,
      error: undefined,
    });
    expect(decision.principal?.username).toBe('alice');
    expect(decision.durationMs).toBeGreaterThanOrEqual(0);
    expect(decision.durationMs).toBeLessThanOrEqual(took);
  });

  it('evaluates in order: public route, then token (401), then rule (403)', async () => {
    const guard = guardFor(issuer);
    const compiled = guard.compilePolicy(policy);
    // public: allowed even with a broken token
    expect(await guard.checkRoute(bearer('garbage', 'GET', '/health'), compiled)).toMatchObject({
      allowed: true,
      reason: 'public_route',
    });
    expect(await guard.checkRoute(request({}, 'GET', '/movies'), compiled)).toMatchObject({
      status: 401,
      reason: 'token_missing',
    });
    const bob = issuer.accessToken({ groups: ['shows-group'] });
    const before = performance.now();
    const denied = await guard.checkRoute(bearer(bob, 'GET', '/movies'), compiled);
    const took = performance.now() - before;
    expect(denied).toMatchObject({
      status: 403,
      code: 'insufficient_scope',
      reason: 'group_missing',
      route: 'GET /movies',
    });
    expect(denied.durationMs).toBeGreaterThanOrEqual(0);
    expect(denied.durationMs).toBeLessThanOrEqual(took);
    // default deny: 401 without a token, 403 with one
    expect(await guard.checkRoute(request({}, 'GET', '/other'), compiled)).toMatchObject({
      status: 401,
    });
    expect(await guard.checkRoute(bearer(bob, 'GET', '/other'), compiled)).toMatchObject({
      status: 403,
      reason: 'route_denied',
      route: undefined,
    });
  });

  it('applies defaultAction allow and authenticated', async () => {
    const guard = guardFor(issuer);
    const allow = guard.compilePolicy({ defaultAction: 'allow', routes: {} });
    expect(await guard.checkRoute(request({}, 'GET', '/x'), allow)).toMatchObject({
      allowed: true,
      reason: 'default_allow',
    });
    const authn = guard.compilePolicy({ defaultAction: 'authenticated', routes: {} });
    expect(await guard.checkRoute(request({}, 'GET', '/x'), authn)).toMatchObject({ status: 401 });
    expect(await guard.checkRoute(bearer(issuer.accessToken(), 'GET', '/x'), authn)).toMatchObject({
      allowed: true,
    });
  });

  it('refuses non-canonical paths with 400 before anything else', async () => {
    const guard = guardFor(issuer);
    const decision = await guard.checkRoute(
      request({}, 'GET', '/health/../movies'),
      guard.compilePolicy(policy),
    );
    expect(decision).toMatchObject({
      allowed: false,
      status: 400,
      code: 'invalid_request',
      reason: 'non_canonical_path',
    });
  });

  it('advertises required scopes in the 403 challenge', async () => {
    const guard = guardFor(issuer);
    const decision = await guard.check(bearer(issuer.accessToken()), requireScopes('movies/read'));
    expect(decision.error?.headers['WWW-Authenticate']).toBe(
      'Bearer realm="api", error="insufficient_scope", error_description="The token does not grant access to this resource", scope="movies/read"',
    );
  });

  it('authorizes an already verified principal without a request', async () => {
    const guard = guardFor(issuer);
    const principal = await guard.authenticate(bearer(issuer.accessToken({ groups: ['g'] })));
    expect(await guard.authorize(principal, requireGroups('g'), { route: 'r' })).toMatchObject({
      allowed: true,
      route: 'r',
    });
    expect(await guard.authorize(principal, requireGroups('h'))).toMatchObject({
      allowed: false,
      status: 403,
    });
  });

  it('reuses an earlier principal only for the very token it was built from', async () => {
    const guard = guardFor(issuer);
    const token = issuer.accessToken({ groups: ['g'] });
    const principal = await guard.authenticate(bearer(token));
    const reused = await guard.check(bearer(token), requireGroups('g'), { previous: principal });
    expect(reused).toMatchObject({ allowed: true });
    expect(reused.principal).toBe(principal);
    // No token in this request: the earlier principal does not stand in for one.
    expect(
      await guard.check(request({}), requireGroups('g'), { previous: principal }),
    ).toMatchObject({ allowed: false, status: 401 });
    // Another token: verified on its own, never answered by the earlier principal.
    const other = issuer.accessToken({ groups: [] });
    expect(
      await guard.check(bearer(other), requireGroups('g'), { previous: principal }),
    ).toMatchObject({ allowed: false, status: 403 });
  });

  it('answers a cached token at once, and a promise only when a hook or the debug log waits', async () => {
    const token = issuer.accessToken({ groups: ['movies-group'] });
    // A token is cached from its second verification on.
    const cachedIn = async (guard: ReturnType<typeof guardFor>) => {
      await guard.check(bearer(token));
      await guard.check(bearer(token));
      return guard;
    };
    const plain = await cachedIn(guardFor(issuer));
    const allowed = plain.decide(bearer(token), requireGroups('movies-group'));
    const denied = plain.decide(bearer(token), requireGroups('admins'));
    expect(allowed).not.toBeInstanceOf(Promise);
    expect(denied).not.toBeInstanceOf(Promise);
    expect([allowed, denied]).toMatchObject([{ allowed: true }, { allowed: false, status: 403 }]);
    const hooked = await cachedIn(guardFor(issuer, { onDecision: () => undefined }));
    const hookedDecision = hooked.decide(bearer(token));
    expect(hookedDecision).toBeInstanceOf(Promise);
    expect(await hookedDecision).toMatchObject({ allowed: true });
    const debugging = withDebugLog(() => guardFor(issuer, { logger: { warn() {}, debug() {} } }));
    const logged = await cachedIn(debugging);
    const loggedDecision = logged.decide(bearer(token));
    expect(loggedDecision).toBeInstanceOf(Promise);
    expect(await loggedDecision).toMatchObject({ allowed: true });
  });

  it('reports every decision to onDecision', async () => {
    const seen: Decision[] = [];
    const guard = guardFor(issuer, { onDecision: (d) => void seen.push(d) });
    await guard.check(bearer(issuer.accessToken()));
    await guard.check(request({}));
    expect(seen.map((d) => [d.allowed, d.status])).toEqual([
      [true, 200],
      [false, 401],
    ]);
  });
});

describe('anonymous access (authenticate({ optional: true }))', () => {
  let issuer: TestIssuer;
  beforeAll(async () => {
    issuer = await startIssuer();
  });
  afterAll(() => issuer.stop());

  it('lets a request with no token through without a principal, and reports it', async () => {
    const seen: Decision[] = [];
    const guard = guardFor(issuer, { onDecision: (d) => void seen.push(d) });
    const decision = await guard.check(request({}), undefined, { allowAnonymous: true });
    expect(decision).toMatchObject({ allowed: true, reason: 'anonymous', principal: undefined });
    expect(seen.map((d) => d.reason)).toEqual(['anonymous']);
  });

  it('still refuses a token that is present but invalid, or a malformed header', async () => {
    const guard = guardFor(issuer);
    const options = { allowAnonymous: true };
    expect(
      await guard.check(bearer(issuer.brokenToken('expired')), undefined, options),
    ).toMatchObject({ status: 401 });
    expect(await guard.check(bearer('x.y.z'), undefined, options)).toMatchObject({
      status: 401,
    });
    expect(
      await guard.check(request({ authorization: 'Bearer' }), undefined, options),
    ).toMatchObject({ status: 400 });
    expect(
      await guard.check(bearer(issuer.accessToken({ username: 'alice' })), undefined, options),
    ).toMatchObject({
      allowed: true,
      reason: 'rule_satisfied',
      principal: { username: 'alice' },
    });
  });
});

describe('fail closed', () => {
  let issuer: TestIssuer;
  beforeAll(async () => {
    issuer = await startIssuer();
  });
  afterAll(() => issuer.stop());

  it('a custom rule that throws denies with 403 rule_error', async () => {
    const guard = guardFor(issuer);
    const throwing = predicate(() => {
      throw new Error('db down');
    });
    const decision = await guard.check(bearer(issuer.accessToken()), throwing);
    expect(decision).toMatchObject({ allowed: false, status: 403, reason: 'rule_error' });
    expect(decision.error?.headers['WWW-Authenticate']).not.toContain('db down');
  });

  it('a custom rule that rejects denies with 403 rule_error', async () => {
    const guard = guardFor(issuer);
    const rejecting = predicate(async () => Promise.reject(new Error('timeout')));
    expect(await guard.check(bearer(issuer.accessToken()), rejecting)).toMatchObject({
      status: 403,
      reason: 'rule_error',
    });
  });

  it('an onDecision hook that throws or rejects turns an allow into a 403 hook_error', async () => {
    for (const onDecision of [
      () => {
        throw new Error('audit sink down');
      },
      async () => Promise.reject(new Error('audit sink down')),
    ]) {
      const guard = guardFor(issuer, { onDecision });
      const decision = await guard.check(bearer(issuer.accessToken()));
      expect(decision).toMatchObject({ allowed: false, status: 403, reason: 'hook_error' });
      // a denial stays the denial it was
      expect(await guard.check(request({}))).toMatchObject({
        status: 401,
        reason: 'token_missing',
      });
    }
  });
});
