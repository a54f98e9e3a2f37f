// Encoder and decoder must agree: what the store's Lua script writes (and publishes) is read
// back by the mirror's decoder as the same entry, for any id and time, and nothing anyone else
// writes can make the decoder throw.

import { randomUUID } from 'node:crypto';
import type { RevocationEntry } from '@cognito-guard/core/revocation';
import { type RedisServer, redisServerAvailable, startRedisServer } from '@cognito-guard/testing';
import fc from 'fast-check';
import { createClient } from 'redis';
import type { RedisClientLike } from '../src';
import { decodeMessage, decodeStored, isMalformed, keyOf } from '../src/codec';
import { storeEntry } from '../src/store-script';

const FAR_FUTURE = Date.UTC(9999, 0, 1);
const entry: fc.Arbitrary<RevocationEntry> = fc.oneof(
  fc.record({
    kind: fc.constantFrom('origin' as const, 'jti' as const),
    id: fc.string({ minLength: 1, unit: 'binary' }),
    until: fc.integer({ min: 1, max: FAR_FUTURE }),
  }),
  fc.record({
    kind: fc.constant('sub' as const),
    id: fc.string({ minLength: 1, unit: 'binary' }),
    at: fc.integer({ min: 0, max: FAR_FUTURE }),
    until: fc.integer({ min: 1, max: FAR_FUTURE }),
  }),
);

describe('the codec', () => {
  it('never throws on anything found in Redis or on the channel', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.json()), fc.string(), (value, key) => {
        expect(isMalformed(decodeMessage(value)) || decodeMessage(value)).toBeTruthy();
        const stored = decodeStored('p:', `p:${key}`, value);
        expect(typeof stored).toBe('object');
      }),
    );
  });

  it('names what a key revokes even when its value is garbage, so the stricter reading applies', () => {
    expect(decodeStored('p:', 'p:sub:u1', 'yes')).toEqual({
      problem: 'the value is not {"until":<ms>[,"at":<ms>]}',
      names: { kind: 'sub', id: 'u1' },
    });
    expect(decodeStored('p:', 'p:sub:u1', '{"until":5}')).toEqual({
      problem: 'a sign-out value has no "at"',
      names: { kind: 'sub', id: 'u1' },
    });
    // A key that names no kind and id, whatever its value: an empty id, no separator (where
    // reading up to a missing colon would make `p:jtix` a jti), another prefix.
    for (const key of ['p:other:u1', 'p:jti:', 'p:jtix', 'p:sub', 'q:jti:x', 'p::x']) {
      expect(decodeStored('p:', key, '{"until":5}')).toEqual({
        problem: 'the key names no revocation kind and id',
      });
    }
    expect(decodeStored('p:', 'p:jti:x', null)).toEqual({
      problem: 'the key vanished while loading (expired or deleted)',
    });
    expect(decodeStored('p:', 'p:jti:x:y', '{"until":5}')).toEqual({
      kind: 'jti',
      id: 'x:y',
      until: 5,
    });
  });

  it('names what a message revokes even when its times are garbage, as for a stored value', () => {
    expect(decodeMessage('{"kind":"sub","id":"u1","until":5}')).toEqual({
      problem: 'a sign-out message has no "at"',
      names: { kind: 'sub', id: 'u1' },
    });
    expect(decodeMessage('{"kind":"jti","id":"x","until":"tomorrow"}')).toEqual({
      problem: 'the message is not {"kind","id","until"[,"at"]}',
      names: { kind: 'jti', id: 'x' },
    });
    for (const unnamed of [
      '{"kind":"jti"',
      'null',
      '{"kind":"all","id":"x"}',
      '{"kind":"jti","id":""}',
    ]) {
      expect(decodeMessage(unnamed)).toEqual({
        problem: 'the message is not {"kind","id","until"[,"at"]}',
      });
    }
  });
});

(redisServerAvailable() ? describe : describe.skip)(
  "the store's script and the mirror's decoder",
  () => {
    let redis: RedisServer;
    let client: ReturnType<typeof createClient>;
    beforeAll(async () => {
      redis = await startRedisServer();
      client = createClient({ url: redis.url });
      await client.connect();
    });
    afterAll(async () => {
      await client.close();
      await redis.stop();
    });

    it('agree on every entry: what the script stores and publishes decodes to it', async () => {
      const prefix = `codec-${randomUUID()}:`;
      const subscriber = client.duplicate();
      await subscriber.connect();
      const heard: string[] = [];
      await subscriber.subscribe(`${prefix}events`, (message) => heard.push(message));
      try {
        await fc.assert(
          fc.asyncProperty(entry, async (e) => {
            const future = {
              ...e,
              id: `${e.id}-${randomUUID()}`,
              until: Date.now() + 60_000 + (e.until % 1e9),
            };
            await storeEntry(client as unknown as RedisClientLike, prefix, future, 'PUBLISH');
            const key = keyOf(prefix, future);
            expect(decodeStored(prefix, key, await client.get(key))).toEqual(future);
            await subscriber.ping();
            expect(decodeMessage(heard.at(-1) ?? '')).toEqual(future);
          }),
          { numRuns: 100 },
        );
      } finally {
        await subscriber.close();
      }
    });

    it('keeps the stricter of two writes for one id, in Redis and in the announcement', async () => {
      const prefix = `merge-${randomUUID()}:`;
      const now = Date.now();
      const redisClient = client as unknown as RedisClientLike;
      const first = { kind: 'sub', id: 'u', at: now, until: now + 90_000 } as const;
      await storeEntry(redisClient, prefix, first, 'PUBLISH');
      const second = { kind: 'sub', id: 'u', at: now - 5_000, until: now + 60_000 } as const;
      await storeEntry(redisClient, prefix, second, 'PUBLISH');
      const stored = decodeStored(prefix, `${prefix}sub:u`, await client.get(`${prefix}sub:u`));
      expect(stored).toEqual({ kind: 'sub', id: 'u', at: now, until: now + 90_000 });
      expect(await client.pTTL(`${prefix}sub:u`)).toBeGreaterThan(60_000);
    });
  },
);
