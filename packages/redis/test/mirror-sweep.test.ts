// An instance whose revocations stop coming still lets go of the expired ones: the mirror's list
// sweeps when an entry is added, and a heartbeat sweeps it once a minute when none is, so that
// a quiet night after a busy day does not keep a day of sign-outs in memory. Only the clock is
// faked (Date), so that a minute passes at once while Redis and the timers stay real.

import { type RedisServer, redisServerAvailable, startRedisServer } from '@cognito-guard/testing';
import { createClient } from 'redis';
import { PREFIX, withMirror } from './support/mirror';

(redisServerAvailable() ? describe : describe.skip)('the mirror sweep', () => {
  let redis: RedisServer;
  beforeAll(async () => {
    redis = await startRedisServer();
  });
  afterAll(async () => {
    await redis.stop();
  });
  afterEach(() => {
    jest.useRealTimers();
  });

  it('drops expired entries on a heartbeat once a minute, when no new entry sweeps them', async () => {
    const start = Date.now();
    const until = (ms: number) => JSON.stringify({ until: start + ms });
    const raw = createClient({ url: redis.url });
    await raw.connect();
    await raw.set(`${PREFIX}jti:lasting`, until(600_000));
    for (const id of ['brief-1', 'brief-2', 'brief-3']) {
      await raw.set(`${PREFIX}jti:${id}`, until(1_000));
    }
    await raw.close();
    const at = (ms: number) => {
      jest.useFakeTimers({ now: start + ms, doNotFake: [...REAL_TIMERS] });
    };
    // No heartbeat of its own during the test: each refresh() is one.
    await withMirror(redis.url, async (mirror) => {
      await mirror.start();
      expect(mirror.size).toBe(4);
      // Expired, but less than a minute since the mirror began: kept until the sweep is due.
      at(59_000);
      await mirror.refresh();
      expect(mirror.size).toBe(4);
      expect(mirror.lookup({ jti: 'brief-1' })).toBeUndefined();
      at(61_000);
      await mirror.refresh();
      expect(mirror.size).toBe(1);
      expect(mirror.lookup({ jti: 'lasting' })).toBe('jti');
      // The next sweep is a minute after that one, not on every heartbeat.
      mirror.apply({ kind: 'jti', id: 'brief-4', until: start + 62_000 });
      at(63_000);
      await mirror.refresh();
      expect(mirror.size).toBe(2);
      at(122_000);
      await mirror.refresh();
      expect(mirror.size).toBe(1);
    });
  });
});

// Everything but Date: Redis's sockets and the mirror's timers run as they do in production.
const REAL_TIMERS = [
  'hrtime',
  'nextTick',
  'performance',
  'queueMicrotask',
  'setImmediate',
  'clearImmediate',
  'setInterval',
  'clearInterval',
  'setTimeout',
  'clearTimeout',
] as const;
