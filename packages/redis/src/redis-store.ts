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
import { createClient } from 'redis';
import type { RedisClientLike } from './client';
import { RevocationMirror } from './mirror';
import { storeEntry } from './store-script';

/** Options of {@link redisRevocationStore}: a Redis URL, or a client the app already has. */
export type RedisRevocationStoreOptions = RevocationLifetime & {
  /** Key prefix of every entry; the pub/sub channel is `<prefix>events`. Default `cognito-guard:revoked:`. */
  readonly keyPrefix?: string | undefined;
  /** How often the mirror proves itself current. Default 1,000 ms. */
  readonly heartbeatMs?: number | undefined;
  /** How long `ready()` waits for the first load before rejecting. Default 10,000 ms. */
  readonly readyTimeoutMs?: number | undefined;
  /** Where connection losses and malformed entries are reported. Default `console`. */
  readonly logger?: Logger | undefined;
} & (
    | {
        /** `redis://[[user]:password@]host[:port][/db]`, or `rediss://` for TLS (ElastiCache in transit encryption). */
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

/**
 * A revocation store on a shared Redis (ElastiCache, Valkey, MemoryDB): a sign-out or revoked
 * session is denied by every instance within a round trip, and a request's check is a lookup
 * in local memory. Call `await guard.ready()` (or `store.ready()`) before serving.
 *
 * @example
 * ```ts
 * import { redisRevocationStore } from '@cognito-guard/redis';
 *
 * const store = redisRevocationStore({ url: process.env.REDIS_URL! });
 * const guard = cognitoGuard({ ...configFromEnv(process.env), revocation: { store } });
 * await guard.ready();
 * app.post('/logout', guard.requireAuth(), async (req, res) => {
 *   await store.revokeToken(req.auth!);
 *   res.sendStatus(204);
 * });
 * ```
 */
export function redisRevocationStore(options: RedisRevocationStoreOptions): RedisRevocationStore {
  const validityMs = lifetimeMs(options);
  const prefix = options.keyPrefix ?? DEFAULT_PREFIX;
  const logger = options.logger ?? console;
  const owned = options.client === undefined;
  const commands = options.client ?? connectTo(options.url);
  const subscriber = commands.duplicate();
  // node-redis throws an 'error' event with no listener, which would crash the process.
  const quiet = () => undefined;
  commands.on('error', quiet);
  subscriber.on('error', quiet);
  const mirror = new RevocationMirror(commands, subscriber, {
    prefix,
    channel: `${prefix}events`,
    lifetimeMs: validityMs,
    heartbeatMs: options.heartbeatMs ?? 1_000,
    logger,
  });
  // Connecting and the first load happen once, on ready() or on first need; a failed attempt
  // (Redis dropped between connect and subscribe) is forgotten so that the next call retries.
  let started: Promise<void> | undefined;
  let loaded = false;
  const start = () => {
    started ??= (async () => {
      if (!commands.isOpen) await commands.connect();
      await refuseClusterMode(commands, owned ? 'url' : 'client');
      await mirror.start();
      loaded = true;
    })();
    started.catch(() => {
      started = undefined;
    });
    return started;
  };
  const readyTimeoutMs = options.readyTimeoutMs ?? 10_000;
  let gaveUpAt = Number.NEGATIVE_INFINITY;

  const store = async (entry: RevocationEntry) => {
    if (entry.until <= Date.now()) return;
    await withTimeout(start(), readyTimeoutMs);
    // A hung Redis must not hang a logout. A write that timed out may still be applied when
    // Redis answers: revoking is idempotent, so the caller can simply retry.
    await withTimeout(storeEntry(commands, prefix, entry), WRITE_TIMEOUT_MS);
    mirror.apply(entry);
  };

  return {
    ...revocationWriter(validityMs, store),
    ready: () => withTimeout(start(), readyTimeoutMs),
    lookup: (claims, now) => mirror.lookup(claims, now),
    // Never loaded means never current: a guard whose app skipped ready() refreshes first.
    stalenessMs: (now) => (loaded ? mirror.stalenessMs(now) : Number.POSITIVE_INFINITY),
    refresh() {
      // During an outage, one request a second waits to find out; the rest are refused at once.
      if (Date.now() - gaveUpAt < 2 * REFRESH_TIMEOUT_MS) {
        return Promise.reject(new Error('Redis did not answer a moment ago'));
      }
      return withTimeout(loaded ? mirror.refresh() : start(), REFRESH_TIMEOUT_MS).catch((err) => {
        gaveUpAt = Date.now();
        throw err;
      });
    },
    async close() {
      mirror.stop();
      subscriber.destroy();
      if (owned) commands.destroy();
    },
    get size() {
      return mirror.size;
    },
  };
}

// In a Redis Cluster (an ElastiCache cluster-mode-enabled or Serverless endpoint) the entries
// spread over shards: one connection's SCAN loads only its node's, and its PINGs prove nothing
// about messages other nodes relay. An instance could then miss a revocation and still count
// itself current, so such an endpoint is refused where the store starts.
async function refuseClusterMode(commands: RedisClientLike, field: 'url' | 'client') {
  const info = String(await commands.sendCommand(['INFO', 'cluster']));
  if (!/^cluster_enabled:1\b/m.test(info)) return;
  throw new ConfigError('redisRevocationStore', [
    {
      field,
      message:
        'is a Redis Cluster node (cluster mode enabled), where one connection cannot load or vouch for every entry; use a cluster-mode-disabled endpoint (ElastiCache with cluster mode disabled, or a standalone Valkey or Redis)',
    },
  ]);
}

function connectTo(url: string): RedisClientLike {
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

function withTimeout(promise: Promise<void>, ms: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`Redis did not answer within ${ms} ms`)), ms);
    timer.unref();
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
