// @cognito-guard/lambda: guards for Lambda handlers behind API Gateway (REST, HTTP), ALB and
// Function URLs, and a cache-safe API Gateway Lambda authorizer, all on the cognito-guard core.

import { envReady } from '@cognito-guard/core/adapter';
import { fromEnv, guardRoutesFromEnv } from './handler-guard';

export type { GuardConfig, Principal, RoutePolicy, Rule } from '@cognito-guard/core';
export type {
  Authorizer,
  AuthorizerContext,
  AuthorizerEventLike,
  AuthorizerOptions,
  PolicyResult,
  PolicyStatement,
  SimpleResult,
} from './authorizer';
export { createAuthorizer } from './authorizer';
export type {
  AuthorizerContext as AuthorizerContextValues,
  ReadContext,
} from './authorizer-context';
export {
  CONTEXT_FORMAT,
  readAuthorizerContext,
  writeAuthorizerContext,
} from './authorizer-context';
export type { EventSource, HttpEventLike, ReadEvent } from './events';
export { detectSource, readEvent } from './events';
export type {
  ClaimsSource,
  GuardedContext,
  HandlerGuard,
  LambdaGuard,
  LambdaOptions,
  MiddyRequestLike,
} from './handler-guard';
export { cognitoGuard } from './handler-guard';
export type { MethodArn } from './method-arn';
export {
  MAX_RESOURCE_LENGTH,
  methodArnPattern,
  parseMethodArn,
  patternsOverlap,
  routeKeyPattern,
} from './method-arn';
export type { ResponseStreamLike } from './response-stream';
export type { HttpResponse } from './responses';
export { denyResponse } from './responses';
export type { TrustOptions } from './trust';
export { principalFromAuthorizer } from './trust';

/**
 * Any-of group guard around a handler, configured from environment variables
 * (`COGNITO_USER_POOL_ID`, `COGNITO_CLIENT_ID`, …, `COGNITO_CLAIMS_SOURCE`).
 *
 * @example
 * ```ts
 * export const handler = requireGroups('movies-group')(async (event, context) => ({
 *   statusCode: 200,
 *   body: JSON.stringify({ user: context.auth.username }),
 * }));
 * ```
 */
export const requireGroups = fromEnv.requireGroups;

/**
 * All-of group guard (env-configured).
 *
 * @example
 * ```ts
 * export const handler = requireAllGroups('movies-group', 'editors')(deleteMovie);
 * ```
 */
export const requireAllGroups = fromEnv.requireAllGroups;

/**
 * Any-of scope guard (env-configured).
 *
 * @example
 * ```ts
 * export const handler = requireScopes('movies/write')(createMovie);
 * ```
 */
export const requireScopes = fromEnv.requireScopes;

/**
 * Claim guard (env-configured).
 *
 * @example
 * ```ts
 * export const handler = requireClaim('custom:tier', 'gold')(premium);
 * ```
 */
export const requireClaim = fromEnv.requireClaim;

/**
 * Any core rule or predicate (env-configured).
 *
 * @example
 * ```ts
 * export const handler = authorize((p) => p.groups.includes('admins'))(admin);
 * ```
 */
export const authorize = fromEnv.authorize;

/**
 * Verification only (env-configured).
 *
 * @example
 * ```ts
 * export const handler = authenticate()(async (_event, context) => ({ statusCode: 200, body: context.auth.sub }));
 * ```
 */
export const authenticate = fromEnv.authenticate;

/**
 * A route policy for a handler that serves several routes (env-configured).
 *
 * @example
 * ```ts
 * export const handler = guardRoutes(policy)(router);
 * ```
 */
export const guardRoutes = guardRoutesFromEnv;

/**
 * Fetches the signing keys of the env-configured guards during init, so that no invocation pays
 * for the fetch (with provisioned concurrency or SnapStart, not even a cold start's first), and
 * without `cognitoGuard(config)`'s route-policy compiler in the bundle. Rejects with the
 * `ConfigError` naming the variable on a bad environment, and with a 503 `AuthError` when the
 * keys cannot be fetched.
 *
 * @example
 * ```ts
 * export const handler = requireGroups('movies-group')(listMovies);
 * await ready(); // top-level await, in an ES module handler
 * ```
 */
export const ready: () => Promise<void> = envReady;
