// A verifying worker that fails on cue, for offload.test.ts: the token `crash` ends its thread,
// `stall` blocks it for good. Every other message goes on to the real worker of the build.
const { parentPort } = require('node:worker_threads');

parentPort.on('message', (message) => {
  if (!Array.isArray(message)) return;
  if (message[1] === 'crash') process.exit(3);
  if (message[1] === 'stall') Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0);
});
require('../../dist/verify-worker.cjs');
