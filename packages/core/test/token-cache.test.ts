// The verified-token cache's contract: an entry answers only its own token, from its second
// verification on, and only until the token's `exp` plus the grace the verifier allows. From that
// instant on, RFC 7519 calls the token expired (aws-jwt-verify still lets it through for that one
// millisecond): the cache never answers for longer than the verifier would.

import { VerifiedTokenCache } from '../src/subpaths/advanced';
import { createPrincipal } from '../src/token/principal';

const EXP = 2_000_000_000; // seconds
const token = 'header.payload.signature-ending-in-twelve-chars';
const principal = createPrincipal({
  claims: { sub: 's', exp: EXP, token_use: 'access', 'cognito:groups': ['g'] },
  userPoolId: 'eu-west-1_abc',
  issuer: 'https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_abc',
  token,
});

function cacheWith(graceSeconds: number) {
  const cache = new VerifiedTokenCache({ maxEntries: 10, maxAgeSeconds: 3600, graceSeconds });
  cache.set(token, principal);
  cache.set(token, principal);
  return cache;
}

describe('VerifiedTokenCache', () => {
  it('admits a token on its second verification, and answers only that very token', () => {
    const cache = new VerifiedTokenCache({ maxEntries: 10, maxAgeSeconds: 3600, graceSeconds: 0 });
    cache.set(token, principal);
    expect(cache.get(token, EXP * 1000 - 1)).toBeUndefined();
    cache.set(token, principal);
    expect(cache.get(token, EXP * 1000 - 1)).toBe(principal);
    // Same last characters, another token: a miss.
    expect(cache.get(`x${token}`, EXP * 1000 - 1)).toBeUndefined();
  });

  it('drops an entry at the instant its token expires', () => {
    const cache = cacheWith(0);
    expect(cache.get(token, EXP * 1000 - 1)).toBe(principal);
    expect(cache.get(token, EXP * 1000)).toBeUndefined();
    // Dropped, not only hidden: an earlier clock finds nothing either.
    expect(cache.get(token, EXP * 1000 - 1)).toBeUndefined();
    expect(cache.size).toBe(0);
    expect(cache.stats).toMatchObject({ hits: 1, misses: 2 });
  });

  it('keeps an entry through the grace the verifier allows, and not a millisecond more', () => {
    const cache = cacheWith(5);
    expect(cache.get(token, EXP * 1000 + 4_999)).toBe(principal);
    expect(cache.get(token, EXP * 1000 + 5_000)).toBeUndefined();
  });

  it('never answers for a principal whose expiry is not a number', () => {
    const undated = createPrincipal({
      claims: principal.claims,
      userPoolId: principal.userPoolId,
      issuer: principal.issuer,
      token,
      expiresAt: Number.NaN,
    });
    const cache = new VerifiedTokenCache({ maxEntries: 10, maxAgeSeconds: 3600, graceSeconds: 0 });
    cache.set(token, undated);
    cache.set(token, undated);
    expect(cache.get(token, 0)).toBeUndefined();
  });
});
