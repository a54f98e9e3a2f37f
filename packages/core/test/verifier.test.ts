import { attackBattery, type TestIssuer } from '@cognito-guard/testing';
import { createGuard, type Guard, type Principal, TokenExpiredError } from '../src';
import { bearer, guardFor, startIssuer } from './helpers';

async function denial(guard: Guard, token: string) {
  const decision = await guard.check(bearer(token));
  if (decision.allowed) throw new Error('expected a denial');
  return decision;
}

describe('token verification against a loopback JWKS', () => {
  let issuer: TestIssuer;
  let guard: Guard;

  beforeAll(async () => {
    issuer = await startIssuer();
    guard = guardFor(issuer);
    await guard.ready();
  });
  afterAll(() => issuer.stop());

  it('accepts a valid access token and builds a frozen principal', async () => {
    const token = issuer.accessToken({
      username: 'alice',
      groups: ['movies-group'],
      scopes: ['movies/read'],
    });
    const principal = (await guard.authenticate(bearer(token))) as Principal;
    expect(principal).toMatchObject({
      username: 'alice',
      groups: ['movies-group'],
      scopes: ['movies/read'],
      tokenUse: 'access',
      clientId: issuer.clientId,
      issuer: issuer.issuer,
      userPoolId: issuer.userPoolId,
      token,
    });
    expect(principal.sub).toMatch(/^[0-9a-f-]{36}$/);
    expect(principal.expiresAt).toBeGreaterThan(Date.now() / 1000);
    expect(Object.isFrozen(principal)).toBe(true);
    expect(Object.isFrozen(principal.groups)).toBe(true);
    expect(Object.isFrozen(principal.claims)).toBe(true);
    expect(() => (principal.groups as string[]).push('admins')).toThrow(TypeError);
    // One frozen array per cached token, not a copy beside the claims.
    expect(principal.groups).toBe(principal.claims['cognito:groups']);
  });

  it('gives [] for a user in no group (claim omitted, as Cognito does)', async () => {
    const principal = await guard.authenticate(bearer(issuer.accessToken({ username: 'dave' })));
    expect(principal.groups).toEqual([]);
    expect(principal.claims['cognito:groups']).toBeUndefined();
  });

  it('accepts ID tokens when configured, with cognito:username and aud', async () => {
    const idGuard = guardFor(issuer, { tokenUse: 'id' });
    const token = issuer.idToken({
      username: 'carol',
      groups: ['a', 'b'],
      attributes: { tier: 'gold' },
    });
    const principal = await idGuard.authenticate(bearer(token));
    expect(principal).toMatchObject({
      username: 'carol',
      tokenUse: 'id',
      clientId: issuer.clientId,
      groups: ['a', 'b'],
    });
    expect(principal.claims['custom:tier']).toBe('gold');
    expect(principal.claims['email']).toBe('carol@example.com');
  });

  it('accepts both kinds with tokenUse any', async () => {
    const anyGuard = guardFor(issuer, { tokenUse: 'any' });
    await expect(anyGuard.authenticate(bearer(issuer.idToken()))).resolves.toMatchObject({
      tokenUse: 'id',
    });
    await expect(anyGuard.authenticate(bearer(issuer.accessToken()))).resolves.toMatchObject({
      tokenUse: 'access',
    });
  });

  it('skips the client check only with an explicit null', async () => {
    const open = guardFor(issuer, { clientId: null });
    await expect(
      open.authenticate(bearer(issuer.brokenToken('wrong-client'))),
    ).resolves.toMatchObject({
      clientId: 'another-client',
    });
  });

  it('accepts a list of clients', async () => {
    const multi = guardFor(issuer, { clientId: ['x', 'another-client'] });
    await expect(
      multi.authenticate(bearer(issuer.brokenToken('wrong-client'))),
    ).resolves.toBeDefined();
  });

  it.each([
    ['expired', 'token_expired'],
    ['not-yet-valid', 'token_not_yet_valid'],
    ['wrong-token-use', 'wrong_token_use'],
    ['wrong-client', 'client_invalid'],
    ['other-pool', 'issuer_invalid'],
    ['no-exp', 'exp_missing'],
    ['unknown-kid', 'kid_unknown'],
    ['foreign-key', 'signature_invalid'],
    ['alg-none', 'token_malformed'],
    ['hs256-public-key', 'alg_not_allowed'],
    ['tampered', 'signature_invalid'],
  ] as const)('refuses a %s token with 401 (%s)', async (kind, reason) => {
    const decision = await denial(guard, issuer.brokenToken(kind, { groups: ['movies-group'] }));
    expect(decision).toMatchObject({ status: 401, code: 'invalid_token', reason });
    expect(decision.error.headers['WWW-Authenticate']).toContain('error="invalid_token"');
    expect(decision.error.headers['WWW-Authenticate']).not.toContain(issuer.issuer);
  });

  it('names every accepted value, joined, in what it tells the client and the operator', async () => {
    const anyUse = guardFor(issuer, { tokenUse: 'any' });
    const refresh = issuer.accessToken({ claims: { token_use: 'refresh' } });
    const wrongUse = (await denial(anyUse, refresh)).error;
    expect(wrongUse.description).toMatch(/^Expected (id or access|access or id) token$/);
    expect(wrongUse.detail).toMatch(/^token use refresh; expected (id or access|access or id) \(/);
    const twoClients = guardFor(issuer, { clientId: ['x', 'y'] });
    const wrongClient = (await denial(twoClients, issuer.brokenToken('wrong-client'))).error;
    expect(wrongClient.detail).toBe(
      'client another-client; expected x or y (clientId, COGNITO_CLIENT_ID)',
    );
    const twoOthers = guardFor(issuer, { algorithms: ['ES256', 'ES384'] });
    const rs256 = (await denial(twoOthers, issuer.accessToken())).error;
    expect(rs256.detail).toBe('alg RS256; allowed ES256, ES384 (algorithms)');
  });

  it('refuses an expiry JSON reads as Infinity, which no clock would ever pass', async () => {
    // The battery's own case, so this test and the attack run refuse the same token.
    const endless = attackBattery(issuer).find((attack) => attack.name === 'exp infinite (1e999)');
    const [name, value] = endless?.headers[0] ?? [];
    expect(name).toBe('Authorization');
    expect(value).toMatch(/^Bearer /);
    const decision = await denial(guard, (value as string).slice('Bearer '.length));
    // Refused where the token is read, before the expiry check (which refuses it too).
    expect(decision).toMatchObject({
      status: 401,
      code: 'invalid_token',
      reason: 'token_malformed',
    });
  });

  it('answers an expired token with API Gateway wording', async () => {
    const decision = await denial(guard, issuer.brokenToken('expired'));
    expect(decision.error).toBeInstanceOf(TokenExpiredError);
    expect(decision.error.body).toEqual({ message: 'The incoming token has expired' });
  });

  it('refuses a token with no iss, and a token from another issuer entirely', async () => {
    const noIss = issuer.sign(
      { ...claims(issuer.accessToken()), iss: undefined },
      { claims: { iss: undefined } },
    );
    expect(await denial(guard, noIss)).toMatchObject({ status: 401, reason: 'issuer_invalid' });
    const foreign = issuer.accessToken({
      issuer: 'https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_Other',
    });
    expect(await denial(guard, foreign)).toMatchObject({ status: 401, reason: 'issuer_invalid' });
  });

  it('refuses exp given as a string, and a non-numeric nbf', async () => {
    const stringExp = issuer.sign(claims(issuer.accessToken()), { claims: { exp: '9999999999' } });
    // aws-jwt-verify refuses a non-numeric exp while parsing.
    expect(await denial(guard, stringExp)).toMatchObject({
      status: 401,
      reason: 'token_malformed',
    });
    const badNbf = issuer.sign(claims(issuer.accessToken()), { claims: { nbf: 'later' } });
    expect(await denial(guard, badNbf)).toMatchObject({ status: 401, reason: 'token_malformed' });
  });

  it('tolerates clock skew within graceSeconds', async () => {
    const lenient = guardFor(issuer, { graceSeconds: 300 });
    await expect(
      lenient.authenticate(bearer(issuer.accessToken({ expiresIn: -60 }))),
    ).resolves.toBeDefined();
    await expect(
      guard.authenticate(bearer(issuer.accessToken({ expiresIn: -60 }))),
    ).rejects.toMatchObject({
      reason: 'token_expired',
    });
  });

  it('refuses garbage of every kind with 401, never throwing', async () => {
    for (const token of [
      'x',
      'a.b',
      'a.b.c',
      '..',
      'eyJ.eyJ.sig',
      `${'A'.repeat(20)}.${'B'.repeat(20)}.`,
    ]) {
      const decision = await guard.check({
        method: 'GET',
        path: '/',
        headers: { authorization: `Bearer ${token}` },
      });
      expect(decision).toMatchObject({ allowed: false, status: 401 });
    }
  });
});

describe('verified-token cache', () => {
  let issuer: TestIssuer;
  beforeAll(async () => {
    issuer = await startIssuer();
  });
  afterAll(() => issuer.stop());

  it('serves a repeated token from the cache, keyed by the whole token', async () => {
    const guard = guardFor(issuer);
    const token = issuer.accessToken({ groups: ['g'] });
    await guard.verifier.verify(token);
    expect(guard.verifier.cacheSize).toBe(0); // first sighting: remembered, not stored
    const admitted = await guard.verifier.verify(token);
    expect(guard.verifier.cacheSize).toBe(1);
    expect(guard.verifier.verify(token)).toBe(admitted); // same object, returned synchronously
    // The second-to-last character changed, whatever it was (checking the last one instead left
    // the token unchanged once in 64 runs).
    const tampered = `${token.slice(0, -2)}${token.at(-2) === 'A' ? 'B' : 'A'}${token.slice(-1)}`;
    expect(tampered).not.toBe(token);
    await expect(guard.authenticate(bearer(tampered))).rejects.toMatchObject({ status: 401 });
    await expect(guard.authenticate(bearer(tampered))).rejects.toMatchObject({ status: 401 });
    expect(guard.verifier.cacheSize).toBe(1); // failures are not cached, however often seen
  });

  it('counts its hits, misses and evictions', async () => {
    const guard = guardFor(issuer, { cache: { maxEntries: 1 } });
    const [a, b] = [issuer.accessToken({ username: 'a' }), issuer.accessToken({ username: 'b' })];
    await guard.verifier.verify(a); // miss, remembered
    const cachedA = await guard.verifier.verify(a); // miss, stored
    guard.verifier.verify(a); // hit
    await guard.verifier.verify(b); // miss, remembered: a stays
    guard.verifier.verify(a); // hit
    await guard.verifier.verify(b); // miss, stored: evicts a
    expect(guard.verifier.cacheStats).toEqual({ hits: 2, misses: 4, evictions: 1 });
    expect(guard.verifier.verify(a)).not.toBe(cachedA); // verified again: a new principal
  });

  it('admits a token on its second sighting, so a flood of one-off tokens evicts nothing', async () => {
    const guard = guardFor(issuer, { cache: { maxEntries: 2 } });
    const [a, b] = [issuer.accessToken({ username: 'a' }), issuer.accessToken({ username: 'b' })];
    for (const token of [a, a, b, b]) await guard.verifier.verify(token);
    const cached = [guard.verifier.verify(a), guard.verifier.verify(b)];
    for (let i = 0; i < 40; i++)
      await guard.verifier.verify(issuer.accessToken({ username: `once${i}` }));
    expect(guard.verifier.cacheSize).toBe(2);
    expect(guard.verifier.cacheStats.evictions).toBe(0);
    expect([guard.verifier.verify(a), guard.verifier.verify(b)]).toEqual(cached);
    expect(guard.verifier.verify(a)).toBe(cached[0]); // the very objects: hits, not re-verifications
  });

  it('forgets first sightings when cleared', async () => {
    const guard = guardFor(issuer);
    const token = issuer.accessToken();
    await guard.verifier.verify(token);
    guard.verifier.clearCache();
    await guard.verifier.verify(token);
    expect(guard.verifier.cacheSize).toBe(0); // the sighting before the clear was forgotten
    await guard.verifier.verify(token);
    expect(guard.verifier.cacheSize).toBe(1);
  });

  it('never answers a token that only shares the cached token signature', async () => {
    const guard = guardFor(issuer);
    const token = issuer.accessToken({ groups: ['readers'] });
    await guard.verifier.verify(token);
    const [header, payload, signature] = token.split('.');
    const claims = JSON.parse(Buffer.from(payload as string, 'base64url').toString());
    const forged = Buffer.from(JSON.stringify({ ...claims, 'cognito:groups': ['admins'] }));
    const tampered = `${header}.${forged.toString('base64url')}.${signature}`;
    await expect(guard.authenticate(bearer(tampered))).rejects.toMatchObject({
      status: 401,
      reason: 'signature_invalid',
    });
    // Nor one whose header alone differs.
    const reheaded = `${Buffer.from('{"alg":"RS256","typ":"JWT"}').toString('base64url')}.${payload}.${signature}`;
    await expect(guard.authenticate(bearer(reheaded))).rejects.toMatchObject({ status: 401 });
    expect(guard.verifier.verify(token)).toMatchObject({ groups: ['readers'] });
  });

  it('re-checks exp on every hit', async () => {
    const guard = guardFor(issuer);
    const token = issuer.accessToken({ expiresIn: 2 });
    await guard.authenticate(bearer(token));
    await guard.authenticate(bearer(token));
    expect(guard.verifier.cacheSize).toBe(1);
    const now = Date.now();
    jest.spyOn(Date, 'now').mockReturnValue(now + 5_000);
    try {
      await expect(guard.authenticate(bearer(token))).rejects.toMatchObject({
        reason: 'token_expired',
      });
    } finally {
      jest.restoreAllMocks();
    }
  });

  it('evicts the least recently used entry beyond maxEntries', async () => {
    const guard = guardFor(issuer, { cache: { maxEntries: 2 } });
    const [a, b, c] = [issuer.accessToken(), issuer.accessToken(), issuer.accessToken()] as [
      string,
      string,
      string,
    ];
    await guard.verifier.verify(a);
    const pa = await guard.verifier.verify(a);
    await guard.verifier.verify(b);
    const pb = await guard.verifier.verify(b);
    expect(guard.verifier.verify(a)).toBe(pa); // touch a: b is now least recent
    await guard.verifier.verify(c);
    await guard.verifier.verify(c);
    expect(guard.verifier.cacheSize).toBe(2);
    expect(guard.verifier.verify(a)).toBe(pa);
    const pb2 = guard.verifier.verify(b);
    expect(pb2).not.toBe(pb); // evicted: verified again, a new principal
  });

  it('expires entries after maxAgeSeconds even when the token lives longer', async () => {
    const guard = guardFor(issuer, { cache: { maxAgeSeconds: 1 } });
    const token = issuer.accessToken({ expiresIn: 3600 });
    await guard.verifier.verify(token);
    const first = await guard.verifier.verify(token);
    expect(guard.verifier.verify(token)).toBe(first);
    const now = Date.now();
    jest.spyOn(Date, 'now').mockReturnValue(now + 1_500);
    try {
      expect(guard.verifier.verify(token)).not.toBe(first);
    } finally {
      jest.restoreAllMocks();
    }
  });

  it('can be turned off', async () => {
    const guard = guardFor(issuer, { cache: false });
    const token = issuer.accessToken();
    await guard.verifier.verify(token);
    expect(guard.verifier.cacheSize).toBe(0);
    expect(guard.verifier.verify(token)).not.toBe(await guard.verifier.verify(token));
    expect(guard.verifier.cacheStats).toEqual({ hits: 0, misses: 0, evictions: 0 });
    expect(() => guard.verifier.clearCache()).not.toThrow();
  });

  it('clears on demand', async () => {
    const guard = guardFor(issuer);
    await guard.verifier.verify(issuer.accessToken());
    guard.verifier.clearCache();
    expect(guard.verifier.cacheSize).toBe(0);
  });
});

describe('key handling', () => {
  it('ready() fetches keys up front, so the first request needs no fetch', async () => {
    const issuer = await startIssuer();
    try {
      const guard = guardFor(issuer);
      await guard.ready();
      expect(issuer.jwksRequests).toBe(1);
      await guard.authenticate(bearer(issuer.accessToken()));
      expect(issuer.jwksRequests).toBe(1);
    } finally {
      await issuer.stop();
    }
  });

  it('fetches once for a burst of concurrent first requests', async () => {
    const issuer = await startIssuer();
    try {
      const guard = guardFor(issuer);
      const tokens = Array.from({ length: 50 }, () => issuer.accessToken());
      const results = await Promise.all(tokens.map((t) => guard.check(bearer(t))));
      expect(results.every((d) => d.allowed)).toBe(true);
      expect(issuer.jwksRequests).toBe(1);
      expect(guard.verifier.fetcher.fetchCount).toBe(1);
    } finally {
      await issuer.stop();
    }
  });

  it('a burst of unknown kids costs one fetch, not N, and valid tokens keep working', async () => {
    const issuer = await startIssuer();
    try {
      const guard = guardFor(issuer);
      await guard.ready();
      const forged = Array.from({ length: 100 }, (_, i) =>
        issuer.sign(claims(issuer.accessToken()), { header: { kid: `unknown-${i}` } }),
      );
      // Signed with a key id the issuer does not publish: header kid replaced after signing fails
      // lookup, so every one of them needs a refetch to be judged.
      const decisions = await Promise.all(forged.map((t) => guard.check(bearer(t))));
      expect(
        decisions.every((d) => !d.allowed && d.status === 401 && d.reason === 'kid_unknown'),
      ).toBe(true);
      expect(issuer.jwksRequests).toBe(2); // ready() + one refetch for the whole burst
      const more = await Promise.all(forged.slice(0, 20).map((t) => guard.check(bearer(t))));
      expect(more.every((d) => d.status === 401)).toBe(true);
      expect(issuer.jwksRequests).toBe(2); // cooldown: no more refetches
      expect((await guard.check(bearer(issuer.accessToken()))).allowed).toBe(true);
    } finally {
      await issuer.stop();
    }
  });

  it('waits unknownKidCooldownSeconds between refetches for unknown kids, as configured', async () => {
    const issuer = await startIssuer();
    try {
      const guard = guardFor(issuer, { jwks: { unknownKidCooldownSeconds: 0 } });
      await guard.ready();
      const unknown = (kid: string) =>
        guard.check(bearer(issuer.sign(claims(issuer.accessToken()), { header: { kid } })));
      expect(await unknown('unknown-1')).toMatchObject({ status: 401, reason: 'kid_unknown' });
      expect(issuer.jwksRequests).toBe(2);
      // No cooldown: once the timer that ends it has run, the next unknown kid refetches.
      await new Promise((resolve) => setTimeout(resolve, 10));
      expect(await unknown('unknown-2')).toMatchObject({ status: 401, reason: 'kid_unknown' });
      expect(issuer.jwksRequests).toBe(3);
    } finally {
      await issuer.stop();
    }
  });

  it('picks up a rotated key with one refetch', async () => {
    const issuer = await startIssuer();
    try {
      const guard = guardFor(issuer);
      await guard.ready();
      issuer.rotateKey();
      const decision = await guard.check(bearer(issuer.accessToken()));
      expect(decision.allowed).toBe(true);
      expect(issuer.jwksRequests).toBe(2);
    } finally {
      await issuer.stop();
    }
  });

  it('refuses tokens of a retired key once the JWKS was refreshed and the cache aged out', async () => {
    const issuer = await startIssuer();
    try {
      const guard = guardFor(issuer, { cache: false });
      await guard.ready();
      const oldToken = issuer.accessToken();
      expect((await guard.check(bearer(oldToken))).allowed).toBe(true);
      issuer.rotateKey({ retireOld: true });
      // A token with the new kid triggers the refetch that drops the old key.
      expect((await guard.check(bearer(issuer.accessToken()))).allowed).toBe(true);
      expect(await guard.check(bearer(oldToken))).toMatchObject({
        allowed: false,
        status: 401,
        reason: 'kid_unknown',
      });
    } finally {
      await issuer.stop();
    }
  });

  it('answers 503, not 401, while the key server is down, and recovers without a restart', async () => {
    const issuer = await startIssuer();
    const guard = guardFor(issuer, { jwks: { retryAfterSeconds: 0.2 } });
    const token = issuer.accessToken();
    await issuer.stop();
    try {
      const down = await guard.check(bearer(token));
      expect(down).toMatchObject({ allowed: false, status: 503, reason: 'keys_unavailable' });
      expect(down.error?.headers['Retry-After']).toBe('1');
      await expect(guard.ready()).rejects.toMatchObject({ status: 503 });
      await issuer.start();
      await new Promise((resolve) => setTimeout(resolve, 250));
      expect((await guard.check(bearer(token))).allowed).toBe(true);
    } finally {
      await issuer.stop();
    }
  });

  it('fails fast within the retry window instead of hammering the key server', async () => {
    const issuer = await startIssuer();
    try {
      const guard = guardFor(issuer, { jwks: { retryAfterSeconds: 30 } });
      issuer.setJwksFault({ kind: 'status', status: 500 });
      expect(await guard.check(bearer(issuer.accessToken()))).toMatchObject({ status: 503 });
      const requests = issuer.jwksRequests;
      for (let i = 0; i < 5; i++) {
        const d = await guard.check(bearer(issuer.accessToken()));
        expect(d).toMatchObject({ status: 503 });
        expect(Number(d.error?.headers['Retry-After'])).toBeGreaterThan(1);
      }
      expect(issuer.jwksRequests).toBe(requests);
    } finally {
      await issuer.stop();
    }
  });

  it('times out a slow key server with a 503 instead of hanging', async () => {
    const issuer = await startIssuer();
    try {
      issuer.setJwksFault({ kind: 'hang' });
      const guard = guardFor(issuer, { jwks: { timeoutMs: 200 } });
      const started = Date.now();
      const decision = await guard.check(bearer(issuer.accessToken()));
      expect(decision).toMatchObject({ status: 503, reason: 'keys_unavailable' });
      expect(Date.now() - started).toBeLessThan(5_000);
    } finally {
      await issuer.stop();
    }
  });

  it('stops reading a 5 MB key-server answer at the size cap, keeping memory bounded', async () => {
    const issuer = await startIssuer();
    try {
      issuer.setJwksFault({ kind: 'oversized', bytes: 5 * 1024 * 1024 });
      const guard = guardFor(issuer, { jwks: { maxBytes: 64 * 1024 } });
      expect(await guard.check(bearer(issuer.accessToken()))).toMatchObject({ status: 503 });
      expect(guard.verifier.fetcher.peakBodyBytes).toBeLessThanOrEqual(64 * 1024);
      expect(guard.verifier.fetcher.peakBodyBytes).toBeGreaterThan(0);
    } finally {
      await issuer.stop();
    }
  });

  it.each([
    [{ kind: 'html' } as const],
    [{ kind: 'invalid-keys' } as const],
    [{ kind: 'oversized', bytes: 5 * 1024 * 1024 } as const],
    [{ kind: 'reset' } as const],
    [{ kind: 'status', status: 404 } as const],
  ])('answers 503 when the key server sends %j', async (fault) => {
    const issuer = await startIssuer();
    try {
      issuer.setJwksFault(fault);
      const guard = guardFor(issuer);
      expect(await guard.check(bearer(issuer.accessToken()))).toMatchObject({
        status: 503,
        reason: 'keys_unavailable',
      });
    } finally {
      await issuer.stop();
    }
  });
});

describe('several pools', () => {
  it('accepts tokens of each pool with that pool’s own client and token use', async () => {
    const a = await startIssuer({ userPoolId: 'local_poolA', clientId: 'client-a' });
    const b = await startIssuer({ userPoolId: 'local_poolB', clientId: 'client-b' });
    try {
      const guard = createGuard({
        pools: [
          { ...a.config, tokenUse: 'access' },
          { ...b.config, tokenUse: 'id' },
        ],
      });
      await guard.ready();
      expect(await guard.authenticate(bearer(a.accessToken()))).toMatchObject({
        userPoolId: 'local_poolA',
      });
      expect(await guard.authenticate(bearer(b.idToken()))).toMatchObject({
        userPoolId: 'local_poolB',
        tokenUse: 'id',
      });
      await expect(guard.authenticate(bearer(b.accessToken()))).rejects.toMatchObject({
        reason: 'wrong_token_use',
      });
      await expect(
        guard.authenticate(bearer(a.accessToken({ clientId: 'client-b' }))),
      ).rejects.toMatchObject({
        reason: 'client_invalid',
      });
    } finally {
      await Promise.all([a.stop(), b.stop()]);
    }
  });
});

function claims(token: string): Record<string, unknown> {
  return JSON.parse(Buffer.from(token.split('.')[1] as string, 'base64url').toString('utf8'));
}

describe('ID token audience', () => {
  it('refuses aud given as an array, even when it lists the client', async () => {
    const issuer = await startIssuer({ tokenUse: 'id' });
    try {
      const guard = guardFor(issuer);
      const token = issuer.idToken({ claims: { aud: [issuer.clientId, 'other'] } });
      await expect(guard.authenticate(bearer(token))).rejects.toMatchObject({
        status: 401,
        reason: 'client_invalid',
      });
    } finally {
      await issuer.stop();
    }
  });
});

describe('token decomposition', () => {
  it('strips __proto__ and constructor keys, as aws-jwt-verify does, also when spelled with escapes', async () => {
    const issuer = await startIssuer();
    try {
      const guard = guardFor(issuer);
      const base = JSON.parse(
        Buffer.from(issuer.accessToken().split('.')[1] as string, 'base64url').toString(),
      );
      const header = JSON.stringify({ kid: issuer.currentKid, alg: 'RS256' });
      for (const extra of [
        '"__proto__":{"admin":true}',
        '"constructor":{"prototype":{"x":1}}',
        '"\\u005f_proto__":{"admin":true}',
      ]) {
        const payload = `${JSON.stringify(base).slice(0, -1)},${extra}}`;
        const principal = await guard.authenticate(bearer(issuer.signText(header, payload)));
        expect(Object.hasOwn(principal.claims, '__proto__')).toBe(false);
        expect(Object.hasOwn(principal.claims, 'constructor')).toBe(false);
        expect(({} as Record<string, unknown>)['admin']).toBeUndefined();
      }
    } finally {
      await issuer.stop();
    }
  });
});
