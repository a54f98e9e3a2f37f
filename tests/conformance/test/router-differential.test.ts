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
import express5 from 'express';
import express4 from 'express4';
import fc from 'fast-check';
import fastify5 from 'fastify';
import fastify4 from 'fastify4';
import { Hono } from 'hono';
import { UnsupportedPathError } from 'hono/router';
import Koa3 from 'koa';
import Koa2 from 'koa2';
import {
  type Caller,
  expectPermitted,
  ruleServed,
  runOptions,
  type Scenario,
  scenarioIssuer,
  scenarioPathArb,
  scenarioRunArb,
} from './policy-scenarios';
import {
  expressApp,
  fastifyApp,
  type HonoRouterName,
  honoApp,
  honoListener,
  koaApp,
  koaListener,
  type Reached,
  type RouterOptions,
} from './scenario-apps';

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
    // A rewrite in front of the guard (in Hono, a mount at /v2 beside the app at the root).
    { strict: false, caseSensitive: false, rewrite: true },
    // Hono and Koa: the routes in apps mounted at their first segment, by the framework's own
    // mount or by an Express app (see RouterOptions.mount).
    { strict: false, caseSensitive: false, mount: 'framework' },
    { strict: false, caseSensitive: false, mount: 'express' },
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
          scenarioRunArb(settings, pathArb),
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
              let app: Hono | express5.Express;
              try {
                app = honoApp(
                  routerName.slice('Hono '.length) as HonoRouterName,
                  scenario,
                  options,
                  hono,
                  reached,
                );
                // RegExpRouter compiles its routes on the first match (mounted apps, when built).
                if (app instanceof Hono) app.request('/');
              } catch (err) {
                // RegExpRouter refuses some route sets outright (Hono's default router then
                // falls back to TrieRouter); such an app never serves, so it proves nothing.
                if (!(err instanceof UnsupportedPathError)) throw err;
                fc.pre(false);
                return;
              }
              const listener = honoListener(app);
              const server = await new Promise<Server>((resolve) => {
                const s = createServer(listener).listen(0, '127.0.0.1', () => resolve(s));
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
                  : koaListener(
                      koaApp(
                        (routerName.endsWith('3') ? Koa3 : Koa2) as typeof Koa3,
                        scenario,
                        options,
                        koa,
                        reached,
                      ),
                    );
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
