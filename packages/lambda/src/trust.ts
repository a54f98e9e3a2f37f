// "Trust API Gateway" mode: build the principal from claims an authorizer already verified,
// in whichever encoding that authorizer used.

import {
  createPrincipal,
  InvalidTokenError,
  type ListClaimEncoding,
  MissingTokenError,
  type Principal,
  type ResolvedConfig,
  TokenExpiredError,
} from '@cognito-guard/core';
import type { EventSource, HttpEventLike } from './events';

interface Found {
  readonly claims: Record<string, unknown>;
  readonly encoding: ListClaimEncoding;
  readonly scopes?: unknown;
  readonly kind: string;
}

/**
 * Builds the principal from the claims API Gateway attached to the event:
 * - REST Cognito authorizer `requestContext.authorizer.claims` (strings; groups `"a,b"`; `exp` as
 *   `"Tue Jun 18 15:00:04 UTC 2024"`);
 * - HTTP API JWT authorizer `requestContext.authorizer.jwt.claims` (groups `"[a b]"`) and `jwt.scopes`;
 * - a Lambda authorizer's context (`requestContext.authorizer` on REST, `.authorizer.lambda` on
 *   HTTP APIs), as `createAuthorizer` writes it.
 *
 * Throws a 401 when the event carries no authorizer claims at all (a Function URL call, say):
 * trusting missing claims would be a hole. Claims are still checked against the configured pools
 * (issuer, token use, client) and `exp`.
 *
 * @example
 * ```ts
 * const principal = principalFromAuthorizer(event, 'rest', guard.config);
 * ```
 */
export function principalFromAuthorizer(
  event: HttpEventLike,
  source: EventSource,
  config: ResolvedConfig,
): Principal {
  const found = findClaims(event, source);
  if (!found) {
    throw new MissingTokenError({
      realm: config.realm,
      description: `claimsSource is 'api-gateway' but this ${source} event carries no authorizer claims`,
    });
  }
  const { claims } = found;
  const issuer = str(claims['iss']);
  const pool = config.pools.find((p) => p.issuers.some((i) => i.issuer === issuer));
  const invalid = (
    reason: 'issuer_invalid' | 'wrong_token_use' | 'client_invalid',
    description: string,
  ) => new InvalidTokenError({ reason, description, realm: config.realm });
  if (!pool || issuer === undefined)
    throw invalid('issuer_invalid', 'The claims come from an unexpected issuer');
  const tokenUse = str(claims['token_use']);
  if (!pool.tokenUses.some((use) => use === tokenUse))
    throw invalid('wrong_token_use', 'The claims are of the wrong token use');
  const client = tokenUse === 'id' ? str(claims['aud']) : str(claims['client_id']);
  if (pool.clientIds !== null && (client === undefined || !pool.clientIds.includes(client))) {
    throw invalid('client_invalid', 'The claims were issued to another client');
  }
  const expiresAt = epochSeconds(claims['exp']);
  if (expiresAt === undefined || expiresAt + config.graceSeconds < Date.now() / 1000) {
    throw new TokenExpiredError({ realm: config.realm });
  }
  return createPrincipal({
    claims,
    userPoolId: pool.userPoolId,
    issuer,
    groupsEncoding: found.encoding,
    scopes: found.scopes,
    expiresAt,
  });
}

function findClaims(event: HttpEventLike, source: EventSource): Found | undefined {
  const authorizer = record(event.requestContext?.authorizer);
  if (!authorizer) return undefined;
  if (source === 'rest') {
    const claims = record(authorizer['claims']);
    if (claims) return { claims, encoding: 'comma', kind: 'REST Cognito authorizer' };
    if (typeof authorizer['principalId'] === 'string') return fromLambdaContext(authorizer);
    return undefined;
  }
  if (source === 'http') {
    const jwt = record(authorizer['jwt']);
    const claims = record(jwt?.['claims']);
    if (claims)
      return {
        claims,
        encoding: 'bracket',
        scopes: jwt?.['scopes'],
        kind: 'HTTP API JWT authorizer',
      };
    const lambda = record(authorizer['lambda']);
    if (lambda) return fromLambdaContext(lambda);
  }
  return undefined;
}

// The context createAuthorizer returns: flat strings/numbers, groups comma-joined.
function fromLambdaContext(context: Record<string, unknown>): Found | undefined {
  if (typeof context['sub'] !== 'string') return undefined;
  const tokenUse = context['tokenUse'];
  const claims: Record<string, unknown> = {
    sub: context['sub'],
    iss: context['iss'],
    token_use: tokenUse,
    exp: context['exp'],
    'cognito:groups': context['groups'],
    scope: context['scopes'],
    [tokenUse === 'id' ? 'cognito:username' : 'username']: context['username'],
    [tokenUse === 'id' ? 'aud' : 'client_id']: context['clientId'],
  };
  return { claims, encoding: 'comma', kind: 'Lambda authorizer' };
}

function epochSeconds(value: unknown): number | undefined {
  if (typeof value === 'number' && Number.isFinite(value)) return value;
  if (typeof value !== 'string' || value === '') return undefined;
  if (/^\d+$/.test(value)) return Number(value);
  // REST Cognito authorizers send exp as a Java date: "Tue Jun 18 15:00:04 UTC 2024".
  const parsed = Date.parse(value);
  return Number.isNaN(parsed) ? undefined : Math.floor(parsed / 1000);
}

function str(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

function record(value: unknown): Record<string, unknown> | undefined {
  return value !== null && typeof value === 'object' && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : undefined;
}
