// Koa's own error answer (`ctx.onerror`) removes every header before it writes, the guard's
// `Cache-Control: private` and `Vary` with them, and sets only the error's `headers`. An answer
// decided for a caller must stay out of shared caches when the handler fails too (CloudFront
// caches a 404 for ten seconds by default): the marks ride on the error.

import { isAuthError } from '@cognito-guard/core';
import { withPrivateMarks } from '@cognito-guard/core/adapter';

interface ErrorAnswering {
  onerror(err: unknown): void;
}

/** Koa's `ctx.onerror`, marking the error's headers before Koa answers it. */
export type PrivateErrorAnswer = (this: ErrorAnswering, err: unknown) => void;

/**
 * Koa's error answer, made to carry `Cache-Control: private` (unless the error's headers set
 * one) and the `vary` fields in `Vary`. Build it once per middleware, not per request; `this` is
 * the request's context.
 *
 * @example
 * ```ts
 * const answerError = privateErrorAnswer(options.vary);
 * // for each request the guard lets through:
 * keepPrivate(ctx.res, decision, options);
 * keepPrivateOnError(ctx, answerError);
 * ```
 */
export function privateErrorAnswer(vary: string): PrivateErrorAnswer {
  return function answerErrorPrivately(this: ErrorAnswering, err: unknown): void {
    // A later guard's denial (`errors: 'throw'`) is no answer for this caller: left as it is.
    if (err !== null && typeof err === 'object' && !isAuthError(err)) {
      try {
        const carrier = err as { headers?: Record<string, unknown> };
        carrier.headers = withPrivateMarks(carrier.headers, vary);
      } catch {
        // A frozen error keeps its own headers; Koa still answers it.
      }
    }
    (Object.getPrototypeOf(this) as ErrorAnswering).onerror.call(this, err);
  };
}

/**
 * Makes Koa's error answer for this request the private one. An app's error middleware that
 * answers itself keeps the response's headers, and needs nothing.
 *
 * @example
 * ```ts
 * keepPrivateOnError(ctx, answerError);
 * ```
 */
export function keepPrivateOnError(ctx: object, answer: PrivateErrorAnswer): void {
  (ctx as ErrorAnswering).onerror = answer;
}
