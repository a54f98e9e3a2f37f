// A real Redis Cluster for tests: masters sharing the 16,384 slots, each with its replicas, on
// loopback, so that a store can be proven across shards and through a failover.

import { execFile, spawnSync } from 'node:child_process';
import { promisify } from 'node:util';
import { checkKitOptions, redisClusterOptionsSchema } from './kit-options';
import { type RedisServer, startRedisServer } from './redis-server';

const CLI = process.env['REDIS_CLI'] ?? 'redis-cli';
const SLOTS = 16_384;
const run = promisify(execFile);

/** A running Redis Cluster. */
export interface RedisCluster {
  /** Masters first (in slot order), then each master's replicas. */
  readonly nodes: readonly RedisServer[];
  /** The first master's URL: any node's URL works as a client's entry point. */
  readonly url: string;
  /** The node serving `key`'s slot now, as the surviving nodes see it. */
  masterOf(key: string): Promise<RedisServer>;
  /** A replica of `master`, as `master` sees its replicas now. */
  replicaOf(master: RedisServer): Promise<RedisServer>;
  /** Runs a command on one node and answers `redis-cli`'s raw output. */
  command(node: RedisServer, ...args: string[]): Promise<string>;
  /**
   * Waits until every replica of `master` holds all it has written. Replication is asynchronous:
   * a master killed before that takes its latest writes with it.
   */
  replicated(master: RedisServer): Promise<void>;
  /** Stops every node. */
  stop(): Promise<void>;
}

/** Options of {@link startRedisCluster}. */
export interface RedisClusterOptions {
  /** Default 3, the fewest that can still elect a replica when one master dies. */
  readonly masters?: number;
  /** Replicas of each master. Default 1. */
  readonly replicasPerMaster?: number;
  /** How soon a silent node counts as failed, and its replica takes over. Default 500 ms. */
  readonly nodeTimeoutMs?: number;
  /** Every node refuses sharded pub/sub, as a cluster of Redis before 7.0 does. */
  readonly withoutShardedPubSub?: boolean;
}

/**
 * Starts a Redis Cluster of real redis-server nodes on loopback (`redis-cli` must be installed
 * beside `redis-server`, as Debian's package has it) and waits until it serves every slot.
 *
 * @example
 * ```ts
 * const cluster = await startRedisCluster();
 * const store = redisRevocationStore({ url: cluster.url });
 * await (await cluster.masterOf('{cognito-guard:revoked}:')).kill(); // its replica takes over
 * ```
 */
export async function startRedisCluster(options: RedisClusterOptions = {}): Promise<RedisCluster> {
  checkKitOptions('startRedisCluster', options, redisClusterOptionsSchema());
  if (spawnSync(CLI, ['--version']).status !== 0) {
    throw new Error(`${CLI} is not installed (Debian/Ubuntu: apt-get install -y redis-tools)`);
  }
  const masters = options.masters ?? 3;
  const total = masters * (1 + (options.replicasPerMaster ?? 1));
  const nodes = await Promise.all(
    Array.from({ length: total }, () =>
      startRedisServer({
        clusterEnabled: true,
        clusterNodeTimeoutMs: options.nodeTimeoutMs ?? 500,
        withoutShardedPubSub: options.withoutShardedPubSub,
      }),
    ),
  );
  const command = async (node: RedisServer, ...args: string[]) =>
    (await run(CLI, ['-h', '127.0.0.1', '-p', String(node.port), ...args])).stdout.trim();
  const cluster: RedisCluster = {
    nodes,
    url: nodes[0]?.url ?? '',
    command,
    async masterOf(key) {
      for (const asked of nodes) {
        const answer = await command(asked, 'CLUSTER', 'KEYSLOT', key).catch(() => undefined);
        if (answer === undefined) continue;
        const port = servingPort(await command(asked, 'CLUSTER', 'NODES'), Number(answer));
        const owner = nodes.find((node) => node.port === port);
        if (owner) return owner;
      }
      throw new Error(`no node of the cluster serves ${key}`);
    },
    async replicaOf(master) {
      const id = await command(master, 'CLUSTER', 'MYID');
      const table = await command(master, 'CLUSTER', 'NODES');
      const port = replicaPort(table, id);
      const replica = nodes.find((node) => node.port === port);
      if (replica === undefined) throw new Error(`node ${master.port} has no replica`);
      return replica;
    },
    replicated: (master) =>
      until(async () => caughtUp(await command(master, 'INFO', 'replication'))),
    stop: async () => {
      await Promise.all(nodes.map((node) => node.stop()));
    },
  };
  try {
    await form(cluster, masters);
  } catch (err) {
    await cluster.stop();
    throw err;
  }
  return cluster;
}

async function form(cluster: RedisCluster, masters: number): Promise<void> {
  const { nodes, command } = cluster;
  const first = nodes[0] as RedisServer;
  const per = Math.ceil(SLOTS / masters);
  for (const [index, node] of nodes.slice(0, masters).entries()) {
    const last = Math.min(SLOTS, (index + 1) * per) - 1;
    await command(node, 'CLUSTER', 'ADDSLOTSRANGE', String(index * per), String(last));
  }
  for (const node of nodes.slice(1)) {
    await command(first, 'CLUSTER', 'MEET', '127.0.0.1', String(node.port));
  }
  const ids = await Promise.all(nodes.map((node) => command(node, 'CLUSTER', 'MYID')));
  await until(async () => {
    const known = await Promise.all(nodes.map((node) => command(node, 'CLUSTER', 'NODES')));
    return known.every((table) => table.split('\n').length === nodes.length);
  });
  for (const [index, node] of nodes.slice(masters).entries()) {
    await command(node, 'CLUSTER', 'REPLICATE', ids[index % masters] as string);
  }
  await until(async () => {
    const states = await Promise.all(nodes.map((node) => command(node, 'CLUSTER', 'INFO')));
    const replication = await Promise.all(
      nodes.slice(masters).map((node) => command(node, 'INFO', 'replication')),
    );
    return (
      states.every((state) => state.includes('cluster_state:ok')) &&
      replication.every(
        (info) =>
          info.includes('master_link_status:up') && info.includes('master_sync_in_progress:0'),
      )
    );
  });
}

// INFO replication on a master: `master_repl_offset:<n>`, and `slaveN:…,offset=<n>,…` per replica.
function caughtUp(info: string): boolean {
  const written = Number(/master_repl_offset:(\d+)/.exec(info)?.[1] ?? Number.NaN);
  const acked = [...info.matchAll(/^slave\d+:.*offset=(\d+)/gm)].map((match) => Number(match[1]));
  return acked.length > 0 && acked.every((offset) => offset >= written);
}

// CLUSTER NODES: `<id> <ip:port@bus> <flags> <master> <ping> <pong> <epoch> <link> <slots…>`.
function replicaPort(table: string, masterId: string): number | undefined {
  const row = table.split('\n').find((line) => line.split(' ')[3] === masterId);
  return row === undefined ? undefined : portOf(row.split(' ')[1]);
}

function portOf(address: string | undefined): number {
  return Number(address?.split(/[:@]/)[1]);
}

function servingPort(table: string, slot: number): number | undefined {
  for (const line of table.split('\n')) {
    const [, address, flags, , , , , link, ...ranges] = line.split(' ');
    if (!flags?.includes('master') || flags.includes('fail') || link !== 'connected') continue;
    const serves = ranges.some((range) => {
      const [start, end = start] = range.split('-').map(Number);
      return slot >= (start as number) && slot <= (end as number);
    });
    if (serves) return portOf(address);
  }
  return undefined;
}

async function until(ready: () => Promise<boolean>, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await ready())) {
    if (Date.now() > deadline) throw new Error('the Redis Cluster did not form in time');
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
