// The Redis store against a real redis-server: revocations written through one instance are
// denied by another, entries expire in Redis, an outage fails closed with 503 (never 500) and
// heals without a restart, and nothing written by hand can crash a guard.

import { randomUUID } from 'node:crypto';
import { ConfigError, createGuard, type Guard, requireGroups } from '@cognito-guard/core';
import {
  createTestIssuer,
  type RedisServer,
  redisServerAvailable,
  startRedisServer,
  type TestIssuer,
} from '@cognito-guard/testing';
import { createClient } from 'redis';
import { NotReplicatedError, type RedisRevocationStore, redisRevocationStore } from '../src';
import { pollUntil } from './support/poll';

const PREFIX = 'cognito-guard:revoked:';

(redisServerAvailable() ? describe : describe.skip)('the Redis revocation store', () => {
  let redis: RedisServer;
  let issuer: TestIssuer;
  const stores: RedisRevocationStore[] = [];
  const warnings: string[] = [];
  const logger = { warn: (message: string) => warnings.push(message) };

  beforeAll(async () => {
    [redis, issuer] = await Promise.all([startRedisServer(), createTestIssuer().start()]);
  });
  afterEach(async () => {
    await Promise.all(stores.splice(0).map((store) => store.close()));
    warnings.length = 0;
  });
  afterAll(async () => {
    await Promise.all([redis.stop(), issuer.stop()]);
  });

  const open = (options: Partial<Parameters<typeof redisRevocationStore>[0]> = {}) => {
    const store = redisRevocationStore({
      url: redis.url,
      logger,
      heartbeatMs: 100,
      ...options,
    } as never);
    stores.push(store);
    return store;
  };
  const guardOn = (store: RedisRevocationStore, extra: object = {}): Guard =>
    createGuard({ ...issuer.config, revocation: { store, maxStalenessSeconds: 1, ...extra } });
  const check = (guard: Guard, token: string) =>
    guard.check(
      { method: 'GET', path: '/movies', headers: { authorization: `Bearer ${token}` } },
      requireGroups('movies-group'),
    );
  const sessionToken = (originJti: string, sub?: string, authTime?: number) =>
    issuer.accessToken({
      groups: ['movies-group'],
      ...(sub ? { sub } : {}),
      claims: {
        origin_jti: originJti,
        jti: randomUUID(),
        ...(authTime ? { auth_time: authTime } : {}),
      },
    });
  /** Waits (generously; no timing is asserted) until a guard's answer for a token has the reason. */
  const eventually = (guard: Guard, token: string, reason: string) =>
    pollUntil(
      () => check(guard, token),
      (decision) => decision.reason === reason,
    );
  /** Runs `use` on a connection of the test's own to the Redis at `url`, closed after. */
  const withRaw = async <T>(use: (raw: RawClient) => Promise<T>, url = redis.url): Promise<T> => {
    const raw = rawClient(url);
    await raw.connect();
    try {
      return await use(raw);
    } finally {
      await raw.close();
    }
  };

  it('denies on instance B what instance A revoked: a session, one token, a sign-out', async () => {
    const [a, b] = [open(), open()];
    const [guardA, guardB] = [guardOn(a), guardOn(b)];
    await Promise.all([guardA.ready(), guardB.ready()]);

    const session = randomUUID();
    const sessionTokens = [sessionToken(session), sessionToken(session)];
    const otherSession = sessionToken(randomUUID());
    expect(await check(guardB, sessionTokens[0] as string)).toMatchObject({ allowed: true });
    await a.revokeToken(sessionTokens[0] as string);
    expect(await check(guardA, sessionTokens[1] as string)).toMatchObject({
      reason: 'token_revoked',
    });
    for (const token of sessionTokens) {
      expect(await eventually(guardB, token, 'token_revoked')).toMatchObject({ status: 401 });
    }
    expect(await check(guardB, otherSession)).toMatchObject({ allowed: true });

    const jti = randomUUID();
    const single = issuer.accessToken({ groups: ['movies-group'], claims: { jti } });
    await a.revokeJti(jti, Date.now() + 60_000);
    expect(await eventually(guardB, single, 'token_revoked')).toMatchObject({ status: 401 });

    const sub = randomUUID();
    const loginBefore = Math.floor(Date.now() / 1000) - 30;
    const before = sessionToken(randomUUID(), sub, loginBefore);
    await a.signOutUser(sub);
    expect(await eventually(guardB, before, 'token_revoked')).toMatchObject({ status: 401 });
    const later = sessionToken(randomUUID(), sub, Math.floor(Date.now() / 1000) + 2);
    expect(await check(guardB, later)).toMatchObject({ allowed: true });
  });

  it('never answers from an empty list when the app skipped ready(): the first request loads it', async () => {
    const writer = open();
    const session = randomUUID();
    await writer.revokeOrigin(session, Date.now() + 60_000);
    const lazy = open();
    const guard = guardOn(lazy);
    expect(lazy.stalenessMs()).toBe(Number.POSITIVE_INFINITY);
    expect(await check(guard, sessionToken(session))).toMatchObject({ reason: 'token_revoked' });
    expect(await check(guard, sessionToken(randomUUID()))).toMatchObject({ allowed: true });
  });

  it('stores one key per entry that Redis expires by itself', async () => {
    const store = open();
    await store.ready();
    const origin = randomUUID();
    // Long enough to read the key back on a loaded machine, short enough to watch it go.
    const until = Date.now() + 1_500;
    await store.revokeOrigin(origin, until);
    await withRaw(async (raw) => {
      const key = `${PREFIX}origin:${origin}`;
      expect(JSON.parse((await raw.get(key)) ?? 'null')).toEqual({ until: expect.any(Number) });
      // Redis expires it at the entry's own end, to the millisecond.
      expect(await raw.sendCommand(['PEXPIRETIME', key])).toBe(until);
      await new Promise((resolve) => setTimeout(resolve, until + 200 - Date.now()));
      expect(await raw.exists(key)).toBe(0);
      expect(store.lookup({ origin_jti: origin })).toBeUndefined();
      const sub = randomUUID();
      await store.signOutUser(sub);
      expect(await raw.pTTL(`${PREFIX}sub:${sub}`)).toBeGreaterThan(29 * 86_400_000);
    });
  });

  it.each([
    ['the default prefix', {}],
    // SCAN's MATCH is a glob: the prefix's own * ? [ ] and backslash must match only themselves.
    ['a prefix with glob characters', { keyPrefix: `app*?[x]\\${randomUUID()}:` }],
  ])(
    'keeps the denylist across an app restart, under %s: a new store loads it from Redis',
    async (_, prefix) => {
      const first = open(prefix);
      await first.ready();
      const session = randomUUID();
      await first.revokeOrigin(session, Date.now() + 60_000);
      await first.close();
      const restarted = open(prefix);
      const guard = guardOn(restarted);
      await guard.ready();
      expect(await check(guard, sessionToken(session))).toMatchObject({ reason: 'token_revoked' });
    },
  );

  it('keeps what it heard when Redis comes back without it (a node replaced empty)', async () => {
    const [writer, reader] = [open(), open()];
    const guard = guardOn(reader);
    await Promise.all([writer.ready(), guard.ready()]);
    const heard = randomUUID();
    await writer.revokeOrigin(heard, Date.now() + 60_000);
    expect(await eventually(guard, sessionToken(heard), 'token_revoked')).toMatchObject({
      status: 401,
    });
    // Redis emptied, then one entry written without an announcement: only a reload can find it.
    const reloaded = randomUUID();
    await withRaw(async (raw) => {
      await raw.flushAll();
      await raw.set(`${PREFIX}origin:${reloaded}`, `{"until":${Date.now() + 60_000}}`);
      // Every subscriber drops and reconnects, so the reader reloads from the emptied Redis.
      await raw.sendCommand(['CLIENT', 'KILL', 'TYPE', 'pubsub']);
    });
    expect(await eventually(guard, sessionToken(reloaded), 'token_revoked')).toMatchObject({
      status: 401,
    });
    expect(await check(guard, sessionToken(heard))).toMatchObject({ reason: 'token_revoked' });
    expect(await check(guard, sessionToken(randomUUID()))).toMatchObject({ allowed: true });
  });

  it('survives garbage written by hand: no crash, a clear log line, and the stricter reading', async () => {
    const raw = createClient({ url: redis.url });
    await raw.connect();
    const sub = randomUUID();
    const origin = randomUUID();
    try {
      await raw.set(`${PREFIX}sub:${sub}`, 'yes please');
      await raw.set(`${PREFIX}origin:${origin}`, '{"until":"tomorrow"}');
      await raw.set(`${PREFIX}nonsense`, '{}');
      const store = open();
      const guard = guardOn(store);
      await guard.ready();
      expect(await check(guard, sessionToken(randomUUID(), sub, 1))).toMatchObject({
        reason: 'token_revoked',
      });
      expect(await check(guard, sessionToken(origin))).toMatchObject({ reason: 'token_revoked' });
      expect(await check(guard, sessionToken(randomUUID()))).toMatchObject({ allowed: true });
      expect(warnings).toEqual(
        expect.arrayContaining([
          expect.stringContaining(`malformed revocation entry at key ${PREFIX}sub:${sub}`),
          expect.stringContaining(
            `key ${PREFIX}nonsense: the key names no revocation kind and id; ignored`,
          ),
        ]),
      );
      // The channel's first malformed message is logged; later ones are not (no log flood).
      const garbled = randomUUID();
      await raw.publish(`${PREFIX}events`, `{"kind":"jti","id":"${garbled}","until":"soon"}`);
      await raw.publish(`${PREFIX}events`, '{"kind":"jti"');
      await raw.publish(`${PREFIX}events`, 'null');
      const single = randomUUID();
      await store.revokeJti(single, Date.now() + 60_000);
      expect(store.lookup({ jti: single })).toBe('jti');
      expect(store.lookup({ jti: garbled })).toBe('jti');
      expect(warnings.filter((line) => line.includes(`a message on ${PREFIX}events`))).toEqual([
        expect.stringContaining(
          `the message is not {"kind","id","until"[,"at"]}; treated as a revocation of jti ${garbled} from now on`,
        ),
      ]);
    } finally {
      await raw.del([`${PREFIX}sub:${sub}`, `${PREFIX}origin:${origin}`, `${PREFIX}nonsense`]);
      await raw.close();
    }
  });

  it('fails closed through an outage: 503 past the staleness bound, never 500, and heals on its own', async () => {
    const store = open();
    const guard = guardOn(store);
    await guard.ready();
    const token = sessionToken(randomUUID());
    const revokedSession = randomUUID();
    await store.revokeOrigin(revokedSession, Date.now() + 600_000);
    expect(await check(guard, token)).toMatchObject({ allowed: true });

    await redis.kill();
    const statuses = new Set<number>();
    const deadline = Date.now() + 10_000;
    let outage = await check(guard, token);
    while (outage.status !== 503 && Date.now() < deadline) {
      statuses.add(outage.status);
      await new Promise((resolve) => setTimeout(resolve, 50));
      outage = await check(guard, token);
    }
    expect(outage).toMatchObject({ allowed: false, status: 503, reason: 'revocation_unavailable' });
    expect(outage.error?.headers).toEqual({ 'Retry-After': '1', 'Cache-Control': 'no-store' });
    expect([...statuses].every((status) => status === 200)).toBe(true);
    await expect(store.signOutUser(randomUUID())).rejects.toThrow();

    await redis.restart();
    const healed = await eventually(guard, token, 'rule_satisfied');
    expect(healed).toMatchObject({ allowed: true });
    // Redis kept its data (append-only file), and the reloaded mirror still denies.
    expect(await check(guard, sessionToken(revokedSession))).toMatchObject({
      reason: 'token_revoked',
    });
    expect(warnings.some((line) => line.includes('lost Redis'))).toBe(true);
    expect(warnings.some((line) => line.includes('Redis is back'))).toBe(true);
  }, 30_000);

  it('fails closed when Redis hangs (a partition: connections open, nothing answers), and recovers', async () => {
    const store = open();
    const guard = guardOn(store);
    await guard.ready();
    const token = sessionToken(randomUUID());
    redis.pause();
    try {
      const deadline = Date.now() + 10_000;
      let decision = await check(guard, token);
      while (decision.status !== 503 && Date.now() < deadline) {
        expect(decision.status).toBe(200);
        await new Promise((resolve) => setTimeout(resolve, 100));
        decision = await check(guard, token);
      }
      expect(decision).toMatchObject({ status: 503, reason: 'revocation_unavailable' });
      await expect(store.revokeOrigin(randomUUID(), Date.now() + 60_000)).rejects.toThrow();
    } finally {
      redis.resume();
    }
    expect(await eventually(guard, token, 'rule_satisfied')).toMatchObject({ allowed: true });
  }, 30_000);

  it("with onStoreUnavailable: 'allow', keeps answering 200 through an outage", async () => {
    const store = open();
    const guard = guardOn(store, { onStoreUnavailable: 'allow' });
    await guard.ready();
    const token = sessionToken(randomUUID());
    await redis.kill();
    try {
      await new Promise((resolve) => setTimeout(resolve, 1_500));
      expect(store.stalenessMs()).toBeGreaterThan(1_000);
      expect(await check(guard, token)).toMatchObject({ allowed: true });
    } finally {
      await redis.restart();
    }
  }, 20_000);

  it.each([-1, 1.5, Number.NaN, '1'])(
    'refuses replicas: %p at once, naming the field',
    (replicas) => {
      expect(() => redisRevocationStore({ url: redis.url, replicas } as never)).toThrow(
        new ConfigError('redisRevocationStore', [
          { field: 'replicas', message: `must be a whole number, 0 or more; got ${replicas}` },
        ]),
      );
    },
  );

  it('answers before it has started as a store that knows nothing yet, never throwing', () => {
    const store = open();
    expect(store.lookup({ jti: randomUUID(), sub: randomUUID() })).toBeUndefined();
    expect(store.size).toBe(0);
    expect(store.stalenessMs()).toBe(Number.POSITIVE_INFINITY);
  });

  it('writes nothing, and asks nothing of Redis, for a revocation that has already ended', async () => {
    const store = open();
    const jti = randomUUID();
    await store.revokeJti(jti, Date.now() - 1);
    // Not even started: no connection, no load, nothing stored.
    expect(store.stalenessMs()).toBe(Number.POSITIVE_INFINITY);
    await store.ready();
    expect(store.lookup({ jti })).toBeUndefined();
    expect(await withRaw((raw) => raw.exists(`${PREFIX}jti:${jti}`))).toBe(0);
  });

  it('closes every connection it opened', async () => {
    // A server of its own, where no other test's connections come and go meanwhile.
    const server = await startRedisServer();
    try {
      await withRaw(async (raw) => {
        const connections = async () =>
          String(await raw.sendCommand(['CLIENT', 'LIST']))
            .trim()
            .split('\n').length;
        const store = open({ url: server.url, replicas: 1 });
        await store.ready();
        // The test's own, then the store's commands, its subscription and, as writes wait for
        // replicas, the writer's own.
        expect(await connections()).toBe(4);
        await store.close();
        expect(await pollUntil(connections, (count) => count <= 1, { withinMs: 5_000 })).toBe(1);
      }, server.url);
    } finally {
      await server.stop();
    }
  });

  it('proves itself current on its own between requests, once every heartbeatMs', async () => {
    const store = open({ heartbeatMs: 20 });
    await store.ready();
    // No request asks for a refresh: only the heartbeat keeps the proof fresh. A second is 50
    // heartbeats; the bound leaves room for a busy machine.
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    expect(store.stalenessMs()).toBeLessThan(800);
  });

  it('tells the operator once per outage that Redis was lost, and once that it is back', async () => {
    const store = open();
    await store.ready();
    const lost = expect.stringContaining('lost Redis for the revocation list');
    const back = 'cognito-guard: Redis is back; reloading the revocation list';
    const logged = (count: number) =>
      pollUntil(
        () => warnings,
        (lines) => lines.length >= count,
      );
    // A dropped subscription, twice: each is one outage.
    for (const outage of [1, 2]) {
      await withRaw((raw) => raw.sendCommand(['CLIENT', 'KILL', 'TYPE', 'pubsub']));
      expect(await logged(2 * outage)).toEqual(Array(outage).fill([lost, back]).flat());
    }
    // Redis down for a second and a half: every reconnection attempt fails, one line says so.
    await redis.kill();
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    expect(warnings).toEqual([lost, back, lost, back, lost]);
    await redis.restart();
    expect(await logged(6)).toEqual([lost, back, lost, back, lost, back]);
  }, 30_000);

  it('refuses a refresh through an outage at once, saying why, and asks Redis again once a second', async () => {
    const store = open();
    await store.ready();
    await redis.kill();
    try {
      const refusal = () =>
        store.refresh().then(
          () => 'refreshed',
          (err: Error) => err.message,
        );
      // The subscriber notices the lost connection within moments; a PING sent before then
      // fails on the closed socket instead.
      const down = 'the Redis subscriber connection is down';
      // Asked again only after the second in which a refusal is not asked of Redis again.
      expect(await pollUntil(refusal, (message) => message === down, { everyMs: 1_100 })).toBe(
        down,
      );
      // The requests that follow within the second are refused without asking.
      expect(await refusal()).toBe('Redis did not answer a moment ago');
      await new Promise((resolve) => setTimeout(resolve, 1_100));
      expect(await refusal()).toBe(down);
    } finally {
      await redis.restart();
    }
  }, 30_000);

  it('rejects ready() within readyTimeoutMs when Redis is down, and becomes current once it is up', async () => {
    await redis.kill();
    const store = open({ readyTimeoutMs: 300 });
    const guard = guardOn(store);
    await expect(guard.ready()).rejects.toMatchObject({ status: 503 });
    const token = sessionToken(randomUUID());
    expect(await check(guard, token)).toMatchObject({ status: 503 });
    await redis.restart();
    expect(await eventually(guard, token, 'rule_satisfied')).toMatchObject({ allowed: true });
  }, 20_000);

  it('fails closed on a Redis Cluster node where no node serves its slot (a cluster still forming)', async () => {
    const node = await startRedisServer({ clusterEnabled: true });
    try {
      const store = open({ url: node.url });
      const guard = guardOn(store);
      const unserved = /no node of the Redis Cluster serves slot \d+/;
      await expect(store.ready()).rejects.toThrow(unserved);
      await expect(guard.ready()).rejects.toMatchObject({
        status: 503,
        cause: { message: expect.stringMatching(unserved) },
      });
      expect(await check(guard, sessionToken(randomUUID()))).toMatchObject({ status: 503 });
    } finally {
      await node.stop();
    }
  });

  it('with replicas: 1 on a Redis that has none, rejects each revoke, the revocation in force', async () => {
    const store = open({ replicas: 1 });
    const guard = guardOn(store);
    await guard.ready();
    const session = randomUUID();
    const unconfirmed = store.revokeOrigin(session, Date.now() + 60_000);
    await expect(unconfirmed).rejects.toThrow(/0 of 1 replicas confirmed it/);
    await expect(unconfirmed).rejects.toMatchObject({
      name: 'NotReplicatedError',
      acknowledged: 0,
      replicas: 1,
    });
    await expect(unconfirmed).rejects.toBeInstanceOf(NotReplicatedError);
    expect(await check(guard, sessionToken(session))).toMatchObject({ reason: 'token_revoked' });
    expect(await check(guard, sessionToken(randomUUID()))).toMatchObject({ allowed: true });
  });

  it('works on a client the app already has, and leaves it open', async () => {
    const client = createClient({ url: redis.url });
    client.on('error', () => undefined);
    await client.connect();
    const store = open({ client, url: undefined });
    const guard = guardOn(store);
    await guard.ready();
    const session = randomUUID();
    await store.revokeOrigin(session, Date.now() + 60_000);
    expect(await check(guard, sessionToken(session))).toMatchObject({ reason: 'token_revoked' });
    await store.close();
    expect(client.isOpen).toBe(true);
    await client.close();
  });
});

const rawClient = (url: string) => createClient({ url });
type RawClient = ReturnType<typeof rawClient>;
