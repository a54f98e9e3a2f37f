// How many values a header has: Node's alternating name/value list shows what `req.headers`
// folds away, a header sent twice.

import type { RequestLike } from './extract-token';

/**
 * How many values a request has for a header (its lower-case name): one for a lone string, the
 * length of a list (Lambda's multi-value headers), and at least the count of Node's raw lines.
 *
 * @example
 * ```ts
 * headerValueCount({ method: 'GET', path: '/', headers: { origin: 'x' }, rawHeaders: ['Origin', 'x', 'origin', 'y'] }, 'origin'); // 2
 * ```
 */
export function headerValueCount(request: RequestLike, name: string): number {
  const value = request.headers[name];
  // A lone string is the usual case: read it as it is, with no array built around it per request.
  const count = typeof value === 'string' ? 1 : (value?.length ?? 0);
  if (request.rawHeaders === undefined || count > 1) return count;
  return Math.max(count, rawHeaderCount(request.rawHeaders, name));
}

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
