// What the Node adapters read of a request and write on an answer. A rule reads the caller
// through readCaller, a route policy everything through readIncoming: both must read the
// caller the same, so that a rule and a route policy decide on the same method, path and headers.

import fc from 'fast-check';
import {
  DEFAULT_ADAPTER_OPTIONS,
  keepPrivate,
  type NodeResponseLike,
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
  // A response that records what is set on it, as Node's does.
  const response = () => {
    const headers = new Map<string, unknown>();
    const res: NodeResponseLike & { headers: Map<string, unknown> } = {
      headers,
      statusCode: 200,
      setHeader: (name: string, value: unknown) => headers.set(name.toLowerCase(), value),
      getHeader: (name: string) => headers.get(name.toLowerCase()),
      writeHead: () => res,
      end: () => undefined,
    } as never;
    return res;
  };

  it('marks an answer decided for a caller, and leaves any other as it is', () => {
    const forCaller = response();
    keepPrivate(forCaller, { principal: {} }, DEFAULT_ADAPTER_OPTIONS);
    expect(Object.fromEntries(forCaller.headers)).toEqual({
      'cache-control': 'private',
      vary: 'Authorization',
    });
    // A public route, or an anonymous caller: nothing about the answer depends on a token.
    const anonymous = response();
    keepPrivate(anonymous, { principal: undefined }, DEFAULT_ADAPTER_OPTIONS);
    expect(anonymous.headers.size).toBe(0);
    const optedOut = response();
    keepPrivate(optedOut, { principal: {} }, { ...DEFAULT_ADAPTER_OPTIONS, privateCache: false });
    expect(optedOut.headers.size).toBe(0);
  });
});
