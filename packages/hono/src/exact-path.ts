// Hono matches a middleware's path as a route: `app.use('/admin', guard)` runs for `/admin`
// alone, never for `/admin/users`, where Express's `app.use` and koa-mount take the path as a
// prefix. Users coming from either write it so, and everything below goes unguarded. The guard
// cannot refuse a request it is never called for, but from the first it is called for, it can
// read the route it was registered with and say so, once. A diagnostic only: it never decides,
// and never throws.

import type { Logger } from '@cognito-guard/core';

/** What the check reads of Hono's request (`c.req`): the routes matched, and which one runs. */
export interface MatchedRoutesLike {
  readonly matchedRoutes?: readonly { readonly method?: unknown; readonly path?: unknown }[];
  readonly routeIndex?: number;
}

/**
 * Builds the check, to run once through `diagnoseOnce` with the first `c.req` the guard sees.
 *
 * @example
 * ```ts
 * const checkRoute = diagnoseOnce(exactPathCheck(logger));
 * checkRoute(c.req); // warns once if the guard was registered with app.use('/admin', …)
 * ```
 */
export function exactPathCheck(logger: Logger): (req: MatchedRoutesLike) => void {
  return ({ matchedRoutes: routes = [], routeIndex = 0 }) => {
    const own = routes[routeIndex];
    const path = own?.path;
    // A wildcard, or a pattern that may span segments, reaches below the path.
    if (own?.method !== 'ALL' || typeof path !== 'string' || /[*{]/.test(path)) return;
    // `app.all('/admin', guard, handler)`: the guard stands before that route's own handler.
    const next = routes[routeIndex + 1];
    if (next?.method === 'ALL' && next.path === path) return;
    logger.warn(
      `cognito-guard: this guard is registered at "${path}" for every method (app.use("${path}", …)), which Hono matches as a route: it runs for "${path}" alone, never for the paths below it, as Express's app.use would. To guard "${path}" and everything below it, register it at "${path.replace(/\/$/, '')}/*" (README, "Hono").`,
    );
  };
}
