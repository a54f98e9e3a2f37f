// Each instance's copy of the revocations in Redis, so that a request's check is a local lookup.
//
// Why pub/sub: a revocation is written (SET) and announced (PUBLISH) in one MULTI, so every
// subscribed instance hears of it within a round trip, and nothing polls. Pub/sub forgets what
// it sent while a subscriber was away, so every (re)connection reloads the whole list with SCAN,
// subscribing first and replaying what arrived during the scan. Keyspace notifications would
// need `notify-keyspace-events` set on the server (ElastiCache: a parameter group) and carry no
// value; streams would keep a log that must itself be trimmed.
//
// How current it is: a PING on the subscriber connection is answered after every message
// published before it, so each PONG proves the mirror held every revocation stored before the
// PING was sent. `stalenessMs` is the time since the last such proof (or reload).

import type { Claims, Logger, RevocationKind } from '@cognito-guard/core';
import { type RevocationEntry, RevocationList } from '@cognito-guard/core/revocation';
import type { RedisClientLike } from './client';
import { isMaster } from './cluster-shard';
import { decodeMessage, decodeStored, isMalformed, type Malformed } from './codec';

/** Settings of a {@link RevocationMirror}. */
export interface MirrorOptions {
  readonly prefix: string;
  readonly channel: string;
  /** Lifetime of an entry recovered from a malformed value. */
  readonly lifetimeMs: number;
  /** How often the subscriber connection is pinged to prove the mirror current. */
  readonly heartbeatMs: number;
  readonly logger: Logger;
  /**
   * On a Redis Cluster, the master serving the channel's slot: only while it is one does a PING
   * prove anything, and `onMoved` is called when it stops serving the slot, so that the store
   * can find the node that does. `sharded`: listen with sharded pub/sub (SSUBSCRIBE, Redis 7+);
   * otherwise with SUBSCRIBE on the same node, where the messages are published.
   */
  readonly cluster?: { readonly onMoved: () => void; readonly sharded: boolean } | undefined;
  /** Entries known before this mirror (another node's mirror, after a failover), kept in force. */
  readonly known?: Iterable<RevocationEntry> | undefined;
}

const SCAN_COUNT = 1000;
const SWEEP_EVERY_MS = 60_000;

/**
 * A local, always-readable copy of the revocations in Redis, kept current over pub/sub.
 *
 * @example
 * ```ts
 * const mirror = new RevocationMirror(commands, subscriber, options);
 * await mirror.start();
 * mirror.lookup(principal.claims); // 'origin' | 'jti' | 'sub' | undefined
 * ```
 */
export class RevocationMirror {
  private list = new RevocationList();
  private confirmedAt = Number.NEGATIVE_INFINITY;
  /** Counts subscriber (re)connections: a proof from an older connection proves nothing. */
  private connection = 0;
  private reloading: Promise<void> | undefined;
  private arrivedDuringReload: RevocationEntry[] | undefined;
  private heartbeat: NodeJS.Timeout | undefined;
  private sweptAt = Date.now();
  private readonly warnedKeys = new Set<string>();
  private outageLogged = false;
  private subscribed = false;
  private slotMoved = false;

  constructor(
    private readonly commands: RedisClientLike,
    private readonly subscriber: RedisClientLike,
    private readonly options: MirrorOptions,
  ) {
    this.subscriber.on('error', this.onError);
    for (const entry of options.known ?? []) this.list.add(entry);
  }

  /**
   * Connects, subscribes, loads every entry, and starts the heartbeat. Rejects if the first
   * load fails; the mirror keeps trying in the background and becomes current when Redis answers.
   */
  async start(): Promise<void> {
    if (this.subscribed) return this.reload();
    if (!this.subscriber.isOpen) await this.subscriber.connect();
    if (this.options.cluster?.sharded) {
      await this.subscriber.sSubscribe(this.options.channel, this.onMessage);
      this.subscriber.on('sharded-channel-moved', this.onMoved);
    } else {
      await this.subscriber.subscribe(this.options.channel, this.onMessage);
    }
    this.subscribed = true;
    // Only now: a reload triggered by the first 'ready' would scan before the subscription.
    this.subscriber.on('ready', this.onReady);
    this.subscriber.on('end', this.onLost);
    this.subscriber.on('reconnecting', this.onLost);
    this.heartbeat = setInterval(
      () => void this.beat().catch(() => undefined),
      this.options.heartbeatMs,
    );
    this.heartbeat.unref();
    this.connection += 1;
    await this.reload();
  }

  /** Every entry in force, for a mirror that takes over from this one. */
  entries(now?: number): Iterable<RevocationEntry> {
    return this.list.entries(now);
  }

  /** Which revocation denies a token with these claims. */
  lookup(claims: Claims, now?: number): RevocationKind | undefined {
    return this.list.find(claims, now);
  }

  /** Milliseconds since the mirror was last proven current (Infinity before the first load). */
  stalenessMs(now = Date.now()): number {
    return Math.max(0, now - this.confirmedAt);
  }

  /** Applies an entry this instance has just stored, without waiting for its own message. */
  apply(entry: RevocationEntry): void {
    this.list.add(entry);
  }

  /** Whether the node stopped serving the channel's slot (on a Redis Cluster). */
  get moved(): boolean {
    return this.slotMoved;
  }

  /** Number of entries held. */
  get size(): number {
    return this.list.size;
  }

  /**
   * Proves the mirror current now: a reload if one is due or running, else one heartbeat.
   * Rejects when Redis cannot be reached.
   */
  refresh(): Promise<void> {
    if (this.reloading) return this.reloading;
    if (!this.subscriber.isReady) {
      return Promise.reject(new Error('the Redis subscriber connection is down'));
    }
    return this.beat();
  }

  /** Stops the heartbeat and the subscription's listeners. */
  stop(): void {
    clearInterval(this.heartbeat);
    this.subscriber.off('ready', this.onReady);
    this.subscriber.off('end', this.onLost);
    this.subscriber.off('reconnecting', this.onLost);
    this.subscriber.off('sharded-channel-moved', this.onMoved);
  }

  private readonly onReady = () => {
    this.connection += 1;
    if (this.outageLogged) {
      this.outageLogged = false;
      this.options.logger.warn('cognito-guard: Redis is back; reloading the revocation list');
    }
    void this.reload().catch(() => undefined);
  };

  private readonly onLost = () => {
    this.connection += 1;
  };

  // The node no longer serves the channel's slot and has dropped the subscription, yet still
  // answers PINGs: nothing it says proves the mirror current any more.
  private readonly onMoved = () => {
    this.connection += 1;
    this.slotMoved = true;
    this.options.cluster?.onMoved();
  };

  private readonly onError = (err: Error) => {
    if (this.outageLogged) return;
    this.outageLogged = true;
    this.options.logger.warn(
      `cognito-guard: lost Redis for the revocation list (${err.message}); requests get 503 once it is more than revocation.maxStalenessSeconds old, unless onStoreUnavailable is 'allow'`,
    );
  };

  private readonly onMessage = (message: string) => {
    const decoded = decodeMessage(message);
    const entry = isMalformed(decoded)
      ? this.recover(`a message on ${this.options.channel}`, decoded, Date.now())
      : decoded;
    if (entry === undefined) return;
    this.arrivedDuringReload?.push(entry);
    this.list.add(entry);
  };

  private async beat(): Promise<void> {
    const connection = this.connection;
    const sentAt = Date.now();
    // A master demoted to a replica may keep the subscription and answer PINGs while the
    // messages are published on the new master: only a master's PING proves anything.
    if (this.options.cluster && !(await isMaster(this.commands))) return this.onMoved();
    await this.subscriber.ping();
    if (connection === this.connection && this.reloading === undefined && !this.slotMoved) {
      this.confirmedAt = Math.max(this.confirmedAt, sentAt);
    }
    if (sentAt - this.sweptAt >= SWEEP_EVERY_MS) {
      this.sweptAt = sentAt;
      this.list.sweep(sentAt);
    }
  }

  private reload(): Promise<void> {
    this.reloading ??= this.loadUntilSettled().finally(() => {
      this.reloading = undefined;
      this.arrivedDuringReload = undefined;
    });
    return this.reloading;
  }

  // A reconnection during a load joins it (the load under way is the reload it asks for), yet
  // that load may have scanned past what was written while the subscriber was away again: the
  // list is read again, until a load ends on the connection it began with. A subscriber still
  // down at the end reloads on its own 'ready'.
  private async loadUntilSettled(): Promise<void> {
    for (;;) {
      const connection = this.connection;
      await this.load();
      if (connection === this.connection || !this.subscriber.isReady || this.slotMoved) return;
    }
  }

  // The subscription is live before the scan starts (node-redis resubscribes before 'ready'), so
  // an entry written during the scan is either scanned or heard, and both end up in the list.
  private async load(): Promise<void> {
    const connection = this.connection;
    const startedAt = Date.now();
    this.arrivedDuringReload = [];
    const fresh = new RevocationList();
    const pattern = `${escapeGlob(this.options.prefix)}*`;
    for await (const keys of this.commands.scanIterator({ MATCH: pattern, COUNT: SCAN_COUNT })) {
      if (keys.length === 0) continue;
      const values = await this.commands.mGet(keys);
      keys.forEach((key, index) => {
        this.loadOne(fresh, key, values[index] ?? null, startedAt);
      });
    }
    for (const entry of this.arrivedDuringReload) fresh.add(entry);
    // What the mirror knew stays in force until it expires, whatever Redis holds now: a node that
    // failed before replicating, or was replaced empty, must not lift a revocation this instance
    // has heard of. The stricter reading wins; nothing in the store un-revokes.
    for (const entry of this.list.entries(startedAt)) fresh.add(entry, startedAt);
    this.list = fresh;
    if (connection === this.connection && !this.slotMoved) {
      this.confirmedAt = Math.max(this.confirmedAt, startedAt);
    }
  }

  private loadOne(list: RevocationList, key: string, value: string | null, now: number): void {
    const decoded = decodeStored(this.options.prefix, key, value);
    if (!isMalformed(decoded)) {
      list.add(decoded);
      return;
    }
    if (value === null) return;
    const entry = this.recover(`key ${key}`, decoded, now);
    if (entry !== undefined) list.add(entry);
  }

  // Something written or published by hand denies what it names (the stricter reading), from
  // now on, for as long as a token can live.
  private recover(where: string, malformed: Malformed, now: number): RevocationEntry | undefined {
    this.warn(where, malformed);
    if (malformed.names === undefined) return undefined;
    const until = now + this.options.lifetimeMs;
    const { kind, id } = malformed.names;
    return kind === 'sub' ? { kind, id, at: now, until } : { kind, id, until };
  }

  private warn(where: string, malformed: Malformed): void {
    if (this.warnedKeys.has(where)) return;
    this.warnedKeys.add(where);
    const treatment = malformed.names
      ? `treated as a revocation of ${malformed.names.kind} ${malformed.names.id} from now on`
      : 'ignored';
    this.options.logger.warn(
      `cognito-guard: malformed revocation entry at ${where}: ${malformed.problem}; ${treatment}`,
    );
  }
}

// SCAN's MATCH is a glob: a prefix containing * ? [ ] or \ must match only itself.
function escapeGlob(text: string): string {
  return text.replace(/[*?[\]\\]/g, '\\$&');
}
