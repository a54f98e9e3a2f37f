// Container frameworks inside a Lambda: Express and Koa on serverless-http, Express on
// @codegenie/serverless-express, Fastify on @fastify/aws-lambda, Hono on hono/aws-lambda, each
// with its own adapter's guardRoutes. Behind a REST API's custom domain
// mapped at /v1, the event's path (which the app routes by) keeps the base path, while the route
// API Gateway selected does not: a policy written with the API's own keys must still guard the
// app, as it does behind the Lambda guard.

import { brotliCompressSync, deflateSync, gzipSync } from 'node:zlib';
import serverlessExpress, { getCurrentInvoke } from '@codegenie/serverless-express';
import type { GuardConfig } from '@cognito-guard/core';
import { cognitoGuard as expressGuard } from '@cognito-guard/express';
import { cognitoGuard as fastifyGuard } from '@cognito-guard/fastify';
import { cognitoGuard as honoGuard } from '@cognito-guard/hono';
import { cognitoGuard as koaGuard } from '@cognito-guard/koa';
import { cognitoGuard as lambdaGuard } from '@cognito-guard/lambda';
import { httpApiEvent, lambdaContext, restProxyEvent } from '@cognito-guard/testing';
import awsLambdaFastify from '@fastify/aws-lambda';
import { bodyParser } from '@koa/bodyparser';
import Router from '@koa/router';
import express5, { type RequestHandler } from 'express';
import express4 from 'express4';
import fastify5 from 'fastify';
import fastify4 from 'fastify4';
import { Hono } from 'hono';
import { handle } from 'hono/aws-lambda';
import Koa3 from 'koa';
import koaOverride from 'koa-override';
import Koa2 from 'koa2';
import methodOverride from 'method-override';
import multer from 'multer';
import serverless from 'serverless-http';
import { callers } from './casings';

const policy = {
  defaultAction: 'allow' as const,
  routes: {
    'GET /admin': { groups: ['admins'] },
    'GET /movies/{id}': { groups: ['movies-group'] },
  },
};

type LambdaHandler = (event: never, context: never) => Promise<unknown>;
/** The app as a Lambda handler, and which of its handlers each event reached. */
type Build = (config: GuardConfig, reached: string[]) => LambdaHandler;

const apps: Record<string, Build> = {};

for (const [name, factory] of [
  ['Express 5 on serverless-http', express5],
  ['Express 4 on serverless-http', express4 as unknown as typeof express5],
] as const) {
  apps[name] = (config, reached) => {
    const app = factory();
    app.use(expressGuard(config).guardRoutes(policy));
    for (const path of ['/v1/admin', '/v1/movies/:id']) {
      app.get(path, (req, res) => {
        reached.push(req.path);
        res.json({ reached: true });
      });
    }
    return serverless(app) as unknown as LambdaHandler;
  };
}

// @codegenie/serverless-express hands the event out through getCurrentInvoke(): a line puts it
// where the guard reads it, as serverless-http does.
apps['Express 5 on @codegenie/serverless-express, the event at req.apiGateway'] = (
  config,
  reached,
) => {
  const app = express5();
  app.use((req, _res, next) => {
    Object.assign(req, { apiGateway: getCurrentInvoke() });
    next();
  });
  app.use(expressGuard(config).guardRoutes(policy));
  for (const path of ['/v1/admin', '/v1/movies/:id']) {
    app.get(path, (req, res) => {
      reached.push(req.path);
      res.json({ reached: true });
    });
  }
  return serverlessExpress({ app }) as unknown as LambdaHandler;
};

for (const [name, KoaClass] of [
  ['Koa 3 on serverless-http', Koa3],
  ['Koa 2 on serverless-http', Koa2 as unknown as typeof Koa3],
] as const) {
  apps[name] = (config, reached) => {
    const app = new KoaClass();
    const router = new Router();
    for (const path of ['/v1/admin', '/v1/movies/:id']) {
      router.get(path, (ctx) => {
        reached.push(ctx.path);
        ctx.body = { reached: true };
      });
    }
    app.use(koaGuard(config).guardRoutes(policy));
    app.use(router.routes());
    return serverless(app) as unknown as LambdaHandler;
  };
}

for (const [name, factory] of [
  ['Fastify 5 on @fastify/aws-lambda', fastify5],
  ['Fastify 4 on @fastify/aws-lambda', fastify4 as unknown as typeof fastify5],
] as const) {
  apps[name] = (config, reached) => {
    const app = factory();
    app.addHook('onRequest', fastifyGuard(config).guardRoutes(policy));
    for (const path of ['/v1/admin', '/v1/movies/:id']) {
      app.get(path, async (request) => {
        reached.push(request.url);
        return { reached: true };
      });
    }
    return awsLambdaFastify(app) as unknown as LambdaHandler;
  };
}

apps['Hono on hono/aws-lambda'] = (config, reached) => {
  const app = new Hono();
  app.use(honoGuard(config).guardRoutes(policy));
  for (const path of ['/v1/admin', '/v1/movies/:id']) {
    app.get(path, (c) => {
      reached.push(c.req.path);
      return c.json({ reached: true });
    });
  }
  return handle(app) as unknown as LambdaHandler;
};

describe.each(Object.keys(apps))('%s', (name) => {
  const who = callers();
  const reached: string[] = [];
  let handler: LambdaHandler | undefined;
  const send = async (event: object) => {
    handler ??= (apps[name] as Build)(who.issuer.config, reached);
    reached.length = 0;
    const res = (await handler(event as never, lambdaContext() as never)) as {
      statusCode: number;
    };
    return { status: res.statusCode, reached: [...reached] };
  };

  it('applies the selected route’s rule to a path under a custom domain’s base path', async () => {
    const admin = { path: '/v1/admin', resource: '/admin' };
    expect(await send(restProxyEvent(admin))).toEqual({ status: 401, reached: [] });
    expect(await send(restProxyEvent({ ...admin, token: who.member }))).toEqual({
      status: 403,
      reached: [],
    });
    expect(await send(restProxyEvent({ ...admin, token: who.admin }))).toEqual({
      status: 200,
      reached: ['/v1/admin'],
    });
    // Under any parameter name, and on an HTTP API's route key.
    const movie = { path: '/v1/movies/7', resource: '/movies/{movieId}' };
    expect(await send(restProxyEvent(movie))).toEqual({ status: 401, reached: [] });
    expect(await send(httpApiEvent({ path: '/v1/admin', routeKey: 'GET /admin' }))).toEqual({
      status: 401,
      reached: [],
    });
  });

  it('adds nothing for $default: the path’s own reading decides, as before', async () => {
    expect(await send(httpApiEvent({ path: '/v1/admin', routeKey: '$default' }))).toEqual({
      status: 200,
      reached: ['/v1/admin'],
    });
  });
});

// serverless-http leaves the event's body in `req.body` as bytes until a parser reads it, so the
// Express and Koa guards read a `_method` there even when the body parser and the override come
// after them (which a container cannot offer: there the stream is unread, see README).
const overridePolicy = {
  defaultAction: 'deny' as const,
  routes: { 'POST /items': {}, 'DELETE /items': { groups: ['admins'] } },
};
const bodyGetter = (req: { body?: { _method?: string } }) => req.body?._method as string;

const FORM = 'application/x-www-form-urlencoded';
const JSON_TYPE = 'application/json';
const encodedBodies: [string, string, string | Uint8Array, Record<string, string>][] = [
  ['a form after a byte order mark', FORM, '\uFEFF_method=DELETE', {}],
  ['JSON after a byte order mark', JSON_TYPE, '\uFEFF{"_method":"DELETE"}', {}],
  ['a gzipped form', FORM, gzipSync('_method=DELETE'), { 'Content-Encoding': 'gzip' }],
  [
    'deflated JSON',
    JSON_TYPE,
    deflateSync('{"_method":"DELETE"}'),
    { 'Content-Encoding': 'deflate' },
  ],
  ['a brotli form', FORM, brotliCompressSync('_method=DELETE'), { 'Content-Encoding': 'br' }],
  // Express's JSON parser decodes any UTF charset; Koa's reads UTF-8 whatever is named.
  [
    'UTF-16LE JSON',
    `${JSON_TYPE}; charset=utf-16le`,
    Buffer.from('{"_method":"DELETE"}', 'utf16le'),
    {},
  ],
  [
    'UTF-16 JSON, big-endian after its mark',
    `${JSON_TYPE}; charset=utf-16`,
    Buffer.from('\uFEFF{"_method":"DELETE"}', 'utf16le').swap16(),
    {},
  ],
];
// Multipart forms: multer (busboy) reads `_method` in each, Koa's body parser in none.
const MULTIPART = 'multipart/form-data; boundary=x';
const multipartBody = (headers: string, value = 'DELETE') =>
  `--x\r\nContent-Disposition: form-data; name="_method"${headers}\r\n\r\n${value}\r\n--x--\r\n`;
const multipartBodies: [string, string][] = [
  ['a multipart form', multipartBody('')],
  // A file to the platform's parser, a field to busboy.
  ['a multipart form with an empty file name', multipartBody('; filename=""')],
  [
    'a multipart form with a part in UTF-16',
    multipartBody(
      '\r\nContent-Type: text/plain; charset=utf-16le',
      Buffer.from('DELETE', 'utf16le').toString('latin1'),
    ),
  ],
  // The platform's parser decodes base64; busboy reads the text as it is.
  [
    'a multipart form with a part in base64',
    multipartBody('\r\nContent-Transfer-Encoding: base64'),
  ],
];

// Bodies in a UTF charset the guard cannot decode and Express's JSON parser can: refused.
const undecodedBodies: [string, string, string | Uint8Array][] = [
  ['UTF-7 JSON', `${JSON_TYPE}; charset=utf-7`, '+AHsAIgBf-method+ACI-:+ACI-DELETE+ACIAfQ-'],
  [
    'UTF-32LE JSON',
    `${JSON_TYPE}; charset=utf-32le`,
    Buffer.from([...'{"_method":"DELETE"}'].flatMap((c) => [c.charCodeAt(0), 0, 0, 0])),
  ],
];

// An Express app whose body parsers and override come after `guard`, if it has one.
function expressItems(factory: typeof express5, reached: string[], guard?: RequestHandler) {
  const app = factory();
  if (guard) app.use(guard);
  app.use(factory.urlencoded({ extended: true }), factory.json(), multer().none());
  app.use(methodOverride(bodyGetter));
  for (const method of ['post', 'delete'] as const) {
    app[method]('/items', (req, res) => {
      reached.push(req.method);
      res.json({ ran: req.method });
    });
  }
  return serverless(app);
}

const parsedAfter: Record<string, Build> = {};
for (const [name, factory] of [
  ['Express 5', express5],
  ['Express 4', express4 as unknown as typeof express5],
] as const) {
  parsedAfter[name] = (config, reached) =>
    expressItems(factory, reached, expressGuard(config).guardRoutes(overridePolicy)) as never;
  // The Lambda guard around the whole app reads the raw event body itself, before any parser.
  parsedAfter[`${name} inside the Lambda guard`] = (config, reached) =>
    lambdaGuard(config).guardRoutes(overridePolicy)(
      expressItems(factory, reached) as never,
    ) as never;
}
for (const [name, KoaClass] of [
  ['Koa 3', Koa3],
  ['Koa 2', Koa2 as unknown as typeof Koa3],
] as const) {
  parsedAfter[name] = (config, reached) => {
    const app = new KoaClass();
    const router = new Router();
    for (const method of ['post', 'delete'] as const) {
      router[method]('/items', (ctx) => {
        reached.push(ctx.method);
        ctx.body = { ran: ctx.method };
      });
    }
    app.use(koaGuard(config).guardRoutes(overridePolicy));
    app.use(bodyParser());
    app.use(koaOverride());
    app.use(router.routes());
    return serverless(app) as unknown as LambdaHandler;
  };
}

describe.each(Object.keys(parsedAfter))(
  '%s on serverless-http, body parsed after the guard',
  (name) => {
    const who = callers();
    const reached: string[] = [];
    let handler: LambdaHandler | undefined;
    const send = async (
      token: string,
      contentType: string,
      body: string | Uint8Array,
      headers: Record<string, string> = {},
    ) => {
      handler ??= (parsedAfter[name] as Build)(who.issuer.config, reached);
      reached.length = 0;
      const event = httpApiEvent({
        method: 'POST',
        path: '/items',
        token,
        headers: { 'Content-Type': contentType, ...headers },
        body,
      });
      const res = (await handler(event as never, lambdaContext() as never)) as {
        statusCode: number;
      };
      return { status: res.statusCode, reached: [...reached] };
    };

    it.each([
      ['a form', 'application/x-www-form-urlencoded', '_method=DELETE'],
      ['JSON', 'application/json', '{"_method":"DELETE"}'],
    ])('%s: a member is refused, an admin’s override is live', async (_kind, type, body) => {
      expect(await send(who.member, type, body)).toEqual({ status: 403, reached: [] });
      expect(await send(who.admin, type, body)).toEqual({ status: 200, reached: ['DELETE'] });
      expect(await send(who.member, type, type.includes('json') ? '{}' : 'a=1')).toEqual({
        status: 200,
        reached: ['POST'],
      });
    });

    // The parser reads a body with a byte order mark, or a Content-Encoding it inflates, and so
    // does the guard. Express 4 refuses brotli (415): its admin reaches nothing, never POST.
    it.each(encodedBodies)('%s: a member is refused', async (_kind, type, body, headers) => {
      expect(await send(who.member, type, body, headers)).toEqual({ status: 403, reached: [] });
      const admin = await send(who.admin, type, body, headers);
      expect(admin.reached).toEqual(admin.status === 200 ? ['DELETE'] : []);
    });

    // Refused outright (a part parsers read apart: 400) or for the method the app would serve.
    it.each(multipartBodies)('%s: a member is refused', async (_kind, body) => {
      const member = await send(who.member, MULTIPART, Buffer.from(body, 'latin1'));
      expect(member.reached).toEqual([]);
      expect([400, 403]).toContain(member.status);
      const admin = await send(who.admin, MULTIPART, Buffer.from(body, 'latin1'));
      if (admin.status === 200) expect(admin.reached).toHaveLength(1);
      else expect(admin).toEqual({ status: 400, reached: [] });
    });

    it.each(undecodedBodies)('%s: refused with 400 before the app', async (_kind, type, body) => {
      for (const token of [who.member, who.admin]) {
        expect(await send(token, type, body)).toEqual({ status: 400, reached: [] });
      }
    });
  },
);
