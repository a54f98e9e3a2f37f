// Node's alternating name/value list shows what `req.headers` folds away: a header sent twice.

/**
 * How many times a header (its lower-case name) appears in Node's raw header list.
 *
 * @example
 * ```ts
 * rawHeaderCount(['Host', 'a', 'Origin', 'x', 'origin', 'y'], 'origin'); // 2
 * ```
 */
export function rawHeaderCount(rawHeaders: readonly string[], name: string): number {
  let count = 0;
  for (let i = 0; i < rawHeaders.length; i += 2) {
    const raw = rawHeaders[i];
    // Comparing lengths first spares a lower-cased copy of every other header's name.
    if (raw?.length === name.length && raw.toLowerCase() === name) count++;
  }
  return count;
}
