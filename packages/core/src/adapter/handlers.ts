// The one place that turns rule factories into framework handlers, so each adapter only has to
// say how to read its request and how to act on a decision.

import { sameSource } from '../config/config-source';
import { configFromEnv } from '../config/env';
import type { GuardConfig } from '../config/types';
import type { Decision } from '../decision/decision';
import { type CheckOptions, createGuard, type Guard } from '../decision/guard';
import type { RoutePolicy } from '../policy/route-policy';
import {
  type NameList,
  type Predicate,
  type Rule,
  requireAllGroups,
  requireClaim,
  requireGroups,
  requireScopes,
  toRule,
} from '../policy/rules';
import type { RequestLike } from '../request/extract-token';
import {
  type AdapterOptions,
  DEFAULT_ADAPTER_OPTIONS,
  type ErrorMode,
  type ResolvedAdapterOptions,
  splitAdapterOptions,
} from './adapter';

/** Options of `authenticate()`. */
export interface AuthenticateOptions {
  /** Let requests without a token through anonymously. Default false. */
  readonly optional?: boolean;
}

/**
 * Decides about one request. `previous` is whatever an earlier middleware left where the
 * principal lives (`req.auth`, `ctx.state.auth`): the guard reuses it only when cognito-guard
 * built it from the same token under settings this guard accepts.
 */
export type Evaluate = (request: RequestLike, from?: EvaluateFrom) => Promise<Decision>;

/** Where the caller may already be known from: see {@link CheckOptions}. */
export type EvaluateFrom = Pick<CheckOptions, 'previous' | 'principal' | 'mountPath'>;

/**
 * The handler factories every adapter exports, for a handler type `H`.
 *
 * @example
 * ```ts
 * const { requireGroups } = bindHandlers(() => guard, (evaluate) => toExpressMiddleware(evaluate));
 * ```
 */
export interface GuardHandlers<H> {
  /** Any of the groups. */
  requireGroups(...groups: readonly NameList[]): H;
  /** All of the groups. */
  requireAllGroups(...groups: readonly NameList[]): H;
  /** Any of the scopes. */
  requireScopes(...scopes: readonly NameList[]): H;
  /** A claim equal to the value or one of the values. */
  requireClaim(name: string, valueOrValues: string | readonly string[]): H;
  /** Any rule or predicate. */
  authorize(rule: Rule | Predicate): H;
  /**
   * Verification only (401s). With `{ optional: true }`, a request without any token passes
   * anonymously (no principal); a present but invalid token is still refused.
   */
  authenticate(options?: AuthenticateOptions): H;
  /** A route policy, for every request passing through. */
  guardRoutes(policy: RoutePolicy): H;
}

/**
 * Builds the handler factories on a guard. Rules and policies are validated when a factory is
 * called, at start-up; `getGuard` is called then too, so a bad configuration fails at start-up.
 *
 * @example
 * ```ts
 * const handlers = bindHandlers(() => createGuard(config), (evaluate) => (event) => evaluate(toRequest(event), undefined));
 * ```
 */
export function bindHandlers<H>(
  getGuard: () => Guard,
  toHandler: (evaluate: Evaluate) => H,
): GuardHandlers<H> {
  const withRule = (rule: Rule | undefined): H => {
    const guard = getGuard();
    return toHandler((request, from) => guard.check(request, rule, from));
  };
  return {
    requireGroups: (...groups) => withRule(requireGroups(...groups)),
    requireAllGroups: (...groups) => withRule(requireAllGroups(...groups)),
    requireScopes: (...scopes) => withRule(requireScopes(...scopes)),
    requireClaim: (name, values) => withRule(requireClaim(name, values)),
    authorize: (rule) => withRule(toRule(rule)),
    authenticate(options = {}) {
      const guard = getGuard();
      const allowAnonymous = options.optional === true;
      return toHandler((request, from) =>
        guard.check(request, undefined, { ...from, allowAnonymous }),
      );
    },
    guardRoutes(policy) {
      const guard = getGuard();
      const compiled = guard.compilePolicy(policy);
      return toHandler((request, from) => guard.checkRoute(request, compiled, from));
    },
  };
}

/** The handler factories bound to one guard, as an adapter's `cognitoGuard(config)` returns them. */
export interface BoundGuard<H> extends GuardHandlers<H> {
  /** The core guard: one verifier and one cache for every handler made here. */
  readonly guard: Guard;
  /** Fetches signing keys now; await it before serving, so no request pays for the fetch. */
  ready(): Promise<void>;
}

/** What {@link defineAdapter} gives an adapter to export. */
export interface AdapterExports<H, O extends object> {
  /** Validates the configuration (adapter options included) and binds the factories to it. */
  cognitoGuard(config: GuardConfig & O): BoundGuard<H>;
  /** The factories bound to the process-wide guard configured from `process.env`. */
  readonly fromEnv: GuardHandlers<H>;
}

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

/** How an adapter turns one evaluation into its framework's handler. */
export type ToHandler<H, Own> = (
  evaluate: Evaluate,
  options: ResolvedAdapterOptions & Own,
  guard: Guard,
) => H;

/**
 * Everything an adapter exports, from the one thing only it knows: how to turn an evaluation
 * into its framework's handler (read the request, let it through, answer the denial).
 *
 * @example
 * ```ts
 * const adapter = defineAdapter(['respond', 'next'], (evaluate, options) => toMiddleware(evaluate, options));
 * export const cognitoGuard = adapter.cognitoGuard;
 * export const requireGroups = adapter.fromEnv.requireGroups;
 * ```
 */
export function defineAdapter<H, O extends AdapterOptions = AdapterOptions, Own = object>(
  errorModes: readonly ErrorMode[],
  toHandler: ToHandler<H, Own>,
  own?: OwnOptions<Own>,
): AdapterExports<H, O> {
  return {
    cognitoGuard(config) {
      const { values, rest } = pick(config, own?.keys ?? []);
      const ownOptions = own ? own.fromConfig(values) : ({} as Own);
      const { adapter, core } = splitAdapterOptions(rest, errorModes);
      const guard = createGuard(core as GuardConfig);
      const options = { ...adapter, ...ownOptions };
      const handlers = bindHandlers(
        () => guard,
        (evaluate) => toHandler(evaluate, options, guard),
      );
      return { ...handlers, guard, ready: () => guard.ready() };
    },
    fromEnv: bindHandlers(defaultGuard, (evaluate) =>
      toHandler(
        evaluate,
        { ...DEFAULT_ADAPTER_OPTIONS, ...(own ? own.fromEnv(process.env) : ({} as Own)) },
        defaultGuard(),
      ),
    ),
  };
}

// Splits an adapter's own options off a configuration, keeping where the rest came from (so
// messages still name environment variables).
function pick<T extends object>(config: T, keys: readonly string[]) {
  const values: Record<string, unknown> = {};
  const rest = { ...config } as Record<string, unknown>;
  for (const key of keys) {
    if (key in rest) values[key] = rest[key];
    delete rest[key];
  }
  return { values, rest: sameSource(config, rest) as unknown as T };
}

// The env-configured guard lives here, beside the env-bound factories built on it.
let envGuard: Guard | undefined;

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
  envGuard ??= createGuard(configFromEnv(process.env));
  return envGuard;
}
