// The options object of a factory (`authenticate`, `openTelemetry`, a store, a plugin), checked
// when the factory is called, at start-up. Unchecked, a misspelt option was silently ignored, so
// `{ optinal: true }` or a plugin's `{ polcy }` quietly did something else than was asked.

import type * as z from 'zod/mini';
import { ConfigError } from './config-error';
import { issuesOf } from './zod-issues';

/**
 * Parses a factory's options with a zod/mini `strictObject` schema. Throws a `ConfigError`
 * naming `subject` and every bad option; an unknown one gets "did you mean" from the schema's
 * own option names. `undefined` reads as no options.
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
  const parsed = schema.safeParse(options === undefined ? {} : options, { reportInput: true });
  if (parsed.success) return parsed.data;
  throw new ConfigError(subject, issuesOf(parsed.error, Object.keys(schema.shape)));
}
