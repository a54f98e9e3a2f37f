// The guard scans a Bearer token for a second token only once the token has failed (a cached or
// verified token has no room for one). Differential: whatever the Authorization header, the
// guard refuses exactly as extractToken, which always scans, says it must; a header extraction
// accepts is decided on the token extraction found. Real tokens, keys over loopback HTTP.

import type { TestIssuer } from '@cognito-guard/testing';
import fc from 'fast-check';
import { type AuthError, type Guard, isAuthError, type RequestLike } from '../src';
import { type ExtractOptions, extractToken } from '../src/subpaths/advanced';
import { guardFor, startIssuer } from './helpers';

let issuer: TestIssuer;
let guard: Guard;
let valid: string;
let options: ExtractOptions;

beforeAll(async () => {
  issuer = await startIssuer();
  guard = guardFor(issuer, { maxTokenBytes: 4096 });
  await guard.ready();
  valid = issuer.accessToken({ groups: ['fans'] });
  options = { tokenSources: ['authorization'], maxTokenBytes: 4096, realm: guard.config.realm };
  // Twice: the cache admits a token on its second verification, and every case below then
  // starts from a token that hits it.
  await guard.check(request(`Bearer ${valid}`));
  await guard.check(request(`Bearer ${valid}`));
});

afterAll(() => issuer.stop());

function request(authorization: string): RequestLike {
  return { method: 'GET', path: '/', headers: { authorization } };
}

function extractionRefusal(req: RequestLike): Pick<AuthError, 'status' | 'reason'> | undefined {
  try {
    extractToken(req, options);
    return undefined;
  } catch (err) {
    if (!isAuthError(err)) throw err;
    return { status: err.status, reason: err.reason };
  }
}

// Headers around the cached token: a second token, whitespace or a comma anywhere in it or after
// it, an oversized tail, another spelling of the scheme, the token alone. (`valid` is read when
// a case is generated, after beforeAll.)
const separator = fc.constantFrom(',', ' ', '\t', ', ', ' ,', '\u00a0', '\u2003', '\n');
const header = fc.oneof(
  fc.constant(null).map(() => `Bearer ${valid}`),
  fc.tuple(fc.nat(), separator).map(([n, sep]) => {
    const at = n % (valid.length + 1);
    return `Bearer ${valid.slice(0, at)}${sep}${valid.slice(at)}`;
  }),
  fc
    .tuple(separator, fc.constantFrom('', 'Bearer x.y.z', 'a.b.c', 'x'))
    .map(([sep, tail]) => `Bearer ${valid}${sep}${tail}`),
  fc.tuple(fc.nat(4096), separator).map(([n, sep]) => `Bearer ${valid}${sep}${'x'.repeat(n)}`),
  fc.constantFrom('bearer', 'BEARER', 'Basic', 'Bearer  ', '').map((s) => `${s} ${valid}`),
);

describe('the deferred second-token scan', () => {
  it('refuses every header as extraction would, whether or not the token is cached', async () => {
    await fc.assert(
      fc.asyncProperty(header, async (authorization) => {
        const req = request(authorization);
        const expected = extractionRefusal(req);
        const decision = await guard.check(req);
        if (expected) {
          expect(decision).toMatchObject({ allowed: false, ...expected });
        } else {
          // Extraction found the cached token itself (scheme spelt otherwise, spaces trimmed).
          expect(decision).toMatchObject({ allowed: true });
        }
      }),
      { numRuns: 400 },
    );
  });

  it('keeps answering the cached token from the cache', async () => {
    const before = guard.verifier.cacheStats.hits;
    await guard.check(request(`Bearer ${valid}`));
    expect(guard.verifier.cacheStats.hits).toBe(before + 1);
  });

  it('answers two tokens with a 400 even where the pair is longer than the token size cap', async () => {
    // Within the header's cap (the token cap and 64), beyond the token's: the scan answers first.
    const pair = `${valid}, ${'x'.repeat(4096 - valid.length)}`;
    expect(pair.length).toBeGreaterThan(4096);
    const decision = await guard.check(request(`Bearer ${pair}`));
    expect(decision).toMatchObject({ allowed: false, status: 400, reason: 'multiple_tokens' });
  });
});
