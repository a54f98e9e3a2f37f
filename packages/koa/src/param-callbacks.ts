// @koa/router puts a router's param middleware (`router.param('id', load)`) at the front of every
// layer whose path names that parameter, ahead of the middleware the layer was given. A guard on
// such a route (`router.get('/movies/:id', requireGroups(…), show)`) therefore runs after them, so
// their code (often a database load that answers 404) runs for every caller, tokenless ones too,
// and tells them which ids exist. The guard cannot run before the router calls it, so from the
// first request it sees there it looks for that and says so, once. A diagnostic only: it never
// decides, and never throws.

import type { Logger } from '@cognito-guard/core';

/** What the check reads of @koa/router's `ctx.router`: its layers' middleware stacks. */
interface RouterLike {
  readonly stack?: readonly { readonly stack?: readonly ParamMiddlewareLike[] }[];
}

/** @koa/router marks the param middleware it inserts with the parameter's name. */
interface ParamMiddlewareLike {
  readonly param?: unknown;
}

/**
 * Builds the check for one middleware, to run once through `diagnoseOnce` with the first `ctx.router`.
 *
 * @example
 * ```ts
 * const checkRouter = diagnoseOnce(paramCallbackCheck(logger, handler));
 * checkRouter(ctx.router); // warns once if param middleware runs before `handler`
 * ```
 */
export function paramCallbackCheck(logger: Logger, middleware: unknown): (router: unknown) => void {
  return (router: unknown) => {
    const ahead = new Set<string>();
    for (const layer of (router as RouterLike).stack ?? []) {
      const stack = layer.stack ?? [];
      const position = stack.indexOf(middleware as ParamMiddlewareLike);
      for (const earlier of stack.slice(0, Math.max(position, 0))) {
        if (typeof earlier.param === 'string') ahead.add(earlier.param);
      }
    }
    if (ahead.size === 0) return;
    const names = [...ahead].map((name) => `"${name}"`).join(', ');
    logger.warn(
      `cognito-guard: router.param() middleware for ${names} runs before this guard, for callers it refuses too: @koa/router puts it at the front of every route and use() path naming the parameter, ahead of the middleware given there, this guard included. Put the guard in app.use() before the router, or in router.use() without a path, or do that work in the route's handler (README, "Koa").`,
    );
  };
}
