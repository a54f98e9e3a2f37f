// A Redis that evicts keys when its memory is full may drop revocations before they expire
// (ElastiCache's default parameter groups do: `volatile-lru`). The store reads the policy when
// it starts and warns; the instances that heard a revocation keep it, but one that loads the
// list afterwards does not know it. Against a real redis-server, with its policy set by CONFIG.

import { randomUUID } from 'node:crypto';
import { type RedisServer, redisServerAvailable, startRedisServer } from '@cognito-guard/testing';
import { createClient } from 'redis';
import { type RedisRevocationStore, redisRevocationStore } from '../src';
import type { RedisClientLike } from '../src/client';
import { evictionPolicyOf, mayEvict } from '../src/eviction-policy';

const POLICIES = [
  'noeviction',
  'allkeys-lru',
  'allkeys-lfu',
  'allkeys-random',
  'volatile-lru',
  'volatile-lfu',
  'volatile-random',
  'volatile-ttl',
];

describe('mayEvict', () => {
  it.each(POLICIES)(
    '%s: evicts only under a memory limit, and never under noeviction',
    (policy) => {
      expect(mayEvict({ policy, maxmemoryBytes: 0 })).toBe(false);
      expect(mayEvict({ policy, maxmemoryBytes: 100 * 2 ** 20 })).toBe(policy !== 'noeviction');
    },
  );
});

(redisServerAvailable() ? describe : describe.skip)('the eviction warning', () => {
  let redis: RedisServer;
  let admin: ReturnType<typeof createClient>;
  const stores: RedisRevocationStore[] = [];
  const warnings: string[] = [];
  const logger = { warn: (message: string) => warnings.push(message) };

  beforeAll(async () => {
    redis = await startRedisServer();
    admin = createClient({ url: redis.url });
    await admin.connect();
  });
  afterEach(async () => {
    await Promise.all(stores.splice(0).map((store) => store.close()));
    await admin.configSet({ maxmemory: '0', 'maxmemory-policy': 'noeviction' });
    await admin.flushAll();
    warnings.length = 0;
  });
  afterAll(async () => {
    await admin.close();
    await redis.stop();
  });

  const open = () => {
    const store = redisRevocationStore({ url: redis.url, logger, heartbeatMs: 50 });
    stores.push(store);
    return store;
  };
  /**
   * The eviction warnings of a store's start, as they stand when ready() resolves: the policy is
   * read before the first write, so that a short-lived caller (the CLI's revoke) hears it too.
   */
  const warningsOfStart = async (store: RedisRevocationStore) => {
    await store.ready();
    return warnings.filter((line) => line.includes('evicts keys'));
  };

  it('reads the policy and the limit a server reports', async () => {
    const client = admin as unknown as RedisClientLike;
    expect(await evictionPolicyOf(client)).toEqual({ policy: 'noeviction', maxmemoryBytes: 0 });
    await admin.configSet({ maxmemory: '100mb', 'maxmemory-policy': 'volatile-lru' });
    expect(await evictionPolicyOf(client)).toEqual({
      policy: 'volatile-lru',
      maxmemoryBytes: 100 * 2 ** 20,
    });
  });

  it("warns on ElastiCache's default, volatile-lru under a memory limit, naming the fix", async () => {
    await admin.configSet({ maxmemory: '100mb', 'maxmemory-policy': 'volatile-lru' });
    expect(await warningsOfStart(open())).toEqual([
      expect.stringContaining(
        'this Redis evicts keys when its memory is full (maxmemory-policy volatile-lru, maxmemory 100 MB), revocations included',
      ),
    ]);
    expect(warnings[0]).toContain('Set maxmemory-policy to noeviction');
  });

  it.each([
    ['noeviction under a memory limit', { maxmemory: '100mb', 'maxmemory-policy': 'noeviction' }],
    ['allkeys-lru with no memory limit', { maxmemory: '0', 'maxmemory-policy': 'allkeys-lru' }],
  ])('says nothing on %s', async (_, config) => {
    await admin.configSet(config);
    expect(await warningsOfStart(open())).toEqual([]);
  });

  it('is right to warn: an evicted revocation is lost to an instance that loads the list later', async () => {
    const heard = open();
    await heard.ready();
    const revoked = Array.from({ length: 50 }, () => randomUUID());
    for (const jti of revoked) await heard.revokeJti(jti, Date.now() + 600_000);
    // Memory fills with other keys that expire, as a cache sharing the Redis writes them.
    const used = Number(/^used_memory:(\d+)/m.exec(await admin.info('memory'))?.[1]);
    await admin.configSet({
      maxmemory: String(used + 2 ** 20),
      'maxmemory-policy': 'volatile-lru',
    });
    const filler = 'x'.repeat(10_000);
    for (let i = 0; i < 400; i++) await admin.set(`cache:${i}`, filler, { PX: 600_000 });
    const evicted = Number(/^evicted_keys:(\d+)/m.exec(await admin.info('stats'))?.[1]);
    expect(evicted).toBeGreaterThan(0);

    const later = open();
    await later.ready();
    const lostLater = revoked.filter((jti) => later.lookup({ jti }) !== 'jti');
    expect(lostLater.length).toBeGreaterThan(0);
    // The instance that heard them keeps them all.
    expect(revoked.filter((jti) => heard.lookup({ jti }) !== 'jti')).toEqual([]);
  });
});
