// The reading of routers that rank whole routes rather than segments. AWS Lambda Powertools'
// Router serves a static route first, then, of its routes with parameters, the one with the
// fewest, and only then its RegExp routes (how it writes a greedy one). API Gateway ranks segment
// by segment, a literal first: of `/a/{p}/{q}` and `/{p}/b/c` it serves `/a/b/c` with the first,
// Powertools with the second, and of `/a/{proxy+}` and `/{p}/b` it serves `/a/b` with the first,
// Powertools with the second. Where a policy holds such a pair, that router's route is read too.

import type { MatchedRoute } from './route-policy';

/** A route without a greedy tail, by the segments it matches. */
interface RankedRoute {
  readonly method: string;
  /** Each segment's literal, or `undefined` for a parameter. */
  readonly pattern: readonly (string | undefined)[];
  readonly parameters: number;
  readonly route: MatchedRoute;
}

/** A route as the policy's trie holds it: its method and its segments as written. */
export interface PolicyRoute {
  readonly method: string;
  readonly segments: readonly string[];
  readonly route: MatchedRoute;
}

/** What a whole-route ranking selects where API Gateway's segment ranking selects another. */
export interface RankedReading {
  /**
   * The routes API Gateway ranks first on some path that a whole-route ranking serves with
   * another: only a request API Gateway selects one of these for needs the reading.
   */
  readonly outranked: ReadonlySet<MatchedRoute>;
  /** The routes with the fewest parameters that match these segments exactly (ties: all). */
  fewestParameters(
    segments: readonly string[],
    methods: readonly string[],
  ): readonly MatchedRoute[];
}

const isParam = (segment: string) => segment.startsWith('{') && !segment.endsWith('+}');
const isGreedy = (segment: string) => segment.endsWith('+}');

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
  const outranked = new Set<MatchedRoute>();
  for (const a of routes) {
    if (routes.some((b) => rankedApart(a.segments, b.segments))) outranked.add(a.route);
  }
  if (outranked.size === 0) return;
  const byDepth = new Map<number, RankedRoute[]>();
  for (const { method, segments, route } of routes) {
    // Static routes too: they rank first (no parameters), as API Gateway ranks them.
    if (segments.some(isGreedy)) continue;
    const pattern = segments.map((s) => (isParam(s) ? undefined : s));
    const ranked = {
      method,
      pattern,
      parameters: pattern.filter((s) => s === undefined).length,
      route,
    };
    const bucket = byDepth.get(segments.length);
    if (bucket === undefined) byDepth.set(segments.length, [ranked]);
    else bucket.push(ranked);
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
  return { outranked, fewestParameters };
}

function matches(pattern: readonly (string | undefined)[], segments: readonly string[]) {
  return pattern.every((literal, i) => literal === undefined || literal === segments[i]);
}

// Whether some path both routes take is served by `a` under API Gateway's ranking but by `b`
// under a whole-route one: `b` has parameters and no greedy tail, and `a` wins at the first
// segment where one has a literal and the other a parameter, while having more parameters (or a
// greedy tail, which a whole-route ranking tries last).
function rankedApart(a: readonly string[], b: readonly string[]): boolean {
  if (b.some(isGreedy) || !b.some(isParam)) return false;
  const aGreedy = a.length > 0 && isGreedy(a[a.length - 1] as string);
  const prefix = aGreedy ? a.slice(0, -1) : a;
  if (aGreedy ? b.length <= prefix.length : a.length !== b.length) return false;
  let aWins: boolean | undefined;
  for (let i = 0; i < prefix.length; i++) {
    const [x, y] = [prefix[i] as string, b[i] as string];
    const [xParam, yParam] = [isParam(x), isParam(y)];
    if (!xParam && !yParam && x !== y) return false;
    if (aWins === undefined && xParam !== yParam) aWins = yParam;
  }
  if (aGreedy) return aWins === true;
  const parameters = (s: readonly string[]) => s.filter(isParam).length;
  return aWins === true && parameters(a) > parameters(b);
}
