// Express runs a router's param callbacks (`app.param('id', load)`, `router.param(…)`) when a
// layer whose path names that parameter matches, before that layer's own handlers. A guard on
// such a route (`app.get('/movies/:id', requireGroups(…), show)`), or mounted at such a path, runs
// after them, so their code (often a database load that answers 404) runs for every caller,
// tokenless ones too, and tells them which ids exist. The guard cannot run before Express calls
// it, so from the first request it sees it looks for that and says so, once. A diagnostic only: it
// never decides, and never throws.

import type { Logger } from '@cognito-guard/core';
import { type LayerLike, type RouterLike, routerOf } from './router-tree';

/**
 * Builds the check for one middleware, to run once through `diagnoseOnce` with the first `req.app`.
 *
 * @example
 * ```ts
 * const checkApp = diagnoseOnce(paramCallbackCheck(logger, middleware));
 * checkApp(req.app); // warns once if param callbacks run before `middleware`
 * ```
 */
export function paramCallbackCheck(logger: Logger, middleware: unknown): (app: unknown) => void {
  return (app: unknown) => {
    const ahead = new Set<string>();
    const visit = (router: RouterLike, hookedAbove: readonly string[], depth: number) => {
      for (const layer of router.stack ?? []) {
        const hooked = [
          ...hookedAbove,
          ...paramNames(layer).filter((name) => (router.params?.[name]?.length ?? 0) > 0),
        ];
        const holdsGuard =
          layer.handle === middleware || layer.route?.stack?.some((l) => l.handle === middleware);
        if (holdsGuard) for (const name of hooked) ahead.add(name);
        const inner = routerOf(layer.handle);
        if (inner !== undefined && depth < 8) visit(inner, hooked, depth + 1);
      }
    };
    const root = routerOf(app);
    if (root !== undefined) visit(root, [], 0);
    if (ahead.size === 0) return;
    const names = [...ahead].map((name) => `"${name}"`).join(', ');
    logger.warn(
      `cognito-guard: param callbacks for ${names} (app.param or router.param) run before this guard, for callers it refuses too: Express runs them as soon as a route or mount path naming the parameter matches, before its handlers, and this guard is one of those handlers. Put the guard in app.use() or router.use() without a path, before the routes, or do that work in the route's handler (README, "Express").`,
    );
  };
}

// Express 4 keeps a layer's parameter names (`keys`); Express 5 only its path, in
// path-to-regexp 8's syntax (`:id`, `*rest`, `:"quoted"`) or as a regular expression.
function paramNames(layer: LayerLike): string[] {
  if (Array.isArray(layer.keys)) return layer.keys.map((key) => String(key.name));
  const paths = Array.isArray(layer.rawPath) ? layer.rawPath : [layer.rawPath];
  return paths.flatMap((path) => {
    if (typeof path === 'string') {
      return [...path.matchAll(PATH_PARAMETER)].flatMap((m) => m[1] ?? m[2] ?? []);
    }
    if (!(path instanceof RegExp)) return [];
    let position = 0;
    return [...path.source.matchAll(REGEXP_GROUP)].map((m) => m[1] ?? String(position++));
  });
}

const PATH_PARAMETER =
  /\\.|[:*](?:"((?:\\.|[^"\\])*)"|([$_\p{ID_Start}](?:[$\p{ID_Continue}]|\u200c|\u200d)*))/gu;
// The capturing groups Express 5's router numbers for a regular-expression path.
const REGEXP_GROUP = /\((?:\?<(.*?)>)?(?!\?)/g;
