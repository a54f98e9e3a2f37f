// The contract between guards and revocation stores. A store is written to by apps' logout and
// admin paths (the four revoke methods) and read by guards (`lookup`, a local, synchronous
// answer, plus how current that answer is). `memoryRevocationStore` and `@cognito-guard/redis`
// implement it.

import type { Claims, Principal } from '../token/principal';
import {
  entryForJti,
  entryForOrigin,
  entryForSignOut,
  entryForToken,
  type RevocationEntry,
  type RevocationKind,
} from './revocation-entry';

/** The methods apps call to revoke. Each resolves once the revocation is stored. */
export interface RevocationWriter {
  /**
   * Revokes a token's whole session (every token minted from its refresh token, by
   * `origin_jti`), or the token alone (`jti`) when it carries no `origin_jti`. Pass the verified
   * principal (`req.auth`); a raw token string is decoded without verification.
   */
  revokeToken(token: string | Principal): Promise<void>;
  /** Revokes every token of one session (`origin_jti`) until `until`. */
  revokeOrigin(originJti: string, until: Date | number): Promise<void>;
  /** Revokes one token (`jti`) until `until` (its `exp`). */
  revokeJti(jti: string, until: Date | number): Promise<void>;
  /** Signs a user out everywhere: every token authenticated (`auth_time`) at or before `at` (default now). */
  signOutUser(sub: string, at?: Date | number): Promise<void>;
}

/**
 * A revocation store: what apps write to and guards read. Give it to a guard as
 * `revocation: { store }`.
 *
 * @example
 * ```ts
 * const store = memoryRevocationStore();
 * const guard = cognitoGuard({ ...config, revocation: { store } });
 * app.post('/logout', guard.authenticate(), async (req, res) => {
 *   await store.revokeToken(req.auth);
 *   res.sendStatus(204);
 * });
 * ```
 */
export interface RevocationStore extends RevocationWriter {
  /** Resolves once the store's revocations are loaded and lookups are current. */
  ready(): Promise<void>;
  /** Which revocation denies a token with these claims, from memory: no I/O. */
  lookup(claims: Claims, now?: number): RevocationKind | undefined;
  /**
   * How long, in milliseconds, lookups may have missed revocations made elsewhere: 0 while the
   * store is known to be current, growing from the moment that became uncertain.
   */
  stalenessMs(now?: number): number;
  /** Tries to become current now (a frozen Lambda thawing, a check that found the store stale). */
  refresh(): Promise<void>;
  /** Releases connections and timers. */
  close(): Promise<void>;
}

/**
 * The four revoke methods of a store, built on the one operation a store really has: storing
 * an entry.
 *
 * @example
 * ```ts
 * const writer = revocationWriter(30 * 86400_000, async (entry) => list.add(entry));
 * await writer.signOutUser('aaaa-bbbb');
 * ```
 */
export function revocationWriter(
  refreshTokenValidityMs: number,
  store: (entry: RevocationEntry) => Promise<void>,
): RevocationWriter {
  // Argument errors reject rather than throw, so a caller's `await … .catch()` sees them.
  const attempt = (build: () => RevocationEntry) => {
    let entry: RevocationEntry;
    try {
      entry = build();
    } catch (err) {
      return Promise.reject(err);
    }
    return store(entry);
  };
  return {
    revokeToken: (token) => attempt(() => entryForToken(token, refreshTokenValidityMs)),
    revokeOrigin: (originJti, until) => attempt(() => entryForOrigin(originJti, until)),
    revokeJti: (jti, until) => attempt(() => entryForJti(jti, until)),
    signOutUser: (sub, at = Date.now()) =>
      attempt(() => entryForSignOut(sub, at, refreshTokenValidityMs)),
  };
}

/**
 * Tells whether a value has the shape of a {@link RevocationStore}.
 *
 * @example
 * ```ts
 * isRevocationStore(memoryRevocationStore()); // true
 * ```
 */
export function isRevocationStore(value: unknown): value is RevocationStore {
  const store = value as Partial<Record<keyof RevocationStore, unknown>> | null;
  return (
    typeof store === 'object' &&
    store !== null &&
    typeof store.lookup === 'function' &&
    typeof store.stalenessMs === 'function' &&
    typeof store.refresh === 'function' &&
    typeof store.ready === 'function'
  );
}
