// What the adapter's diagnostics read of an Express 4 or 5 app: its routers and their layers.
// Private fields that both versions share; a diagnostic that finds another shape says nothing.

/** A router (or a mounted app's router): its layers and its param callbacks. */
export interface RouterLike {
  readonly caseSensitive?: boolean;
  readonly stack?: readonly LayerLike[];
  /** `app.param` / `router.param` callbacks by parameter name. */
  readonly params?: Readonly<Record<string, readonly unknown[] | undefined>>;
}

/** One layer of a router: a middleware, a mounted router, or a route. */
export interface LayerLike {
  readonly handle?: unknown;
  readonly route?: {
    readonly path?: unknown;
    readonly stack?: readonly { readonly handle?: unknown }[];
  };
  /** Express 5 keeps the path; Express 4 its regular expression and its parameter names. */
  readonly rawPath?: unknown;
  readonly regexp?: RegExp;
  readonly keys?: readonly { readonly name: string | number }[];
}

/**
 * The router behind a layer's handle: a router itself (`handle.stack`), or an app's router,
 * Express 4's `_router` (its `app.router` throws) or Express 5's `router`.
 *
 * @example
 * ```ts
 * const root = routerOf(req.app);
 * for (const layer of root?.stack ?? []) visit(routerOf(layer.handle));
 * ```
 */
export function routerOf(handle: unknown): RouterLike | undefined {
  if (typeof handle !== 'function') return undefined;
  const candidate = handle as RouterLike & { _router?: RouterLike; router?: RouterLike };
  if (Array.isArray(candidate.stack)) return candidate;
  if ('lazyrouter' in candidate) return candidate._router;
  return 'handle' in candidate && 'set' in candidate ? candidate.router : undefined;
}

/**
 * The path a middleware layer is mounted at, as written (`''` or `'/'` at the root): Express 5
 * keeps it; Express 4 only its regular expression, which this reads back.
 *
 * @example
 * ```ts
 * mountPathOf(layer); // '/admin' for app.use('/admin', guard), in Express 4 and 5
 * ```
 */
export function mountPathOf(layer: LayerLike): string {
  if (typeof layer.rawPath === 'string') return layer.rawPath;
  return layer.regexp?.source.replace(/^\^|\\\/\?\(\?=.*$/g, '').replace(/\\\//g, '/') ?? '';
}
