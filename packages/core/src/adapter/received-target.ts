// A Fetch app can be handed a `Request` whose URL is not the one the client sent: Hono's
// `app.mount` takes its prefix off, an app can dispatch itself again with a rewritten URL, an
// Express app can mount @hono/node-server's listener below a path. A route policy reads the
// target as received beside the URL the app routes, as it reads a rewrite on every other surface.

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
