// Splits and parses a JWT once, for aws-jwt-verify to verify: the same checks as its own
// `decomposeUnverifiedJwt`, plus refusing repeated JSON keys, at a fraction of the cost (its
// prototype-stripping JSON reviver runs only when the text could need it).

import { JwtParseError } from 'aws-jwt-verify/error';
import type { DecomposedJwt } from 'aws-jwt-verify/jwt';
import { InvalidTokenError } from '../errors/errors';
import { hasDuplicateKeys, keysHeld, keysSpelled } from './duplicate-keys';

// Three base64url segments, no padding (RFC 7515 §2).
const JWT_SHAPE = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/;

/**
 * Decomposes a token for verification. Throws aws-jwt-verify's `JwtParseError` for anything
 * that is not a well-formed JWT, and an `InvalidTokenError` for repeated JSON keys.
 *
 * @example
 * ```ts
 * const { header, payload } = decomposeToken(token, 'api');
 * ```
 */
export function decomposeToken(token: string, realm: string): DecomposedJwt {
  if (typeof token !== 'string' || !JWT_SHAPE.test(token)) {
    throw new JwtParseError(
      'JWT string does not consist of exactly 3 parts (header, payload, signature)',
    );
  }
  const first = token.indexOf('.');
  const second = token.indexOf('.', first + 1);
  const headerB64 = token.slice(0, first);
  const payloadB64 = token.slice(first + 1, second);
  const signatureB64 = token.slice(second + 1);
  const header = parseObject(headerB64, 'header', realm);
  const payload = parseObject(payloadB64, 'payload', realm);
  assertHeader(header);
  assertPayload(payload);
  if (!isCanonical(headerB64) || !isCanonical(payloadB64) || !isCanonical(signatureB64)) {
    throw new InvalidTokenError({
      reason: 'token_not_canonical',
      description: 'The token is not in canonical base64url',
      realm,
    });
  }
  return { header, headerB64, payload, payloadB64, signatureB64 } as DecomposedJwt;
}

const BASE64URL = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';

/**
 * Tells whether a base64url segment is the one canonical spelling of its bytes: the unused low
 * bits of its last character are zero (RFC 4648 §3.5), and no length leaves a lone character.
 * Otherwise up to 16 spellings decode to the same signature, and a token string would not be a
 * reliable cache or replay key.
 *
 * @example
 * ```ts
 * isCanonical('QQ'); // true  ("A")
 * isCanonical('QR'); // false (also "A")
 * ```
 */
export function isCanonical(segment: string): boolean {
  const rest = segment.length % 4;
  if (rest === 0) return true;
  if (rest === 1) return false;
  const last = BASE64URL.indexOf(segment.charAt(segment.length - 1));
  return (last & (rest === 2 ? 0b1111 : 0b11)) === 0;
}

function parseObject(b64: string, part: string, realm: string): Record<string, unknown> {
  const text = Buffer.from(b64, 'base64url').toString('utf8');
  // Parsers disagree on which copy of a repeated key wins, so the token could mean one thing to
  // us and another to API Gateway. A text whose prototype keys the reviver strips is checked key
  // by key before parsing; any other, by counting its keys after the engine has parsed it.
  const polluting = mayPollute(text);
  if (polluting && hasDuplicateKeys(text)) throw repeatedKey(realm);
  let value: unknown;
  try {
    value = polluting ? JSON.parse(text, stripPrototypeKeys) : JSON.parse(text);
  } catch (err) {
    if (hasDuplicateKeys(text)) throw repeatedKey(realm);
    throw new JwtParseError(
      `Invalid JWT. ${part === 'header' ? 'Header' : 'Payload'} is not a valid JSON object`,
      err,
    );
  }
  if (!polluting && keysSpelled(text) !== keysHeld(value)) throw repeatedKey(realm);
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new JwtParseError(`JWT ${part} is not an object`);
  }
  return value as Record<string, unknown>;
}

function repeatedKey(realm: string): InvalidTokenError {
  return new InvalidTokenError({
    reason: 'token_malformed',
    description: 'The token repeats a JSON key',
    realm,
  });
}

// Keys spelled with escapes ("\u005f_proto__") also contain a backslash: take the slow path then too.
function mayPollute(text: string): boolean {
  return text.includes('__proto__') || text.includes('constructor') || text.includes('\\u');
}

function stripPrototypeKeys(_key: string, value: unknown): unknown {
  if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
    // biome-ignore lint/suspicious/noProto: deleting an own "__proto__" key parsed from JSON is the point
    delete (value as Record<string, unknown>)['__proto__'];
    delete (value as Record<string, unknown>)['constructor'];
  }
  return value;
}

function assertHeader(header: Record<string, unknown>): void {
  if (header['alg'] !== undefined && typeof header['alg'] !== 'string') {
    throw new JwtParseError('JWT header alg claim is not a string');
  }
  if (header['kid'] !== undefined && typeof header['kid'] !== 'string') {
    throw new JwtParseError('JWT header kid claim is not a string');
  }
}

const NUMERIC = ['exp', 'nbf', 'iat'] as const;
const STRINGS = ['iss', 'sub', 'scope', 'jti'] as const;

function assertPayload(payload: Record<string, unknown>): void {
  for (const claim of NUMERIC) {
    if (payload[claim] !== undefined && !Number.isFinite(payload[claim])) {
      throw new JwtParseError(`JWT payload ${claim} claim is not a number`);
    }
  }
  for (const claim of STRINGS) {
    if (payload[claim] !== undefined && typeof payload[claim] !== 'string') {
      throw new JwtParseError(`JWT payload ${claim} claim is not a string`);
    }
  }
  const aud = payload['aud'];
  if (
    aud !== undefined &&
    typeof aud !== 'string' &&
    !(Array.isArray(aud) && aud.every((a) => typeof a === 'string'))
  ) {
    throw new JwtParseError('JWT payload aud claim is not a string or array of strings');
  }
}
