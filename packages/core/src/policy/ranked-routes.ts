// The reading of routers that rank whole routes rather than segments. AWS Lambda Powertools'
// Router serves a static route first, then, of its routes with parameters, the one with the
// fewest, and only then its RegExp routes (how it writes a greedy one). API Gateway ranks segment
// by segment, a literal first: of `/a/{p}/{q}` and `/{p}/b/c` it serves `/a/b/c` with the first,
// Powertools with the second, and of `/a/{proxy+}` and `/{p}/b` it serves `/a/b` with the first,
// Powertools with the second. Where a policy holds such a pair, that router's route is read too.

import type { MatchedRoute } from './route-policy';

/** A route of the policy by the segments it matches. */
export interface PolicyRoute {
  readonly method: string;
  /** Each segment's literal, or `undefined` for a parameter; a greedy tail is left off. */
  readonly pattern: readonly (string | undefined)[];
  /** How many of `pattern`'s segments are parameters. */
  readonly parameters: number;
  /** Whether the route ends in a greedy `{name+}`. */
  readonly greedy: boolean;
  readonly route: MatchedRoute;
}

/** What a whole-route ranking selects where API Gateway's segment ranking selects another. */
export interface RankedReading {
  /**
   * The routes API Gateway ranks first on some path that a whole-route ranking serves with
   * another: only a request API Gateway selects one of these for needs the reading.
   */
  readonly outranked: ReadonlySet<MatchedRoute>;
  /** Each such pair: the route API Gateway ranks first, and the one that outranks it. */
  readonly pairs: readonly (readonly [MatchedRoute, MatchedRoute])[];
  /** The routes with the fewest parameters that match these segments exactly (ties: all). */
  fewestParameters(
    segments: readonly string[],
    methods: readonly string[],
  ): readonly MatchedRoute[];
}

/**
 * The whole-route ranking's reading of a policy, or `undefined` when no two of its routes are
 * ranked apart by the two orders (so no request needs it).
 *
 * @example
 * ```ts
 * const ranked = rankedReading(routes);
 * ranked?.fewestParameters(['a', 'b', 'c'], ['GET', 'ANY']); // [the route of `GET /{p}/b/c`]
 * ```
 */
export function rankedReading(routes: readonly PolicyRoute[]): RankedReading | undefined {
  const pairs: [MatchedRoute, MatchedRoute][] = [];
  for (const a of routes)
    for (const b of routes) if (rankedApart(a, b)) pairs.push([a.route, b.route]);
  if (pairs.length === 0) return;
  const outranked = new Set(pairs.map(([a]) => a));
  // Static routes too: they rank first (no parameters), as API Gateway ranks them.
  const byDepth = new Map<number, PolicyRoute[]>();
  for (const route of routes) {
    if (route.greedy) continue;
    const bucket = byDepth.get(route.pattern.length);
    if (bucket === undefined) byDepth.set(route.pattern.length, [route]);
    else bucket.push(route);
  }
  const fewestParameters = (segments: readonly string[], methods: readonly string[]) => {
    let fewest = Number.POSITIVE_INFINITY;
    let chosen: MatchedRoute[] = [];
    for (const candidate of byDepth.get(segments.length) ?? []) {
      if (!methods.includes(candidate.method) || !matches(candidate.pattern, segments)) continue;
      if (candidate.parameters < fewest) {
        fewest = candidate.parameters;
        chosen = [candidate.route];
      } else if (candidate.parameters === fewest) chosen.push(candidate.route);
    }
    return chosen;
  };
  return { outranked, pairs, fewestParameters };
}

function matches(pattern: readonly (string | undefined)[], segments: readonly string[]) {
  return pattern.every((literal, i) => literal === undefined || literal === segments[i]);
}

// Whether some path both routes take is served by `a` under API Gateway's ranking but by `b`
// under a whole-route one: `b` has parameters and no greedy tail, and `a` wins at the first
// segment where one has a literal and the other a parameter, while having more parameters (or a
// greedy tail, which a whole-route ranking tries last).
function rankedApart(a: PolicyRoute, b: PolicyRoute): boolean {
  if (b.greedy || b.parameters === 0) return false;
  if (a.greedy ? b.pattern.length <= a.pattern.length : a.pattern.length !== b.pattern.length) {
    return false;
  }
  let aWins: boolean | undefined;
  for (let i = 0; i < a.pattern.length; i++) {
    const [x, y] = [a.pattern[i], b.pattern[i]];
    if (x !== undefined && y !== undefined && x !== y) return false;
    if (aWins === undefined && (x === undefined) !== (y === undefined)) aWins = y === undefined;
  }
  if (a.greedy) return aWins === true;
  return aWins === true && a.parameters > b.parameters;
}
