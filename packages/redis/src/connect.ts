// How the store connects to a Redis node: a client that fails fast while disconnected, and the
// address of another node of a cluster in the terms of the store's URL.

import { createClient } from 'redis';
import type { RedisClientLike } from './client';
import type { NodeAddress } from './cluster-shard';

/**
 * A node-redis client for `url`, not yet connected.
 *
 * @example
 * ```ts
 * const client = connectTo('rediss://user:secret@my-cache.use1.cache.amazonaws.com:6379');
 * await client.connect();
 * ```
 */
export function connectTo(url: string): RedisClientLike {
  return createClient({
    url,
    // Fail fast while disconnected: a revoke call must reject, not wait for Redis to return.
    disableOfflineQueue: true,
    socket: {
      connectTimeout: 2_000,
      reconnectStrategy: (retries: number) => Math.min(50 * 2 ** retries, 1_000),
    },
    commandOptions: { timeout: 2_000 },
  }) as unknown as RedisClientLike;
}

/**
 * The host a URL names, without IPv6 brackets ('' for no URL).
 *
 * @example
 * ```ts
 * hostOf('redis://[::1]:6379'); // '::1'
 * ```
 */
export function hostOf(url: string): string {
  return url === '' ? '' : new URL(url).hostname.replace(/^\[|\]$/g, '');
}

/**
 * The store's URL with another node's address, so that credentials and TLS carry over.
 *
 * @example
 * ```ts
 * urlOf('rediss://u:p@cfg.example:6379', { host: '10.0.1.7', port: 6380 }); // 'rediss://u:p@10.0.1.7:6380'
 * ```
 */
export function urlOf(url: string, node: NodeAddress): string {
  const address = new URL(url);
  address.hostname = node.host.includes(':') ? `[${node.host}]` : node.host;
  address.port = String(node.port);
  return address.toString();
}
