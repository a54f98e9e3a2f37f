// Verifies Cognito tokens with aws-jwt-verify, caches successes, and keeps key fetching bounded.

import { JwksNotAvailableInCacheError, KidNotFoundInJwksError } from 'aws-jwt-verify/error';
import type {
  OffloadedVerifier,
  OffloadStats,
  ResolvedConfig,
  ResolvedPool,
} from '../config/types';
import {
  type AuthError,
  InvalidTokenError,
  KeysUnavailableError,
  TokenExpiredError,
} from '../errors/errors';
import type { DenyReason } from '../errors/reasons';
import { tooLarge } from '../request/extract-token';
import type { SignatureVerifier } from './aws-jwt-verify-seam';
import { issuerSettingsOf, verifiedAlgorithmOf } from './cognito-check';
import { decomposeToken } from './decompose-token';
import { JwksFetcher } from './jwks-fetcher';
import { toAuthError } from './map-error';
import { PoolDirectory } from './pool-directory';
import { createPrincipal, type Principal, provenanceOf } from './principal';
import { type CacheStats, VerifiedTokenCache } from './token-cache';

/**
 * Verifies bearer tokens against the configured pools. Create one per process and share it:
 * it owns the JWKS cache and the verified-token cache.
 *
 * Verification covers the signature and the algorithm allow-list, `exp` (required), `nbf`,
 * `iss`, `token_use`, and the client (`aud` for ID tokens, `client_id` for access tokens). With
 * the `offload` option, a token the cache has not seen is verified on a worker thread.
 *
 * @example
 * ```ts
 * const verifier = new TokenVerifier(resolveConfig({ userPoolId, clientId, tokenUse: 'access' }));
 * await verifier.ready();
 * const principal = await verifier.verify(token);
 * ```
 */
export class TokenVerifier {
  /** The JWKS fetcher; `fetcher.fetchCount` tells how many key fetches were made. */
  readonly fetcher: JwksFetcher;
  /** The pools tokens may come from, configured or resolved per issuer. */
  readonly pools: PoolDirectory;
  private readonly tokenCache: VerifiedTokenCache | undefined;
  private readonly offload: OffloadedVerifier | undefined;

  constructor(private readonly config: ResolvedConfig) {
    this.fetcher = new JwksFetcher({ ...config.jwks, logger: config.logger });
    this.pools = new PoolDirectory(config, this.fetcher, issuerSettingsOf(config));
    this.tokenCache =
      config.cache === false
        ? undefined
        : new VerifiedTokenCache({ ...config.cache, graceSeconds: config.graceSeconds });
    // Last, so that no worker thread is started for a verifier that failed to build.
    const offload = config.offload?.create(config);
    if (offload !== undefined) this.fetcher.keyListeners.push(offload.keysFetched.bind(offload));
    this.offload = offload;
  }

  /**
   * Fetches every pool's keys now, so that no request pays for the fetch. Rejects with
   * {@link KeysUnavailableError} if any pool's keys cannot be fetched.
   */
  async ready(): Promise<void> {
    try {
      await Promise.all([this.pools.ready(), this.offload?.ready()]);
    } catch (err) {
      throw toAuthError(err, this.config.realm);
    }
  }

  /**
   * Verifies a token, answering from the cache when this exact token was verified before.
   * Resolves to a frozen principal; rejects with an `AuthError` (401, or 503 when keys are
   * unavailable). On a cache hit the result is returned synchronously.
   */
  verify(token: string): Principal | Promise<Principal> {
    const cached = this.tokenCache?.get(token);
    if (cached !== undefined) return cached;
    return this.verifyUncached(token);
  }

  /** Number of verified tokens held in the cache. */
  get cacheSize(): number {
    return this.tokenCache?.size ?? 0;
  }

  /** The verified-token cache's hits, misses and evictions (all zero without a cache). */
  get cacheStats(): CacheStats {
    return this.tokenCache?.stats ?? { hits: 0, misses: 0, evictions: 0 };
  }

  /** What the `offload` option's workers did so far; `undefined` without the option. */
  get offloadStats(): OffloadStats | undefined {
    return this.offload?.stats;
  }

  /** Drops every cached verification (after revoking a key, say). */
  clearCache(): void {
    this.tokenCache?.clear();
  }

  private verifyUncached(token: string): Principal | Promise<Principal> {
    const { realm, maxTokenBytes } = this.config;
    if (typeof token !== 'string' || token.length > maxTokenBytes) {
      return Promise.reject(tooLarge(realm));
    }
    if (this.offload !== undefined) {
      return this.offload
        .verify(token)
        .then((verdict) =>
          verdict === undefined
            ? this.verifyHere(token)
            : this.remember(token, verdict.payload, verdict.algorithm),
        );
    }
    return this.verifyHere(token);
  }

  private verifyHere(token: string): Principal | Promise<Principal> {
    const { realm } = this.config;
    let signatures: SignatureVerifier;
    try {
      signatures = this.signatureVerifierFor(token);
    } catch (err) {
      return Promise.reject(toAuthError(err, realm));
    }
    try {
      // The sync path avoids a promise per request when the keys are cached, which is nearly always.
      return this.remember(token, signatures.verifySync(token));
    } catch (err) {
      if (err instanceof KidNotFoundInJwksError || err instanceof JwksNotAvailableInCacheError) {
        return signatures.verify(token).then(
          (payload) => this.remember(token, payload),
          (asyncErr: unknown) => {
            throw toAuthError(asyncErr, realm);
          },
        );
      }
      return Promise.reject(toAuthError(err, realm));
    }
  }

  // With pools resolved per issuer, the token's (unverified) issuer picks the pool: an issuer
  // without one is refused here, before any key is fetched for it.
  private signatureVerifierFor(token: string): SignatureVerifier {
    const shared = this.pools.shared;
    if (shared !== undefined) return shared;
    const issuer = decomposeToken(token, this.config.realm).payload.iss;
    const verifier = this.pools.verifierFor(issuer);
    if (verifier !== undefined) return verifier;
    throw new InvalidTokenError({
      reason: 'issuer_invalid',
      description: 'The token was issued by an unexpected issuer',
      realm: this.config.realm,
      detail: `issuer ${String(issuer)}; expected ${this.pools.describeIssuers()}`,
    });
  }

  /**
   * Why this verifier would not accept a principal built elsewhere (by another guard, or from
   * claims an API Gateway authorizer verified), or `undefined` when it meets this verifier's
   * settings: built by cognito-guard, an issuer of one of its pools, that pool's token use and
   * client, an allowed algorithm, and not expired.
   *
   * @example
   * ```ts
   * const reusable = verifier.refusal(req.auth) === undefined;
   * ```
   */
  refusal(principal: Principal, now = Date.now()): AuthError | undefined {
    const { realm } = this.config;
    const invalid = (reason: DenyReason, description: string, detail?: string) =>
      new InvalidTokenError({ reason, description, realm, detail });
    const provenance = provenanceOf(principal);
    if (provenance === undefined) return invalid('token_invalid', 'The principal is not trusted');
    if (principal.sub === '') return invalid('claims_invalid', 'The token has no subject');
    const pool = this.pools.poolOf(principal.issuer);
    if (pool === undefined) {
      return invalid(
        'issuer_invalid',
        'The token was issued by an unexpected issuer',
        `issuer ${principal.issuer}; expected ${this.pools.describeIssuers()}`,
      );
    }
    if (!pool.tokenUses.includes(principal.tokenUse)) {
      return invalid(
        'wrong_token_use',
        `Expected ${pool.tokenUses.join(' or ')} token`,
        `token use ${principal.tokenUse}; expected ${pool.tokenUses.join(' or ')} (tokenUse, COGNITO_TOKEN_USE)`,
      );
    }
    if (pool.clientIds !== null) {
      if (principal.clientId === undefined || !pool.clientIds.includes(principal.clientId)) {
        return invalid(
          'client_invalid',
          'The token was issued to another client',
          `client ${principal.clientId ?? '(none)'}; expected ${pool.clientIds.join(' or ')} (clientId, COGNITO_CLIENT_ID)`,
        );
      }
    }
    const algorithm = provenance.algorithm;
    if (
      algorithm !== undefined &&
      !(this.config.algorithms as readonly string[]).includes(algorithm)
    ) {
      return invalid('alg_not_allowed', 'The token signature algorithm is not allowed');
    }
    // Asked as "still valid?", so that an expiry that is not a number counts as expired.
    if (!((principal.expiresAt + this.config.graceSeconds) * 1000 > now)) {
      return new TokenExpiredError({ realm });
    }
    return undefined;
  }

  /** The configured pool a token issuer belongs to, if any. */
  poolOf(issuer: string): ResolvedPool | undefined {
    return this.pools.poolOf(issuer);
  }

  private remember(
    token: string,
    payload: Record<string, unknown>,
    algorithm = verifiedAlgorithmOf(payload),
  ): Principal {
    const issuer = payload['iss'] as string;
    const principal = createPrincipal({
      claims: payload,
      userPoolId: this.pools.poolOf(issuer)?.userPoolId ?? '',
      issuer,
      token,
      algorithm,
      ownClaims: true,
    });
    this.tokenCache?.set(token, principal);
    return principal;
  }
}
