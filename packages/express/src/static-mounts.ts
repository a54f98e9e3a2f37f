// Express calls a guard mounted at a path (`app.use('/admin', guard)`, or in a router mounted
// there) only for requests whose path starts with that path as received, undecoded. A static
// file server mounted above it (`app.use(express.static('public'))`) decodes and normalises the
// path first, so `/%61dmin/report.pdf`, `/admin%2Freport.pdf`, `//admin/report.pdf` and
// `/x/../admin/report.pdf` skip the guard and are served from `public/admin/`. The guard cannot
// decide a request it is never called for, so the first request it does see makes it look for
// such a server, and say so, once. A diagnostic only: it never decides, and never throws.

import type { Logger } from '@cognito-guard/core';
import { mountPathOf, type RouterLike, routerOf } from './router-tree';

/**
 * Builds the check for one middleware, to run once through `diagnoseOnce` with the first `req.app`.
 *
 * @example
 * ```ts
 * const checkApp = diagnoseOnce(staticMountCheck(logger, middleware));
 * checkApp(req.app); // warns once if express.static above the guard's mount serves below it
 * ```
 */
export function staticMountCheck(logger: Logger, middleware: unknown): (app: unknown) => void {
  return (app: unknown) => {
    const guarded: string[] = [];
    const statics: string[] = [];
    const visit = (router: RouterLike, prefix: string, depth: number) => {
      for (const layer of router.stack ?? []) {
        const routePath = layer.route?.path;
        if (typeof routePath === 'string') {
          // A route's literal part: `/admin/:file` guards files below `/admin`.
          const literal = routePath.split(/[:*({]/)[0]?.replace(/\/$/, '') ?? '';
          if (layer.route?.stack?.some((l) => l.handle === middleware)) {
            guarded.push(prefix + literal);
          }
          continue;
        }
        // Express 5 keeps every path of `app.use(['/a', '/b'], …)`.
        const mounts = Array.isArray(layer.rawPath) ? layer.rawPath : [mountPathOf(layer)];
        for (const mount of mounts.filter((m): m is string => typeof m === 'string')) {
          const path = prefix + mount.replace(/\/$/, '');
          if (layer.handle === middleware) guarded.push(path);
          if ((layer.handle as { name?: unknown } | undefined)?.name === 'serveStatic') {
            statics.push(path);
          }
          const inner = routerOf(layer.handle);
          if (inner !== undefined && depth < 8) visit(inner, path, depth + 1);
        }
      }
    };
    // The guard's own app, and the apps it is mounted in, each at its full mount path.
    for (const { router, prefix } of appChain(app)) visit(router, prefix, 0);
    const lower = (path: string) => path.toLowerCase();
    for (const mount of guarded) {
      const above = statics.find((at) => lower(mount).startsWith(`${lower(at)}/`));
      // Files served at the guard's own path (`app.use('/admin', guard, express.static(…))`)
      // say the app keeps them apart from the folder served above.
      const servedBelow = statics.some((at) => lower(at) === lower(mount));
      if (mount === '' || above === undefined || servedBelow) continue;
      logger.warn(
        `cognito-guard: express.static mounted at "${above || '/'}" serves files below "${mount}", where this guard is mounted. Express calls the guard only for paths that start with "${mount}" as received, while the static server decodes them first, so another spelling ("${encodedFirst(mount)}/…", "${mount}%2F…", "/${mount}/…", "/x/..${mount}/…") skips the guard and is served. Serve those files under the guard (app.use("${mount}", guard, express.static(…)), kept out of the public folder), or guard by path on the app with guardRoutes(policy) (README, "Express").`,
      );
      return;
    }
  };
}

// The mount path with its first letter percent-encoded: one spelling Express does not match.
function encodedFirst(path: string): string {
  return path.replace(/[A-Za-z]/, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

/** What the check reads of an app mounted in another (`app.use('/admin', adminApp)`). */
interface MountedAppLike {
  readonly parent?: unknown;
  readonly mountpath?: unknown;
}

// An app and the apps above it, each with the path it is mounted at below the outermost one.
// Express hides a mounted app behind a wrapper in its parent's router, but tells the app itself
// its parent and mount path.
function appChain(app: unknown): { router: RouterLike; prefix: string }[] {
  const apps: MountedAppLike[] = [];
  for (let at = app as MountedAppLike | undefined; at && apps.length < 8; ) {
    apps.push(at);
    at = at.parent as MountedAppLike | undefined;
  }
  const chain: { router: RouterLike; prefix: string }[] = [];
  let prefix = '';
  for (const at of apps.reverse()) {
    const mountpath = typeof at.mountpath === 'string' ? at.mountpath : '';
    if (at.parent !== undefined) prefix += mountpath.replace(/\/$/, '');
    const router = routerOf(at);
    if (router !== undefined) chain.push({ router, prefix });
  }
  return chain;
}
