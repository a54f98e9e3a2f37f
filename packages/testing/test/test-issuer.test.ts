import { createPublicKey, generateKeyPairSync, verify } from 'node:crypto';
import { createTestIssuer, decodeJwt, encodeJwt, signJwt } from '../src';

describe('createTestIssuer', () => {
  const issuer = createTestIssuer({ userPoolId: 'local_kit', clientId: 'kit-client' });
  beforeAll(() => issuer.start());
  afterAll(() => issuer.stop());

  it('serves its JWKS on loopback and exposes a ready config and env', async () => {
    expect(issuer.issuer).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/local_kit$/);
    const res = await fetch(issuer.jwksUri);
    expect(res.status).toBe(200);
    const jwks = (await res.json()) as { keys: Record<string, unknown>[] };
    expect(jwks.keys).toEqual([
      expect.objectContaining({
        kty: 'RSA',
        alg: 'RS256',
        use: 'sig',
        kid: issuer.currentKid,
        e: 'AQAB',
      }),
    ]);
    expect(jwks.keys[0]).not.toHaveProperty('d');
    expect(issuer.config).toEqual({
      userPoolId: 'local_kit',
      clientId: 'kit-client',
      tokenUse: 'access',
      issuer: issuer.issuer,
      jwksUri: issuer.jwksUri,
    });
    expect(issuer.env).toMatchObject({
      COGNITO_USER_POOL_ID: 'local_kit',
      COGNITO_CLIENT_ID: 'kit-client',
      COGNITO_ISSUER: issuer.issuer,
    });
    expect((await fetch(`${issuer.issuer}/other`)).status).toBe(404);
  });

  it("mints access tokens with exactly Cognito's claims, omitting empty groups", () => {
    const { header, payload } = decodeJwt(
      issuer.accessToken({
        username: 'alice',
        groups: ['movies-group'],
        scopes: ['openid', 'movies/read'],
      }),
    );
    expect(header).toEqual({ kid: issuer.currentKid, alg: 'RS256' });
    expect(Object.keys(payload).sort()).toEqual(
      [
        'sub',
        'cognito:groups',
        'iss',
        'client_id',
        'origin_jti',
        'event_id',
        'token_use',
        'scope',
        'auth_time',
        'exp',
        'iat',
        'jti',
        'username',
      ].sort(),
    );
    expect(payload).toMatchObject({
      'cognito:groups': ['movies-group'],
      token_use: 'access',
      scope: 'openid movies/read',
      client_id: 'kit-client',
      username: 'alice',
    });
    expect((payload['exp'] as number) - (payload['iat'] as number)).toBe(3600);
    expect(decodeJwt(issuer.accessToken({ username: 'dave' })).payload).not.toHaveProperty(
      'cognito:groups',
    );
  });

  it('mints ID tokens with aud, cognito:username, email and custom attributes', () => {
    const { payload } = decodeJwt(
      issuer.idToken({
        username: 'carol',
        groups: ['a'],
        attributes: { tier: 'gold' },
        email: 'c@x.io',
      }),
    );
    expect(payload).toMatchObject({
      aud: 'kit-client',
      'cognito:username': 'carol',
      email: 'c@x.io',
      email_verified: true,
      token_use: 'id',
      'custom:tier': 'gold',
    });
    expect(payload).not.toHaveProperty('client_id');
    expect(payload).not.toHaveProperty('scope');
  });

  it('signs with the published key, verifiable with plain node:crypto', async () => {
    const token = issuer.accessToken();
    const [h, p, s] = token.split('.') as [string, string, string];
    const jwk = issuer.jwks.keys[0] as { n: string; e: string };
    const key = createPublicKey({ key: { kty: 'RSA', n: jwk.n, e: jwk.e }, format: 'jwk' });
    expect(verify('sha256', Buffer.from(`${h}.${p}`), key, Buffer.from(s, 'base64url'))).toBe(true);
  });

  it('mints each kind of broken token', () => {
    const now = Date.now() / 1000;
    expect(decodeJwt(issuer.brokenToken('expired')).payload['exp']).toBeLessThan(now);
    expect(decodeJwt(issuer.brokenToken('not-yet-valid')).payload['nbf']).toBeGreaterThan(now);
    expect(decodeJwt(issuer.brokenToken('wrong-token-use')).payload['token_use']).toBe('id');
    expect(decodeJwt(issuer.brokenToken('wrong-client')).payload['client_id']).toBe(
      'another-client',
    );
    expect(decodeJwt(issuer.brokenToken('other-pool')).payload['iss']).toMatch(/local_otherPool$/);
    expect(decodeJwt(issuer.brokenToken('no-exp')).payload).not.toHaveProperty('exp');
    expect(decodeJwt(issuer.brokenToken('unknown-kid')).header['kid']).toBe('unknown-kid');
    expect(decodeJwt(issuer.brokenToken('foreign-key')).header['kid']).toBe(issuer.currentKid);
    expect(decodeJwt(issuer.brokenToken('alg-none')).header['alg']).toBe('none');
    expect(issuer.brokenToken('alg-none').endsWith('.')).toBe(true);
    expect(decodeJwt(issuer.brokenToken('hs256-public-key')).header['alg']).toBe('HS256');
    expect(decodeJwt(issuer.brokenToken('tampered')).payload['cognito:groups']).toContain('admins');
  });

  it('rotates and retires keys', () => {
    const first = issuer.currentKid;
    const second = issuer.rotateKey();
    expect(issuer.jwks.keys.map((k) => k.kid)).toEqual([first, second]);
    issuer.retireKey(first);
    expect(issuer.jwks.keys.map((k) => k.kid)).toEqual([second]);
    expect(() => issuer.sign({}, { kid: first })).toThrow(/no key/);
  });

  it('misbehaves on request, then recovers', async () => {
    issuer.setJwksFault({ kind: 'status', status: 503 });
    expect((await fetch(issuer.jwksUri)).status).toBe(503);
    issuer.setJwksFault({ kind: 'html' });
    expect(await (await fetch(issuer.jwksUri)).text()).toContain('<html>');
    issuer.setJwksFault({ kind: 'oversized', bytes: 256 * 1024 });
    expect((await (await fetch(issuer.jwksUri)).arrayBuffer()).byteLength).toBeGreaterThan(
      256 * 1024,
    );
    issuer.setJwksFault({ kind: 'invalid-keys' });
    expect(await (await fetch(issuer.jwksUri)).json()).toEqual({
      keys: [{ kty: 'RSA', kid: 'x', n: 5 }],
    });
    issuer.setJwksFault({ kind: 'delay', ms: 50 });
    expect((await fetch(issuer.jwksUri)).status).toBe(200);
    issuer.setJwksFault({ kind: 'reset' });
    await expect(fetch(issuer.jwksUri)).rejects.toThrow();
    issuer.setJwksFault(undefined);
    expect((await fetch(issuer.jwksUri)).status).toBe(200);
    expect(issuer.jwksRequests).toBeGreaterThanOrEqual(7);
  });

  it('restarts on the same port', async () => {
    const before = issuer.issuer;
    await issuer.stop();
    await expect(fetch(issuer.jwksUri)).rejects.toThrow();
    await issuer.start();
    expect(issuer.issuer).toBe(before);
  });

  it('needs start() before it knows its issuer', () => {
    expect(() => createTestIssuer().issuer).toThrow(/start/);
  });
});

describe('jwt helpers', () => {
  it('encode and sign tokens of every algorithm tests need', () => {
    expect(encodeJwt({ alg: 'none' }, { sub: 'x' }, '')).toBe(
      'eyJhbGciOiJub25lIn0.eyJzdWIiOiJ4In0.',
    );
    expect(encodeJwt({ alg: 'none' }, 'not json', 'sig').split('.')[1]).toBe(
      Buffer.from('not json').toString('base64url'),
    );
    const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const ec = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    for (const [alg, key] of [
      ['RS256', rsa.privateKey],
      ['RS384', rsa.privateKey],
      ['PS256', rsa.privateKey],
      ['ES256', ec.privateKey],
    ] as const) {
      expect(decodeJwt(signJwt({ alg }, { sub: alg }, key)).payload['sub']).toBe(alg);
    }
    expect(signJwt({ alg: 'HS256' }, {}, Buffer.from('secret')).split('.')).toHaveLength(3);
    expect(() => signJwt({ alg: 'XX1' }, {}, rsa.privateKey)).toThrow(/XX1/);
  });
});

describe('exported signing key', () => {
  it('lets a second issuer object sign tokens the first one’s JWKS verifies', async () => {
    const first = await createTestIssuer({ userPoolId: 'local_shared' }).start();
    try {
      const second = createTestIssuer({
        userPoolId: 'local_shared',
        port: new URL(first.issuer).port ? Number(new URL(first.issuer).port) : 0,
        signingKey: first.signingKey,
      });
      expect(second.currentKid).toBe(first.currentKid);
      expect(second.jwks).toEqual(first.jwks);
      const [header, payload, signature] = second.accessToken({ groups: ['g'] }).split('.');
      const served = (await (await fetch(first.jwksUri)).json()) as { keys: object[] };
      const publicKey = createPublicKey({ key: served.keys[0] as never, format: 'jwk' });
      const signed = Buffer.from(`${header}.${payload}`);
      expect(
        verify('RSA-SHA256', signed, publicKey, Buffer.from(signature as string, 'base64url')),
      ).toBe(true);
      expect(second.issuer).toBe(first.issuer);
    } finally {
      await first.stop();
    }
  });
});

describe('key cache', () => {
  it('gives every issuer of a run its own key, also when keys are reused between runs', () => {
    expect(process.env['COGNITO_GUARD_TEST_KEY_CACHE']).toBeTruthy();
    const moduli = new Set(
      Array.from({ length: 4 }, () => createTestIssuer().jwks.keys[0]?.['n'] as string),
    );
    expect(moduli.size).toBe(4);
  });
});
