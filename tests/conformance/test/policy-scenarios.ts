// What the router differentials share: random route policies, the same routes an app registers,
// the callers, hostile spellings of paths near the routes, and the test's own reading of a rule
// (computed here, not by the library).

import type { RoutePolicy, RuleJson } from '@cognito-guard/core';
import { createTestIssuer, type TestIssuer } from '@cognito-guard/testing';
import fc from 'fast-check';

export type Method = 'GET' | 'POST' | 'ANY';
export type Segment = { kind: 'literal'; text: string } | { kind: 'param' } | { kind: 'greedy' };
export type Access = 'public' | 'authenticated' | 'g1' | 'g2';

export interface Route {
  readonly method: Method;
  readonly segments: readonly Segment[];
  readonly access: Access;
}

export interface Scenario {
  readonly defaultAction: 'deny' | 'authenticated' | 'allow';
  readonly routes: readonly Route[];
}

/** Who is calling: no token, or a token with these groups. */
export type Caller = null | readonly string[];

export const LITERALS = ['a', 'b', 'admin', 'x'];

const segmentArb: fc.Arbitrary<Segment> = fc.oneof(
  {
    weight: 3,
    arbitrary: fc.constantFrom(...LITERALS).map((text) => ({ kind: 'literal' as const, text })),
  },
  { weight: 1, arbitrary: fc.constant({ kind: 'param' as const }) },
);

const routeArb: fc.Arbitrary<Route> = fc.record({
  method: fc.constantFrom<Method>('GET', 'POST', 'ANY'),
  segments: fc
    .tuple(fc.array(segmentArb, { minLength: 1, maxLength: 3 }), fc.boolean())
    .map(([segments, greedy]) => (greedy ? [...segments, { kind: 'greedy' as const }] : segments)),
  access: fc.constantFrom<Access>('public', 'authenticated', 'g1', 'g2'),
});

/** A route's path in API Gateway's syntax: `{p1}` parameters, a `{proxy+}` tail. */
export const keyPath = (segments: readonly Segment[]) =>
  `/${segments
    .map((s, i) => (s.kind === 'literal' ? s.text : s.kind === 'param' ? `{p${i}}` : '{proxy+}'))
    .join('/')}`;

/** A route's key in the policy. */
export const routeKey = (route: Route) => `${route.method} ${keyPath(route.segments)}`;

const accessArb = fc.constantFrom<Access>('public', 'authenticated', 'g1', 'g2');

// A route's crossed twin: each literal a parameter, each parameter a literal. The two select some
// paths alike (`/a/{p1}/{p2}` and `/{p0}/b/c` both take `/a/b/c`), where routers that do not
// order routes as API Gateway does (by literal first, segment by segment) part from it.
function crossed(route: Route, texts: readonly string[], access: Access): Route {
  const segments = route.segments.map(
    (s, i): Segment =>
      s.kind === 'literal'
        ? { kind: 'param' }
        : s.kind === 'param'
          ? { kind: 'literal', text: texts[i] as string }
          : s,
  );
  return { method: route.method, segments, access };
}

export const scenarioArb: fc.Arbitrary<Scenario> = fc
  .record({
    defaultAction: fc.constantFrom('deny', 'authenticated', 'allow'),
    routes: fc.uniqueArray(routeArb, { minLength: 1, maxLength: 5, selector: routeKey }),
  })
  .chain((scenario) =>
    fc
      .option(
        fc.tuple(
          fc.nat(),
          fc.array(fc.constantFrom(...LITERALS), { minLength: 4, maxLength: 4 }),
          accessArb,
        ),
      )
      .map((twin) => {
        if (twin === null) return scenario;
        const [which, texts, access] = twin;
        const added = crossed(
          scenario.routes[which % scenario.routes.length] as Route,
          texts,
          access,
        );
        const taken = scenario.routes.some((r) => routeKey(r) === routeKey(added));
        return taken ? scenario : { ...scenario, routes: [...scenario.routes, added] };
      }),
  );

function ruleJson(access: Access): RuleJson {
  if (access === 'public') return { public: true };
  if (access === 'authenticated') return {};
  return { groups: [access] };
}

export function policyOf(scenario: Scenario): RoutePolicy {
  const routes: Record<string, RuleJson> = {};
  for (const r of scenario.routes) routes[routeKey(r)] = ruleJson(r.access);
  return { defaultAction: scenario.defaultAction, routes };
}

/** The test's own reading of a rule; independent of the library's rule code. */
export function permits(access: Access | Scenario['defaultAction'], caller: Caller): boolean {
  if (access === 'public' || access === 'allow') return true;
  if (access === 'deny' || caller === null) return false;
  if (access === 'authenticated') return true;
  return caller.includes(access);
}

/** The rule of the route a handler serves (`$default`: what no route matched). */
export function ruleServed(scenario: Scenario, key: string): Access | Scenario['defaultAction'] {
  if (key === '$default') return scenario.defaultAction;
  return scenario.routes.find((r) => routeKey(r) === key)?.access ?? 'deny';
}

// API Gateway's precedence (literal before {param} before {proxy+}, segment by segment; a named
// method before ANY), which is how an app must register its routes for the policy to describe it.
export function precedence(a: Route, b: Route): number {
  // A route that ends here comes before a greedy one, whose `{/*proxy}` spelling also matches it.
  const rank = (s: Segment | undefined) =>
    s === undefined ? 2 : s.kind === 'literal' ? 0 : s.kind === 'param' ? 1 : 3;
  for (let i = 0; i < Math.max(a.segments.length, b.segments.length); i++) {
    const d = rank(a.segments[i]) - rank(b.segments[i]);
    if (d !== 0) return d;
  }
  return (a.method === 'ANY' ? 1 : 0) - (b.method === 'ANY' ? 1 : 0);
}

const callerArb: fc.Arbitrary<Caller> = fc.constantFrom(null, [], ['g1'], ['g2'], ['g1', 'g2']);

/** A path segment, often hostile: other cases, encodings, dot segments, separators. */
const hostileWordArb = fc.constantFrom(
  ...LITERALS,
  'A',
  'Admin',
  'ADMIN',
  'zz',
  '42',
  '%61',
  'a%2Fb',
  '*',
  // Names a router that keeps its routes in a plain object finds there (lambda-api).
  'constructor',
  '__proto__',
  'toString',
  '.',
  ';',
  'a;x',
  '..',
  '%2e',
  '%2E%2e',
  'a%00',
  '%C3%A9',
  '+',
  '%41DMIN',
  'admin%20',
  'admin%09',
  'admin%01',
  'ad%09min',
  'a#b',
  '%5C',
  'a%252Fb',
  '~',
  'admin.',
);

/** A path for a scenario: mostly near its routes, else any hostile words, or the root. */
export function scenarioPathArb(scenario: Scenario): fc.Arbitrary<string> {
  const any = fc
    .array(hostileWordArb, { minLength: 1, maxLength: 4 })
    .map((w) => `/${w.join('/')}`);
  return fc.oneof(
    { weight: 8, arbitrary: nearPathArb(scenario) },
    { weight: 2, arbitrary: any },
    { weight: 1, arbitrary: fc.constant('/') },
  );
}

/**
 * Paths near one of the scenario's routes: each segment as written, or spelled otherwise; and
 * paths two routes both select, each segment the literal either route has there.
 */
function nearPathArb(scenario: Scenario): fc.Arbitrary<string> {
  return fc.oneof({ weight: 3, arbitrary: spelledPathArb(scenario) }, bothRoutesPathArb(scenario));
}

function bothRoutesPathArb(scenario: Scenario): fc.Arbitrary<string> {
  const routes = scenario.routes;
  return fc.tuple(fc.constantFrom(...routes), fc.constantFrom(...routes)).map(([a, b]) => {
    const segments = a.segments.map((s, i) => {
      const other = b.segments[i];
      if (s.kind === 'literal') return s.text;
      if (other?.kind === 'literal') return other.text;
      return s.kind === 'greedy' ? 'x/y' : 'zz';
    });
    return `/${segments.join('/')}`;
  });
}

function spelledPathArb(scenario: Scenario): fc.Arbitrary<string> {
  return fc.constantFrom(...scenario.routes).chain((route) =>
    fc
      .tuple(
        ...route.segments.map((s) =>
          s.kind === 'literal'
            ? fc.oneof(
                { weight: 3, arbitrary: fc.constant(s.text) },
                fc.constant(s.text.toUpperCase()),
                fc.constant(`${s.text};x`),
                // A router that reads a literal as a prefix (`/admin` for `/adminx`).
                fc.constant(`${s.text}x`),
                // A router that trims the path (lambda-api, `/admin ` for `/admin`), where an
                // HTTP API has decoded it.
                fc.constant(`${s.text}%20`),
                fc.constant(`%${s.text.charCodeAt(0).toString(16)}${s.text.slice(1)}`),
                hostileWordArb,
              )
            : s.kind === 'param'
              ? // find-my-way (Fastify) hands an empty segment to a parameter.
                // A literal of the policy, so that a route crossing this one is reached too.
                fc.oneof(
                  { weight: 4, arbitrary: hostileWordArb },
                  { weight: 2, arbitrary: fc.constantFrom(...LITERALS) },
                  { weight: 1, arbitrary: fc.constant('') },
                )
              : fc.array(hostileWordArb, { maxLength: 3 }).map((w) => w.join('/')),
        ),
      )
      .map((parts) => `/${parts.join('/')}`.replace(/\/$/, '')),
  );
}

/**
 * A test issuer started for the describe block, its guard configuration, and a token per group
 * list, minted once: each scenario's callers reuse them.
 */
export function scenarioIssuer(): {
  readonly issuer: TestIssuer;
  /** The issuer's configuration, quiet: random policies draw the operator's warnings by design. */
  readonly config: TestIssuer['config'];
  tokenOf(caller: readonly string[]): string;
} {
  const tokens = new Map<string, string>();
  const state = {} as { issuer: TestIssuer };
  beforeAll(async () => {
    state.issuer = await createTestIssuer().start();
  });
  afterAll(() => state.issuer.stop());
  return {
    get issuer() {
      return state.issuer;
    },
    get config() {
      return { ...state.issuer.config, logger: { warn: () => undefined } };
    },
    tokenOf(caller) {
      const id = caller.join(',');
      let token = tokens.get(id);
      if (token === undefined) {
        token = state.issuer.accessToken({ groups: [...caller] });
        tokens.set(id, token);
      }
      return token;
    },
  };
}

/** fast-check's runs: `FC_RUNS` of them (100), from `FC_SEED` or a fresh seed it prints on failure. */
export const runOptions = () => ({
  numRuns: Number(process.env.FC_RUNS ?? 100),
  seed: Number(process.env.FC_SEED ?? Date.now() % 2 ** 31),
});

/** The property itself: the rule of the route that ran allows the caller. */
export function expectPermitted(
  seen: { readonly caller: Caller; readonly rule: Access | Scenario['defaultAction'] } & Record<
    string,
    unknown
  >,
): void {
  expect({ ...seen, permitted: permits(seen.rule, seen.caller) }).toEqual({
    ...seen,
    permitted: true,
  });
}

/** Six requests: a method, a path drawn from `paths`, a caller. */
export const requestsArb = (paths: fc.Arbitrary<string>) =>
  fc.array(fc.tuple(fc.constantFrom('GET', 'HEAD', 'POST', 'DELETE'), paths, callerArb), {
    minLength: 6,
    maxLength: 6,
  });

/**
 * A scenario, one of `variants` (the guard's form, the router's settings) to run it under, and
 * six requests on paths drawn for it by `paths`.
 */
export const scenarioRunArb = <Variant>(
  variants: readonly Variant[],
  paths: (scenario: Scenario) => fc.Arbitrary<string>,
) =>
  scenarioArb.chain((scenario) =>
    fc.tuple(fc.constant(scenario), fc.constantFrom(...variants), requestsArb(paths(scenario))),
  );
