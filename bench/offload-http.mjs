#!/usr/bin/env node
// The offload prototype in a server (#14 §2): two Fastify servers (offload-server.mjs), one
// checking unique tokens inline and one in a worker thread, offered the same fixed rate by
// autocannon in alternating rounds; prints the main thread's busy time per request of each, which
// bounds what one process can serve. Not part of `pnpm bench`: run it on a quiet machine.
//   taskset -c 0 node bench/offload-http.mjs [rate]   (default 2,000 req/s, 4 rounds of 5 s)
//   node bench/offload-http.mjs --quick               smoke run for CI: 1 round of 1 s

import * as harness from './offload-harness.mjs';

const { median, range } = harness;
const rate = Number(process.argv.slice(2).find((arg) => !arg.startsWith('--')) ?? 2000);
const { quick, rounds, seconds, warmUpSeconds, tokenCount } = harness.runShape();
const { issuer, tokens } = await harness.issuerWithTokens(tokenCount);

const servers = {
  inline: await harness.startServer(issuer, 'inline'),
  workers: await harness.startServer(issuer, 'workers'),
};
const busyUs = { inline: [], workers: [] };
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
  }
} finally {
  for (const { child } of Object.values(servers)) child.kill();
  await issuer.stop();
}
if (quick) console.log('(quick run: a smoke test, not a measurement)');
console.log(
  `${rate} req/s of unique tokens, main thread µs per request: inline ${median(busyUs.inline).toFixed(1)} (${range(busyUs.inline)}), one worker thread ${median(busyUs.workers).toFixed(1)} (${range(busyUs.workers)}); inline ÷ workers ${(median(busyUs.inline) / median(busyUs.workers)).toFixed(2)}`,
);
