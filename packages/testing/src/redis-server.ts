// A real redis-server for tests: started on a free loopback port with its own temporary
// directory, stopped (or killed, to play an outage) by the test.

import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freeLoopbackPort, startOnFreePort } from './free-port';
import { checkKitOptions, redisServerOptionsSchema } from './kit-options';

const BINARY = process.env['REDIS_SERVER'] ?? 'redis-server';

/**
 * Whether Redis suites should run: true when a redis-server binary runs here. When it does not,
 * false (skip, after saying what to install), unless `REQUIRE_REDIS=1`, where it throws so that
 * a CI that promised Redis never skips those suites silently.
 *
 * @example
 * ```ts
 * (redisServerAvailable() ? describe : describe.skip)('revocation over Redis', () => {
 *   it('propagates a revocation', async () => {});
 * });
 * ```
 */
export function redisServerAvailable(): boolean {
  if (spawnSync(BINARY, ['--version']).status === 0) return true;
  const install = `${BINARY} is not installed (Debian/Ubuntu: apt-get install -y redis-server)`;
  if (process.env['REQUIRE_REDIS'] === '1') throw new Error(`REQUIRE_REDIS=1 but ${install}`);
  console.warn(`Skipping Redis suites: ${install}.`);
  return false;
}

/** A running redis-server. */
export interface RedisServer {
  readonly port: number;
  readonly url: string;
  /** Stops it the way a crash or a failover does: at once, mid-traffic. */
  kill(): Promise<void>;
  /** Freezes it (SIGSTOP): connections stay open and nothing answers, as in a network partition. */
  pause(): void;
  /** Thaws a paused server (SIGCONT). */
  resume(): void;
  /** Starts it again on the same port and data directory (its append-only file keeps the data). */
  restart(): Promise<void>;
  /** Stops it and removes its directory. */
  stop(): Promise<void>;
}

/** Options of {@link startRedisServer}. */
export interface RedisServerOptions {
  /** Start it as a Redis Cluster node (cluster mode enabled), with no slots assigned. */
  readonly clusterEnabled?: boolean;
  /** A cluster node's `cluster-node-timeout`: how soon its peers count it failed. Default 15 s. */
  readonly clusterNodeTimeoutMs?: number;
  /**
   * Refuse sharded pub/sub (`SSUBSCRIBE`, `SPUBLISH`) as an unknown command, as Redis before 7.0
   * does (ElastiCache for Redis 6, MemoryDB 6.2).
   */
  readonly withoutShardedPubSub?: boolean;
}

/**
 * Starts a redis-server on a free loopback port; with `clusterEnabled`, as a Redis Cluster node
 * (an ElastiCache cluster-mode-enabled endpoint answers so), with no slots assigned
 * (`startRedisCluster` makes a working cluster of such nodes).
 *
 * @example
 * ```ts
 * const redis = await startRedisServer();
 * const store = redisRevocationStore({ url: redis.url });
 * ```
 */
export async function startRedisServer(options: RedisServerOptions = {}): Promise<RedisServer> {
  checkKitOptions('startRedisServer', options, redisServerOptionsSchema());
  if (options.clusterNodeTimeoutMs !== undefined && !options.clusterEnabled) {
    throw new TypeError(
      'Invalid startRedisServer options: clusterNodeTimeoutMs: only with clusterEnabled: true',
    );
  }
  const dir = mkdtempSync(join(tmpdir(), 'cognito-guard-redis-'));
  // A replica's first sync starts at once rather than after the default 5 s wait for others.
  const extra = options.clusterEnabled
    ? [
        ...['--cluster-enabled', 'yes', '--cluster-config-file', join(dir, 'nodes.conf')],
        ...['--cluster-node-timeout', String(options.clusterNodeTimeoutMs ?? 15_000)],
        ...['--repl-diskless-sync-delay', '0'],
      ]
    : [];
  if (options.withoutShardedPubSub) {
    extra.push(...['--rename-command', 'SSUBSCRIBE', ''], ...['--rename-command', 'SPUBLISH', '']);
  }
  const started = await launchOnFreePort(dir, extra);
  const { port } = started;
  let child: ChildProcess | undefined = started.child;
  const halt = async (signal: NodeJS.Signals) => {
    const running = child;
    child = undefined;
    if (running === undefined || running.exitCode !== null) return;
    const exited = new Promise((resolve) => running.once('exit', resolve));
    running.kill(signal);
    await exited;
  };
  return {
    port,
    url: `redis://127.0.0.1:${port}`,
    kill: () => halt('SIGKILL'),
    pause: () => {
      child?.kill('SIGSTOP');
    },
    resume: () => {
      child?.kill('SIGCONT');
    },
    async restart() {
      await halt('SIGKILL');
      child = await launch(port, dir, extra);
    },
    async stop() {
      await halt('SIGTERM');
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

// Besides a port taken first (see free-port.ts), a cluster node's bus port (its port + 10,000)
// can be taken or out of range: such a start is tried again on another port too.
const PORT_REFUSED = /Address already in use|port number too high/;

/**
 * Launches redis-server on a port `nextPort` finds free, on another one when that port turns out
 * taken. Internal to the kit; exported for its test, which hands it a port already taken.
 *
 * @example
 * ```ts
 * const { port, child } = await launchOnFreePort(dir, []);
 * ```
 */
export async function launchOnFreePort(
  dir: string,
  extra: readonly string[],
  nextPort: () => Promise<number> = freeLoopbackPort,
): Promise<{ readonly port: number; readonly child: ChildProcess }> {
  const { port, started } = await startOnFreePort(
    (port) => launch(port, dir, extra),
    (err) => PORT_REFUSED.test(String(err)),
    { nextPort },
  );
  return { port, child: started };
}

function launch(port: number, dir: string, extra: readonly string[]): Promise<ChildProcess> {
  const child = spawn(
    BINARY,
    [
      '--port',
      String(port),
      '--bind',
      '127.0.0.1',
      '--dir',
      dir,
      '--save',
      '',
      '--appendonly',
      'yes',
      '--appendfsync',
      'always',
      '--daemonize',
      'no',
      ...extra,
    ],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  return new Promise((resolve, reject) => {
    let output = '';
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`redis-server did not start on port ${port}:\n${output}`));
    }, 10_000);
    child.stdout?.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes('Ready to accept connections')) {
        clearTimeout(timer);
        resolve(child);
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`redis-server exited with ${code}:\n${output}`));
    });
  });
}
