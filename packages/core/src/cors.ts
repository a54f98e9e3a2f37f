// CORS preflights carry no credentials by design (Fetch spec), so guards let them through.

import type { RequestLike } from './extract-token';

/**
 * Tells whether a request is a CORS preflight: `OPTIONS` with `Origin` and
 * `Access-Control-Request-Method`. Browsers never attach `Authorization` to these.
 *
 * @example
 * ```ts
 * if (isCorsPreflight(request)) return next();
 * ```
 */
export function isCorsPreflight(request: RequestLike): boolean {
  return (
    request.method.toUpperCase() === 'OPTIONS' &&
    request.headers['origin'] !== undefined &&
    request.headers['access-control-request-method'] !== undefined
  );
}
