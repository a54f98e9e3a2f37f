// The guard: one object per configuration that authenticates requests, applies rules and route
// policies, and reports every decision. Adapters wrap exactly this. It only wires the steps of a
// request's path, each in its own file of this folder:
//
//   establish.ts     1–2  extract the token and verify it: every 401 (and the 400 for several)
//   choose-route.ts  3    the route policy's rule, by the strictest reading of the path
//   conclude.ts      4–5  evaluate the rule and decide: every 403
//   report.ts             the debug log and the onDecision hook

import { resolveConfig } from '../config/resolve-config';
import type { GuardConfig, ResolvedConfig } from '../config/types';
import type { AuthError } from '../errors/errors';
import {
  type CompiledRoutePolicy,
  compileRoutePolicy,
  type RoutePolicy,
} from '../policy/route-policy';
import type { Rule } from '../policy/rules';
import { extractToken, type RequestLike } from '../request/extract-token';
import { toAuthError } from '../token/map-error';
import type { Principal } from '../token/principal';
import { TokenVerifier } from '../token/token-verifier';
import { chooseRoute } from './choose-route';
import { evaluateRule } from './conclude';
import { allowDecision, type Decision, type DecisionContext, denyDecision } from './decision';
import { debugEnabled } from './denial-log';
import { establish } from './establish';
import { createMountWarning } from './mount-warning';
import { createReporter } from './report';

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
  const extractOptions = {
    tokenSources: resolved.tokenSources,
    maxTokenBytes: resolved.maxTokenBytes,
    realm,
  };
  const establishing = { verifier, extractOptions, realm };
  const report = createReporter({ onDecision, logger, realm, debug: debugEnabled(process.env) });
  const noteMount = createMountWarning(logger);
  const routeRule: Guard['routeRule'] = (policy, method, path) =>
    chooseRoute(policy, method, path, realm);

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
        establish(establishing, context, request, options, (principal) =>
          evaluateRule(realm, context, rule, principal),
        ),
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
        establish(establishing, context, request, options, (principal) =>
          evaluateRule(realm, context, rule, principal),
        ),
      );
    },
    routeRule,
    authorize(principal, rule, context = {}) {
      const full = { startedAt: performance.now(), ...context };
      return report(
        establish(establishing, full, undefined, { principal }, (known) =>
          evaluateRule(realm, full, rule, known),
        ),
      );
    },
    compilePolicy: (policy) =>
      compileRoutePolicy(policy, { caseSensitive: resolved.caseSensitivePaths }),
  };
  return Object.freeze(guard);
}
