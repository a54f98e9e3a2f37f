// After its subscription drops, an instance's mirror misses whatever is published until it is
// back, and only the reload that follows finds it. Until that reload has finished, nothing may
// vouch for the mirror: heartbeats go on during the reload (the subscription is live again, so
// PINGs are answered), yet a PONG then proves only that the mirror heard what was published
// since the reconnection, not what it missed while away. And a drop during the reload calls for
// another reload: the one under way may have scanned past what was written meanwhile. A large
// list makes a reload long enough for many heartbeats, or a second drop, to happen during it.

import { randomUUID } from 'node:crypto';
import { createGuard, requireGroups } from '@cognito-guard/core';
import {
  createTestIssuer,
  type RedisServer,
  redisServerAvailable,
  startRedisServer,
  type TestIssuer,
} from '@cognito-guard/testing';
import { createClient } from 'redis';
import { type RedisRevocationStore, redisRevocationStore } from '../src';
import type { RevocationMirror } from '../src/mirror';
import { PREFIX, withMirror } from './support/mirror';
import { pollUntil } from './support/poll';

const LIST_SIZE = 150_000;
const HEARTBEAT_MS = 5;
const MAX_STALENESS_SECONDS = 0.05;

/** What the test saw at one moment of the reload: the mirror's proof and the guard's answer. */
interface Reading {
  readonly at: number;
  readonly confirmedAt: number;
  readonly found: boolean;
  readonly reason: string;
}

(redisServerAvailable() ? describe : describe.skip)('the mirror while it reloads', () => {
  let redis: RedisServer;
  let issuer: TestIssuer;
  let store: RedisRevocationStore | undefined;

  beforeAll(async () => {
    [redis, issuer] = await Promise.all([startRedisServer(), createTestIssuer().start()]);
    const raw = await connected();
    // One script call writes the whole list: a round trip per key would take longer than the test.
    await raw.eval("for i = 1, tonumber(ARGV[1]) do redis.call('SET', KEYS[1] .. i, ARGV[2]) end", {
      keys: [`${PREFIX}jti:filler-`],
      arguments: [String(LIST_SIZE), JSON.stringify({ until: Date.now() + 600_000 })],
    });
    await raw.close();
  });
  afterAll(async () => {
    await store?.close();
    await Promise.all([redis.stop(), issuer.stop()]);
  });

  const connected = async () => {
    const client = createClient({ url: redis.url });
    await client.connect();
    return client;
  };
  /** Drops every subscriber connection, then writes revocations without announcing them. */
  const dropSubscribersAndRevoke = async (...jtis: string[]) => {
    const raw = await connected();
    await raw.sendCommand(['CLIENT', 'KILL', 'TYPE', 'pubsub']);
    // Every PING answered before the kill was sent before now.
    const lostAt = Date.now();
    const value = JSON.stringify({ until: Date.now() + 600_000 });
    const entries = jtis.map((jti): [string, string] => [`${PREFIX}jti:${jti}`, value]);
    if (entries.length > 0) await raw.mSet(entries);
    await raw.close();
    return lostAt;
  };
  /** Refreshes until the mirror answers, as it does once its subscriber is back. */
  const refreshedOnceBack = (mirror: RevocationMirror) =>
    pollUntil(
      () =>
        mirror.refresh().then(
          () => true,
          () => false,
        ),
      (answered) => answered,
      { withinMs: 20_000, everyMs: 1 },
    );

  it('is not proven current by heartbeats answered before the reload after a reconnection ends', async () => {
    store = redisRevocationStore({ url: redis.url, heartbeatMs: HEARTBEAT_MS, logger: quiet });
    const guard = createGuard({
      ...issuer.config,
      revocation: { store, maxStalenessSeconds: MAX_STALENESS_SECONDS },
    });
    await guard.ready();
    const missedJti = randomUUID();
    const token = issuer.accessToken({ groups: ['movies-group'], claims: { jti: missedJti } });

    const check = () =>
      guard.check(
        { method: 'GET', path: '/movies', headers: { authorization: `Bearer ${token}` } },
        requireGroups('movies-group'),
      );

    // Written while the mirror was away, and never published: only the reload can find it. No
    // PING answered after the kill counts until that reload has read the list again.
    const lostAt = await dropSubscribersAndRevoke(missedJti);

    const readings: Reading[] = [];
    const deadline = Date.now() + 20_000;
    for (;;) {
      const decision = await check();
      const at = Date.now();
      const found = store.lookup({ jti: missedJti }) === 'jti';
      readings.push({
        at,
        confirmedAt: at - store.stalenessMs(at),
        found,
        reason: decision.reason,
      });
      if (found || at > deadline) break;
      await new Promise((resolve) => setTimeout(resolve, 1));
    }

    const duringReload = readings.filter((reading) => !reading.found);
    const reloadedAt = readings.at(-1)?.found ? (readings.at(-1) as Reading).at : undefined;
    expect(reloadedAt).toBeDefined();
    // The test can only fail if heartbeats were due during the reload: many of them were.
    expect((reloadedAt as number) - lostAt).toBeGreaterThan(20 * HEARTBEAT_MS);
    expect(duringReload.filter((reading) => reading.confirmedAt > lostAt)).toEqual([]);
    // What a request sees: past the staleness bound, the token revoked while the mirror was
    // away is refused (503: the list is not current), never let through on the old list.
    const pastBound = duringReload.filter(
      (reading) => reading.at > lostAt + MAX_STALENESS_SECONDS * 1000,
    );
    expect(pastBound.filter((reading) => reading.reason !== 'revocation_unavailable')).toEqual([]);
    // Once a heartbeat vouches for the reloaded list, the token is refused as revoked.
    const afterReload = await pollUntil(
      check,
      (decision) => decision.reason !== 'revocation_unavailable',
    );
    expect(afterReload).toMatchObject({ allowed: false, reason: 'token_revoked' });
  }, 60_000);

  it('answers refresh() during that reload only once the reload has ended', async () => {
    await withMirror(redis.url, async (mirror) => {
      await mirror.start();
      const loaded = mirror.size;
      const missedJti = randomUUID();
      await dropSubscribersAndRevoke(missedJti);
      // Refused while the subscriber is down; the first answer comes once it is back, when the
      // reload has started (it starts on 'ready').
      expect(await refreshedOnceBack(mirror)).toBe(true);
      expect(mirror.lookup({ jti: missedJti })).toBe('jti');
      expect(mirror.size).toBe(loaded + 1);
    });
  }, 60_000);

  it('reads the list again when the subscription drops and returns during a reload', async () => {
    await withMirror(redis.url, async (mirror, subscriber) => {
      const began = Date.now();
      await mirror.start();
      const loadMs = Date.now() - began;
      // A first drop starts a reload. A second drop, a third of the way through it, comes with
      // revocations written while the mirror is away again: the reload under way may already
      // have scanned past where they landed, so only a reload after it finds them all.
      const missed = Array.from({ length: 200 }, () => randomUUID());
      const secondDrop = new Promise<number>((resolve, reject) => {
        subscriber.once('ready', () => {
          setTimeout(() => dropSubscribersAndRevoke(...missed).then(resolve, reject), loadMs / 3);
        });
      });
      await dropSubscribersAndRevoke();
      const secondLostAt = await secondDrop;
      // Proven current again, since the second drop:
      const deadline = Date.now() + 20_000;
      while (mirror.stalenessMs() >= Date.now() - secondLostAt && Date.now() < deadline) {
        expect(await refreshedOnceBack(mirror)).toBe(true);
      }
      expect(mirror.stalenessMs()).toBeLessThan(Date.now() - secondLostAt);
      expect(missed.filter((jti) => mirror.lookup({ jti }) !== 'jti')).toEqual([]);
    });
  }, 60_000);
});

const quiet = { warn: () => undefined };
