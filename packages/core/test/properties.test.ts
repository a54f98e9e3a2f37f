// Property-based tests (fast-check): total functions never throw, the route matcher agrees with a
// brute-force reference, and group lists survive API Gateway's encodings.

import fc from 'fast-check';
import { compileRoutePolicy, isAuthError, type RoutePolicy } from '../src';
import {
  extractToken,
  normaliseGroups,
  normaliseScopes,
  splitRequestPath,
} from '../src/subpaths/advanced';

const runs = { numRuns: 500 };

describe('never throws', () => {
  it('extractToken: only ever an AuthError, for any headers', () => {
    const headerValue = fc.oneof(
      fc.string(),
      fc.array(fc.string(), { maxLength: 3 }),
      fc.constant(undefined),
    );
    fc.assert(
      fc.property(
        fc.record({
          authorization: headerValue,
          cookie: headerValue,
          'x-amzn-oidc-accesstoken': headerValue,
        }),
        fc.array(fc.string(), { maxLength: 6 }),
        (headers, rawHeaders) => {
          try {
            const token = extractToken(
              { method: 'GET', path: '/', headers, rawHeaders },
              {
                tokenSources: ['authorization', 'alb', { cookie: 'id' }],
                maxTokenBytes: 64,
                realm: 'api',
              },
            );
            return typeof token === 'string' && token.length > 0 && token.length <= 64;
          } catch (err) {
            return isAuthError(err) && [400, 401].includes(err.status);
          }
        },
      ),
      runs,
    );
  });

  it('normaliseGroups and normaliseScopes: for any value, a list of non-empty strings', () => {
    fc.assert(
      fc.property(
        fc.anything(),
        fc.constantFrom('json', 'comma', 'bracket', 'auto') as fc.Arbitrary<'json'>,
        (value, encoding) => {
          const groups = normaliseGroups(value, encoding);
          const scopes = normaliseScopes(value);
          return [...groups, ...scopes].every((item) => typeof item === 'string' && item !== '');
        },
      ),
      runs,
    );
  });

  it('splitRequestPath and match: canonical segments that round-trip, and a route of the policy', () => {
    const compiled = compileRoutePolicy({
      routes: { 'GET /a/{b}': {}, 'ANY /c/{proxy+}': { public: true }, $default: {} },
    });
    const keys = new Set(compiled.routeKeys);
    const pathArb = fc.oneof(
      fc.string(),
      fc
        .array(fc.oneof(fc.constantFrom('a', 'C', 'b', '%41', '%2F', '.', '..', ''), fc.string()), {
          maxLength: 4,
        })
        .map((parts) => `/${parts.join('/')}`),
    );
    fc.assert(
      fc.property(fc.constantFrom('GET', 'HEAD', 'POST', 'get', 'X'), pathArb, (method, path) => {
        const split = splitRequestPath(path, false);
        if (!split.ok) return typeof split.problem === 'string' && split.problem !== '';
        const pathname = path.split(/[?#]/)[0] as string;
        expect(split.trailingSlash).toBe(pathname.length > 1 && pathname.endsWith('/'));
        for (const segment of split.segments) expect(['', '.', '..']).not.toContain(segment);
        expect(split.segments).toEqual(split.asReceived.map((s) => s.toLowerCase()));
        // Split again at encoded slashes only when one was there, and never into an empty or
        // dot segment a file server would resolve.
        const slashed = split.asReceived.some((s) => s.includes('/'));
        expect(split.separated).toEqual(
          slashed ? split.asReceived.join('/').split('/') : undefined,
        );
        for (const segment of split.separated ?? []) expect(['', '.', '..']).not.toContain(segment);
        // One array when folding changed nothing: how a policy knows the case reading adds none.
        const foldsNothing = split.asReceived.every((s) => s === s.toLowerCase());
        expect(split.segments === split.asReceived).toBe(foldsNothing);
        // Encoding the decoded segments again gives a path that splits to the same segments.
        const again = splitRequestPath(
          `/${split.asReceived.map(encodeURIComponent).join('/')}`,
          false,
        );
        expect(again.ok && again.asReceived).toEqual(split.asReceived);
        const matched = compiled.match(method, split.segments);
        expect(matched.routeKey === undefined || keys.has(matched.routeKey)).toBe(true);
        expect(compiled.readings(method, split)[0]).toBe(matched);
        return true;
      }),
      runs,
    );
  });
});

// A brute-force reference of API Gateway HTTP API route selection: list every route that covers
// the request, then take the most specific (segment by segment literal < param < greedy; then a
// named method before ANY; HEAD may use GET routes).
function referenceMatch(
  policy: RoutePolicy,
  method: string,
  segments: readonly string[],
): string | undefined {
  const rank = (segment: string) => (segment.endsWith('+}') ? 2 : segment.startsWith('{') ? 1 : 0);
  const candidates: { key: string; ranks: number[]; methodRank: number }[] = [];
  for (const key of Object.keys(policy.routes)) {
    if (key === '$default') continue;
    const [routeMethod, path] = key.split(' ') as [string, string];
    const allowedMethods = method === 'HEAD' ? ['HEAD', 'GET', 'ANY'] : [method, 'ANY'];
    const methodRank = allowedMethods.indexOf(routeMethod);
    if (methodRank === -1) continue;
    const pattern = path === '/' ? [] : path.slice(1).split('/');
    const greedy = pattern.length > 0 && rank(pattern[pattern.length - 1] as string) === 2;
    const fixed = greedy ? pattern.slice(0, -1) : pattern;
    if (greedy ? segments.length <= fixed.length : segments.length !== fixed.length) continue;
    if (!fixed.every((p, i) => rank(p) === 1 || p.toLowerCase() === segments[i])) continue;
    const ranks = segments.map((_, i) => (i < fixed.length ? rank(fixed[i] as string) : 2));
    candidates.push({ key, ranks, methodRank });
  }
  candidates.sort((a, b) => {
    for (let i = 0; i < a.ranks.length; i++)
      if (a.ranks[i] !== b.ranks[i]) return (a.ranks[i] as number) - (b.ranks[i] as number);
    return a.methodRank - b.methodRank;
  });
  return candidates[0]?.key ?? ('$default' in policy.routes ? '$default' : undefined);
}

describe('route matcher against the reference', () => {
  const segment = fc.constantFrom('a', 'b', 'movies', 'Top', '{id}', '{name}');
  const routeKey = fc
    .tuple(
      fc.constantFrom('GET', 'POST', 'ANY', 'HEAD'),
      fc.array(segment, { maxLength: 3 }),
      fc.boolean(),
    )
    .map(
      ([method, segments, greedy]) =>
        `${method} /${[...segments, ...(greedy ? ['{proxy+}'] : [])].join('/')}`,
    );
  const policyArb = fc
    .uniqueArray(routeKey, {
      maxLength: 8,
      selector: (k) => k.toLowerCase().replace(/\{[a-z]+\}/g, '{}'),
    })
    .chain((keys) =>
      fc.tuple(
        fc.constant(keys),
        fc.array(fc.boolean(), { minLength: keys.length, maxLength: keys.length }),
        fc.boolean(),
      ),
    )
    .map(([keys, publicFlags, withDefault]) => {
      const routes: RoutePolicy['routes'] = Object.fromEntries(
        keys.map((key, i) => [key, publicFlags[i] ? { public: true } : { groups: ['g'] }]),
      );
      return {
        routes: withDefault ? { ...routes, $default: { groups: ['d'] } } : routes,
      } as RoutePolicy;
    });
  const request = fc.tuple(
    fc.constantFrom('GET', 'POST', 'HEAD', 'DELETE'),
    fc.array(fc.constantFrom('a', 'b', 'movies', 'top', 'TOP', 'x'), { maxLength: 4 }),
  );

  it('selects the same route as the brute-force reference, so it is never more permissive', () => {
    fc.assert(
      fc.property(policyArb, request, (policy, [method, segments]) => {
        let compiled: ReturnType<typeof compileRoutePolicy>;
        try {
          compiled = compileRoutePolicy(policy);
        } catch {
          return true; // e.g. two keys that select the same requests: refused at start-up
        }
        const path = `/${segments.join('/')}`;
        const split = splitRequestPath(path, false);
        if (!split.ok) return true;
        const ours = compiled.match(method, split.segments);
        const reference = referenceMatch(policy, method, split.segments);
        const referencePublic =
          reference !== undefined && policy.routes[reference]?.public === true;
        return (
          ours.routeKey === reference && (ours.rule === undefined) === (referencePublic || false)
        );
      }),
      { numRuns: 2000 },
    );
  });
});

describe('group lists survive API Gateway encodings', () => {
  // Cognito group names: letters, marks, symbols, numbers and punctuation; no whitespace.
  const groupName = fc
    .string({
      unit: fc.constantFrom(
        'a',
        'Z',
        '9',
        '-',
        '_',
        ',',
        '[',
        ']',
        '.',
        'é',
        '+',
        '@',
        '(',
        ')',
        ':',
        '/',
      ),
      minLength: 1,
      maxLength: 12,
    })
    .filter((name) => !/\s/.test(name));
  const groups = fc.uniqueArray(groupName, { maxLength: 8 });

  it('bracketed (HTTP API JWT authorizer): exact round trip for every legal name', () => {
    fc.assert(
      fc.property(groups, (list) => {
        const encoded = `[${list.join(' ')}]`;
        return (
          JSON.stringify(normaliseGroups(encoded, 'bracket')) ===
          JSON.stringify(normaliseGroups(list))
        );
      }),
      runs,
    );
  });

  it('comma-joined (REST Cognito authorizer): exact round trip for names without a comma', () => {
    fc.assert(
      fc.property(
        groups.map((list) => list.filter((name) => !name.includes(','))),
        (list) => {
          return JSON.stringify(normaliseGroups(list.join(','), 'comma')) === JSON.stringify(list);
        },
      ),
      runs,
    );
  });

  it('comma-joined is ambiguous for names with a comma: they split (documented in SECURITY.md)', () => {
    expect(normaliseGroups(['a,b'].join(','), 'comma')).toEqual(['a', 'b']);
  });
});
