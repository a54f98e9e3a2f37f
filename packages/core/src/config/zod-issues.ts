// Turns zod issues into field-named messages. zod/mini ships no locale, which keeps bundles
// small, so the few wordings we need live here.

import type * as z from 'zod/mini';
import type { ConfigIssue } from './config-error';
import { closest } from './did-you-mean';

// Every option name of the configuration, rule and policy schemas, for "did you mean": one
// string rather than a list of strings, which is shorter in every bundle.
const OPTION_NAMES = (
  'userPoolId clientId tokenUse issuer jwksUri pools allowInsecureHttp graceSeconds algorithms ' +
  'tokenSources cookie maxTokenBytes cache maxEntries maxAgeSeconds jwks timeoutMs maxBytes ' +
  'retryAfterSeconds unknownKidCooldownSeconds realm caseSensitivePaths onDecision logger ' +
  'defaultAction basePath routes public groups allGroups denyGroups scopes allScopes claims ' +
  'caller revocation store maxStalenessSeconds onStoreUnavailable albUserClaims replicaRegions ' +
  'resolve maxPools telemetry trustedOrigins offload'
).split(' ');

/**
 * Lists a zod error's issues as `{ field, message }`, in words a person can act on. An unknown
 * key gets "did you mean" from `optionNames`: the guard's options unless another set is given.
 *
 * @example
 * ```ts
 * const result = schema.safeParse(input);
 * if (!result.success) throw new ConfigError('route policy', issuesOf(result.error));
 * issuesOf(storeError, ['url', 'keyPrefix']); // [{ field: 'keyprefix', message: 'is not a known option; did you mean "keyPrefix"?' }]
 * ```
 */
export function issuesOf(
  error: z.core.$ZodError,
  optionNames: readonly string[] = OPTION_NAMES,
): ConfigIssue[] {
  const out: ConfigIssue[] = [];
  for (const issue of error.issues) {
    const field = issue.path.map(String).join('.');
    if (issue.code === 'unrecognized_keys') {
      for (const key of issue.keys) {
        const near = closest(key, optionNames);
        out.push({
          field: field ? `${field}.${key}` : key,
          message: near
            ? `is not a known option; did you mean "${near}"?`
            : 'is not a known option',
        });
      }
      continue;
    }
    out.push({ field, message: describe(issue, field) });
  }
  return out;
}

function describe(issue: z.core.$ZodIssue, field: string): string {
  if (issue.message && issue.message !== 'Invalid input') return issue.message;
  switch (issue.code) {
    case 'invalid_type':
      if (issue.input === undefined) {
        return field.endsWith('clientId')
          ? 'is required: give the app client id(s), or null to skip the check on purpose'
          : 'is required';
      }
      return `must be ${issue.expected}, got ${describeValue(issue.input)}`;
    case 'invalid_value':
      return `must be one of ${issue.values.map((v) => JSON.stringify(v)).join(', ')}, got ${describeValue(issue.input)}`;
    case 'too_small':
      return `must be at least ${String(issue.minimum)}`;
    case 'too_big':
      return `must be at most ${String(issue.maximum)}`;
    case 'invalid_union':
      if (issue.input === undefined)
        return describe(
          { ...issue, code: 'invalid_type', expected: 'union' } as z.core.$ZodIssue,
          field,
        );
      return `has an invalid value (${describeValue(issue.input)})`;
    default:
      return 'is invalid';
  }
}

/**
 * A value as a message shows it: a short string quoted, a list or an object by its kind, and
 * anything else as `String` writes it. Never throws (a BigInt, a cycle) and never prints a
 * function's source.
 *
 * @example
 * ```ts
 * describeValue('respnd'); // '"respnd"'
 * describeValue({ mode: 'x' }); // 'an object'
 * ```
 */
export function describeValue(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'function') return 'a function';
  if (typeof value === 'string')
    return JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value);
  if (typeof value === 'object') return 'an object';
  return String(value);
}
