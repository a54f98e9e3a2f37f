// A replica must never vouch for the list: on a manual failover the demoted master keeps its
// sharded subscriptions and answers PINGs, while the messages are published on the new master.
// Neither a link opened to a replica nor a mirror whose node became one counts itself current.

import { type RedisCluster, redisServerAvailable, startRedisCluster } from '@cognito-guard/testing';
import { createClient } from 'redis';
import type { RedisClientLike } from '../src/client';
import { CLUSTER_KEY_PREFIX } from '../src/cluster-shard';
import { RevocationMirror } from '../src/mirror';
import { openLink } from '../src/store-link';

(redisServerAvailable() ? describe : describe.skip)('a replica never vouches', () => {
  let cluster: RedisCluster;
  const opened: RedisClientLike[] = [];
  beforeAll(async () => {
    cluster = await startRedisCluster({ masters: 3, replicasPerMaster: 1 });
  }, 30_000);
  afterAll(async () => {
    for (const client of opened) client.destroy();
    await cluster.stop();
  });

  const replicaOfOwner = async () => cluster.replicaOf(await cluster.masterOf(CLUSTER_KEY_PREFIX));
  const clientOf = (url: string) => {
    const client = createClient({ url }) as unknown as RedisClientLike;
    client.on('error', () => undefined);
    opened.push(client);
    return client;
  };
  const settings = { prefix: CLUSTER_KEY_PREFIX, lifetimeMs: 60_000, heartbeatMs: 60_000 };
  const logger = { warn: () => undefined };

  it('refuses to open a link to a replica', async () => {
    const replica = await replicaOfOwner();
    const link = openLink(clientOf(replica.url), {
      ...settings,
      logger,
      ownsCommands: true,
      cluster: { node: { host: '127.0.0.1', port: replica.port }, onMoved: () => undefined },
    });
    await expect(link).rejects.toThrow(/is not a master any more/);
  });

  // A mirror on the node at `url`: started (its load is a proof), then refreshed 50 ms later.
  const refreshedOn = async (url: string) => {
    const commands = clientOf(url);
    await commands.connect();
    const subscriber = commands.duplicate();
    subscriber.on('error', () => undefined);
    opened.push(subscriber);
    let moves = 0;
    const mirror = new RevocationMirror(commands, subscriber, {
      ...settings,
      channel: `${CLUSTER_KEY_PREFIX}events`,
      logger,
      cluster: { onMoved: () => (moves += 1), sharded: true },
    });
    await mirror.start();
    await new Promise((resolve) => setTimeout(resolve, 50));
    await mirror.refresh();
    mirror.stop();
    return { moves, moved: mirror.moved, staleness: mirror.stalenessMs() };
  };

  it('stops vouching, and asks to move, once its node answers as a replica', async () => {
    const owner = await cluster.masterOf(CLUSTER_KEY_PREFIX);
    const onMaster = await refreshedOn(owner.url);
    expect(onMaster).toMatchObject({ moves: 0, moved: false });
    expect(onMaster.staleness).toBeLessThan(50);

    const onReplica = await refreshedOn((await replicaOfOwner()).url);
    expect(onReplica).toMatchObject({ moves: 1, moved: true });
    expect(onReplica.staleness).toBeGreaterThanOrEqual(50);
  });
});
