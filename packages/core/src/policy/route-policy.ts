// Route policies keyed by API Gateway route keys ("GET /movies/{id}"), compiled into a segment
// trie that selects routes the way an HTTP API does.

import * as z from 'zod/mini';
import { ConfigError, type ConfigIssue } from '../config/config-error';
import { issuesOf } from '../config/zod-issues';
import { lowerCase, type PathSegments } from '../request/request-path';
import { builtOnce } from '../shared/built-once';
import { type PolicyRoute, rankedReading } from './ranked-routes';
import { compileParsedRule, type RuleJson, ruleSchema } from './rule-json';
import { authenticated, type Rule } from './rules';

/** What happens to a request no route matches (and no `$default` route catches). */
export type DefaultAction = 'deny' | 'authenticated' | 'allow';

/**
 * A JSON-serialisable route policy: one file can describe API Gateway and container routes.
 *
 * @example
 * ```ts
 * const policy: RoutePolicy = {
 *   defaultAction: 'deny',
 *   routes: {
 *     'GET /movies': { groups: ['movies-group'] },
 *     'ANY /admin/{proxy+}': { allGroups: ['admins'] },
 *     'GET /health': { public: true },
 *   },
 * };
 * ```
 */
export interface RoutePolicy {
  /** Default `'deny'`. */
  readonly defaultAction?: DefaultAction | undefined;
  /**
   * Where the routes are mounted, `'/api'`: route keys are relative to it, as a sub-router's
   * or `koa-mount`'s are (and as API Gateway's under a base path mapping). A request outside it
   * matches no route.
   */
  readonly basePath?: string | undefined;
  readonly routes: Readonly<Record<string, RuleJson>>;
}

/** A request path that {@link splitRequestPath} accepted. */
export type SplitPath = Extract<PathSegments, { readonly ok: true }>;

/** The route a request matched. */
export interface MatchedRoute {
  /** The route key as written in the policy, `'$default'`, or `undefined` when none matched. */
  readonly routeKey: string | undefined;
  /** `undefined` means public: allowed without a token. */
  readonly rule: Rule | undefined;
}

/** HTTP methods a route key may name. */
export const ROUTE_METHODS = [
  'GET',
  'POST',
  'PUT',
  'PATCH',
  'DELETE',
  'HEAD',
  'OPTIONS',
  'ANY',
] as const;
type RouteMethod = (typeof ROUTE_METHODS)[number];

interface TrieNode {
  readonly literals: Map<string, TrieNode>;
  param: TrieNode | undefined;
  /** Routes ending in `{name+}` below this node, by method. */
  readonly greedy: Map<RouteMethod, MatchedRoute>;
  /** Routes ending exactly at this node, by method. */
  readonly exact: Map<RouteMethod, MatchedRoute>;
}

/**
 * A compiled route policy. Create it once at start-up; matching allocates almost nothing.
 *
 * @example
 * ```ts
 * const compiled = compileRoutePolicy(policy);
 * compiled.match('GET', ['movies', '42']).routeKey; // 'GET /movies/{id}'
 * ```
 */
export interface CompiledRoutePolicy {
  readonly defaultAction: DefaultAction;
  /** The mount path route keys are relative to, if any. */
  readonly basePath: string | undefined;
  /** Route keys in the order written, for tools that enumerate routes (authorizers). */
  readonly routeKeys: readonly string[];
  /**
   * Pairs of route keys that select some paths alike, where API Gateway selects the first and a
   * router that ranks whole routes (fewest parameters first: Powertools' `Router`) the second.
   * The guards apply the stricter of the two rules there; `cognito-guard lint` names the pairs.
   */
  readonly crossings: readonly (readonly [string, string])[];
  readonly caseSensitive: boolean;
  /** What a request no route matches gets: the `$default` route or the `defaultAction`. */
  readonly unmatched: MatchedRoute;
  /** Selects the route for a method and decoded path segments. */
  match(method: string, segments: readonly string[]): MatchedRoute;
  /**
   * The routes a request may be read as, for deciding by the stricter: the route API Gateway
   * would select; the route each other spelling of the path selects (its case as received, its
   * undecoded segments, its segments split at encoded slashes as a file server reads them); the
   * `{name+}` route whose prefix is exactly this path (the reading of a router that hands
   * `/admin/` or `/admin` to an `/admin/*` handler); for `HEAD`, the `HEAD` or `ANY` route a
   * router that serves `HEAD` without `GET` handlers selects; where the policy holds routes the
   * two orders part, the route with the fewest parameters (a router that ranks whole routes,
   * as Powertools' does: `ranked-routes.ts`); and, when it ends in `/`, what no route matches (a
   * strict router's reading). The first is the route `match` selects.
   */
  readings(method: string, path: SplitPath): readonly MatchedRoute[];
  /** The route written under this exact key, if any. */
  route(routeKey: string): MatchedRoute | undefined;
  /**
   * The route written under this key or under one that selects the same requests: other
   * parameter names (`GET /movies/{id}` for `GET /movies/{movieId}`), and another case where the
   * policy folds it. How API Gateway's own route key for a request finds the policy's.
   */
  sameRoute(routeKey: string): MatchedRoute | undefined;
}

const policySchema = /* @__PURE__ */ builtOnce(() =>
  z.strictObject({
    defaultAction: z.optional(z.enum(['deny', 'authenticated', 'allow'])),
    basePath: z.optional(
      z.string().check(
        z.regex(
          /^(\/[A-Za-z0-9._~!$&'()*+,;=:@-]+)+$/,
          'must be a path such as "/api" or "/api/v1": no trailing slash, query, parameter or empty segment',
        ),
        z.refine((path) => !/\/\.\.?(\/|$)/.test(path), 'must not contain dot segments'),
      ),
    ),
    routes: z.record(z.string(), ruleSchema()),
  }),
);

const PARAM = /^\{[A-Za-z0-9_.-]+\}$/;
const GREEDY = /^\{[A-Za-z0-9_.-]+\+\}$/;

/**
 * Validates and compiles a route policy. Throws a {@link ConfigError} naming every bad route.
 *
 * Selection follows API Gateway HTTP APIs: segment by segment a literal beats `{param}`, which
 * beats a greedy `{proxy+}`; a named method beats `ANY`; `$default` catches the rest. `HEAD` falls
 * back to `GET` routes, because Express and Koa serve `HEAD` with `GET` handlers; where the path
 * also has an `ANY` route, which API Gateway and @middy/http-router hand `HEAD` to, the stricter
 * of the two decides. Where a route with fewer parameters also selects a path (`GET /{p}/b/c`
 * beside `GET /a/{p}/{q}` for `/a/b/c`), which routers that rank whole routes serve it with, the
 * stricter decides too. So does the wildcard lambda-api serves a path by where its single walk
 * (a literal before a parameter, never back) stops short of a route, unless `lambdaApiWalk` is
 * `false`: an authorizer's IAM policy cannot name those paths, so it leaves them to the guard in
 * the function.
 *
 * @example
 * ```ts
 * const compiled = compileRoutePolicy(JSON.parse(fs.readFileSync('policy.json', 'utf8')));
 * ```
 */
export function compileRoutePolicy(
  policy: RoutePolicy,
  options: { readonly caseSensitive?: boolean; readonly lambdaApiWalk?: boolean } = {},
): CompiledRoutePolicy {
  const caseSensitive = options.caseSensitive ?? false;
  const lambdaApiWalk = options.lambdaApiWalk ?? true;
  const parsed = policySchema().safeParse(policy, { reportInput: true });
  if (!parsed.success) {
    // Name the bad route keys too, not only the bad rules: one error lists every bad field.
    const routes = policy?.routes;
    const keyIssues =
      routes !== null && typeof routes === 'object'
        ? Object.keys(routes).flatMap((routeKey) => {
            if (routeKey === '$default') return [];
            const problem = parseRouteKey(routeKey, caseSensitive);
            return typeof problem === 'string'
              ? [{ field: `routes.${routeKey}`, message: problem }]
              : [];
          })
        : [];
    throw new ConfigError('route policy', [...keyIssues, ...issuesOf(parsed.error)]);
  }
  const root = newNode();
  // Route keys are folded unless paths are case-sensitive; a second trie keeps their case as
  // written, for the reading of a case-sensitive router. Only needed if the case differs.
  const exactCaseRoot = newNode();
  let foldedCase = false;
  const issues: ConfigIssue[] = [];
  const seen = new Map<string, string>();
  const byKey = new Map<string, MatchedRoute>();
  const byIdentity = new Map<string, MatchedRoute>();
  // A greedy route is only ever selected as a fallback, never at the node a path ends on.
  const greedyRoutes = new Set<MatchedRoute>();
  const foldedRoutes: PolicyRoute[] = [];
  const writtenRoutes: PolicyRoute[] = [];
  let fallback: MatchedRoute | undefined;
  for (const [routeKey, json] of Object.entries(parsed.data.routes)) {
    const route: MatchedRoute = Object.freeze({ routeKey, rule: compileParsedRule(json) });
    byKey.set(routeKey, route);
    if (routeKey === '$default') {
      fallback = route;
      continue;
    }
    const parsedKey = parseRouteKey(routeKey, caseSensitive);
    if (typeof parsedKey === 'string') {
      issues.push({ field: `routes.${routeKey}`, message: parsedKey });
      continue;
    }
    const identity = routeIdentity(parsedKey);
    const clash = seen.get(identity);
    if (clash !== undefined) {
      issues.push({
        field: `routes.${routeKey}`,
        message: `selects the same requests as "${clash}"`,
      });
      continue;
    }
    seen.set(identity, routeKey);
    byIdentity.set(identity, route);
    insert(root, parsedKey.segments, parsedKey.method, route);
    const asWritten = parseRouteKey(routeKey, true) as { segments: string[] };
    insert(exactCaseRoot, asWritten.segments, parsedKey.method, route);
    const folded = policyRoute(parsedKey.method, parsedKey.segments, route);
    foldedRoutes.push(folded);
    writtenRoutes.push(policyRoute(parsedKey.method, asWritten.segments, route));
    if (asWritten.segments.some((segment, index) => segment !== parsedKey.segments[index])) {
      foldedCase = true;
    }
    if (folded.greedy) greedyRoutes.add(route);
  }
  if (issues.length > 0) throw new ConfigError('route policy', issues);
  const rankedFolded = rankedReading(foldedRoutes);
  const rankedWritten = foldedCase ? rankedReading(writtenRoutes) : rankedFolded;
  const defaultAction = parsed.data.defaultAction ?? 'deny';
  const unmatched: MatchedRoute =
    fallback ??
    Object.freeze({
      routeKey: undefined,
      rule:
        defaultAction === 'allow'
          ? undefined
          : defaultAction === 'authenticated'
            ? authenticated
            : DENY_ALL,
    });
  return Object.freeze({
    defaultAction,
    basePath: parsed.data.basePath,
    caseSensitive,
    routeKeys: Object.freeze(Object.keys(parsed.data.routes)),
    crossings: Object.freeze(
      (rankedFolded?.pairs ?? []).map(
        ([first, second]) => [first.routeKey, second.routeKey] as [string, string],
      ),
    ),
    unmatched,
    route: (routeKey: string) => byKey.get(routeKey),
    sameRoute(routeKey: string) {
      const written = byKey.get(routeKey);
      if (written !== undefined) return written;
      const parsedKey = parseRouteKey(routeKey, caseSensitive);
      return typeof parsedKey === 'string' ? undefined : byIdentity.get(routeIdentity(parsedKey));
    },
    match(method: string, segments: readonly string[]): MatchedRoute {
      const methods = candidateMethods(method.toUpperCase());
      return find(root, segments, 0, methods) ?? unmatched;
    },
    readings(method: string, path: SplitPath) {
      const upper = method.toUpperCase();
      const methods = candidateMethods(upper);
      const head = upper === 'HEAD';
      const selected = find(root, path.segments, 0, methods);
      const primary = selected ?? unmatched;
      // A case-sensitive router compares the case received with the route keys as written.
      const exactCase = foldedCase ? exactCaseRoot : root;
      const caseMatters = !caseSensitive && (foldedCase || path.asReceived !== path.segments);
      const plain =
        selected !== undefined &&
        !head &&
        !rankedFolded?.outranked.has(selected) &&
        greedyRoutes.size === 0 &&
        !path.trailingSlash &&
        !caseMatters &&
        path.undecoded === undefined;
      if (plain) return [selected];
      const found = new Set<MatchedRoute>([primary]);
      const read = (trie: TrieNode, segments: readonly string[]) => {
        const chosen = find(trie, segments, 0, methods);
        found.add(chosen ?? unmatched);
        // `/admin{/*rest}` in Express 5 or @koa/router also serves `/admin`.
        const greedy = findGreedyAt(trie, segments, 0, methods);
        if (greedy !== undefined) found.add(greedy);
        // Only a route API Gateway ranks first can be outranked by one with fewer parameters.
        const ranked = trie === root ? rankedFolded : rankedWritten;
        if (chosen !== undefined && ranked?.outranked.has(chosen)) {
          for (const route of ranked.fewestParameters(segments, methods)) found.add(route);
        }
        // lambda-api walks a path once, a literal before a parameter and never back: where the
        // walk stops without a route for the method, the deepest wildcard on the way serves it.
        const wildcard = lambdaApiWalk ? walkedWildcard(trie, segments, methods) : undefined;
        if (wildcard !== undefined) found.add(wildcard);
        if (head) {
          // API Gateway, and routers that do not serve HEAD with GET handlers (@middy/http-router),
          // hand HEAD to the path's ANY route even where it has a GET route.
          const own = find(trie, segments, 0, HEAD_OWN_METHODS);
          if (own !== undefined) found.add(own);
          const ownGreedy = findGreedyAt(trie, segments, 0, HEAD_OWN_METHODS);
          if (ownGreedy !== undefined) found.add(ownGreedy);
        }
      };
      read(root, path.segments);
      if (caseMatters) read(exactCase, path.asReceived);
      for (const spelling of [path.undecoded, path.separated]) {
        if (spelling === undefined) continue;
        read(root, caseSensitive ? spelling : spelling.map(lowerCase));
        if (!caseSensitive) read(exactCase, spelling);
      }
      if (path.trailingSlash) {
        // `/x/` is `/x` to Express and Koa, no route to a strict router, and `/x/{param}` with
        // an empty parameter to find-my-way (Fastify): every reading counts.
        found.add(unmatched);
        read(root, [...path.segments, '']);
      } else if (path.segments.length === 0 && selected === undefined) {
        // find-my-way also serves `/`, when no route has it, by `/{param}` with an empty one.
        read(root, ['']);
      }
      return [...found];
    },
  });
}

/** A rule that refuses every principal: what `defaultAction: 'deny'` applies. */
export const DENY_ALL: Rule = /* @__PURE__ */ Object.freeze({
  description: 'deny (no route matched)',
  check: () => ROUTE_DENIED,
});
const ROUTE_DENIED = /* @__PURE__ */ Object.freeze({ reason: 'route_denied' as const });

// What a route selects, whatever its parameters are called: two keys with one identity select
// the same requests.
function routeIdentity({ method, segments }: { method: string; segments: readonly string[] }) {
  const shape = segments.map((s) => (PARAM.test(s) ? '{}' : GREEDY.test(s) ? '{+}' : s));
  return `${method} /${shape.join('/')}`;
}

/**
 * Parses `"GET /movies/{id}"` into its method and path segments, or returns what is wrong.
 *
 * @example
 * ```ts
 * parseRouteKey('GET /movies/{id}', false); // { method: 'GET', segments: ['movies', '{id}'] }
 * ```
 */
export function parseRouteKey(
  routeKey: string,
  caseSensitive: boolean,
): { method: RouteMethod; segments: string[] } | string {
  const match = /^([A-Z]+) (\/\S*)$/.exec(routeKey);
  if (!match) {
    const lower = /^([a-z]+) (\/\S*)$/.exec(routeKey);
    return lower
      ? `the method must be upper-case: "${(lower[1] as string).toUpperCase()} ${lower[2]}"`
      : 'must be "$default" or "METHOD /path", e.g. "GET /movies/{id}"';
  }
  const method = match[1] as RouteMethod;
  if (!ROUTE_METHODS.includes(method)) return `method must be one of ${ROUTE_METHODS.join(', ')}`;
  const path = match[2] as string;
  if (path === '/') return { method, segments: [] };
  const segments = path.replace(/\/$/, '').slice(1).split('/');
  for (const [index, segment] of segments.entries()) {
    if (segment === '' || segment === '.' || segment === '..')
      return 'path has an empty or dot segment';
    if (GREEDY.test(segment) && index !== segments.length - 1) {
      return 'a greedy {name+} segment must come last';
    }
    if (!PARAM.test(segment) && !GREEDY.test(segment) && /[{}]/.test(segment)) {
      return `segment "${segment}" mixes text and a {parameter}`;
    }
  }
  const normalised: string[] = [];
  for (const segment of segments) {
    if (PARAM.test(segment) || GREEDY.test(segment)) {
      normalised.push(segment);
      continue;
    }
    let decoded: string;
    try {
      decoded = decodeURIComponent(segment);
    } catch {
      return `segment "${segment}" has invalid percent-encoding`;
    }
    normalised.push(caseSensitive ? decoded : decoded.toLowerCase());
  }
  return { method, segments: normalised };
}

function policyRoute(method: RouteMethod, segments: readonly string[], route: MatchedRoute) {
  const greedy = segments.some((segment) => GREEDY.test(segment));
  const body = greedy ? segments.slice(0, -1) : segments;
  const pattern = body.map((segment) => (PARAM.test(segment) ? undefined : segment));
  const parameters = pattern.filter((segment) => segment === undefined).length;
  return { method, pattern, parameters, greedy, route };
}

function newNode(): TrieNode {
  return { literals: new Map(), param: undefined, greedy: new Map(), exact: new Map() };
}

function insert(
  root: TrieNode,
  segments: readonly string[],
  method: RouteMethod,
  route: MatchedRoute,
) {
  let node = root;
  for (const segment of segments) {
    if (GREEDY.test(segment)) {
      node.greedy.set(method, route);
      return;
    }
    if (PARAM.test(segment)) {
      node.param ??= newNode();
      node = node.param;
      continue;
    }
    let next = node.literals.get(segment);
    if (!next) {
      next = newNode();
      node.literals.set(segment, next);
    }
    node = next;
  }
  node.exact.set(method, route);
}

const HEAD_METHODS: readonly RouteMethod[] = ['HEAD', 'GET', 'ANY'];
const HEAD_OWN_METHODS: readonly RouteMethod[] = ['HEAD', 'ANY'];
const METHOD_CANDIDATES = /* @__PURE__ */ (() =>
  new Map<string, readonly RouteMethod[]>([
    ...ROUTE_METHODS.filter((m) => m !== 'ANY' && m !== 'HEAD').map(
      (m): [string, readonly RouteMethod[]] => [m, [m, 'ANY']],
    ),
    ['HEAD', HEAD_METHODS],
  ]))();
const ANY_ONLY: readonly RouteMethod[] = ['ANY'];

function candidateMethods(method: string): readonly RouteMethod[] {
  return METHOD_CANDIDATES.get(method) ?? ANY_ONLY;
}

function pick(routes: Map<RouteMethod, MatchedRoute>, methods: readonly RouteMethod[]) {
  if (routes.size === 0) return undefined;
  for (const method of methods) {
    const route = routes.get(method);
    if (route) return route;
  }
  return undefined;
}

// The greedy route lambda-api serves a path by, if its walk stops short of a route: that of the
// deepest node on the way with one. It finds each segment in a plain-object table by name, so
// \`*\` enters the wildcard where there is one, and a name every object holds (\`constructor\`,
// \`__proto__\`) a node that serves nothing, unless a route names it.
function walkedWildcard(
  root: TrieNode,
  segments: readonly string[],
  methods: readonly RouteMethod[],
): MatchedRoute | undefined {
  let node = root;
  let wildcard: TrieNode | undefined;
  for (const segment of segments) {
    if (node.greedy.size > 0) wildcard = node;
    const named = segment in Object.prototype || (segment === '*' && node === wildcard);
    const next = node.literals.get(segment) ?? (named ? undefined : node.param);
    if (next === undefined) return wildcard && pick(wildcard.greedy, methods);
    node = next;
  }
  if (wildcard === undefined || pick(node.exact, methods) !== undefined) return undefined;
  return pick(wildcard.greedy, methods);
}

// The greedy route whose prefix is exactly these segments: an empty remainder.
function findGreedyAt(
  node: TrieNode,
  segments: readonly string[],
  index: number,
  methods: readonly RouteMethod[],
): MatchedRoute | undefined {
  if (index === segments.length) return pick(node.greedy, methods);
  const literal = node.literals.get(segments[index] as string);
  const viaLiteral = literal && findGreedyAt(literal, segments, index + 1, methods);
  if (viaLiteral) return viaLiteral;
  return node.param && findGreedyAt(node.param, segments, index + 1, methods);
}

function find(
  node: TrieNode,
  segments: readonly string[],
  index: number,
  methods: readonly RouteMethod[],
): MatchedRoute | undefined {
  if (index === segments.length) return pick(node.exact, methods);
  const segment = segments[index] as string;
  const literal = node.literals.get(segment);
  const viaLiteral = literal && find(literal, segments, index + 1, methods);
  if (viaLiteral) return viaLiteral;
  const viaParam = node.param && find(node.param, segments, index + 1, methods);
  if (viaParam) return viaParam;
  return pick(node.greedy, methods);
}
