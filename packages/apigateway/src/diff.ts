// Drift between a route policy and an API Gateway API as exported: an HTTP API
// (`aws apigatewayv2 export-api --specification OAS30 --output-type JSON`) or a REST API
// (`aws apigateway get-export --export-type oas30 --parameters extensions='authorizers'`): every
// route whose protection is not what the policy needs, every route on one side only, and every
// authorizer whose cache could replay one route's answer on another, or, for a guard that reads
// a cookie, replay an answer past the cross-site check.

import type { GuardConfig, RoutePolicy } from '@cognito-guard/core';
import { resolveConfig } from '@cognito-guard/core/advanced';
import { checkApiDocument } from './api-document';
import { readsAuthorizationOnly } from './authorizer-identity';
import {
  exportHttpApi,
  type HttpApiExportOptions,
  type OpenApiDocument,
  type OpenApiOperation,
} from './openapi-http';
import { exportRestApi, type RestApiExportOptions } from './openapi-rest';
import { describeProtection, type NativePool, type Protection } from './protection';
import { nativePool } from './route-keys';

/** One difference between the policy and the API. */
export interface Drift {
  /** The route key, or the security scheme's name for an authorizer problem. */
  readonly route: string;
  /**
   * `looser`: the API lets through what the policy refuses. `stricter`: the API refuses what the
   * policy allows. `missing`/`extra`: a route on one side only. `cache`: an authorizer answer
   * could be replayed on another route, or, when the guard reads a cookie or the ALB's header,
   * on any later request.
   */
  readonly kind: 'looser' | 'stricter' | 'missing' | 'extra' | 'cache';
  readonly message: string;
}

const METHOD_OF: Readonly<Record<string, string>> = {
  get: 'GET',
  post: 'POST',
  put: 'PUT',
  patch: 'PATCH',
  delete: 'DELETE',
  head: 'HEAD',
  options: 'OPTIONS',
  'x-amazon-apigateway-any-method': 'ANY',
};

/**
 * Compares an exported HTTP API with the policy. An empty list means no drift.
 *
 * @example
 * ```ts
 * const drift = diffHttpApi(policy, JSON.parse(readFileSync('exported.json', 'utf8')), { config, authorizerUri });
 * if (drift.length > 0) process.exitCode = 1;
 * ```
 */
export function diffHttpApi(
  policy: RoutePolicy,
  api: OpenApiDocument,
  options: HttpApiExportOptions,
): Drift[] {
  checkApiDocument(api);
  const wanted = exportHttpApi(policy, options).routes;
  const trusted = { authorizerUri: options.authorizerUri, pool: nativePool(options.config) };
  return [
    ...diffRoutes(wanted, routesOf(api, trusted)),
    ...cacheDrift(api),
    ...ambientCacheDrift(api, options.config),
  ];
}

/**
 * Compares an exported REST API with the policy. An empty list means no drift. The policy's
 * `$default` (or a `defaultAction` other than `deny`) is expected as `ANY /` and `ANY /{proxy+}`.
 *
 * @example
 * ```ts
 * const drift = diffRestApi(policy, JSON.parse(readFileSync('rest-export.json', 'utf8')), { config, authorizerUri });
 * ```
 */
export function diffRestApi(
  policy: RoutePolicy,
  api: OpenApiDocument,
  options: RestApiExportOptions,
): Drift[] {
  checkApiDocument(api);
  return [
    ...diffRoutes(
      exportRestApi(policy, options).routes,
      routesOf(api, { authorizerUri: options.authorizerUri, pool: undefined }),
    ),
    ...poolDrift(api, options.userPoolArn),
    ...ambientCacheDrift(api, options.config),
  ];
}

/**
 * The invocation URIs of an exported API's Lambda authorizers, each once. A diff without an
 * `authorizerUri` counts every one of them as cognito-guard's, so callers can say which.
 *
 * @example
 * ```ts
 * lambdaAuthorizerUris(api); // ['arn:aws:apigateway:…:function:authorizer/invocations']
 * ```
 */
export function lambdaAuthorizerUris(api: OpenApiDocument): string[] {
  checkApiDocument(api);
  const uris = Object.values(api.components?.securitySchemes ?? {}).flatMap((scheme) => {
    const authorizer = authorizerOf(scheme);
    return isLambdaAuthorizer(authorizer) ? [authorizer.authorizerUri ?? '(no URI)'] : [];
  });
  return [...new Set(uris)];
}

// A Cognito authorizer trusts every pool it names: one that is not the policy's pool lets its
// users in.
function poolDrift(api: OpenApiDocument, userPoolArn: string | undefined): Drift[] {
  const drift: Drift[] = [];
  for (const [name, scheme] of Object.entries(api.components?.securitySchemes ?? {})) {
    const authorizer = authorizerOf(scheme);
    if (authorizer?.type !== 'cognito_user_pools') continue;
    const foreign = (authorizer.providerARNs ?? []).filter((arn) => arn !== userPoolArn);
    if (foreign.length > 0) {
      drift.push({
        route: name,
        kind: 'looser',
        message: `authorizer "${name}": trusts ${foreign.join(', ')}, not the policy's pool${userPoolArn ? ` ${userPoolArn}` : ' (no --user-pool-arn given)'}`,
      });
    }
  }
  return drift;
}

// What protects a route of a deployed API: one of the export's protections, or a scheme that
// cognito-guard did not deploy (an API key alone, IAM, a Lambda authorizer at another URI, a JWT
// authorizer for another issuer or client).
type Deployed = Protection | { readonly kind: 'foreign'; readonly description: string };

// The authorizers the export would deploy: the Lambda authorizer at this URI ('' takes any), and
// a JWT authorizer for this pool. A REST API's Cognito authorizers are checked by poolDrift.
interface Trusted {
  readonly authorizerUri: string;
  readonly pool: NativePool | undefined;
}

function diffRoutes(
  wantedRoutes: readonly { routeKey: string; protection: Protection }[],
  actual: ReadonlyMap<string, readonly Deployed[]>,
): Drift[] {
  const wanted = new Map(wantedRoutes.map((route) => [route.routeKey, route.protection]));
  const drift: Drift[] = [];
  for (const [route, needed] of wanted) {
    const found = actual.get(route);
    if (found === undefined) {
      drift.push({ route, kind: 'missing', message: `${route}: in the policy, not in the API` });
      continue;
    }
    const differs = driftOf(needed, found);
    if (differs !== undefined) {
      drift.push({
        route,
        kind: differs.kind,
        message: `${route}: the policy needs ${describeProtection(needed)}; the API has ${differs.has}`,
      });
    }
  }
  for (const route of actual.keys()) {
    if (!wanted.has(route)) {
      drift.push({ route, kind: 'extra', message: `${route}: in the API, not in the policy` });
    }
  }
  return drift;
}

// A route's security requirements are alternatives: a request that meets any one of them gets
// in. The route is looser when any alternative is, and stricter only when together they still
// refuse a token the policy lets in.
function driftOf(
  needed: Protection,
  alternatives: readonly Deployed[],
): { kind: 'looser' | 'stricter'; has: string } | undefined {
  const kinds = alternatives.map((found) => compare(needed, found));
  const looser = alternatives[kinds.indexOf('looser')];
  if (looser !== undefined) {
    const has = describeDeployed(looser);
    return {
      kind: 'looser',
      has:
        alternatives.length > 1 ? `${alternatives.length} alternatives, one of them ${has}` : has,
    };
  }
  if (kinds.includes(undefined)) return undefined;
  // Left: authorizers of the needed kind, each with some of its scopes. Any-of scopes add up.
  if (needed.kind === 'jwt' || needed.kind === 'cognito') {
    const scopes = alternatives.flatMap((found) =>
      found.kind === needed.kind ? found.scopes : [],
    );
    if (compare(needed, { kind: needed.kind, scopes: [...new Set(scopes)] }) === undefined) {
      return undefined;
    }
  }
  return { kind: 'stricter', has: alternatives.map(describeDeployed).join(' or ') };
}

// Undefined when the API enforces the policy: the same protection, or the Lambda authorizer
// where a native one would do (it decides by the whole policy). A scheme of someone else's may
// check anything, so it stands for no rule of the policy's.
function compare(needed: Protection, found: Deployed): Drift['kind'] | undefined {
  if (found.kind === 'foreign') return needed.kind === 'public' ? 'stricter' : 'looser';
  if (found.kind === 'lambda') return needed.kind === 'public' ? 'stricter' : undefined;
  if (needed.kind === 'public') return found.kind === 'public' ? undefined : 'stricter';
  if (found.kind === 'public' || needed.kind === 'lambda') return 'looser';
  // A JWT and a Cognito authorizer check different things: neither stands for the other.
  if (found.kind !== needed.kind) return 'looser';
  const same =
    needed.scopes.length === found.scopes.length &&
    needed.scopes.every((scope) => found.scopes.includes(scope));
  if (same) return undefined;
  // Any-of: an API scope the policy does not list lets more tokens in.
  return found.scopes.some((scope) => !needed.scopes.includes(scope)) || found.scopes.length === 0
    ? 'looser'
    : 'stricter';
}

function routesOf(api: OpenApiDocument, trusted: Trusted): Map<string, readonly Deployed[]> {
  const schemes = api.components?.securitySchemes ?? {};
  const global = (api as { security?: OpenApiOperation['security'] }).security;
  const routes = new Map<string, readonly Deployed[]>();
  for (const [path, item] of Object.entries(api.paths ?? {})) {
    for (const [key, operation] of Object.entries(item)) {
      const method = METHOD_OF[key];
      if (method === undefined) continue;
      const routeKey = operation.isDefaultRoute === true ? '$default' : `${method} ${path}`;
      routes.set(routeKey, deployedOf(operation.security ?? global ?? [], schemes, trusted));
    }
  }
  return routes;
}

type Schemes = NonNullable<OpenApiDocument['components']>['securitySchemes'] & object;

// One protection per security requirement; none at all is a public route.
function deployedOf(
  security: readonly Record<string, readonly string[]>[],
  schemes: Schemes,
  trusted: Trusted,
): Deployed[] {
  if (security.length === 0) return [{ kind: 'public' }];
  return security.map((requirement) => requirementOf(requirement, schemes, trusted));
}

// Every scheme of a requirement must pass (an API key beside an authorizer only adds to it), so
// the one authorizer cognito-guard knows among them is the requirement's protection.
function requirementOf(
  requirement: Readonly<Record<string, readonly string[]>>,
  schemes: Schemes,
  trusted: Trusted,
): Deployed {
  const entries = Object.entries(requirement);
  if (entries.length === 0) return { kind: 'public' };
  const known = entries.map(([name, scopes]) => protectionOf(name, scopes, schemes, trusted));
  return known.find((found) => found.kind !== 'foreign') ?? (known[0] as Deployed);
}

function protectionOf(
  name: string,
  scopes: readonly string[],
  schemes: Schemes,
  { authorizerUri, pool }: Trusted,
): Deployed {
  const authorizer = authorizerOf(schemes[name]);
  const type = authorizer?.type;
  const foreign = (what: string): Deployed => ({
    kind: 'foreign',
    description: `"${name}", which is not cognito-guard's (${what})`,
  });
  if (type === 'jwt') {
    // An issuer or a client the pool does not name lets that pool's or client's tokens in.
    const { issuer, audience = [] } = authorizer?.jwtConfiguration ?? {};
    const trustedClients = pool?.clientIds ?? [];
    if (issuer !== pool?.issuer || !audience.every((client) => trustedClients.includes(client))) {
      return foreign(
        `a JWT authorizer for ${issuer ?? 'no issuer'}, audience [${audience.join(', ')}]`,
      );
    }
    return { kind: 'jwt', scopes: [...scopes] };
  }
  if (type === 'cognito_user_pools') return { kind: 'cognito', scopes: [...scopes] };
  // Without the URI to compare (the CLI's --authorizer-uri left out), any Lambda authorizer.
  const ours = authorizerUri === '' || authorizer?.authorizerUri === authorizerUri;
  if (isLambdaAuthorizer(authorizer) && ours) return { kind: 'lambda' };
  return foreign(
    type === undefined
      ? 'not an API Gateway authorizer: an API key, IAM or another scheme'
      : `a ${type} authorizer at ${authorizer?.authorizerUri ?? 'no URI'}`,
  );
}

function describeDeployed(found: Deployed): string {
  return found.kind === 'foreign' ? found.description : describeProtection(found);
}

// A simple response is one boolean for whatever the identity sources name: without the method
// and path, API Gateway replays one route's answer on every other route.
function cacheDrift(api: OpenApiDocument): Drift[] {
  const drift: Drift[] = [];
  for (const [name, scheme] of Object.entries(api.components?.securitySchemes ?? {})) {
    const authorizer = authorizerOf(scheme);
    if (authorizer?.type !== 'request' || authorizer.enableSimpleResponses !== true) continue;
    if ((authorizer.authorizerResultTtlInSeconds ?? 300) === 0) continue;
    const sources = [authorizer.identitySource ?? []].flat().join(',');
    const missing = ['$context.httpMethod', '$context.path'].filter((s) => !sources.includes(s));
    if (missing.length > 0) {
      drift.push({
        route: name,
        kind: 'cache',
        message: `authorizer "${name}": simple responses are cached by ${sources || '(no identity source)'}; add ${missing.join(' and ')}, or the answer for one route is replayed on another`,
      });
    }
  }
  return drift;
}

// A token the browser attaches by itself (a cookie, the ALB's session) is checked for the page
// that sent the request on every request: a cached answer, replayed without the authorizer, skips
// that check, and an identity source a request lacks refuses it before the authorizer runs.
function ambientCacheDrift(api: OpenApiDocument, config: GuardConfig): Drift[] {
  if (readsAuthorizationOnly(resolveConfig(config).tokenSources)) return [];
  const drift: Drift[] = [];
  for (const [name, scheme] of Object.entries(api.components?.securitySchemes ?? {})) {
    const authorizer = authorizerOf(scheme);
    if (!isLambdaAuthorizer(authorizer)) continue;
    const ttl = authorizer.authorizerResultTtlInSeconds ?? 300;
    if (ttl === 0) continue;
    drift.push({
      route: name,
      kind: 'cache',
      message: `authorizer "${name}": answers are cached for ${ttl} s while the guard reads tokens from a cookie or the ALB's header; a cached answer skips the cross-site check, so set its TTL to 0 and remove its identity sources`,
    });
  }
  return drift;
}

// The fields of API Gateway's authorizer extension that the drift checks read, every one of them
// possibly absent from an export; its type lower-cased (REST exports spell it in capitals).
interface DeployedAuthorizer {
  readonly type: string | undefined;
  readonly authorizerUri?: string;
  readonly providerARNs?: readonly string[];
  readonly jwtConfiguration?: { readonly issuer?: string; readonly audience?: readonly string[] };
  readonly enableSimpleResponses?: boolean;
  readonly authorizerResultTtlInSeconds?: number;
  readonly identitySource?: string | readonly string[];
}

function authorizerOf(scheme: Schemes[string] | undefined): DeployedAuthorizer | undefined {
  const authorizer = scheme?.['x-amazon-apigateway-authorizer'] as
    | (Omit<DeployedAuthorizer, 'type'> & { type?: string })
    | undefined;
  return authorizer && { ...authorizer, type: authorizer.type?.toLowerCase() };
}

// REQUEST or TOKEN: a Lambda function decides, cognito-guard's or another's.
function isLambdaAuthorizer(
  authorizer: DeployedAuthorizer | undefined,
): authorizer is DeployedAuthorizer {
  return authorizer?.type === 'request' || authorizer?.type === 'token';
}
