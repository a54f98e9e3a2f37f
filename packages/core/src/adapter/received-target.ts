// An app can be handed a request whose URL is not the one the client sent: Hono's `app.mount`
// hands its app a new `Request` without the prefix, an app can dispatch itself again with a
// rewritten URL, an Express app can mount another framework's app (a Koa app's callback,
// @hono/node-server's listener) below a path, taking the prefix off Node's `req.url`. A route
// policy reads the target as received beside the URL the app routes; an Express mount, which
// names its prefix, is read as a mount, as in an Express sub-app.

/** The target a request was received with, and the prefix a mount that names it took off. */
export interface ReceivedTarget {
  readonly target: string;
  /** An outer Express app's mount path (`req.baseUrl`), when one mounted the app. */
  readonly mountPath?: string | undefined;
}

/** What a Fetch server or bridge keeps of the request it received. */
export interface ReceivedFrom {
  /** @hono/node-server's `c.env.incoming`: Node's request. */
  readonly incoming?: object | undefined;
  /** hono/aws-lambda's `c.env.event`: the Lambda event. */
  readonly event?:
    | {
        readonly rawPath?: unknown;
        readonly path?: unknown;
        readonly requestContext?: { readonly http?: unknown } | null;
      }
    | undefined;
}

/** What an Express app that mounted another framework's app leaves on Node's request (`req`). */
export interface ExpressMounted {
  readonly originalUrl?: unknown;
  readonly baseUrl?: unknown;
  readonly url?: unknown;
}

/**
 * The target a Fetch request was received with: Node's `url` (Express's `originalUrl`, and its
 * mount path, when an Express app mounted the server), or the path a Lambda bridge built the
 * `Request` from (an HTTP API's `rawPath`, else `path`, as hono/aws-lambda reads them);
 * `undefined` when neither says.
 *
 * @example
 * ```ts
 * receivedTarget({ incoming: { url: '/admin/users?page=2' } }); // { target: '/admin/users?page=2' }
 * receivedTarget({ event: { rawPath: '/admin/users', requestContext: { http: {} } } }); // { target: '/admin/users' }
 * ```
 */
export function receivedTarget(from: ReceivedFrom | undefined): ReceivedTarget | undefined {
  const { incoming, event } = from ?? {};
  if (incoming) {
    const outer = expressMount(incoming);
    if (outer) return outer;
    const target = targetOf((incoming as ExpressMounted).url);
    return target === undefined ? undefined : { target };
  }
  if (!event) return undefined;
  const v2 = typeof event.rawPath === 'string' && event.requestContext?.http !== undefined;
  const target = targetOf(v2 ? event.rawPath : event.path);
  return target === undefined ? undefined : { target };
}

/**
 * The target received and the path an outer Express app's mount took off Node's `req.url`, when
 * an Express app handled the request before this app (`app.use('/admin', koaApp.callback())`
 * sets `originalUrl` and `baseUrl`); `undefined` otherwise. The app's own mount path goes after
 * that `mountPath`.
 *
 * @example
 * ```ts
 * const outer = expressMount(ctx.req); // { target: '/admin/users', mountPath: '/admin' }
 * readIncoming(ctx.req, outer?.target ?? ctx.originalUrl, ctx.url);
 * ```
 */
export function expressMount(
  req: object,
): { readonly target: string; readonly mountPath: string } | undefined {
  const { originalUrl, baseUrl } = req as ExpressMounted;
  const target = targetOf(originalUrl);
  if (target === undefined) return undefined;
  return { target, mountPath: typeof baseUrl === 'string' ? baseUrl : '' };
}

function targetOf(value: unknown): string | undefined {
  return typeof value === 'string' && (value.startsWith('/') || /^https?:\/\//i.test(value))
    ? value
    : undefined;
}
