// One worker thread of the offload study (offload.mjs): the core's own miss path, as the main
// thread runs it, answering each token with its subject or its denial's reason.

import { parentPort, workerData } from 'node:worker_threads';
import { createGuard } from '@cognito-guard/core';

const guard = createGuard({ ...workerData.config, cache: false });
await guard.ready();
parentPort.on('message', async (token) => {
  try {
    parentPort.postMessage({ sub: (await guard.verifier.verify(token)).sub });
  } catch (err) {
    parentPort.postMessage({ denied: err.reason ?? String(err) });
  }
});
parentPort.postMessage('ready');
