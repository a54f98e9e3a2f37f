// The store's options, checked before anything connects. Unchecked, a REDIS_URL that is unset
// connected to localhost, one with a typo threw a TypeError from the Redis client, and a
// heartbeat given as a string ran every millisecond.

import { ConfigError, type ConfigIssue } from '@cognito-guard/core';
import { optionIssues, positiveNumberOf } from '@cognito-guard/core/advanced';
import * as z from 'zod/mini';

const SUBJECT = 'redisRevocationStore';

// A URL may carry a password (rediss://:secret@host): messages never repeat it.
const isRedisUrl = (value: string) => {
  try {
    return ['redis:', 'rediss:'].includes(new URL(value).protocol);
  } catch {
    return false;
  }
};
// Built when a store is, once or twice in a process' life: importing the package costs nothing.
const optionsSchema = () =>
  z.strictObject({
    url: z.optional(
      z
        .string({ error: 'must be a redis:// or rediss:// URL' })
        .check(z.refine(isRedisUrl, { error: 'must be a redis:// or rediss:// URL' })),
    ),
    client: z.optional(
      z.custom((client) => typeof (client as { duplicate?: unknown })?.duplicate === 'function', {
        error: 'must be a node-redis client (createClient())',
      }),
    ),
    keyPrefix: z.optional(
      z
        .string({ error: 'must be a non-empty string' })
        .check(z.minLength(1, { error: 'must be a non-empty string' })),
    ),
    replicas: z.optional(z.unknown()),
    heartbeatMs: positiveNumberOf('milliseconds'),
    readyTimeoutMs: positiveNumberOf('milliseconds'),
    refreshTokenValiditySeconds: positiveNumberOf('seconds'),
    logger: z.optional(
      z.custom((logger) => typeof (logger as { warn?: unknown })?.warn === 'function', {
        error: 'must have a warn(message) method',
      }),
    ),
  });

/**
 * Checks the options of `redisRevocationStore` and answers the replicas a write waits for.
 * Throws a `ConfigError` naming every bad option.
 *
 * @example
 * ```ts
 * const replicas = checkStoreOptions({ url: process.env.REDIS_URL, replicas: 1 }); // 1
 * ```
 */
export function checkStoreOptions(options: unknown): number {
  if (options === null || typeof options !== 'object') {
    throw new ConfigError(SUBJECT, [{ field: '', message: 'must be an object' }]);
  }
  const issues = optionIssues(options, optionsSchema());
  const { url, client, replicas } = options as Record<string, unknown>;
  if ((url === undefined || url === '') && client === undefined) {
    issues.push({
      field: 'url',
      message: 'is required: a redis:// or rediss:// URL, or give `client`',
    });
  } else if (url !== undefined && client !== undefined) {
    issues.push({ field: 'client', message: 'give `url` or `client`, not both' });
  }
  if (replicas !== undefined && !(Number.isSafeInteger(replicas) && (replicas as number) >= 0)) {
    issues.push({
      field: 'replicas',
      message: `must be a whole number, 0 or more; got ${String(replicas)}`,
    });
  }
  if (issues.length > 0) throw new ConfigError(SUBJECT, dedupe(issues));
  return (replicas as number | undefined) ?? 0;
}

// An empty URL is both "not a URL" and "missing": say the second.
function dedupe(issues: readonly ConfigIssue[]): ConfigIssue[] {
  return issues.filter(
    (issue, index) => !issues.slice(index + 1).some((later) => later.field === issue.field),
  );
}
