// What a pre token generation trigger (event versions 2 and 3) does to a token, applied to a
// minted one: the response shape is the trigger's own, so a test can hold the very object the
// pool's Lambda returns.

import type { JwtPayload } from './jwt';

/** Claims and scopes one token gets changed by. */
export interface TokenGenerationOverride {
  /** Claims added or replaced: strings, numbers, booleans, arrays and JSON objects. */
  readonly claimsToAddOrOverride?: Readonly<Record<string, unknown>>;
  /** Claims removed (`cognito:groups` too). */
  readonly claimsToSuppress?: readonly string[];
}

/** The `response` of a V2_0 or V3_0 pre token generation trigger. */
export interface PreTokenGenerationResponse {
  readonly claimsAndScopeOverrideDetails: {
    readonly idTokenGeneration?: TokenGenerationOverride;
    readonly accessTokenGeneration?: TokenGenerationOverride & {
      readonly scopesToAdd?: readonly string[];
      readonly scopesToSuppress?: readonly string[];
    };
    readonly groupOverrideDetails?: {
      /** Replaces `cognito:groups` in both tokens; an empty list leaves the claim out. */
      readonly groupsToOverride?: readonly string[];
      readonly iamRolesToOverride?: readonly string[];
      readonly preferredRole?: string;
    };
  };
}

// Claims Amazon Cognito does not let the trigger add, override or suppress.
const PROTECTED = new Set([
  'acr',
  'amr',
  'aud',
  'auth_time',
  'azp',
  'client_id',
  'exp',
  'iat',
  'identities',
  'iss',
  'jti',
  'nbf',
  'nonce',
  'origin_jti',
  'sub',
  'token_use',
  'at_hash',
  'scope',
]);

/**
 * Applies a trigger response to a token's claims, as Cognito does before signing: groups
 * overridden, claims suppressed, then added or overridden, then (access tokens) scopes suppressed
 * and added. Throws for a claim Cognito protects, as the trigger would fail.
 *
 * @example
 * ```ts
 * const claims = applyPreTokenGeneration({ sub, 'cognito:groups': ['staff'] }, 'access', {
 *   claimsAndScopeOverrideDetails: {
 *     accessTokenGeneration: { claimsToAddOrOverride: { tenant: { id: 'acme' } } },
 *     groupOverrideDetails: { groupsToOverride: ['movies-group'] },
 *   },
 * }); // { sub, 'cognito:groups': ['movies-group'], tenant: { id: 'acme' } }
 * // issuer.accessToken({ preTokenGeneration: … }) applies it before signing.
 * ```
 */
export function applyPreTokenGeneration(
  payload: JwtPayload,
  tokenUse: 'access' | 'id',
  response: PreTokenGenerationResponse,
): JwtPayload {
  const details = response.claimsAndScopeOverrideDetails;
  const out: JwtPayload = { ...payload };
  const groups = details.groupOverrideDetails?.groupsToOverride;
  if (groups !== undefined) {
    if (groups.length > 0) out['cognito:groups'] = [...groups];
    else delete out['cognito:groups'];
  }
  if (tokenUse === 'id') {
    const roles = details.groupOverrideDetails?.iamRolesToOverride;
    if (roles !== undefined) out['cognito:roles'] = [...roles];
    const preferred = details.groupOverrideDetails?.preferredRole;
    if (preferred !== undefined) out['cognito:preferred_role'] = preferred;
  }
  const override = tokenUse === 'id' ? details.idTokenGeneration : details.accessTokenGeneration;
  for (const name of override?.claimsToSuppress ?? []) {
    refuseProtected(name);
    delete out[name];
  }
  for (const [name, value] of Object.entries(override?.claimsToAddOrOverride ?? {})) {
    refuseProtected(name);
    out[name] = structuredClone(value);
  }
  const access = details.accessTokenGeneration;
  if (tokenUse === 'access' && access !== undefined) {
    const suppressed = new Set(access.scopesToSuppress ?? []);
    const current = typeof out['scope'] === 'string' ? out['scope'].split(' ') : [];
    const scopes = current.filter((scope) => scope !== '' && !suppressed.has(scope));
    for (const scope of access.scopesToAdd ?? []) {
      if (!scopes.includes(scope)) scopes.push(scope);
    }
    if (scopes.length > 0) out['scope'] = scopes.join(' ');
    else delete out['scope'];
  }
  return out;
}

function refuseProtected(name: string): void {
  if (PROTECTED.has(name)) {
    throw new Error(`pre token generation: Amazon Cognito does not let a trigger change ${name}`);
  }
}
