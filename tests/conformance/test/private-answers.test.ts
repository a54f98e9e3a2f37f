// An answer decided for a caller must not be stored by a shared cache in front (CloudFront, a
// CDN, a proxy) and replayed to someone else: every surface marks it `Cache-Control: private` and
// names in `Vary` the headers the token came from (`Authorization`, and `Cookie` for a cookie).
// This table answers through every way an application answers on each framework (a JSON helper, a
// string, a stream, a raw response, a pass-through of an upstream's response, a handler result
// with or without a status), for a token in each place, and checks what reaches the client. The
// application's own `Cache-Control` stands (it knows what it serves); one it leaves out is ours.

import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Readable } from 'node:stream';
import type { GuardConfig } from '@cognito-guard/core';
import * as expressGuard from '@cognito-guard/express';
import * as fastifyGuard from '@cognito-guard/fastify';
import * as honoGuard from '@cognito-guard/hono';
import * as koaGuard from '@cognito-guard/koa';
import * as lambdaGuard from '@cognito-guard/lambda';
import {
  albEvent,
  createTestIssuer,
  httpApiEvent,
  lambdaContext,
  latticeEvent,
  restProxyEvent,
  type TestIssuer,
} from '@cognito-guard/testing';
import { getRequestListener } from '@hono/node-server';
import middy from '@middy/core';
import express5 from 'express';
import express4 from 'express4';
import fastify5, { type RouteHandlerMethod } from 'fastify';
import fastify4 from 'fastify4';
import { type Handler, Hono } from 'hono';
import { handle } from 'hono/aws-lambda';
import { cors } from 'hono/cors';
import { HTTPException } from 'hono/http-exception';
import { stream } from 'hono/streaming';
import Koa3 from 'koa';
import Koa2 from 'koa2';
import request from 'supertest';

/** What the client received: the two caching headers, and whether the handler's body came. */
interface Received {
  readonly status: number;
  readonly cacheControl: string | undefined;
  readonly vary: string | undefined;
  readonly body: string;
}

/** How one application answers, and what the client must then see beside `private`. */
interface Style {
  readonly name: string;
  /** The application's own Cache-Control, which stands; without one, `private`. */
  readonly ownCacheControl?: string;
  /** Vary fields the application names itself, kept beside Authorization. */
  readonly ownVary?: readonly string[];
  /** A client error the handler fails with, which the framework answers (its body, not ours). */
  readonly fails?: number;
}

// The handler refuses the request itself: an answer decided for this caller all the same.
const NOT_FOUND: Style = {
  name: 'the handler fails with a 404, the framework answers',
  fails: 404,
};

/** Where the caller's token travels, and what an answer to it must then vary with. */
interface Credential {
  readonly name: string;
  readonly config: Partial<GuardConfig>;
  readonly headers: (token: string) => Record<string, string>;
  readonly vary: readonly string[];
}

const CREDENTIALS: readonly Credential[] = [
  {
    name: 'a token in Authorization',
    config: {},
    headers: (sent) => ({ authorization: `Bearer ${sent}` }),
    vary: ['authorization'],
  },
  {
    // No request carries Authorization here: keyed on it alone, a cache would replay the answer
    // to anyone without the cookie.
    name: 'a token in a cookie',
    config: { tokenSources: ['authorization', { cookie: 'id_token' }] },
    headers: (sent) => ({ cookie: `theme=dark; id_token=${sent}` }),
    vary: ['authorization', 'cookie'],
  },
];

// Each table below runs once per credential; its beforeAll sets the one in use.
let credential = CREDENTIALS[0] as Credential;
const guardConfig = (): GuardConfig => ({ ...issuer.config, ...credential.config });
const tokenHeaders = () => credential.headers(token);
const forEachCredential = (tables: () => void) =>
  describe.each(CREDENTIALS.map((c) => ({ c, name: c.name })))('$name', ({ c }) => {
    beforeAll(() => {
      credential = c;
    });
    tables();
  });

const BODY = 'the movies list';
const OWN_CACHE_CONTROL = 'no-cache, max-age=0';

let issuer: TestIssuer;
let token: string;
let upstream: Server;
let upstreamUrl: string;
beforeAll(async () => {
  issuer = await createTestIssuer().start();
  token = issuer.accessToken({ groups: ['movies-group'] });
  // An upstream service an application passes through, as `return fetch(upstream)` does.
  upstream = createServer((_req, res) => res.end(BODY));
  await new Promise<void>((resolve) => upstream.listen(0, '127.0.0.1', resolve));
  upstreamUrl = `http://127.0.0.1:${(upstream.address() as AddressInfo).port}/`;
});
afterAll(async () => {
  await new Promise((resolve) => upstream.close(resolve));
  await issuer.stop();
});

// Table rows Jest can name: `$name` reads the style's name.
const rows = <H>(styles: readonly (readonly [Style, H])[]) =>
  styles.map(([style, handler]) => ({ name: style.name, style, handler }));

function expectPrivate(received: Received, style: Style): void {
  expect(received.status).toBe(style.fails ?? 200);
  if (style.fails === undefined) expect(received.body).toBe(BODY);
  expect(received.cacheControl).toBe(style.ownCacheControl ?? 'private');
  const vary = (received.vary ?? '').split(',').map((field) => field.trim().toLowerCase());
  for (const field of [...credential.vary, ...(style.ownVary ?? []).map((f) => f.toLowerCase())])
    expect(vary).toContain(field);
}

async function overHttp(
  target: Parameters<typeof request>[0],
  withToken = true,
): Promise<Received> {
  const sent = request(target).get('/movies');
  const res = await (withToken ? sent.set(tokenHeaders()) : sent)
    // Whatever the content type (a Buffer or a stream is application/octet-stream), as text.
    .buffer(true)
    .parse((response, done) => {
      let text = '';
      response.on('data', (chunk: Buffer) => (text += chunk.toString()));
      response.on('end', () => done(null, text));
    });
  return {
    status: res.status,
    cacheControl: res.headers['cache-control'],
    vary: res.headers['vary'],
    body: res.body as string,
  };
}

type ExpressHandler = (req: express5.Request, res: express5.Response) => void;
const expressStyles: [Style, ExpressHandler][] = [
  [{ name: 'res.json' }, (_req, res) => void res.json(BODY).end()],
  [{ name: 'res.send' }, (_req, res) => void res.send(BODY)],
  [{ name: 'res.end' }, (_req, res) => void res.end(BODY)],
  [{ name: 'res.writeHead, then end' }, (_req, res) => void res.writeHead(200).end(BODY)],
  [{ name: 'a stream piped' }, (_req, res) => void Readable.from([BODY]).pipe(res)],
  [
    { name: 'its own Cache-Control', ownCacheControl: OWN_CACHE_CONTROL },
    (_req, res) => void res.set('Cache-Control', OWN_CACHE_CONTROL).send(BODY),
  ],
  [
    { name: 'its own Vary, through res.vary', ownVary: ['Origin'] },
    (_req, res) => void res.vary('Origin').send(BODY),
  ],
  // A handler that sets Vary outright replaces the guard's fields: they go back on at writeHead.
  [
    { name: 'its own Vary, set outright', ownVary: ['Origin'] },
    (_req, res) => void res.set('Vary', 'Origin').send(BODY),
  ],
  [
    { name: 'its own Vary, in res.writeHead', ownVary: ['Origin'] },
    (_req, res) => void res.writeHead(200, { Vary: 'Origin' }).end(BODY),
  ],
  [
    { name: 'its own Vary, in res.writeHead with a reason and a header list', ownVary: ['Origin'] },
    (_req, res) => void res.writeHead(200, 'OK', ['vary', 'Origin']).end(BODY),
  ],
  [
    { name: 'Vary removed' },
    (_req, res) => {
      res.removeHeader('Vary');
      res.send(BODY);
    },
  ],
  [
    NOT_FOUND,
    () => {
      throw Object.assign(new Error(BODY), { status: 404, expose: true });
    },
  ],
];

forEachCredential(() => {
  describe.each([
    ['Express 5', express5],
    ['Express 4', express4 as unknown as typeof express5],
  ])('%s: an answer for a caller is private', (_name, factory) => {
    it.each(rows(expressStyles))('$name', async ({ style, handler }) => {
      const guard = expressGuard.cognitoGuard(guardConfig());
      const app = factory();
      app.get('/movies', guard.requireGroups('movies-group'), (req, res) => {
        // res.json would quote the body; the table compares the text the handler meant.
        if (style.name === 'res.json') res.type('text').send(BODY);
        else handler(req, res);
      });
      expectPrivate(await overHttp(app), style);
    });
  });

  type KoaHandler = (ctx: Koa3.Context) => void;
  const koaStyles: [Style, KoaHandler][] = [
    [
      { name: 'ctx.body, a string' },
      (ctx) => {
        ctx.body = BODY;
      },
    ],
    [
      { name: 'ctx.body, a Buffer' },
      (ctx) => {
        ctx.body = Buffer.from(BODY);
      },
    ],
    [
      { name: 'ctx.body, a stream' },
      (ctx) => {
        ctx.body = Readable.from([BODY]);
      },
    ],
    [
      { name: 'ctx.respond = false, the Node response' },
      (ctx) => {
        ctx.respond = false;
        ctx.res.statusCode = 200;
        ctx.res.end(BODY);
      },
    ],
    [
      { name: 'its own Cache-Control', ownCacheControl: OWN_CACHE_CONTROL },
      (ctx) => {
        ctx.set('Cache-Control', OWN_CACHE_CONTROL);
        ctx.body = BODY;
      },
    ],
    [
      { name: 'its own Vary, through ctx.vary', ownVary: ['Origin'] },
      (ctx) => {
        ctx.vary('Origin');
        ctx.body = BODY;
      },
    ],
    [
      { name: 'its own Vary, set outright', ownVary: ['Origin'] },
      (ctx) => {
        ctx.set('Vary', 'Origin');
        ctx.body = BODY;
      },
    ],
    [
      { name: 'Vary removed' },
      (ctx) => {
        ctx.remove('Vary');
        ctx.body = BODY;
      },
    ],
    [
      { name: 'ctx.respond = false, its own Vary in res.writeHead', ownVary: ['Origin'] },
      (ctx) => {
        ctx.respond = false;
        ctx.res.writeHead(200, { Vary: 'Origin' }).end(BODY);
      },
    ],
    [NOT_FOUND, (ctx) => ctx.throw(404, BODY)],
  ];

  describe.each([
    ['Koa 3', Koa3],
    ['Koa 2', Koa2 as unknown as typeof Koa3],
  ])('%s: an answer for a caller is private', (_name, KoaClass) => {
    it.each(rows(koaStyles))('$name', async ({ style, handler }) => {
      const guard = koaGuard.cognitoGuard(guardConfig());
      const app = new KoaClass();
      app.use(guard.requireGroups('movies-group'));
      app.use((ctx) => handler(ctx));
      expectPrivate(await overHttp(app.callback()), style);
    });
  });

  type FastifyHandler = RouteHandlerMethod;
  const fastifyStyles: [Style, FastifyHandler][] = [
    [{ name: 'a returned value' }, async () => BODY],
    [{ name: 'reply.send' }, (_request, reply) => void reply.send(BODY)],
    [{ name: 'a stream' }, (_request, reply) => void reply.send(Readable.from([BODY]))],
    [
      // As server-sent events are sent: Fastify writes none of its reply's headers then.
      { name: 'reply.hijack(), the Node response' },
      (_request, reply) => {
        reply.hijack();
        reply.raw.writeHead(200, { 'content-type': 'text/plain' });
        reply.raw.end(BODY);
      },
    ],
    [
      { name: 'its own Cache-Control', ownCacheControl: OWN_CACHE_CONTROL },
      (_request, reply) => void reply.header('cache-control', OWN_CACHE_CONTROL).send(BODY),
    ],
    [
      { name: 'its own Vary, set outright', ownVary: ['Origin'] },
      (_request, reply) => void reply.header('vary', 'Origin').send(BODY),
    ],
    [{ name: 'Vary removed' }, (_request, reply) => void reply.removeHeader('vary').send(BODY)],
    [
      { name: 'reply.hijack(), its own Vary in the Node response', ownVary: ['Origin'] },
      (_request, reply) => {
        reply.hijack();
        reply.raw.writeHead(200, { 'content-type': 'text/plain', vary: 'Origin' });
        reply.raw.end(BODY);
      },
    ],
    [
      NOT_FOUND,
      async () => {
        throw Object.assign(new Error(BODY), { statusCode: 404 });
      },
    ],
  ];

  describe.each([
    ['Fastify 5', fastify5],
    ['Fastify 4', fastify4 as unknown as typeof fastify5],
  ])('%s: an answer for a caller is private', (_name, factory) => {
    it.each(rows(fastifyStyles))('$name', async ({ style, handler }) => {
      const guard = fastifyGuard.cognitoGuard(guardConfig());
      const app = factory();
      try {
        await app.register(guard.plugin);
        app.get('/movies', { onRequest: guard.requireGroups('movies-group') }, handler);
        const url = await app.listen({ port: 0, host: '127.0.0.1' });
        expectPrivate(await overHttp(url), style);
      } finally {
        await app.close();
      }
    });
  });

  type HonoHandler = Handler;
  const CORS = 'CORS after the guard (it names Origin in Vary), then c.text';
  const honoStyles = (): [Style, HonoHandler][] => [
    [{ name: 'c.text' }, (c) => c.text(BODY)],
    [
      { name: 'c.body, a stream' },
      (c) =>
        stream(c, async (s) => {
          await s.write(BODY);
        }),
    ],
    [{ name: 'a Response of its own' }, () => new Response(BODY)],
    [
      { name: 'an upstream Response passed through (its headers immutable)' },
      () => fetch(upstreamUrl),
    ],
    [
      { name: 'its own Cache-Control, through c.header', ownCacheControl: OWN_CACHE_CONTROL },
      (c) => {
        c.header('Cache-Control', OWN_CACHE_CONTROL);
        return c.text(BODY);
      },
    ],
    [
      {
        name: 'its own Cache-Control, on a Response of its own',
        ownCacheControl: OWN_CACHE_CONTROL,
      },
      () => new Response(BODY, { headers: { 'Cache-Control': OWN_CACHE_CONTROL } }),
    ],
    [
      { name: 'its own Vary, on a Response of its own', ownVary: ['Accept-Encoding'] },
      () => new Response(BODY, { headers: { Vary: 'Accept-Encoding' } }),
    ],
    [
      { name: 'its own Vary, set outright through c.header', ownVary: ['Origin'] },
      (c) => {
        c.header('Vary', 'Origin');
        return c.text(BODY);
      },
    ],
    [{ name: CORS, ownVary: ['Origin'] }, (c) => c.text(BODY)],
    [
      NOT_FOUND,
      () => {
        throw new HTTPException(404, { message: BODY });
      },
    ],
  ];

  function honoApp(style: Style, handler: HonoHandler): Hono {
    const guard = honoGuard.cognitoGuard(guardConfig());
    const app = new Hono();
    app.use('/movies', guard.requireGroups('movies-group'));
    if (style.name === CORS) app.use('/movies', cors({ origin: 'https://movies.example' }));
    app.get('/movies', handler);
    return app;
  }

  describe('Hono on @hono/node-server: an answer for a caller is private', () => {
    it.each(rows(honoStyles()))('$name', async ({ style, handler }) => {
      const server = createServer(getRequestListener(honoApp(style, handler).fetch));
      expectPrivate(await overHttp(server), style);
    });

    // The marks go on the Node response every answer is written through, so a middleware before
    // the guard that sets Vary outright after next() keeps the guard's fields (README, "Hono").
    it('a middleware before the guard, setting Vary outright after next()', async () => {
      const app = new Hono();
      app.use('/movies', async (c, next) => {
        await next();
        c.header('Vary', 'Origin');
      });
      app.use('/movies', honoGuard.cognitoGuard(guardConfig()).requireGroups('movies-group'));
      app.get('/movies', (c) => c.text(BODY));
      const server = createServer(getRequestListener(app.fetch));
      expectPrivate(await overHttp(server), { name: 'Vary set before', ownVary: ['Origin'] });
    });
  });

  // What a Lambda handler returned, as API Gateway sends it on: one header list from `headers`
  // and `multiValueHeaders` (REST merges them), or, for an HTTP API result without a status code,
  // the result itself as a JSON answer.
  interface LambdaResult {
    readonly statusCode?: number;
    readonly headers?: Record<string, string>;
    readonly multiValueHeaders?: Record<string, string[]>;
    readonly body?: string;
  }
  function asApiGatewaySends(result: unknown): Received {
    if (typeof result !== 'object' || result === null || !('statusCode' in result))
      return { status: 200, cacheControl: undefined, vary: undefined, body: String(result) };
    const res = result as LambdaResult;
    const values = (name: string) => {
      const single = Object.entries(res.headers ?? {}).filter(([k]) => k.toLowerCase() === name);
      const multi = Object.entries(res.multiValueHeaders ?? {}).filter(
        ([k]) => k.toLowerCase() === name,
      );
      const all = [...single.map(([, v]) => v), ...multi.flatMap(([, v]) => v)];
      return all.length ? [...new Set(all)].join(', ') : undefined;
    };
    return {
      status: res.statusCode ?? 0,
      cacheControl: values('cache-control'),
      vary: values('vary'),
      body: res.body ?? '',
    };
  }

  describe.each([
    ['REST', restProxyEvent],
    ['HTTP API', httpApiEvent as unknown as typeof restProxyEvent],
  ])('Hono on Lambda (%s): an answer for a caller is private', (_name, build) => {
    it.each(rows(honoStyles()))('$name', async ({ style, handler }) => {
      const event = build({
        method: 'GET',
        path: '/movies',
        headers: tokenHeaders(),
      });
      const result = await handle(honoApp(style, handler))(
        event as never,
        lambdaContext() as never,
      );
      expectPrivate(asApiGatewaySends(result), style);
    });
  });

  const lambdaStyles: [Style, unknown][] = [
    [{ name: 'a result with a status' }, { statusCode: 200, body: BODY }],
    [
      { name: 'its own Cache-Control', ownCacheControl: OWN_CACHE_CONTROL },
      { statusCode: 200, headers: { 'cache-control': OWN_CACHE_CONTROL }, body: BODY },
    ],
    [
      { name: 'its own Vary', ownVary: ['Origin'] },
      { statusCode: 200, headers: { vary: 'Origin' }, body: BODY },
    ],
    [
      { name: 'its own Cache-Control, in multiValueHeaders', ownCacheControl: OWN_CACHE_CONTROL },
      { statusCode: 200, multiValueHeaders: { 'Cache-Control': [OWN_CACHE_CONTROL] }, body: BODY },
    ],
    [
      { name: 'its own Vary, in multiValueHeaders', ownVary: ['Origin'] },
      { statusCode: 200, multiValueHeaders: { Vary: ['Origin'] }, body: BODY },
    ],
    [
      // REST merges the maps: the handler's Cache-Control in `headers` is its own beside them.
      {
        name: 'its own Cache-Control in headers, beside multiValueHeaders',
        ownCacheControl: OWN_CACHE_CONTROL,
      },
      {
        statusCode: 200,
        headers: { 'Cache-Control': OWN_CACHE_CONTROL },
        multiValueHeaders: { 'Content-Type': ['text/plain'] },
        body: BODY,
      },
    ],
  ];

  // The guard as a wrapper, and as Middy middleware (whose after step marks the response).
  type LambdaHandler = (event: unknown, context: unknown) => Promise<unknown>;
  const lambdaWrappers: [string, (result: unknown) => LambdaHandler][] = [
    [
      'wrapper',
      (result) =>
        lambdaGuard.cognitoGuard(guardConfig()).requireGroups('movies-group')(
          async () => result,
        ) as LambdaHandler,
    ],
    [
      'Middy middleware',
      (result) =>
        middy(async () => result).use(
          lambdaGuard.cognitoGuard(guardConfig()).requireGroups('movies-group'),
        ) as unknown as LambdaHandler,
    ],
  ];

  describe.each(lambdaWrappers)(
    'the Lambda guard as %s: an answer for a caller is private',
    (_name, guarded) => {
      it.each(rows(lambdaStyles))('$name', async ({ style, handler: result }) => {
        const handler = guarded(result);
        const event = restProxyEvent({
          method: 'GET',
          path: '/movies',
          headers: tokenHeaders(),
        });
        expectPrivate(asApiGatewaySends(await handler(event, lambdaContext())), style);
      });

      // A target group with multi-value headers reads only the result's multiValueHeaders.
      it('an ALB target group with multi-value headers', async () => {
        const handler = guarded({
          statusCode: 200,
          multiValueHeaders: { 'Content-Type': ['text/plain'], Vary: ['Origin'] },
          body: BODY,
        });
        const event = albEvent({
          path: '/movies',
          headers: tokenHeaders(),
          multiValueHeaders: true,
        });
        const { headers: _ignored, ...albReads } = (await handler(
          event,
          lambdaContext(),
        )) as LambdaResult;
        expectPrivate(asApiGatewaySends(albReads), { name: 'ALB', ownVary: ['Origin'] });
        // The ALB takes lists only.
        expect(Object.values(albReads.multiValueHeaders ?? {}).every(Array.isArray)).toBe(true);
      });

      // VPC Lattice reads the result's `headers`, and infers nothing from a result without a status.
      it('a VPC Lattice target group', async () => {
        const event = latticeEvent({
          path: '/movies',
          headers: tokenHeaders(),
        });
        const answer = {
          statusCode: 200,
          headers: { 'Content-Type': 'text/plain', Vary: 'Origin' },
        };
        const marked = await guarded({ ...answer, body: BODY })(event, lambdaContext());
        expectPrivate(asApiGatewaySends(marked), { name: 'VPC Lattice', ownVary: ['Origin'] });
        const own = { ...answer, headers: { ...answer.headers, 'cache-control': 'max-age=60' } };
        const kept = await guarded({ ...own, body: BODY })(event, lambdaContext());
        expectPrivate(asApiGatewaySends(kept), {
          name: 'own Cache-Control',
          ownCacheControl: 'max-age=60',
          ownVary: ['Origin'],
        });
        expect(await guarded(BODY)(event, lambdaContext())).toBe(BODY);
      });

      // An HTTP API takes a result without a status code as a 200 JSON answer whose body is the
      // result (a string as it is, anything else as JSON): the guard answers it in that form, marked.
      it.each([
        ['a string', BODY, BODY],
        ['an object', { movies: [BODY] }, JSON.stringify({ movies: [BODY] })],
      ])('an HTTP API result without a status code: %s', async (_kind, result, body) => {
        const handler = guarded(result);
        const event = httpApiEvent({
          method: 'GET',
          path: '/movies',
          headers: tokenHeaders(),
        });
        const answered = (await handler(event, lambdaContext())) as LambdaResult;
        expect(answered.headers?.['content-type'] ?? answered.headers?.['Content-Type']).toBe(
          'application/json',
        );
        expect(answered.body).toBe(body);
        expectPrivate({ ...asApiGatewaySends(answered), body: BODY }, { name: 'inferred' });
      });
    },
  );
});

// What stood before the guard stays: a Vary a middleware set earlier (cors names Origin) keeps its
// fields, and one that names Authorization already gets it once. An answer decided for no one (a
// public route without a token) or under `privateCache: false` is not marked at all.
describe.each([
  ['Express', 'express'],
  ['Koa', 'koa'],
] as const)(
  '%s: marks keep the Vary set before the guard, and mark only answers for a caller',
  (_name, kind) => {
    type Setup = { vary?: string; privateCache?: boolean; policy?: boolean; anonymous?: boolean };
    function server({ vary, privateCache, policy }: Setup) {
      const config = { ...issuer.config, ...(privateCache === undefined ? {} : { privateCache }) };
      const routes = { routes: { 'GET /movies': { public: true } } };
      if (kind === 'express') {
        const guard = expressGuard.cognitoGuard(config);
        const app = express5();
        if (vary !== undefined)
          app.use((_req, res, next) => {
            res.setHeader('Vary', vary);
            next();
          });
        app.get(
          '/movies',
          policy ? guard.guardRoutes(routes) : guard.requireGroups('movies-group'),
          (_req, res) => void res.send(BODY),
        );
        return app;
      }
      const guard = koaGuard.cognitoGuard(config);
      const app = new Koa3();
      if (vary !== undefined) {
        app.use((ctx, next) => {
          ctx.set('Vary', vary);
          return next();
        });
      }
      app.use(policy ? guard.guardRoutes(routes) : guard.requireGroups('movies-group'));
      app.use((ctx) => {
        ctx.body = BODY;
      });
      return app.callback();
    }
    const answer = (setup: Setup) => overHttp(server(setup), !setup.anonymous);
    beforeAll(() => {
      credential = CREDENTIALS[0] as Credential;
    });

    it('adds Authorization to a Vary set before the guard, once', async () => {
      expect(await answer({ vary: 'Origin' })).toEqual({
        status: 200,
        cacheControl: 'private',
        vary: 'Origin, Authorization',
        body: BODY,
      });
      expect(await answer({ vary: 'Accept-Encoding, authorization' })).toEqual({
        status: 200,
        cacheControl: 'private',
        vary: 'Accept-Encoding, authorization',
        body: BODY,
      });
      expect(await answer({})).toEqual({
        status: 200,
        cacheControl: 'private',
        vary: 'Authorization',
        body: BODY,
      });
    });

    it('leaves an answer for no one, and any under privateCache: false, unmarked', async () => {
      const unmarked = { status: 200, cacheControl: undefined, vary: undefined, body: BODY };
      expect(await answer({ policy: true, anonymous: true })).toEqual(unmarked);
      expect(await answer({ privateCache: false })).toEqual(unmarked);
    });
  },
);
