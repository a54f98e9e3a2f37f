// Router differential on Lambda: the guard reads the event itself, and the router an app uses
// inside one function (@middy/http-router, Powertools for AWS Lambda's Router, lambda-api) reads
// it its own way. Whatever route the router hands the event to, the guard must have applied a
// rule at least as strict as that route's. Random policies, the same routes registered with the
// router, generated hostile paths, every HTTP event source the router takes (an HTTP API's paths
// also decoded, as API Gateway hands them on), and both ways of using the guard (wrapping the
// router's handler, and as Middy middleware). The expected rule is computed here, not by the
// library.

import { Router } from '@aws-lambda-powertools/event-handler/http';
import { cognitoGuard } from '@cognito-guard/lambda';
import { httpApiEvent, lambdaContext, restProxyEvent } from '@cognito-guard/testing';
import middy from '@middy/core';
import httpRouterHandler from '@middy/http-router';
import createLambdaApi, { type Response as ApiResponse, type Request } from 'lambda-api';
import {
  assertNoWeakerRule,
  type BuildEvent,
  type EventHandler as Handler,
  HTTP_EVENT_SOURCES,
} from './lambda-scenarios';
import {
  expectPermitted,
  keyPath,
  policyOf,
  precedence,
  type Route,
  routeKey,
  ruleServed,
  type Scenario,
  scenarioIssuer,
} from './policy-scenarios';
import type { Reached } from './scenario-apps';

const isStatic = (route: Route) => route.segments.every((s) => s.kind === 'literal');

// The routes in the order that makes the router select as API Gateway does: its dynamic routes are
// tried in the order given (the first match wins), so by precedence; a static `ANY` route claims
// every method of its path and a later route of the same path replaces it, so those come first.
function routerOf(scenario: Scenario, reached: Reached): Handler {
  const ordered = [...scenario.routes].sort(precedence);
  const claimsAll = (r: Route) => isStatic(r) && r.method === 'ANY';
  const routes = [...ordered.filter(claimsAll), ...ordered.filter((r) => !claimsAll(r))].map(
    (route) => ({
      method: route.method,
      path: keyPath(route.segments),
      handler: async () => {
        reached.key = routeKey(route);
        return { statusCode: 200, body: 'ok' };
      },
    }),
  );
  return httpRouterHandler({
    routes,
    notFoundResponse: () => {
      reached.key = '$default';
      return { statusCode: 200, body: 'fallback' };
    },
  }) as unknown as Handler;
}

const ROUTER_METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS'] as const;
const quiet = { debug() {}, info() {}, warn() {}, error() {} };

// Powertools' Router has no ANY and no greedy parameter: an ANY route is every method, a greedy
// one a RegExp route, as its docs write them. It selects a static route by its exact path, then
// the dynamic routes with the fewest parameters, then RegExp routes in the order given; a route
// registered again for a method and path replaces the first in its place, so the routes go in by
// precedence, with an ANY route before the named routes of its own path.
function powertoolsRouterOf(scenario: Scenario, reached: Reached): Handler {
  const app = new Router({ logger: quiet } as never);
  const ordered = [...scenario.routes].sort(precedence);
  const group = (r: Route) => ordered.findIndex((o) => keyPath(o.segments) === keyPath(r.segments));
  const anyFirst = (r: Route) => (r.method === 'ANY' ? 0 : 1);
  ordered.sort((a, b) => group(a) - group(b) || anyFirst(a) - anyFirst(b));
  for (const route of ordered) {
    const parts = route.segments.map((s, i) =>
      s.kind === 'literal' ? s.text : s.kind === 'param' ? `:p${i}` : undefined,
    );
    const fixed = parts.filter((p) => p !== undefined);
    const greedy = route.segments.at(-1)?.kind === 'greedy';
    const path = greedy
      ? new RegExp(
          `^${fixed.map((p) => `/${p.startsWith(':') ? '[^/]+' : p}`).join('')}/(?<proxy>.+)$`,
        )
      : `/${fixed.join('/')}`;
    app.route(
      async () => {
        reached.key = routeKey(route);
        return { ok: true };
      },
      { method: route.method === 'ANY' ? [...ROUTER_METHODS] : route.method, path } as never,
    );
  }
  app.notFound(async () => {
    reached.key = '$default';
    return new Response('fallback', { status: 200 });
  });
  return (event, context) => app.resolve(event as never, context as never);
}

// lambda-api: `:name` parameters, a `/*` tail for a greedy one, `any` for ANY. It walks the path
// segment by segment (a literal, else a parameter, else the deepest wildcard so far), and a route
// it finds no handler for is a 404 or 405 of its own, which runs none of the app's.
function lambdaApiRouterOf(scenario: Scenario, reached: Reached): Handler {
  const api = createLambdaApi({ logger: false });
  for (const route of [...scenario.routes].sort(precedence)) {
    const path = `/${route.segments
      .map((s, i) => (s.kind === 'literal' ? s.text : s.kind === 'param' ? `:p${i}` : '*'))
      .join('/')}`;
    api.METHOD(
      route.method === 'ANY' ? 'ANY' : route.method,
      path,
      (_req: Request, res: ApiResponse) => {
        reached.key = routeKey(route);
        res.status(200).send('ok');
      },
    );
  }
  return (event, context) => api.run(event as never, context as never) as never;
}

// How many of a run's 600 requests must reach a route. lambda-api has no fallback route, so only
// requests a scenario's routes match reach it: 22 to 51 over 77 seeded runs, and 19 once in CI,
// where the other routers, whose fallback serves `$default`, reached 137 to 169.
const routers: readonly [string, typeof routerOf, number][] = [
  ['@middy/http-router', routerOf, 20],
  ['Powertools Router', powertoolsRouterOf, 20],
  ['lambda-api', lambdaApiRouterOf, 5],
];

// The router serves HEAD with HEAD and ANY routes only, and its not-found response otherwise; the
// guard reads a HEAD request as Express serves it, with the path's GET route. So a HEAD request
// answered not-found is held to the rule of the route the router serves its GET twin with.
function servedAs(router: Handler, reached: Reached, build: BuildEvent) {
  return async (method: string, path: string, key: string): Promise<string> => {
    if (method !== 'HEAD' || key !== '$default') return key;
    await router(build({ method: 'GET', path }), lambdaContext());
    return reached.key as string;
  };
}

describe.each(routers)(
  'no event %s hands to a route gets a weaker rule than that route',
  (_router, routerOf, floor) => {
    const callers = scenarioIssuer();
    const { tokenOf } = callers;

    it.each(HTTP_EVENT_SOURCES)(
      '%s events, the guard wrapping the router and as Middy middleware',
      async (_name, build) => {
        const guard = cognitoGuard(callers.config);
        await assertNoWeakerRule(
          ['wrapper', 'middy'],
          build,
          tokenOf,
          (scenario, form, reached) => {
            const router = routerOf(scenario, reached);
            const guarded: Handler =
              form === 'wrapper'
                ? (guard.guardRoutes(policyOf(scenario))(router as never) as unknown as Handler)
                : (middy(router as never).use(
                    guard.guardRoutes(policyOf(scenario)),
                  ) as unknown as Handler);
            return { guarded, servedAs: servedAs(router, reached, build) };
          },
          floor,
        );
      },
      120_000,
    );
  },
);

describe('HEAD, where a path has a GET route and an ANY route', () => {
  const callers = scenarioIssuer();

  // API Gateway and the router hand HEAD to ANY; Express hands it to GET. The stricter decides.
  it.each([
    ['GET public, ANY for g1', { public: true }, { groups: ['g1'] }],
    ['GET for g1, ANY for g2', { groups: ['g1'] }, { groups: ['g2'] }],
  ] as const)('%s: HEAD takes both rules', async (_name, getRule, anyRule) => {
    const reached: Reached = { key: null };
    const route = (method: 'ANY' | 'GET') => ({
      method,
      path: '/a',
      handler: async () => {
        reached.key = method;
        return { statusCode: 200 };
      },
    });
    // ANY first: a static route registered later replaces it for its own method.
    const router = httpRouterHandler({
      routes: [route('ANY'), route('GET')],
    }) as unknown as Handler;
    const guard = cognitoGuard(callers.config);
    const guarded = guard.guardRoutes({
      defaultAction: 'allow',
      routes: { 'GET /a': getRule, 'ANY /a': anyRule },
    })(router as never) as unknown as Handler;
    const send = async (method: string, groups: string[] | null) => {
      reached.key = null;
      const token = groups === null ? {} : { token: callers.tokenOf(groups) };
      const { statusCode } = await guarded(
        restProxyEvent({ method, path: '/a', ...token }),
        lambdaContext(),
      );
      return [statusCode, reached.key];
    };
    const getCaller = 'public' in getRule ? null : ['g1'];
    expect(await send('GET', getCaller)).toEqual([200, 'GET']);
    expect(await send('HEAD', getCaller)).toEqual([getCaller === null ? 401 : 403, null]);
    expect(await send('HEAD', ['g1', 'g2'])).toEqual([200, 'ANY']);
  });
});

describe('a path an HTTP API decoded to white space or control characters', () => {
  const callers = scenarioIssuer();
  const scenario: Scenario = {
    defaultAction: 'allow',
    routes: [
      { method: 'GET', segments: [{ kind: 'literal', text: 'admin' }], access: 'g1' },
      { method: 'GET', segments: [{ kind: 'param' }], access: 'public' },
    ],
  };
  // The decoded path as an HTTP API hands it on: the client sent `/admin%20`, `/ad%09min`.
  const send = async (router: Handler, reached: Reached, rawPath: string, groups: string[]) => {
    reached.key = null;
    const event = httpApiEvent({ path: '/placeholder', token: callers.tokenOf(groups) });
    const decoded = { ...event, rawPath, requestContext: { ...event.requestContext } };
    decoded.requestContext.http = { ...decoded.requestContext.http, path: rawPath };
    const { statusCode } = await router(decoded, lambdaContext());
    return [statusCode, reached.key];
  };

  // lambda-api trims the path and serves `/admin ` by `/admin`.
  it.each(['/admin ', '/admin\u00a0', '/admin/ '])('%j takes /admin’s rule', async (rawPath) => {
    const reached: Reached = { key: null };
    const guarded = cognitoGuard(callers.config).guardRoutes(policyOf(scenario))(
      lambdaApiRouterOf(scenario, reached) as never,
    ) as unknown as Handler;
    expect(await send(guarded, reached, rawPath, ['g2'])).toEqual([403, null]);
    expect(await send(guarded, reached, rawPath, ['g1'])).toEqual([200, 'GET /admin']);
  });

  // Powertools' Router parses it as a URL, which drops tabs and line breaks anywhere, and other
  // controls at the end: `/admin`. The guard refuses such a path.
  it.each(['/ad\tmin', '/admin\n', '/admin\u0001'])('%j is a 400', async (rawPath) => {
    const reached: Reached = { key: null };
    const router = powertoolsRouterOf(scenario, reached);
    expect(await send(router, reached, rawPath, ['g2'])).toEqual([200, 'GET /admin']);
    const guarded = cognitoGuard(callers.config).guardRoutes(policyOf(scenario))(
      router as never,
    ) as unknown as Handler;
    expect(await send(guarded, reached, rawPath, ['g1'])).toEqual([400, null]);
  });
});

// lambda-api walks a path once, a literal before a parameter and never back, finding each segment
// in its routes' plain objects by name (\`*\` is its wildcard there, \`constructor\` or
// \`__proto__\` a node that serves nothing). Where the walk stops short of a route, the deepest
// wildcard on the way serves the path, not the route API Gateway selects. Random scenarios seldom
// make the two part, so these do.
describe("lambda-api's walk: once, a literal first, never back", () => {
  const callers = scenarioIssuer();
  const nested: Scenario = {
    defaultAction: 'allow',
    routes: [
      { method: 'ANY', segments: [{ kind: 'param' }, { kind: 'greedy' }], access: 'g2' },
      {
        method: 'ANY',
        segments: [{ kind: 'param' }, { kind: 'param' }, { kind: 'param' }, { kind: 'greedy' }],
        access: 'authenticated',
      },
    ],
  };
  const crossing: Scenario = {
    defaultAction: 'allow',
    routes: [
      {
        method: 'GET',
        segments: [
          { kind: 'literal', text: 'a' },
          { kind: 'literal', text: 'b' },
        ],
        access: 'public',
      },
      { method: 'GET', segments: [{ kind: 'param' }, { kind: 'param' }], access: 'g1' },
      { method: 'ANY', segments: [{ kind: 'greedy' }], access: 'g2' },
    ],
  };
  const cases: readonly [string, Scenario, readonly string[], readonly string[]][] = [
    [
      'a `*` or a name every object holds',
      nested,
      ['/a/b/c/d', '/a/*/c/d', '/a/b/c/*', '/a/constructor/c/d', '/a/__proto__/c/d'],
      ['ANY /{p0}/{p1}/{p2}/{proxy+}', 'ANY /{p0}/{proxy+}'],
    ],
    [
      'a literal that leads nowhere',
      crossing,
      ['/a/x', '/b/x', '/a/b'],
      ['ANY /{proxy+}', 'GET /a/b', 'GET /{p0}/{p1}'],
    ],
  ];

  describe.each(cases)('%s', (_name, scenario, paths, reachable) => {
    it.each(HTTP_EVENT_SOURCES)(
      '%s events: the route lambda-api serves permits the caller',
      async (_source, build) => {
        const guard = cognitoGuard(callers.config);
        const reached: Reached = { key: null };
        const guarded = guard.guardRoutes(policyOf(scenario))(
          lambdaApiRouterOf(scenario, reached) as never,
        ) as unknown as Handler;
        const served = new Set<string>();
        for (const path of paths) {
          for (const caller of [['g1'], ['g2'], ['g1', 'g2']]) {
            reached.key = null;
            const token = callers.tokenOf(caller);
            const answer = await guarded(build({ method: 'GET', path, token }), lambdaContext());
            if (reached.key === null) {
              expect({ path, caller, status: answer.statusCode }).toEqual({
                path,
                caller,
                status: 403,
              });
              continue;
            }
            served.add(reached.key);
            const rule = ruleServed(scenario, reached.key);
            expectPermitted({ path, caller, served: reached.key, rule });
          }
        }
        // Every route was reached: the property was about something.
        expect([...served].sort()).toEqual(reachable);
      },
    );
  });
});
