// Revocation figures: how long a revocation takes to reach another instance (written through one
// store, seen in another's mirror, over a real Redis), and how much memory the mirror needs per
// entry (measured in a child process with --expose-gc: revocation-memory.mjs).

import { fork } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { redisRevocationStore } from '@cognito-guard/redis';

const quiet = { warn: () => undefined };
const percentile = (sorted, p) =>
  sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))];

/**
 * Writes `entries` revocations for the HTTP contender's mirror to load, then measures propagation.
 */
export async function revocationBench(redisUrl, { quick, entries }) {
  const writer = redisRevocationStore({ url: redisUrl, logger: quiet });
  const reader = redisRevocationStore({ url: redisUrl, logger: quiet });
  await Promise.all([writer.ready(), reader.ready()]);
  const until = Date.now() + 3_600_000;
  for (let i = 0; i < entries; i += 500) {
    await Promise.all(
      Array.from({ length: Math.min(500, entries - i) }, () =>
        writer.revokeOrigin(randomUUID(), until),
      ),
    );
  }
  const times = [];
  for (let i = 0; i < (quick ? 20 : 300); i++) {
    const id = randomUUID();
    const started = performance.now();
    await writer.revokeOrigin(id, until);
    while (reader.lookup({ origin_jti: id }) === undefined) {
      await new Promise((resolve) => setImmediate(resolve));
    }
    times.push(performance.now() - started);
  }
  await Promise.all([writer.close(), reader.close()]);
  times.sort((a, b) => a - b);
  const memory = await new Promise((resolve, reject) => {
    const child = fork(
      join(import.meta.dirname, 'revocation-memory.mjs'),
      [String(quick ? 20_000 : 200_000)],
      {
        execArgv: ['--expose-gc'],
      },
    );
    child.once('message', resolve);
    child.once(
      'exit',
      (code) => code !== 0 && reject(new Error(`revocation memory run exited with ${code}`)),
    );
  });
  return {
    propagationMs: {
      samples: times.length,
      p50: percentile(times, 0.5),
      p99: percentile(times, 0.99),
      max: times.at(-1),
    },
    mirrorEntries: entries,
    ...memory,
  };
}
