// A policy written relative to a sub-router silently falls to its default: say so, once per
// mount point.

import type { Logger } from '../config/types';
import type { CompiledRoutePolicy } from '../policy/route-policy';

/**
 * Builds the once-per-mount warning for route policies without `basePath`.
 *
 * @example
 * ```ts
 * const noteMount = createMountWarning(console);
 * noteMount(compiled, req.baseUrl, decision.route);
 * ```
 */
export function createMountWarning(
  logger: Logger,
): (policy: CompiledRoutePolicy, mountPath: string | undefined, route?: string) => void {
  const warned = new Set<string>();
  return (policy, mountPath, route) => {
    if (!mountPath || policy.basePath !== undefined) return;
    if (route !== undefined && route !== '$default') return;
    if (warned.has(mountPath)) return;
    warned.add(mountPath);
    logger.warn(
      `cognito-guard: guardRoutes is mounted under "${mountPath}" and a request there matched no route of its policy, so defaultAction applies. If the policy's route keys are relative to "${mountPath}", set basePath: "${mountPath}" in the policy.`,
    );
  };
}
