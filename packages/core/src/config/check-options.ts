// The options object of a factory (`authenticate`, `openTelemetry`, a store, a plugin), checked
// when the factory is called, at start-up. Unchecked, a misspelt option was silently ignored, so
// `{ optinal: true }` or a plugin's `{ polcy }` quietly did something else than was asked.

import * as z from 'zod/mini';
import { ConfigError, type ConfigIssue } from './config-error';
import { issuesOf } from './zod-issues';

/**
 * Checks a factory's options with a zod/mini `strictObject` schema and answers them as given (the
 * schemas check; they transform nothing). Throws a `ConfigError` naming `subject` and every bad
 * option; an unknown one gets "did you mean" from the schema's own option names. `undefined` reads
 * as no options.
 *
 * @example
 * ```ts
 * const { includeSubject } = checkOptions(
 *   'openTelemetry',
 *   options,
 *   z.strictObject({ includeSubject: z.optional(z.boolean()) }),
 * );
 * checkOptions('openTelemetry', { includeSubect: true }, schema);
 * // ConfigError: Invalid openTelemetry: includeSubect: is not a known option; did you mean "includeSubject"?
 * ```
 */
export function checkOptions<S extends z.ZodMiniObject>(
  subject: string,
  options: unknown,
  schema: S,
): z.infer<S> {
  const issues = optionIssues(options, schema);
  if (issues.length > 0) throw new ConfigError(subject, issues);
  return (options ?? {}) as z.infer<S>;
}

/**
 * What {@link checkOptions} finds wrong, for a factory that adds checks of its own (two options
 * that exclude each other) before it throws: every bad option, with "did you mean" for an unknown
 * one. Empty when the options are good; `undefined` reads as no options.
 *
 * @example
 * ```ts
 * const issues = optionIssues(options, schema);
 * if (options.url !== undefined && options.client !== undefined) issues.push({ field: 'client', message: 'give `url` or `client`, not both' });
 * if (issues.length > 0) throw new ConfigError('redisRevocationStore', issues);
 * ```
 */
export function optionIssues(options: unknown, schema: z.ZodMiniObject): ConfigIssue[] {
  const parsed = schema.safeParse(options === undefined ? {} : options, { reportInput: true });
  return parsed.success ? [] : issuesOf(parsed.error, Object.keys(schema.shape));
}

/**
 * The zod/mini schema of an optional positive number option, such as a store's
 * `refreshTokenValiditySeconds` or `heartbeatMs`, worded the same in every factory.
 *
 * @example
 * ```ts
 * const schema = z.strictObject({ heartbeatMs: positiveNumberOf('milliseconds') });
 * checkOptions('store', { heartbeatMs: '500' }, schema);
 * // ConfigError: Invalid store: heartbeatMs: must be a positive number of milliseconds
 * ```
 */
export function positiveNumberOf(unit: string) {
  const error = `must be a positive number of ${unit}`;
  // A schema's `error` is also its checks' message.
  return z.optional(z.number({ error }).check(z.positive()));
}
