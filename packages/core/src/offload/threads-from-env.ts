// COGNITO_VERIFY_THREADS: the `offload` option from the environment, so that a server built on the
// env-bound guards (`app.use(requireGroups('movies-group'))`) verifies new tokens on worker
// threads without code. Read here, in the offload subpath, so that a bundle without workers (every
// Lambda) never carries them; the adapters for servers hand this reader to the env-bound guard.

import { ConfigError, type ConfigIssue } from '../config/config-error';
import { type CognitoEnv, VERIFY_THREADS_VARIABLE } from '../config/env';
import { MAX_THREADS, type VerifyInWorkers, verifyInWorkers } from './verify-in-workers';

// The worker's script, for a server whose bundler moved @cognito-guard/core: the env-bound guards
// have no other way to be told.
const WORKER_FILE_VARIABLE = 'COGNITO_VERIFY_WORKER_FILE';

/**
 * Reads `COGNITO_VERIFY_THREADS`: unset or blank, no workers (`undefined`); `auto`, one fewer
 * than the CPUs (at least 1); a whole number from 1 to 256, that many. `COGNITO_VERIFY_WORKER_FILE`
 * names the worker's script when a bundler moved `@cognito-guard/core`. Anything else throws a
 * `ConfigError` naming the variable. The env-bound guards of the Express, Koa, Fastify and Hono
 * adapters read it themselves; give it to `cognitoGuard(config)` beside `configFromEnv`.
 *
 * @example
 * ```ts
 * import { verifyInWorkersFromEnv } from '@cognito-guard/core/offload';
 * const offload = verifyInWorkersFromEnv(process.env);
 * const { requireGroups } = cognitoGuard({ ...configFromEnv(process.env), offload });
 * ```
 */
export function verifyInWorkersFromEnv(env: CognitoEnv): VerifyInWorkers | undefined {
  const value = env[VERIFY_THREADS_VARIABLE]?.trim() ?? '';
  const workerFile = env[WORKER_FILE_VARIABLE]?.trim() || undefined;
  if (value === '') {
    if (workerFile === undefined) return undefined;
    throw envError(WORKER_FILE_VARIABLE, `is read only with ${VERIFY_THREADS_VARIABLE}`);
  }
  const threads = value === 'auto' ? undefined : /^[0-9]+$/.test(value) ? Number(value) : 0;
  if (threads !== undefined && !(threads >= 1 && threads <= MAX_THREADS)) {
    throw envError(
      VERIFY_THREADS_VARIABLE,
      `must be a whole number from 1 to ${MAX_THREADS}, or auto, got "${value}"`,
    );
  }
  try {
    return verifyInWorkers({ threads, workerFile });
  } catch (err) {
    // Only the worker file can be wrong here: name its variable, not the option.
    if (!(err instanceof ConfigError)) throw err;
    throw new ConfigError('environment', err.issues.map(asVariable));
  }
}

const asVariable = (issue: ConfigIssue): ConfigIssue =>
  issue.field === 'workerFile' ? { ...issue, field: WORKER_FILE_VARIABLE } : issue;

const envError = (field: string, message: string) =>
  new ConfigError('environment', [{ field, message }]);
