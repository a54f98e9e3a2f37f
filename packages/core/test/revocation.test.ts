// The revocation step with the in-memory store: each kind of revocation, on every way a caller
// is established (token, cached token, reused principal, authorizer claims), and the store's
// fail-closed rules when it cannot vouch for its list.

import { randomUUID } from 'node:crypto';
import { decodeJwt, type TestIssuer } from '@cognito-guard/testing';
import {
  type Claims,
  ConfigError,
  createGuard,
  type Decision,
  type Guard,
  memoryRevocationStore,
  type RevocationStore,
  requireGroups,
} from '../src';
import { createPrincipal } from '../src/subpaths/advanced';
import { bearer, configErrorMessage, guardFor, startIssuer } from './helpers';

const DAY_MS = 86_400_000;

describe('token revocation (memory store)', () => {
  let issuer: TestIssuer;
  beforeAll(async () => {
    issuer = await startIssuer();
  });
  afterAll(() => issuer.stop());

  const now = () => Math.floor(Date.now() / 1000);
  /** Tokens refreshed from one refresh token share `origin_jti` and `auth_time`. */
  const session = (username: string, authTime = now()) => {
    const originJti = randomUUID();
    return {
      originJti,
      token: () =>
        issuer.accessToken({
          username,
          groups: ['movies-group'],
          claims: { origin_jti: originJti, auth_time: authTime, jti: randomUUID() },
        }),
    };
  };
  const decide = (guard: Guard, token: string): Promise<Decision> =>
    guard.check(bearer(token, 'GET', '/movies'), requireGroups('movies-group'));

  function guarded(store: RevocationStore = memoryRevocationStore()): {
    guard: Guard;
    store: RevocationStore;
  } {
    return { guard: guardFor(issuer, { revocation: { store } }), store };
  }

  it('denies every token of a revoked session (origin_jti) and none of another session', async () => {
    const { guard, store } = guarded();
    const phone = session('alice');
    const laptop = session('alice');
    const first = phone.token();
    expect(await decide(guard, first)).toMatchObject({ allowed: true });
    await store.revokeToken(first);
    for (const token of [first, phone.token()]) {
      expect(await decide(guard, token)).toMatchObject({
        allowed: false,
        status: 401,
        reason: 'token_revoked',
        code: 'invalid_token',
      });
    }
    expect(await decide(guard, laptop.token())).toMatchObject({ allowed: true });
  });

  it('answers 401 with an RFC 6750 challenge, and tells the operator what was revoked', async () => {
    const { guard, store } = guarded();
    const token = session('alice').token();
    await store.revokeToken(token);
    const decision = await decide(guard, token);
    expect(decision.error?.headers['WWW-Authenticate']).toBe(
      'Bearer realm="api", error="invalid_token", error_description="The token has been revoked"',
    );
    expect(decision.error?.detail).toBe('its session (origin_jti) was revoked');
    const alone = issuer.accessToken({
      groups: ['movies-group'],
      claims: { origin_jti: undefined },
    });
    await store.revokeToken(alone);
    expect((await decide(guard, alone)).error?.detail).toBe('the token (jti) was revoked');
    const signedOut = session('bob', now() - 60);
    await store.signOutUser(decodeJwt(signedOut.token()).payload.sub as string);
    expect((await decide(guard, signedOut.token())).error?.detail).toBe(
      'its user was signed out at or after auth_time',
    );
  });

  it('revokes one token by jti when it has no origin_jti, and only that token', async () => {
    const { guard, store } = guarded();
    const alone = issuer.accessToken({
      groups: ['movies-group'],
      claims: { origin_jti: undefined },
    });
    const other = issuer.accessToken({
      groups: ['movies-group'],
      claims: { origin_jti: undefined },
    });
    await store.revokeToken(alone);
    expect(await decide(guard, alone)).toMatchObject({ reason: 'token_revoked' });
    expect(await decide(guard, other)).toMatchObject({ allowed: true });
    const explicit = issuer.accessToken({ groups: ['movies-group'] });
    const { jti } = decodeJwt(explicit).payload as { jti: string };
    await store.revokeJti(jti, Date.now() + 60_000);
    expect(await decide(guard, explicit)).toMatchObject({ reason: 'token_revoked' });
    expect(await decide(guard, session('bob').token())).toMatchObject({ allowed: true });
  });

  it('signs a user out everywhere: tokens authenticated at or before the cut-off, not a later login', async () => {
    const { guard, store } = guarded();
    const before = session('alice', now() - 60);
    const sameSecond = session('alice', now());
    const bob = session('bob', now() - 60);
    await store.signOutUser(decodeJwt(before.token()).payload.sub as string);
    expect(await decide(guard, before.token())).toMatchObject({ reason: 'token_revoked' });
    expect(await decide(guard, sameSecond.token())).toMatchObject({ reason: 'token_revoked' });
    const later = session('alice', now() + 2);
    expect(await decide(guard, later.token())).toMatchObject({ allowed: true });
    expect(await decide(guard, bob.token())).toMatchObject({ allowed: true });
  });

  it('judges sign-outs by auth_time, not iat: a token refreshed after the sign-out stays revoked', async () => {
    const { guard, store } = guarded();
    const sub = randomUUID();
    const login = now() - 600;
    await store.signOutUser(sub, (login + 1) * 1000);
    const refreshed = issuer.accessToken({
      sub,
      groups: ['movies-group'],
      claims: { auth_time: login, iat: now() },
    });
    expect(await decide(guard, refreshed)).toMatchObject({ reason: 'token_revoked' });
    const noAuthTime = issuer.accessToken({
      sub,
      groups: ['movies-group'],
      claims: { auth_time: undefined, iat: login },
    });
    expect(await decide(guard, noAuthTime)).toMatchObject({ reason: 'token_revoked' });
    const neither = issuer.accessToken({
      sub,
      groups: ['movies-group'],
      claims: { auth_time: undefined, iat: undefined },
    });
    expect(await decide(guard, neither)).toMatchObject({ reason: 'token_revoked' });
  });

  it('lets entries expire: a revocation until a past instant denies nothing', async () => {
    const store = memoryRevocationStore();
    const { guard } = guarded(store);
    const live = session('alice');
    await store.revokeOrigin(live.originJti, Date.now() + 150);
    expect(await decide(guard, live.token())).toMatchObject({ reason: 'token_revoked' });
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(await decide(guard, live.token())).toMatchObject({ allowed: true });
    const claims: Claims = { origin_jti: live.originJti, sub: 'x' };
    expect(store.lookup(claims)).toBeUndefined();
    expect(store.lookup(claims, Date.now() - 1_000)).toBe('origin');
  });

  it('keeps a revoked session revoked for the refresh-token validity, not just the token in hand', async () => {
    const store = memoryRevocationStore({ refreshTokenValiditySeconds: 2 * 86_400 });
    const shortLived = issuer.accessToken({ expiresIn: 60 });
    await store.revokeToken(shortLived);
    const claims = decodeJwt(shortLived).payload as Claims;
    expect(store.lookup(claims, Date.now() + DAY_MS)).toBe('origin');
    expect(store.lookup(claims, Date.now() + 2 * DAY_MS + 60_000)).toBeUndefined();
  });

  it('never lets the verified-token cache answer for a revoked token', async () => {
    const { guard, store } = guarded();
    const token = session('alice').token();
    expect(await decide(guard, token)).toMatchObject({ allowed: true });
    expect(await decide(guard, token)).toMatchObject({ allowed: true }); // admitted to the cache
    expect(guard.verifier.cacheSize).toBe(1);
    await store.revokeToken(token);
    expect(await decide(guard, token)).toMatchObject({ reason: 'token_revoked' });
    await expect(guard.authenticate(bearer(token))).rejects.toMatchObject({
      reason: 'token_revoked',
    });
  });

  it('denies a reused principal and an authorizer-verified principal alike', async () => {
    const { guard, store } = guarded();
    const lenient = createGuard({ ...issuer.config });
    const token = session('alice').token();
    const previous = await lenient.authenticate(bearer(token));
    await store.revokeToken(previous);
    expect(
      await guard.check(bearer(token), requireGroups('movies-group'), { previous }),
    ).toMatchObject({ reason: 'token_revoked' });
    const fromClaims = createPrincipal({
      claims: previous.claims,
      userPoolId: previous.userPoolId,
      issuer: previous.issuer,
    });
    expect(await guard.authorize(fromClaims, requireGroups('movies-group'))).toMatchObject({
      reason: 'token_revoked',
    });
  });

  it('is always current, ready at once, and emptied by close()', async () => {
    const store = memoryRevocationStore();
    await expect(store.ready()).resolves.toBeUndefined();
    await expect(store.refresh()).resolves.toBeUndefined();
    expect(store.stalenessMs()).toBe(0);
    await store.revokeOrigin('o', Date.now() + 60_000);
    expect(store.lookup({ origin_jti: 'o' })).toBe('origin');
    await store.close();
    expect(store.lookup({ origin_jti: 'o' })).toBeUndefined();
  });

  it('rejects bad revoke calls with a message naming the argument', async () => {
    const store = memoryRevocationStore();
    await expect(store.revokeOrigin('', Date.now())).rejects.toThrow(
      'originJti: must be a non-empty string',
    );
    await expect(store.signOutUser('u', Number.NaN)).rejects.toThrow('at: must be a Date');
    await expect(store.revokeToken('not-a-jwt')).rejects.toThrow('not a JWT');
    const bare = issuer.accessToken({ claims: { origin_jti: undefined, jti: undefined } });
    await expect(store.revokeToken(bare)).rejects.toThrow('neither an origin_jti nor a jti');
    expect(() => memoryRevocationStore({ refreshTokenValiditySeconds: 0 })).toThrow(
      'refreshTokenValiditySeconds: must be a positive number',
    );
  });

  it('fails at start-up on a revocation setting that is not a store, naming the field', () => {
    const message = configErrorMessage(() =>
      createGuard({ ...issuer.config, revocation: { store: {} as RevocationStore } }),
    );
    expect(message).toContain('revocation.store');
    expect(message).toContain('must be a revocation store');
    expect(
      configErrorMessage(() =>
        createGuard({
          ...issuer.config,
          revocation: { store: memoryRevocationStore(), maxStalenessSeconds: 0 },
        }),
      ),
    ).toContain('revocation.maxStalenessSeconds');
  });
});

describe('a revocation store that cannot vouch for its list', () => {
  let issuer: TestIssuer;
  beforeAll(async () => {
    issuer = await startIssuer();
  });
  afterAll(() => issuer.stop());

  /**
   * A store whose list is the memory store's, and whose freshness the test sets: the situation
   * a Redis store is in while Redis is away (the Redis suites cause it for real).
   */
  function staleStore(refresh: () => Promise<void>) {
    const inner = memoryRevocationStore();
    const state = { staleness: 0, refreshes: 0 };
    const store: RevocationStore = {
      ...inner,
      stalenessMs: () => state.staleness,
      refresh: () => {
        state.refreshes += 1;
        return refresh();
      },
    };
    return { store, state };
  }

  it('answers 503 with Retry-After past maxStalenessSeconds when a refresh cannot help', async () => {
    const { store, state } = staleStore(() => Promise.reject(new Error('ECONNREFUSED')));
    const guard = guardFor(issuer, { revocation: { store, maxStalenessSeconds: 3 } });
    const token = issuer.accessToken({ groups: ['movies-group'] });
    state.staleness = 3_000;
    expect(await guard.check(bearer(token), requireGroups('movies-group'))).toMatchObject({
      allowed: true,
    });
    expect(state.refreshes).toBe(0);
    state.staleness = 3_001;
    const decision = await guard.check(bearer(token), requireGroups('movies-group'));
    expect(decision).toMatchObject({
      allowed: false,
      status: 503,
      reason: 'revocation_unavailable',
    });
    expect(decision.error?.headers).toEqual({ 'Retry-After': '3', 'Cache-Control': 'no-store' });
    expect(state.refreshes).toBe(1);
  });

  it('decides after a refresh that proves the list current (a thawed Lambda)', async () => {
    const { store, state } = staleStore(async () => {
      state.staleness = 0;
    });
    const guard = guardFor(issuer, { revocation: { store } });
    const token = issuer.accessToken({ groups: ['movies-group'] });
    await store.revokeToken(token);
    state.staleness = 60_000;
    expect(await guard.check(bearer(token), requireGroups('movies-group'))).toMatchObject({
      reason: 'token_revoked',
    });
    state.staleness = 60_000;
    const fresh = issuer.accessToken({ groups: ['movies-group'] });
    expect(await guard.check(bearer(fresh), requireGroups('movies-group'))).toMatchObject({
      allowed: true,
    });
  });

  it('still 503s when a refresh resolves but the list stays stale', async () => {
    const { store, state } = staleStore(async () => undefined);
    const guard = guardFor(issuer, { revocation: { store } });
    state.staleness = Number.POSITIVE_INFINITY;
    const token = issuer.accessToken({ groups: ['movies-group'] });
    expect(await guard.check(bearer(token), requireGroups('movies-group'))).toMatchObject({
      status: 503,
    });
  });

  it("with onStoreUnavailable: 'allow', decides on the list as last known and warns once an outage", async () => {
    const warnings: string[] = [];
    const { store, state } = staleStore(() => Promise.reject(new Error('down')));
    const guard = guardFor(issuer, {
      revocation: { store, onStoreUnavailable: 'allow' },
      logger: { warn: (message) => warnings.push(message) },
    });
    const revoked = issuer.accessToken({ groups: ['movies-group'] });
    await store.revokeToken(revoked);
    state.staleness = Number.POSITIVE_INFINITY;
    const token = issuer.accessToken({ groups: ['movies-group'] });
    expect(await guard.check(bearer(token), requireGroups('movies-group'))).toMatchObject({
      allowed: true,
    });
    expect(await guard.check(bearer(revoked), requireGroups('movies-group'))).toMatchObject({
      reason: 'token_revoked',
    });
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toContain("onStoreUnavailable: 'allow'");
    expect(state.refreshes).toBe(0);
    // One warning per outage: current again, then stale again, warns again.
    state.staleness = 0;
    await guard.check(bearer(token), requireGroups('movies-group'));
    expect(warnings).toHaveLength(1);
    state.staleness = Number.POSITIVE_INFINITY;
    await guard.check(bearer(token), requireGroups('movies-group'));
    await guard.check(bearer(token), requireGroups('movies-group'));
    expect(warnings).toHaveLength(2);
  });

  it('rejects guard.ready() with a 503 when the store cannot load', async () => {
    const store: RevocationStore = {
      ...memoryRevocationStore(),
      ready: () => Promise.reject(new Error('ECONNREFUSED 127.0.0.1:6379')),
    };
    const guard = guardFor(issuer, { revocation: { store, maxStalenessSeconds: 7 } });
    await expect(guard.ready()).rejects.toMatchObject({
      status: 503,
      reason: 'revocation_unavailable',
      retryAfterSeconds: 7,
      headers: { 'Retry-After': '7' },
      cause: { message: 'ECONNREFUSED 127.0.0.1:6379' },
    });
    await guard.verifier.ready();
  });

  it('rejects guard.ready() with the store’s ConfigError as it is: start-up fails on the option', async () => {
    const refusal = new ConfigError('redisRevocationStore', [
      { field: 'url', message: 'is a Redis Cluster node' },
    ]);
    const store: RevocationStore = {
      ...memoryRevocationStore(),
      ready: () => Promise.reject(refusal),
    };
    const guard = guardFor(issuer, { revocation: { store } });
    await expect(guard.ready()).rejects.toBe(refusal);
    // The keys' fetch, started beside the store's, ends before the issuer stops.
    await guard.verifier.ready();
  });
});
