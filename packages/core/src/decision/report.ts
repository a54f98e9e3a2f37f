// Every decision, allowed or denied, goes to the operator: the debug log of denials and the
// `onDecision` hook. A hook that fails turns an allow into a 403 (fail closed), never a 500.

import type { Logger, ResolvedConfig } from '../config/types';
import { InsufficientScopeError } from '../errors/errors';
import { isPromise } from '../shared/is-promise';
import { type Decision, denyDecision, type Pending } from './decision';
import { logDenial } from './denial-log';

/** What reporting needs from the guard's configuration. */
export interface Reporting {
  readonly onDecision: ResolvedConfig['onDecision'];
  readonly logger: Logger;
  readonly realm: string;
  /** Log denial details (`DEBUG=cognito-guard`). */
  readonly debug: boolean;
  /** Told of every decision as it stands after the hook (telemetry); must not throw. */
  readonly observe?: ((decision: Decision) => void) | undefined;
}

/**
 * Builds the function that settles a pending decision and reports it.
 *
 * @example
 * ```ts
 * const report = createReporter({ onDecision, logger: console, realm: 'api', debug: false });
 * const decision = await report(pendingDecision); // synchronous when it is and nothing waits
 * ```
 */
export function createReporter({
  onDecision,
  logger,
  realm,
  debug,
  observe,
}: Reporting): (pending: Pending) => Pending {
  const logged = (decision: Decision): Decision => {
    logDenial(logger, decision, true);
    return decision;
  };
  const recorded = async (decision: Decision): Promise<Decision> => {
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
  };
  const observed = (decision: Decision): Decision => {
    try {
      (observe as (decision: Decision) => void)(decision);
    } catch {
      // Telemetry must never decide a request.
    }
    return decision;
  };
  // A decision already made, with nothing asynchronous to tell, is answered as it is: a cached
  // token then costs the adapter no promise.
  const direct = !debug && onDecision === undefined;
  return (pending) => {
    if (direct && !isPromise(pending)) return observe === undefined ? pending : observed(pending);
    const settled = debug ? Promise.resolve(pending).then(logged) : Promise.resolve(pending);
    const hooked = onDecision === undefined ? settled : settled.then(recorded);
    return observe === undefined ? hooked : hooked.then(observed);
  };
}
