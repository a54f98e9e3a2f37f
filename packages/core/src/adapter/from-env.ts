// The env-bound exports (`app.use(requireGroups('movies-group'))` with no configuration) and
// the process-wide guard they share. Rules and routes are separate functions so that a bundle
// using only rule guards leaves the route-policy compiler out.

import { configFromEnv } from '../config/env';
import { type Guard, withRoutes } from '../decision/guard';
import { createRuleGuard, type RuleGuard } from '../decision/rule-guard';
import type { RoutePolicy } from '../policy/route-policy';
import { DEFAULT_ADAPTER_OPTIONS, type ResolvedAdapterOptions, varyFor } from './adapter';
import type { Adapter } from './define-adapter';
import { bindRules, type RuleHandlers, routeHandler } from './handlers';
import { refuseMountedFactory } from './mounted-factory';

/**
 * An adapter's env-bound rule factories, on the process-wide guard configured from
 * `process.env` (created on first use, so a bad variable fails when the first factory is called).
 *
 * @example
 * ```ts
 * const fromEnv = envRules(adapter);
 * export const requireGroups = fromEnv.requireGroups;
 * ```
 */
export function envRules<H, O extends object, Own>(adapter: Adapter<H, O, Own>): RuleHandlers<H> {
  return bindRules(envRuleGuard, (evaluate) => {
    const guard = envRuleGuard();
    return adapter.toHandler(evaluate, envOptions(adapter, guard), guard);
  });
}

/**
 * An adapter's env-bound `guardRoutes(policy)`, on the same process-wide guard.
 *
 * @example
 * ```ts
 * export function guardRoutes(policy: RoutePolicy) {
 *   return envRoutes(adapter, policy);
 * }
 * ```
 */
export function envRoutes<H, O extends object, Own>(
  adapter: Adapter<H, O, Own>,
  policy: RoutePolicy,
): H {
  refuseMountedFactory('guardRoutes', policy);
  const guard = defaultGuard();
  return routeHandler(guard, policy, (evaluate) =>
    adapter.toHandler(evaluate, envOptions(adapter, guard), guard),
  );
}

function envOptions<Own>(
  adapter: Adapter<unknown, object, Own>,
  guard: RuleGuard,
): ResolvedAdapterOptions & Own {
  const own = adapter.own ? adapter.own.fromEnv(process.env) : ({} as Own);
  return { ...DEFAULT_ADAPTER_OPTIONS, vary: varyFor(guard.config), ...own };
}

// The env-configured guard lives here, beside the env-bound factories built on it: one rule
// guard, with route policies added on first need, so both share one verifier and one cache.
let envBase: RuleGuard | undefined;
let envGuard: Guard | undefined;

function envRuleGuard(): RuleGuard {
  envBase ??= createRuleGuard(configFromEnv(process.env));
  return envBase;
}

/**
 * Fetches the signing keys of the process-wide guard configured from `process.env` (the one the
 * env-bound factories share), so that no request pays for the fetch. Rejects with the
 * `ConfigError` naming the variable when the environment is wrong, and with a
 * `KeysUnavailableError` (503) when the keys cannot be fetched. Unlike `defaultGuard().ready()`,
 * it leaves the route-policy compiler out of a bundle that uses only rule guards.
 *
 * @example
 * ```ts
 * import { requireGroups } from '@cognito-guard/lambda';
 * export const handler = requireGroups('movies-group')(listMovies);
 * await envReady(); // at init: a cold start's first request finds the keys cached
 * ```
 */
export function envReady(): Promise<void> {
  try {
    return envRuleGuard().ready();
  } catch (err) {
    return Promise.reject(err);
  }
}

/**
 * The process-wide guard configured from `process.env` (see `configFromEnv`), created on first
 * use and shared by every adapter in the process: one verifier, one cache.
 *
 * @example
 * ```ts
 * await defaultGuard().ready();
 * ```
 */
export function defaultGuard(): Guard {
  envGuard ??= withRoutes(envRuleGuard());
  return envGuard;
}
