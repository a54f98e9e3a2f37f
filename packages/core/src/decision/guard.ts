// The guard: one object per configuration that authenticates requests, applies rules and route
// policies, and reports every decision. Adapters wrap exactly this. It only wires the steps of a
// request's path, each in its own file of this folder:
//
//   establish.ts     1–2  extract the token and verify it: every 401 (and the 400 for several)
//   choose-route.ts  3    the route policy's rule, by the strictest reading of the path
//   conclude.ts      4–5  evaluate the rule and decide: every 403
//   report.ts             the debug log and the onDecision hook
//
// Steps 1–2 and 4–5 live in rule-guard.ts; this file adds step 3.

import type { GuardConfig } from '../config/types';
import { type AuthError, InvalidRequestError, isAuthError } from '../errors/errors';
import {
  type CompiledRoutePolicy,
  compileRoutePolicy,
  type RoutePolicy,
} from '../policy/route-policy';
import type { RequestLike } from '../request/extract-token';
import { otherMethods } from '../request/method-override';
import { originForm, rewrittenPath } from '../request/request-path';
import { isPromise } from '../shared/is-promise';
import { type ChosenRoute, chooseRoute, stricterOf, withSelectedRoute } from './choose-route';
import type { Decision, Pending } from './decision';
import { createMountWarning, unmatched } from './mount-warning';
import { type CheckOptions, createRuleGuard, type RuleGuard } from './rule-guard';

export type { CheckOptions } from './rule-guard';

const unreadableBody = (realm: string | undefined) =>
  new InvalidRequestError({
    reason: 'body_unreadable',
    description: 'The request body could not be read',
    realm,
  });

/**
 * Authenticates and authorizes requests for one configuration: rules and route policies.
 *
 * @example
 * ```ts
 * const guard = createGuard(configFromEnv(process.env));
 * await guard.ready();
 * const decision = await guard.check(request, requireGroups('movies-group'));
 * ```
 */
export interface Guard extends RuleGuard {
  /**
   * Applies a route policy: public routes pass without a token. Where the path has two
   * readings (a trailing slash, an empty `{proxy+}` remainder), or the request names another
   * method (a method override: `otherMethods`), the stricter rule decides.
   * Never rejects.
   */
  checkRoute(
    request: RequestLike,
    policy: CompiledRoutePolicy,
    options?: CheckOptions,
  ): Promise<Decision>;
  /** `checkRoute`, synchronous when nothing waits (see `decide`): what adapters call. */
  decideRoute(request: RequestLike, policy: CompiledRoutePolicy, options?: CheckOptions): Pending;
  /**
   * The rule a route policy applies to a request, with the route key it reports, or an error
   * for a path that cannot be matched safely. `undefined` rule means public. `routedPath` is
   * the path a middleware rewrote the URL to, if any (see `rewrittenPath`): both are read, in
   * origin form (`originForm`: `http://host/admin` is `/admin`).
   */
  routeRule(
    policy: CompiledRoutePolicy,
    method: string,
    path: string,
    routedPath?: string,
  ): ChosenRoute | AuthError;
  /** Compiles a route policy with this guard's path settings. */
  compilePolicy(policy: RoutePolicy): CompiledRoutePolicy;
}

/**
 * Creates a guard. Validates the configuration now and throws a `ConfigError` naming every bad
 * field, so a misconfigured service fails at start-up.
 *
 * @example
 * ```ts
 * const guard = createGuard({ userPoolId: 'eu-west-1_AbCdEf123', clientId: '1example23456789' });
 * ```
 */
export function createGuard(config: GuardConfig): Guard {
  return withRoutes(createRuleGuard(config));
}

/**
 * Adds route policies to a rule guard, sharing its verifier, cache and reporting.
 *
 * @example
 * ```ts
 * const guard = withRoutes(createRuleGuard(config));
 * await guard.checkRoute(request, guard.compilePolicy(policy));
 * ```
 */
export function withRoutes(base: RuleGuard): Guard {
  const { realm, logger, caseSensitivePaths } = base.config;
  const routeRule: Guard['routeRule'] = (policy, method, path, routedPath) =>
    chooseRoute(
      policy,
      method,
      originForm(path),
      realm,
      routedPath === undefined ? undefined : originForm(routedPath),
    );
  const noteMount = createMountWarning(logger, (policy, method, path) => {
    const chosen = routeRule(policy, method, path);
    return 'rule' in chosen ? chosen.route : undefined;
  });
  // The rule the policy gives the request read as `method`, on the path read every way.
  const ruleAs = (
    policy: CompiledRoutePolicy,
    method: string,
    path: string,
    routed: string | undefined,
    routeKey: string | undefined,
  ) =>
    withSelectedRoute(policy, chooseRoute(policy, method, path, realm, routed), method, routeKey);
  // Decides by the stricter of the rules for the request's own method and the others it names.
  const decideAmong = (
    request: RequestLike,
    policy: CompiledRoutePolicy,
    options: CheckOptions,
    overrides: readonly string[],
  ): Pending => {
    const { method, routedUrl, routeKey } = request;
    const path = originForm(request.path);
    const routed =
      routedUrl === undefined
        ? undefined
        : rewrittenPath(path, options.mountPath ?? '', originForm(routedUrl));
    // `path` and `routed` are in origin form already, so chooseRoute takes them as they are.
    const own = ruleAs(policy, method, path, routed, routeKey);
    const chosen =
      overrides.length === 0
        ? own
        : stricterOf(
            own,
            overrides.map((as) => ruleAs(policy, as, path, routed, routeKey)),
          );
    // Only a request no route matched has anything to say (and allocates the note).
    if ('rule' in chosen && unmatched(chosen.route)) {
      noteMount(policy, { method, path, mountPath: options.mountPath });
    }
    return base.decideChosen(request, chosen, options);
  };
  // Body bytes that cannot be read as the app's parser will may name any method: refused.
  const refuse = (request: RequestLike, options: CheckOptions, err: unknown) =>
    base.decideChosen(request, isAuthError(err) ? err : unreadableBody(realm), options);
  const decideRoute: Guard['decideRoute'] = (request, policy, options = {}) => {
    let overrides: readonly string[] | Promise<readonly string[]>;
    try {
      overrides = otherMethods(request, realm);
    } catch (err) {
      return refuse(request, options, err);
    }
    if (!isPromise(overrides)) return decideAmong(request, policy, options, overrides);
    return overrides.then(
      (methods) => decideAmong(request, policy, options, methods),
      (err: unknown) => refuse(request, options, err),
    );
  };
  return Object.freeze({
    ...base,
    decideRoute,
    checkRoute: async (request, policy, options) => decideRoute(request, policy, options),
    routeRule,
    compilePolicy: (policy) => compileRoutePolicy(policy, { caseSensitive: caseSensitivePaths }),
  } satisfies Guard);
}
