// @koa/router matches a router's own middleware (`router.use(guard)`) against its prefix, or a
// parent's mount path, case-sensitively, and its routes case-insensitively unless the router is
// `sensitive`: then `/API/x` runs the route `/api/x` without the guard. The guard cannot decide a
// request it is never called for, so the first request it does see from such a router makes it
// say so, once. A diagnostic only: it never decides, and never throws.

import type { Logger } from '@cognito-guard/core';

/** What the check reads of @koa/router's `ctx.router` (its layers). */
interface RouterLike {
  readonly stack?: readonly {
    readonly methods?: readonly string[];
    readonly regexp?: RegExp;
    readonly stack?: readonly unknown[];
  }[];
}

/**
 * Builds the check for one middleware, to run once through `diagnoseOnce` with the first `ctx.router`.
 *
 * @example
 * ```ts
 * const checkRouter = diagnoseOnce(routerCaseCheck(logger, handler));
 * checkRouter(ctx.router); // warns once if `handler` is a skippable router.use() middleware
 * ```
 */
export function routerCaseCheck(logger: Logger, middleware: unknown): (router: unknown) => void {
  return (router: unknown) => {
    const layers = (router as RouterLike).stack ?? [];
    const own = layers.find((l) => l.methods?.length === 0 && l.stack?.includes(middleware));
    const caseSensitive = (l: { readonly regexp?: RegExp }) => !l.regexp?.flags.includes('i');
    // Only a prefix with letters in it has another casing (no prefix: `^(?:\/|$)`).
    const casedPrefix = /[a-z]/i.test(own?.regexp?.source ?? '');
    const foldingRoute = layers.some((l) => (l.methods?.length ?? 0) > 0 && !caseSensitive(l));
    if (own !== undefined && caseSensitive(own) && casedPrefix && foldingRoute) {
      logger.warn(
        'cognito-guard: this guard runs in router.use() of a @koa/router router that matches its own middleware case-sensitively and its routes case-insensitively, so a request with another casing of the prefix ("/API/…") runs the route without the guard. Create the router, and any router it is nested in, with sensitive: true, or put the guard on the routes or on the app (README, "Koa").',
      );
    }
  };
}
