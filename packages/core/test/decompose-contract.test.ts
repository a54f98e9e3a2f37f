// decomposeToken's exact refusals: aws-jwt-verify's own messages for what it would refuse, and
// ours for repeated keys and non-canonical base64url.

import { JwtParseError } from 'aws-jwt-verify/error';
import { InvalidTokenError } from '../src';
import { decomposeToken } from '../src/subpaths/advanced';
import { isCanonical } from '../src/token/decompose-token';

const b64 = (value: unknown) =>
  Buffer.from(typeof value === 'string' ? value : JSON.stringify(value)).toString('base64url');
const jwt = (header: unknown, payload: unknown, signature = 'c2ln') =>
  `${b64(header)}.${b64(payload)}.${signature}`;
const ok = { alg: 'RS256', kid: 'k' };

function refusal(token: string): Error {
  try {
    decomposeToken(token, 'api');
  } catch (err) {
    return err as Error;
  }
  throw new Error('expected a refusal');
}

describe('decomposeToken refusals', () => {
  it.each([
    ['two parts', 'a.b'],
    ['four parts', 'a.b.c.d'],
    ['an empty segment', 'a..c'],
    ['a character outside base64url', 'a.b+.c'],
    ['a leading space', ' a.b.c'],
    ['a trailing newline', 'a.b.c\n'],
  ])('%s: not three parts', (_label, token) => {
    const err = refusal(token);
    expect(err).toBeInstanceOf(JwtParseError);
    expect(err.message).toBe(
      'JWT string does not consist of exactly 3 parts (header, payload, signature)',
    );
  });

  it.each([
    [
      'header not JSON',
      `${b64('{')}.${b64({})}.c2ln`,
      'Invalid JWT. Header is not a valid JSON object',
    ],
    [
      'payload not JSON',
      `${b64(ok)}.${b64('nope')}.c2ln`,
      'Invalid JWT. Payload is not a valid JSON object',
    ],
    ['header an array', jwt([1], {}), 'JWT header is not an object'],
    ['payload null', jwt(ok, null), 'JWT payload is not an object'],
    ['payload a string', jwt(ok, '"x"'), 'JWT payload is not an object'],
    ['alg a number', jwt({ alg: 1 }, {}), 'JWT header alg claim is not a string'],
    ['kid a number', jwt({ alg: 'RS256', kid: 1 }, {}), 'JWT header kid claim is not a string'],
    ['exp a string', jwt(ok, { exp: '1' }), 'JWT payload exp claim is not a number'],
    ['nbf a string', jwt(ok, { nbf: '1' }), 'JWT payload nbf claim is not a number'],
    ['iat a string', jwt(ok, { iat: '1' }), 'JWT payload iat claim is not a number'],
    ['iss a number', jwt(ok, { iss: 1 }), 'JWT payload iss claim is not a string'],
    ['sub a number', jwt(ok, { sub: 1 }), 'JWT payload sub claim is not a string'],
    ['jti a number', jwt(ok, { jti: 1 }), 'JWT payload jti claim is not a string'],
    [
      'aud a number',
      jwt(ok, { aud: 1 }),
      'JWT payload aud claim is not a string or array of strings',
    ],
    [
      'aud mixed',
      jwt(ok, { aud: ['a', 1] }),
      'JWT payload aud claim is not a string or array of strings',
    ],
  ])('%s', (_label, token, message) => {
    const err = refusal(token);
    expect(err).toBeInstanceOf(JwtParseError);
    expect(err.message.startsWith(message)).toBe(true);
    expect(err.message.slice(message.length)).toMatch(/^(: SyntaxError: .+)?$/);
  });

  it('accepts what aws-jwt-verify accepts: string or string-array aud, numeric times', () => {
    const parts = decomposeToken(jwt(ok, { aud: ['a', 'b'], exp: 1, iss: 'i', sub: 's' }), 'api');
    expect(parts.payload).toEqual({ aud: ['a', 'b'], exp: 1, iss: 'i', sub: 's' });
    expect(parts.header).toEqual(ok);
    expect(decomposeToken(jwt({}, { aud: 'a' }), 'api').payload).toEqual({ aud: 'a' });
  });

  it('refuses repeated JSON keys, in the header or the payload, also spelled with escapes', () => {
    for (const token of [
      `${b64('{"alg":"RS256","alg":"none"}')}.${b64({})}.c2ln`,
      `${b64(ok)}.${b64('{"sub":"a","sub":"b"}')}.c2ln`,
      `${b64(ok)}.${b64('{"sub":"a","\\u0073ub":"b"}')}.c2ln`,
      `${b64(ok)}.${b64('{"sub":"a","sub":"b"')}.c2ln`,
      `${b64(ok)}.${b64('{"aud":["x"],"sub":"a","sub":"b"}')}.c2ln`,
    ]) {
      const err = refusal(token);
      expect(err).toBeInstanceOf(InvalidTokenError);
      expect(err).toEqual(
        expect.objectContaining({
          reason: 'token_malformed',
          description: 'The token repeats a JSON key',
        }),
      );
    }
  });

  it('strips __proto__ and constructor keys, as aws-jwt-verify does', () => {
    const parts = decomposeToken(
      `${b64(ok)}.${b64('{"sub":"a","__proto__":{"x":1},"constructor":1}')}.c2ln`,
      'api',
    );
    expect(Object.keys(parts.payload)).toEqual(['sub']);
    expect(({} as Record<string, unknown>)['x']).toBeUndefined();
  });

  it('refuses non-canonical base64url: unused low bits set in the last character', () => {
    expect(decomposeToken(jwt(ok, { sub: 'a' }, 'QQ'), 'api').signatureB64).toBe('QQ');
    const err = refusal(jwt(ok, { sub: 'a' }, 'QR'));
    expect(err).toBeInstanceOf(InvalidTokenError);
    expect(err).toEqual(
      expect.objectContaining({
        reason: 'token_not_canonical',
        description: 'The token is not in canonical base64url',
      }),
    );
  });
});

describe('decomposeToken: the cases mutation testing found untested', () => {
  const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
  // The same bytes spelled another way: the last character's unused low bit set.
  const respell = (segment: string) => {
    expect(segment.length % 4).not.toBe(0);
    return segment.slice(0, -1) + ALPHABET[ALPHABET.indexOf(segment.at(-1) as string) + 1];
  };
  // JSON padded with spaces until its base64url leaves unused bits in the last character.
  const unaligned = (value: object) => {
    let text = JSON.stringify(value);
    while (b64(text).length % 4 === 0) text += ' ';
    return b64(text);
  };

  it('refuses a re-spelled header or payload, not only a re-spelled signature', () => {
    const header = unaligned(ok);
    const payload = unaligned({ sub: 'a' });
    expect(decomposeToken(`${header}.${payload}.QQ`, 'api').payload).toEqual({ sub: 'a' });
    for (const token of [`${respell(header)}.${payload}.QQ`, `${header}.${respell(payload)}.QQ`]) {
      expect(refusal(token)).toEqual(expect.objectContaining({ reason: 'token_not_canonical' }));
    }
  });

  it('checks all four unused bits of a two-character tail', () => {
    expect(isCanonical('QU')).toBe(false); // U: low two bits clear, the next two not
    expect(isCanonical('QQ')).toBe(true);
  });

  it('refuses a lone trailing character, which no byte needs, whatever its bits', () => {
    // 'A' has no bits set, so only the length tells that it adds nothing to the bytes.
    expect(isCanonical('QUFBA')).toBe(false);
    const signature = Buffer.from('sig').toString('base64url');
    expect(decomposeToken(jwt(ok, { sub: 'a' }, signature), 'api').signatureB64).toBe(signature);
    expect(refusal(jwt(ok, { sub: 'a' }, `${signature}A`))).toEqual(
      expect.objectContaining({ reason: 'token_not_canonical' }),
    );
  });

  it('refuses a value that only looks like a token when turned into a string', () => {
    const lookalike = { toString: () => jwt(ok, { sub: 'a' }) };
    const err = refusal(lookalike as unknown as string);
    expect(err).toBeInstanceOf(JwtParseError);
    expect(err.message).toMatch(/exactly 3 parts/);
  });

  it('keeps null values when it strips prototype keys (the slow path)', () => {
    const parts = decomposeToken(jwt(ok, { sub: 'a', note: 'constructor', nothing: null }), 'api');
    expect(parts.payload).toEqual({ sub: 'a', note: 'constructor', nothing: null });
  });
});
