// The offload prototype's server (offload-http.mjs): Fastify with one onRequest hook that checks
// the bearer token with the core's miss path, inline (MODE=inline) or in worker threads running
// the same core (MODE=workers, WORKERS of them). /__stats answers the main thread's busy time
// (event-loop utilisation) and the requests answered since the last call.

import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { Worker } from 'node:worker_threads';
import { createGuard } from '@cognito-guard/core';
import Fastify from 'fastify';

const config = JSON.parse(process.env.CONFIG);
const guard = createGuard({ ...config, cache: false });
await guard.ready();

const pending = new Map();
let nextId = 0;
const workers = [];
if (process.env.MODE === 'workers') {
  for (let i = 0; i < Number(process.env.WORKERS ?? 1); i++) {
    const worker = new Worker(join(import.meta.dirname, 'offload-worker.mjs'), {
      workerData: { config },
    });
    await new Promise((resolve) => worker.once('message', resolve));
    worker.on('message', ([id, sub]) => {
      pending.get(id)(sub);
      pending.delete(id);
    });
    workers.push(worker);
  }
}
const subjectOf =
  workers.length === 0
    ? (token) => {
        // Synchronous when the keys are cached, as the guard runs it; a refusal answers null.
        const principal = guard.verifier.verify(token);
        return principal instanceof Promise
          ? principal.then(
              ({ sub }) => sub,
              () => null,
            )
          : principal.sub;
      }
    : (token) =>
        new Promise((resolve) => {
          const id = nextId++;
          pending.set(id, resolve);
          workers[id % workers.length].postMessage([id, token]);
        });

let answered = 0;
let since = performance.eventLoopUtilization();
const app = Fastify();
app.addHook('onRequest', async (request, reply) => {
  if (request.url === '/__stats') return;
  const sub = await subjectOf(request.headers.authorization?.slice('Bearer '.length) ?? '');
  if (!sub) return reply.code(401).send();
  request.sub = sub;
  answered++;
});
app.get('/movies', async (request) => ({ user: request.sub }));
app.get('/__stats', async () => {
  const busy = performance.eventLoopUtilization(since);
  since = performance.eventLoopUtilization();
  const stats = { activeMs: busy.active, answered };
  answered = 0;
  return stats;
});
await app.listen({ port: 0, host: '127.0.0.1' });
console.log(JSON.stringify({ port: app.server.address().port }));
