// Starts the offload studies' worker threads (offload-worker.mjs), each running the core's miss
// path with `config`; resolves once every one has fetched its keys and answered 'ready'.

import { join } from 'node:path';
import { Worker } from 'node:worker_threads';

/** Resolves to `count` ready workers. */
export function startOffloadWorkers(count, config) {
  return Promise.all(
    Array.from({ length: count }, async () => {
      const worker = new Worker(join(import.meta.dirname, 'offload-worker.mjs'), {
        workerData: { config },
      });
      await new Promise((resolve, reject) => {
        worker.once('message', resolve);
        worker.once('error', reject);
      });
      return worker;
    }),
  );
}
