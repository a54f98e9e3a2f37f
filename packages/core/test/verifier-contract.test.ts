// Every refusal of the token verifier, exactly: the reason, the description a client sees, and
// the detail (expected and received values) only the operator sees. Through verify() for signed
// tokens, and through refusal() for principals built elsewhere.

import { createTestIssuer, type TestIssuer } from '@cognito-guard/testing';
import type { AuthError, Principal } from '../src';
import { createPrincipal, resolveConfig, TokenVerifier } from '../src/subpaths/advanced';

describe('TokenVerifier refusals', () => {
  let issuer: TestIssuer;
  let verifier: TokenVerifier;
  beforeAll(async () => {
    issuer = await createTestIssuer({ userPoolId: 'local_contract', clientId: 'web' }).start();
    verifier = new TokenVerifier(resolveConfig({ ...issuer.config, tokenUse: 'access' }));
  });
  afterAll(() => issuer.stop());

  const refusalOf = async (token: string) => {
    try {
      await verifier.verify(token);
    } catch (err) {
      const { status, reason, description, detail } = err as AuthError;
      return { status, reason, description, detail };
    }
    throw new Error('expected a refusal');
  };
  const now = () => Math.floor(Date.now() / 1000);
  const claims = () => ({
    sub: 'user-1',
    iss: issuer.issuer,
    client_id: 'web',
    token_use: 'access',
    exp: now() + 600,
    iat: now(),
  });

  it.each<[string, () => string, object]>([
    [
      'a crit header',
      () => issuer.sign(claims(), { header: { crit: ['exp'] } }),
      {
        reason: 'token_invalid',
        description: 'The token requires unsupported header extensions',
        detail: undefined,
      },
    ],
    [
      'no exp',
      () => issuer.sign(claims(), { claims: { exp: undefined } }),
      { reason: 'exp_missing', description: 'The token has no valid expiry', detail: undefined },
    ],
    [
      'no sub',
      () => issuer.sign(claims(), { claims: { sub: undefined } }),
      { reason: 'claims_invalid', description: 'The token has no subject', detail: undefined },
    ],
    [
      'an empty sub',
      () => issuer.sign(claims(), { claims: { sub: '' } }),
      { reason: 'claims_invalid', description: 'The token has no subject', detail: undefined },
    ],
    [
      'numeric groups',
      () => issuer.sign(claims(), { claims: { 'cognito:groups': 7 } }),
      {
        reason: 'claims_invalid',
        description: 'The token has a malformed cognito:groups claim',
        detail: undefined,
      },
    ],
    [
      'groups with a non-string entry',
      () => issuer.sign(claims(), { claims: { 'cognito:groups': ['a', 1] } }),
      {
        reason: 'claims_invalid',
        description: 'The token has a malformed cognito:groups claim',
        detail: undefined,
      },
    ],
    [
      'an ID token where access tokens are expected',
      () =>
        issuer.sign(claims(), { claims: { token_use: 'id', aud: 'web', client_id: undefined } }),
      {
        reason: 'wrong_token_use',
        description: 'Expected access token',
        detail: 'token use id; expected access (tokenUse, COGNITO_TOKEN_USE)',
      },
    ],
    [
      'no token_use',
      () => issuer.sign(claims(), { claims: { token_use: undefined } }),
      {
        reason: 'wrong_token_use',
        description: 'Expected access token',
        detail: 'token use undefined; expected access (tokenUse, COGNITO_TOKEN_USE)',
      },
    ],
    [
      'another client',
      () => issuer.sign(claims(), { claims: { client_id: 'other' } }),
      {
        reason: 'client_invalid',
        description: 'The token was issued to another client',
        detail: 'client other; expected web (clientId, COGNITO_CLIENT_ID)',
      },
    ],
    [
      'no client',
      () => issuer.sign(claims(), { claims: { client_id: undefined } }),
      {
        reason: 'client_invalid',
        description: 'The token was issued to another client',
        detail: 'client undefined; expected web (clientId, COGNITO_CLIENT_ID)',
      },
    ],
  ])('refuses %s with a 401', async (_label, token, expected) => {
    expect(await refusalOf(token())).toEqual({ status: 401, ...expected });
  });

  it('refuses a token over maxTokenBytes, or a value not a string, itself, before reading it', async () => {
    const max = resolveConfig(issuer.config).maxTokenBytes;
    const tooLarge = {
      status: 401,
      reason: 'token_too_large',
      description: 'The token exceeds the size limit',
      detail: undefined,
    };
    expect(await refusalOf('x'.repeat(max + 1))).toEqual(tooLarge);
    // With a cache in front, a value that is not a string fails there first, as a TypeError.
    const uncached = new TokenVerifier(resolveConfig({ ...issuer.config, cache: false }));
    await expect(uncached.verify(42 as unknown as string)).rejects.toMatchObject(tooLarge);
    // At the limit exactly, the token is read, and refused for what it is.
    expect((await refusalOf('x'.repeat(max))).reason).toBe('token_malformed');
  });

  it('takes a string cognito:groups as one group', async () => {
    const principal = await verifier.verify(
      issuer.sign(claims(), { claims: { 'cognito:groups': 'a,b' } }),
    );
    expect(principal.groups).toEqual(['a,b']);
  });

  it('checks the client of an ID token in aud', async () => {
    const ids = new TokenVerifier(resolveConfig({ ...issuer.config, tokenUse: 'id' }));
    const idClaims = { ...claims(), token_use: 'id', client_id: undefined };
    await expect(ids.verify(issuer.sign({ ...idClaims, aud: 'web' }))).resolves.toMatchObject({
      tokenUse: 'id',
    });
    await expect(ids.verify(issuer.sign({ ...idClaims, aud: 'other' }))).rejects.toMatchObject({
      reason: 'client_invalid',
      detail: 'client other; expected web (clientId, COGNITO_CLIENT_ID)',
    });
  });

  it('refuses a token signed with an algorithm outside the allow-list', async () => {
    const strict = new TokenVerifier(resolveConfig({ ...issuer.config, algorithms: ['RS512'] }));
    await expect(strict.verify(issuer.accessToken())).rejects.toMatchObject({
      status: 401,
      reason: 'alg_not_allowed',
      description: 'The token signature algorithm is not allowed',
      detail: 'alg RS256; allowed RS512 (algorithms)',
    });
  });
});

describe('TokenVerifier.refusal of principals built elsewhere', () => {
  const options = {
    userPoolId: 'eu-west-1_AbCdEf123',
    clientId: ['web', 'mobile'],
    tokenUse: 'access',
    graceSeconds: 30,
  } as const;
  const config = resolveConfig(options);
  const verifier = new TokenVerifier(config);
  const issuer = config.pools[0]?.issuers[0]?.issuer as string;
  const exp = Math.floor(Date.now() / 1000) + 600;
  const principal = (overrides: Record<string, unknown> = {}, from = issuer, algorithm = 'RS256') =>
    createPrincipal({
      claims: {
        sub: 'u',
        token_use: 'access',
        client_id: 'web',
        exp,
        ...overrides,
      },
      userPoolId: 'eu-west-1_AbCdEf123',
      issuer: from,
      algorithm,
    });
  const refused = (p: Principal, now?: number) => {
    const error = verifier.refusal(p, now);
    return error && { reason: error.reason, description: error.description, detail: error.detail };
  };

  it('accepts a principal that meets every setting', () => {
    expect(verifier.refusal(principal())).toBeUndefined();
    expect(verifier.refusal(principal({ client_id: 'mobile' }))).toBeUndefined();
  });

  it('names what is wrong, expected and received', () => {
    expect(refused({ ...principal() } as Principal)).toEqual({
      reason: 'token_invalid',
      description: 'The principal is not trusted',
      detail: undefined,
    });
    expect(refused(principal({ sub: '' }))).toEqual({
      reason: 'claims_invalid',
      description: 'The token has no subject',
      detail: undefined,
    });
    expect(refused(principal({}, 'https://cognito-idp.eu-west-1.amazonaws.com/other'))).toEqual({
      reason: 'issuer_invalid',
      description: 'The token was issued by an unexpected issuer',
      detail: `issuer https://cognito-idp.eu-west-1.amazonaws.com/other; expected ${config.pools[0]?.issuers.map((i) => i.issuer).join(' or ')}`,
    });
    expect(refused(principal({ token_use: 'id', aud: 'web' }))).toEqual({
      reason: 'wrong_token_use',
      description: 'Expected access token',
      detail: 'token use id; expected access (tokenUse, COGNITO_TOKEN_USE)',
    });
    expect(refused(principal({ client_id: 'tv' }))).toEqual({
      reason: 'client_invalid',
      description: 'The token was issued to another client',
      detail: 'client tv; expected web or mobile (clientId, COGNITO_CLIENT_ID)',
    });
    expect(refused(principal({ client_id: undefined }))).toEqual({
      reason: 'client_invalid',
      description: 'The token was issued to another client',
      detail: 'client (none); expected web or mobile (clientId, COGNITO_CLIENT_ID)',
    });
    expect(refused(principal({}, issuer, 'HS256'))).toEqual({
      reason: 'alg_not_allowed',
      description: 'The token signature algorithm is not allowed',
      detail: undefined,
    });
  });

  it('answers an expired principal in its own realm, and tells the pool of an issuer', () => {
    const movies = new TokenVerifier(resolveConfig({ ...options, realm: 'movies' }));
    const expired = movies.refusal(principal(), (exp + 30) * 1000);
    expect(expired).toMatchObject({ reason: 'token_expired', realm: 'movies' });
    expect(movies.poolOf(issuer)?.userPoolId).toBe('eu-west-1_AbCdEf123');
    expect(movies.poolOf('https://cognito-idp.eu-west-1.amazonaws.com/other')).toBeUndefined();
  });

  it('counts the grace period exactly at expiry', () => {
    const p = principal();
    expect(verifier.refusal(p, (exp + 29) * 1000)).toBeUndefined();
    expect(verifier.refusal(p, (exp + 30) * 1000 - 1)).toBeUndefined();
    expect(verifier.refusal(p, (exp + 30) * 1000)?.reason).toBe('token_expired');
  });

  it('accepts any client when the pool checks none, and an authorizer principal without algorithm', () => {
    const open = new TokenVerifier(
      resolveConfig({ userPoolId: 'eu-west-1_AbCdEf123', clientId: null }),
    );
    expect(open.refusal(principal({ client_id: 'anything' }))).toBeUndefined();
    expect(open.refusal(principal({ client_id: undefined }))).toBeUndefined();
    const fromAuthorizer = createPrincipal({
      claims: { sub: 'u', token_use: 'access', exp },
      userPoolId: 'eu-west-1_AbCdEf123',
      issuer,
    });
    expect(open.refusal(fromAuthorizer)).toBeUndefined();
  });
});
