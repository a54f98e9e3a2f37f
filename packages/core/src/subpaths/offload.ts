// @cognito-guard/core/offload: verify the tokens the cache has not seen on worker threads, for
// the `offload` option. A subpath, so that a guard without it (every Lambda) never bundles it.

export type { OffloadStats } from '../config/types';
export { verifyInWorkersFromEnv } from '../offload/threads-from-env';
export type { VerifyInWorkers, VerifyInWorkersOptions } from '../offload/verify-in-workers';
export { verifyInWorkers } from '../offload/verify-in-workers';
