// The env-bound exports (`app.use(requireGroups('movies-group'))` with no configuration) and
// the process-wide guard they share. Rules and routes are separate functions so that a bundle
// using only rule guards leaves the route-policy compiler out.

import { ConfigError } from '../config/config-error';
import { type CognitoEnv, configFromEnv, VERIFY_THREADS_VARIABLE } from '../config/env';
import type { GuardConfig } from '../config/types';
import { type Guard, withRoutes } from '../decision/guard';
import { createRuleGuard, type RuleGuard } from '../decision/rule-guard';
import type { RoutePolicy } from '../policy/route-policy';
import { DEFAULT_ADAPTER_OPTIONS, type ResolvedAdapterOptions, varyFor } from './adapter';
import type { Adapter, OffloadFromEnv } from './define-adapter';
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
  const guardOf = () => envRuleGuard(adapter.offloadFromEnv);
  return bindRules(guardOf, (evaluate) => {
    const guard = guardOf();
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
  const guard = envGuard(adapter.offloadFromEnv);
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
let envWithRoutes: Guard | undefined;

// The first caller builds it: an adapter for servers hands over how to read
// COGNITO_VERIFY_THREADS; any other caller (the Lambda adapter, `defaultGuard()`) refuses the
// variable rather than ignore it.
function envRuleGuard(offloadFromEnv: OffloadFromEnv | undefined): RuleGuard {
  envBase ??= createRuleGuard(envConfig(process.env, offloadFromEnv));
  return envBase;
}

function envGuard(offloadFromEnv: OffloadFromEnv | undefined): Guard {
  envWithRoutes ??= withRoutes(envRuleGuard(offloadFromEnv));
  return envWithRoutes;
}

function envConfig(env: CognitoEnv, offloadFromEnv: OffloadFromEnv | undefined): GuardConfig {
  const config = configFromEnv(env);
  if (offloadFromEnv === undefined) {
    if (env[VERIFY_THREADS_VARIABLE]?.trim()) {
      throw new ConfigError('environment', [
        {
          field: VERIFY_THREADS_VARIABLE,
          message:
            'is read only by the env-bound guards of Express, Koa, Fastify and Hono: unset it',
        },
      ]);
    }
    return config;
  }
  const offload = offloadFromEnv(env);
  return offload === undefined ? config : { ...config, offload };
}

/**
 * Fetches the signing keys of the process-wide guard configured from `process.env` (the one the
 * env-bound factories share), so that no request pays for the fetch. Rejects with the
 * `ConfigError` naming the variable when the environment is wrong, and with a
 * `KeysUnavailableError` (503) when the keys cannot be fetched. Unlike `defaultGuard().ready()`,
 * it leaves the route-policy compiler out of a bundle that uses only rule guards. An adapter
 * passes itself, so that a guard this call builds reads the environment as its factories would.
 *
 * @example
 * ```ts
 * import { requireGroups } from '@cognito-guard/lambda';
 * export const handler = requireGroups('movies-group')(listMovies);
 * await envReady(); // at init: a cold start's first request finds the keys cached
 * ```
 */
export function envReady(adapter?: Pick<Adapter<unknown>, 'offloadFromEnv'>): Promise<void> {
  try {
    return envRuleGuard(adapter?.offloadFromEnv).ready();
  } catch (err) {
    return Promise.reject(err);
  }
}

/**
 * The process-wide guard configured from `process.env` (see `configFromEnv`), created on first
 * use and shared by every adapter in the process: one verifier, one cache. Built here first,
 * it refuses `COGNITO_VERIFY_THREADS`, which only an adapter's env-bound guards read.
 *
 * @example
 * ```ts
 * await defaultGuard().ready();
 * ```
 */
export function defaultGuard(): Guard {
  return envGuard(undefined);
}
