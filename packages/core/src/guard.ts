// The guard: one object per configuration that authenticates requests, applies rules and route
// policies, and reports every decision. Adapters wrap exactly this.

import { type GuardConfig, type ResolvedConfig, resolveConfig } from './config';
import { allowDecision, type Decision, type DecisionContext, denyDecision } from './decision';
import {
  type AuthError,
  InsufficientScopeError,
  InvalidRequestError,
  MissingTokenError,
} from './errors';
import { extractToken, type RequestLike } from './extract-token';
import { toAuthError } from './map-error';
import type { Principal } from './principal';
import { splitRequestPath } from './request-path';
import { type CompiledRoutePolicy, compileRoutePolicy, type RoutePolicy } from './route-policy';
import type { Rule, RuleResult } from './rules';
import { TokenVerifier } from './token-verifier';

/** Options of {@link Guard.check}. */
export interface CheckOptions {
  /**
   * Let a request that carries no token at all through, anonymously (reason `'anonymous'`, no
   * principal). A token that is present but invalid is still refused: optional means "may be
   * absent", never "may be wrong".
   */
  readonly allowAnonymous?: boolean;
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
   * Authenticates the request (unless `principal` is given) and applies the rule (none: any
   * verified token). Never rejects: failures are deny decisions.
   */
  check(
    request: RequestLike,
    rule?: Rule,
    principal?: Principal,
    options?: CheckOptions,
  ): Promise<Decision>;
  /** Applies a route policy: public routes pass without a token. Never rejects. */
  checkRoute(
    request: RequestLike,
    policy: CompiledRoutePolicy,
    principal?: Principal,
  ): Promise<Decision>;
  /** Applies a rule to an already verified principal. Never rejects. */
  authorize(
    principal: Principal,
    rule: Rule,
    context?: Partial<DecisionContext>,
  ): Promise<Decision>;
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
  const resolved = resolveConfig(config);
  const verifier = new TokenVerifier(resolved);
  const { realm, onDecision } = resolved;
  const extractOptions = {
    tokenSources: resolved.tokenSources,
    maxTokenBytes: resolved.maxTokenBytes,
    realm,
  };

  async function authenticate(request: RequestLike): Promise<Principal> {
    try {
      return await verifier.verify(extractToken(request, extractOptions));
    } catch (err) {
      throw toAuthError(err, realm);
    }
  }

  // Synchronous whenever it can be: a cached token and a sync rule decide without a single
  // promise, which is most requests. Never throws: every failure is a deny decision.
  function decide(
    context: DecisionContext,
    rule: Rule | undefined,
    request: RequestLike | undefined,
    known: Principal | undefined,
    anonymous = false,
  ): Decision | Promise<Decision> {
    let principal = known;
    try {
      if (principal === undefined) {
        let token: string;
        try {
          token = extractToken(request as RequestLike, extractOptions);
        } catch (err) {
          if (anonymous && err instanceof MissingTokenError) {
            return allowDecision('anonymous', undefined, context);
          }
          throw err;
        }
        const verified = verifier.verify(token);
        if (isPromise(verified)) {
          return verified.then(
            (found) => decide(context, rule, request, found),
            (err: unknown) => denyDecision(toAuthError(err, realm), undefined, context),
          );
        }
        principal = verified;
      }
      const verdict = rule === undefined ? undefined : rule.check(principal);
      if (isPromise(verdict)) {
        const checked = principal;
        return verdict.then(
          (failure) => conclude(context, rule, checked, failure),
          (err: unknown) => denyDecision(errorFor(err, checked), checked, context),
        );
      }
      return conclude(context, rule, principal, verdict);
    } catch (err) {
      return denyDecision(errorFor(err, principal), principal, context);
    }
  }

  function conclude(
    context: DecisionContext,
    rule: Rule | undefined,
    principal: Principal,
    failure: RuleResult,
  ): Decision {
    if (failure === undefined) return allowDecision('rule_satisfied', principal, context);
    return denyDecision(
      new InsufficientScopeError({
        reason: failure.reason,
        scopes: failure.scopes,
        description: `The token does not satisfy: ${rule?.description ?? ''}`,
        realm,
      }),
      principal,
      context,
    );
  }

  // A throwing custom rule denies: with a principal that is a 403, without one the auth error.
  function errorFor(err: unknown, principal: Principal | undefined): AuthError {
    if (principal === undefined) return toAuthError(err, realm);
    return new InsufficientScopeError({
      reason: 'rule_error',
      description: 'The authorization rule could not be evaluated',
      realm,
      cause: err,
    });
  }

  function report(pending: Decision | Promise<Decision>): Promise<Decision> {
    if (onDecision === undefined) return Promise.resolve(pending);
    return Promise.resolve(pending).then(recorded);
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

  const guard: Guard = {
    config: resolved,
    verifier,
    ready: () => verifier.ready(),
    authenticate,
    check(request, rule, principal, options) {
      const context = { method: request.method, path: request.path, startedAt: performance.now() };
      return report(decide(context, rule, request, principal, options?.allowAnonymous === true));
    },
    checkRoute(request, policy, principal) {
      const startedAt = performance.now();
      const base = { method: request.method, path: request.path, startedAt };
      const split = splitRequestPath(request.path, policy.caseSensitive);
      if (!split.ok) {
        const error = new InvalidRequestError({
          reason: 'non_canonical_path',
          description: `The request path is not canonical (${split.problem})`,
          realm,
        });
        return report(denyDecision(error, principal, base));
      }
      const route = policy.match(request.method, split.segments);
      const context = { ...base, route: route.routeKey };
      if (route.rule === undefined) {
        return report(
          allowDecision(
            route.routeKey === undefined ? 'default_allow' : 'public_route',
            principal,
            context,
          ),
        );
      }
      return report(decide(context, route.rule, request, principal));
    },
    authorize(principal, rule, context = {}) {
      return report(
        decide({ startedAt: performance.now(), ...context }, rule, undefined, principal),
      );
    },
    compilePolicy: (policy) =>
      compileRoutePolicy(policy, { caseSensitive: resolved.caseSensitivePaths }),
  };
  return Object.freeze(guard);
}

function isPromise<T>(value: T | Promise<T>): value is Promise<T> {
  return typeof (value as { then?: unknown } | null)?.then === 'function';
}
