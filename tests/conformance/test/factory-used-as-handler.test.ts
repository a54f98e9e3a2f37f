// A factory used as a handler itself (`app.use(authenticate)`, `{ onRequest: requireGroups }`,
// `export const handler = requireGroups`) is called by the framework with its request. It must
// refuse it, never reach the application, and say in one line what happened: read as options,
// a request listed each of its properties as an unknown option, on every request.

import { createServer } from 'node:http';
import { ConfigError } from '@cognito-guard/core';
import * as expressGuard from '@cognito-guard/express';
import * as fastifyGuard from '@cognito-guard/fastify';
import * as honoGuard from '@cognito-guard/hono';
import * as koaGuard from '@cognito-guard/koa';
import * as lambdaGuard from '@cognito-guard/lambda';
import {
  createTestIssuer,
  httpApiEvent,
  httpAuthorizerEvent,
  lambdaContext,
  requestAuthorizerEvent,
  restProxyEvent,
  type TestIssuer,
  tokenAuthorizerEvent,
} from '@cognito-guard/testing';
import { getRequestListener } from '@hono/node-server';
import express from 'express';
import fastify from 'fastify';
import { Hono } from 'hono';
import Koa from 'koa';
import request from 'supertest';
import { FACTORIES } from './factory-names';

let issuer: TestIssuer;
beforeAll(async () => {
  issuer = await createTestIssuer().start();
});
afterAll(() => issuer.stop());

type Factory = (...args: unknown[]) => unknown;

const expectedMessage = (factory: string) =>
  `Invalid ${factory}: arguments: got a request: ${factory} itself was used as a handler; use the one ${factory}(…) returns`;

/** Every factory of an adapter's module and of a guard bound to a configuration, by name. */
function factoriesOf(module: Record<string, unknown>, config: object): [string, string, Factory][] {
  const bound = (module.cognitoGuard as (c: object) => Record<string, unknown>)(config);
  return [
    ...FACTORIES.map((name): [string, string, Factory] => [
      `env-bound ${name}`,
      name,
      module[name] as Factory,
    ]),
    ...FACTORIES.map((name): [string, string, Factory] => [
      `bound ${name}`,
      name,
      bound[name] as Factory,
    ]),
    ['cognitoGuard', 'cognitoGuard', module.cognitoGuard as Factory],
  ];
}

/** A server with `factory` used as its middleware: what it answered, and the error it saw. */
type Serve = (factory: Factory) => Promise<{
  status: number;
  reached: boolean;
  error: unknown;
}>;

const member = () => issuer.accessToken({ groups: ['movies-group'] });
const get = async (target: Parameters<typeof request>[0]) =>
  (await request(target).get('/movies').set('authorization', `Bearer ${member()}`)).status;

const SERVERS: [string, Record<string, unknown>, Serve][] = [
  [
    'Express (app.use)',
    expressGuard,
    async (factory) => {
      let reached = false;
      let error: unknown;
      const app = express();
      app.use(factory as express.RequestHandler);
      app.get('/movies', (_req, res) => {
        reached = true;
        res.send('movies');
      });
      app.use(((err, _req, res, _next) => {
        error = err;
        res.status(500).end();
      }) as express.ErrorRequestHandler);
      return { status: await get(app), reached, error };
    },
  ],
  [
    'Koa (app.use)',
    koaGuard,
    async (factory) => {
      let reached = false;
      let error: unknown;
      const app = new Koa();
      app.silent = true;
      app.on('error', (err) => {
        error = err;
      });
      app.use(factory as Koa.Middleware);
      app.use((ctx) => {
        reached = true;
        ctx.body = 'movies';
      });
      return { status: await get(app.callback()), reached, error };
    },
  ],
  [
    'Fastify (onRequest hook)',
    fastifyGuard,
    async (factory) => {
      let reached = false;
      let error: unknown;
      const app = fastify();
      app.setErrorHandler((err, _request, reply) => {
        error = err;
        return reply.code(500).send();
      });
      app.get('/movies', { onRequest: factory as never }, async () => {
        reached = true;
        return 'movies';
      });
      const url = await app.listen({ port: 0, host: '127.0.0.1' });
      try {
        return { status: await get(url), reached, error };
      } finally {
        await app.close();
      }
    },
  ],
  [
    'Hono (app.use)',
    honoGuard,
    async (factory) => {
      let reached = false;
      let error: unknown;
      const app = new Hono();
      app.onError((err, c) => {
        error = err;
        return c.text('', 500);
      });
      app.use(factory as never);
      app.get('/movies', (c) => {
        reached = true;
        return c.text('movies');
      });
      return { status: await get(createServer(getRequestListener(app.fetch))), reached, error };
    },
  ],
];

describe.each(SERVERS)('%s', (_name, module, serve) => {
  it('refuses the request with the factory’s one-line message, whichever factory it is', async () => {
    const seen = [];
    for (const [label, , factory] of factoriesOf(module, issuer.config)) {
      const { status, reached, error } = await serve(factory);
      seen.push({
        label,
        status,
        reached,
        error: error instanceof ConfigError ? error.message : String(error),
      });
    }
    expect(seen).toEqual(
      factoriesOf(module, issuer.config).map(([label, name]) => ({
        label,
        status: 500,
        reached: false,
        error: expectedMessage(name),
      })),
    );
  });
});

describe('Lambda (export const handler = factory)', () => {
  const events: [string, () => object][] = [
    ['a REST proxy event', () => restProxyEvent({ path: '/movies' })],
    ['an HTTP API event', () => httpApiEvent({ path: '/movies' })],
    ['a TOKEN authorizer event', () => tokenAuthorizerEvent({ token: `Bearer ${member()}` })],
    ['a REST REQUEST authorizer event', () => requestAuthorizerEvent({ path: '/movies' })],
    ['an HTTP API authorizer event', () => httpAuthorizerEvent({ path: '/movies' })],
  ];

  it.each(events)('every factory refuses %s with its one-line message', (_name, event) => {
    const factories: [string, string, Factory][] = [
      ...factoriesOf(lambdaGuard, issuer.config),
      ['createAuthorizer', 'createAuthorizer', lambdaGuard.createAuthorizer as Factory],
    ];
    const seen = factories.map(([label, , factory]) => {
      try {
        factory(event(), lambdaContext(), () => undefined);
        return { label, error: 'none' };
      } catch (err) {
        return { label, error: err instanceof ConfigError ? err.message : String(err) };
      }
    });
    expect(seen).toEqual(
      factories.map(([label, name]) => ({ label, error: expectedMessage(name) })),
    );
  });
});
