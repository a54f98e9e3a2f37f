// Where API Gateway finds the caller for cognito-guard's Lambda authorizer, and how long it may
// replay an answer. API Gateway keys its cache on the identity sources and refuses a request
// that lacks any one of them (401, the authorizer never called), so they can stand for the
// guard's token sources only when those are the `Authorization` header alone. A token the
// browser attaches by itself (a cookie, the ALB's session) must be checked for the page that sent
// the request on every request, which a cached answer skips: such an authorizer sees every
// request, uncached.

import { ConfigError, type GuardConfig, type TokenSource } from '@cognito-guard/core';
import { resolveConfig } from '@cognito-guard/core/advanced';

/** The Lambda authorizer's identity source and cache, as the guard's token sources allow. */
export interface AuthorizerIdentity {
  /** The header API Gateway reads the token from; `undefined`: none, every request is sent on. */
  readonly header: string | undefined;
  /** How long API Gateway caches an answer (0: never). */
  readonly ttlSeconds: number;
}

const DEFAULT_CACHE_SECONDS = 300;

/**
 * Whether API Gateway's own identity source (`Authorization`) reads the token wherever these
 * token sources do, so that a native authorizer or a cached answer can stand for the guard.
 *
 * @example
 * ```ts
 * readsAuthorizationOnly(['authorization']); // true
 * readsAuthorizationOnly(['authorization', { cookie: 'id_token' }]); // false
 * ```
 */
export function readsAuthorizationOnly(tokenSources: readonly TokenSource[]): boolean {
  return tokenSources.length === 1 && tokenSources[0] === 'authorization';
}

/**
 * The Lambda authorizer's identity source and cache TTL for a guard configuration: the
 * `Authorization` header and `cacheSeconds` (default 300) when the guard reads only that header;
 * otherwise no identity source and no cache, and a `ConfigError` naming `authorizerCacheSeconds`
 * if a cache was asked for.
 *
 * @example
 * ```ts
 * authorizerIdentity({ userPoolId, clientId }, undefined); // { header: 'Authorization', ttlSeconds: 300 }
 * authorizerIdentity({ userPoolId, clientId, tokenSources: [{ cookie: 'id' }] }, 0); // { header: undefined, ttlSeconds: 0 }
 * ```
 */
export function authorizerIdentity(
  config: GuardConfig,
  cacheSeconds: number | undefined,
): AuthorizerIdentity {
  const { tokenSources } = resolveConfig(config);
  if (readsAuthorizationOnly(tokenSources)) {
    return { header: 'Authorization', ttlSeconds: cacheSeconds ?? DEFAULT_CACHE_SECONDS };
  }
  if (cacheSeconds !== undefined && cacheSeconds !== 0) {
    throw new ConfigError('cognito-guard export', [
      {
        field: 'authorizerCacheSeconds',
        message: `must be 0 when the guard reads tokens from ${JSON.stringify(tokenSources)}: API Gateway caches by identity sources that every request must carry, and a cached answer skips the check of a cookie's cross-site request`,
      },
    ]);
  }
  return { header: undefined, ttlSeconds: 0 };
}
