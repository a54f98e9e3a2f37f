// HTTP/2 (an ALB's HTTP/2 target groups, Fastify's `http2: true`, Koa or Hono on
// `http2.createServer`). Node's HTTP/2 server keeps only the first value of a repeated
// `authorization` field in `req.headers` and drops the rest, so a guard that read `req.headers`
// alone would judge `[admin, member]` as the admin. The guard reads the raw header list, as it does
// over HTTP/1.1, and refuses the repeat with 400 in either order. Node's own HTTP/2 client refuses
// to send a repeated `authorization`, so these requests are written frame by frame.

import { once } from 'node:events';
import http2 from 'node:http2';
import net from 'node:net';
import type { RoutePolicy } from '@cognito-guard/core';
import { cognitoGuard as fastifyGuard } from '@cognito-guard/fastify';
import { cognitoGuard as honoGuard } from '@cognito-guard/hono';
import { cognitoGuard as koaGuard } from '@cognito-guard/koa';
import { serve } from '@hono/node-server';
import fastify5 from 'fastify';
import fastify4 from 'fastify4';
import { Hono } from 'hono';
import Koa3 from 'koa';
import Koa2 from 'koa2';
import { callers } from './casings';

// The denial bodies every surface answers with (the status is in the HPACK-coded header block).
const DENIED = {
  400: JSON.stringify({ message: 'Bad Request' }),
  401: JSON.stringify({ message: 'Unauthorized' }),
  403: JSON.stringify({ message: 'Forbidden' }),
};

const policy: RoutePolicy = {
  defaultAction: 'allow',
  routes: { 'ANY /admin/{proxy+}': { groups: ['admins'] } },
};

/** A server on loopback answering `reached <path>` behind the guard, and how to stop it. */
type Surface = (config: ReturnType<typeof callers>['issuer']['config']) => Promise<{
  port: number;
  close: () => Promise<unknown>;
}>;

const listening = (server: http2.Http2Server) =>
  new Promise<{ port: number; close: () => Promise<unknown> }>((resolve) => {
    server.listen(0, '127.0.0.1', () =>
      resolve({
        port: (server.address() as { port: number }).port,
        close: () => new Promise((done) => server.close(done)),
      }),
    );
  });

const fastifySurface =
  (factory: typeof fastify5): Surface =>
  async (config) => {
    const app = factory({ http2: true });
    app.addHook('onRequest', fastifyGuard(config).guardRoutes(policy));
    // Each handler sets Vary outright, as a hand-written CORS step does.
    app.all('/*', async (request, reply) => {
      reply.header('vary', 'Origin');
      return `reached ${request.url}`;
    });
    await app.listen({ port: 0, host: '127.0.0.1' });
    return { port: (app.server.address() as { port: number }).port, close: () => app.close() };
  };

// A guard in a route's options, as most Fastify apps write it (its type takes HTTP/2's request and
// reply since the hook is typed for every server Fastify runs).
const fastifyRouteSurface =
  (factory: typeof fastify5): Surface =>
  async (config) => {
    const app = factory({ http2: true });
    const { requireGroups } = fastifyGuard(config);
    app.all('/admin/*', { onRequest: requireGroups('admins') }, async (request, reply) => {
      reply.header('vary', 'Origin');
      return `reached ${request.url}`;
    });
    await app.listen({ port: 0, host: '127.0.0.1' });
    return { port: (app.server.address() as { port: number }).port, close: () => app.close() };
  };

const koaSurface =
  (Koa: typeof Koa3): Surface =>
  (config) => {
    const app = new Koa();
    app.use(koaGuard(config).guardRoutes(policy));
    app.use((ctx) => {
      ctx.set('Vary', 'Origin');
      ctx.body = `reached ${ctx.url}`;
    });
    return listening(http2.createServer(app.callback()));
  };

const honoSurface: Surface = async (config) => {
  const app = new Hono();
  app.use(honoGuard(config).guardRoutes(policy));
  app.all('*', (c) => {
    c.header('Vary', 'Origin');
    return c.text(`reached ${c.req.path}`);
  });
  const server = await new Promise<http2.Http2Server>((resolve) => {
    const s = serve(
      {
        fetch: app.fetch,
        port: 0,
        hostname: '127.0.0.1',
        createServer: http2.createServer as never,
      },
      () => resolve(s as unknown as http2.Http2Server),
    );
  });
  return {
    port: (server.address() as { port: number }).port,
    close: () => new Promise((done) => server.close(done)),
  };
};

const surfaces: [string, Surface][] = [
  ['Fastify 5', fastifySurface(fastify5)],
  ['Fastify 4', fastifySurface(fastify4 as unknown as typeof fastify5)],
  ["Fastify 5, a guard in the route's options", fastifyRouteSurface(fastify5)],
  [
    "Fastify 4, a guard in the route's options",
    fastifyRouteSurface(fastify4 as unknown as typeof fastify5),
  ],
  ['Koa 3', koaSurface(Koa3)],
  ['Koa 2', koaSurface(Koa2 as unknown as typeof Koa3)],
  ['Hono on @hono/node-server', honoSurface],
];

describe.each(surfaces)('%s over HTTP/2', (_name, surface) => {
  const who = callers();
  let server: Awaited<ReturnType<Surface>>;
  beforeAll(async () => {
    server = await surface(who.issuer.config);
  });
  afterAll(() => server.close());

  const get = (headers: [string, string][]) =>
    requestFrames(server.port, [[':path', '/admin/x'], ...headers]);

  it('judges one token as over HTTP/1.1', async () => {
    expect(await get([['authorization', `Bearer ${who.admin}`]])).toBe('reached /admin/x');
    expect(await get([['authorization', `Bearer ${who.member}`]])).toBe(DENIED[403]);
    expect(await get([])).toBe(DENIED[401]);
  });

  it("names the caller's header in Vary beside the handler's own", async () => {
    const client = http2.connect(`http://127.0.0.1:${server.port}`);
    try {
      const stream = client.request({
        ':path': '/admin/x',
        authorization: `Bearer ${who.admin}`,
      });
      const [headers] = (await once(stream, 'response')) as [http2.IncomingHttpHeaders];
      stream.resume();
      await once(stream, 'end');
      expect(headers[':status']).toBe(200);
      expect(headers['cache-control']).toBe('private');
      const vary = String(headers.vary)
        .split(',')
        .map((field) => field.trim().toLowerCase());
      expect(vary).toEqual(expect.arrayContaining(['origin', 'authorization']));
    } finally {
      client.close();
    }
  });

  it.each([
    ['the admin first', () => [who.admin, who.member]],
    ['the member first', () => [who.member, who.admin]],
  ])('refuses a repeated authorization field with 400, %s', async (_order, tokens) => {
    const answer = await get(tokens().map((token) => ['authorization', `Bearer ${token}`]));
    expect(answer).toBe(DENIED[400]);
  });
});

/**
 * One GET on a fresh HTTP/2 connection, its header block written as HPACK literals exactly as
 * given (repeats included); answers the response's body.
 */
function requestFrames(port: number, headers: [string, string][]): Promise<string> {
  const block = Buffer.concat(
    [[':method', 'GET'], [':scheme', 'http'], [':authority', 'localhost'], ...headers].map(
      ([name, value]) => literal(name as string, value as string),
    ),
  );
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, '127.0.0.1');
    socket.on('error', reject);
    socket.write(
      Buffer.concat([
        Buffer.from('PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n'),
        frame(FRAME.settings, 0, 0, Buffer.alloc(0)),
        frame(FRAME.headers, END_STREAM | END_HEADERS, 1, block),
      ]),
    );
    let buffered = Buffer.alloc(0);
    let body = '';
    socket.on('data', (chunk: Buffer) => {
      buffered = Buffer.concat([buffered, chunk]);
      while (buffered.length >= 9 && buffered.length >= 9 + buffered.readUIntBE(0, 3)) {
        const length = buffered.readUIntBE(0, 3);
        const [type, flags] = [buffered[3], buffered[4] as number];
        const payload = buffered.subarray(9, 9 + length);
        buffered = buffered.subarray(9 + length);
        if (type === FRAME.settings && !(flags & ACK)) {
          socket.write(frame(FRAME.settings, ACK, 0, Buffer.alloc(0)));
        }
        if (type === FRAME.data) body += payload.toString();
        if ((type === FRAME.headers || type === FRAME.data) && flags & END_STREAM) {
          socket.end();
          resolve(body);
        }
        if (type === FRAME.rstStream || type === FRAME.goaway) {
          socket.end();
          reject(new Error(`the server reset the stream (frame type ${type})`));
        }
      }
    });
  });
}

const FRAME = { data: 0, headers: 1, rstStream: 3, settings: 4, goaway: 7 } as const;
const END_STREAM = 0x1;
const END_HEADERS = 0x4;
const ACK = 0x1;

function frame(type: number, flags: number, stream: number, payload: Buffer): Buffer {
  const head = Buffer.alloc(9);
  head.writeUIntBE(payload.length, 0, 3);
  head[3] = type;
  head[4] = flags;
  head.writeUInt32BE(stream, 5);
  return Buffer.concat([head, payload]);
}

// RFC 7541 §6.2.2: a literal field, not indexed, with a literal name; strings not Huffman-coded.
function literal(name: string, value: string): Buffer {
  return Buffer.concat([
    Buffer.from([0]),
    hpackLength(name),
    Buffer.from(name),
    hpackLength(value),
    Buffer.from(value),
  ]);
}

function hpackLength(text: string): Buffer {
  let n = Buffer.byteLength(text);
  if (n < 127) return Buffer.from([n]);
  const bytes = [127];
  n -= 127;
  while (n >= 128) {
    bytes.push((n % 128) + 128);
    n = Math.floor(n / 128);
  }
  bytes.push(n);
  return Buffer.from(bytes);
}
