// Where the store's entries live in a Redis Cluster (ElastiCache cluster mode enabled or
// Serverless, Valkey, MemoryDB).
//
// A cluster spreads keys over 16,384 slots and its shards. The store keeps every key and its
// channel in one slot instead, through a hash tag in its prefix (`{cognito-guard:revoked}:`),
// and talks to the one node that serves that slot: its SCAN then sees every entry, its sharded
// pub/sub (SSUBSCRIBE/SPUBLISH) carries every announcement, and a PING on the subscription still
// proves the mirror current, as on a single Redis. A failover or a resharding moves the slot;
// `locateShard` is asked again then.

import type { RedisClientLike } from './client';
import { connectTo, hostOf, urlOf } from './connect';
import { withTimeout } from './timeout';

// How long one node may take to say where the slot is before the next is asked.
const ASK_TIMEOUT_MS = 2_000;

/** The key prefix of a store on a Redis Cluster when the options name none. */
export const CLUSTER_KEY_PREFIX = '{cognito-guard:revoked}:';

/** A node's address, as the cluster announces it. */
export interface NodeAddress {
  readonly host: string;
  readonly port: number;
}

/** The node serving the store's slot, and every node the cluster announced beside it. */
export interface ShardLocation {
  readonly owner: NodeAddress;
  readonly nodes: readonly NodeAddress[];
}

/**
 * Whether the connected server is a Redis Cluster node.
 *
 * @example
 * ```ts
 * if (await isClusterNode(client)) prefix = CLUSTER_KEY_PREFIX;
 * ```
 */
export async function isClusterNode(client: RedisClientLike): Promise<boolean> {
  const info = String(await client.sendCommand(['INFO', 'cluster']));
  return /^cluster_enabled:1\b/m.test(info);
}

/**
 * Whether the connected node is a master (ROLE): a replica may hold a sharded subscription and
 * answer PINGs without seeing the messages its master publishes in time.
 *
 * @example
 * ```ts
 * if (!(await isMaster(client))) throw new Error('a replica now');
 * ```
 */
export async function isMaster(client: RedisClientLike): Promise<boolean> {
  const role = (await client.sendCommand(['ROLE'])) as unknown[];
  return role[0] === 'master';
}

/**
 * Whether the node has sharded pub/sub (`SSUBSCRIBE`, `SPUBLISH`: Redis 7.0 and later, Valkey);
 * ElastiCache for Redis 6 and MemoryDB 6.2 clusters have not. A node that will not say is taken
 * to have none: classic pub/sub on the publishing master works on every version.
 *
 * @example
 * ```ts
 * const publish = (await hasShardedPubSub(client)) ? 'SPUBLISH' : 'PUBLISH';
 * ```
 */
export async function hasShardedPubSub(client: RedisClientLike): Promise<boolean> {
  const info = await client
    .sendCommand(['COMMAND', 'INFO', 'SSUBSCRIBE', 'SPUBLISH'])
    .catch(() => undefined);
  return Array.isArray(info) && info.length === 2 && info.every((command) => command !== null);
}

/**
 * Whether every key starting with `prefix` hashes to the slot of the prefix's hash tag: the
 * prefix holds a `{`, and a `}` after it with at least one character between (Redis's rule).
 *
 * @example
 * ```ts
 * hasHashTag('{cognito-guard:revoked}:'); // true
 * hasHashTag('cognito-guard:revoked:');   // false: its keys would spread over the cluster
 * ```
 */
export function hasHashTag(prefix: string): boolean {
  const open = prefix.indexOf('{');
  if (open < 0) return false;
  const close = prefix.indexOf('}', open + 1);
  return close > open + 1;
}

/**
 * Asks a cluster node which master serves `prefix`'s slot (CLUSTER KEYSLOT, CLUSTER SLOTS). A
 * node whose address the cluster does not know (an empty or `?` endpoint) is the one asked,
 * reached at `askedHost`.
 *
 * @example
 * ```ts
 * const { owner } = await locateShard(client, '{cognito-guard:revoked}:', 'my-cache.cfg.use1.cache.amazonaws.com');
 * ```
 */
export async function locateShard(
  client: RedisClientLike,
  prefix: string,
  askedHost: string,
): Promise<ShardLocation> {
  const slot = Number(await client.sendCommand(['CLUSTER', 'KEYSLOT', prefix]));
  const ranges = (await client.sendCommand(['CLUSTER', 'SLOTS'])) as unknown[][];
  const nodes: NodeAddress[] = [];
  let owner: NodeAddress | undefined;
  for (const [start, end, ...servers] of ranges) {
    const addresses = servers.map((server) => addressOf(server as unknown[], askedHost));
    nodes.push(...addresses);
    if (slot >= Number(start) && slot <= Number(end)) owner = addresses[0];
  }
  if (owner === undefined) throw new Error(`no node of the Redis Cluster serves slot ${slot}`);
  return { owner, nodes };
}

/**
 * Whether two addresses name the same node.
 *
 * @example
 * ```ts
 * sameNode({ host: '10.0.0.5', port: 6379 }, { host: '10.0.0.5', port: 6379 }); // true
 * ```
 */
export function sameNode(a: NodeAddress, b: NodeAddress): boolean {
  return a.host === b.host && a.port === b.port;
}

function addressOf([host, port]: unknown[], askedHost: string): NodeAddress {
  const announced = String(host ?? '');
  return {
    host: announced === '' || announced === '?' ? askedHost : announced,
    port: Number(port),
  };
}

/**
 * Asks the seed, then each node the cluster announced before, where the store's slot is served:
 * the seed may be the node that failed.
 *
 * @example
 * ```ts
 * const { owner, nodes } = await locateFrom(seed, url, knownNodes, '{cognito-guard:revoked}:');
 * ```
 */
export async function locateFrom(
  seed: RedisClientLike,
  url: string,
  known: readonly NodeAddress[],
  prefix: string,
): Promise<ShardLocation> {
  if (seed.isReady) {
    try {
      return await locateShard(seed, prefix, hostOf(url));
    } catch {
      // Ask the others.
    }
  }
  for (const node of known) {
    const asked = connectTo(urlOf(url, node));
    asked.on('error', () => undefined);
    try {
      // A dead node (the failed master is among those known) would be retried forever.
      const answer = (async () => {
        await asked.connect();
        return locateShard(asked, prefix, node.host);
      })();
      return await withTimeout(answer, ASK_TIMEOUT_MS, () => asked.destroy());
    } catch {
      // Try the next node.
    } finally {
      asked.destroy();
    }
  }
  throw new Error('no node of the Redis Cluster said which node serves the revocation list');
}
