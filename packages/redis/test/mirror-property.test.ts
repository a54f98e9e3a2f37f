// Property: for any sequence of revocations, sign-outs, expiries and requests, what an instance's
// mirror decides equals what a reference decides by reading Redis directly, key by key. The
// writer is one store, the mirror another's (as two instances), so every answer has crossed
// pub/sub; `refresh()` (a PING on the subscriber connection) is the only synchronisation, which
// is exactly the currency guarantee the guard relies on. On one Redis, and on a Redis Cluster.

import { randomUUID } from 'node:crypto';
import type { Claims } from '@cognito-guard/core';
import { redisServerAvailable, startRedisCluster, startRedisServer } from '@cognito-guard/testing';
import fc from 'fast-check';
import { createClient, createCluster } from 'redis';
import { type RedisRevocationStore, redisRevocationStore } from '../src';

type Step =
  | { readonly op: 'origin' | 'jti'; readonly id: string; readonly untilIn: number }
  | { readonly op: 'signOut'; readonly sub: string; readonly atIn: number }
  | {
      readonly op: 'request';
      readonly claims: { sub: string; jti: string; origin_jti?: string; auth_time?: number };
      readonly at: number;
    };

const ids = fc.constantFrom('a', 'b', 'c', 'd:e', 'é');
const subs = fc.constantFrom('u1', 'u2', 'u3');
const step: fc.Arbitrary<Step> = fc.oneof(
  fc.record({
    op: fc.constantFrom('origin' as const, 'jti' as const),
    id: ids,
    untilIn: fc.integer({ min: -1_000, max: 120_000 }),
  }),
  fc.record({
    op: fc.constant('signOut' as const),
    sub: subs,
    // Whole seconds half the time, so a cut-off often equals a token's auth_time exactly.
    atIn: fc.oneof(
      fc.integer({ min: -120, max: 5 }).map((s) => s * 1000),
      fc.integer({ min: -120_000, max: 5_000 }),
    ),
  }),
  fc.record({
    op: fc.constant('request' as const),
    claims: fc.record(
      {
        sub: subs,
        jti: ids,
        origin_jti: ids,
        auth_time: fc.integer({ min: -125, max: 10 }),
      },
      { requiredKeys: ['sub', 'jti'] },
    ),
    at: fc.integer({ min: 0, max: 150_000 }),
  }),
);

/** A Redis to run the property on: its URL, a reader of its keys, and how to stop it. */
interface Target {
  readonly url: string;
  get(key: string): Promise<string | null>;
  stop(): Promise<void>;
}

async function oneRedis(): Promise<Target> {
  const redis = await startRedisServer();
  const raw = createClient({ url: redis.url });
  await raw.connect();
  return {
    url: redis.url,
    get: (key) => raw.get(key),
    stop: async () => {
      await raw.close();
      await redis.stop();
    },
  };
}

// On a cluster the reference reads through node-redis's own cluster client, which routes each
// key to its slot's master: an independent reading of where the store put what.
async function aCluster(withoutShardedPubSub = false): Promise<Target> {
  const cluster = await startRedisCluster({ replicasPerMaster: 0, withoutShardedPubSub });
  const raw = createCluster({ rootNodes: [{ url: cluster.url }] });
  await raw.connect();
  return {
    url: cluster.nodes[1]?.url as string,
    get: (key) => raw.get(key),
    stop: async () => {
      await raw.close();
      await cluster.stop();
    },
  };
}

describe.each([
  ['one Redis', oneRedis, (id: string) => `prop-${id}:`],
  ['a Redis Cluster', () => aCluster(), (id: string) => `{prop-${id}}:`],
  ['a Redis Cluster before Redis 7', () => aCluster(true), (id: string) => `{prop-${id}}:`],
])('the mirror agrees with %s', (_, start, prefixFor) => {
  const runs = redisServerAvailable() ? it : it.skip;
  let target: Target;
  beforeAll(async () => {
    if (redisServerAvailable()) target = await start();
  }, 30_000);
  afterAll(async () => {
    await target?.stop();
  });

  /** The reference: the three keys a token could be revoked by, read from Redis at `now`. */
  async function referenceDenies(prefix: string, claims: Claims, now: number): Promise<boolean> {
    const read = async (key: string) => {
      const text = await target.get(`${prefix}${key}`);
      return text === null ? undefined : (JSON.parse(text) as { until: number; at?: number });
    };
    const origin =
      claims.origin_jti === undefined ? undefined : await read(`origin:${claims.origin_jti}`);
    if (origin && origin.until > now) return true;
    const jti = await read(`jti:${claims.jti}`);
    if (jti && jti.until > now) return true;
    const signOut = await read(`sub:${claims.sub}`);
    if (!signOut || signOut.until <= now) return false;
    const authTime = claims.auth_time as number | undefined;
    return authTime === undefined || authTime * 1000 <= (signOut.at as number);
  }

  runs(
    'for random sequences of writes and requests',
    async () => {
      await fc.assert(
        fc.asyncProperty(fc.array(step, { minLength: 1, maxLength: 25 }), async (steps) => {
          const prefix = prefixFor(randomUUID());
          const quiet = { warn: () => undefined };
          const { url } = target;
          const writer = redisRevocationStore({ url, keyPrefix: prefix, logger: quiet });
          const reader = redisRevocationStore({ url, keyPrefix: prefix, logger: quiet });
          const stores: RedisRevocationStore[] = [writer, reader];
          try {
            await Promise.all(stores.map((store) => store.ready()));
            const base = Math.floor(Date.now() / 1000) * 1000;
            for (const s of steps) {
              if (s.op === 'signOut') await writer.signOutUser(s.sub, base + s.atIn);
              else if (s.op !== 'request') {
                const revoke = s.op === 'origin' ? writer.revokeOrigin : writer.revokeJti;
                await revoke(s.id, base + s.untilIn);
              } else {
                await reader.refresh();
                const now = Date.now() + s.at;
                const claims: Claims = {
                  ...s.claims,
                  ...(s.claims.auth_time === undefined
                    ? {}
                    : { auth_time: Math.floor(base / 1000) + s.claims.auth_time }),
                };
                const mirror = reader.lookup(claims, now) !== undefined;
                expect([s, mirror]).toEqual([s, await referenceDenies(prefix, claims, now)]);
              }
            }
          } finally {
            await Promise.all(stores.map((store) => store.close()));
          }
        }),
        { numRuns: 60 },
      );
    },
    120_000,
  );
});
