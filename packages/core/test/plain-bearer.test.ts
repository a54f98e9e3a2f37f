// `Bearer <token>`, as nearly every client sends it, is read by a short path that builds no
// trimmed copies. Differential: whatever the Authorization header, the short path reads it as
// the general path does. Surrounding the header with spaces forces the general path (a header
// that starts with a space is never plain) without changing its meaning, since the general path
// trims first; so each header is read both ways and the answers must match.

import fc from 'fast-check';
import { isAuthError, type RequestLike } from '../src';
import { type ExtractOptions, extractToken } from '../src/subpaths/advanced';

const options: ExtractOptions = {
  tokenSources: ['authorization'],
  maxTokenBytes: 64,
  realm: 'api',
};

function request(authorization: string): RequestLike {
  return { method: 'GET', path: '/', headers: { authorization } };
}

function reading(authorization: string): string {
  try {
    return `token ${extractToken(request(authorization), options)}`;
  } catch (err) {
    if (!isAuthError(err)) throw err;
    return `${err.status} ${err.reason}`;
  }
}

// Schemes in any case, near misses, other schemes (Digest and Tokens differ from "bearer" at
// every letter), and tokens with the characters that change a reading.
const scheme = fc.oneof(
  fc.constantFrom(
    ...[
      'Bearer',
      'bearer',
      'BEARER',
      'bEaReR',
      'Bearer:',
      'Beare',
      'Basic',
      'Bearex',
      'Xearer',
      'Bea\u0000er',
      'Digest',
      'Tokens',
      'Bearer_',
    ],
  ),
  fc.stringMatching(/^[A-Za-z_:]{5,8}$/),
);
const separator = fc.constantFrom(' ', '  ', '\t', '', ' \t');
const tokenText = fc.stringMatching(/^[A-Za-z0-9._\-, \t~]{0,70}$/);
const edge = fc.constantFrom('', ' ', '\t', ',', '\u00a0');
const header = fc
  .tuple(scheme, separator, edge, tokenText, edge)
  .map(([s, sep, before, token, after]) => `${s}${sep}${before}${token}${after}`);

describe('the plain Bearer reading', () => {
  it('reads every Authorization header as the general path does', () => {
    fc.assert(
      fc.property(header, (value) => {
        expect(reading(value)).toBe(reading(` ${value} `));
      }),
      { numRuns: 3000 },
    );
  });

  it('takes a token that starts the way a JWT does, in any case of the scheme', () => {
    expect(reading('Bearer eyJ.a.b')).toBe('token eyJ.a.b');
    expect(reading('bEaReR eyJ.a.b')).toBe('token eyJ.a.b');
    expect(reading('Bearer eyJ.a.b,eyJ.c.d')).toBe('400 multiple_tokens');
    expect(reading('Digest eyJ.a.b')).toBe('401 token_missing');
    expect(reading('Tokens eyJ.a.b')).toBe('401 token_missing');
    expect(reading(`Bearer ${'a'.repeat(65)}`)).toBe('401 token_too_large');
  });
});
