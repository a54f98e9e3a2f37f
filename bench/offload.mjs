// Verifying off the event loop (#14 §2): the core's miss path on unique tokens, run inline and
// in worker threads (the `offload` option, `verifyInWorkers`), in alternating rounds in one
// process. It reports throughput and, since the main thread is what a single Node process cannot
// add more of, the main thread's busy time per token (event-loop utilisation). Run by run.mjs
// pinned to one CPU (the single-core case) and on every CPU; prints JSON.
//   node offload.mjs '{"config":{…},"tokensFile":"…","workers":1,"ms":600,"rounds":5}'

import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { createGuard } from '@cognito-guard/core';
import { verifyInWorkers } from '@cognito-guard/core/offload';
import { median } from './stats.mjs';

const { config, tokensFile, workers, ms, rounds } = JSON.parse(process.argv[2]);
const { unique: tokens } = JSON.parse(readFileSync(tokensFile, 'utf8'));
// Requests in flight at once, as under the bench's load (its connection count).
const IN_FLIGHT = 64;

const guard = createGuard({ ...config, cache: false });
await guard.ready();

function inlineRound() {
  let n = 0;
  const start = performance.now();
  while (performance.now() - start < ms) {
    for (let i = 0; i < 50; i++, n++) {
      const principal = guard.verifier.verify(tokens[n % tokens.length]);
      if (principal instanceof Promise) throw new Error('expected the synchronous path');
    }
  }
  const elapsed = performance.now() - start;
  return { opsPerSecond: (n * 1000) / elapsed, mainUsPerToken: (elapsed * 1000) / n };
}

const offload = verifyInWorkers({ threads: workers });
const offloaded = createGuard({ ...config, cache: false, offload });
await offloaded.ready();

// As many tokens in flight as IN_FLIGHT requests would have, each answered one sending the next.
function offloadedRound() {
  return new Promise((resolve, reject) => {
    let sent = 0;
    let answered = 0;
    let stopping = false;
    const loopBefore = performance.eventLoopUtilization();
    const start = performance.now();
    const onAnswer = () => {
      answered++;
      if (!stopping && performance.now() - start >= ms) stopping = true;
      if (!stopping) send();
      else if (answered === sent) {
        const elapsed = performance.now() - start;
        const busy = performance.eventLoopUtilization(loopBefore);
        resolve({
          opsPerSecond: (answered * 1000) / elapsed,
          mainUsPerToken: (busy.active * 1000) / answered,
        });
      }
    };
    const onRefusal = (err) => {
      stopping = true;
      reject(new Error(`a worker refused a valid token: ${err.reason ?? err}`));
    };
    const send = () => {
      offloaded.verifier.verify(tokens[sent++ % tokens.length]).then(onAnswer, onRefusal);
    };
    for (let i = 0; i < IN_FLIGHT; i++) send();
  });
}

const samples = { inline: [], offloaded: [] };
inlineRound(); // warm-up, both ways
await offloadedRound();
for (let r = 0; r < rounds; r++) {
  samples.inline.push(inlineRound());
  samples.offloaded.push(await offloadedRound());
}
const summary = (xs) => ({
  opsPerSecond: median(xs.map((x) => x.opsPerSecond)),
  mainUsPerToken: median(xs.map((x) => x.mainUsPerToken)),
});
console.log(
  JSON.stringify({
    workers,
    inline: summary(samples.inline),
    offloaded: summary(samples.offloaded),
  }),
);
await offload.close();
