// Runs the example against the pool the environment names (real Cognito, cognito-local, or the
// embedded test issuer): COGNITO_USER_POOL_ID, COGNITO_CLIENT_ID and, for emulators, COGNITO_ISSUER.

import { configFromEnv } from '@cognito-guard/core';
import { verifyInWorkersFromEnv } from '@cognito-guard/core/offload';
import { cognitoGuard } from '@cognito-guard/koa';
import { createApp, type GuardStyle } from './app';

// COGNITO_VERIFY_THREADS=auto verifies new tokens on worker threads: configFromEnv leaves it to
// verifyInWorkersFromEnv, which the env-bound guards call themselves.
const offload = verifyInWorkersFromEnv(process.env);
const guard = cognitoGuard({ ...configFromEnv(process.env), offload });
const style = (process.env['GUARD_STYLE'] ?? 'policy') as GuardStyle;
const port = Number(process.env['PORT'] ?? 3000);

// Fetch the signing keys before taking traffic; a pool that cannot be reached fails here, loudly.
await guard.ready();
createApp(guard, style).listen(port, () => {
  console.log(`movies API (koa, ${style}) on http://localhost:${port}`);
});
