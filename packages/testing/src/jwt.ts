// Minimal JWS compact serialisation for minting test tokens, including deliberately broken ones.
// Signing uses node:crypto; nothing here verifies anything.

import { createHmac, type KeyObject, sign } from 'node:crypto';

/** A JWT header. Anything goes: tests craft hostile ones on purpose. */
export type JwtHeader = Record<string, unknown>;
/** A JWT payload. */
export type JwtPayload = Record<string, unknown>;

/**
 * Base64url-encodes a string or bytes (no padding).
 *
 * @example
 * ```ts
 * base64url('{"alg":"none"}'); // 'eyJhbGciOiJub25lIn0'
 * ```
 */
export function base64url(input: string | Uint8Array): string {
  return Buffer.from(input).toString('base64url');
}

/**
 * Joins an already-signed (or unsigned) token from its parts, JSON-encoding header and payload.
 *
 * @example
 * ```ts
 * encodeJwt({ alg: 'none' }, { sub: 'x' }, ''); // 'eyJhbGciOiJub25lIn0.eyJzdWIiOiJ4In0.'
 * ```
 */
export function encodeJwt(
  header: JwtHeader,
  payload: JwtPayload | string,
  signature: string,
): string {
  const body = typeof payload === 'string' ? payload : JSON.stringify(payload);
  return `${base64url(JSON.stringify(header))}.${base64url(body)}.${signature}`;
}

const HASH_BY_ALG: Record<string, string> = {
  RS256: 'sha256',
  RS384: 'sha384',
  RS512: 'sha512',
  PS256: 'sha256',
  ES256: 'sha256',
  ES384: 'sha384',
};

/**
 * Signs a JWT with a private key (RS*, PS256, ES*) or, for `HS256`, with raw secret bytes.
 *
 * @example
 * ```ts
 * const token = signJwt({ alg: 'RS256', kid: 'k1' }, { sub: 'alice' }, privateKey);
 * ```
 */
export function signJwt(
  header: JwtHeader,
  payload: JwtPayload,
  key: KeyObject | Uint8Array,
): string {
  const alg = String(header['alg']);
  const input = `${base64url(JSON.stringify(header))}.${base64url(JSON.stringify(payload))}`;
  if (alg === 'HS256') {
    return `${input}.${createHmac('sha256', key as Uint8Array)
      .update(input)
      .digest('base64url')}`;
  }
  const hash = HASH_BY_ALG[alg];
  if (hash === undefined) throw new TypeError(`signJwt cannot sign with alg ${alg}`);
  const options = alg.startsWith('PS')
    ? { key: key as KeyObject, padding: 6 /* RSA_PKCS1_PSS_PADDING */, saltLength: 32 }
    : alg.startsWith('ES')
      ? { key: key as KeyObject, dsaEncoding: 'ieee-p1363' as const }
      : { key: key as KeyObject };
  return `${input}.${sign(hash, Buffer.from(input), options).toString('base64url')}`;
}

/**
 * Decodes a token's header and payload without verifying anything (for assertions in tests).
 *
 * @example
 * ```ts
 * decodeJwt(token).payload['cognito:groups']; // ['movies-group']
 * ```
 */
export function decodeJwt(token: string): { header: JwtHeader; payload: JwtPayload } {
  const [header = '', payload = ''] = token.split('.');
  return {
    header: JSON.parse(Buffer.from(header, 'base64url').toString('utf8')) as JwtHeader,
    payload: JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as JwtPayload,
  };
}
