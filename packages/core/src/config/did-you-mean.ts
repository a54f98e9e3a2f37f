// "Did you mean …?" for names a person typed: option keys, regions, group names.

/**
 * The candidate nearest to `word` by edit distance, if it is at most `maxDistance` edits away
 * (and `word` is not itself a candidate).
 *
 * @example
 * ```ts
 * closest('group', ['groups', 'scopes']); // 'groups'
 * closest('eu-wst-1', ['eu-west-1', 'us-west-1']); // 'eu-west-1'
 * ```
 */
export function closest(
  word: string,
  candidates: Iterable<string>,
  maxDistance = 2,
): string | undefined {
  let nearest: string | undefined;
  let best = maxDistance + 1;
  for (const candidate of candidates) {
    if (candidate === word) return undefined;
    const d = editDistance(word.toLowerCase(), candidate.toLowerCase());
    if (d < best) {
      best = d;
      nearest = candidate;
    }
  }
  return nearest;
}

/**
 * Levenshtein distance between two short strings.
 *
 * @example
 * ```ts
 * editDistance('admin', 'admins'); // 1
 * ```
 */
export function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      current[j] = Math.min(
        (previous[j] ?? 0) + 1,
        (current[j - 1] ?? 0) + 1,
        (previous[j - 1] ?? 0) + cost,
      );
    }
    previous = current;
  }
  return previous[b.length] ?? 0;
}
