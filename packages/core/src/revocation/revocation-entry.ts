// What a revocation says, in one shape for every store: a session (`origin_jti`), one token
// (`jti`), or a user's sign-out cut-off (`sub`), each with the time it stops mattering. Stores
// persist and ship these; the list (revocation-list.ts) answers lookups from them.

import { ConfigError } from '../config/config-error';
import type { Claims, Principal } from '../token/principal';

/** Which claim a revocation names. */
export type RevocationKind = 'origin' | 'jti' | 'sub';

/**
 * One revocation. Times are milliseconds since the epoch.
 *
 * - `origin`: every token minted from one refresh token (`origin_jti`), until `until`.
 * - `jti`: one token, until `until` (its `exp`; a token is useless after that anyway).
 * - `sub`: every token of the user authenticated at or before `at` (`auth_time`), until `until`.
 */
export type RevocationEntry =
  | { readonly kind: 'origin' | 'jti'; readonly id: string; readonly until: number }
  | { readonly kind: 'sub'; readonly id: string; readonly at: number; readonly until: number };

/** What a revocation store needs to know to write entries. */
export interface RevocationLifetime {
  /**
   * How long a refresh token lives (the app client's refresh-token validity). Session and
   * sign-out entries must outlive every refresh token that could still mint an access token.
   * Default 30 days, Cognito's default.
   */
  readonly refreshTokenValiditySeconds?: number | undefined;
}

/** Cognito's default refresh-token validity. */
export const DEFAULT_REFRESH_TOKEN_VALIDITY_SECONDS = 30 * 24 * 60 * 60;

/**
 * The entry that revokes a token's session (`origin_jti`), or the token alone (`jti`) when it
 * has no session id. A session entry lives as long as a refresh token could; a token entry
 * until the token's `exp`.
 *
 * @example
 * ```ts
 * const entry = entryForToken(req.auth, 30 * 86400 * 1000);
 * // { kind: 'origin', id: '6d1d…', until: 1767225600000 }
 * ```
 */
export function entryForToken(
  token: string | Principal,
  refreshTokenValidityMs: number,
  now = Date.now(),
): RevocationEntry {
  const claims = typeof token === 'string' ? claimsOf(token) : token.claims;
  const exp = Number(claims.exp);
  const expiresAt = Number.isFinite(exp) ? Math.ceil(exp * 1000) : now + refreshTokenValidityMs;
  const origin = nonEmptyString(claims.origin_jti);
  if (origin !== undefined) {
    return { kind: 'origin', id: origin, until: Math.max(expiresAt, now + refreshTokenValidityMs) };
  }
  const jti = nonEmptyString(claims.jti);
  if (jti !== undefined) return { kind: 'jti', id: jti, until: expiresAt };
  throw new TypeError('revokeToken: the token has neither an origin_jti nor a jti claim');
}

/**
 * The entry that revokes a session until a given time.
 *
 * @example
 * ```ts
 * entryForOrigin('6d1d…', new Date('2027-01-01'));
 * ```
 */
export function entryForOrigin(originJti: string, until: Date | number): RevocationEntry {
  return {
    kind: 'origin',
    id: requireId('originJti', originJti),
    until: requireTime('until', until),
  };
}

/**
 * The entry that revokes one token until a given time (its `exp`).
 *
 * @example
 * ```ts
 * entryForJti('f3a9…', 1767225600000);
 * ```
 */
export function entryForJti(jti: string, until: Date | number): RevocationEntry {
  return { kind: 'jti', id: requireId('jti', jti), until: requireTime('until', until) };
}

/**
 * The entry that signs a user out everywhere: every token authenticated at or before `at`.
 *
 * @example
 * ```ts
 * entryForSignOut(req.auth.sub, Date.now(), 30 * 86400 * 1000);
 * ```
 */
export function entryForSignOut(
  sub: string,
  at: Date | number,
  refreshTokenValidityMs: number,
): RevocationEntry {
  const cutOff = requireTime('at', at);
  return {
    kind: 'sub',
    id: requireId('sub', sub),
    at: cutOff,
    until: cutOff + refreshTokenValidityMs,
  };
}

/**
 * The refresh-token validity in milliseconds, validated: a `ConfigError` names
 * `refreshTokenValiditySeconds` unless it is a positive number.
 *
 * @example
 * ```ts
 * lifetimeMs({ refreshTokenValiditySeconds: 86400 }); // 86400000
 * ```
 */
export function lifetimeMs(options: RevocationLifetime = {}): number {
  const seconds = options.refreshTokenValiditySeconds ?? DEFAULT_REFRESH_TOKEN_VALIDITY_SECONDS;
  if (!Number.isFinite(seconds) || seconds <= 0) {
    const message = `must be a positive number of seconds, got ${String(seconds)}`;
    throw new ConfigError('revocation store', [{ field: 'refreshTokenValiditySeconds', message }]);
  }
  return seconds * 1000;
}

// Revoking from a raw token decodes it without verifying: an admin script has no keys. Revoking
// more than was asked is the only harm a forged token can do here; apps pass `req.auth` instead.
function claimsOf(token: string): Claims {
  const payload = token.split('.')[1];
  try {
    const claims: unknown = JSON.parse(Buffer.from(payload ?? '', 'base64url').toString('utf8'));
    if (claims !== null && typeof claims === 'object' && !Array.isArray(claims)) {
      return claims as Claims;
    }
  } catch {
    // reported below
  }
  throw new TypeError('revokeToken: the token is not a JWT with a JSON payload');
}

function nonEmptyString(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

function requireId(name: string, value: unknown): string {
  if (typeof value !== 'string' || value === '') {
    throw new TypeError(`${name}: must be a non-empty string`);
  }
  return value;
}

// Whole milliseconds, rounded up: later is stricter for both an expiry and a sign-out cut-off.
function requireTime(name: string, value: Date | number): number {
  const ms = value instanceof Date ? value.getTime() : value;
  if (typeof ms !== 'number' || !Number.isFinite(ms)) {
    throw new TypeError(`${name}: must be a Date or milliseconds since the epoch`);
  }
  return Math.ceil(ms);
}
