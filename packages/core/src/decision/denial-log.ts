// The operator's view of a denial: reason, expected and received values, at debug level and
// only when asked for. The client never sees any of it, and the token is never in it.

import type { Logger } from '../config/types';
import type { Decision } from './decision';

/**
 * Whether denial details are logged: `DEBUG` names `cognito-guard` (or `*`), or
 * `COGNITO_GUARD_LOG=debug`.
 *
 * @example
 * ```ts
 * debugEnabled({ DEBUG: 'express:*,cognito-guard' }); // true
 * ```
 */
export function debugEnabled(env: Readonly<Record<string, string | undefined>>): boolean {
  const names = (env['DEBUG'] ?? '').split(/[\s,]+/);
  return (
    names.includes('cognito-guard') ||
    names.includes('*') ||
    env['COGNITO_GUARD_LOG']?.trim().toLowerCase() === 'debug'
  );
}

/**
 * One line about a denial, for the debug log.
 *
 * @example
 * ```ts
 * describeDenial(decision);
 * // 'cognito-guard: denied GET /movies (route GET /movies): 403 group_missing; rule groups any of [movies-group]; caller sub=… groups=[shows-group]'
 * ```
 */
export function describeDenial(decision: Decision): string {
  if (decision.allowed) return '';
  const { error } = decision;
  // The query string is left out: a client may have put a token there.
  const where = `${decision.method || '?'} ${(decision.path || '?').split('?')[0] || '?'}`;
  const route = decision.route === undefined ? '' : ` (route ${decision.route})`;
  const detail = error.detail ?? error.description ?? '';
  const caller = decision.principal
    ? `; caller sub=${decision.principal.sub} groups=[${decision.principal.groups.join(', ')}]`
    : '';
  return `cognito-guard: denied ${where}${route}: ${error.status} ${error.reason}${detail ? `; ${detail}` : ''}${caller}`;
}

/**
 * Logs a denial at debug level when enabled and the logger has `debug`.
 *
 * @example
 * ```ts
 * logDenial(logger, decision, debugEnabled(process.env));
 * ```
 */
export function logDenial(logger: Logger, decision: Decision, enabled: boolean): void {
  if (enabled && !decision.allowed && logger.debug) logger.debug(describeDenial(decision));
}
