// The Lambda guard reads an event itself, while the handler it wraps reads it its own way. The two
// must agree on the method, the path and the Authorization header, or the guard judges a request
// the handler does not serve. Differential, over generated requests in every event source:
// the guard's readEvent against hono/aws-lambda's reading of the same event (every source, VPC
// Lattice included), serverless-http's and @fastify/aws-lambda's (the API Gateway and ALB sources
// they take) and @codegenie/serverless-express's (every source, VPC Lattice included); and the
// same on the testing kit's event fixtures, written from the formats AWS documents.

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import serverlessExpress from '@codegenie/serverless-express';
import { readEvent } from '@cognito-guard/lambda';
import {
  albEvent,
  functionUrlEvent,
  httpApiEvent,
  lambdaContext,
  latticeEvent,
  restProxyEvent,
} from '@cognito-guard/testing';
import awsLambdaFastify from '@fastify/aws-lambda';
import express from 'express';
import fc from 'fast-check';
import Fastify from 'fastify';
import { Hono } from 'hono';
import { handle } from 'hono/aws-lambda';
import serverless from 'serverless-http';

/** What a handler inside the Lambda saw of the request. */
interface Reading {
  readonly method: string;
  readonly path: string;
  readonly authorization: string | undefined;
}

type EventHandler = (event: never, context: never) => Promise<unknown>;

// Each app records what it saw; HEAD answers carry no body, so the reading is not sent back.
function honoReader(): [EventHandler, Reading[]] {
  const seen: Reading[] = [];
  const app = new Hono();
  app.all('*', (c) => {
    const { pathname } = new URL(c.req.url);
    seen.push({
      method: c.req.method,
      path: pathname,
      authorization: c.req.header('authorization'),
    });
    return c.body(null, 204);
  });
  return [handle(app) as EventHandler, seen];
}

// An Express app behind a bridge: serverless-http, or @codegenie/serverless-express (formerly
// @vendia/serverless-express).
function expressReader(bridge: (app: express.Express) => unknown): [EventHandler, Reading[]] {
  const seen: Reading[] = [];
  const app = express();
  app.all('/{*any}', (req, res) => {
    seen.push({ method: req.method, path: req.path, authorization: req.headers.authorization });
    res.status(204).end();
  });
  return [bridge(app) as EventHandler, seen];
}

// A Fastify app behind @fastify/aws-lambda, which reads an ALB target group's multi-value headers
// only when told the target group sends them.
function fastifyReader(): [EventHandler, Reading[]] {
  const seen: Reading[] = [];
  const app = Fastify();
  app.all('/*', async (request, reply) => {
    const authorization = request.headers.authorization;
    seen.push({
      method: request.method,
      path: (request.raw.url ?? '').split('?')[0] as string,
      authorization: typeof authorization === 'string' ? authorization : undefined,
    });
    return reply.code(204).send();
  });
  return [awsLambdaFastify(app, { albMultiValueHeaders: true }) as EventHandler, seen];
}

// Each reader's own app, for one describe block: they record what they saw.
const readersOf = () => ({
  hono: honoReader(),
  express: expressReader((app) => serverless(app)),
  'serverless-express': expressReader((app) => serverlessExpress({ app })),
  fastify: fastifyReader(),
});

type ReaderName = keyof ReturnType<typeof readersOf>;
const BRIDGES: readonly ReaderName[] = ['hono', 'express', 'serverless-express', 'fastify'];

type Build = (options: {
  method: string;
  path: string;
  token?: string;
  headers?: Record<string, string>;
}) => unknown;

const sources: [string, Build, readonly ReaderName[]][] = [
  ['REST proxy', restProxyEvent, BRIDGES],
  ['HTTP API', httpApiEvent, BRIDGES],
  ['HTTP API, payload 1.0', (options) => httpApiEvent({ ...options, version: '1.0' }), BRIDGES],
  ['Function URL', functionUrlEvent, BRIDGES],
  ['ALB', albEvent, BRIDGES],
  ['ALB, multi-value', (options) => albEvent({ ...options, multiValueHeaders: true }), BRIDGES],
  ['VPC Lattice', latticeEvent, ['hono', 'serverless-express']],
];

const method = fc.constantFrom('GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS', 'HEAD');
// Canonical paths: unreserved characters, no dot segments (which the core refuses with a 400,
// and a Fetch URL resolves), so every reader hands the path on as it came.
const segment = fc
  .stringMatching(/^[A-Za-z0-9_~-][A-Za-z0-9._~-]{0,11}$/)
  .filter((s) => s !== '.' && s !== '..');
const path = fc
  .array(segment, { minLength: 0, maxLength: 4 })
  .map((parts) => `/${parts.join('/')}`);
const token = fc.stringMatching(/^[A-Za-z0-9_-]{8,40}\.[A-Za-z0-9_-]{8,40}\.[A-Za-z0-9_-]{8,40}$/);
// The header's name in any casing: each source hands it on as the client sent it.
const authorizationName = fc.constantFrom('authorization', 'Authorization', 'AUTHORIZATION');

describe.each(sources)('%s', (_name, build, readers) => {
  const handlers = readersOf();

  it.each(readers)('the guard reads each event as %s does', async (reader) => {
    const [handler, seen] = handlers[reader];
    await fc.assert(
      fc.asyncProperty(
        method,
        path,
        fc.option(token, { nil: undefined }),
        authorizationName,
        async (m, p, t, name) => {
          const headers = t === undefined ? {} : { [name]: `Bearer ${t}` };
          const event = build({ method: m, path: p, headers });
          const { request } = readEvent(event as never);
          seen.length = 0;
          await handler(event as never, lambdaContext() as never);
          const authorization = request.headers['authorization'];
          expect(seen).toEqual([
            {
              method: request.method,
              path: request.path,
              authorization: typeof authorization === 'string' ? authorization : undefined,
            },
          ]);
          expect(request.method).toBe(m);
          expect(request.path).toBe(p);
        },
      ),
      { numRuns: 150 },
    );
  });
});

const fixtures = join(__dirname, '../../../packages/testing/fixtures');
describe.each([
  ['rest-proxy-cognito-authorizer.json', BRIDGES],
  ['http-api-jwt-authorizer-v1.json', BRIDGES],
  ['http-api-jwt-authorizer-v2.json', BRIDGES],
  ['function-url.json', BRIDGES],
  ['alb-target-request.json', BRIDGES],
  ['alb-target-request-multi-value.json', BRIDGES],
  ['vpc-lattice-v2.json', ['hono', 'serverless-express']],
] as const)('the fixture %s', (file, readers) => {
  const event = JSON.parse(readFileSync(join(fixtures, file), 'utf8'));
  const handlers = readersOf();

  it.each(readers)('is read by the guard as %s reads it', async (reader) => {
    const { request } = readEvent(event);
    const [handler, seen] = handlers[reader];
    await handler(event as never, lambdaContext() as never);
    const authorization = request.headers['authorization'];
    expect(typeof authorization).toBe('string');
    expect(seen).toEqual([
      { method: request.method, path: request.path.split('?')[0], authorization },
    ]);
  });
});
