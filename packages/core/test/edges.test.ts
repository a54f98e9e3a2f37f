// Boundaries and switches a mutation run showed untested: each test fails if the check it names
// is switched off, inverted or moved by one.

import type { TestIssuer } from '@cognito-guard/testing';
import {
  anyOf,
  ConfigError,
  compileRoutePolicy,
  createGuard,
  predicate,
  requireAllGroups,
  requireAllScopes,
  requireClaim,
  requireGroups,
} from '../src';
import { createPrincipal, extractToken, splitRequestPath } from '../src/subpaths/advanced';
import { bearer, startIssuer } from './helpers';

describe('verifier switches', () => {
  let issuer: TestIssuer;
  beforeAll(async () => {
    issuer = await startIssuer();
  });
  afterAll(() => issuer.stop());

  it('refuses an algorithm outside the allow-list even when the key would verify it', async () => {
    // The JWKS key is RS256 and the token RS256: only our allow-list can refuse it.
    const guard = createGuard({ ...issuer.config, algorithms: ['RS512'] });
    const decision = await guard.check(bearer(issuer.accessToken()));
    expect(decision).toEqual(
      expect.objectContaining({ allowed: false, reason: 'alg_not_allowed' }),
    );
    const allowed = createGuard({ ...issuer.config, algorithms: ['RS512', 'RS256'] });
    expect((await allowed.check(bearer(issuer.accessToken()))).allowed).toBe(true);
  });

  it.each([
    ['empty', '', 'claims_invalid'],
    ['missing', undefined, 'claims_invalid'],
    // aws-jwt-verify refuses a non-string sub as malformed before our check runs.
    ['numeric', 42, 'token_malformed'],
  ])('refuses a %s sub', async (_label, sub, reason) => {
    const guard = createGuard(issuer.config);
    const token = issuer.accessToken({ claims: { sub } });
    const decision = await guard.check(bearer(token));
    expect(decision).toEqual(expect.objectContaining({ allowed: false, reason }));
    expect(decision.status).toBe(401);
  });

  it('denies, never throws, when verifying throws at once rather than rejecting', async () => {
    // No verifier of ours throws synchronously: this holds the guard's catch to fail closed if
    // one ever did (the next step of the request path must not run).
    const guard = createGuard(issuer.config);
    guard.verifier.verify = () => {
      throw new TypeError('verifier broke');
    };
    const decision = await guard.decide(bearer(issuer.accessToken()), requireGroups('admins'));
    expect(decision).toMatchObject({ allowed: false, status: 401, principal: undefined });
    expect(decision.allowed ? undefined : decision.error.cause).toMatchObject({
      message: 'verifier broke',
    });
  });

  it('refuses to reuse a principal whose sub is empty', async () => {
    const guard = createGuard(issuer.config);
    const principal = await guard.authenticate(bearer(issuer.accessToken()));
    expect(guard.verifier.refusal(principal)).toBeUndefined();
    const forged = createPrincipal({
      claims: { ...principal.claims, sub: '' },
      userPoolId: principal.userPoolId,
      issuer: principal.issuer,
    });
    expect(guard.verifier.refusal(forged)?.reason).toBeDefined();
  });
});

describe('rule edges', () => {
  const principal = (groups: string[], scopes: string[] = [], claims: object = {}) =>
    createPrincipal({
      claims: { sub: 's', 'cognito:groups': groups, scope: scopes.join(' '), ...claims },
      userPoolId: 'p',
      issuer: 'i',
    });

  it('all-of rules need every name, not some', () => {
    expect(requireAllGroups('a', 'b').check(principal(['a']))).toEqual({ reason: 'group_missing' });
    expect(requireAllGroups('a', 'b').check(principal(['b', 'a']))).toBeUndefined();
    expect(requireAllScopes('x/r', 'x/w').check(principal([], ['x/r']))).toEqual(
      expect.objectContaining({ reason: 'scope_missing' }),
    );
    expect(requireAllScopes('x/r', 'x/w').check(principal([], ['x/w', 'x/r']))).toBeUndefined();
  });

  it.each([
    ['missing', {}],
    ['null', { tier: null }],
    ['an object', { tier: { value: 'gold' } }],
    ['an array of objects', { tier: [{ value: 'gold' }] }],
    ['another value', { tier: 'silver' }],
  ])('requireClaim refuses a claim that is %s', (_label, claims) => {
    expect(requireClaim('tier', 'gold').check(principal([], [], claims))).toEqual({
      reason: 'claim_mismatch',
    });
  });

  it('requireClaim matches strings, numbers, booleans and array elements', () => {
    expect(requireClaim('tier', 'gold').check(principal([], [], { tier: 'gold' }))).toBeUndefined();
    expect(requireClaim('n', '7').check(principal([], [], { n: 7 }))).toBeUndefined();
    expect(requireClaim('b', 'true').check(principal([], [], { b: true }))).toBeUndefined();
    expect(
      requireClaim('t', 'gold').check(principal([], [], { t: ['x', 'gold'] })),
    ).toBeUndefined();
  });

  it('an async rule that resolves decides: true allows, false and anything else deny', async () => {
    const resolving = (value: unknown) => predicate(async () => value as boolean);
    expect(await resolving(true).check(principal([]))).toBeUndefined();
    expect(await resolving(false).check(principal([]))).toEqual({ reason: 'rule_failed' });
    expect(await resolving('yes').check(principal([]))).toEqual({ reason: 'rule_failed' });
    const either = anyOf(resolving(false), requireGroups('a'));
    expect(await either.check(principal(['a']))).toBeUndefined();
    expect(await either.check(principal([]))).toEqual(expect.anything());
  });

  it('an async rule decides through the guard too', async () => {
    const issuer = await startIssuer();
    try {
      const guard = createGuard(issuer.config);
      const token = issuer.accessToken();
      const allow = await guard.check(
        bearer(token),
        predicate(async () => true),
      );
      const deny = await guard.check(
        bearer(token),
        predicate(async () => false),
      );
      expect([allow.status, deny.status]).toEqual([200, 403]);
    } finally {
      await issuer.stop();
    }
  });
});

describe('path and route-key edges', () => {
  it.each([
    ['/a#b', ['a']],
    ['/a#/b/c', ['a']],
    ['/a?x#y', ['a']],
    ['/a#x?y', ['a']],
    ['/a/b?c/d', ['a', 'b']],
  ])('drops the query and fragment of %s', (path, segments) => {
    expect(splitRequestPath(path, false)).toEqual(expect.objectContaining({ ok: true, segments }));
  });

  it('compiles a guard’s policies with its caseSensitivePaths', async () => {
    const issuer = await startIssuer();
    try {
      const sensitive = createGuard({ ...issuer.config, caseSensitivePaths: true });
      const policy = sensitive.compilePolicy({
        defaultAction: 'allow',
        routes: { 'GET /Reports': { groups: ['finance'] } },
      });
      expect(policy.caseSensitive).toBe(true);
      const token = issuer.accessToken({ groups: [] });
      const status = async (path: string) =>
        (await sensitive.checkRoute(bearer(token, 'GET', path), policy)).status;
      expect(await status('/Reports')).toBe(403);
      expect(await status('/reports')).toBe(200);
      const folded = createGuard(issuer.config).compilePolicy({ routes: {} });
      expect(folded.caseSensitive).toBe(false);
    } finally {
      await issuer.stop();
    }
  });

  it.each(['GET /a/../b', 'GET /a/./b', 'GET /..', 'GET /a//b', 'GET /a/..'])(
    'refuses route key %j',
    (key) => {
      expect(() => compileRoutePolicy({ routes: { [key]: {} } })).toThrow(ConfigError);
      try {
        compileRoutePolicy({ routes: { [key]: {} } });
      } catch (err) {
        expect((err as ConfigError).issues).toEqual([
          { field: `routes.${key}`, message: 'path has an empty or dot segment' },
        ]);
      }
    },
  );
});

describe('extraction edges', () => {
  const options = { tokenSources: ['authorization' as const], maxTokenBytes: 40, realm: 'api' };
  const token = (length: number) => `a.b.${'c'.repeat(length - 4)}`;

  it('accepts a token of exactly maxTokenBytes and refuses one byte more', () => {
    expect(
      extractToken(
        { method: 'GET', path: '/', headers: { authorization: `Bearer ${token(40)}` } },
        options,
      ),
    ).toBe(token(40));
    expect(() =>
      extractToken(
        { method: 'GET', path: '/', headers: { authorization: `Bearer ${token(41)}` } },
        options,
      ),
    ).toThrow(expect.objectContaining({ reason: 'token_too_large' }));
  });

  it('caps the Authorization header at maxTokenBytes + 64 before parsing', () => {
    const padded = (spaces: number) => `Bearer${' '.repeat(spaces)}${token(40)}`;
    // 6 + 58 + 40 = 104 = 40 + 64: at the cap, parsed (and the token fits).
    expect(
      extractToken({ method: 'GET', path: '/', headers: { authorization: padded(58) } }, options),
    ).toBe(token(40));
    expect(() =>
      extractToken({ method: 'GET', path: '/', headers: { authorization: padded(59) } }, options),
    ).toThrow(expect.objectContaining({ reason: 'token_too_large' }));
  });

  it('with two sources configured, takes a token from either one alone, and refuses both', () => {
    const both = { ...options, tokenSources: ['authorization' as const, { cookie: 'id' }] };
    const jwt = token(20);
    const fromHeader = { authorization: `Bearer ${jwt}` };
    const fromCookie = { cookie: `other=1; id=${jwt}` };
    expect(extractToken({ method: 'GET', path: '/', headers: fromHeader }, both)).toBe(jwt);
    expect(extractToken({ method: 'GET', path: '/', headers: fromCookie }, both)).toBe(jwt);
    expect(() =>
      extractToken({ method: 'GET', path: '/', headers: { ...fromHeader, ...fromCookie } }, both),
    ).toThrow(expect.objectContaining({ reason: 'multiple_tokens' }));
    expect(() => extractToken({ method: 'GET', path: '/', headers: {} }, both)).toThrow(
      expect.objectContaining({ status: 401 }),
    );
  });
});
