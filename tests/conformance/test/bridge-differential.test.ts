// Bridge differential on Lambda: an Express, Koa, Fastify or Hono app inside one function, behind
// the bridge that turns the event into the framework's request (serverless-http,
// @codegenie/serverless-express, @fastify/aws-lambda, hono/aws-lambda). The bridge reads the
// event's path its own way, then the app's router reads that path its own way. Whatever route the
// app hands the event to, the guard must have applied a rule at least as strict as that route's:
// the Lambda guard wrapping the bridge, and the framework's own adapter inside the app. Random
// policies, the same routes registered with the app, generated hostile paths, every HTTP event
// source the bridge takes. The expected rule is computed here, not by the library.

import serverlessExpress from '@codegenie/serverless-express';
import * as expressGuard from '@cognito-guard/express';
import * as fastifyGuard from '@cognito-guard/fastify';
import * as honoGuard from '@cognito-guard/hono';
import * as koaGuard from '@cognito-guard/koa';
import * as lambdaGuard from '@cognito-guard/lambda';
import { lambdaContext, restProxyEvent } from '@cognito-guard/testing';
import awsLambdaFastify from '@fastify/aws-lambda';
import express5 from 'express';
import fastify5 from 'fastify';
import type { Hono } from 'hono';
import { handle } from 'hono/aws-lambda';
import Koa3 from 'koa';
import serverless from 'serverless-http';
import {
  assertNoWeakerRule,
  type EventHandler as Handler,
  HTTP_EVENT_SOURCES,
} from './lambda-scenarios';
import { policyOf, type Scenario, scenarioIssuer } from './policy-scenarios';
import {
  expressApp,
  fastifyApp,
  honoApp,
  koaApp,
  type Reached,
  type RouterOptions,
} from './scenario-apps';

/** The adapters' guards, for an app guarded from inside. */
interface InnerGuards {
  readonly express: expressGuard.ExpressGuard;
  readonly koa: koaGuard.KoaGuard;
  readonly fastify: fastifyGuard.FastifyGuard;
  readonly hono: honoGuard.HonoGuard;
}

const DEFAULTS: RouterOptions = { strict: false, caseSensitive: false };

type Bridged = (scenario: Scenario, reached: Reached, inner: InnerGuards | undefined) => Handler;

// Each bridge as its README sets it up, around the app the scenario describes.
const bridges: readonly [string, Bridged][] = [
  [
    'serverless-http, Express',
    (scenario, reached, inner) =>
      serverless(expressApp(express5, scenario, DEFAULTS, inner?.express, reached)) as Handler,
  ],
  [
    '@codegenie/serverless-express, Express',
    (scenario, reached, inner) =>
      serverlessExpress({
        app: expressApp(express5, scenario, DEFAULTS, inner?.express, reached),
      }) as unknown as Handler,
  ],
  [
    'serverless-http, Koa',
    (scenario, reached, inner) =>
      serverless(koaApp(Koa3, scenario, DEFAULTS, inner?.koa, reached)) as Handler,
  ],
  [
    '@fastify/aws-lambda, Fastify',
    (scenario, reached, inner) => {
      const app = fastifyApp(fastify5, scenario, DEFAULTS, inner?.fastify, reached);
      const bridge = awsLambdaFastify(app) as unknown as Handler;
      // Fastify's inject throws on a URL it cannot parse (an HTTP API's decoded `\`), before any
      // of the app runs. Until the app has started, inject runs the request from a ready
      // callback, where that throw escapes the bridge's promise, which never settles: a cold
      // function's first such event would hang to its timeout. Fastify marks itself started a
      // tick after ready() resolves; from then on the promise rejects, which Lambda answers as
      // an error.
      const ready = app.ready().then(() => new Promise(setImmediate));
      return async (event, context) => {
        await ready;
        return bridge(event, context).catch(() => ({ statusCode: 502 }));
      };
    },
  ],
  [
    'hono/aws-lambda, Hono',
    (scenario, reached, inner) =>
      handle(honoApp('DefaultRouter', scenario, DEFAULTS, inner?.hono, reached) as Hono) as Handler,
  ],
];

describe.each(bridges)(
  'no event %s hands to a route gets a weaker rule than that route',
  (_bridge, bridged) => {
    const callers = scenarioIssuer();
    const { tokenOf } = callers;

    it.each(HTTP_EVENT_SOURCES)(
      '%s events, the Lambda guard wrapping the bridge and the adapter inside the app',
      async (_name, build) => {
        const outer = lambdaGuard.cognitoGuard(callers.config);
        const inner: InnerGuards = {
          express: expressGuard.cognitoGuard(callers.config),
          koa: koaGuard.cognitoGuard(callers.config),
          fastify: fastifyGuard.cognitoGuard(callers.config),
          hono: honoGuard.cognitoGuard(callers.config),
        };
        await assertNoWeakerRule(
          ['wrapper', 'inside'],
          build,
          tokenOf,
          (scenario, form, reached) => ({
            guarded:
              form === 'wrapper'
                ? (outer.guardRoutes(policyOf(scenario))(
                    bridged(scenario, reached, undefined) as never,
                  ) as unknown as Handler)
                : bridged(scenario, reached, inner),
          }),
        );
      },
      180_000,
    );
  },
);

describe("serverless-http's basePath, which it cuts wherever it occurs in the path", () => {
  const callers = scenarioIssuer();
  const routes = { 'GET /admin': { groups: ['g1'] }, 'GET /{name}': { public: true } } as const;
  const send = async (handler: Handler, groups: string[]) => {
    const event = restProxyEvent({ path: '/public/v1/admin', token: callers.tokenOf(groups) });
    return (await handler(event, lambdaContext())).statusCode;
  };
  const app = (guard?: express5.RequestHandler) => {
    const served = express5();
    if (guard) served.use(guard);
    served.get('/{*any}', (req, res) => {
      res.send(req.path);
    });
    return serverless(served, { basePath: '/v1' }) as Handler;
  };

  // `/public/v1/admin` is served as `/admin`: the app's path, which only a guard inside reads.
  it('is read as the app routes it by the adapter inside, and refused by a deny policy outside', async () => {
    const inside = expressGuard.cognitoGuard(callers.config).guardRoutes({
      defaultAction: 'deny',
      routes,
    });
    expect(await send(app(inside), ['g2'])).toBe(403);
    expect(await send(app(inside), ['g1'])).toBe(200);
    const outside = lambdaGuard.cognitoGuard(callers.config).guardRoutes({
      basePath: '/v1',
      defaultAction: 'deny',
      routes,
    })(app() as never) as unknown as Handler;
    expect(await send(outside, ['g1'])).toBe(403);
  });
});
