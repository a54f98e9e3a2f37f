// The key fetcher on its own, against a real HTTP server on loopback: what it sends, the limits
// it keeps (body size, declared or not; the whole-request timeout), and the fail-fast window that
// turns an outage into quick 503s with an honest Retry-After.

import { once } from 'node:events';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { JwksFetchError, type JwksFetchEvent, JwksFetcher } from '../src/token/jwks-fetcher';
import { clockAt } from './helpers';

type Handler = (req: IncomingMessage, res: ServerResponse) => void;

const KEYS = JSON.stringify({ keys: [] });

describe('JwksFetcher', () => {
  let server: Server;
  let handler: Handler;
  let url: string;
  const seen: IncomingMessage[] = [];

  beforeAll(async () => {
    server = createServer((req, res) => {
      seen.push(req);
      handler(req, res);
    });
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/.well-known/jwks.json`;
  });
  afterAll(async () => {
    server.closeAllConnections();
    server.close();
    await once(server, 'close');
  });
  beforeEach(() => {
    seen.length = 0;
    handler = (_req, res) => res.end(KEYS);
  });

  const fetcher = (options: Partial<ConstructorParameters<typeof JwksFetcher>[0]> = {}) =>
    new JwksFetcher({ timeoutMs: 2_000, maxBytes: 1_024, retryAfterSeconds: 5, ...options });
  const keptBytes = async (keys: JwksFetcher, bytes: number) => {
    while (keys.peakBodyBytes < bytes) await new Promise(setImmediate);
  };
  const failure = (promise: Promise<unknown>) =>
    promise.then(
      () => {
        throw new Error('the fetch succeeded');
      },
      (err: unknown) => err as JwksFetchError,
    );

  it('asks with GET for JSON, and hands back the body', async () => {
    const keys = fetcher();
    expect([keys.fetchCount, keys.peakBodyBytes, keys.observers, keys.keyListeners]).toEqual([
      0,
      0,
      [],
      [],
    ]);
    const body = await keys.fetch(url);
    expect(new TextDecoder().decode(body)).toBe(KEYS);
    expect(seen.map((req) => [req.method, req.url, req.headers.accept])).toEqual([
      ['GET', '/.well-known/jwks.json', 'application/json'],
    ]);
  });

  it('refuses a declared body over the limit without reading any of it', async () => {
    handler = (_req, res) => {
      res.writeHead(200, { 'content-length': 1_025 });
      res.write('x'.repeat(512));
    };
    const keys = fetcher();
    const err = await failure(keys.fetch(url));
    expect(err).toBeInstanceOf(JwksFetchError);
    expect(err.message).toContain('body of 1025 bytes exceeds 1024');
    expect(keys.peakBodyBytes).toBe(0);
  });

  it('takes a body of exactly the limit; cuts off one byte more that was not declared', async () => {
    const exactly = `{"keys":[],"pad":"${'x'.repeat(1_024 - 20)}"}`;
    expect(exactly).toHaveLength(1_024);
    handler = (_req, res) => {
      res.write(exactly.slice(0, 500));
      res.end(exactly.slice(500));
    };
    const keys = fetcher();
    expect((await keys.fetch(url)).byteLength).toBe(1_024);
    expect(keys.peakBodyBytes).toBe(1_024);
    handler = (_req, res) => res.writeHead(200, { 'content-length': 1_024 }).end(exactly);
    expect((await fetcher().fetch(url)).byteLength).toBe(1_024);
    const over = fetcher();
    handler = (_req, res) => {
      res.write(exactly.slice(0, 500));
      // The rest only once the first part is in: two writes in a row can reach the client as one
      // chunk (Node 22 and later send them together), and this is the cut-off after a kept part.
      void keptBytes(over, 500).then(() => res.end(`${exactly.slice(500)} `));
    };
    const err = await failure(over.fetch(url));
    expect(err.message).toContain('body exceeds 1024 bytes');
    expect(over.peakBodyBytes).toBe(500);
  });

  it('gives up on a server that never answers, after the timeout', async () => {
    handler = () => undefined;
    const err = await failure(fetcher({ timeoutMs: 100 }).fetch(url));
    expect(err.message).toContain('timed out after 100 ms');
  });

  it('fails at once when the server drops the connection mid-body, not at the timeout', async () => {
    handler = (_req, res) => {
      res.writeHead(200, { 'content-length': 1_000 });
      res.write('{"keys":[', () => res.socket?.destroy());
    };
    const err = await failure(fetcher({ timeoutMs: 60_000 }).fetch(url));
    expect(err).toBeInstanceOf(JwksFetchError);
    expect(err.message).not.toContain('timed out');
  });

  it('keeps the status a key server answered with, and none when it never answered', async () => {
    handler = (_req, res) => res.writeHead(404).end();
    const notFound = await failure(fetcher().fetch(url));
    expect([notFound.name, notFound.status, notFound.message]).toEqual([
      'JwksFetchError',
      404,
      `Failed to fetch ${url}: status 404`,
    ]);
    const closed = url.replace(/:\d+\//, ':1/');
    expect((await failure(fetcher().fetch(closed))).status).toBeUndefined();
  });

  it('fails fast within the window after a failure, saying how long is left', async () => {
    handler = (_req, res) => res.writeHead(500).end();
    const keys = fetcher({ retryAfterSeconds: 5 });
    const first = await failure(keys.fetch(url));
    expect(first.retryAfterSeconds).toBe(5);
    const start = Date.now();
    clockAt(start + 2_000);
    try {
      const blocked = await failure(keys.fetch(url));
      expect(blocked.message).toContain('recent fetch failed; not retrying yet');
      expect(blocked.retryAfterSeconds).toBeGreaterThan(2.9);
      expect(blocked.retryAfterSeconds).toBeLessThanOrEqual(3);
      expect(keys.fetchCount).toBe(1);
      handler = (_req, res) => res.end(KEYS);
      clockAt(start + 5_100);
      await keys.fetch(url);
      expect(keys.fetchCount).toBe(2);
    } finally {
      jest.useRealTimers();
    }
  });

  it('asks again at the very millisecond the window closes, not one before', async () => {
    const start = Date.now();
    clockAt(start);
    try {
      handler = (_req, res) => res.writeHead(500).end();
      const keys = fetcher({ retryAfterSeconds: 5 });
      await failure(keys.fetch(url));
      handler = (_req, res) => res.end(KEYS);
      clockAt(start + 4_999);
      const blocked = await failure(keys.fetch(url));
      expect([blocked.message, blocked.retryAfterSeconds]).toEqual([
        `Failed to fetch ${url}: recent fetch failed; not retrying yet`,
        0.001,
      ]);
      clockAt(start + 5_000);
      await expect(keys.fetch(url)).resolves.toBeInstanceOf(ArrayBuffer);
      expect(keys.fetchCount).toBe(2);
    } finally {
      jest.useRealTimers();
    }
  });

  it('with no window, asks again at once and still tells a client to wait a second', async () => {
    handler = (_req, res) => res.writeHead(500).end();
    const keys = fetcher({ retryAfterSeconds: 0 });
    expect((await failure(keys.fetch(url))).retryAfterSeconds).toBe(1);
    expect((await failure(keys.fetch(url))).retryAfterSeconds).toBe(1);
    expect(keys.fetchCount).toBe(2);
  });

  it('refuses a body that is not keys, as a failed fetch', async () => {
    handler = (_req, res) => res.end('<html>maintenance</html>');
    const keys = fetcher();
    expect((await failure(keys.fetch(url))).retryAfterSeconds).toBe(5);
    expect((await failure(keys.fetch(url))).message).toContain('not retrying yet');
  });

  it('refuses keys that are not valid UTF-8, as a failed fetch', async () => {
    const invalid = Buffer.concat([
      Buffer.from('{"keys":[],"note":"'),
      Buffer.from([0xff]),
      Buffer.from('"}'),
    ]);
    handler = (_req, res) => res.end(invalid);
    const err = await failure(fetcher().fetch(url));
    expect(err).toBeInstanceOf(JwksFetchError);
    expect(err.message).toContain('not valid');
    expect(err.retryAfterSeconds).toBe(5);
  });

  it('reports the most body bytes it ever held, not the last answer', async () => {
    const keys = fetcher({ retryAfterSeconds: 0 });
    const padded = `{"keys":[],"pad":"${'x'.repeat(500)}"}`;
    handler = (_req, res) => res.end(padded);
    await keys.fetch(url);
    handler = (_req, res) => res.end(KEYS);
    await keys.fetch(url);
    expect(keys.peakBodyBytes).toBe(padded.length);
  });

  it('tells observers of each fetch; one that throws changes nothing', async () => {
    const events: JwksFetchEvent[] = [];
    const keys = fetcher({ retryAfterSeconds: 0 });
    keys.observers.push(
      () => {
        throw new Error('telemetry broke');
      },
      (event) => events.push(event),
    );
    const before = Date.now();
    const startedAt = performance.now();
    await keys.fetch(url);
    handler = (_req, res) => res.writeHead(500).end();
    await failure(keys.fetch(url));
    const took = performance.now() - startedAt;
    expect(events.map((event) => [event.uri, event.error?.message])).toEqual([
      [url, undefined],
      [url, `Failed to fetch ${url}: status 500`],
    ]);
    for (const event of events) {
      expect(event.startedAt).toBeGreaterThanOrEqual(before);
      expect(event.startedAt).toBeLessThanOrEqual(Date.now());
      expect(event.durationMs).toBeGreaterThanOrEqual(0);
      expect(event.durationMs).toBeLessThanOrEqual(took);
    }
  });

  it('warns once when a key server starts failing and once when it is back; needs no logger', async () => {
    const warnings: string[] = [];
    const keys = fetcher({ retryAfterSeconds: 0, logger: { warn: (m) => warnings.push(m) } });
    handler = (_req, res) => res.writeHead(500).end();
    await failure(keys.fetch(url));
    await failure(keys.fetch(url));
    handler = (_req, res) => res.end(KEYS);
    await keys.fetch(url);
    await keys.fetch(url);
    expect(warnings).toEqual([
      `cognito-guard: cannot fetch signing keys from ${url}: status 500. Requests that need them get 503 until it recovers; check COGNITO_ISSUER / COGNITO_JWKS_URI if this persists`,
      `cognito-guard: signing keys at ${url} are reachable again`,
    ]);
    const silent = fetcher({ retryAfterSeconds: 0 });
    handler = (_req, res) => res.writeHead(500).end();
    expect(await failure(silent.fetch(url))).toBeInstanceOf(JwksFetchError);
    handler = (_req, res) => res.end(KEYS);
    await expect(silent.fetch(url)).resolves.toBeInstanceOf(ArrayBuffer);
  });
});
