// One worker thread of the offload studies (offload.mjs, offload-server.mjs): the core's own miss
// path, as the main thread runs it, answering each numbered token with its subject, or with
// `null` and its denial's reason.

import { parentPort, workerData } from 'node:worker_threads';
import { createGuard } from '@cognito-guard/core';

const guard = createGuard({ ...workerData.config, cache: false });
await guard.ready();
parentPort.on('message', async ([id, token]) => {
  try {
    parentPort.postMessage([id, (await guard.verifier.verify(token)).sub]);
  } catch (err) {
    parentPort.postMessage([id, null, err.reason ?? String(err)]);
  }
});
parentPort.postMessage('ready');
