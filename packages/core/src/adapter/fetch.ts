// What adapters over the Fetch API's `Request` (Hono, and any Web-standard framework) read the
// same way, so that none of them spells it out again.

import type { RequestLike } from '../request/extract-token';

/**
 * The request as the guard reads it, from a Fetch `Request`: its method, its path and query as
 * they appear in its URL (never decoded), and its headers. Pass the raw header list when the
 * server has it (Node's `rawHeaders`), so that a repeated `Authorization` header is seen as two.
 *
 * @example
 * ```ts
 * evaluate(readFetchRequest(c.req.raw, c.env?.incoming?.rawHeaders));
 * ```
 */
export function readFetchRequest(request: Request, rawHeaders?: readonly string[]): RequestLike {
  const url = request.url;
  const start = url.indexOf('/', url.indexOf('//') + 2);
  const headers: Record<string, string> = {};
  for (const [name, value] of request.headers) headers[name] = value;
  return {
    method: request.method,
    path: start === -1 ? '/' : url.slice(start),
    headers,
    rawHeaders,
  };
}
