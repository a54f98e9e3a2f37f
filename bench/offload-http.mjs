#!/usr/bin/env node
// The `offload` option in a server (#14 §2): two Fastify servers (offload-server.mjs) on one CPU,
// one verifying unique tokens on its main thread and one with `verifyInWorkers({ threads: 1 })`,
// in alternating rounds. Two measures:
// - at a fixed rate (autocannon's overallRate): the main thread's busy time per request, which
//   bounds what one process can serve when it has CPUs to spare for the workers;
// - driven as fast as each answers: the requests per second each serves, on the one CPU the
//   main thread and the worker share.
// Not part of `pnpm bench`: run it on a quiet machine, the load on the other CPUs.
//   taskset -c 0 node bench/offload-http.mjs [rate]   (default 2,000 req/s, 4 rounds of 5 s each)
//   node bench/offload-http.mjs --quick               smoke run for CI: 1 round of 1 s each

import * as harness from './offload-harness.mjs';
import { median, range } from './stats.mjs';

const rate = Number(process.argv.slice(2).find((arg) => !arg.startsWith('--')) ?? 2000);
const { quick, rounds, seconds, warmUpSeconds, tokenCount } = harness.runShape();
const { issuer, tokens } = await harness.issuerWithTokens(tokenCount);

const servers = {
  inline: await harness.startServer(issuer, 'inline'),
  workers: await harness.startServer(issuer, 'workers'),
};
const busyUs = { inline: [], workers: [] };
const served = { inline: [], workers: [] };
try {
  for (const { port } of Object.values(servers)) {
    await harness.loadServer(port, tokens, warmUpSeconds, rate); // warm-up
  }
  for (let round = 0; round < rounds; round++) {
    for (const [mode, { port }] of Object.entries(servers)) {
      await harness.serverStats(port);
      const result = await harness.loadServer(port, tokens, seconds, rate);
      const { activeMs, answered } = await harness.serverStats(port);
      if (result.non2xx > 0 || answered === 0) throw new Error(`${mode}: requests refused`);
      busyUs[mode].push((activeMs * 1000) / answered);
    }
    for (const [mode, { port }] of Object.entries(servers)) {
      const result = await harness.loadServer(port, tokens, seconds);
      if (result.non2xx > 0) throw new Error(`${mode}: requests refused`);
      served[mode].push(result.requests.average);
    }
  }
} finally {
  for (const { child } of Object.values(servers)) child.kill();
  await issuer.stop();
}
if (quick) console.log('(quick run: a smoke test, not a measurement)');
const fixed = (xs, digits = 1) => `${median(xs).toFixed(digits)} (${range(xs)})`;
console.log(
  `${rate} req/s of unique tokens, main thread µs per request: inline ${fixed(busyUs.inline)}, one worker thread ${fixed(busyUs.workers)}; inline ÷ workers ${(median(busyUs.inline) / median(busyUs.workers)).toFixed(2)}`,
);
console.log(
  `as fast as each answers, on one CPU, req/s: inline ${fixed(served.inline, 0)}, one worker thread ${fixed(served.workers, 0)}; workers ÷ inline ${(median(served.workers) / median(served.inline)).toFixed(2)}`,
);
