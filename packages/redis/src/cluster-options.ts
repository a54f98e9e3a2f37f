// What a Redis Cluster demands of the store's options, checked where the store starts: every key
// and the channel in one slot, and connections the store opens itself.

import { ConfigError } from '@cognito-guard/core';
import type { RedisClientLike } from './client';
import { CLUSTER_KEY_PREFIX, hasHashTag } from './cluster-shard';

/**
 * The key prefix of a store on a cluster: `keyPrefix` if it holds a hash tag, the default if
 * none is given. Throws a `ConfigError` naming `keyPrefix` or `client` otherwise, since a client
 * the app passed is connected to one node and cannot follow the slot.
 *
 * @example
 * ```ts
 * clusterPrefix(undefined, undefined); // '{cognito-guard:revoked}:'
 * clusterPrefix(undefined, 'revoked:'); // throws: keyPrefix: has no hash tag …
 * ```
 */
export function clusterPrefix(
  client: RedisClientLike | undefined,
  keyPrefix: string | undefined,
): string {
  if (client !== undefined) {
    throw clusterError(
      'client',
      'is connected to one Redis Cluster node (cluster mode enabled), and the store must follow its slot to whichever node serves it after a failover; pass url (the configuration endpoint) instead',
    );
  }
  const prefix = keyPrefix ?? CLUSTER_KEY_PREFIX;
  if (hasHashTag(prefix)) return prefix;
  throw clusterError(
    'keyPrefix',
    `has no hash tag: on a Redis Cluster every entry and the channel must share one slot, so the prefix needs one, such as "{${prefix}}"`,
  );
}

/**
 * Refuses node-redis's `createCluster()` client, which routes each command by its key, while the
 * store must talk to the one node that serves its slot.
 *
 * @example
 * ```ts
 * refuseClusterClient(createCluster({ rootNodes })); // throws: client: is a Redis Cluster client …
 * ```
 */
export function refuseClusterClient(client: RedisClientLike | undefined): void {
  if (typeof (client as { getSlotMaster?: unknown } | undefined)?.getSlotMaster !== 'function') {
    return;
  }
  throw clusterError(
    'client',
    'is a Redis Cluster client (createCluster), which routes each command by its key, while the store must talk to the one node that serves its slot; pass url (any node, or the configuration endpoint) instead',
  );
}

/**
 * Rejects with a `ConfigError` naming `url` when the connection is refused because the URL names
 * a database: node-redis then sends SELECT on every (re)connection, which a cluster node refuses,
 * so connecting would otherwise retry until a timeout said nothing useful. `stop()` detaches it.
 *
 * @example
 * ```ts
 * const refusal = refusedDatabase(client);
 * await Promise.race([client.connect(), refusal.refused]).finally(refusal.stop);
 * ```
 */
export function refusedDatabase(client: RedisClientLike): {
  readonly refused: Promise<never>;
  stop(): void;
} {
  let listener: (err: Error) => void = () => undefined;
  const refused = new Promise<never>((_, reject) => {
    listener = (err) => {
      if (!/SELECT is not allowed in cluster mode/i.test(err.message)) return;
      reject(
        clusterError(
          'url',
          'names a database, and a Redis Cluster has database 0 only: remove the /<db> from the URL',
        ),
      );
    };
  });
  refused.catch(() => undefined);
  client.on('error', listener);
  return { refused, stop: () => client.off('error', listener) };
}

function clusterError(field: string, message: string): ConfigError {
  return new ConfigError('redisRevocationStore', [{ field, message }]);
}
