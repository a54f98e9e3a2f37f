// Koa's own error answer (`ctx.onerror`) removes every header before it writes, the guard's
// `Cache-Control: private` and `Vary: Authorization` with them, and sets only the error's
// `headers`. An answer decided for a caller must stay out of shared caches when the handler
// fails too (CloudFront caches a 404 for ten seconds by default): the marks ride on the error.

import { isAuthError } from '@cognito-guard/core';
import { withPrivateMarks } from '@cognito-guard/core/adapter';

interface ErrorAnswering {
  onerror(err: unknown): void;
}

/**
 * Makes Koa's error answer for this request carry `Cache-Control: private` (unless the error's
 * headers set one) and `Authorization` in `Vary`. An app's error middleware that answers
 * itself keeps the response's headers, and needs nothing.
 *
 * @example
 * ```ts
 * keepPrivate(ctx.res, decision, options);
 * keepPrivateOnError(ctx);
 * ```
 */
export function keepPrivateOnError(ctx: object): void {
  (ctx as ErrorAnswering).onerror = answerErrorPrivately;
}

// A shared function, not a closure per request: `this` is the request's context.
function answerErrorPrivately(this: ErrorAnswering, err: unknown): void {
  // A later guard's denial (`errors: 'throw'`) is no answer for this caller: left as it is.
  if (err !== null && typeof err === 'object' && !isAuthError(err)) {
    try {
      const carrier = err as { headers?: Record<string, unknown> };
      carrier.headers = withPrivateMarks(carrier.headers);
    } catch {
      // A frozen error keeps its own headers; Koa still answers it.
    }
  }
  (Object.getPrototypeOf(this) as ErrorAnswering).onerror.call(this, err);
}
