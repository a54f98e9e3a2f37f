// The Cognito-specific checks aws-jwt-verify runs after the signature and exp/nbf/iss checks,
// shared by the token verifier and the worker threads of `verifyInWorkers`, so that both refuse
// exactly the same tokens for the same reasons.

import type { ResolvedConfig, ResolvedPool } from '../config/types';
import { InvalidTokenError } from '../errors/errors';
import type { IssuerSettings } from './aws-jwt-verify-seam';

type CustomJwtCheck = IssuerSettings['customJwtCheck'];

/**
 * The issuers of one pool as aws-jwt-verify is given them, each with the pool's checks.
 *
 * @example
 * ```ts
 * const verifier = createSignatureVerifier(config.pools.flatMap(issuerSettingsOf(config)), jwksCache, config.realm);
 * ```
 */
export function issuerSettingsOf(
  config: Pick<ResolvedConfig, 'realm' | 'algorithms' | 'graceSeconds'>,
): (pool: ResolvedPool) => IssuerSettings[] {
  return (pool) => {
    const customJwtCheck = cognitoCheck(pool, config);
    return pool.issuers.map(({ issuer, jwksUri }) => ({
      issuer,
      jwksUri,
      graceSeconds: config.graceSeconds,
      customJwtCheck,
    }));
  };
}

/**
 * The checks of one pool's tokens: the algorithm allow-list, no `crit`, a numeric `exp`, a
 * subject, well-formed groups, the token use and the client. Records each accepted payload's
 * algorithm ({@link verifiedAlgorithmOf}).
 *
 * @example
 * ```ts
 * const settings = pool.issuers.map(({ issuer, jwksUri }) => ({ issuer, jwksUri, graceSeconds: 0, customJwtCheck: cognitoCheck(pool, config) }));
 * ```
 */
export function cognitoCheck(
  pool: ResolvedPool,
  config: Pick<ResolvedConfig, 'realm' | 'algorithms'>,
): CustomJwtCheck {
  const { realm } = config;
  const algorithms = new Set<unknown>(config.algorithms);
  const tokenUses = new Set<unknown>(pool.tokenUses);
  const clientIds = pool.clientIds === null ? null : new Set<unknown>(pool.clientIds);
  const invalid = (
    reason: ConstructorParameters<typeof InvalidTokenError>[0]['reason'],
    description: string,
    detail?: string,
  ) => new InvalidTokenError({ reason, description, realm, detail });
  return ({ header, payload }) => {
    if (!algorithms.has(header.alg)) {
      throw invalid(
        'alg_not_allowed',
        'The token signature algorithm is not allowed',
        `alg ${String(header.alg)}; allowed ${[...algorithms].join(', ')} (algorithms)`,
      );
    }
    // RFC 7515 §4.1.11: extensions listed in `crit` must be understood; we understand none.
    if (header.crit !== undefined) {
      throw invalid('token_invalid', 'The token requires unsupported header extensions');
    }
    // aws-jwt-verify checks exp only when present (its parser refuses a non-numeric one).
    if (typeof payload['exp'] !== 'number' || !Number.isFinite(payload['exp'])) {
      throw invalid('exp_missing', 'The token has no valid expiry');
    }
    if (typeof payload['sub'] !== 'string' || payload['sub'] === '') {
      throw invalid('claims_invalid', 'The token has no subject');
    }
    const groups = payload['cognito:groups'];
    // A single string is one group, as aws-jwt-verify reads it; any other non-array is refused.
    if (
      groups !== undefined &&
      typeof groups !== 'string' &&
      !(Array.isArray(groups) && groups.every((g) => typeof g === 'string'))
    ) {
      throw invalid('claims_invalid', 'The token has a malformed cognito:groups claim');
    }
    const tokenUse = payload['token_use'];
    if (!tokenUses.has(tokenUse)) {
      const expected = [...tokenUses].join(' or ');
      throw invalid(
        'wrong_token_use',
        `Expected ${expected} token`,
        `token use ${String(tokenUse)}; expected ${expected} (tokenUse, COGNITO_TOKEN_USE)`,
      );
    }
    if (clientIds !== null) {
      const client = tokenUse === 'id' ? payload['aud'] : payload['client_id'];
      if (typeof client !== 'string' || !clientIds.has(client)) {
        throw invalid(
          'client_invalid',
          'The token was issued to another client',
          `client ${String(client)}; expected ${[...clientIds].join(' or ')} (clientId, COGNITO_CLIENT_ID)`,
        );
      }
    }
    verifiedAlgorithm.set(payload, header.alg as string);
  };
}

// The algorithm each verified payload was signed with: a principal records it, so that another
// guard with a narrower algorithm list does not reuse it.
const verifiedAlgorithm = new WeakMap<object, string>();

/**
 * The algorithm a payload {@link cognitoCheck} accepted was signed with.
 *
 * @example
 * ```ts
 * const payload = verifier.verifySync(token);
 * verifiedAlgorithmOf(payload); // 'RS256'
 * ```
 */
export function verifiedAlgorithmOf(payload: object): string | undefined {
  return verifiedAlgorithm.get(payload);
}
