// Which API Gateway protection enforces a policy route exactly: none (public), the native JWT
// authorizer, or cognito-guard's Lambda authorizer. The cheapest exact one, and the Lambda
// authorizer whenever a native one would be looser.

import type { RuleJson } from '@cognito-guard/core';

/** How API Gateway protects one route. */
export type Protection =
  | { readonly kind: 'public' }
  /** The HTTP API JWT authorizer with these scopes (any of them), or none. */
  | { readonly kind: 'jwt'; readonly scopes: readonly string[] }
  /** The REST API Cognito user pool authorizer with these scopes (any of them), or none. */
  | { readonly kind: 'cognito'; readonly scopes: readonly string[] }
  /** cognito-guard's `createAuthorizer`, deciding by the whole policy. */
  | { readonly kind: 'lambda' };

/** The one pool a native JWT authorizer could check. */
export interface NativePool {
  readonly issuer: string;
  /** The app clients a token must be issued to; `null` (any client) rules native out. */
  readonly clientIds: readonly string[] | null;
  readonly tokenUses: readonly ('access' | 'id')[];
  /** The pool's ARN, which a REST API's Cognito authorizer names; without it, no Cognito authorizer. */
  readonly arn?: string | undefined;
}

/**
 * The protection that enforces `rule` exactly for tokens of `pool`, on a route that is
 * `selfContained`: all literal segments, and read by the guards as this route alone (no greedy
 * route's bare prefix, see exportHttpApi).
 *
 * API Gateway matches paths case-sensitively, undecoded and with the trailing slash, so a
 * `{param}`, `{proxy+}` or `$default` route also catches variants of other routes (`/Movies`,
 * `/movies/`) that the guards read by those routes' stricter rules; and the guards read a path
 * that is a greedy route's bare prefix by that route's rule too. A route that is not
 * self-contained always goes to the Lambda authorizer, which decides by the guards' own
 * readings, even when it is public: stricter (it needs a token), never looser.
 *
 * An HTTP API JWT authorizer checks the issuer, `aud` or `client_id` against its audience list,
 * and any-of scopes; it cannot tell an ID token from an access token. So it is exact only for a
 * rule that is nothing but `scopes` (ID tokens carry none, so only access tokens pass), on a pool
 * whose guard accepts access tokens and checks the client. Everything else (groups, all-of
 * scopes, deny rules, claims, token use, `{}` on an access-only pool, several pools) goes to the
 * Lambda authorizer.
 *
 * @example
 * ```ts
 * protectionFor({ scopes: ['movies/read'] }, pool, true); // { kind: 'jwt', scopes: ['movies/read'] }
 * protectionFor({ groups: ['admins'] }, pool, true); // { kind: 'lambda' }
 * protectionFor({ public: true }, pool, false); // { kind: 'lambda' }
 * ```
 */
export function protectionFor(
  rule: RuleJson,
  pool: NativePool | undefined,
  selfContained: boolean,
): Protection {
  if (!selfContained) return { kind: 'lambda' };
  if (rule.public === true) return { kind: 'public' };
  const { scopesOnly } = conditionsOf(rule);
  const nativeFits =
    pool !== undefined && pool.clientIds !== null && pool.tokenUses.includes('access');
  if (scopesOnly && nativeFits) return { kind: 'jwt', scopes: [...(rule.scopes ?? [])] };
  return { kind: 'lambda' };
}

/**
 * The protection that enforces `rule` exactly on a REST API (see {@link protectionFor} for
 * `selfContained`).
 *
 * A REST Cognito user pool authorizer checks the pool and, per method, any-of scopes; with
 * scopes it accepts only access tokens, without them only ID tokens, and it never checks the
 * client. So it is exact for a scopes-only rule on a pool that accepts access tokens from any
 * client (`clientId: null`), and for `{}` on a pool that accepts only ID tokens from any client.
 * A REST JWT authorizer checks `aud`, which Cognito access tokens do not carry, and claims only
 * as single strings (never `cognito:groups`): it is never chosen. Everything else goes to the
 * Lambda authorizer.
 *
 * @example
 * ```ts
 * restProtectionFor({ scopes: ['movies/read'] }, { ...pool, clientIds: null, arn }, true); // { kind: 'cognito', scopes: ['movies/read'] }
 * restProtectionFor({ scopes: ['movies/read'] }, pool, true); // { kind: 'lambda' }: the client would go unchecked
 * ```
 */
export function restProtectionFor(
  rule: RuleJson,
  pool: NativePool | undefined,
  selfContained: boolean,
): Protection {
  if (!selfContained) return { kind: 'lambda' };
  if (rule.public === true) return { kind: 'public' };
  if (pool?.arn === undefined || pool.clientIds !== null) return { kind: 'lambda' };
  const { none, scopesOnly } = conditionsOf(rule);
  if (none && pool.tokenUses.length === 1 && pool.tokenUses[0] === 'id') {
    return { kind: 'cognito', scopes: [] };
  }
  if (scopesOnly && (rule.scopes?.length ?? 0) > 0 && pool.tokenUses.includes('access')) {
    return { kind: 'cognito', scopes: [...(rule.scopes ?? [])] };
  }
  return { kind: 'lambda' };
}

// What a rule asks for, as far as a native authorizer could check it: nothing, or scopes alone.
function conditionsOf(rule: RuleJson): { none: boolean; scopesOnly: boolean } {
  const conditions = Object.entries(rule).filter(([, value]) => value !== undefined);
  return {
    none: conditions.length === 0,
    scopesOnly: conditions.length === 1 && conditions[0]?.[0] === 'scopes',
  };
}

/**
 * A protection as one line of text, for drift reports.
 *
 * @example
 * ```ts
 * describeProtection({ kind: 'jwt', scopes: ['a'] }); // 'JWT authorizer, scopes any of [a]'
 * ```
 */
export function describeProtection(protection: Protection): string {
  if (protection.kind === 'public') return 'no authorizer (public)';
  if (protection.kind === 'lambda') return 'cognito-guard Lambda authorizer';
  const name = protection.kind === 'jwt' ? 'JWT authorizer' : 'Cognito user pool authorizer';
  return protection.scopes.length === 0
    ? `${name}, no scopes`
    : `${name}, scopes any of [${protection.scopes.join(', ')}]`;
}
