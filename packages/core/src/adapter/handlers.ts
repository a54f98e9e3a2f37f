// The one place that turns rules and route policies into framework handlers, so each adapter
// only has to say how to read its request and how to act on a decision.

import * as z from 'zod/mini';
import { checkOptions } from '../config/check-options';
import type { Pending } from '../decision/decision';
import type { Guard } from '../decision/guard';
import type { CheckOptions, RuleGuard } from '../decision/rule-guard';
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
import { refuseMountedFactory } from './mounted-factory';

/** Options of `authenticate()`. */
export interface AuthenticateOptions {
  /** Let requests without a token through anonymously. Default false. */
  readonly optional?: boolean;
}

/**
 * Decides about one request. `previous` is whatever an earlier middleware left where the
 * principal lives (`req.auth`, `ctx.state.auth`): the guard reuses it only when cognito-guard
 * built it from the same token under settings this guard accepts. It answers a decision, or its
 * promise when something on the way waits (keys, a hook, a store): go on synchronously on the
 * first (`isPromise`), so a cached token costs the adapter no promise.
 */
export type Evaluate = ((request: RequestLike, from?: EvaluateFrom) => Pending) & {
  /**
   * True when the decision reads the request's parsed `body` (a route policy reads its `_method`
   * field). An adapter that has only the raw body, as a Lambda guard does, parses it first.
   */
  readonly readsBody?: boolean;
  /**
   * True when the decision reads the request's method and path (a route policy). A rule's
   * decision reads only who is calling, so an adapter may hand it a request whose method and path
   * it could not read (they then only label the decision's record).
   */
  readonly readsRoute?: boolean;
};

/** Where the caller may already be known from: see {@link CheckOptions}. */
export type EvaluateFrom = Pick<CheckOptions, 'previous' | 'principal' | 'mountPath'>;

/**
 * The rule handler factories every adapter exports, for a handler type `H`.
 *
 * @example
 * ```ts
 * const { requireGroups } = bindRules(() => guard, (evaluate) => toExpressMiddleware(evaluate));
 * ```
 */
export interface RuleHandlers<H> {
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
}

/** The rule handler factories and `guardRoutes`. */
export interface GuardHandlers<H> extends RuleHandlers<H> {
  /** A route policy, for every request passing through. */
  guardRoutes(policy: RoutePolicy): H;
}

// Built when authenticate() is called, at start-up: importing costs nothing.
const schema = () => z.strictObject({ optional: z.optional(z.boolean()) });

/**
 * Builds the rule handler factories on a guard. Rules are validated when a factory is called,
 * at start-up; `getGuard` is called then too, so a bad configuration fails at start-up.
 *
 * @example
 * ```ts
 * const handlers = bindRules(() => createRuleGuard(config), (evaluate) => (event) => evaluate(toRequest(event)));
 * ```
 */
export function bindRules<H>(
  getGuard: () => RuleGuard,
  toHandler: (evaluate: Evaluate) => H,
): RuleHandlers<H> {
  const withRule = (rule: Rule | undefined): H => {
    const guard = getGuard();
    return toHandler((request, from) => guard.decide(request, rule, from));
  };
  // Each factory first refuses a request: the factory itself was used as a handler.
  const unmounted = <A extends readonly unknown[]>(factory: string, args: A): A => {
    refuseMountedFactory(factory, args[0]);
    return args;
  };
  return {
    requireGroups: (...groups) => withRule(requireGroups(...unmounted('requireGroups', groups))),
    requireAllGroups: (...groups) =>
      withRule(requireAllGroups(...unmounted('requireAllGroups', groups))),
    requireScopes: (...scopes) => withRule(requireScopes(...unmounted('requireScopes', scopes))),
    requireClaim: (name, values) =>
      withRule(requireClaim(...unmounted('requireClaim', [name, values] as const))),
    authorize: (rule) => withRule(toRule(...unmounted('authorize', [rule] as const))),
    authenticate(options) {
      refuseMountedFactory('authenticate', options);
      const { optional: allowAnonymous = false } = checkOptions('authenticate', options, schema());
      const guard = getGuard();
      return toHandler((request, from = {}) =>
        guard.decide(request, undefined, {
          previous: from.previous,
          principal: from.principal,
          mountPath: from.mountPath,
          allowAnonymous,
        }),
      );
    },
  };
}

/**
 * Builds a route-policy handler on a guard. The policy is compiled (and validated) now.
 *
 * @example
 * ```ts
 * const middleware = routeHandler(guard, policy, (evaluate) => toExpressMiddleware(evaluate));
 * ```
 */
export function routeHandler<H>(
  guard: Guard,
  policy: RoutePolicy,
  toHandler: (evaluate: Evaluate) => H,
): H {
  const compiled = guard.compilePolicy(policy);
  const evaluate: Evaluate = (request, from) => guard.decideRoute(request, compiled, from);
  return toHandler(Object.assign(evaluate, { readsBody: true, readsRoute: true }));
}

/**
 * Builds every handler factory on a guard.
 *
 * @example
 * ```ts
 * const { requireGroups, guardRoutes } = bindHandlers(() => guard, (evaluate) => toMiddleware(evaluate));
 * ```
 */
export function bindHandlers<H>(
  getGuard: () => Guard,
  toHandler: (evaluate: Evaluate) => H,
): GuardHandlers<H> {
  return {
    ...bindRules(getGuard, toHandler),
    guardRoutes(policy) {
      refuseMountedFactory('guardRoutes', policy);
      return routeHandler(getGuard(), policy, toHandler);
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
