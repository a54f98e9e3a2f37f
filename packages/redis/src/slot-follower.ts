// On a Redis Cluster the store's slot moves: a failover promotes a replica, a resharding hands the
// slot to another master. This keeps the store's link on the master that serves the slot now.

import type { Logger } from '@cognito-guard/core';
import type { RedisClientLike } from './client';
import { locateFrom, type NodeAddress, sameNode } from './cluster-shard';
import type { StoreLink } from './store-link';

// The slot's owner is asked again this often even while all looks well: a master demoted to a
// replica keeps answering PINGs (and relays the shard's messages, so this is a backstop; the
// prompt triggers are a dropped subscription, a stale mirror and a failed write).
const ASK_EVERY_MS = 30_000;

/** What {@link followSlot} needs from the store it serves. */
export interface SlotFollowerSettings {
  /** The connection the store started from, asked first where the slot lives. */
  readonly seed: RedisClientLike;
  /** The store's URL: a link to another node keeps its credentials and TLS. */
  readonly url: string;
  /** The cluster's nodes, as the seed announced them when the store started. */
  readonly nodes: readonly NodeAddress[];
  /** How often to look at the mirror's staleness. */
  readonly heartbeatMs: number;
  /** A mirror staler than this asks at once. */
  readonly staleAfterMs: number;
  readonly logger: Logger;
  /** The link in use. */
  readonly current: () => StoreLink | undefined;
  /** Opens a link to `node` that keeps in force what `replaced` knew. */
  readonly open: (node: NodeAddress, replaced: StoreLink) => Promise<StoreLink>;
  /** Puts `next` in place of `replaced`; false when the store closed or `replaced` is gone. */
  readonly swap: (next: StoreLink, replaced: StoreLink) => boolean;
}

/** A running {@link followSlot}. */
export interface SlotFollower {
  /** Asks where the slot lives and moves there, in the background; a failure waits for the next trigger. */
  readonly relocateSoon: () => void;
  readonly stop: () => void;
}

/**
 * Follows the store's slot: asks the seed, then every node the cluster announced, which master
 * serves it when the mirror goes stale, when `relocateSoon()` is called (a dropped subscription,
 * a refused write) and every 30 s; opens a link there and swaps it in when it is another node.
 *
 * @example
 * ```ts
 * const follower = followSlot({ seed, url, nodes, heartbeatMs, staleAfterMs, logger,
 *   current: () => link, open: (node, old) => openLinkTo(node, old), swap });
 * follower.relocateSoon(); // a write was refused with MOVED
 * ```
 */
export function followSlot(settings: SlotFollowerSettings): SlotFollower {
  let known = settings.nodes;
  let relocating = false;
  const relocate = async () => {
    const current = settings.current();
    if (current?.node === undefined) return;
    const location = await locateFrom(settings.seed, settings.url, known, current.prefix);
    known = location.nodes;
    if (sameNode(current.node, location.owner) && !current.mirror.moved) return;
    const next = await settings.open(location.owner, current);
    if (!settings.swap(next, current)) return next.close();
    current.close();
    settings.logger.warn(
      `cognito-guard: the revocation list's Redis Cluster slot is served by ${location.owner.host}:${location.owner.port} now; reloaded from there`,
    );
  };
  const relocateSoon = () => {
    if (relocating) return;
    relocating = true;
    void relocate()
      .catch(() => undefined)
      .finally(() => {
        relocating = false;
      });
  };
  let lastAskedAt = Date.now();
  const watch = setInterval(() => {
    const stale = (settings.current()?.mirror.stalenessMs() ?? 0) > settings.staleAfterMs;
    if (!stale && Date.now() - lastAskedAt < ASK_EVERY_MS) return;
    lastAskedAt = Date.now();
    relocateSoon();
  }, settings.heartbeatMs);
  watch.unref();
  return { relocateSoon, stop: () => clearInterval(watch) };
}
