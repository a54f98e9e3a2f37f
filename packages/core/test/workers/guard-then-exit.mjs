// A process whose workers alone keep it running: it must go on while they start and while they
// hold a token (a top-level await would otherwise end it with code 13), and exit on its own once
// they are idle, as a server's process does once the server has closed, without close().
import { createTestIssuer } from '@cognito-guard/testing';
import { resolveConfig } from '../../dist/advanced.js';
import { createGuard } from '../../dist/index.js';
import { verifyInWorkers } from '../../dist/offload.js';

const issuer = await createTestIssuer({ userPoolId: 'local_exit', clientId: 'web' }).start();
const offload = verifyInWorkers({ threads: 2 });
const config = { ...issuer.config, tokenUse: 'access' };
const guard = createGuard({ ...config, offload });
await guard.ready();
const token = issuer.accessToken({ groups: ['movies-group'] });
const authorization = `Bearer ${token}`;
const decision = await guard.check({ method: 'GET', path: '/', headers: { authorization } });
await issuer.stop();

// Nothing but the workers from here on.
const alone = offload.create(resolveConfig(config));
await alone.ready();
const verdict = await alone.verify(token); // no keys were sent to these workers: handed back
// Started and never given a token: idle from the start.
await offload.create(resolveConfig(config)).ready();
console.log(
  JSON.stringify({
    status: decision.status,
    verdict: verdict ?? 'handed back',
    stats: offload.stats(),
  }),
);
