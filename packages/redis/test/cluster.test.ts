// The Redis store on a real Redis Cluster (three masters, a replica each): every entry and the
// channel share one slot, so any node can be the store's entry point, and the store follows
// that slot to whichever node serves it after a failover, failing closed in between. All of it
// on a cluster with sharded pub/sub (Redis 7+) and on one without (before 7: ElastiCache for
// Redis 6, MemoryDB 6.2), where the store subscribes with SUBSCRIBE on the slot's master.

import { randomUUID } from 'node:crypto';
import { ConfigError, createGuard, type Guard, requireGroups } from '@cognito-guard/core';
import {
  createTestIssuer,
  type RedisCluster,
  redisServerAvailable,
  startRedisCluster,
  type TestIssuer,
} from '@cognito-guard/testing';
import { createClient, createCluster } from 'redis';
import { type RedisRevocationStore, redisRevocationStore } from '../src';
import { CLUSTER_KEY_PREFIX } from '../src/cluster-shard';
import { pollUntil } from './support/poll';

const KINDS = [
  { pubsub: 'sharded pub/sub (Redis 7+)', withoutShardedPubSub: false },
  { pubsub: 'classic pub/sub only (before Redis 7)', withoutShardedPubSub: true },
];

(redisServerAvailable() ? describe.each(KINDS) : describe.skip.each(KINDS))(
  'the Redis store on a Redis Cluster with $pubsub',
  ({ withoutShardedPubSub }) => {
    let cluster: RedisCluster;
    let issuer: TestIssuer;
    const stores: RedisRevocationStore[] = [];
    const warnings: string[] = [];
    const logger = { warn: (message: string) => warnings.push(message) };

    beforeAll(async () => {
      // Both assigned whatever fails, so that afterAll stops what started and reports no more.
      const issuerStarting = createTestIssuer().start();
      try {
        cluster = await startRedisCluster({ withoutShardedPubSub });
      } finally {
        issuer = await issuerStarting;
      }
    }, 30_000);
    afterEach(async () => {
      await Promise.all(stores.splice(0).map((store) => store.close()));
      warnings.length = 0;
    });
    afterAll(async () => {
      await Promise.all([cluster?.stop(), issuer?.stop()]);
    });

    const open = (url: string, options: object = {}) => {
      const store = redisRevocationStore({ url, logger, heartbeatMs: 100, ...options });
      stores.push(store);
      return store;
    };
    const guardOn = (store: RedisRevocationStore): Guard =>
      createGuard({ ...issuer.config, revocation: { store, maxStalenessSeconds: 1 } });
    const check = (guard: Guard, token: string) =>
      guard.check(
        { method: 'GET', path: '/movies', headers: { authorization: `Bearer ${token}` } },
        requireGroups('movies-group'),
      );
    const sessionToken = (originJti: string) =>
      issuer.accessToken({ groups: ['movies-group'], claims: { origin_jti: originJti } });
    /** Waits (generously; no timing is asserted) until a guard's answer for a token has the reason. */
    const eventually = (guard: Guard, token: string, reason: string, withinMs = 15_000) =>
      pollUntil(
        () => check(guard, token),
        (decision) => decision.reason === reason,
        { withinMs, everyMs: 25 },
      );
    const nodeUrl = (index: number) => cluster.nodes[index]?.url as string;

    it('keeps every entry in one slot, reached from any node: a master, another shard, a replica', async () => {
      const owner = await cluster.masterOf(CLUSTER_KEY_PREFIX);
      const otherMaster = cluster.nodes.slice(0, 3).find((node) => node !== owner) ?? owner;
      const [a, b, c] = [open(owner.url), open(otherMaster.url), open(nodeUrl(5))];
      const guards = [guardOn(a), guardOn(b), guardOn(c)];
      await Promise.all(guards.map((guard) => guard.ready()));

      const sessions = [randomUUID(), randomUUID(), randomUUID()];
      await a.revokeOrigin(sessions[0] as string, Date.now() + 60_000);
      await b.revokeOrigin(sessions[1] as string, Date.now() + 60_000);
      await c.revokeOrigin(sessions[2] as string, Date.now() + 60_000);
      for (const guard of guards) {
        for (const session of sessions) {
          const decision = await eventually(guard, sessionToken(session), 'token_revoked');
          expect(decision).toMatchObject({ status: 401 });
        }
        expect(await check(guard, sessionToken(randomUUID()))).toMatchObject({ allowed: true });
      }
      const slot = await cluster.command(owner, 'CLUSTER', 'KEYSLOT', CLUSTER_KEY_PREFIX);
      const held = await cluster.command(owner, 'CLUSTER', 'COUNTKEYSINSLOT', slot);
      expect(Number(held)).toBeGreaterThanOrEqual(3);
      // Every store listens on the slot's master, the way the cluster offers.
      const listening = (await cluster.command(owner, 'CLIENT', 'LIST'))
        .split('\n')
        .filter((line) => / sub=1 | ssub=1 /.test(line));
      expect(listening).toHaveLength(3);
      for (const line of listening) {
        expect(line).toContain(withoutShardedPubSub ? ' sub=1 ' : ' ssub=1 ');
      }

      const later = open(nodeUrl(1));
      await later.ready();
      for (const session of sessions) {
        expect(later.lookup({ origin_jti: session, token_use: 'access' } as never)).toBe('origin');
      }
      expect(warnings).toEqual([]);
    });

    it('refuses a prefix without a hash tag, a database, and a client bound to one node, naming the option', async () => {
      const untagged = open(cluster.url, { keyPrefix: 'revoked:' });
      const guard = guardOn(untagged);
      await expect(untagged.ready()).rejects.toThrow(ConfigError);
      await expect(guard.ready()).rejects.toThrow(/keyPrefix: has no hash tag.*"\{revoked:\}"/);
      expect(await check(guard, sessionToken(randomUUID()))).toMatchObject({ status: 503 });

      const client = createClient({ url: cluster.url });
      client.on('error', () => undefined);
      await client.connect();
      try {
        const onClient = open('', { client, url: undefined });
        await expect(onClient.ready()).rejects.toThrow(
          /client: is connected to one Redis Cluster node/,
        );
        expect(client.isOpen).toBe(true);
      } finally {
        await client.close();
      }
      const onDatabase = open(`${cluster.url}/2`);
      const refusedAt = Date.now();
      await expect(onDatabase.ready()).rejects.toThrow(/url: names a database.*database 0 only/);
      expect(Date.now() - refusedAt).toBeLessThan(5_000); // refused, not timed out (10 s)
      const routing = createCluster({ rootNodes: [{ url: cluster.url }] });
      const onCluster = open('', { client: routing, url: undefined });
      await expect(onCluster.ready()).rejects.toThrow(
        /client: is a Redis Cluster client \(createCluster\)/,
      );
    });

    it('leaves no connection open when closed while it is still starting', async () => {
      const owner = await cluster.masterOf(CLUSTER_KEY_PREFIX);
      const clients = async () => {
        const list = await cluster.command(owner, 'CLIENT', 'LIST');
        return list.split('\n').filter((line) => line.includes('cmd=')).length;
      };
      const baseline = await clients();
      const otherMaster = cluster.nodes.slice(0, 3).find((node) => node !== owner) ?? owner;
      const store = open(otherMaster.url);
      // The owner frozen (briefly, well inside the cluster's node timeout): the store has found
      // it and is connecting to it when it is closed.
      owner.pause();
      const starting = store.ready();
      await new Promise((resolve) => setTimeout(resolve, 100));
      await store.close();
      owner.resume();
      await expect(starting).rejects.toThrow();
      const settled = pollUntil(clients, (count) => count <= baseline, {
        withinMs: 5_000,
        everyMs: 50,
      });
      expect(await settled).toBeLessThanOrEqual(baseline);
    });

    it('with replicas: 1, resolves once a replica holds the revocation, and says when none does', async () => {
      expect(() => open(cluster.url, { replicas: -1 })).toThrow(/replicas: must be a whole number/);
      const owner = await cluster.masterOf(CLUSTER_KEY_PREFIX);
      const replica = await cluster.replicaOf(owner);
      const [a, b] = [open(cluster.nodes[1]?.url as string, { replicas: 1 }), open(owner.url)];
      const [guardA, guardB] = [guardOn(a), guardOn(b)];
      await Promise.all([guardA.ready(), guardB.ready()]);
      const onReplica = createClient({ url: replica.url });
      onReplica.on('error', () => undefined);
      await onReplica.connect();
      try {
        await onReplica.sendCommand(['READONLY']);
        const held = randomUUID();
        await a.revokeOrigin(held, Date.now() + 60_000);
        expect(await onReplica.get(`${CLUSTER_KEY_PREFIX}origin:${held}`)).not.toBeNull();
      } finally {
        onReplica.destroy();
      }

      replica.pause();
      const unconfirmed = randomUUID();
      try {
        await expect(a.revokeOrigin(unconfirmed, Date.now() + 60_000)).rejects.toThrow(
          /stored and announced, but 0 of 1 replicas confirmed it within 1000 ms/,
        );
      } finally {
        replica.resume();
      }
      // Stored and in force all the same: the caller's retry only makes it durable.
      expect(await check(guardA, sessionToken(unconfirmed))).toMatchObject({
        reason: 'token_revoked',
      });
      expect(await eventually(guardB, sessionToken(unconfirmed), 'token_revoked')).toMatchObject({
        status: 401,
      });
      await cluster.replicated(owner);
    }, 30_000);

    it('moves to the new master when a replica takes over the slot (a manual failover)', async () => {
      const owner = await cluster.masterOf(CLUSTER_KEY_PREFIX);
      const [a, b] = [open(cluster.nodes[1]?.url as string), open(cluster.nodes[2]?.url as string)];
      const [guardA, guardB] = [guardOn(a), guardOn(b)];
      await Promise.all([guardA.ready(), guardB.ready()]);
      const replica = await cluster.replicaOf(owner);
      // A revocation every instance heard of, then lost by Redis (as a master that dies before
      // replicating loses it): the new master's list lacks it, the instances' must not.
      const heard = randomUUID();
      await a.revokeOrigin(heard, Date.now() + 60_000);
      expect(await eventually(guardB, sessionToken(heard), 'token_revoked')).toMatchObject({
        status: 401,
      });
      await cluster.command(owner, 'FLUSHALL');
      await cluster.replicated(owner);

      await cluster.command(replica, 'CLUSTER', 'FAILOVER');
      const promoted = await eventuallyNot(() => cluster.masterOf(CLUSTER_KEY_PREFIX), owner);
      expect(promoted).toBe(replica);
      const after = randomUUID();
      await eventuallyResolves(() => a.revokeOrigin(after, Date.now() + 60_000));
      // Past maxStalenessSeconds, B has either heard of it or stopped vouching for its list; the
      // demoted node still answering B's PINGs must not let B vouch on.
      await new Promise((resolve) => setTimeout(resolve, 1_200));
      expect(await check(guardB, sessionToken(after))).toMatchObject({ allowed: false });
      expect(await eventually(guardB, sessionToken(after), 'token_revoked')).toMatchObject({
        status: 401,
      });
      for (const guard of [guardA, guardB]) {
        expect(await check(guard, sessionToken(heard))).toMatchObject({ reason: 'token_revoked' });
      }
    }, 60_000);

    // This test kills a master and leaves the cluster without it: a cluster of its own keeps
    // every other test's cluster whole, whatever order the tests run in.
    describe('with a master killed', () => {
      let killable: RedisCluster;
      beforeAll(async () => {
        killable = await startRedisCluster({ withoutShardedPubSub });
      }, 30_000);
      afterAll(() => killable?.stop());

      it('follows the slot through a failover: fails closed while no node serves it, then carries on', async () => {
        const owner = await killable.masterOf(CLUSTER_KEY_PREFIX);
        const others = killable.nodes.filter((node) => node !== owner);
        // B entered the cluster through the node that dies: it must ask the others.
        const [a, b] = [open(others[0]?.url as string), open(owner.url)];
        const [guardA, guardB] = [guardOn(a), guardOn(b)];
        await Promise.all([guardA.ready(), guardB.ready()]);
        const before = randomUUID();
        await a.revokeOrigin(before, Date.now() + 60_000);
        // Replication is asynchronous: the test waits for the replica, as a real failover may not.
        await killable.replicated(owner);

        await owner.kill();
        const killedAt = Date.now();
        // C starts while the cluster still names the dead node: its start gives up, and is retried.
        const c = open(others[2]?.url as string, { readyTimeoutMs: 1_000 });
        const guardC = guardOn(c);
        await expect(c.ready()).rejects.toThrow();
        const fresh = sessionToken(randomUUID());
        const during = await eventually(guardB, fresh, 'revocation_unavailable');
        expect(during).toMatchObject({ status: 503 });
        expect(await check(guardB, sessionToken(before))).toMatchObject({ allowed: false });

        const promoted = await eventuallyNot(() => killable.masterOf(CLUSTER_KEY_PREFIX), owner);
        expect(promoted).not.toBe(owner);
        // Within 15 s of the kill, half the store's 30-second routine check: a stale mirror asks.
        expect(
          await eventually(guardB, fresh, 'rule_satisfied', killedAt + 15_000 - Date.now()),
        ).toMatchObject({
          allowed: true,
        });
        expect(await check(guardB, sessionToken(before))).toMatchObject({
          reason: 'token_revoked',
        });
        expect(await eventually(guardC, fresh, 'rule_satisfied')).toMatchObject({ allowed: true });
        expect(await check(guardC, sessionToken(before))).toMatchObject({
          reason: 'token_revoked',
        });
        const after = randomUUID();
        await eventuallyResolves(() => a.revokeOrigin(after, Date.now() + 60_000));
        expect(await eventually(guardB, sessionToken(after), 'token_revoked')).toMatchObject({
          status: 401,
        });
        expect(warnings.some((line) => line.includes(`served by 127.0.0.1:${promoted.port}`))).toBe(
          true,
        );
      }, 60_000);
    });
  },
);

function eventuallyNot<T>(read: () => Promise<T>, old: T): Promise<T> {
  return pollUntil(
    () => read().catch(() => old),
    (value) => value !== old,
    { withinMs: 20_000, everyMs: 50 },
  );
}

async function eventuallyResolves(act: () => Promise<void>): Promise<void> {
  const deadline = Date.now() + 20_000;
  for (;;) {
    try {
      return await act();
    } catch (err) {
      if (Date.now() > deadline) throw err;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
}
