// A method override serves a `POST` as the method a header, the `_method` query parameter or a
// form field names: Express's method-override, koa-override, Hono's methodOverride. Mounted after
// the guard, it would have the guard judge `POST /items` while the app runs `DELETE /items`. The
// guard reads every method the request names, so with the override on either side of it, a
// caller without the group never reaches a handler the policy keeps for admins.

import { createServer, type RequestListener } from 'node:http';
import type { GuardConfig } from '@cognito-guard/core';
import { cognitoGuard as expressGuard } from '@cognito-guard/express';
import { cognitoGuard as honoGuard } from '@cognito-guard/hono';
import { cognitoGuard as koaGuard } from '@cognito-guard/koa';
import { cognitoGuard as lambdaGuard } from '@cognito-guard/lambda';
import {
  albEvent,
  functionUrlEvent,
  httpApiEvent,
  lambdaContext,
  latticeEvent,
  restProxyEvent,
} from '@cognito-guard/testing';
import { getRequestListener } from '@hono/node-server';
import { bodyParser } from '@koa/bodyparser';
import Router from '@koa/router';
import express5 from 'express';
import express4 from 'express4';
import { Hono } from 'hono';
import { handle } from 'hono/aws-lambda';
import { methodOverride as honoOverride } from 'hono/method-override';
import Koa3 from 'koa';
import { koaBody } from 'koa-body';
import koaOverride from 'koa-override';
import Koa2 from 'koa2';
import methodOverride from 'method-override';
import serverless from 'serverless-http';
import request from 'supertest';
import { callers } from './casings';

type Source = 'header' | 'query' | 'form' | 'multipart';
type Order = 'override, then guard' | 'guard, then override';
/** The app, as a Node listener, and which handler each request reached. */
type Build = (
  config: GuardConfig,
  order: Order,
  reached: (method: string) => void,
) => RequestListener;

const policy = {
  defaultAction: 'deny' as const,
  routes: {
    'POST /items': {},
    'PUT /items': { groups: ['admins'] },
    'DELETE /items': { groups: ['admins'] },
  },
};

// method-override's getter for a form field: its types ask for a string, its code takes none.
const formField = (req: express5.Request) =>
  (req.body as { _method?: string } | undefined)?._method as string;

// Each framework's override middleware, and the sources it reads.
const surfaces: Record<string, { build: Build; sources: readonly Source[] }> = {};

for (const [name, factory] of [
  ['Express 5', express5],
  ['Express 4', express4 as unknown as typeof express5],
] as const) {
  surfaces[`${name} with method-override`] = {
    sources: ['header', 'query', 'form'],
    build: (config, order, reached) => {
      const app = factory();
      const overrides = [
        methodOverride('X-HTTP-Method-Override'),
        methodOverride('_method'),
        methodOverride(formField),
      ];
      app.use(factory.urlencoded({ extended: false }));
      if (order === 'override, then guard') app.use(overrides);
      app.use(expressGuard(config).guardRoutes(policy));
      if (order === 'guard, then override') app.use(overrides);
      for (const method of ['post', 'put', 'delete'] as const) {
        app[method]('/items', (req, res) => {
          reached(req.method);
          res.json({ ran: req.method });
        });
      }
      return app as unknown as RequestListener;
    },
  };
}

// koa-override reads the header and a parsed body's field, not the query. koa-body parses a
// multipart form too (formidable) and puts its fields where koa-override reads `_method`: the
// guard reads the parsed body, whatever its type.
const koaParsers = [
  ['@koa/bodyparser', () => bodyParser(), ['header', 'form']],
  ['koa-body', () => koaBody({ multipart: true }), ['header', 'form', 'multipart']],
] as const;
for (const [name, KoaClass] of [
  ['Koa 3', Koa3],
  ['Koa 2', Koa2 as unknown as typeof Koa3],
] as const) {
  for (const [parserName, parser, sources] of koaParsers) {
    surfaces[`${name} with ${parserName} and koa-override`] = {
      sources,
      build: (config, order, reached) => {
        const app = new KoaClass();
        const router = new Router();
        for (const method of ['post', 'put', 'delete'] as const) {
          router[method]('/items', (ctx) => {
            reached(ctx.method);
            ctx.body = { ran: ctx.method };
          });
        }
        app.use(parser());
        if (order === 'override, then guard') app.use(koaOverride());
        app.use(koaGuard(config).guardRoutes(policy));
        if (order === 'guard, then override') app.use(koaOverride());
        app.use(router.routes());
        return app.callback();
      },
    };
  }
}

// Hono's methodOverride reads a multipart form too, and dispatches the new method through
// `app.fetch` again, so the guard judges it there, wherever the override sits.
surfaces['Hono with methodOverride'] = {
  sources: ['header', 'query', 'form', 'multipart'],
  build: (config, order, reached) => {
    const app = new Hono();
    const overrides = [
      honoOverride({ app }),
      honoOverride({ app, header: 'X-HTTP-Method-Override' }),
      honoOverride({ app, query: '_method' }),
    ];
    const guard = honoGuard(config).guardRoutes(policy);
    if (order === 'override, then guard') for (const override of overrides) app.use(override);
    app.use(guard);
    if (order === 'guard, then override') for (const override of overrides) app.use(override);
    app.on(['POST', 'PUT', 'DELETE'], '/items', (c) => {
      reached(c.req.method);
      return c.json({ ran: c.req.method });
    });
    return getRequestListener(app.fetch);
  },
};

const orders: readonly Order[] = ['override, then guard', 'guard, then override'];

describe.each(Object.keys(surfaces))('%s', (name) => {
  const who = callers();
  const { build, sources } = surfaces[name] as { build: Build; sources: readonly Source[] };

  function serve(order: Order) {
    const ran: string[] = [];
    const server = createServer(build(who.issuer.config, order, (method) => void ran.push(method)));
    const send = async (token: string, source: Source | undefined, method = 'DELETE') => {
      ran.length = 0;
      const path = source === 'query' ? `/items?_method=${method.toLowerCase()}` : '/items';
      let call = request(server).post(path).set('Authorization', `Bearer ${token}`);
      if (source === 'header') call = call.set('X-HTTP-Method-Override', method);
      if (source === 'form') call = call.type('form').send({ _method: method });
      if (source === 'multipart') call = call.field('_method', method);
      const res = await call;
      return { status: res.status, ran: [...ran] };
    };
    return send;
  }

  it.each(orders)(
    '%s: a member is refused every overridden method and runs none',
    async (order) => {
      const send = serve(order);
      expect(await send(who.member, undefined)).toEqual({ status: 200, ran: ['POST'] });
      for (const source of sources) {
        for (const method of ['DELETE', 'PUT']) {
          expect({ source, method, ...(await send(who.member, source, method)) }).toEqual({
            source,
            method,
            status: 403,
            ran: [],
          });
        }
      }
    },
  );

  it.each(orders)(
    '%s: an admin’s override is live, so the refusals above are the guard’s',
    async (order) => {
      const send = serve(order);
      for (const source of sources) {
        expect({ source, ...(await send(who.admin, source)) }).toEqual({
          source,
          status: 200,
          ran: ['DELETE'],
        });
      }
    },
  );
});

// qs's list syntax: Express 4's default query parser and `urlencoded({ extended: true })` read
// `_method[]=DELETE` as a list, and method-override takes a getter's first value.
describe.each([
  ['Express 4', express4 as unknown as typeof express5],
  ['Express 5, extended query parser', express5],
] as const)('%s: `_method[]` in the query or the form', (_name, factory) => {
  const who = callers();
  const fromQuery = (req: express5.Request) =>
    (req.query as { _method?: string })._method as string;

  function app(reached: string[]) {
    const built = factory();
    built.set('query parser', 'extended');
    built.use(factory.urlencoded({ extended: true }));
    built.use(expressGuard(who.issuer.config).guardRoutes(policy));
    built.use(methodOverride(fromQuery), methodOverride(formField));
    for (const method of ['post', 'put', 'delete'] as const) {
      built[method]('/items', (req, res) => {
        reached.push(req.method);
        res.json({ ran: req.method });
      });
    }
    return built;
  }

  it.each([
    ['query', '/items?_method[]=DELETE', undefined],
    ['query, encoded brackets', '/items?_method%5B0%5D=DELETE', undefined],
    ['form', '/items', '_method[]=DELETE'],
  ])('%s', async (_source, path, form) => {
    const send = async (token: string) => {
      const reached: string[] = [];
      let call = request(app(reached)).post(path).set('Authorization', `Bearer ${token}`);
      if (form !== undefined) call = call.type('form').send(form);
      return { status: (await call).status, reached };
    };
    expect(await send(who.member)).toEqual({ status: 403, reached: [] });
    expect(await send(who.admin)).toEqual({ status: 200, reached: ['DELETE'] });
  });
});

describe('Express: a form field the guard never saw parsed (README, Express)', () => {
  const who = callers();

  it('a body parser mounted after the guard hides `_method` from it: mount parsers first', async () => {
    const app = express5();
    app.use(expressGuard(who.issuer.config).guardRoutes(policy));
    app.use(express5.urlencoded({ extended: false }));
    app.use(methodOverride(formField));
    app.delete('/items', (_req, res) => void res.json({ ran: 'DELETE' }));
    const res = await request(app)
      .post('/items')
      .set('Authorization', `Bearer ${who.member}`)
      .type('form')
      .send({ _method: 'DELETE' });
    expect({ status: res.status, body: res.body }).toEqual({
      status: 200,
      body: { ran: 'DELETE' },
    });
  });
});

// A Lambda guard wraps the whole app, so the app's override and its body parsing always run
// after the guard: the guard reads the raw event body. Hono's methodOverride reads a `_method`
// field of a URL-encoded or a multipart form by default.
describe('the Lambda guard around a Hono app with methodOverride (hono/aws-lambda)', () => {
  const who = callers();
  const builders = {
    'REST proxy': restProxyEvent,
    'HTTP API': httpApiEvent,
    'Function URL': functionUrlEvent,
    ALB: albEvent,
    'VPC Lattice': latticeEvent,
  } as const;
  const boundary = 'cg-boundary';
  const multipart = (method: string) =>
    `--${boundary}\r\nContent-Disposition: form-data; name="_method"\r\n\r\n${method}\r\n--${boundary}--\r\n`;
  const bodies = {
    'a URL-encoded form': (method: string) => ({
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: `_method=${method}`,
    }),
    'a multipart form': (method: string) => ({
      headers: { 'Content-Type': `multipart/form-data; boundary=${boundary}` },
      body: multipart(method),
    }),
    'a base64-encoded multipart form': (method: string) => ({
      headers: { 'Content-Type': `multipart/form-data; boundary=${boundary}` },
      body: new TextEncoder().encode(multipart(method)),
    }),
  };

  function serve(build: (typeof builders)[keyof typeof builders]) {
    const ran: string[] = [];
    const app = new Hono();
    app.use(honoOverride({ app }));
    app.on(['POST', 'PUT', 'DELETE'], '/items', (c) => {
      ran.push(c.req.method);
      return c.json({ ran: c.req.method });
    });
    // The issuer starts before the first test: the guard is built then.
    let handler: ((event: never, context: never) => Promise<unknown>) | undefined;
    return async (token: string, body: ReturnType<(typeof bodies)[keyof typeof bodies]>) => {
      handler ??= lambdaGuard(who.issuer.config).guardRoutes(policy)(handle(app) as never);
      ran.length = 0;
      const event = build({ method: 'POST', path: '/items', token, ...body });
      const res = (await handler(event as never, lambdaContext() as never)) as {
        statusCode: number;
      };
      return { status: res.statusCode, ran: [...ran] };
    };
  }

  describe.each(Object.keys(builders))('%s', (source) => {
    const send = serve(builders[source as keyof typeof builders]);

    it.each(Object.keys(bodies))('a member is refused the method %s names', async (kind) => {
      const body = bodies[kind as keyof typeof bodies];
      for (const method of ['DELETE', 'PUT']) {
        expect({ method, ...(await send(who.member, body(method))) }).toEqual({
          method,
          status: 403,
          ran: [],
        });
      }
      expect(await send(who.member, body('POST'))).toEqual({ status: 200, ran: ['POST'] });
    });

    it.each(Object.keys(bodies))('an admin’s override in %s is live', async (kind) => {
      const body = bodies[kind as keyof typeof bodies];
      expect(await send(who.admin, body('DELETE'))).toEqual({ status: 200, ran: ['DELETE'] });
    });
  });
});

// A Koa app on serverless-http inside the Lambda guard, with koa-body reading multipart forms:
// koa-body hands formidable any `multipart/*` body, not only multipart/form-data, and
// koa-override takes the `_method` field formidable reads.
describe('the Lambda guard around a Koa app with koa-body and koa-override on serverless-http', () => {
  const who = callers();
  const form = '--b\r\nContent-Disposition: form-data; name="_method"\r\n\r\nDELETE\r\n--b--\r\n';

  function serve() {
    const reached: string[] = [];
    const app = new Koa3();
    const router = new Router();
    for (const method of ['post', 'put', 'delete'] as const) {
      router[method]('/items', (ctx) => {
        reached.push(ctx.method);
        ctx.body = { ran: ctx.method };
      });
    }
    app.use(koaBody({ multipart: true }));
    app.use(koaOverride());
    app.use(router.routes());
    let handler: ((event: never, context: never) => Promise<unknown>) | undefined;
    return async (token: string, type: string) => {
      handler ??= lambdaGuard(who.issuer.config).guardRoutes(policy)(serverless(app) as never);
      reached.length = 0;
      const headers = { 'Content-Type': `${type}; boundary=b` };
      const event = httpApiEvent({ method: 'POST', path: '/items', token, headers, body: form });
      const res = (await handler(event as never, lambdaContext() as never)) as {
        statusCode: number;
      };
      return { status: res.statusCode, reached: [...reached] };
    };
  }

  it.each(['multipart/form-data', 'multipart/mixed', 'multipart/related', 'multipart/x-any'])(
    '%s: a member is refused, an admin’s override is live',
    async (type) => {
      const send = serve();
      expect(await send(who.member, type)).toEqual({ status: 403, reached: [] });
      expect(await send(who.admin, type)).toEqual({ status: 200, reached: ['DELETE'] });
    },
  );
});

// An Express app on serverless-http inside the Lambda guard, whose body parsers read any body
// (`type: '*/*'`, as apps that take JSON from clients sending no or another Content-Type do):
// the guard reads the body as a form and as JSON whatever its Content-Type says.
describe('the Lambda guard around an Express app on serverless-http', () => {
  const who = callers();
  const json = express5.json({ type: '*/*' });
  const form = express5.urlencoded({ extended: true, type: '*/*' });
  const cases = [
    ['JSON sent as text/plain', json, 'text/plain', '{"_method":"DELETE"}'],
    [
      'JSON sent as application/octet-stream',
      json,
      'application/octet-stream',
      '{"_method":"DELETE"}',
    ],
    ['a form sent as text/plain', form, 'text/plain', '_method=DELETE'],
    ['qs list syntax in a form', form, 'application/x-www-form-urlencoded', '_method%5B%5D=DELETE'],
  ] as const;

  function serve(parser: express5.RequestHandler) {
    const reached: string[] = [];
    const app = express5();
    app.use(parser);
    app.use(methodOverride(formField));
    for (const method of ['post', 'put', 'delete'] as const) {
      app[method]('/items', (req, res) => {
        reached.push(req.method);
        res.json({ ran: req.method });
      });
    }
    let handler: ((event: never, context: never) => Promise<unknown>) | undefined;
    return async (token: string, contentType: string | undefined, body: string) => {
      handler ??= lambdaGuard(who.issuer.config).guardRoutes(policy)(serverless(app) as never);
      reached.length = 0;
      const headers: Record<string, string> = contentType ? { 'Content-Type': contentType } : {};
      const event = httpApiEvent({ method: 'POST', path: '/items', token, headers, body });
      const res = (await handler(event as never, lambdaContext() as never)) as {
        statusCode: number;
      };
      return { status: res.statusCode, reached: [...reached] };
    };
  }

  it.each(cases)(
    '%s: a member is refused, an admin’s override is live',
    async (_n, parser, type, body) => {
      const send = serve(parser);
      expect(await send(who.member, type, body)).toEqual({ status: 403, reached: [] });
      expect(await send(who.admin, type, body)).toEqual({ status: 200, reached: ['DELETE'] });
    },
  );
});
