// The decision steps, exactly: what the client is told for a rule that fails to run, a hook that
// fails, and a path that cannot be matched safely; what the decision records; and the mount
// warning's conditions.

import { createTestIssuer, type TestIssuer } from '@cognito-guard/testing';
import {
  createGuard,
  type Decision,
  type GuardConfig,
  predicate,
  type RequestLike,
  requireGroups,
} from '../src';

const bearer = (token: string, path = '/movies', method = 'GET'): RequestLike => ({
  method,
  path,
  headers: { authorization: `Bearer ${token}` },
});
const client = (decision: Decision) =>
  decision.allowed
    ? { status: decision.status, reason: decision.reason }
    : {
        status: decision.status,
        reason: decision.reason,
        description: decision.error.description,
        challenge: decision.error.headers['WWW-Authenticate'],
      };

describe('decision steps', () => {
  let issuer: TestIssuer;
  let config: GuardConfig;
  beforeAll(async () => {
    issuer = await createTestIssuer().start();
    config = { ...issuer.config, realm: 'movies' };
  });
  afterAll(() => issuer.stop());

  it('a rule that throws or rejects: 403 with a generic description, the cause kept', async () => {
    const guard = createGuard(config);
    for (const rule of [
      predicate(() => {
        throw new Error('db down');
      }),
      predicate(() => Promise.reject(new Error('db down'))),
    ]) {
      const decision = await guard.check(bearer(issuer.accessToken()), rule);
      expect(client(decision)).toEqual({
        status: 403,
        reason: 'rule_error',
        description: 'The authorization rule could not be evaluated',
        challenge:
          'Bearer realm="movies", error="insufficient_scope", error_description="The authorization rule could not be evaluated"',
      });
      expect(decision.allowed ? undefined : (decision.error.cause as Error).message).toBe(
        'db down',
      );
      expect(decision.principal?.sub).toBeDefined();
    }
  });

  it('an async rule that resolves decides like a synchronous one', async () => {
    const guard = createGuard(config);
    const member = issuer.accessToken({ groups: ['admins'] });
    const asyncAdmins = predicate(async (p) => p.groups.includes('admins'), 'async admins');
    expect(client(await guard.check(bearer(member), asyncAdmins))).toEqual({
      status: 200,
      reason: 'rule_satisfied',
    });
    const denied = await guard.check(bearer(issuer.accessToken()), asyncAdmins);
    expect(client(denied)).toEqual({
      status: 403,
      reason: 'rule_failed',
      description: 'The token does not grant access to this resource',
      challenge:
        'Bearer realm="movies", error="insufficient_scope", error_description="The token does not grant access to this resource"',
    });
    expect(denied.allowed ? undefined : denied.error.detail).toBe('rule async admins');
  });

  it('a hook that fails turns an allow into a 403 that keeps the route, method, path and timing', async () => {
    const guard = createGuard({
      ...config,
      onDecision: () => {
        throw new Error('audit sink down');
      },
    });
    const compiled = guard.compilePolicy({ routes: { 'GET /movies': { groups: ['fans'] } } });
    const request = bearer(issuer.accessToken({ groups: ['fans'] }));
    const before = performance.now();
    const decision = await guard.checkRoute(request, compiled);
    const took = performance.now() - before;
    expect(client(decision)).toEqual({
      status: 403,
      reason: 'hook_error',
      description: 'The decision could not be recorded',
      challenge:
        'Bearer realm="movies", error="insufficient_scope", error_description="The decision could not be recorded"',
    });
    expect(decision).toMatchObject({ route: 'GET /movies', method: 'GET', path: '/movies' });
    expect(decision.durationMs).toBeGreaterThanOrEqual(0);
    expect(decision.durationMs).toBeLessThanOrEqual(took);
    expect(decision.principal?.groups).toEqual(['fans']);
  });

  it('a path that cannot be matched safely is a 400 naming the problem', async () => {
    const guard = createGuard(config);
    const compiled = guard.compilePolicy({ routes: { 'GET /movies': {} } });
    const decision = await guard.checkRoute(bearer(issuer.accessToken(), '/a//b'), compiled);
    expect(client(decision)).toEqual({
      status: 400,
      reason: 'non_canonical_path',
      description: 'The request path is not canonical (empty path segment)',
      challenge:
        'Bearer realm="movies", error="invalid_request", error_description="The request path is not canonical (empty path segment)"',
    });
    expect(guard.routeRule(compiled, 'GET', '/a/../b')).toMatchObject({
      reason: 'non_canonical_path',
    });
    // A path not starting at / is refused before any basePath is read.
    const based = guard.compilePolicy({ basePath: '/v1', routes: { 'GET /movies': {} } });
    expect(guard.routeRule(based, 'GET', 'v1/movies')).toMatchObject({
      reason: 'non_canonical_path',
      description: 'The request path is not canonical (path must start with /)',
    });
    // applyRoute, the promise form of decideChosen, decides what it is given.
    const chosen = guard.routeRule(compiled, 'GET', '/a/../b');
    expect(await guard.applyRoute(bearer(issuer.accessToken(), '/a/../b'), chosen)).toMatchObject({
      allowed: false,
      status: 400,
      reason: 'non_canonical_path',
    });
    const movies = guard.routeRule(compiled, 'GET', '/movies');
    const token = issuer.accessToken({ groups: ['fans'] });
    expect(await guard.applyRoute(bearer(token, '/movies'), movies)).toMatchObject({
      allowed: true,
      route: 'GET /movies',
    });
  });

  it('a public route and an allowing default need no token, and say which', async () => {
    const guard = createGuard(config);
    const compiled = guard.compilePolicy({
      defaultAction: 'allow',
      routes: { 'GET /health': { public: true }, 'GET /movies': { groups: ['fans'] } },
    });
    const anonymous = (path: string) =>
      guard.checkRoute({ method: 'GET', path, headers: {} }, compiled);
    expect(await anonymous('/health')).toMatchObject({
      allowed: true,
      reason: 'public_route',
      route: 'GET /health',
    });
    expect(await anonymous('/elsewhere')).toMatchObject({
      allowed: true,
      reason: 'default_allow',
      route: undefined,
    });
    expect(await anonymous('/movies')).toMatchObject({ status: 401, route: 'GET /movies' });
  });

  it('reads a policy under basePath: outside it the default applies, a folded base adds it', async () => {
    const guard = createGuard(config);
    const compiled = guard.compilePolicy({
      basePath: '/api',
      defaultAction: 'deny',
      routes: { 'GET /open': { public: true } },
    });
    expect(guard.routeRule(compiled, 'GET', '/api/open')).toEqual({
      rule: undefined,
      route: 'GET /open',
    });
    expect(guard.routeRule(compiled, 'GET', '/other/open')).toMatchObject({ route: undefined });
    const folded = guard.routeRule(compiled, 'GET', '/API/open');
    expect(folded).toMatchObject({ route: 'GET /open' });
    expect('rule' in folded && folded.rule?.description).toBe('deny (no route matched)');
  });

  // A policy with a guarded literal route and a public parameter route beside it, asked anonymously.
  const adminAndFiles = () => {
    const guard = createGuard(config);
    const compiled = guard.compilePolicy({
      defaultAction: 'allow',
      routes: { 'GET /admin': { groups: ['admins'] }, 'GET /files/{name}': { public: true } },
    });
    const anonymous = (path: string) =>
      guard.checkRoute({ method: 'GET', path, headers: {} }, compiled);
    return { guard, compiled, anonymous };
  };

  it('reads a `;` as part of its segment and as the end of the path, and applies the stricter', async () => {
    const { guard, compiled, anonymous } = adminAndFiles();
    // find-my-way (Fastify 4's default) serves `/admin;x` and `/admin/;x` by `/admin`.
    for (const path of ['/admin;x', '/admin;', '/admin/;x', '/Admin;jsessionid=1']) {
      expect(await anonymous(path)).toMatchObject({ status: 401, route: undefined });
    }
    // Both readings public: a `;` in a segment is no reason to refuse.
    expect(await anonymous('/files/a;b')).toMatchObject({
      status: 200,
      route: 'GET /files/{name}',
    });
    // A `;` in the query string is the query's.
    expect(await anonymous('/files/a?x=;admin')).toMatchObject({ status: 200 });
    expect(guard.routeRule(compiled, 'GET', '/elsewhere?q;')).toEqual({
      rule: undefined,
      route: undefined,
    });
    // The path up to the `;` is checked as strictly as the whole.
    expect(guard.routeRule(compiled, 'GET', '/a/./b;x')).toMatchObject({
      reason: 'non_canonical_path',
    });
    expect(guard.routeRule(compiled, 'GET', '/a//;x')).toMatchObject({
      reason: 'non_canonical_path',
    });
  });

  it('reads a path that ends in white space also without it, and applies the stricter', async () => {
    const { guard, compiled, anonymous } = adminAndFiles();
    // lambda-api trims the path an HTTP API decoded (`/admin%20` arrives as `/admin `).
    for (const path of [
      '/admin ',
      '/admin\u2003',
      '/admin\u00a0 ?x=1',
      '/admin/ ',
      '/Admin \u3000#f',
    ]) {
      expect(await anonymous(path)).toMatchObject({ status: 401, route: undefined });
    }
    // Both readings public; white space inside a path, or in its query, is the path's own.
    expect(await anonymous('/files/a b ')).toMatchObject({ status: 200 });
    expect(await anonymous('/files/a%20')).toMatchObject({ status: 200 });
    expect(await anonymous('/files/x?q=admin ')).toMatchObject({ status: 200 });
    expect(guard.routeRule(compiled, 'GET', '/admin x')).toEqual({
      rule: undefined,
      route: undefined,
    });
    expect(guard.routeRule(compiled, 'GET', '/a/./b ')).toMatchObject({
      reason: 'non_canonical_path',
    });
    // A control character, which a URL parser drops, is no white space to read past: a 400.
    expect(await anonymous('/admin\t')).toMatchObject({ status: 400 });
  });

  it('reads `/` as `/{param}` with an empty parameter when no route has it', async () => {
    const guard = createGuard(config);
    const rootless = guard.compilePolicy({
      defaultAction: 'allow',
      routes: { 'GET /{id}': { groups: ['admins'] } },
    });
    // find-my-way (Fastify) hands `/` to `/:id` with `id` empty.
    const root = guard.routeRule(rootless, 'GET', '/');
    expect('rule' in root && root.rule?.description).toBe('groups any of [admins]');
    const rooted = guard.compilePolicy({
      defaultAction: 'allow',
      routes: { 'GET /': { public: true }, 'GET /{id}': { groups: ['admins'] } },
    });
    expect(guard.routeRule(rooted, 'GET', '/')).toEqual({ rule: undefined, route: 'GET /' });
  });

  it('allowAnonymous lets a missing token through but never a bad one', async () => {
    const guard = createGuard(config);
    const anonymous = await guard.check(
      { method: 'GET', path: '/', headers: {} },
      requireGroups('x'),
      { allowAnonymous: true },
    );
    expect(client(anonymous)).toEqual({ status: 200, reason: 'anonymous' });
    expect(anonymous.principal).toBeUndefined();
    const bad = await guard.check(bearer(issuer.brokenToken('tampered')), undefined, {
      allowAnonymous: true,
    });
    expect(bad).toMatchObject({ allowed: false, status: 401 });
    const several = await guard.check(
      { method: 'GET', path: '/', headers: { authorization: 'Bearer a.b.c, Bearer d.e.f' } },
      undefined,
      { allowAnonymous: true },
    );
    expect(several).toMatchObject({ allowed: false, status: 400 });
  });

  it('reuses an earlier principal only for the same token, and checks a given one', async () => {
    const guard = createGuard(config);
    const token = issuer.accessToken({ groups: ['fans'] });
    const first = await guard.check(bearer(token));
    const again = await guard.check(bearer(token), requireGroups('fans'), {
      previous: first.principal,
    });
    expect(again.principal).toBe(first.principal);
    const other = await guard.check(bearer(issuer.accessToken()), undefined, {
      previous: first.principal,
    });
    expect(other.principal).not.toBe(first.principal);
    const foreign = { ...first.principal };
    const refused = await guard.check({ method: 'GET', path: '/', headers: {} }, undefined, {
      principal: foreign as never,
    });
    expect(client(refused)).toMatchObject({ status: 401, reason: 'token_invalid' });
    const given = await guard.check(
      { method: 'GET', path: '/', headers: {} },
      requireGroups('fans'),
      {
        principal: first.principal,
      },
    );
    expect(client(given)).toEqual({ status: 200, reason: 'rule_satisfied' });
  });
});

describe('the mount warning', () => {
  let issuer: TestIssuer;
  beforeAll(async () => {
    issuer = await createTestIssuer().start();
  });
  afterAll(() => issuer.stop());

  it('warns once per mount, only for an unmatched request or $default, never with basePath', async () => {
    const warnings: string[] = [];
    const guard = createGuard({ ...issuer.config, logger: { warn: (m) => warnings.push(m) } });
    const token = issuer.accessToken();
    const plain = guard.compilePolicy({
      defaultAction: 'authenticated',
      routes: { 'GET /movies': {} },
    });
    const withDefault = guard.compilePolicy({ routes: { 'GET /movies': {}, $default: {} } });
    const based = guard.compilePolicy({ basePath: '/api', routes: { 'GET /movies': {} } });
    await guard.checkRoute(bearer(token, '/api/movies'), based, { mountPath: '/api' });
    await guard.checkRoute(bearer(token, '/movies'), plain, { mountPath: '/api' });
    await guard.checkRoute(bearer(token, '/movies'), plain);
    expect(warnings).toEqual([]);
    await guard.checkRoute(bearer(token, '/api/movies'), plain, { mountPath: '/api' });
    await guard.checkRoute(bearer(token, '/api/other'), plain, { mountPath: '/api' });
    await guard.checkRoute(bearer(token, '/v2/movies'), withDefault, { mountPath: '/v2' });
    expect(warnings).toEqual([
      'cognito-guard: guardRoutes is mounted under "/api" and a request there matched no route of its policy, so defaultAction applies. If the policy\'s route keys are relative to "/api", set basePath: "/api" in the policy.',
      'cognito-guard: guardRoutes is mounted under "/v2" and a request there matched no route of its policy, so defaultAction applies. If the policy\'s route keys are relative to "/v2", set basePath: "/v2" in the policy.',
    ]);
  });
});
