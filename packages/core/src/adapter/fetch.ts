// What adapters over the Fetch API's `Request` (Hono, and any Web-standard framework) read the
// same way, so that none of them spells it out again.

import type { HeaderMap, RequestLike } from '../request/extract-token';
import { varyWith } from './adapter';

/**
 * The request as the guard reads it, from a Fetch `Request`: its method, its path and query as
 * they appear in its URL (never decoded), and its headers. When the server runs on Node, pass
 * its request's raw header list (so that a repeated `Authorization` header is seen as two) and
 * its parsed headers: reading `request.headers` would make some servers (@hono/node-server)
 * build a whole `Headers` object per request. For a route policy, pass the target as the server
 * or bridge received it (`receivedTarget`): the request's URL is then read as the one routed
 * (`RequestLike.routedUrl`), which a mount (Hono's `app.mount`) or a rewrite may have changed,
 * and the stricter rule of the two applies.
 *
 * @example
 * ```ts
 * const incoming = c.env?.incoming;
 * evaluate(readFetchRequest(c.req.raw, incoming?.rawHeaders, incoming?.headers));
 * ```
 */
export function readFetchRequest(
  request: Request,
  rawHeaders?: readonly string[],
  nodeHeaders?: HeaderMap,
  received?: string,
): RequestLike {
  const url = request.url;
  const start = url.indexOf('/', url.indexOf('//') + 2);
  const routed = start === -1 ? '/' : url.slice(start);
  return {
    method: request.method,
    path: received === undefined ? routed : withQuery(received, routed),
    headers: nodeHeaders ?? fetchHeaders(request.headers),
    rawHeaders,
    routedUrl: received === undefined ? undefined : routed,
  };
}

// A Lambda event's path comes without its query, which the bridge put in the Request's URL: the
// query (a method override, say) is read there.
function withQuery(received: string, routed: string): string {
  const query = routed.indexOf('?');
  return query === -1 || received.includes('?') ? received : received + routed.slice(query);
}

function fetchHeaders(source: Headers): HeaderMap {
  const headers: Record<string, string> = {};
  for (const [name, value] of source) headers[name] = value;
  return headers;
}

/**
 * Keeps a Fetch response decided for a caller out of shared caches: `Cache-Control: private`
 * unless the application set its own, and the headers a token is read from (`options.vary`)
 * named in `Vary` beside any field there. Mark the response's own headers after the handler
 * ran, so that a response the handler built itself (which never saw headers set on a
 * framework's context) is marked too. Returns `false`, having set nothing, when the headers are
 * immutable (a `fetch()` result passed through): mark a copy's then.
 *
 * @example
 * ```ts
 * await next();
 * if (!keepHeadersPrivate(c.res.headers, options.vary)) {
 *   c.res = new Response(c.res.body, c.res);
 *   keepHeadersPrivate(c.res.headers, options.vary);
 * }
 * ```
 */
export function keepHeadersPrivate(headers: Headers, fields: string): boolean {
  const vary = varyWith(headers.get('vary') ?? undefined, fields);
  try {
    if (!headers.has('cache-control')) headers.set('Cache-Control', 'private');
    headers.set('Vary', vary);
    return true;
  } catch {
    // Immutable headers refuse the first change, so nothing was set.
    return false;
  }
}
