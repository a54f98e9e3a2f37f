// "Trust API Gateway" mode: build the principal from claims an authorizer already verified. The
// event's source and the authorizer's kind are detected exactly, never guessed; the principal
// then goes through the same settings check as a verified token (issuer, token use, client,
// expiry), in the guard. Only the signature step differs.

import { InvalidTokenError, MissingTokenError, type Principal } from '@cognito-guard/core';
import {
  createPrincipal,
  type ListClaimEncoding,
  type TokenVerifier,
} from '@cognito-guard/core/advanced';
import { readAuthorizerContext } from './authorizer-context';
import type { EventSource, HttpEventLike } from './events';

/** Options of {@link principalFromAuthorizer}. */
export interface TrustOptions {
  /** The realm of the challenge a refusal carries. */
  readonly realm: string;
  /**
   * The pool's group names contain no comma, so a REST Cognito authorizer's comma-joined groups
   * read one way only. Without it, such groups are ambiguous: group allow-rules fail closed and
   * deny-rules match every reading.
   */
  readonly commaFreeGroupNames?: boolean | undefined;
}

interface Found {
  readonly claims: Record<string, unknown>;
  readonly encoding: ListClaimEncoding;
  readonly scopes?: unknown;
}

/**
 * Builds the principal from the claims API Gateway attached to the event:
 * - REST API, Cognito user pool authorizer: `requestContext.authorizer.claims`, every claim a
 *   string, groups comma-joined (`"a,b"`), `exp` a Java date;
 * - HTTP API payload 2.0, JWT authorizer: `requestContext.authorizer.jwt.claims`, groups
 *   `"[a b]"`, and `jwt.scopes`;
 * - HTTP API payload 1.0 (`version: "1.0"`), JWT authorizer: `requestContext.authorizer.claims`,
 *   groups `"[a b]"` (not comma-joined), and `authorizer.scopes`;
 * - a Lambda authorizer's context as `createAuthorizer` writes it (`requestContext.authorizer`
 *   on REST, `.authorizer.lambda` on HTTP APIs).
 *
 * Throws a 401 when the event carries no authorizer claims (a Function URL call, say): trusting
 * missing claims would be a hole. The guard then checks the principal against its pools.
 *
 * @example
 * ```ts
 * const principal = principalFromAuthorizer(event, 'rest', guard.verifier, { realm: 'api' });
 * const decision = await guard.check(request, rule, { principal });
 * ```
 */
export function principalFromAuthorizer(
  event: HttpEventLike,
  source: EventSource,
  verifier: TokenVerifier,
  options: TrustOptions,
): Principal {
  const found = findClaims(event, source);
  if (!found) {
    throw new MissingTokenError({
      realm: options.realm,
      description: `claimsSource is 'api-gateway' but this ${source} event carries no authorizer claims`,
    });
  }
  const { claims } = found;
  const issuer = typeof claims['iss'] === 'string' ? claims['iss'] : '';
  const expiresAt = epochSeconds(claims['exp']);
  if (expiresAt === undefined) {
    throw new InvalidTokenError({
      reason: 'exp_missing',
      description: 'The authorizer claims have no valid expiry',
      realm: options.realm,
    });
  }
  return createPrincipal({
    claims,
    userPoolId: verifier.poolOf(issuer)?.userPoolId ?? '',
    issuer,
    groupsEncoding: found.encoding,
    commaFreeGroupNames: options.commaFreeGroupNames,
    scopes: found.scopes,
    expiresAt,
  });
}

function findClaims(event: HttpEventLike, source: EventSource): Found | undefined {
  const authorizer = record(event.requestContext?.authorizer);
  if (!authorizer) return undefined;
  if (source === 'http') {
    const jwt = record(authorizer['jwt']);
    const jwtClaims = record(jwt?.['claims']);
    if (jwtClaims) return { claims: jwtClaims, encoding: 'bracket', scopes: jwt?.['scopes'] };
    const lambda = record(authorizer['lambda']);
    return lambda ? fromContext(lambda) : undefined;
  }
  if (source !== 'rest') return undefined;
  const claims = record(authorizer['claims']);
  if (event.version === '1.0') {
    // HTTP API payload 1.0: REST's shape, but a JWT authorizer's bracketed groups.
    if (claims) return { claims, encoding: 'bracket', scopes: authorizer['scopes'] };
    return fromContext(record(authorizer['lambda']) ?? authorizer);
  }
  if (claims) return { claims, encoding: 'comma' };
  return typeof authorizer['principalId'] === 'string' ? fromContext(authorizer) : undefined;
}

function fromContext(context: Record<string, unknown>): Found | undefined {
  const read = readAuthorizerContext(context);
  return read && { claims: { ...read.claims }, encoding: read.groupsEncoding };
}

function epochSeconds(value: unknown): number | undefined {
  if (typeof value === 'number' && Number.isFinite(value)) return value;
  if (typeof value !== 'string' || value === '') return undefined;
  if (/^\d+$/.test(value)) return Number(value);
  // REST Cognito authorizers send exp as a Java date: "Tue Jun 18 15:00:04 UTC 2024".
  const parsed = Date.parse(value);
  return Number.isNaN(parsed) ? undefined : Math.floor(parsed / 1000);
}

function record(value: unknown): Record<string, unknown> | undefined {
  return value !== null && typeof value === 'object' && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : undefined;
}
