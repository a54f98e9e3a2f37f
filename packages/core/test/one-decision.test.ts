// Core pieces behind "one decision on every surface": adapter options and rendering, reuse of
// principals, canonical tokens, path readings and ambiguous groups.

import {
  ConfigError,
  compileRoutePolicy,
  createGuard,
  denyGroups,
  InsufficientScopeError,
  requireAllGroups,
  requireGroups,
} from '../src';
import {
  needsPrivateCache,
  renderDenial,
  splitAdapterOptions,
  varyFor,
  varyWith,
  withPrivateMarks,
} from '../src/subpaths/adapter';
import { createPrincipal, splitRequestPath } from '../src/subpaths/advanced';
import { isCanonical } from '../src/token/decompose-token';
import { bearer, startIssuer } from './helpers';

describe('adapter contract', () => {
  it('validates adapter options and refuses the removed preflight pass-through', () => {
    expect(splitAdapterOptions({ userPoolId: 'x', errors: 'next' }, ['respond', 'next'])).toEqual({
      adapter: { errors: 'next', privateCache: true },
      core: { userPoolId: 'x' },
    });
    expect(() => splitAdapterOptions({ errors: 'throw' }, ['respond', 'next'])).toThrow(
      /errors: must be "respond" or "next", got "throw"/,
    );
    expect(() => splitAdapterOptions({ privateCache: 'yes' } as never, ['respond'])).toThrow(
      /privateCache: must be true or false/,
    );
    expect(() => splitAdapterOptions({ allowCorsPreflight: true } as never, ['respond'])).toThrow(
      ConfigError,
    );
  });

  it('renders one denial for every surface', () => {
    const denial = renderDenial(new InsufficientScopeError({ reason: 'group_missing' }));
    expect(denial).toEqual({
      status: 403,
      headers: {
        'WWW-Authenticate': 'Bearer realm="api", error="insufficient_scope"',
        'Content-Type': 'application/json; charset=utf-8',
        'Cache-Control': 'no-store',
      },
      body: '{"message":"Forbidden"}',
    });
    const options = { errors: 'respond' as const, privateCache: true, vary: 'Authorization' };
    expect(needsPrivateCache({ principal: {} }, options)).toBe(true);
    expect(needsPrivateCache({ principal: undefined }, options)).toBe(false);
    expect(needsPrivateCache({ principal: {} }, { ...options, privateCache: false })).toBe(false);
  });

  it('adds a field to Vary once, keeping what is there', () => {
    expect(varyWith(undefined, 'Authorization')).toBe('Authorization');
    expect(varyWith('Origin', 'Authorization')).toBe('Origin, Authorization');
    expect(varyWith(['Origin', 'Accept'], 'Authorization')).toBe('Origin, Accept, Authorization');
    expect(varyWith('Origin, authorization', 'Authorization')).toBe('Origin, authorization');
  });

  it('adds each of several fields to Vary once', () => {
    expect(varyWith(undefined, 'Authorization, Cookie')).toBe('Authorization, Cookie');
    expect(varyWith('', 'Authorization, Cookie')).toBe('Authorization, Cookie');
    expect(varyWith('Origin', 'Authorization, Cookie')).toBe('Origin, Authorization, Cookie');
    expect(varyWith('cookie,Origin', 'Authorization, Cookie')).toBe('cookie,Origin, Authorization');
    expect(varyWith(['authorization', 'COOKIE'], 'Authorization, Cookie')).toBe(
      'authorization, COOKIE',
    );
    // What a framework may hold for a header set to nothing: no empty field is named.
    expect(varyWith(null, 'Authorization')).toBe('Authorization');
    expect(varyWith([], 'Authorization, Cookie')).toBe('Authorization, Cookie');
  });

  it('varies an answer with every header the guard reads a token from', () => {
    expect(varyFor({ tokenSources: ['authorization'] })).toBe('Authorization');
    expect(varyFor({ tokenSources: ['authorization', { cookie: 'id_token' }] })).toBe(
      'Authorization, Cookie',
    );
    expect(varyFor({ tokenSources: [{ cookie: 'id_token' }, { cookie: 'access_token' }] })).toBe(
      'Cookie',
    );
    // In front of the ALB, its session cookie is the credential; behind it, the headers it writes.
    expect(varyFor({ tokenSources: ['alb', 'authorization'] })).toBe(
      'X-Amzn-Oidc-Accesstoken, Cookie, Authorization',
    );
    expect(varyFor({ tokenSources: ['authorization'], albUserClaims: {} })).toBe(
      'Authorization, X-Amzn-Oidc-Data, Cookie',
    );
  });

  it('marks a header record with the fields it is given, in the casing the record uses', () => {
    expect(withPrivateMarks(undefined, 'Authorization, Cookie')).toEqual({
      'Cache-Control': 'private',
      Vary: 'Authorization, Cookie',
    });
    expect(withPrivateMarks({ vary: 'Origin' }, 'Cookie', { 'Cache-Control': 'no-cache' })).toEqual(
      { vary: 'Origin, Cookie' },
    );
  });
});

describe('canonical base64url', () => {
  it('accepts only the one spelling whose unused bits are zero', () => {
    expect(isCanonical('QQ')).toBe(true);
    expect(isCanonical('QR')).toBe(false);
    expect(isCanonical('QUE')).toBe(true);
    expect(isCanonical('QUF')).toBe(false);
    expect(isCanonical('QUJD')).toBe(true);
    expect(isCanonical('Q')).toBe(false);
  });

  it('refuses a token whose signature was re-spelled', async () => {
    const issuer = await startIssuer();
    try {
      const guard = createGuard(issuer.config);
      const token = issuer.accessToken();
      const last = token.at(-1) as string;
      const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
      const twin = `${token.slice(0, -1)}${alphabet[alphabet.indexOf(last) + 1]}`;
      expect((await guard.check(bearer(token))).allowed).toBe(true);
      expect(await guard.check(bearer(twin))).toMatchObject({ status: 401 });
    } finally {
      await issuer.stop();
    }
  });
});

describe('reusing a principal', () => {
  it('names why another guard’s principal is not acceptable', async () => {
    const issuer = await startIssuer();
    try {
      const lenient = createGuard({ ...issuer.config, clientId: null, tokenUse: 'any' });
      const strict = createGuard(issuer.config);
      const id = await lenient.authenticate(bearer(issuer.idToken({ clientId: 'other' })));
      expect(strict.verifier.refusal(id)?.reason).toBe('wrong_token_use');
      const foreignClient = await lenient.authenticate(
        bearer(issuer.accessToken({ clientId: 'other' })),
      );
      expect(strict.verifier.refusal(foreignClient)?.reason).toBe('client_invalid');
      const own = await strict.authenticate(bearer(issuer.accessToken()));
      expect(strict.verifier.refusal(own)).toBeUndefined();
      expect(strict.verifier.refusal(own, (own.expiresAt + 1) * 1000)?.reason).toBe(
        'token_expired',
      );
      // An expiry that is not a number (built by hand through the advanced API) never passes.
      const undated = createPrincipal({
        claims: own.claims,
        userPoolId: own.userPoolId,
        issuer: own.issuer,
        expiresAt: Number.NaN,
      });
      expect(strict.verifier.refusal(undated)?.reason).toBe('token_expired');
      const es = createGuard({ ...issuer.config, algorithms: ['ES256'] });
      expect(es.verifier.refusal(own)?.reason).toBe('alg_not_allowed');
      const shaped = { ...own };
      expect(strict.verifier.refusal(shaped)?.reason).toBe('token_invalid');
      const otherPool = createPrincipal({
        claims: { ...own.claims, iss: 'https://elsewhere' },
        userPoolId: 'x',
        issuer: 'https://elsewhere',
      });
      expect(strict.verifier.refusal(otherPool)?.reason).toBe('issuer_invalid');
      const noSub = createPrincipal({ claims: {}, userPoolId: 'x', issuer: own.issuer });
      expect(strict.verifier.refusal(noSub)?.reason).toBe('claims_invalid');
    } finally {
      await issuer.stop();
    }
  });
});

describe('path readings', () => {
  const policy = compileRoutePolicy({
    defaultAction: 'authenticated',
    routes: {
      'GET /admin': { public: true },
      'ANY /admin/{proxy+}': { groups: ['admins'] },
      'GET /shop/{proxy+}': { groups: ['buyers'] },
    },
  });
  const keys = (method: string, path: string, target = policy) => {
    const split = splitRequestPath(path, target.caseSensitive);
    if (!split.ok) throw new Error(split.problem);
    // '(unmatched)' rather than undefined: toEqual cannot tell [a, undefined] from [a].
    return target.readings(method, split).map((r) => r.routeKey ?? '(unmatched)');
  };

  it('reads a path once, and also as the greedy route it prefixes and, with a trailing slash, as unmatched', () => {
    expect(keys('GET', '/admin')).toStrictEqual(['GET /admin', 'ANY /admin/{proxy+}']);
    expect(keys('GET', '/shop/x')).toStrictEqual(['GET /shop/{proxy+}']);
    expect(keys('GET', '/admin/')).toStrictEqual([
      'GET /admin',
      'ANY /admin/{proxy+}',
      '(unmatched)',
    ]);
    expect(keys('GET', '/shop')).toStrictEqual(['(unmatched)', 'GET /shop/{proxy+}']);
    expect(keys('GET', '/admin/x')).toStrictEqual(['ANY /admin/{proxy+}']);
  });

  it('reads the case as received and the undecoded path too, as a router may', () => {
    expect(keys('GET', '/ADMIN')).toStrictEqual([
      'GET /admin',
      'ANY /admin/{proxy+}',
      '(unmatched)',
    ]);
    expect(keys('GET', '/ADMIN/x')).toStrictEqual(['ANY /admin/{proxy+}', '(unmatched)']);
    expect(keys('GET', '/%61dmin')).toStrictEqual([
      'GET /admin',
      'ANY /admin/{proxy+}',
      '(unmatched)',
    ]);
    expect(keys('GET', '/%41dmin')).toStrictEqual([
      'GET /admin',
      'ANY /admin/{proxy+}',
      '(unmatched)',
    ]);
    expect(keys('GET', '/admin/%78')).toStrictEqual(['ANY /admin/{proxy+}']);
    const sensitive = compileRoutePolicy(
      { routes: { 'GET /Admin': { public: true } } },
      { caseSensitive: true },
    );
    expect(keys('GET', '/Admin', sensitive)).toStrictEqual(['GET /Admin']);
    expect(keys('GET', '/admin', sensitive)).toStrictEqual(['(unmatched)']);
    expect(keys('GET', '/%41dmin', sensitive)).toStrictEqual(['GET /Admin', '(unmatched)']);
  });

  it('reads route keys written with capitals by their case too, unless paths are case-sensitive', () => {
    const mixed = compileRoutePolicy({ routes: { 'GET /Reports': { groups: ['finance'] } } });
    expect(keys('GET', '/Reports', mixed)).toStrictEqual(['GET /Reports']);
    expect(keys('GET', '/reports', mixed)).toStrictEqual(['GET /Reports', '(unmatched)']);
  });
});

describe('ambiguous comma-joined groups', () => {
  const principal = createPrincipal({
    claims: { sub: 's', 'cognito:groups': 'staff,admins,ops' },
    userPoolId: 'p',
    issuer: 'i',
    groupsEncoding: 'comma',
  });
  it('fails allow-rules closed and matches every reading in deny-rules', () => {
    expect(principal.groupsAmbiguous).toBe(true);
    expect(requireGroups('admins').check(principal)).toEqual({ reason: 'groups_ambiguous' });
    expect(requireAllGroups('admins').check(principal)).toEqual({ reason: 'groups_ambiguous' });
    expect(denyGroups('admins,ops').check(principal)).toEqual({ reason: 'group_denied' });
    expect(denyGroups('staff,admins,ops').check(principal)).toEqual({ reason: 'group_denied' });
    expect(denyGroups('staff,ops').check(principal)).toBeUndefined();
  });
  it('is one reading when the pool declares comma-free names, or without a comma', () => {
    const declared = createPrincipal({
      claims: { sub: 's', 'cognito:groups': 'staff,admins' },
      userPoolId: 'p',
      issuer: 'i',
      groupsEncoding: 'comma',
      commaFreeGroupNames: true,
    });
    expect(requireGroups('admins').check(declared)).toBeUndefined();
    const single = createPrincipal({
      claims: { sub: 's', 'cognito:groups': 'admins' },
      userPoolId: 'p',
      issuer: 'i',
      groupsEncoding: 'comma',
    });
    expect(requireGroups('admins').check(single)).toBeUndefined();
  });
});
