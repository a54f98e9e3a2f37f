// The context `createAuthorizer` hands to API Gateway, and trust mode's reading of it: one
// definition of the format, so the writer and the reader cannot drift.

import type { Claims, Principal } from '@cognito-guard/core';
import type { ListClaimEncoding } from '@cognito-guard/core/advanced';

/** The context values API Gateway passes on: strings, numbers and booleans only. */
export type AuthorizerContext = Record<string, string | number | boolean>;

/** Marks a context written in this format, so a reader never guesses its encoding. */
export const CONTEXT_FORMAT = 'cognito-guard/2';

const REVOCATION_CLAIMS = ['jti', 'origin_jti', 'auth_time'] as const;

/** Where a claim listed in `contextClaims` travels: `claim:custom:tenant`, say. */
const CLAIM_PREFIX = 'claim:';

/**
 * The claims the context always carries in its own fields. `contextClaims` may not list them, and
 * a `claim:` key never overrides them when the context is read back.
 */
export const RESERVED_CONTEXT_CLAIMS: ReadonlySet<string> = new Set([
  'sub',
  'iss',
  'exp',
  'token_use',
  'cognito:groups',
  'scope',
  'username',
  'cognito:username',
  'client_id',
  'aud',
  ...REVOCATION_CLAIMS,
]);

/**
 * Writes a principal as authorizer context. Groups are a JSON array, which round-trips every
 * legal Cognito group name (commas and brackets included); scopes are space-separated (scopes
 * cannot contain spaces). Each claim named in `contextClaims` whose value is a string, a number
 * or a boolean goes under `claim:<name>`; any other value is left out, so a backend rule on it
 * fails closed.
 *
 * @example
 * ```ts
 * writeAuthorizerContext(principal, ['custom:tenant']); // { format: 'cognito-guard/2', sub, …, 'claim:custom:tenant': 'acme' }
 * ```
 */
export function writeAuthorizerContext(
  principal: Principal,
  contextClaims: readonly string[] = [],
): AuthorizerContext {
  const context: AuthorizerContext = {
    format: CONTEXT_FORMAT,
    sub: principal.sub,
    groups: JSON.stringify(principal.groups),
    scopes: principal.scopes.join(' '),
    tokenUse: principal.tokenUse,
    iss: principal.issuer,
    exp: principal.expiresAt,
  };
  if (principal.username !== undefined) context['username'] = principal.username;
  if (principal.clientId !== undefined) context['clientId'] = principal.clientId;
  // What a handler guard with a revocation store needs to re-check, on every request, a token
  // whose Allow API Gateway replays from its cache.
  for (const claim of REVOCATION_CLAIMS) {
    const value = principal.claims[claim];
    if (typeof value === 'string' || typeof value === 'number') context[claim] = value;
  }
  for (const name of contextClaims) {
    const value = principal.claims[name];
    if (isContextValue(value) && !RESERVED_CONTEXT_CLAIMS.has(name)) {
      context[CLAIM_PREFIX + name] = value;
    }
  }
  return context;
}

/** Claims read back from an authorizer context, with how their groups are encoded. */
export interface ReadContext {
  readonly claims: Claims;
  readonly groupsEncoding: ListClaimEncoding;
}

/**
 * Reads a context `writeAuthorizerContext` wrote. A context without the format marker (written
 * by cognito-guard 0.1, groups comma-joined) is read with the comma encoding, whose ambiguity
 * makes group allow-rules fail closed. Returns `undefined` for anything else, including groups
 * that are not a JSON array of strings.
 *
 * @example
 * ```ts
 * const read = readAuthorizerContext(event.requestContext.authorizer.lambda);
 * ```
 */
export function readAuthorizerContext(context: Record<string, unknown>): ReadContext | undefined {
  if (typeof context['sub'] !== 'string') return undefined;
  const tokenUse = context['tokenUse'];
  let groups: unknown = context['groups'];
  let groupsEncoding: ListClaimEncoding = 'comma';
  if (context['format'] === CONTEXT_FORMAT) {
    groupsEncoding = 'json';
    groups = parseGroups(groups);
    if (groups === undefined) return undefined;
  } else if (context['format'] !== undefined) {
    return undefined;
  }
  return {
    groupsEncoding,
    claims: {
      ...passedClaims(context),
      sub: context['sub'],
      iss: context['iss'],
      token_use: tokenUse,
      exp: context['exp'],
      'cognito:groups': groups,
      scope: context['scopes'],
      [tokenUse === 'id' ? 'cognito:username' : 'username']: context['username'],
      [tokenUse === 'id' ? 'aud' : 'client_id']: context['clientId'],
      jti: context['jti'],
      origin_jti: context['origin_jti'],
      auth_time: context['auth_time'],
    },
  };
}

// The `claim:` entries, as claims; placed before the context's own fields, and reserved names
// skipped, so that none of them can stand in for a verified field.
function passedClaims(context: Record<string, unknown>): Record<string, unknown> {
  // No prototype: a claim named `__proto__` is kept as data, not taken as one.
  const claims: Record<string, unknown> = Object.create(null);
  for (const [key, value] of Object.entries(context)) {
    if (!key.startsWith(CLAIM_PREFIX) || !isContextValue(value)) continue;
    const name = key.slice(CLAIM_PREFIX.length);
    if (name !== '' && !RESERVED_CONTEXT_CLAIMS.has(name)) claims[name] = value;
  }
  return claims;
}

function isContextValue(value: unknown): value is string | number | boolean {
  return typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean';
}

function parseGroups(value: unknown): readonly string[] | undefined {
  if (typeof value !== 'string') return undefined;
  try {
    const parsed: unknown = JSON.parse(value);
    return Array.isArray(parsed) && parsed.every((g) => typeof g === 'string') ? parsed : undefined;
  } catch {
    return undefined;
  }
}
