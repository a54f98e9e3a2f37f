// What adapters over Node's own request and response objects (Express, Koa, Fastify's raw
// objects) read and write the same way, so that none of them spells it out again.

import type { IncomingMessage } from 'node:http';
import type { AuthError } from '../errors/errors';
import type { RequestLike } from '../request/extract-token';
import { type SelectedRouteEvent, selectedRouteKey } from '../request/selected-route';
import { needsPrivateCache, type ResolvedAdapterOptions, renderDenial, varyWith } from './adapter';
import { keepVaryOnWriteHead, type WriteHeadResponse } from './vary-on-write-head';

/**
 * What the guard reads of a Node request: HTTP/1's `IncomingMessage`, or HTTP/2's
 * `Http2ServerRequest` (Node's compatibility API, as Fastify's `http2: true` serves), which has
 * the same.
 */
export type NodeRequestLike = Pick<IncomingMessage, 'method' | 'headers' | 'rawHeaders'>;

/** The part of Node's `ServerResponse` the helpers here write to. */
export interface NodeResponseLike extends WriteHeadResponse {
  statusCode: number;
  end(body?: string): unknown;
}

/**
 * The request as the guard reads it, from Node's `IncomingMessage`, the path as received
 * (`req.originalUrl` in Express, `ctx.originalUrl` in Koa) and, where middleware may have
 * rewritten it, the URL the router will match below the mount path (`req.url`). The method
 * before an override (`req.originalMethod`) and a parsed body (`req.body` unless given, as Koa's
 * `ctx.request.body` is) come along, for route policies to read the methods they name. On a
 * Lambda, so does the route API Gateway selected, from the event: serverless-http puts it at
 * `req.apiGateway.event`; a bridge that puts it elsewhere (@fastify/aws-lambda, at
 * `request.awsLambda.event`) passes it as `event`.
 *
 * @example
 * ```ts
 * evaluate(readIncoming(req, req.originalUrl, req.url), { mountPath: req.baseUrl });
 * ```
 */
export function readIncoming(
  req: NodeRequestLike & {
    readonly originalMethod?: string;
    readonly body?: unknown;
    readonly apiGateway?: { readonly event?: SelectedRouteEvent | null } | null;
  },
  path: string,
  routedUrl?: string,
  body: unknown = req.body,
  event: SelectedRouteEvent | null | undefined = req.apiGateway?.event,
): RequestLike {
  return {
    method: req.method ?? 'GET',
    path,
    headers: req.headers,
    rawHeaders: req.rawHeaders,
    routedUrl,
    originalMethod: req.originalMethod,
    body,
    routeKey: event ? selectedRouteKey(event) : undefined,
  };
}

/**
 * The request as a rule reads it: the caller's headers, with the method and path as received for
 * the decision's record. What only a route policy reads (the URL below the mount, the method
 * before an override, the body, the route API Gateway selected) is left unread, since reading it
 * costs every request something: for a route policy, use {@link readIncoming}.
 *
 * @example
 * ```ts
 * const request = evaluate.readsRoute
 *   ? readIncoming(req, req.originalUrl, req.url)
 *   : readCaller(req, req.originalUrl);
 * ```
 */
export function readCaller(req: NodeRequestLike, path: string): RequestLike {
  // The fields readIncoming sets, in its order, so that both requests have one shape.
  return {
    method: req.method ?? 'GET',
    path,
    headers: req.headers,
    rawHeaders: req.rawHeaders,
    routedUrl: undefined,
    originalMethod: undefined,
    body: undefined,
    routeKey: undefined,
  };
}

/**
 * Whether a value a bridge hands over is a Node response the helpers here can write to, such as
 * `c.env.outgoing` on `@hono/node-server`: a bridge that names its own may put anything there.
 *
 * @example
 * ```ts
 * if (isNodeResponse(c.env?.outgoing)) keepPrivate(c.env.outgoing, decision, options);
 * ```
 */
export function isNodeResponse(value: unknown): value is NodeResponseLike {
  const res = value as Partial<NodeResponseLike> | null | undefined;
  return (
    typeof res?.writeHead === 'function' &&
    typeof res.setHeader === 'function' &&
    typeof res.getHeader === 'function' &&
    typeof res.end === 'function'
  );
}

/**
 * Keeps an allowed answer out of shared caches when it was decided for a caller (and
 * `privateCache` is on): `Cache-Control: private` and `Vary` naming the headers a token is read
 * from (`options.vary`), keeping any `Vary` already set, and naming them again when the headers
 * are written, whatever the application set `Vary` to since. The application's own
 * `Cache-Control`, set later, wins.
 *
 * @example
 * ```ts
 * if (decision.allowed) keepPrivate(res, decision, options);
 * ```
 */
export function keepPrivate(
  res: NodeResponseLike,
  decision: { readonly principal: unknown },
  options: ResolvedAdapterOptions,
): void {
  if (!needsPrivateCache(decision, options)) return;
  res.setHeader('Cache-Control', 'private');
  res.setHeader('Vary', varyWith(res.getHeader('Vary'), options.vary));
  keepVaryOnWriteHead(res, options.vary);
}

/**
 * Answers a denial on a Node response: the status, headers and JSON body every surface sends.
 *
 * @example
 * ```ts
 * if (!decision.allowed) return sendDenial(res, decision.error);
 * ```
 */
export function sendDenial(res: NodeResponseLike, error: AuthError): void {
  const denial = renderDenial(error);
  res.statusCode = denial.status;
  for (const [name, value] of Object.entries(denial.headers)) res.setHeader(name, value);
  res.end(denial.body);
}
