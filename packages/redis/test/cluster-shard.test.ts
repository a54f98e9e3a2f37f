// The store's reading of a hash tag against Redis's own: for any prefix, `hasHashTag` says yes
// exactly when every key the store writes under it (and its channel) hashes to one slot, as a
// real cluster node computes slots (CLUSTER KEYSLOT). And the addresses it connects to.

import { type RedisServer, redisServerAvailable, startRedisServer } from '@cognito-guard/testing';
import fc from 'fast-check';
import { createClient } from 'redis';
import type { RedisClientLike } from '../src/client';
import { hasHashTag, hasShardedPubSub } from '../src/cluster-shard';
import { hostOf, urlOf } from '../src/connect';

(redisServerAvailable() ? describe : describe.skip)('a hash tag, as Redis reads it', () => {
  let node: RedisServer;
  let client: ReturnType<typeof createClient>;

  beforeAll(async () => {
    node = await startRedisServer({ clusterEnabled: true });
    client = createClient({ url: node.url });
    await client.connect();
  });
  afterAll(async () => {
    await client.close();
    await node.stop();
  });

  const slotOf = async (key: string) =>
    Number(await client.sendCommand(['CLUSTER', 'KEYSLOT', key]));
  // Prefixes built from the characters that matter, so that tags, empty tags, a `}` before the
  // `{`, and tags a suffix could complete all come up often.
  const prefix = fc
    .array(fc.constantFrom('{', '}', 'a', 'b', ':', '-'), { maxLength: 8 })
    .map((chars) => chars.join(''));
  const suffix = fc.constantFrom('origin:1', 'jti:f3a9', 'sub:u-2', 'events', 'jti:}x', 'sub:{y}');

  it('holds a tag exactly when every key under the prefix shares one slot', async () => {
    await fc.assert(
      fc.asyncProperty(
        prefix,
        fc.uniqueArray(suffix, { minLength: 3, maxLength: 3 }),
        async (p, tails) => {
          const slots = await Promise.all(tails.map((tail) => slotOf(`${p}${tail}`)));
          const oneSlot = slots.every((slot) => slot === slots[0]);
          expect(oneSlot).toBe(hasHashTag(p));
        },
      ),
      { numRuns: 300 },
    );
  });
});

(redisServerAvailable() ? describe : describe.skip)('sharded pub/sub, as a node offers it', () => {
  const servers: RedisServer[] = [];
  const clients: RedisClientLike[] = [];
  afterAll(async () => {
    for (const client of clients) client.destroy();
    await Promise.all(servers.map((server) => server.stop()));
  });
  const clientOn = async (options: Parameters<typeof startRedisServer>[0]) => {
    const server = await startRedisServer(options);
    servers.push(server);
    const client = createClient({ url: server.url }) as unknown as RedisClientLike;
    clients.push(client);
    await client.connect();
    return client;
  };

  it('is there on Redis 7, not where the commands are unknown (before 7), nor where COMMAND is refused', async () => {
    expect(await hasShardedPubSub(await clientOn({ clusterEnabled: true }))).toBe(true);
    const older = await clientOn({ clusterEnabled: true, withoutShardedPubSub: true });
    expect(await hasShardedPubSub(older)).toBe(false);
    // A provider that keeps COMMAND from its users: classic pub/sub works on every version.
    const guarded = await clientOn({ clusterEnabled: true });
    await guarded.sendCommand(['ACL', 'SETUSER', 'default', '-command']);
    await expect(guarded.sendCommand(['COMMAND', 'INFO', 'PING'])).rejects.toThrow(/NOPERM/);
    expect(await hasShardedPubSub(guarded)).toBe(false);
  });
});

describe('node addresses', () => {
  it('keeps the scheme, credentials and TLS of the store URL for another node', () => {
    expect(
      urlOf('rediss://user:s%40cret@cfg.example.com:6379', { host: '10.0.1.7', port: 6380 }),
    ).toBe('rediss://user:s%40cret@10.0.1.7:6380');
    expect(urlOf('redis://cfg.example.com', { host: '::1', port: 7000 })).toBe(
      'redis://[::1]:7000',
    );
    expect(hostOf('redis://[::1]:6379')).toBe('::1');
    expect(hostOf('rediss://cache.example.com:6379')).toBe('cache.example.com');
    expect(hostOf('')).toBe('');
  });
});
