// What a store reads and writes through: a command connection, a subscribed one, and the mirror
// they feed. A store on one Redis keeps one link for its life; a store on a Redis Cluster opens
// a new one to whichever node serves its slot after a failover, and closes the old.

import type { Logger } from '@cognito-guard/core';
import type { RevocationEntry } from '@cognito-guard/core/revocation';
import type { RedisClientLike } from './client';
import { hasShardedPubSub, isMaster, type NodeAddress } from './cluster-shard';
import { RevocationMirror } from './mirror';
import { withTimeout } from './timeout';

/** The connections to one Redis node (or one cluster shard's master) and the mirror they feed. */
export interface StoreLink {
  readonly commands: RedisClientLike;
  /** The connection writes go through: `commands`, or its own when writes wait for replicas. */
  readonly writer: RedisClientLike;
  readonly mirror: RevocationMirror;
  readonly prefix: string;
  readonly publish: 'PUBLISH' | 'SPUBLISH';
  /** The cluster node this link talks to; undefined on a Redis that is no cluster. */
  readonly node: NodeAddress | undefined;
  /** Stops the mirror; closes the connections the link opened. */
  close(): void;
}

/** How to open a {@link StoreLink}. */
export interface LinkSettings {
  readonly prefix: string;
  readonly lifetimeMs: number;
  readonly heartbeatMs: number;
  readonly logger: Logger;
  /** Whether the link owns `commands` and closes it (false for a client the app passed). */
  readonly ownsCommands: boolean;
  /**
   * Give writes their own connection: a write that waits for replicas (WAIT blocks its
   * connection) must not hold up the mirror's loads and checks behind it.
   */
  readonly separateWriter?: boolean | undefined;
  /** Entries to keep in force from the link this one replaces. */
  readonly known?: Iterable<RevocationEntry> | undefined;
  /** How long connecting, subscribing and loading may take; unbounded when undefined. */
  readonly openTimeoutMs?: number | undefined;
  /** On a cluster: the node `commands` talks to, and what to do when it stops serving the slot. */
  readonly cluster?: { readonly node: NodeAddress; readonly onMoved: () => void } | undefined;
}

/**
 * Subscribes a duplicate of `commands` to the store's channel, loads every entry, and answers
 * the link. Whatever it opened is closed again if that fails.
 *
 * @example
 * ```ts
 * const link = await openLink(client, { prefix, lifetimeMs, heartbeatMs: 1000, logger, ownsCommands: true });
 * link.mirror.lookup(claims);
 * ```
 */
export async function openLink(
  commands: RedisClientLike,
  settings: LinkSettings,
): Promise<StoreLink> {
  const subscriber = commands.duplicate();
  const writer = settings.separateWriter ? commands.duplicate() : commands;
  // node-redis throws an 'error' event with no listener, which would crash the process. A client
  // the link does not own already has one (added again on every attempt, they would pile up).
  const quiet = () => undefined;
  if (settings.ownsCommands) commands.on('error', quiet);
  subscriber.on('error', quiet);
  if (writer !== commands) writer.on('error', quiet);
  const { prefix, cluster } = settings;
  let mirror: RevocationMirror | undefined;
  const close = () => {
    mirror?.stop();
    subscriber.destroy();
    if (writer !== commands) writer.destroy();
    if (settings.ownsCommands) commands.destroy();
  };
  const opening = (async () => {
    if (!commands.isOpen) await commands.connect();
    // The cluster's map may still name a master that has just been demoted.
    if (cluster && !(await isMaster(commands))) {
      throw new Error(`${cluster.node.host}:${cluster.node.port} is not a master any more`);
    }
    // Before Redis 7 a cluster has classic pub/sub only: subscribed on the master that runs the
    // store's script, a PING still follows every message that script published before it.
    const sharded = cluster !== undefined && (await hasShardedPubSub(commands));
    mirror = new RevocationMirror(commands, subscriber, {
      prefix,
      channel: `${prefix}events`,
      lifetimeMs: settings.lifetimeMs,
      heartbeatMs: settings.heartbeatMs,
      logger: settings.logger,
      cluster: cluster && { onMoved: cluster.onMoved, sharded },
      known: settings.known,
    });
    await mirror.start();
    if (!writer.isOpen) await writer.connect();
    return { mirror, publish: sharded ? 'SPUBLISH' : 'PUBLISH' } as const;
  })();
  try {
    // A node that vanished would have the clients retry forever; closing them ends the wait.
    const opened = await (settings.openTimeoutMs === undefined
      ? opening
      : withTimeout(opening, settings.openTimeoutMs, close));
    return { commands, writer, ...opened, prefix, node: cluster?.node, close };
  } catch (err) {
    close();
    throw err;
  }
}
