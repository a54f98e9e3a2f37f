// A verifying worker that fails on cue, for offload.test.ts: the token `crash` ends its thread,
// `stall` blocks it for good, `slow` for 40 ms before it is verified (and refused) as usual.
// Every message goes on to the real worker of the build.
const { parentPort } = require('node:worker_threads');

parentPort.on('message', (message) => {
  if (!Array.isArray(message)) return;
  if (message[1] === 'crash') process.exit(3);
  const block = (ms) => Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
  if (message[1] === 'stall') block(undefined);
  // As slow as a verification, which a worker skips for a token past its deadline (message[2]).
  if (message[1] === 'slow' && Date.now() <= message[2]) block(40);
});
require('../../dist/verify-worker.cjs');
