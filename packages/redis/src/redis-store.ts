// A revocation store shared by every instance through Redis: writes go to Redis (and are
// announced to every instance), reads come from this instance's mirror.

import { ConfigError, type Logger } from '@cognito-guard/core';
import {
  lifetimeMs,
  type RevocationEntry,
  type RevocationLifetime,
  type RevocationStore,
  revocationWriter,
} from '@cognito-guard/core/revocation';
import type { RedisClientLike } from './client';
import { clusterPrefix, refuseClusterClient, refusedDatabase } from './cluster-options';
import { isClusterNode, locateShard, type NodeAddress } from './cluster-shard';
import { connectTo, hostOf, urlOf } from './connect';
import { warnIfEvicting } from './eviction-policy';
import { followSlot, type SlotFollower } from './slot-follower';
import { openLink, type StoreLink } from './store-link';
import { checkStoreOptions } from './store-options';
import { replicated, storeEntry } from './store-script';
import { withTimeout } from './timeout';

/** Options of {@link redisRevocationStore}: a Redis URL, or a client the app already has. */
export type RedisRevocationStoreOptions = RevocationLifetime & {
  /**
   * Key prefix of every entry; the pub/sub channel is `<prefix>events`. Default
   * `cognito-guard:revoked:`, and `{cognito-guard:revoked}:` on a Redis Cluster, where the
   * prefix must hold a hash tag so that every entry shares one slot.
   */
  readonly keyPrefix?: string | undefined;
  /**
   * Replicas that must hold a revocation before a revoke call resolves (Redis `WAIT`, up to
   * 1 s), so that a failover just after a logout cannot lose it; a call that gets fewer rejects,
   * the revocation stored and in force all the same, for the caller to retry. Default 0: the
   * master's word. Set it only where the master has replicas (ElastiCache Multi-AZ).
   */
  readonly replicas?: number | undefined;
  /** How often the mirror proves itself current. Default 1,000 ms. */
  readonly heartbeatMs?: number | undefined;
  /** How long `ready()` waits for the first load before rejecting. Default 10,000 ms. */
  readonly readyTimeoutMs?: number | undefined;
  /** Where connection losses and malformed entries are reported. Default `console`. */
  readonly logger?: Logger | undefined;
} & (
    | {
        /**
         * `redis://[[user]:password@]host[:port][/db]`, or `rediss://` for TLS (ElastiCache in
         * transit encryption). On a Redis Cluster, any node or the configuration endpoint.
         */
        readonly url: string;
        readonly client?: undefined;
      }
    | {
        /** A node-redis client (v5 or v6) without `keyPrefix`; the store duplicates it for its subscription and never closes it. */
        readonly client: RedisClientLike;
        readonly url?: undefined;
      }
  );

/** A {@link RevocationStore} backed by Redis, with the size of its local mirror. */
export interface RedisRevocationStore extends RevocationStore {
  /** Entries held in this instance's mirror. */
  readonly size: number;
}

const DEFAULT_PREFIX = 'cognito-guard:revoked:';
// A request waits at most this long for the store to prove itself current before a 503.
const REFRESH_TIMEOUT_MS = 500;
const WRITE_TIMEOUT_MS = 2_000;
// How long a write waits for its replicas (`replicas`) before the call says it may not last.
const REPLICA_WAIT_MS = 1_000;

/**
 * A revocation store on a shared Redis (ElastiCache, Valkey, MemoryDB), standalone or a Redis
 * Cluster (cluster mode enabled, or ElastiCache Serverless): a sign-out or revoked session is
 * denied by every instance within a round trip, and a request's check is a lookup in local
 * memory. Call `await guard.ready()` (or `store.ready()`) before serving.
 *
 * @example
 * ```ts
 * import { redisRevocationStore } from '@cognito-guard/redis';
 *
 * const store = redisRevocationStore({ url: process.env.REDIS_URL! });
 * const guard = cognitoGuard({ ...configFromEnv(process.env), revocation: { store } });
 * await guard.ready();
 * app.post('/logout', guard.authenticate(), async (req, res) => {
 *   await store.revokeToken(req.auth!);
 *   res.sendStatus(204);
 * });
 * ```
 */
export function redisRevocationStore(options: RedisRevocationStoreOptions): RedisRevocationStore {
  const replicas = checkStoreOptions(options);
  const validityMs = lifetimeMs(options);
  const logger = options.logger ?? console;
  const heartbeatMs = options.heartbeatMs ?? 1_000;
  const readyTimeoutMs = options.readyTimeoutMs ?? 10_000;
  const owned = options.client === undefined;
  // '' with a client: a client the app passed is refused on a cluster before any URL is read.
  const url = options.url ?? '';
  // The connection the store starts from: the whole store on one Redis; on a cluster, the node
  // asked where the store's slot lives.
  const seed = options.client ?? connectTo(options.url);
  seed.on('error', () => undefined);
  let link: StoreLink | undefined;
  let follower: SlotFollower | undefined;
  let closed = false;

  const settingsFor = (prefix: string) => ({
    prefix,
    separateWriter: replicas > 0,
    lifetimeMs: validityMs,
    heartbeatMs,
    logger,
  });
  // A link that replaces another keeps in force what the other knew.
  const openClusterLink = async (prefix: string, node: NodeAddress, replaced?: StoreLink) =>
    openLink(connectTo(urlOf(url, node)), {
      ...settingsFor(prefix),
      known: replaced?.mirror.entries(),
      ownsCommands: true,
      openTimeoutMs: readyTimeoutMs,
      cluster: { node, onMoved: () => follower?.relocateSoon() },
    });
  const followCluster = (nodes: readonly NodeAddress[]) =>
    followSlot({
      seed,
      url,
      nodes,
      heartbeatMs,
      staleAfterMs: 2 * heartbeatMs + REFRESH_TIMEOUT_MS,
      logger,
      current: () => link,
      open: (node, replaced) => openClusterLink(replaced.prefix, node, replaced),
      swap(next, replaced) {
        if (closed || link !== replaced) return false;
        link = next;
        return true;
      },
    });

  const connectSeed = async () => {
    const refusal = refusedDatabase(seed);
    try {
      await Promise.race([seed.connect(), refusal.refused]);
    } catch (err) {
      // Refused for good: stop the client retrying in the background.
      if (owned && err instanceof ConfigError) seed.destroy();
      throw err;
    } finally {
      refusal.stop();
    }
  };

  // Connecting and the first load happen once, on ready() or on first need; a failed attempt
  // (Redis dropped between connect and subscribe) is forgotten so that the next call retries.
  let started: Promise<void> | undefined;
  const start = () => {
    started ??= (async () => {
      refuseClusterClient(options.client);
      if (!seed.isOpen) await connectSeed();
      const cluster = await isClusterNode(seed);
      const prefix = cluster
        ? clusterPrefix(options.client, options.keyPrefix)
        : (options.keyPrefix ?? DEFAULT_PREFIX);
      const location = cluster ? await locateShard(seed, prefix, hostOf(url)) : undefined;
      const opened = location
        ? await openClusterLink(prefix, location.owner)
        : await openLink(seed, { ...settingsFor(prefix), ownsCommands: false });
      // close() while this was under way: nothing it opened may outlive the store.
      if (closed) {
        opened.close();
        throw new Error('the revocation store was closed');
      }
      link = opened;
      if (location) follower = followCluster(location.nodes);
      // Before the first write, so that a short-lived caller (the CLI's revoke) hears it too.
      await warnIfEvicting(opened.commands, logger);
    })();
    started.catch(() => {
      started = undefined;
    });
    return started;
  };
  let gaveUpAt = Number.NEGATIVE_INFINITY;

  const store = async (entry: RevocationEntry) => {
    if (entry.until <= Date.now()) return;
    await withTimeout(start(), readyTimeoutMs);
    const current = link as StoreLink;
    // A hung Redis must not hang a logout. A write that timed out may still be applied when
    // Redis answers: revoking is idempotent, so the caller can simply retry.
    await withTimeout(
      storeEntry(current.writer, current.prefix, entry, current.publish),
      WRITE_TIMEOUT_MS,
    ).catch((err) => {
      // MOVED, READONLY, CLUSTERDOWN…: the slot has moved; find it before the caller retries.
      follower?.relocateSoon();
      throw err;
    });
    current.mirror.apply(entry);
    if (replicas > 0) await replicated(current.writer, replicas, REPLICA_WAIT_MS);
  };

  return {
    ...revocationWriter(validityMs, store),
    ready: () => withTimeout(start(), readyTimeoutMs),
    lookup: (claims, now) => link?.mirror.lookup(claims, now),
    // Never loaded means never current: a guard whose app skipped ready() refreshes first.
    stalenessMs: (now) => link?.mirror.stalenessMs(now) ?? Number.POSITIVE_INFINITY,
    refresh() {
      // During an outage, one request a second waits to find out; the rest are refused at once.
      if (Date.now() - gaveUpAt < 2 * REFRESH_TIMEOUT_MS) {
        return Promise.reject(new Error('Redis did not answer a moment ago'));
      }
      return withTimeout(link ? link.mirror.refresh() : start(), REFRESH_TIMEOUT_MS).catch(
        (err) => {
          gaveUpAt = Date.now();
          throw err;
        },
      );
    },
    async close() {
      closed = true;
      follower?.stop();
      link?.close();
      if (owned) seed.destroy();
    },
    get size() {
      return link?.mirror.size ?? 0;
    },
  };
}
