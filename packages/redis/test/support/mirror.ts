// A mirror of the store's list on a Redis, outside any store: its own command connection and
// subscriber, no heartbeat of its own (each `refresh()` is one), closed again after use.

import { createClient } from 'redis';
import type { RedisClientLike } from '../../src/client';
import { RevocationMirror } from '../../src/mirror';

/** The store's default key prefix, which these mirrors read. */
export const PREFIX = 'cognito-guard:revoked:';

/** The subscriber's 'ready', for a test that acts after the mirror's own listener has run. */
export interface ReadyEvents {
  once(event: 'ready', listener: () => void): unknown;
}

/**
 * Runs `use` with a mirror of the list at `url`, not yet started, then stops it and closes its
 * connections.
 *
 * @example
 * ```ts
 * await withMirror(redis.url, async (mirror) => {
 *   await mirror.start();
 *   expect(mirror.lookup({ jti })).toBe('jti');
 * });
 * ```
 */
export async function withMirror(
  url: string,
  use: (mirror: RevocationMirror, subscriber: ReadyEvents) => Promise<void>,
): Promise<void> {
  const commands = createClient({ url });
  await commands.connect();
  const subscriber = commands.duplicate();
  subscriber.on('error', () => undefined);
  const mirror = new RevocationMirror(
    commands as unknown as RedisClientLike,
    subscriber as unknown as RedisClientLike,
    {
      prefix: PREFIX,
      channel: `${PREFIX}events`,
      lifetimeMs: 600_000,
      heartbeatMs: 600_000,
      logger: { warn: () => undefined },
    },
  );
  try {
    await use(mirror, subscriber);
  } finally {
    mirror.stop();
    subscriber.destroy();
    commands.destroy();
  }
}
