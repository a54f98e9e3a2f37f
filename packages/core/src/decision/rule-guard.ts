// The guard without route policies: authenticate, apply a rule, report. Split from guard.ts so
// that a bundle using only rule guards (`requireGroups`) leaves the route-policy compiler out.
//
//   establish.ts     1–2  extract the token, verify it, check it is not revoked: every 401
//                         (and the 400 for several)
//   conclude.ts      4–5  evaluate the rule and decide: every 403
//   report.ts             the debug log and the onDecision hook

import { ConfigError } from '../config/config-error';
import { resolveConfig } from '../config/resolve-config';
import type { GuardConfig, ResolvedConfig } from '../config/types';
import { type AuthError, RevocationUnavailableError } from '../errors/errors';
import type { Rule } from '../policy/rules';
import { extractToken, type RequestLike } from '../request/extract-token';
import { createRevocationCheck } from '../revocation/revocation-check';
import { toAuthError } from '../token/map-error';
import type { Principal } from '../token/principal';
import { TokenVerifier } from '../token/token-verifier';
import type { ChosenRoute } from './choose-route';
import { evaluateRule } from './conclude';
import {
  allowDecision,
  type Decision,
  type DecisionContext,
  denyDecision,
  type Pending,
} from './decision';
import { debugEnabled } from './denial-log';
import { establish } from './establish';
import { createReporter } from './report';

/** Options of {@link RuleGuard.check} and `Guard.checkRoute`. */
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
   * `ctx.mountPath`): what `RequestLike.routedUrl` is below, and where a route policy without
   * `basePath` that meets requests matching no route warns, once.
   */
  readonly mountPath?: string | undefined;
}

/**
 * Authenticates requests and applies rules for one configuration. A {@link Guard} adds route
 * policies on top of it.
 *
 * @example
 * ```ts
 * const guard = createRuleGuard(configFromEnv(process.env));
 * const decision = await guard.check(request, requireGroups('movies-group'));
 * ```
 */
export interface RuleGuard {
  /** The validated configuration. */
  readonly config: ResolvedConfig;
  /** The token verifier (and its caches) shared by everything built on this guard. */
  readonly verifier: TokenVerifier;
  /**
   * Fetches signing keys (and loads the revocation list) up front; rejects with a 503
   * `KeysUnavailableError` (`RevocationUnavailableError`).
   */
  ready(): Promise<void>;
  /** Finds and verifies the request's token and checks it is not revoked. Rejects with an `AuthError`. */
  authenticate(request: RequestLike): Promise<Principal>;
  /**
   * Authenticates the request and applies the rule (none: any verified token). Never rejects:
   * failures are deny decisions.
   */
  check(request: RequestLike, rule?: Rule, options?: CheckOptions): Promise<Decision>;
  /**
   * `check`, answered synchronously when nothing on the way waits (a cached token, no
   * `onDecision` hook, no debug log): what adapters call, so that a cached token costs them no
   * promise. Never throws.
   */
  decide(request: RequestLike, rule?: Rule, options?: CheckOptions): Pending;
  /**
   * Applies a route a policy chose for the request: a refused path is denied, a public route
   * (or the default allow) passes without a token, any other rule is checked as `check` would.
   * Never rejects.
   */
  applyRoute(
    request: RequestLike,
    chosen: ChosenRoute | AuthError,
    options?: CheckOptions,
  ): Promise<Decision>;
  /** `applyRoute`, synchronous when nothing waits (see `decide`). */
  decideChosen(
    request: RequestLike,
    chosen: ChosenRoute | AuthError,
    options?: CheckOptions,
  ): Pending;
  /** Applies a rule to an already verified principal. Never rejects. */
  authorize(
    principal: Principal,
    rule: Rule,
    context?: Partial<DecisionContext>,
  ): Promise<Decision>;
}

/**
 * Creates a guard for rules only. Validates the configuration now and throws a `ConfigError`
 * naming every bad field, so a misconfigured service fails at start-up.
 *
 * @example
 * ```ts
 * const guard = createRuleGuard({ userPoolId: 'eu-west-1_AbCdEf123', clientId: '1example23456789' });
 * ```
 */
export function createRuleGuard(config: GuardConfig): RuleGuard {
  const resolved = resolveConfig(config);
  const verifier = new TokenVerifier(resolved);
  const { realm, onDecision, logger } = resolved;
  const extractOptions = {
    tokenSources: resolved.tokenSources,
    maxTokenBytes: resolved.maxTokenBytes,
    realm,
    trustedOrigins: resolved.trustedOrigins,
  };
  const revocation =
    resolved.revocation && createRevocationCheck(resolved.revocation, realm, logger);
  const albUserClaims = resolved.albUserClaims?.create(resolved);
  const establishing = { verifier, extractOptions, realm, revocation, albUserClaims };
  const observe = resolved.telemetry?.create({
    config: resolved,
    cacheSize: () => verifier.cacheSize,
    observeKeyFetches: (observer) => void verifier.fetcher.observers.push(observer),
    offloadStats: () => verifier.offloadStats,
  });
  const report = createReporter({
    onDecision,
    logger,
    realm,
    debug: debugEnabled(process.env),
    observe,
  });
  const checkIn = (
    context: DecisionContext,
    request: RequestLike,
    rule: Rule | undefined,
    options: CheckOptions,
  ) =>
    report(
      establish(establishing, context, request, options, (principal) =>
        evaluateRule(realm, context, rule, principal),
      ),
    );

  const guard: RuleGuard = {
    config: resolved,
    verifier,
    ready: () => Promise.all([verifier.ready(), readyRevocation(resolved, realm)]).then(() => {}),
    async authenticate(request) {
      let principal: Principal;
      try {
        principal = await verifier.verify(extractToken(request, extractOptions));
        if (albUserClaims) principal = await albUserClaims.attach(principal, request);
      } catch (err) {
        throw toAuthError(err, realm);
      }
      const refusal = await revocation?.(principal);
      if (refusal !== undefined) throw refusal;
      return principal;
    },
    decide(request, rule, options = {}) {
      const context = { method: request.method, path: request.path, startedAt: performance.now() };
      return checkIn(context, request, rule, options);
    },
    check: async (request, rule, options) => guard.decide(request, rule, options),
    applyRoute: async (request, chosen, options) => guard.decideChosen(request, chosen, options),
    decideChosen(request, chosen, options = {}) {
      const matched = 'rule' in chosen;
      // One literal, as in `decide`: spreading a shared base into it cost V8 about 1 µs.
      const context = {
        method: request.method,
        path: request.path,
        startedAt: performance.now(),
        route: matched ? chosen.route : undefined,
      };
      if (!matched) return report(denyDecision(chosen, undefined, context));
      if (chosen.rule !== undefined) return checkIn(context, request, chosen.rule, options);
      const reason = chosen.route === undefined ? 'default_allow' : 'public_route';
      return report(allowDecision(reason, undefined, context));
    },
    authorize(principal, rule, context = {}) {
      const full = { startedAt: performance.now(), ...context };
      return Promise.resolve(
        report(
          establish(establishing, full, undefined, { principal }, (known) =>
            evaluateRule(realm, full, rule, known),
          ),
        ),
      );
    },
  };
  return Object.freeze(guard);
}

async function readyRevocation(config: ResolvedConfig, realm: string): Promise<void> {
  try {
    await config.revocation?.store.ready();
  } catch (err) {
    // A store that refuses its configuration says which option; start-up should fail on that.
    if (err instanceof ConfigError) throw err;
    throw new RevocationUnavailableError({
      realm,
      retryAfterSeconds: config.revocation?.maxStalenessSeconds,
      cause: err,
    });
  }
}
