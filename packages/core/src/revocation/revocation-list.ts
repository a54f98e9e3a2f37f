// The revocations in force, in memory: what every request's revocation check reads. A lookup is
// three map reads, so the hot path never leaves the process. Entries are never evicted for room,
// only when they expire: forgetting a revocation would let a revoked token back in.

import type { Claims } from '../token/principal';
import type { RevocationEntry, RevocationKind } from './revocation-entry';

const SWEEP_INTERVAL_MS = 60_000;

interface SignOut {
  readonly at: number;
  readonly until: number;
}

/**
 * An in-memory set of revocations with expiry. Adding keeps the stricter of two entries for the
 * same id (the later `until`, the later sign-out cut-off).
 *
 * @example
 * ```ts
 * const list = new RevocationList();
 * list.add({ kind: 'origin', id: claims.origin_jti, until: Date.now() + 3600_000 });
 * list.find(claims); // 'origin'
 * ```
 */
export class RevocationList {
  private readonly origins = new Map<string, number>();
  private readonly jtis = new Map<string, number>();
  private readonly signOuts = new Map<string, SignOut>();
  private sweptAt = 0;

  /** Number of entries held, expired ones not yet swept included. */
  get size(): number {
    return this.origins.size + this.jtis.size + this.signOuts.size;
  }

  /** Adds (or tightens) a revocation; expired entries are ignored. */
  add(entry: RevocationEntry, now = Date.now()): void {
    if (now - this.sweptAt >= SWEEP_INTERVAL_MS) this.sweep(now);
    if (entry.until <= now) return;
    if (entry.kind === 'sub') {
      const known = this.signOuts.get(entry.id);
      this.signOuts.set(entry.id, {
        at: Math.max(entry.at, known?.at ?? -Infinity),
        until: Math.max(entry.until, known?.until ?? -Infinity),
      });
      return;
    }
    const map = entry.kind === 'origin' ? this.origins : this.jtis;
    map.set(entry.id, Math.max(entry.until, map.get(entry.id) ?? -Infinity));
  }

  /**
   * Which revocation, if any, denies a token with these claims at `now`: its session
   * (`origin_jti`), the token itself (`jti`), or its user's sign-out (`auth_time` at or before the
   * cut-off; `iat` when a token has no `auth_time`, and revoked when it has neither).
   */
  find(claims: Claims, now = Date.now()): RevocationKind | undefined {
    if (liveIn(this.origins, claims.origin_jti, now)) return 'origin';
    if (liveIn(this.jtis, claims.jti, now)) return 'jti';
    const signOut = typeof claims.sub === 'string' ? this.signOuts.get(claims.sub) : undefined;
    if (signOut === undefined || signOut.until <= now) return undefined;
    const authTime = epochSeconds(claims.auth_time) ?? epochSeconds(claims.iat);
    return authTime === undefined || authTime * 1000 <= signOut.at ? 'sub' : undefined;
  }

  /** Every entry still in force, for a store to copy or a test to compare. */
  *entries(now = Date.now()): IterableIterator<RevocationEntry> {
    for (const [id, until] of this.origins) if (until > now) yield { kind: 'origin', id, until };
    for (const [id, until] of this.jtis) if (until > now) yield { kind: 'jti', id, until };
    for (const [id, { at, until }] of this.signOuts) {
      if (until > now) yield { kind: 'sub', id, at, until };
    }
  }

  /** Drops expired entries; returns how many went. */
  sweep(now = Date.now()): number {
    this.sweptAt = now;
    const before = this.size;
    for (const [id, until] of this.origins) if (until <= now) this.origins.delete(id);
    for (const [id, until] of this.jtis) if (until <= now) this.jtis.delete(id);
    for (const [id, entry] of this.signOuts) if (entry.until <= now) this.signOuts.delete(id);
    return before - this.size;
  }

  /** Removes every entry. */
  clear(): void {
    this.origins.clear();
    this.jtis.clear();
    this.signOuts.clear();
  }
}

function liveIn(map: ReadonlyMap<string, number>, id: unknown, now: number): boolean {
  if (typeof id !== 'string') return false;
  const until = map.get(id);
  return until !== undefined && until > now;
}

// API Gateway hands claims over as strings ("1733100000"); a signed token has numbers.
function epochSeconds(value: unknown): number | undefined {
  if (typeof value === 'number') return Number.isFinite(value) ? value : undefined;
  if (typeof value === 'string' && /^\d{1,12}$/.test(value)) return Number(value);
  return undefined;
}
