// A policy written relative to a mount point silently falls to its default: say so. Express and
// Koa name the mount (`req.baseUrl`, `ctx.mountPath`): once per mount point. Elsewhere (a Fastify
// prefix, a Hono `app.route`, a stage or a proxy's path prefix in front of the app) nothing names
// it, so a request that matched no route is tried without its first segments: when that matches
// a route, the prefix is named, once per guard.

import type { Logger } from '../config/types';
import type { CompiledRoutePolicy } from '../policy/route-policy';

/** The route a policy gives a method and path (`$default` or `undefined` when none matched). */
export type RouteOf = (
  policy: CompiledRoutePolicy,
  method: string,
  path: string,
) => string | undefined;

/** What the warning reads of a request that matched no route of its policy. */
export interface MountNote {
  readonly method: string;
  /** In origin form, with any query. */
  readonly path: string;
  readonly mountPath: string | undefined;
}

// A prefix of more segments than this is not tried: a mount or a stage is one or two deep.
const MAX_PREFIX_SEGMENTS = 2;
// A relative policy shows on the first requests it sees; one whose defaultAction is meant to
// decide most requests pays for the tries (two route lookups each) on no more than these.
const INFERRED_TRIES = 1000;

/**
 * Builds the warning for route policies without `basePath` that match nothing under a mount.
 * Call it for a request no route matched ({@link unmatched}).
 *
 * @example
 * ```ts
 * const noteMount = createMountWarning(console, routeOf);
 * if (unmatched(chosen.route)) noteMount(compiled, { method: 'GET', path: '/api/movies', mountPath: req.baseUrl });
 * ```
 */
export function createMountWarning(
  logger: Logger,
  routeOf: RouteOf,
): (policy: CompiledRoutePolicy, note: MountNote) => void {
  const warned = new Set<string>();
  let tries = INFERRED_TRIES;
  return (policy, { method, path, mountPath }) => {
    if (policy.basePath !== undefined) return;
    if (mountPath) {
      if (warned.has(mountPath)) return;
      warned.add(mountPath);
      logger.warn(
        `cognito-guard: guardRoutes is mounted under "${mountPath}" and a request there matched no route of its policy, so defaultAction applies. If the policy's route keys are relative to "${mountPath}", set basePath: "${mountPath}" in the policy.`,
      );
      return;
    }
    // Once: the paths tried are the client's, so a stranger's probe must not flood the log.
    if (tries <= 0) return;
    tries--;
    const hint = relativeMatch(policy, method, path, routeOf);
    if (hint === undefined) return;
    tries = 0;
    logger.warn(
      `cognito-guard: ${method} ${hint.path} matched no route of its policy, so defaultAction applies, though ${hint.rest} matches its route "${hint.route}". If the policy's route keys are relative to "${hint.prefix}" (a Fastify prefix, a Hono app.route, a stage or a proxy's path prefix), set basePath: "${hint.prefix}" in the policy.`,
    );
  };
}

/**
 * Whether a chosen route is no route of the policy (its defaultAction decided).
 *
 * @example
 * ```ts
 * if (unmatched(chosen.route)) noteMount(policy, { method, path, mountPath });
 * ```
 */
export const unmatched = (route: string | undefined): boolean =>
  route === undefined || route === '$default';

// The first prefix whose removal makes the path match a route that starts with a literal segment:
// a route that starts with a parameter (`GET /{slug}`) matches most cut paths, and says nothing.
function relativeMatch(
  policy: CompiledRoutePolicy,
  method: string,
  target: string,
  routeOf: RouteOf,
) {
  const path = target.split('?', 1)[0] ?? target;
  const segments = path.split('/').slice(1);
  for (let cut = 1; cut <= MAX_PREFIX_SEGMENTS && cut < segments.length; cut++) {
    const prefix = `/${segments.slice(0, cut).join('/')}`;
    const rest = `/${segments.slice(cut).join('/')}`;
    const route = routeOf(policy, method, rest);
    if (!unmatched(route) && !route?.includes(' /{')) return { path, prefix, rest, route };
  }
  return undefined;
}
