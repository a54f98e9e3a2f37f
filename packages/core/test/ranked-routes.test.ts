// Which route pairs a whole-route ranking (Powertools' Router: static first, then the fewest
// parameters, greedy routes last) serves apart from API Gateway's segment-by-segment ranking.
// Each pair is a reading the guards add, so a pair too many is an over-strict reading and a pair
// too few a route a router can serve under a rule the guard never read.

import { compileRoutePolicy } from '../src';
import { type PolicyRoute, rankedReading } from '../src/policy/ranked-routes';

const crossingsOf = (...keys: string[]) =>
  compileRoutePolicy({ routes: Object.fromEntries(keys.map((key) => [key, {}])) }).crossings;

describe('routes a whole-route ranking serves apart', () => {
  it('pairs a route API Gateway ranks first with the one with fewer parameters', () => {
    expect(crossingsOf('GET /a/{p}/{q}', 'GET /{p}/b/c')).toEqual([
      ['GET /a/{p}/{q}', 'GET /{p}/b/c'],
    ]);
    // Behind a shared literal, at the first segment where they part.
    expect(crossingsOf('GET /s/a/{p}/{q}', 'GET /s/{p}/b/c')).toEqual([
      ['GET /s/a/{p}/{q}', 'GET /s/{p}/b/c'],
    ]);
    // A greedy route, which that ranking tries last, against any route it serves paths of.
    expect(crossingsOf('GET /a/{proxy+}', 'GET /{p}/b')).toEqual([
      ['GET /a/{proxy+}', 'GET /{p}/b'],
    ]);
  });

  it.each([
    ['the same number of parameters', ['GET /a/{p}', 'GET /{q}/b']],
    [
      'where the route with fewer parameters wins the first parting segment',
      ['GET /{p}/{q}/c', 'GET /a/{r}/c'],
    ],
    ['routes of different lengths', ['GET /a/{p}/{q}', 'GET /{p}/b']],
    ['a greedy route against one no longer than its prefix', ['GET /a/{proxy+}', 'GET /{p}']],
    [
      'a greedy second route, which that ranking tries last',
      ['GET /a/{p}/{q}', 'GET /{p}/b/c/{proxy+}'],
    ],
    ['a static second route', ['GET /a/{p}', 'GET /a/b']],
    ['routes that part at a literal', ['GET /a/{p}/{q}', 'GET /b/{p}/c']],
    ['routes that part at a literal after the first won', ['GET /a/{p}/{q}/x', 'GET /{p}/b/c/y']],
    ['a greedy route that loses the first parting segment', ['GET /{p}/{proxy+}', 'GET /a/{q}']],
  ])('pairs nothing for %s', (_case, keys) => {
    expect(crossingsOf(...keys)).toEqual([]);
  });
});

describe('rankedReading', () => {
  const route = (key: string, pattern: (string | undefined)[], greedy = false): PolicyRoute => ({
    method: 'GET',
    pattern,
    parameters: pattern.filter((segment) => segment === undefined).length,
    greedy,
    route: { routeKey: key, rule: undefined },
  });
  const first = route('GET /a/{p}/{q}', ['a', undefined, undefined]);
  const fewer = route('GET /{p}/b/c', [undefined, 'b', 'c']);
  const tie = route('GET /{p}/{q}/c', [undefined, undefined, 'c']);
  const greedy = route('GET /a/b/c/{proxy+}', ['a', 'b', 'c'], true);
  const keysOf = (routes: readonly { routeKey: string | undefined }[]) =>
    routes.map((r) => r.routeKey);

  it('is undefined when no pair needs it, so no request pays for it', () => {
    expect(rankedReading([first, tie])).toBeUndefined();
  });

  it('serves a path with the exact routes of the fewest parameters, never a greedy one', () => {
    const ranked = rankedReading([first, fewer, tie, greedy]);
    expect(ranked && [...ranked.outranked].map((r) => r.routeKey)).toEqual(['GET /a/{p}/{q}']);
    expect(keysOf(ranked?.fewestParameters(['a', 'b', 'c'], ['GET', 'ANY']) ?? [])).toEqual([
      'GET /{p}/b/c',
    ]);
    // Two of one count both serve it; none of another method; none where none matches.
    const tied = rankedReading([first, fewer, route('GET /x/{p}/c', ['x', undefined, 'c'])]);
    expect(keysOf(tied?.fewestParameters(['x', 'b', 'c'], ['GET']) ?? [])).toEqual([
      'GET /{p}/b/c',
      'GET /x/{p}/c',
    ]);
    expect(ranked?.fewestParameters(['a', 'b', 'c'], ['POST'])).toEqual([]);
    expect(ranked?.fewestParameters(['z', 'z'], ['GET'])).toEqual([]);
  });
});
