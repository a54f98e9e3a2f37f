// The offload studies' server (offload-http.mjs, miss-in-server.mjs): Fastify with one onRequest
// hook that checks the bearer token, in one of six ways (MODE):
// - inline: the core's miss path on the main thread;
// - rsa, library: the reference checks (reference-checks.mjs), the signature alone or
//   aws-jwt-verify alone;
// - workers: the same core verifying in worker threads, `verifyInWorkers({ threads: WORKERS })`
//   (default 1);
// - none: no check at all, the server's own cost;
// - spin: no check, but SPIN_US µs of busy waiting in its place, work with no memory footprint.
// /__stats answers, since its last call: the main thread's busy time (event-loop utilisation),
// the requests answered, and the mean time spent in the check on the main thread.

import { performance } from 'node:perf_hooks';
import { createGuard } from '@cognito-guard/core';
import { verifyInWorkers } from '@cognito-guard/core/offload';
import Fastify from 'fastify';
import { libraryAlone, signatureOnly } from './reference-checks.mjs';

const config = JSON.parse(process.env.CONFIG);
const offload =
  process.env.MODE === 'workers'
    ? verifyInWorkers({ threads: Number(process.env.WORKERS ?? 1) })
    : undefined;
const guard = createGuard({ ...config, cache: false, offload });
await guard.ready();

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
  rsa: (token) => (references.rsa(token) ? 'anyone' : null),
  library: (token) => (references.library(token) ? 'anyone' : null),
  none: (token) => (token === '' ? null : 'anyone'),
  spin: (token) => {
    const until = performance.now() + spinUs / 1000;
    while (performance.now() < until);
    return token === '' ? null : 'anyone';
  },
};
// With workers the check is the same call: the guard hands the token to its workers.
const check = checks[process.env.MODE === 'workers' ? 'inline' : process.env.MODE];

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
