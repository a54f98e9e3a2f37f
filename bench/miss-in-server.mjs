#!/usr/bin/env node
// Why a miss costs a server's main thread more than the loop's figure (#14 §2): Fastify servers
// (offload-server.mjs) on one CPU, each driven as fast as it answers with unique tokens, in
// alternating rounds:
// - none: no check, the server's own cost per request;
// - spin: busy waiting for as long as the miss path takes in a loop, measured first in this run;
// - rsa: only the RS256 signature check, with node:crypto, the floor of any check;
// - library: aws-jwt-verify's verifySync alone, as the hand-written contenders check;
// - inline: the core's miss path.
// Prints, per server, the main thread's busy time per request, the time inside the check, and
// how much each request cost beyond the bare server, per µs of check. If the checks add alike
// per µs, the extra is the server's, not the check's. Not part of `pnpm bench`.
//   taskset -c 0 node bench/miss-in-server.mjs   (4 rounds of 5 s per server)
//   node bench/miss-in-server.mjs --quick         smoke run for CI: 1 round of 1 s

import { performance } from 'node:perf_hooks';
import { createGuard } from '@cognito-guard/core';
import * as harness from './offload-harness.mjs';
import { libraryAlone, signatureOnly } from './reference-checks.mjs';
import { median, range } from './stats.mjs';

const { quick, rounds, seconds, warmUpSeconds, tokenCount } = harness.runShape();
const { issuer, tokens } = await harness.issuerWithTokens(tokenCount);

// Each check in a loop, as bench/offload.mjs measures the miss path inline: µs per token.
function inALoop(check) {
  const perToken = [];
  for (let round = 0; round < 4; round++) {
    const start = performance.now();
    for (const token of tokens) check(token);
    if (round > 0) perToken.push(((performance.now() - start) * 1000) / tokens.length);
  }
  return perToken;
}
const guard = createGuard({ ...issuer.config, cache: false });
await guard.ready();
const loopUs = { inline: inALoop((token) => guard.verifier.verify(token)) };
loopUs.rsa = inALoop(await signatureOnly(issuer.config));
loopUs.library = inALoop(await libraryAlone(issuer.config));
const spinUs = median(loopUs.inline);
loopUs.spin = [spinUs];

const servers = {
  none: await harness.startServer(issuer, 'none'),
  spin: await harness.startServer(issuer, 'spin', { SPIN_US: String(spinUs) }),
  rsa: await harness.startServer(issuer, 'rsa'),
  library: await harness.startServer(issuer, 'library'),
  inline: await harness.startServer(issuer, 'inline'),
};
const figures = Object.fromEntries(
  Object.keys(servers).map((mode) => [mode, { perSecond: [], busyUs: [], checkUs: [] }]),
);
try {
  for (const { port } of Object.values(servers))
    await harness.loadServer(port, tokens, warmUpSeconds); // warm-up
  for (let round = 0; round < rounds; round++) {
    for (const [mode, { port }] of Object.entries(servers)) {
      await harness.serverStats(port);
      const result = await harness.loadServer(port, tokens, seconds);
      const { activeMs, answered, checkUs } = await harness.serverStats(port);
      if (result.non2xx > 0 || answered === 0) throw new Error(`${mode}: requests refused`);
      figures[mode].perSecond.push(result.requests.average);
      figures[mode].busyUs.push((activeMs * 1000) / answered);
      figures[mode].checkUs.push(checkUs);
    }
  }
} finally {
  for (const { child } of Object.values(servers)) child.kill();
  await issuer.stop();
}

const bare = median(figures.none.busyUs);
if (quick) console.log('(quick run: a smoke test, not a measurement)');
console.log(
  '| server | req/s | main thread µs per request | the check in a loop, µs | in the server, µs | added to the bare server, µs | added ÷ in the server |',
);
console.log('|---|---:|---:|---:|---:|---:|---:|');
for (const [mode, { perSecond, busyUs, checkUs }] of Object.entries(figures)) {
  const busy = median(busyUs);
  const inCheck = median(checkUs);
  const added = busy - bare;
  console.log(
    `| ${mode} | ${Math.round(median(perSecond))} | ${busy.toFixed(1)} (${range(busyUs)}) | ${mode === 'none' ? '' : median(loopUs[mode]).toFixed(1)} | ${inCheck.toFixed(1)} | ${mode === 'none' ? '' : added.toFixed(1)} | ${mode === 'none' ? '' : (added / inCheck).toFixed(2)} |`,
  );
}
