// Express matches `app.use('/admin', guard)` with the case sensitivity of the router that holds
// it, and every `express.Router()` folds case unless created with `{ caseSensitive: true }`,
// whatever the app's `case sensitive routing`. In a case-sensitive app, `/ADMIN/users` then skips
// the guard and still runs a sub-router's `/admin/users`. The guard cannot decide a request it is
// never called for, so the first request it does see makes it look for such a router, and say
// so, once. A diagnostic only: it never decides, and never throws.

import type { Logger } from '@cognito-guard/core';
import { mountPathOf, type RouterLike, routerOf } from './router-tree';

/**
 * Builds the check for one middleware, to run once through `diagnoseOnce` with the first `req.app`.
 *
 * @example
 * ```ts
 * const checkApp = diagnoseOnce(routerCaseCheck(logger, middleware));
 * checkApp(req.app); // warns once if `middleware` is a skippable app.use(path) guard
 * ```
 */
export function routerCaseCheck(logger: Logger, middleware: unknown): (app: unknown) => void {
  return (app: unknown) => {
    let own: { sensitive: boolean; path: string } | undefined;
    let folding = false;
    const visit = (router: RouterLike, depth: number) => {
      for (const layer of router.stack ?? []) {
        if (layer.handle === middleware && layer.route === undefined) {
          own = { sensitive: router.caseSensitive === true, path: mountPathOf(layer) };
        }
        const inner = routerOf(layer.handle);
        if (inner === undefined || depth > 8) continue;
        if (inner.caseSensitive !== true && inner.stack?.some((l) => l.route)) folding = true;
        visit(inner, depth + 1);
      }
    };
    const root = routerOf(app);
    if (root !== undefined) visit(root, 0);
    // Only a path with letters in it has another casing.
    if (own?.sensitive && /[a-z]/i.test(own.path) && folding) {
      logger.warn(
        `cognito-guard: this guard is mounted with app.use("${own.path}") in a case-sensitive router, while a router below it (express.Router() without { caseSensitive: true }) matches its routes in any case, so a request with another casing ("${own.path.toUpperCase()}/…") runs them without the guard. Create every router with { caseSensitive: true }, or put the guard on the routes, on the router, or on the app without a path (README, "Express").`,
      );
    }
  };
}
