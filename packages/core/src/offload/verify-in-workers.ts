// The `offload` option: verify the tokens the cache has not seen on worker threads, so that a
// server with CPUs to spare verifies a stream of new tokens on several of them from one process.
// Verifying one token costs a server's main thread about 50 µs, most of it the RS256 signature,
// which aws-jwt-verify checks synchronously even in its async API; a worker takes that off the
// event loop. On a machine with one CPU the hand-over costs more than it saves (bench/offload.mjs).

import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as z from 'zod/mini';
import { checkOptions, positiveNumberOf } from '../config/check-options';
import { ConfigError } from '../config/config-error';
import { requireListedPools } from '../config/pools';
import type { Offload, OffloadedVerifier, OffloadStats, ResolvedConfig } from '../config/types';
import { WorkerPool } from './worker-pool';

/** Options of {@link verifyInWorkers}. */
export interface VerifyInWorkersOptions {
  /** Worker threads. Default: one fewer than the CPUs (`os.availableParallelism()`), at least 1. */
  readonly threads?: number | undefined;
  /**
   * A token no worker has answered within this long gets 503 (`verifier_unavailable`), and the
   * worker holding it is replaced. Default 1,000 ms.
   */
  readonly timeoutMs?: number | undefined;
  /**
   * The worker's script. Default: `verify-worker.js` (or `.cjs`) beside this module in
   * `@cognito-guard/core/dist`. Name a copy of it when a bundler moved this module.
   */
  readonly workerFile?: string | URL | undefined;
}

/** What {@link verifyInWorkers} returns: the `offload` option, and a way to stop its workers. */
export interface VerifyInWorkers extends Offload {
  /** Worker threads each guard given this option starts. */
  readonly threads: number;
  /** What the workers of every guard given this option did, summed. */
  stats(): OffloadStats;
  /** Stops the workers of every guard given this option; they answer 503 afterwards. */
  close(): Promise<void>;
}

const DEFAULT_TIMEOUT_MS = 1000;

/** The most worker threads one guard may start, from an option or from the environment. */
export const MAX_THREADS = 256;

/**
 * Verifies tokens the cache has not seen on worker threads instead of the event loop. The
 * decision is the same, token for token: each worker runs the guard's own checks on the keys
 * the main thread fetched, and hands back any token whose key it lacks. A token a worker does
 * not answer in `timeoutMs` gets 503. Throws a `ConfigError` for bad options; a guard given it
 * throws one if its pools are resolved per issuer (a resolver cannot cross to a thread).
 *
 * @example
 * ```ts
 * import { verifyInWorkers } from '@cognito-guard/core/offload';
 * const offload = verifyInWorkers({ threads: 3 });
 * const { requireGroups } = cognitoGuard({ userPoolId, clientId, offload });
 * process.on('SIGTERM', () => void offload.close());
 * ```
 */
export function verifyInWorkers(options?: VerifyInWorkersOptions): VerifyInWorkers {
  const given = checkOptions('verifyInWorkers', options, optionsSchema());
  const threads = given.threads ?? Math.max(1, availableParallelism() - 1);
  const timeoutMs = given.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const workerFile = given.workerFile ?? defaultWorkerFile();
  const path = workerFile instanceof URL ? fileURLToPath(workerFile) : workerFile;
  if (!existsSync(path)) {
    throw new ConfigError('verifyInWorkers', [
      {
        field: 'workerFile',
        message: `${path} does not exist; when a bundler moved @cognito-guard/core, copy dist/verify-worker.cjs and name the copy here`,
      },
    ]);
  }
  const pools: WorkerPool[] = [];
  return Object.freeze({
    kind: 'offload' as const,
    threads,
    create(config: ResolvedConfig): OffloadedVerifier {
      requireListedPools(
        config,
        'offload',
        'pools.resolve is a function, and a function cannot be sent to a worker thread',
      );
      const { realm, algorithms, graceSeconds, pools: listed, logger } = config;
      const settings = { realm, algorithms, graceSeconds, pools: listed };
      const pool = new WorkerPool({ threads, timeoutMs, workerFile, settings, logger });
      pools.push(pool);
      return pool;
    },
    stats: () => {
      const sum = { inWorkers: 0, handedBack: 0, unanswered: 0 };
      for (const { stats } of pools) {
        sum.inWorkers += stats.inWorkers;
        sum.handedBack += stats.handedBack;
        sum.unanswered += stats.unanswered;
      }
      return sum;
    },
    close: () => Promise.all(pools.map((pool) => pool.close())).then(() => {}),
  });
}

const optionsSchema = () =>
  z.strictObject({
    threads: z.optional(
      z
        .number()
        .check(
          z.refine(
            (n) => Number.isSafeInteger(n) && n > 0 && n <= MAX_THREADS,
            `must be a whole number from 1 to ${MAX_THREADS}`,
          ),
        ),
    ),
    timeoutMs: positiveNumberOf('milliseconds'),
    workerFile: z.optional(
      z.custom<string | URL>((value) => typeof value === 'string' || value instanceof URL, {
        message: 'must be a path or a file: URL',
      }),
    ),
  });

// The build puts the worker beside this module in dist/, as .cjs in the CommonJS build; the
// ESM build gets `__filename` from tsup's shims.
function defaultWorkerFile(): string {
  const extension = __filename.endsWith('.cjs') ? '.cjs' : '.js';
  return join(__dirname, `verify-worker${extension}`);
}
