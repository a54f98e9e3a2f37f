// TinyLFU's doorkeeper: a token earns a cache entry on its second sighting. On a stream of
// one-off tokens (every login, a flood of fresh tokens) an LRU that admits everything pays an
// insertion and an eviction per request and pushes out the tokens that do repeat.

// Slots per cache entry: the doorkeeper remembers about this many cache-fulls of recent
// first sightings, in 4 bytes a slot.
const SLOTS_PER_ENTRY = 2;
const FNV_PRIME = 0x01000193;

/**
 * Remembers recent first sightings of cache keys in a fixed table of 32-bit fingerprints, one per
 * slot, a newer key overwriting an older one. `admit` answers whether a key was seen before. A
 * false "yes" (two keys sharing slot and fingerprint, about 1 in 2^32) only admits a verified
 * token early; a false "no" (a slot overwritten in between) only delays its admission.
 *
 * @example
 * ```ts
 * const doorkeeper = new Doorkeeper(10_000);
 * doorkeeper.admit(key); // false: first sighting, remembered
 * doorkeeper.admit(key); // true
 * ```
 */
export class Doorkeeper {
  private readonly fingerprints: Int32Array;
  private readonly mask: number;

  constructor(maxEntries: number) {
    const slots = 2 ** Math.ceil(Math.log2(Math.max(1024, maxEntries * SLOTS_PER_ENTRY)));
    this.fingerprints = new Int32Array(slots);
    this.mask = slots - 1;
  }

  /**
   * True if `key` was offered before and not overwritten since; otherwise remembers it and
   * answers false. Keys are the random tail of a signature: a few characters hash well.
   */
  admit(key: string): boolean {
    const slot = fnv(key, 0, 8) & this.mask;
    // Never 0, which marks an empty slot.
    const fingerprint = fnv(key, 8, 16) | 1;
    if (this.fingerprints[slot] === fingerprint) return true;
    this.fingerprints[slot] = fingerprint;
    return false;
  }

  /** Forgets every sighting. */
  clear(): void {
    this.fingerprints.fill(0);
  }
}

// FNV-1a over key[from, to): short keys hash over what they have.
function fnv(key: string, from: number, to: number): number {
  let hash = 0x811c9dc5;
  const end = Math.min(to, key.length);
  for (let i = from; i < end; i++) hash = Math.imul(hash ^ key.charCodeAt(i), FNV_PRIME);
  return hash;
}
