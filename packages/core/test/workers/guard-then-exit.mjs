// A process that verifies one token on a worker thread and then has nothing left to do: it must
// exit on its own, as a server's process does once the server has closed, without close().
import { createTestIssuer } from '@cognito-guard/testing';
import { createGuard } from '../../dist/index.js';
import { verifyInWorkers } from '../../dist/offload.js';

const issuer = await createTestIssuer({ userPoolId: 'local_exit', clientId: 'web' }).start();
const offload = verifyInWorkers({ threads: 2 });
const guard = createGuard({ ...issuer.config, tokenUse: 'access', offload });
await guard.ready();
const token = issuer.accessToken({ groups: ['movies-group'] });
const decision = await guard.check({
  method: 'GET',
  path: '/',
  headers: { authorization: `Bearer ${token}` },
});
await issuer.stop();
console.log(JSON.stringify({ status: decision.status, stats: offload.stats() }));
