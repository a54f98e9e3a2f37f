// An adapter is described once, by how it turns an evaluation into its framework's handler;
// this file binds that description to an explicit configuration (`cognitoGuard(config)`).

import type { CognitoEnv } from '../config/env';
import type { GuardConfig, Offload } from '../config/types';
import { createGuard } from '../decision/guard';
import type { RuleGuard } from '../decision/rule-guard';
import {
  type AdapterOptions,
  type ErrorMode,
  type ResolvedAdapterOptions,
  splitAdapterOptions,
  varyFor,
} from './adapter';
import { type BoundGuard, bindHandlers, type Evaluate } from './handlers';
import { refuseMountedFactory } from './mounted-factory';

/**
 * Options an adapter has beyond `errors` and `privateCache` (Lambda's `claimsSource`, say): their
 * names, and how to validate them from a configuration or read them from the environment. Both
 * throw a `ConfigError` naming the option or the variable.
 */
export interface OwnOptions<Own> {
  readonly keys: readonly string[];
  fromConfig(values: Readonly<Record<string, unknown>>): Own;
  fromEnv(env: Readonly<Record<string, string | undefined>>): Own;
}

/**
 * Reads the `offload` option from the environment for the adapter's env-bound guard:
 * `verifyInWorkersFromEnv` from `@cognito-guard/core/offload`, for an adapter that serves HTTP.
 */
export type OffloadFromEnv = (env: CognitoEnv) => Offload | undefined;

/** How an adapter turns one evaluation into its framework's handler. */
export type ToHandler<H, Own> = (
  evaluate: Evaluate,
  options: ResolvedAdapterOptions & Own,
  guard: RuleGuard,
) => H;

/**
 * An adapter: the error modes it offers, how it turns an evaluation into its framework's
 * handler, and its own options. Made by {@link defineAdapter}; `O` is its options type.
 */
export interface Adapter<H, O extends object = AdapterOptions, Own = object> {
  readonly errorModes: readonly ErrorMode[];
  readonly toHandler: ToHandler<H, Own>;
  readonly own: OwnOptions<Own> | undefined;
  /** How its env-bound guard reads `COGNITO_VERIFY_THREADS`; without it, that is refused. */
  readonly offloadFromEnv?: OffloadFromEnv | undefined;
  /** Carries `O` for {@link bindGuard}'s parameter type; never set. */
  readonly options?: O;
}

/**
 * Describes an adapter by the one thing only it knows: how to turn an evaluation into its
 * framework's handler (read the request, let it through, answer the denial). {@link bindGuard},
 * {@link envRules} and {@link envRoutes} give it everything else, as separate functions so that
 * a bundle keeps only what it uses. An adapter for servers passes `verifyInWorkersFromEnv` as
 * `offloadFromEnv`, so that its env-bound guard reads `COGNITO_VERIFY_THREADS`.
 *
 * @example
 * ```ts
 * import { verifyInWorkersFromEnv } from '@cognito-guard/core/offload';
 * const toHandler = (evaluate, options) => toMiddleware(evaluate, options);
 * const adapter = defineAdapter(['respond', 'next'], toHandler, undefined, verifyInWorkersFromEnv);
 * export const cognitoGuard = (config) => bindGuard(adapter, config);
 * export const { requireGroups } = envRules(adapter);
 * ```
 */
export function defineAdapter<H, O extends AdapterOptions = AdapterOptions, Own = object>(
  errorModes: readonly ErrorMode[],
  toHandler: ToHandler<H, Own>,
  own?: OwnOptions<Own>,
  offloadFromEnv?: OffloadFromEnv,
): Adapter<H, O, Own> {
  return Object.freeze({ errorModes, toHandler, own, offloadFromEnv });
}

/**
 * An adapter's `cognitoGuard(config)`: validates the configuration (adapter options included)
 * and binds every factory to one new guard.
 *
 * @example
 * ```ts
 * export function cognitoGuard(config: GuardConfig & ExpressOptions) {
 *   return bindGuard(adapter, config);
 * }
 * ```
 */
export function bindGuard<H, O extends object, Own>(
  { errorModes, toHandler, own }: Adapter<H, O, Own>,
  config: GuardConfig & O,
): BoundGuard<H> {
  refuseMountedFactory('cognitoGuard', config);
  const { values, rest } = pick(config, own?.keys ?? []);
  const ownOptions = own ? own.fromConfig(values) : ({} as Own);
  const { adapter, core } = splitAdapterOptions(rest, errorModes);
  const guard = createGuard(core as GuardConfig);
  const options = { ...adapter, vary: varyFor(guard.config), ...ownOptions };
  const handlers = bindHandlers(
    () => guard,
    (evaluate) => toHandler(evaluate, options, guard),
  );
  return { ...handlers, guard, ready: () => guard.ready() };
}

// Splits an adapter's own options off a configuration; the copy keeps where the rest came from
// (so messages still name environment variables).
function pick<T extends object>(config: T, keys: readonly string[]) {
  const values: Record<string, unknown> = {};
  const rest = { ...config } as Record<string, unknown>;
  for (const key of keys) {
    if (key in rest) values[key] = rest[key];
    delete rest[key];
  }
  return { values, rest: rest as unknown as T };
}
