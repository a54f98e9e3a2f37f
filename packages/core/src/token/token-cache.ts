// A bounded LRU of successful verifications, so a token sent again costs a map lookup instead
// of an RSA signature check. A token is admitted on its second sighting (see Doorkeeper).

import { type LRU, lru } from 'tiny-lru';
import { Doorkeeper } from './doorkeeper';
import type { Principal } from './principal';

/** Counters of {@link VerifiedTokenCache.stats}. */
export interface CacheStats {
  readonly hits: number;
  readonly misses: number;
  readonly evictions: number;
}

/** Options of {@link VerifiedTokenCache}. */
export interface VerifiedTokenCacheOptions {
  /** Entries kept at most; the least recently used are evicted first. */
  readonly maxEntries: number;
  /** Longest time an entry lives, whatever its token's `exp`. */
  readonly maxAgeSeconds: number;
  /** Clock skew tolerated on `exp`, as in verification. */
  readonly graceSeconds: number;
}

// A token is looked up by the last characters of its signature, not by the whole string: a map
// hashes a fresh 1 KB header string on every request (about 2 µs), 12 characters cost nothing
// and, copied for the key, keep 32 bytes per entry. 68 bits of an RSA signature repeat by chance
// about once in 2^68, and even then cost only a miss: an entry answers only the token it holds.
const KEY_CHARS = 12;

/**
 * Caches principals by token. An entry answers only a token equal to the one it was verified
 * from, byte for byte: any change to any byte is a miss, so a tampered token can never hit (one
 * sharing the signature is a miss, verified and refused). Only successes are stored, and only
 * from a token's second verification on: a token seen once (a flood of one-off tokens, say)
 * neither pays for an insertion nor evicts the tokens that repeat. An entry lives until the
 * earlier of its token's `exp` (re-checked on every hit) and `maxAgeSeconds`.
 *
 * @example
 * ```ts
 * const cache = new VerifiedTokenCache({ maxEntries: 10_000, maxAgeSeconds: 300, graceSeconds: 0 });
 * cache.set(token, principal); // first sighting: remembered, not stored
 * cache.set(token, principal); // second: stored
 * cache.get(token); // principal, until it expires
 * ```
 */
export class VerifiedTokenCache {
  private readonly entries: LRU<Principal>;
  private readonly doorkeeper: Doorkeeper;
  private readonly graceMs: number;
  private hits = 0;
  private misses = 0;

  constructor(options: VerifiedTokenCacheOptions) {
    this.entries = lru<Principal>(options.maxEntries, options.maxAgeSeconds * 1000);
    this.doorkeeper = new Doorkeeper(options.maxEntries);
    this.graceMs = options.graceSeconds * 1000;
  }

  /** The cached principal for this exact token, or `undefined` if absent or expired. */
  get(token: string, now = Date.now()): Principal | undefined {
    const key = token.slice(-KEY_CHARS);
    const principal = this.entries.get(key);
    if (principal === undefined || principal.token !== token) {
      this.misses++;
      return undefined;
    }
    // Asked as "still valid?", so that an expiry that is not a number counts as expired.
    if (!(principal.expiresAt * 1000 + this.graceMs > now)) {
      this.entries.delete(key);
      this.misses++;
      return undefined;
    }
    this.hits++;
    return principal;
  }

  /**
   * Stores a principal verified from `token` (its `token`, which `get` compares) if this token
   * was verified before; otherwise only remembers having seen it.
   */
  set(token: string, principal: Principal): void {
    if (this.doorkeeper.admit(token)) this.entries.set(token.slice(-KEY_CHARS), principal);
  }

  /**
   * Lookups answered and not answered since the cache was made, and entries evicted to make
   * room: what a benchmark of unique tokens reads to show the miss path, not the cache, was timed.
   */
  get stats(): CacheStats {
    return { hits: this.hits, misses: this.misses, evictions: this.entries.stats().evictions };
  }

  /** Number of entries held. */
  get size(): number {
    return this.entries.size;
  }

  /** Drops every entry (after a key revocation, say). */
  clear(): void {
    this.entries.clear();
    this.doorkeeper.clear();
  }
}
