// The outcome of evaluating a request: what adapters act on and what audit hooks receive.

import type { AuthError, BearerErrorCode } from '../errors/errors';
import type { AllowReason, DenyReason } from '../errors/reasons';
import type { Principal } from '../token/principal';

interface DecisionBase {
  /** HTTP status: 200 when allowed, else the error's status. */
  readonly status: number;
  /** The route key the request matched, when a route policy was used. */
  readonly route: string | undefined;
  /** The verified caller, when there was one. */
  readonly principal: Principal | undefined;
  /** Time spent deciding, in milliseconds. */
  readonly durationMs: number;
  /** Method and path of the request, for logs. */
  readonly method: string | undefined;
  readonly path: string | undefined;
}

/** A request that may proceed. */
export interface AllowDecision extends DecisionBase {
  readonly allowed: true;
  readonly code: undefined;
  readonly reason: AllowReason;
  readonly error: undefined;
}

/** A request that must be refused with `error`. */
export interface DenyDecision extends DecisionBase {
  readonly allowed: false;
  /** RFC 6750 error code, if the status carries one. */
  readonly code: BearerErrorCode | undefined;
  readonly reason: DenyReason;
  /** The error to answer with: status, headers and body are ready on it. */
  readonly error: AuthError;
}

/**
 * What a guard decided about one request.
 *
 * @example
 * ```ts
 * const decision = await guard.check(request, requireGroups('movies-group'));
 * if (!decision.allowed) return send(decision.error.status, decision.error.headers, decision.error.body);
 * ```
 */
export type Decision = AllowDecision | DenyDecision;

/** Request facts a decision records. */
export interface DecisionContext {
  readonly route?: string | undefined;
  readonly method?: string | undefined;
  readonly path?: string | undefined;
  readonly startedAt: number;
}

/**
 * Builds an allow decision.
 *
 * @example
 * ```ts
 * allowDecision('rule_satisfied', principal, { startedAt: performance.now() });
 * ```
 */
export function allowDecision(
  reason: AllowReason,
  principal: Principal | undefined,
  context: DecisionContext,
): AllowDecision {
  return {
    allowed: true,
    status: 200,
    code: undefined,
    reason,
    error: undefined,
    principal,
    route: context.route,
    method: context.method,
    path: context.path,
    durationMs: performance.now() - context.startedAt,
  };
}

/**
 * Builds a deny decision from the error to answer with.
 *
 * @example
 * ```ts
 * denyDecision(new MissingTokenError(), undefined, { startedAt: performance.now() });
 * ```
 */
export function denyDecision(
  error: AuthError,
  principal: Principal | undefined,
  context: DecisionContext,
): DenyDecision {
  return {
    allowed: false,
    status: error.status,
    code: error.code,
    reason: error.reason,
    error,
    principal,
    route: context.route,
    method: context.method,
    path: context.path,
    durationMs: performance.now() - context.startedAt,
  };
}

/** A decision, or its promise when a step was asynchronous (a key fetch, an async rule). */
export type Pending = Decision | Promise<Decision>;
