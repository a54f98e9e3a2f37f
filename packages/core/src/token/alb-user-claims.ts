// The user's claims an Application Load Balancer with OIDC authentication forwards in
// `x-amzn-oidc-data`: a JWT the ALB signs itself (ES256; its public key is fetched by `kid` from
// the region's ALB key endpoint, not from the pool's JWKS). It carries user-info attributes
// (e-mail and the like), never groups: those come from the access token the ALB forwards in
// `x-amzn-oidc-accesstoken`, which is verified first. The header is never trusted unverified:
// its signature, signer (one of the expected ALB ARNs), issuer, client and expiry are checked by
// aws-jwt-verify's ALB verifier, and its `sub` must be the access token's.

import { AlbJwksCache } from 'aws-jwt-verify/alb-cache';
import { AlbJwtVerifier } from 'aws-jwt-verify/alb-verifier';
import { JwksNotAvailableInCacheError, KidNotFoundInJwksError } from 'aws-jwt-verify/error';
import { type LRU, lru } from 'tiny-lru';
import { ConfigError } from '../config/config-error';
import { requireListedPools } from '../config/pools';
import type { AlbUserClaims, AlbUserClaimsStep, ResolvedConfig } from '../config/types';
import { InvalidTokenError, TokenExpiredError } from '../errors/errors';
import { singleHeader } from '../request/extract-token';
import { JwksFetchError, JwksFetcher } from './jwks-fetcher';
import { toAuthError } from './map-error';
import { createPrincipal, type Principal, provenanceOf } from './principal';

/** The header an ALB puts the user's claims in. */
export const ALB_DATA_HEADER = 'x-amzn-oidc-data';

const ALB_ARN =
  /^arn:aws(?:-cn|-us-gov)?:elasticloadbalancing:([a-z]{2}-(?:gov-)?[a-z]+-\d):\d{12}:loadbalancer\/app\/[\w-]+\/[0-9a-f]+$/;

/** Options of {@link albUserClaims}. */
export interface AlbUserClaimsOptions {
  /**
   * The ARN(s) of the load balancer(s) allowed to sign the header (its `signer`). One region.
   * Undefined (an unset environment variable) is refused at start-up, naming `albArn`.
   */
  readonly albArn: string | readonly string[] | undefined;
}

/**
 * Verifies the `x-amzn-oidc-data` header an ALB with Cognito authentication adds, and exposes its
 * attributes on the principal, where claim rules read them. Throws a `ConfigError` for an ARN
 * that is not an application load balancer's, or ARNs in several regions.
 *
 * @example
 * ```ts
 * import { albUserClaims } from '@cognito-guard/core/alb';
 * const guard = cognitoGuard({
 *   userPoolId, clientId, tokenSources: ['alb'],
 *   albUserClaims: albUserClaims({ albArn: process.env.ALB_ARN }),
 * });
 * app.get('/me', guard.requireClaim('email_verified', 'true'), handler);
 * ```
 */
export function albUserClaims(options: AlbUserClaimsOptions): AlbUserClaims {
  const given = options?.albArn;
  const albArns = typeof given === 'string' ? [given] : Array.isArray(given) ? [...given] : [];
  const issues: { field: string; message: string }[] = [];
  if (albArns.length === 0)
    issues.push({ field: 'albArn', message: 'must name at least one load balancer' });
  const regions = new Set<string>();
  albArns.forEach((arn, index) => {
    const region = typeof arn === 'string' ? ALB_ARN.exec(arn)?.[1] : undefined;
    if (region === undefined) {
      issues.push({
        field: albArns.length > 1 ? `albArn.${index}` : 'albArn',
        message: `"${String(arn)}" is not an application load balancer ARN (arn:aws:elasticloadbalancing:<region>:<account>:loadbalancer/app/<name>/<id>)`,
      });
    } else regions.add(region);
  });
  if (regions.size > 1) {
    issues.push({
      field: 'albArn',
      message: `lists load balancers in several regions (${[...regions].join(', ')}); use one guard per region`,
    });
  }
  if (issues.length > 0) throw new ConfigError('albUserClaims', issues);
  return Object.freeze({
    kind: 'alb-user-claims' as const,
    albArns: Object.freeze(albArns),
    create: (config: ResolvedConfig) => createStep(albArns, config),
  });
}

function createStep(albArns: readonly string[], config: ResolvedConfig): AlbUserClaimsStep {
  const { realm, graceSeconds } = config;
  requireListedPools(config, 'albUserClaims');
  if (!config.tokenSources.includes('alb')) {
    throw new ConfigError('cognito-guard config', [
      {
        field: 'albUserClaims',
        message: "verifies what an ALB forwards: add 'alb' to tokenSources",
      },
    ]);
  }
  const fetcher = new JwksFetcher({
    ...config.jwks,
    logger: config.logger,
    validate: (body) => {
      if (!body.includes('-----BEGIN PUBLIC KEY-----')) throw new Error('not a PEM public key');
    },
  });
  const keys = new AlbJwksCache({
    fetcher: unknownKeyCooldown(fetcher, config.jwks.unknownKidCooldownSeconds),
  });
  const issuers = config.pools.flatMap((pool) =>
    pool.issuers.map(({ issuer }) => ({
      issuer,
      albArn: [...albArns],
      clientId: pool.clientIds === null ? null : [...pool.clientIds],
      graceSeconds,
    })),
  );
  const verifier = AlbJwtVerifier.create(issuers as never, { jwksCache: keys }) as unknown as {
    verifySync(jwt: string): Record<string, unknown>;
    verify(jwt: string): Promise<Record<string, unknown>>;
  };
  const verified: LRU<Record<string, unknown>> = lru(
    config.cache === false ? 1 : config.cache.maxEntries,
  );

  const withClaims = (principal: Principal, data: Record<string, unknown>): Principal => {
    if (data['sub'] !== principal.sub) {
      throw new InvalidTokenError({
        reason: 'claims_invalid',
        description: 'The ALB user claims belong to another user',
        realm,
        detail: `x-amzn-oidc-data sub ${String(data['sub'])}; access token sub ${principal.sub}`,
      });
    }
    return createPrincipal({
      claims: { ...data, ...principal.claims },
      // A new object over values only this guard holds (its ALB claims cache, a frozen
      // principal's claims): frozen in place, not copied again on every request.
      ownClaims: true,
      userPoolId: principal.userPoolId,
      issuer: principal.issuer,
      token: principal.token,
      algorithm: provenanceOf(principal)?.algorithm,
    });
  };

  return {
    get fetchCount() {
      return fetcher.fetchCount;
    },
    attach(principal, request) {
      // Claims an API Gateway authorizer passed on have no ALB header to go with them.
      if (request === undefined || principal.token === undefined) return principal;
      const header = singleHeader(request, ALB_DATA_HEADER, realm);
      if (header === undefined) return principal;
      const data = header.trim();
      const cached = verified.get(data);
      if (cached !== undefined && !expired(cached, graceSeconds))
        return withClaims(principal, cached);
      const remember = (payload: Record<string, unknown>) => {
        verified.set(data, payload);
        return withClaims(principal, payload);
      };
      let payload: Record<string, unknown>;
      try {
        payload = verifier.verifySync(data);
      } catch (err) {
        if (!(err instanceof JwksNotAvailableInCacheError)) throw dataError(err, realm);
        return verifier.verify(data).then(remember, (asyncErr: unknown) => {
          throw dataError(asyncErr, realm);
        });
      }
      return remember(payload);
    },
  };
}

function expired(payload: Record<string, unknown>, graceSeconds: number): boolean {
  const exp = payload['exp'];
  // Asked as "still valid?", so that an expiry that is not a number counts as expired.
  return typeof exp !== 'number' || !((exp + graceSeconds) * 1000 > Date.now());
}

// A refused header is named as such: the client sees an invalid token, the operator the cause.
function dataError(err: unknown, realm: string) {
  const mapped = toAuthError(err, realm);
  if (mapped instanceof TokenExpiredError) {
    return new TokenExpiredError({
      description: 'The ALB user claims (x-amzn-oidc-data) have expired',
      realm,
      cause: err,
    });
  }
  if (!(mapped instanceof InvalidTokenError)) return mapped;
  return new InvalidTokenError({
    reason: 'token_invalid',
    description: 'The ALB user claims (x-amzn-oidc-data) are not valid',
    realm,
    detail: `${mapped.reason}: ${mapped.description}`,
    cause: err,
  });
}

// ALB keys are fetched one URL per key id, which a caller chooses: after the endpoint says a key
// id does not exist, no other new key id is fetched for a while, so a stream of made-up ids (each needs a
// valid access token first) cannot turn into a stream of outbound requests. Like the pool's
// unknown-kid cooldown, a key id not fetched for that reason is an unknown key (401).
function unknownKeyCooldown(fetcher: JwksFetcher, cooldownSeconds: number) {
  let blockedUntil = 0;
  const known = new Set<string>();
  // Key ids the endpoint said it never issued (403/404), so they are not asked about again.
  const absent: LRU<true> = lru(1000);
  const unknownKey = (uri: string) =>
    new KidNotFoundInJwksError(`no ALB key ${uri.slice(uri.lastIndexOf('/') + 1)}`);
  return {
    async fetch(uri: string): Promise<ArrayBuffer> {
      if (absent.has(uri)) throw unknownKey(uri);
      if (!known.has(uri) && Date.now() < blockedUntil) throw unknownKey(uri);
      try {
        const body = await fetcher.fetch(uri);
        known.add(uri);
        return body;
      } catch (err) {
        // The key endpoint answers 403 or 404 for a key id it never issued: the token's fault
        // (401), not an outage (which stays a 503, failing fast per URI in the fetcher).
        if (err instanceof JwksFetchError && (err.status === 403 || err.status === 404)) {
          blockedUntil = Date.now() + cooldownSeconds * 1000;
          absent.set(uri, true);
          throw unknownKey(uri);
        }
        throw err;
      }
    },
  };
}
