// TinyLFU's doorkeeper: a token earns a cache entry on its second sighting. On a stream of
// one-off tokens (every login, a flood of fresh tokens) an LRU that admits everything pays an
// insertion and an eviction per request and pushes out the tokens that do repeat.

import { signatureHash } from './signature-hash';

// Slots per cache entry: the doorkeeper remembers about this many cache-fulls of recent
// first sightings, in 2 bytes a slot.
const SLOTS_PER_ENTRY = 2;

/**
 * Remembers recent first sightings of tokens in a fixed table of 16-bit fingerprints, one per
 * slot, a newer token overwriting an older one. `admit` answers whether a token was seen before. A
 * false "yes" (two tokens sharing slot and fingerprint, about 1 in 2^16) only admits a verified
 * token early; a false "no" (a slot overwritten in between) only delays its admission.
 *
 * @example
 * ```ts
 * const doorkeeper = new Doorkeeper(10_000);
 * doorkeeper.admit(token); // false: first sighting, remembered
 * doorkeeper.admit(token); // true
 * ```
 */
export class Doorkeeper {
  private readonly fingerprints: Uint16Array;
  private readonly mask: number;

  constructor(maxEntries: number) {
    const slots = 2 ** Math.ceil(Math.log2(Math.max(1024, maxEntries * SLOTS_PER_ENTRY)));
    this.fingerprints = new Uint16Array(slots);
    this.mask = slots - 1;
  }

  /**
   * True if `token` was offered before and not overwritten since; otherwise remembers it and
   * answers false. Slot and fingerprint hash characters of the signature the cache key does not.
   */
  admit(token: string): boolean {
    const slot = signatureHash(token, 16, 8) & this.mask;
    // Never 0, which marks an empty slot.
    const fingerprint = (signatureHash(token, 24, 8) & 0xffff) | 1;
    if (this.fingerprints[slot] === fingerprint) return true;
    this.fingerprints[slot] = fingerprint;
    return false;
  }

  /** Forgets every sighting. */
  clear(): void {
    this.fingerprints.fill(0);
  }
}
