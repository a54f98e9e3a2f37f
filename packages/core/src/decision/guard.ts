// The guard: one object per configuration that authenticates requests, applies rules and route
// policies, and reports every decision. Adapters wrap exactly this.
//
// One request's path: extract the token → verify it (or reuse a principal an earlier guard
// verified under settings this guard accepts) → choose the route → evaluate the rule → decide.
// A 401 is decided in `establish` (via extract-token and token-verifier), a 403 in `conclude`.

import { resolveConfig } from '../config/resolve-config';
import type { GuardConfig, ResolvedConfig } from '../config/types';
import {
  type AuthError,
  InsufficientScopeError,
  InvalidRequestError,
  MissingTokenError,
} from '../errors/errors';
import {
  type CompiledRoutePolicy,
  compileRoutePolicy,
  type MatchedRoute,
  type RoutePolicy,
} from '../policy/route-policy';
import { allOf, type Rule, type RuleResult } from '../policy/rules';
import { extractToken, type RequestLike } from '../request/extract-token';
import { relativeTo, splitRequestPath } from '../request/request-path';
import { isPromise } from '../shared/is-promise';
import { toAuthError } from '../token/map-error';
import { isPrincipal, type Principal } from '../token/principal';
import { TokenVerifier } from '../token/token-verifier';
import { allowDecision, type Decision, type DecisionContext, denyDecision } from './decision';
import { debugEnabled, logDenial } from './denial-log';

/** Options of {@link Guard.check} and {@link Guard.checkRoute}. */
export interface CheckOptions {
  /**
   * Let a request that carries no token at all through, anonymously (reason `'anonymous'`, no
   * principal). A token that is present but invalid is still refused: optional means "may be
   * absent", never "may be wrong".
   */
  readonly allowAnonymous?: boolean;
  /**
   * Whatever an earlier middleware left where the principal lives (`req.auth`). It is reused
   * only if cognito-guard built it from the very token this guard extracts, and it meets this
   * guard's own pools, clients, token uses and algorithms; otherwise this guard verifies the
   * token itself. Anything else there is ignored.
   */
  readonly previous?: unknown;
  /**
   * A principal established outside this guard's token path (claims an API Gateway authorizer
   * verified). It must still meet this guard's pools, clients, token uses and expiry.
   */
  readonly principal?: Principal | undefined;
  /**
   * Where the adapter's middleware is mounted (Express's `req.baseUrl`, koa-mount's
   * `ctx.mountPath`). Only used to warn, once, that a route policy without `basePath` meets
   * requests under a mount point that match no route.
   */
  readonly mountPath?: string | undefined;
}

/**
 * Authenticates and authorizes requests for one configuration.
 *
 * @example
 * ```ts
 * const guard = createGuard(configFromEnv(process.env));
 * await guard.ready();
 * const decision = await guard.check(request, requireGroups('movies-group'));
 * ```
 */
export interface Guard {
  /** The validated configuration. */
  readonly config: ResolvedConfig;
  /** The token verifier (and its caches) shared by everything built on this guard. */
  readonly verifier: TokenVerifier;
  /** Fetches signing keys up front; rejects with a 503 `KeysUnavailableError`. */
  ready(): Promise<void>;
  /** Finds and verifies the request's token. Rejects with an `AuthError`. */
  authenticate(request: RequestLike): Promise<Principal>;
  /**
   * Authenticates the request and applies the rule (none: any verified token). Never rejects:
   * failures are deny decisions.
   */
  check(request: RequestLike, rule?: Rule, options?: CheckOptions): Promise<Decision>;
  /**
   * Applies a route policy: public routes pass without a token. Where the path has two
   * readings (a trailing slash, an empty `{proxy+}` remainder), the stricter rule decides.
   * Never rejects.
   */
  checkRoute(
    request: RequestLike,
    policy: CompiledRoutePolicy,
    options?: CheckOptions,
  ): Promise<Decision>;
  /**
   * The rule a route policy applies to a request, with the route key it reports, or an error
   * for a path that cannot be matched safely. `undefined` rule means public.
   */
  routeRule(
    policy: CompiledRoutePolicy,
    method: string,
    path: string,
  ): { readonly rule: Rule | undefined; readonly route: string | undefined } | AuthError;
  /** Applies a rule to an already verified principal. Never rejects. */
  authorize(
    principal: Principal,
    rule: Rule,
    context?: Partial<DecisionContext>,
  ): Promise<Decision>;
  /** Compiles a route policy with this guard's path settings. */
  compilePolicy(policy: RoutePolicy): CompiledRoutePolicy;
}

type Pending = Decision | Promise<Decision>;

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
  const resolved = resolveConfig(config);
  const verifier = new TokenVerifier(resolved);
  const { realm, onDecision, logger } = resolved;
  const debug = debugEnabled(process.env);
  const extractOptions = {
    tokenSources: resolved.tokenSources,
    maxTokenBytes: resolved.maxTokenBytes,
    realm,
  };

  // Step 1–2: who is calling. Synchronous on a cached token; every failure is a deny decision.
  function establish(
    context: DecisionContext,
    request: RequestLike | undefined,
    options: CheckOptions,
    then: (principal: Principal) => Pending,
  ): Pending {
    if (options.principal !== undefined) {
      const refused = verifier.refusal(options.principal);
      return refused ? denyDecision(refused, undefined, context) : then(options.principal);
    }
    let token: string;
    try {
      token = extractToken(request as RequestLike, extractOptions);
    } catch (err) {
      if (options.allowAnonymous && err instanceof MissingTokenError) {
        return allowDecision('anonymous', undefined, context);
      }
      return denyDecision(toAuthError(err, realm), undefined, context);
    }
    const previous = options.previous;
    if (isPrincipal(previous) && previous.token === token && !verifier.refusal(previous)) {
      return then(previous);
    }
    let verified: Principal | Promise<Principal>;
    try {
      verified = verifier.verify(token);
    } catch (err) {
      return denyDecision(toAuthError(err, realm), undefined, context);
    }
    if (!isPromise(verified)) return then(verified);
    return verified.then(then, (err: unknown) =>
      denyDecision(toAuthError(err, realm), undefined, context),
    );
  }

  // Step 4: the rule. A rule that throws or rejects denies with a 403.
  function evaluate(
    context: DecisionContext,
    rule: Rule | undefined,
    principal: Principal,
  ): Pending {
    let verdict: RuleResult | Promise<RuleResult>;
    try {
      verdict = rule === undefined ? undefined : rule.check(principal);
    } catch (err) {
      return denyDecision(ruleError(err), principal, context);
    }
    if (!isPromise(verdict)) return conclude(context, principal, verdict, rule);
    return verdict.then(
      (failure) => conclude(context, principal, failure, rule),
      (err: unknown) => denyDecision(ruleError(err), principal, context),
    );
  }

  // Step 5: where a 403 is decided. The client learns only the kind of failure (and, per RFC
  // 6750, the scopes that would do); the rule itself goes to onDecision and the logs.
  function conclude(
    context: DecisionContext,
    principal: Principal,
    failure: RuleResult,
    rule: Rule | undefined,
  ): Decision {
    if (failure === undefined) return allowDecision('rule_satisfied', principal, context);
    return denyDecision(
      new InsufficientScopeError({
        reason: failure.reason,
        scopes: failure.scopes,
        description: 'The token does not grant access to this resource',
        detail: `rule ${rule?.description ?? '(none)'}`,
        realm,
      }),
      principal,
      context,
    );
  }

  function ruleError(err: unknown): AuthError {
    return new InsufficientScopeError({
      reason: 'rule_error',
      description: 'The authorization rule could not be evaluated',
      realm,
      cause: err,
    });
  }

  function report(pending: Pending): Promise<Decision> {
    const settled = debug ? Promise.resolve(pending).then(logged) : Promise.resolve(pending);
    if (onDecision === undefined) return settled;
    return settled.then(recorded);
  }

  function logged(decision: Decision): Decision {
    logDenial(logger, decision, true);
    return decision;
  }

  async function recorded(decision: Decision): Promise<Decision> {
    try {
      await (onDecision as NonNullable<typeof onDecision>)(decision);
      return decision;
    } catch (err) {
      if (!decision.allowed) return decision;
      const error = new InsufficientScopeError({
        reason: 'hook_error',
        description: 'The decision could not be recorded',
        realm,
        cause: err,
      });
      return {
        ...denyDecision(error, decision.principal, { startedAt: performance.now() }),
        route: decision.route,
        method: decision.method,
        path: decision.path,
        durationMs: decision.durationMs,
      };
    }
  }

  // Step 3: the route. Every reading of the path is evaluated; the stricter rule applies.
  function routeRule(
    policy: CompiledRoutePolicy,
    method: string,
    path: string,
  ): { readonly rule: Rule | undefined; readonly route: string | undefined } | AuthError {
    let relative = path;
    let foldedBase = false;
    if (policy.basePath !== undefined) {
      const under = relativeTo(path, policy.basePath, policy.caseSensitive);
      if (!under.inside) return { rule: policy.unmatched.rule, route: policy.unmatched.routeKey };
      relative = under.path;
      foldedBase = under.foldedCase;
    }
    const split = splitRequestPath(relative, policy.caseSensitive);
    if (!split.ok) {
      return new InvalidRequestError({
        reason: 'non_canonical_path',
        description: `The request path is not canonical (${split.problem})`,
        realm,
      });
    }
    const readings = policy.readings(method, split);
    // A case-sensitive mount would not have handed this path to these routes at all.
    const all = foldedBase ? [...readings, policy.unmatched] : readings;
    return { rule: stricter(all), route: (readings[0] as MatchedRoute).routeKey };
  }

  const warnedMounts = new Set<string>();
  // A policy written relative to a sub-router silently falls to its default: say so, once.
  function noteMount(policy: CompiledRoutePolicy, mountPath: string | undefined, route?: string) {
    if (!mountPath || policy.basePath !== undefined) return;
    if (route !== undefined && route !== '$default') return;
    if (warnedMounts.has(mountPath)) return;
    warnedMounts.add(mountPath);
    resolved.logger.warn(
      `cognito-guard: guardRoutes is mounted under "${mountPath}" and a request there matched no route of its policy, so defaultAction applies. If the policy's route keys are relative to "${mountPath}", set basePath: "${mountPath}" in the policy.`,
    );
  }

  const guard: Guard = {
    config: resolved,
    verifier,
    ready: () => verifier.ready(),
    async authenticate(request) {
      try {
        return await verifier.verify(extractToken(request, extractOptions));
      } catch (err) {
        throw toAuthError(err, realm);
      }
    },
    check(request, rule, options = {}) {
      const context = { method: request.method, path: request.path, startedAt: performance.now() };
      return report(
        establish(context, request, options, (principal) => evaluate(context, rule, principal)),
      );
    },
    checkRoute(request, policy, options = {}) {
      const base = { method: request.method, path: request.path, startedAt: performance.now() };
      const chosen = routeRule(policy, request.method, request.path);
      if (!('rule' in chosen)) return report(denyDecision(chosen, undefined, base));
      noteMount(policy, options.mountPath, chosen.route);
      const context = { ...base, route: chosen.route };
      if (chosen.rule === undefined) {
        const reason = chosen.route === undefined ? 'default_allow' : 'public_route';
        return report(allowDecision(reason, undefined, context));
      }
      const rule = chosen.rule;
      return report(
        establish(context, request, options, (principal) => evaluate(context, rule, principal)),
      );
    },
    routeRule,
    authorize(principal, rule, context = {}) {
      const full = { startedAt: performance.now(), ...context };
      return report(
        establish(full, undefined, { principal }, (known) => evaluate(full, rule, known)),
      );
    },
    compilePolicy: (policy) =>
      compileRoutePolicy(policy, { caseSensitive: resolved.caseSensitivePaths }),
  };
  return Object.freeze(guard);
}

// Public readings (no rule) yield to any reading that needs a token; two rules must both hold.
function stricter(readings: readonly MatchedRoute[]): Rule | undefined {
  const rules = readings.flatMap((reading) => (reading.rule === undefined ? [] : [reading.rule]));
  if (rules.length <= 1) return rules[0];
  return allOf(...rules);
}
