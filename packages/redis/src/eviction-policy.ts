// A Redis that runs out of memory makes room by its `maxmemory-policy`. Every policy but
// `noeviction` may drop keys that have an expiry, and every revocation has one: a revocation
// evicted before it expires is gone for every instance that loads the list afterwards (one
// started, or reconnected, since), which then lets its tokens in. ElastiCache's default parameter
// groups use `volatile-lru`, and the store invites sharing a Redis with other uses, so the store
// reads the policy once it is connected and says so. Under `noeviction` a full Redis refuses the
// write instead, and the revoke call rejects: the caller hears of it.

import type { Logger } from '@cognito-guard/core';
import type { RedisClientLike } from './client';

/** What `INFO memory` says of eviction: the policy, and the memory limit (0: none). */
export interface EvictionPolicy {
  readonly policy: string;
  readonly maxmemoryBytes: number;
}

/**
 * Reads the connected node's eviction policy, or `undefined` when the server does not say (an
 * ACL that refuses INFO, a service that leaves the fields out).
 *
 * @example
 * ```ts
 * await evictionPolicyOf(client); // { policy: 'volatile-lru', maxmemoryBytes: 1_610_612_736 }
 * ```
 */
export async function evictionPolicyOf(
  client: RedisClientLike,
): Promise<EvictionPolicy | undefined> {
  const info = String(await client.sendCommand(['INFO', 'memory']));
  const policy = /^maxmemory_policy:(\S+)/m.exec(info)?.[1];
  const maxmemory = /^maxmemory:(\d+)/m.exec(info)?.[1];
  if (policy === undefined || maxmemory === undefined) return undefined;
  return { policy, maxmemoryBytes: Number(maxmemory) };
}

/**
 * Whether a node under this policy may drop a revocation before it expires: a memory limit is
 * set, and the policy is not `noeviction`.
 *
 * @example
 * ```ts
 * mayEvict({ policy: 'volatile-lru', maxmemoryBytes: 1 << 30 }); // true
 * mayEvict({ policy: 'noeviction', maxmemoryBytes: 1 << 30 }); // false
 * ```
 */
export function mayEvict({ policy, maxmemoryBytes }: EvictionPolicy): boolean {
  return maxmemoryBytes > 0 && policy !== 'noeviction';
}

/**
 * Warns through `logger` when the node may evict revocations. Never throws: a server that does
 * not answer is one the store's own checks already report.
 *
 * @example
 * ```ts
 * await warnIfEvicting(link.commands, logger);
 * ```
 */
export async function warnIfEvicting(client: RedisClientLike, logger: Logger): Promise<void> {
  const found = await evictionPolicyOf(client).catch(() => undefined);
  if (found === undefined || !mayEvict(found)) return;
  const megabytes = Math.round(found.maxmemoryBytes / 2 ** 20);
  logger.warn(
    `cognito-guard: this Redis evicts keys when its memory is full (maxmemory-policy ${found.policy}, maxmemory ${megabytes} MB), revocations included: one evicted before it expires is lost to every instance that loads the list afterwards, and its tokens are let in there. Set maxmemory-policy to noeviction (on ElastiCache, in the parameter group), or keep the revocations on a Redis of their own`,
  );
}
