// A factory used as a handler itself rather than the handler it returns (`app.use(authenticate)`,
// `export const handler = requireGroups`) is called by the framework with its request. Read as
// options or a policy, the request made a message listing each of its properties as an unknown
// option, on every request. Say instead what happened, in one line.

import { ConfigError } from '../config/config-error';

// What every framework's request or context has, and no option object, rule or policy does:
// Express, Fastify, Node and Fetch requests and API Gateway or ALB events have `headers`; Koa's
// and Hono's contexts have `req`; a Lambda event without headers has `requestContext`, and an
// authorizer's event a `methodArn` (REST) or `routeArn` (HTTP API).
const REQUEST_KEYS = ['headers', 'req', 'requestContext', 'methodArn', 'routeArn'];

/**
 * Throws a `ConfigError` when the first argument of a handler factory (or of `cognitoGuard`) is a
 * framework's request or context: the factory itself was used as a handler, not the one it
 * returns.
 *
 * @example
 * ```ts
 * refuseMountedFactory('authenticate', req); // as when `app.use(authenticate)` calls it
 * // ConfigError: Invalid authenticate: arguments: got a request: authenticate itself was used as
 * // a handler; use the one authenticate(…) returns
 * ```
 */
export function refuseMountedFactory(factory: string, first: unknown): void {
  if (!isRequestLike(first)) return;
  throw new ConfigError(factory, [
    {
      field: 'arguments',
      message: `got a request: ${factory} itself was used as a handler; use the one ${factory}(…) returns`,
    },
  ]);
}

/**
 * True for a framework's request or context, or a Lambda event: what a handler is called with.
 *
 * @example
 * ```ts
 * isRequestLike({ headers: {}, requestContext: {} }); // true: an API Gateway event
 * isRequestLike({ optional: true }); // false
 * ```
 */
export function isRequestLike(value: unknown): boolean {
  return typeof value === 'object' && value !== null && REQUEST_KEYS.some((key) => key in value);
}
