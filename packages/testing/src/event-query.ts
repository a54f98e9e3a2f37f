// How each event source hands a Lambda the query of a request: the event builders take a path with
// a query (`/movies?page=2`) and spread it into the fields the real source fills.

/** A request target split into its path and the query fields of each event source. */
export interface EventQuery {
  /** The path, without its query. */
  readonly path: string;
  /** As received, without `?` (HTTP API 2.0 `rawQueryString`, `''` for none). */
  readonly raw: string;
  /** Every pair, decoded (REST `multiValueQueryStringParameters`), `null` for none. */
  readonly decoded: Record<string, string[]> | null;
  /** Every pair as received (ALB `multiValueQueryStringParameters`), `{}` for none. */
  readonly undecoded: Record<string, string[]>;
}

/**
 * Splits a builder's `path` option into the path and the query fields event sources fill.
 *
 * @example
 * ```ts
 * eventQuery('/items?_method=delete&a=%2F'); // { path: '/items', raw: '_method=delete&a=%2F', … }
 * ```
 */
export function eventQuery(target: string): EventQuery {
  const mark = target.indexOf('?');
  if (mark === -1) return { path: target, raw: '', decoded: null, undecoded: {} };
  const raw = target.slice(mark + 1);
  const decoded: Record<string, string[]> = {};
  for (const [name, value] of new URLSearchParams(raw)) append(decoded, name, value);
  const undecoded: Record<string, string[]> = {};
  for (const pair of raw.split('&')) {
    if (pair === '') continue;
    const equals = pair.indexOf('=');
    if (equals === -1) append(undecoded, pair, '');
    else append(undecoded, pair.slice(0, equals), pair.slice(equals + 1));
  }
  return { path: target.slice(0, mark), raw, decoded, undecoded };
}

function append(pairs: Record<string, string[]>, name: string, value: string): void {
  const values = pairs[name] ?? [];
  values.push(value);
  pairs[name] = values;
}

/**
 * The last value of each name: what single-value query maps hold.
 *
 * @example
 * ```ts
 * lastValues({ a: ['1', '2'] }); // { a: '2' }
 * ```
 */
export function lastValues(pairs: Record<string, string[]>): Record<string, string> {
  return Object.fromEntries(
    Object.entries(pairs).map(([name, values]) => [name, values.at(-1) ?? '']),
  );
}
