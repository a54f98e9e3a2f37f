// An app can be handed a request whose URL is not the one the client sent: Hono's `app.mount`
// hands its app a new `Request` without the prefix, an app can dispatch itself again with a
// rewritten URL, an Express app can mount another framework's app (a Koa app's callback,
// @hono/node-server's listener) below a path, taking the prefix off Node's `req.url`. A route
// policy reads the target as received beside the URL the app routes.

/** What a Fetch server or bridge keeps of the request it received. */
export interface ReceivedFrom {
  /** @hono/node-server's `c.env.incoming`: Node's request (with Express's `originalUrl`). */
  readonly incoming?: { readonly url?: unknown; readonly originalUrl?: unknown } | undefined;
  /** hono/aws-lambda's `c.env.event`: the Lambda event. */
  readonly event?:
    | {
        readonly rawPath?: unknown;
        readonly path?: unknown;
        readonly requestContext?: { readonly http?: unknown } | null;
      }
    | undefined;
}

/**
 * The request target as the server received it (Node's `url`, or Express's `originalUrl` when
 * an Express app mounted the server), or the path a Lambda bridge built the `Request` from (an
 * HTTP API's `rawPath`, else `path`, as hono/aws-lambda reads them); `undefined` when neither
 * says.
 *
 * @example
 * ```ts
 * receivedTarget({ incoming: { url: '/admin/users?page=2' } }); // '/admin/users?page=2'
 * receivedTarget({ event: { version: '2.0', rawPath: '/admin/users', requestContext: { http: {} } } });
 * ```
 */
export function receivedTarget(from: ReceivedFrom | undefined): string | undefined {
  if (from?.incoming) return targetOf(from.incoming.originalUrl ?? from.incoming.url);
  const event = from?.event;
  if (!event) return undefined;
  const v2 = typeof event.rawPath === 'string' && event.requestContext?.http !== undefined;
  return targetOf(v2 ? event.rawPath : event.path);
}

function targetOf(value: unknown): string | undefined {
  return typeof value === 'string' && (value.startsWith('/') || /^https?:\/\//i.test(value))
    ? value
    : undefined;
}

/** What an Express app that mounted another framework's app leaves on Node's request (`req`). */
export interface ExpressMounted {
  readonly originalUrl?: unknown;
  readonly baseUrl?: unknown;
}

/**
 * The target received and the path an outer Express app's mount took off Node's `req.url`, when
 * an Express app mounted this one (`app.use('/admin', koaApp.callback())` sets `originalUrl` and
 * `baseUrl`); `undefined` otherwise. The app's own mount path goes after that `mountPath`.
 *
 * @example
 * ```ts
 * const outer = expressMount(ctx.req); // { received: '/admin/users', mountPath: '/admin' }
 * readIncoming(ctx.req, outer?.received ?? ctx.originalUrl, ctx.url);
 * ```
 */
export function expressMount(
  req: object,
): { readonly received: string; readonly mountPath: string } | undefined {
  const { originalUrl, baseUrl } = req as ExpressMounted;
  const received = targetOf(originalUrl);
  if (received === undefined) return undefined;
  return { received, mountPath: typeof baseUrl === 'string' ? baseUrl : '' };
}
