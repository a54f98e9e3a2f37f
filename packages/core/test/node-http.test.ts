// What the Node adapters read of a request and write on an answer. A rule reads the caller
// through readCaller, a route policy everything through readIncoming: both must read the
// caller the same, so that a rule and a route policy decide on the same method, path and headers.

import { once } from 'node:events';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import fc from 'fast-check';
import {
  DEFAULT_ADAPTER_OPTIONS,
  keepPrivate,
  type ResolvedAdapterOptions,
  readCaller,
  readIncoming,
} from '../src/subpaths/adapter';

const method = fc.option(fc.constantFrom('GET', 'POST', 'DELETE', 'get', 'PATCH'), {
  nil: undefined,
});
const header = fc.tuple(
  fc.constantFrom('authorization', 'cookie', 'x-amzn-oidc-accesstoken', 'origin'),
  fc.string({ maxLength: 20 }),
);

describe('readCaller and readIncoming', () => {
  it('read the same caller; only readIncoming reads what a route policy needs', () => {
    fc.assert(
      fc.property(method, fc.webPath(), fc.array(header, { maxLength: 4 }), (m, path, pairs) => {
        const req = {
          method: m,
          headers: Object.fromEntries(pairs),
          rawHeaders: pairs.flat(),
          originalMethod: 'POST',
          body: { _method: 'DELETE' },
        };
        const caller = readCaller(req, path);
        const full = readIncoming(req, path, '/routed', req.body, null);
        expect(caller).toEqual({
          ...full,
          routedUrl: undefined,
          originalMethod: undefined,
          body: undefined,
          routeKey: undefined,
        });
        // One shape for both, so that the engine keeps one hidden class for requests.
        expect(Object.keys(caller)).toEqual(Object.keys(full));
        expect(caller.method).toBe(m ?? 'GET');
      }),
    );
  });
});

describe('keepPrivate', () => {
  // The headers a real Node server sends after keepPrivate ran for a decision like this one; a
  // keepPrivate that throws is answered 500, so that the test fails rather than waits.
  async function answerHeaders(
    decision: { principal: unknown },
    options: ResolvedAdapterOptions,
    vary?: string,
  ): Promise<Record<string, string>> {
    const server = createServer((_req, res) => {
      try {
        if (vary !== undefined) res.setHeader('Vary', vary);
        keepPrivate(res, decision, options);
        res.end('ok');
      } catch (err) {
        res.writeHead(500).end(String(err));
      }
    }).listen(0, '127.0.0.1');
    await once(server, 'listening');
    try {
      const { port } = server.address() as AddressInfo;
      const answer = await fetch(`http://127.0.0.1:${port}/`);
      expect([answer.status, await answer.text()]).toEqual([200, 'ok']);
      return Object.fromEntries(answer.headers);
    } finally {
      server.close();
    }
  }

  it('marks an answer decided for a caller, and leaves any other as it is', async () => {
    const forCaller = await answerHeaders({ principal: {} }, DEFAULT_ADAPTER_OPTIONS);
    expect(forCaller).toMatchObject({ 'cache-control': 'private', vary: 'Authorization' });
    // A Vary set before is kept, and joined.
    expect(await answerHeaders({ principal: {} }, DEFAULT_ADAPTER_OPTIONS, 'Origin')).toMatchObject(
      { vary: 'Origin, Authorization' },
    );
    // A public route, or an anonymous caller: nothing about the answer depends on a token.
    const anonymous = await answerHeaders({ principal: undefined }, DEFAULT_ADAPTER_OPTIONS);
    const optedOut = await answerHeaders(
      { principal: {} },
      { ...DEFAULT_ADAPTER_OPTIONS, privateCache: false },
    );
    for (const headers of [anonymous, optedOut]) {
      expect(headers).not.toHaveProperty('cache-control');
      expect(headers).not.toHaveProperty('vary');
    }
  });
});
