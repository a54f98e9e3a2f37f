// cognito-guard reaches past aws-jwt-verify's public API in one module, aws-jwt-verify-seam.ts.
// These tests fail loudly, naming what moved, if a release of that library changes any of it.

import { createTestIssuer, decodeJwt, type TestIssuer } from '@cognito-guard/testing';
import { JwtVerifier } from 'aws-jwt-verify/jwt-verifier';
import { createGuard } from '../src';
import { resolveConfig, TokenVerifier } from '../src/subpaths/advanced';

describe('the aws-jwt-verify seam', () => {
  let issuer: TestIssuer;
  beforeAll(async () => {
    issuer = await createTestIssuer().start();
  });
  afterAll(() => issuer.stop());

  it('still finds the protected methods it overrides and calls', () => {
    const prototype = JwtVerifier.prototype as unknown as Record<string, unknown>;
    expect({
      create: typeof JwtVerifier.create,
      getVerifyParameters: typeof prototype['getVerifyParameters'],
      getIssuerConfig: typeof prototype['getIssuerConfig'],
      verifySync: typeof prototype['verifySync'],
      verify: typeof prototype['verify'],
    }).toEqual({
      create: 'function',
      getVerifyParameters: 'function',
      getIssuerConfig: 'function',
      verifySync: 'function',
      verify: 'function',
    });
  });

  it("decomposes every token with cognito-guard's parser: a signed token repeating a key is refused", async () => {
    const valid = issuer.accessToken({ groups: ['movies-group'] });
    const { header, payload } = decodeJwt(valid);
    const repeated = issuer.signText(
      JSON.stringify(header),
      `${JSON.stringify(payload).slice(0, -1)},"cognito:groups":["admins"]}`,
    );
    const verifier = new TokenVerifier(resolveConfig({ ...issuer.config, cache: false }));
    await expect(verifier.verify(valid)).resolves.toMatchObject({ groups: ['movies-group'] });
    await expect(verifier.verify(repeated)).rejects.toMatchObject({
      reason: 'token_malformed',
      description: 'The token repeats a JSON key',
    });
    // The parser's errors carry the guard's realm, set through the seam.
    const guard = createGuard({ ...issuer.config, realm: 'movies' });
    const decision = await guard.check({
      method: 'GET',
      path: '/',
      headers: { authorization: `Bearer ${repeated}` },
    });
    expect(decision.allowed ? undefined : decision.error.headers['WWW-Authenticate']).toContain(
      'realm="movies"',
    );
  });

  it('verifies synchronously once keys are cached, and fetches them when not', async () => {
    const verifier = new TokenVerifier(resolveConfig({ ...issuer.config, cache: false }));
    const first = verifier.verify(issuer.accessToken());
    expect(first).toBeInstanceOf(Promise);
    await expect(first).resolves.toMatchObject({ tokenUse: 'access' });
    const second = verifier.verify(issuer.accessToken());
    expect(second).not.toBeInstanceOf(Promise);
    expect(verifier.fetcher.fetchCount).toBe(1);
  });
});
