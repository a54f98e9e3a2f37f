// The apps the router differentials run: each framework with a scenario's routes registered as
// its users write them, answering with the route key they served (`reached`), and the scenario's
// route policy guarding them through the framework's own adapter (or no guard, where the guard
// sits outside the app: the Lambda guard wrapping a bridged app).

import type { IncomingMessage, ServerResponse } from 'node:http';
import type * as expressGuard from '@cognito-guard/express';
import type * as fastifyGuard from '@cognito-guard/fastify';
import type * as honoGuard from '@cognito-guard/hono';
import type * as koaGuard from '@cognito-guard/koa';
import { getRequestListener } from '@hono/node-server';
import KoaRouter from '@koa/router';
import express5 from 'express';
import fastify5, { type FastifyInstance, type HTTPMethods } from 'fastify';
import { Hono } from 'hono';
import { mount } from 'hono/mount';
import { LinearRouter } from 'hono/router/linear-router';
import { PatternRouter } from 'hono/router/pattern-router';
import { RegExpRouter } from 'hono/router/reg-exp-router';
import { SmartRouter } from 'hono/router/smart-router';
import { TrieRouter } from 'hono/router/trie-router';
import type Koa3 from 'koa';
import mountKoa from 'koa-mount';
import { policyOf, precedence, type Route, routeKey, type Scenario } from './policy-scenarios';

export interface RouterOptions {
  readonly strict: boolean;
  readonly caseSensitive: boolean;
  /**
   * find-my-way's `useSemicolonDelimiter`: the path ends at the first `;`, as a query would
   * (Fastify 4's default; an option in Fastify 5). Other routers have no such mode.
   */
  readonly semicolonDelimiter?: boolean;
  /**
   * A rewrite before the guard strips an API version prefix the routes do not carry (`req.url`
   * in Express, `ctx.url` in Koa, `rewriteUrl` in Fastify, a mount at `/v2` in Hono).
   */
  readonly rewrite?: boolean;
  /**
   * The routes under each first literal segment in an app of their own, mounted there, the guard
   * inside each app with the whole policy, keyed by the paths received. `'framework'`: Hono apps
   * under `hono/mount` (which hands each a new Request without the prefix), Koa apps under
   * koa-mount, Express routers under `app.use(prefix, router)`. `'express'`: each under an
   * Express app's `app.use(prefix, …)`, which takes the prefix off Node's `req.url` (Express
   * sub-apps, Koa apps' callbacks, Hono listeners). Fastify runs its default again.
   */
  readonly mount?: 'framework' | 'express';
  /** find-my-way's `ignoreDuplicateSlashes`: `//a///b` routes as `/a/b`. Fastify only. */
  readonly mergeSlashes?: boolean;
}

// A rewrite as apps write one: `/v2/movies` is served by `/movies`.
export function unversioned(url: string): string {
  if (!/^\/v2(?=[/?]|$)/.test(url)) return url;
  const rest = url.slice(3);
  return rest.startsWith('/') ? rest : `/${rest}`;
}

/** Route path in the router's syntax; each greedy route is mounted in both spellings users write. */
export function routerPaths(route: Route, flavour: 'express4' | 'path-to-regexp-8'): string[] {
  const parts = route.segments.map((s, i) =>
    s.kind === 'literal' ? `/${s.text}` : s.kind === 'param' ? `/:p${i}` : undefined,
  );
  const fixed = parts.filter((p) => p !== undefined).join('');
  if (route.segments.at(-1)?.kind !== 'greedy') return [fixed];
  return flavour === 'express4' ? [`${fixed}/*`] : [`${fixed}/*proxy`, `${fixed}{/*proxy}`];
}

// The method a router registers a route with: `all` for API Gateway's `ANY`.
const verbOf = (route: Route) =>
  route.method === 'ANY' ? 'all' : (route.method.toLowerCase() as 'get' | 'post');

// A route's path in an app mounted at `prefix`, which the mount hands `/` for the prefix itself.
const below = (prefix: string, path: string) => path.slice(prefix.length) || '/';

/** The route key of the handler that answered, `$default` for the fallback, or `null`. */
export type Reached = { key: string | null };

// With `mount`, the routes under each first literal segment go to a router (`'framework'`) or a
// sub-app (`'express'`) of their own, mounted there, the rest to one at the root, mounted last.
export function expressApp(
  factory: typeof express5,
  scenario: Scenario,
  options: RouterOptions,
  guard: expressGuard.ExpressGuard | undefined,
  reached: Reached,
): express5.Express {
  const app = factory();
  app.set('strict routing', options.strict);
  app.set('case sensitive routing', options.caseSensitive);
  if (options.rewrite) {
    app.use((req, _res, next) => {
      req.url = unversioned(req.url);
      next();
    });
  }
  const flavour = factory === express5 ? 'path-to-regexp-8' : 'express4';
  const register = (router: express5.Router, routes: readonly Route[], prefix: string) => {
    if (guard) router.use(guard.guardRoutes(policyOf(scenario)));
    for (const route of [...routes].sort(precedence)) {
      const key = routeKey(route);
      const verb = verbOf(route);
      for (const path of routerPaths(route, flavour)) {
        router[verb](below(prefix, path), (_req, res) => {
          reached.key = key;
          res.send('ok');
        });
      }
    }
    return router;
  };
  if (options.mount === undefined) register(app, scenario.routes, '');
  for (const [prefix, routes] of options.mount ? byFirstLiteral(scenario.routes) : []) {
    const { strict, caseSensitive } = options;
    const inner =
      options.mount === 'framework' ? factory.Router({ strict, caseSensitive }) : factory();
    if (prefix === '') app.use(register(inner, routes, prefix));
    else app.use(prefix, register(inner, routes, prefix));
  }
  app.use((_req, res) => {
    reached.key = '$default';
    res.send('fallback');
  });
  return app;
}

// With `mount`, the routes under each first literal segment go to a Koa app of their own that an
// Express app mounts there (`app.use('/admin', koa.callback())`), the rest to one at its root.
export function koaApp(
  KoaClass: typeof Koa3,
  scenario: Scenario,
  options: RouterOptions,
  guard: koaGuard.KoaGuard | undefined,
  reached: Reached,
): Koa3 | express5.Express {
  const build = (routes: readonly Route[], prefix: string, fallback: boolean) => {
    const app = new KoaClass();
    const router = new KoaRouter({ strict: options.strict, sensitive: options.caseSensitive });
    for (const route of [...routes].sort(precedence)) {
      const key = routeKey(route);
      const verb = verbOf(route);
      for (const path of routerPaths(route, 'path-to-regexp-8')) {
        router[verb](below(prefix, path), (ctx) => {
          reached.key = key;
          ctx.body = 'ok';
        });
      }
    }
    if (options.rewrite) {
      app.use((ctx, next) => {
        ctx.url = unversioned(ctx.url);
        return next();
      });
    }
    if (guard) app.use(guard.guardRoutes(policyOf(scenario)));
    app.use(router.routes());
    // A mounted app's own 404 runs no application code; the root app's fallback stands for one.
    if (fallback) {
      app.use((ctx) => {
        if (ctx.body !== undefined) return;
        reached.key = '$default';
        ctx.body = 'fallback';
      });
    }
    return app;
  };
  if (options.mount === undefined) return build(scenario.routes, '', true);
  const apps = byFirstLiteral(scenario.routes).map(
    ([prefix, routes]) => [prefix, build(routes, prefix, prefix === '')] as const,
  );
  if (options.mount === 'express') {
    return expressMounting(
      options,
      apps.map(([prefix, app]) => [prefix, app.callback()]),
    );
  }
  // koa-mount runs a mounted app's middleware on the request's own context, the path below the
  // prefix; what that app leaves unanswered goes on to the next mount, the root app last.
  const outer = new KoaClass();
  for (const [prefix, app] of apps)
    outer.use(prefix === '' ? mountKoa(app) : mountKoa(prefix, app));
  return outer;
}

/** A request listener for what {@link koaApp} built: the Koa app's, or an Express app's. */
export function koaListener(app: Koa3 | express5.Express) {
  return 'callback' in app ? app.callback() : app;
}

/** A request listener for what {@link honoApp} built: the Hono app's, or an Express app's. */
export function honoListener(app: Hono | express5.Express) {
  return app instanceof Hono ? getRequestListener(app.fetch) : app;
}

// An Express app mounting each app at its prefix (`app.use('/admin', listener)`), the root app
// last: Express takes the prefix off Node's `req.url` and keeps it in `req.baseUrl`.
function expressMounting(
  options: RouterOptions,
  apps: readonly (readonly [string, (req: IncomingMessage, res: ServerResponse) => unknown])[],
): express5.Express {
  const outer = express5();
  outer.set('strict routing', options.strict);
  outer.set('case sensitive routing', options.caseSensitive);
  for (const [prefix, listener] of apps) {
    if (prefix === '') outer.use(listener);
    else outer.use(prefix, listener);
  }
  return outer;
}

// The routes under each first literal segment (`/admin`), and the rest (`''`), root last.
function byFirstLiteral(routes: readonly Route[]): [string, Route[]][] {
  const groups = new Map<string, Route[]>([['', []]]);
  for (const route of routes) {
    const first = route.segments[0];
    const prefix = first?.kind === 'literal' ? `/${first.text}` : '';
    groups.set(prefix, [...(groups.get(prefix) ?? []), route]);
  }
  return [...groups].sort(([a], [b]) => b.length - a.length);
}

const FASTIFY_METHODS: HTTPMethods[] = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'];

// Fastify's options for the same three settings: `ignoreTrailingSlash` is its non-strict mode.
export function fastifyApp(
  factory: typeof fastify5,
  scenario: Scenario,
  options: RouterOptions,
  guard: fastifyGuard.FastifyGuard | undefined,
  reached: Reached,
): FastifyInstance {
  const routerOptions = {
    ignoreTrailingSlash: !options.strict,
    caseSensitive: options.caseSensitive,
    ...(options.semicolonDelimiter === undefined
      ? {}
      : { useSemicolonDelimiter: options.semicolonDelimiter }),
    ...(options.mergeSlashes ? { ignoreDuplicateSlashes: true } : {}),
  };
  const rewriteUrl = options.rewrite
    ? (req: { url?: string }) => unversioned(req.url ?? '/')
    : undefined;
  // Fastify 5 takes router settings in `routerOptions` (top-level ones are deprecated there).
  const app =
    factory === fastify5
      ? factory({ routerOptions, rewriteUrl })
      : factory({ ...routerOptions, rewriteUrl });
  if (guard) app.addHook('onRequest', guard.guardRoutes(policyOf(scenario)));
  const taken = new Set<string>();
  for (const route of [...scenario.routes].sort(precedence)) {
    const key = routeKey(route);
    const url = routerPaths(route, 'express4')[0] as string;
    // GET also answers HEAD; ANY takes whatever methods a named route left on this path.
    const claims =
      route.method === 'ANY'
        ? FASTIFY_METHODS
        : route.method === 'GET'
          ? ['GET', 'HEAD']
          : [route.method];
    const free = claims.filter((m) => !taken.has(`${m} ${url}`));
    for (const m of free) taken.add(`${m} ${url}`);
    if (free.length === 0) continue;
    app.route({
      method: free.filter((m) => m !== 'HEAD' || route.method === 'ANY') as HTTPMethods[],
      url,
      exposeHeadRoute: route.method === 'GET' && free.includes('HEAD'),
      handler: async () => {
        reached.key = key;
        return 'ok';
      },
    });
  }
  app.setNotFoundHandler(async () => {
    reached.key = '$default';
    return 'fallback';
  });
  return app;
}

// Hono's routers: the two its default SmartRouter tries (RegExpRouter, then TrieRouter for route
// sets RegExpRouter refuses), the ones its `hono/quick` (LinearRouter) and `hono/tiny`
// (PatternRouter) presets use, and that default itself (what `new Hono()` builds).
class DefaultRouter<T> extends SmartRouter<T> {
  constructor() {
    super({ routers: [new RegExpRouter(), new TrieRouter()] });
  }
}
const HONO_ROUTERS = { RegExpRouter, TrieRouter, LinearRouter, PatternRouter, DefaultRouter };
export type HonoRouterName = keyof typeof HONO_ROUTERS;

// Hono has no case-insensitive mode; `strict: false` is its trailing-slash-blind mode. Hono
// routes before any middleware, so a rewrite is a mount (`hono/mount`, Hono's `app.mount`): the
// app is handed a new Request, its URL without the mount's prefix.
export function honoApp(
  router: HonoRouterName,
  scenario: Scenario,
  options: RouterOptions,
  guard: honoGuard.HonoGuard | undefined,
  reached: Reached,
): Hono | express5.Express {
  const build = (routes: readonly Route[], prefix: string, fallback: boolean) => {
    const app = new Hono({ strict: options.strict, router: new HONO_ROUTERS[router]() });
    if (guard) app.use(guard.guardRoutes(policyOf(scenario)));
    for (const route of [...routes].sort(precedence)) {
      const key = routeKey(route);
      const verb = verbOf(route);
      const path = below(prefix, routerPaths(route, 'express4')[0] as string);
      app[verb](path, (c) => {
        reached.key = key;
        return c.text('ok');
      });
    }
    app.router.match('GET', '/'); // RegExpRouter compiles its routes on the first match
    // A mounted app's own 404 runs no application code; the root app's fallback stands for one.
    if (fallback) {
      app.notFound((c) => {
        reached.key = '$default';
        return c.text('fallback');
      });
    }
    return app;
  };
  if (!options.rewrite && !options.mount) return build(scenario.routes, '', true);
  if (options.mount === 'express') {
    return expressMounting(
      options,
      byFirstLiteral(scenario.routes).map(([prefix, routes]) => [
        prefix,
        getRequestListener(build(routes, prefix, prefix === '').fetch),
      ]),
    );
  }
  const outer = new Hono({ strict: options.strict, router: new HONO_ROUTERS[router]() });
  if (options.rewrite) {
    const app = build(scenario.routes, '', true);
    outer.all('/v2/*', mount(app.fetch));
    outer.all('*', (c) => app.fetch(c.req.raw, c.env));
    return outer;
  }
  // The root app last: the outer router serves the first mount whose path matches.
  for (const [prefix, routes] of byFirstLiteral(scenario.routes)) {
    const app = build(routes, prefix, prefix === '');
    outer.all(prefix === '' ? '*' : `${prefix}/*`, mount(app.fetch));
  }
  return outer;
}
