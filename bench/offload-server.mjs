// The offload studies' server (offload-http.mjs, miss-in-server.mjs): Fastify with one onRequest
// hook that checks the bearer token, in one of six ways (MODE):
// - inline: the core's miss path on the main thread;
// - rsa, library: the reference checks (reference-checks.mjs), the signature alone or
//   aws-jwt-verify alone;
// - workers: the same core in worker threads (WORKERS of them, default 1);
// - none: no check at all, the server's own cost;
// - spin: no check, but SPIN_US µs of busy waiting in its place, work with no memory footprint.
// /__stats answers, since its last call: the main thread's busy time (event-loop utilisation),
// the requests answered, and the mean time spent in the check on the main thread.

import { performance } from 'node:perf_hooks';
import { createGuard } from '@cognito-guard/core';
import Fastify from 'fastify';
import { startOffloadWorkers } from './offload-workers.mjs';
import { libraryAlone, signatureOnly } from './reference-checks.mjs';

const config = JSON.parse(process.env.CONFIG);
const guard = createGuard({ ...config, cache: false });
await guard.ready();

const pending = new Map();
let nextId = 0;
const workers =
  process.env.MODE === 'workers'
    ? await startOffloadWorkers(Number(process.env.WORKERS ?? 1), config)
    : [];
for (const worker of workers) {
  worker.on('message', ([id, sub]) => {
    pending.get(id)(sub);
    pending.delete(id);
  });
}

const spinUs = Number(process.env.SPIN_US ?? 0);
const references = {
  rsa: await signatureOnly(config),
  library: await libraryAlone(config),
};
const checks = {
  inline: (token) => {
    // Synchronous when the keys are cached, as the guard runs it; a refusal answers null.
    const principal = guard.verifier.verify(token);
    return principal instanceof Promise
      ? principal.then(
          ({ sub }) => sub,
          () => null,
        )
      : principal.sub;
  },
  workers: (token) =>
    new Promise((resolve) => {
      const id = nextId++;
      pending.set(id, resolve);
      workers[id % workers.length].postMessage([id, token]);
    }),
  rsa: (token) => (references.rsa(token) ? 'anyone' : null),
  library: (token) => (references.library(token) ? 'anyone' : null),
  none: (token) => (token === '' ? null : 'anyone'),
  spin: (token) => {
    const until = performance.now() + spinUs / 1000;
    while (performance.now() < until);
    return token === '' ? null : 'anyone';
  },
};
const check = checks[process.env.MODE];

let answered = 0;
let checkMs = 0;
let since = performance.eventLoopUtilization();
const app = Fastify();
app.addHook('onRequest', async (request, reply) => {
  if (request.url === '/__stats') return;
  const started = performance.now();
  const pendingSub = check(request.headers.authorization?.slice('Bearer '.length) ?? '');
  checkMs += performance.now() - started;
  const sub = await pendingSub;
  if (!sub) return reply.code(401).send();
  request.sub = sub;
  answered++;
});
app.get('/movies', async (request) => ({ user: request.sub }));
app.get('/__stats', async () => {
  const busy = performance.eventLoopUtilization(since);
  since = performance.eventLoopUtilization();
  const stats = { activeMs: busy.active, answered, checkUs: (checkMs * 1000) / answered };
  answered = 0;
  checkMs = 0;
  return stats;
});
await app.listen({ port: 0, host: '127.0.0.1' });
console.log(JSON.stringify({ port: app.server.address().port }));
