// What the main thread and the verifying worker threads of `verifyInWorkers` tell each other.
// Both sides import this file, so a message's shape is written once. A worker answers only what
// it can decide from the keys it holds: anything else is handed back for the main thread to
// decide as it would without workers, so the two can never disagree about a token.

import type { ResolvedConfig } from '../config/types';
import { type AuthError, InvalidTokenError, TokenExpiredError } from '../errors/errors';
import type { DenyReason } from '../errors/reasons';

/** What a worker is started with: the settings its checks need, and the keys known so far. */
export interface WorkerSettings
  extends Pick<ResolvedConfig, 'realm' | 'algorithms' | 'graceSeconds' | 'pools'> {
  /** Each JWKS fetched so far, as `[uri, body]`. */
  readonly keys: readonly (readonly [uri: string, jwks: string])[];
}

/**
 * Main thread to worker: a token to verify, by when (`Date.now()`) its answer is still awaited;
 * or keys the main thread has just fetched.
 */
export type ToWorker =
  | readonly [id: number, token: string, deadline: number]
  | { readonly uri: string; readonly jwks: string };

/** Why a worker refused a token: a 401 rebuilt on the main thread by {@link refusalError}. */
export interface Refusal {
  readonly expired: boolean;
  readonly reason: DenyReason;
  readonly description: string | undefined;
  readonly detail: string | undefined;
  /** The error verification threw, by name and message, for the operator's log. */
  readonly cause: { readonly name: string; readonly message: string } | undefined;
}

/** Worker to main thread: `'ready'` once started, then one answer per token. */
export type FromWorker =
  | 'ready'
  | readonly [id: number, verdict: typeof VERIFIED, payload: Record<string, unknown>, alg: string]
  | readonly [id: number, verdict: typeof REFUSED, refusal: Refusal]
  | readonly [id: number, verdict: typeof DECIDE_HERE]
  | readonly [id: number, verdict: typeof LATE];

/** The token is valid: its payload and algorithm follow. */
export const VERIFIED = 0;
/** The token is refused with a 401: the refusal follows. */
export const REFUSED = 1;
/** The worker lacks keys (an unknown `kid`) or met the unexpected: the main thread decides. */
export const DECIDE_HERE = 2;
/** The token's deadline passed before the worker came to it, so it was not verified: 503. */
export const LATE = 3;

/**
 * The refusal a worker sends for an error, or `undefined` when the main thread must decide:
 * only an invalid or expired token (401) is decided in a worker.
 *
 * @example
 * ```ts
 * const refusal = refusalOf(toAuthError(err, realm));
 * port.postMessage(refusal === undefined ? [id, DECIDE_HERE] : [id, REFUSED, refusal]);
 * ```
 */
export function refusalOf(error: AuthError): Refusal | undefined {
  const expired = error instanceof TokenExpiredError;
  if (!expired && !(error instanceof InvalidTokenError)) return undefined;
  const { reason, description, detail, cause: thrown } = error;
  const cause =
    thrown instanceof Error ? { name: thrown.name, message: thrown.message } : undefined;
  return { expired, reason, description, detail, cause };
}

/**
 * The error a worker's refusal stands for, as the main thread would have thrown it.
 *
 * @example
 * ```ts
 * if (message[1] === REFUSED) reject(refusalError(message[2], realm));
 * ```
 */
export function refusalError(refusal: Refusal, realm: string): AuthError {
  const { reason, description, detail } = refusal;
  const cause = refusal.cause && Object.assign(new Error(refusal.cause.message), refusal.cause);
  const init = { reason, description, detail, realm, cause };
  return refusal.expired ? new TokenExpiredError(init) : new InvalidTokenError(init);
}
