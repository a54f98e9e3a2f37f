// Router differential: the guard reads a path its own way, and the framework's router reads it its
// own way. Whatever path a real router hands to a handler, the guard must have applied a rule at
// least as strict as the rule of the route that handler serves. Real routers (Express 5 and 4,
// @koa/router on Koa 3 and 2, find-my-way in Fastify 5 and 4, Hono's RegExpRouter, TrieRouter, LinearRouter and PatternRouter)
// with their default, strict and case-sensitive options (where the router has them), over random policies and generated hostile paths; the expected rule is
// computed here, not by the library.

import { createServer, type Server } from 'node:http';
import * as expressGuard from '@cognito-guard/express';
import * as fastifyGuard from '@cognito-guard/fastify';
import * as honoGuard from '@cognito-guard/hono';
import * as koaGuard from '@cognito-guard/koa';
import { sendRaw } from '@cognito-guard/testing';
import { serve } from '@hono/node-server';
import KoaRouter from '@koa/router';
import express5 from 'express';
import express4 from 'express4';
import fc from 'fast-check';
import fastify5, { type FastifyInstance, type HTTPMethods } from 'fastify';
import fastify4 from 'fastify4';
import { Hono } from 'hono';
import { UnsupportedPathError } from 'hono/router';
import { LinearRouter } from 'hono/router/linear-router';
import { PatternRouter } from 'hono/router/pattern-router';
import { RegExpRouter } from 'hono/router/reg-exp-router';
import { TrieRouter } from 'hono/router/trie-router';
import Koa3 from 'koa';
import Koa2 from 'koa2';
import {
  type Caller,
  expectPermitted,
  policyOf,
  precedence,
  type Route,
  requestsArb,
  routeKey,
  ruleServed,
  runOptions,
  type Scenario,
  scenarioArb,
  scenarioIssuer,
  scenarioPathArb,
} from './policy-scenarios';

interface RouterOptions {
  readonly strict: boolean;
  readonly caseSensitive: boolean;
  /**
   * find-my-way's `useSemicolonDelimiter`: the path ends at the first `;`, as a query would
   * (Fastify 4's default; an option in Fastify 5). Other routers have no such mode.
   */
  readonly semicolonDelimiter?: boolean;
  /**
   * A rewrite before the guard strips an API version prefix the routes do not carry (`req.url`
   * in Express, `ctx.url` in Koa, `rewriteUrl` in Fastify). Hono routes before any middleware.
   */
  readonly rewrite?: boolean;
  /** find-my-way's `ignoreDuplicateSlashes`: `//a///b` routes as `/a/b`. Fastify only. */
  readonly mergeSlashes?: boolean;
}

// A rewrite as apps write one: `/v2/movies` is served by `/movies`.
function unversioned(url: string): string {
  if (!/^\/v2(?=[/?]|$)/.test(url)) return url;
  const rest = url.slice(3);
  return rest.startsWith('/') ? rest : `/${rest}`;
}

/** Route path in the router's syntax; each greedy route is mounted in both spellings users write. */
function routerPaths(route: Route, flavour: 'express4' | 'path-to-regexp-8'): string[] {
  const parts = route.segments.map((s, i) =>
    s.kind === 'literal' ? `/${s.text}` : s.kind === 'param' ? `/:p${i}` : undefined,
  );
  const fixed = parts.filter((p) => p !== undefined).join('');
  if (route.segments.at(-1)?.kind !== 'greedy') return [fixed];
  return flavour === 'express4' ? [`${fixed}/*`] : [`${fixed}/*proxy`, `${fixed}{/*proxy}`];
}

type Reached = { key: string | null };

function expressApp(
  factory: typeof express5,
  scenario: Scenario,
  options: RouterOptions,
  guard: expressGuard.ExpressGuard,
  reached: Reached,
) {
  const app = factory();
  app.set('strict routing', options.strict);
  app.set('case sensitive routing', options.caseSensitive);
  if (options.rewrite) {
    app.use((req, _res, next) => {
      req.url = unversioned(req.url);
      next();
    });
  }
  app.use(guard.guardRoutes(policyOf(scenario)));
  const flavour = factory === express5 ? 'path-to-regexp-8' : 'express4';
  for (const route of [...scenario.routes].sort(precedence)) {
    const key = routeKey(route);
    const verb = route.method === 'ANY' ? 'all' : (route.method.toLowerCase() as 'get' | 'post');
    for (const path of routerPaths(route, flavour)) {
      app[verb](path, (_req, res) => {
        reached.key = key;
        res.send('ok');
      });
    }
  }
  app.use((_req, res) => {
    reached.key = '$default';
    res.send('fallback');
  });
  return app;
}

function koaApp(
  KoaClass: typeof Koa3,
  scenario: Scenario,
  options: RouterOptions,
  guard: koaGuard.KoaGuard,
  reached: Reached,
) {
  const app = new KoaClass();
  const router = new KoaRouter({ strict: options.strict, sensitive: options.caseSensitive });
  for (const route of [...scenario.routes].sort(precedence)) {
    const key = routeKey(route);
    const verb = route.method === 'ANY' ? 'all' : (route.method.toLowerCase() as 'get' | 'post');
    for (const path of routerPaths(route, 'path-to-regexp-8')) {
      router[verb](path, (ctx) => {
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
  app.use(guard.guardRoutes(policyOf(scenario)));
  app.use(router.routes());
  app.use((ctx) => {
    if (ctx.body !== undefined) return;
    reached.key = '$default';
    ctx.body = 'fallback';
  });
  return app;
}

const FASTIFY_METHODS: HTTPMethods[] = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'];

// Fastify's options for the same three settings: `ignoreTrailingSlash` is its non-strict mode.
function fastifyApp(
  factory: typeof fastify5,
  scenario: Scenario,
  options: RouterOptions,
  guard: fastifyGuard.FastifyGuard,
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
  app.addHook('onRequest', guard.guardRoutes(policyOf(scenario)));
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

// Hono's routers: its default (RegExpRouter, or TrieRouter for route sets it refuses), and the
// ones its `hono/quick` (LinearRouter) and `hono/tiny` (PatternRouter) presets use.
const HONO_ROUTERS = { RegExpRouter, TrieRouter, LinearRouter, PatternRouter };
type HonoRouterName = keyof typeof HONO_ROUTERS;

// Hono has no case-insensitive mode; `strict: false` is its trailing-slash-blind mode.
function honoApp(
  router: HonoRouterName,
  scenario: Scenario,
  options: RouterOptions,
  guard: honoGuard.HonoGuard,
  reached: Reached,
): Hono {
  const app = new Hono({
    strict: options.strict,
    router: new HONO_ROUTERS[router](),
  });
  app.use(guard.guardRoutes(policyOf(scenario)));
  for (const route of [...scenario.routes].sort(precedence)) {
    const key = routeKey(route);
    const verb = route.method === 'ANY' ? 'all' : (route.method.toLowerCase() as 'get' | 'post');
    app[verb](routerPaths(route, 'express4')[0] as string, (c) => {
      reached.key = key;
      return c.text('ok');
    });
  }
  app.notFound((c) => {
    reached.key = '$default';
    return c.text('fallback');
  });
  return app;
}

/** Concrete, often hostile, spellings of paths near the policy's routes. */
function pathArb(scenario: Scenario): fc.Arbitrary<string> {
  // An absolute-form target (`GET http://host/admin`), which every router serves by its path:
  // with a plain authority, and with one url.parse and find-my-way end at different places.
  const origin = fc.oneof(
    { weight: 9, arbitrary: fc.constant('') },
    {
      weight: 1,
      arbitrary: fc.constantFrom(
        'http://example.com',
        'https://u@example.com:8443',
        'HTTP://EXAMPLE.COM',
        'http://x?y=',
        'http://x;y',
        'http://x%2f',
      ),
    },
  );
  return fc
    .tuple(
      origin,
      fc.constantFrom('', '', '', '/v2'),
      scenarioPathArb(scenario),
      // Doubled slashes, which find-my-way can merge: before the path, or between its segments.
      fc.constantFrom('', '', '', '', '/', '//', 'inner'),
      fc.constantFrom('', '/', '//', '?q=1', ';q=1', '/;q', '#f', '/#', '%2F', '/.', '/..', '%3F'),
    )
    .map(
      ([host, version, path, slashes, tail]) =>
        host +
        version +
        (slashes === 'inner' ? '' : slashes) +
        (slashes === 'inner' ? path.replace(/(?!^)\//g, '//') : path === '' ? '/' : path) +
        tail,
    );
}

describe('no path a real router hands to a handler gets a weaker rule than that handler serves', () => {
  const callers = scenarioIssuer();
  const { tokenOf } = callers;

  const routers = [
    'Express 5',
    'Express 4',
    '@koa/router on Koa 3',
    '@koa/router on Koa 2',
    'Fastify 5',
    'Fastify 4',
    'Hono RegExpRouter',
    'Hono TrieRouter',
    'Hono LinearRouter',
    'Hono PatternRouter',
  ] as const;
  const settings: RouterOptions[] = [
    { strict: false, caseSensitive: false },
    { strict: true, caseSensitive: false },
    { strict: false, caseSensitive: true },
    // Fastify 4's default; Fastify 5 with the option on. The other routers run their default again.
    { strict: false, caseSensitive: false, semicolonDelimiter: true },
    // A rewrite in front of the guard; Hono has none and runs its default again.
    { strict: false, caseSensitive: false, rewrite: true },
    // Fastify with duplicate slashes merged; the other routers run their default again.
    { strict: false, caseSensitive: false, mergeSlashes: true },
  ];

  async function replay(
    server: Server,
    scenario: Scenario,
    options: RouterOptions,
    requests: [string, string, Caller][],
    reached: Reached,
  ) {
    for (const [method, path, caller] of requests) {
      reached.key = null;
      const headers: [string, string][] =
        caller === null ? [] : [['Authorization', `Bearer ${tokenOf(caller)}`]];
      const res = await sendRaw(server, method, path, headers);
      if (reached.key === null) continue;
      served++;
      const rule = ruleServed(scenario, reached.key);
      const seen = { method, path, caller, options, served: reached.key, rule };
      expectPermitted(seen);
      expect(res.status).toBe(200);
    }
  }
  let served = 0;

  it.each(routers)(
    '%s, default, strict and case-sensitive',
    async (routerName) => {
      const express = expressGuard.cognitoGuard(callers.config);
      const koa = koaGuard.cognitoGuard(callers.config);
      const fastify = fastifyGuard.cognitoGuard(callers.config);
      const hono = honoGuard.cognitoGuard(callers.config);
      served = 0;
      await fc.assert(
        fc.asyncProperty(
          scenarioArb.chain((scenario) =>
            fc.tuple(
              fc.constant(scenario),
              fc.constantFrom(...settings),
              requestsArb(pathArb(scenario)),
            ),
          ),
          async ([scenario, options, requests]) => {
            const reached: Reached = { key: null };
            if (routerName.startsWith('Fastify')) {
              const factory = (routerName === 'Fastify 5' ? fastify5 : fastify4) as typeof fastify5;
              const app = fastifyApp(factory, scenario, options, fastify, reached);
              await app.listen({ port: 0, host: '127.0.0.1' });
              try {
                await replay(app.server, scenario, options, requests, reached);
              } finally {
                await app.close();
              }
              return;
            }
            if (routerName.startsWith('Hono')) {
              let app: Hono;
              try {
                app = honoApp(
                  routerName.slice('Hono '.length) as HonoRouterName,
                  scenario,
                  options,
                  hono,
                  reached,
                );
                app.request('/'); // RegExpRouter compiles its routes on the first match
              } catch (err) {
                // RegExpRouter refuses some route sets outright (Hono's default router then
                // falls back to TrieRouter); such an app never serves, so it proves nothing.
                if (!(err instanceof UnsupportedPathError)) throw err;
                fc.pre(false);
                return;
              }
              const server = await new Promise<Server>((resolve) => {
                const s = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, () =>
                  resolve(s as Server),
                );
              });
              try {
                await replay(server, scenario, options, requests, reached);
              } finally {
                await new Promise((resolve) => server.close(resolve));
              }
              return;
            }
            const handler =
              routerName === 'Express 5'
                ? expressApp(express5, scenario, options, express, reached)
                : routerName === 'Express 4'
                  ? expressApp(
                      express4 as unknown as typeof express5,
                      scenario,
                      options,
                      express,
                      reached,
                    )
                  : koaApp(
                      (routerName.endsWith('3') ? Koa3 : Koa2) as typeof Koa3,
                      scenario,
                      options,
                      koa,
                      reached,
                    ).callback();
            const server: Server = await new Promise((resolve) => {
              const listening = createServer(handler).listen(0, '127.0.0.1', () =>
                resolve(listening),
              );
            });
            try {
              await replay(server, scenario, options, requests, reached);
            } finally {
              await new Promise((resolve) => server.close(resolve));
            }
          },
        ),
        runOptions(),
      );
      // Handlers were really reached, so the property was about something.
      expect(served).toBeGreaterThan(20);
    },
    120_000,
  );
});
