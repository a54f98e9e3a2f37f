// The API Gateway side of a route policy, as an OpenAPI 3 document for an HTTP API
// (`aws apigatewayv2 import-api`): every route of the policy, each with the protection that
// enforces its rule exactly (see protection.ts).

import type { GuardConfig, RoutePolicy, RuleJson } from '@cognito-guard/core';
import { compileRoutePolicy } from '@cognito-guard/core';
import { authorizerIdentity } from './authorizer-identity';
import { type CorsSettings, corsConfiguration } from './cors';
import { checkExportOptions } from './export-options';
import { type Protection, protectionFor } from './protection';
import { nativePool, pathParameters, selfContained, splitKey } from './route-keys';

/** Options of {@link exportHttpApi}. */
export interface HttpApiExportOptions {
  /** The pool configuration the guards use (`configFromEnv(process.env)` or explicit). */
  readonly config: GuardConfig;
  /**
   * The Lambda authorizer's invocation URI
   * (`arn:aws:apigateway:<region>:lambda:path/2015-03-31/functions/<function arn>/invocations`).
   */
  readonly authorizerUri: string;
  /** The API's title. Default `"cognito-guard API"`. */
  readonly title?: string;
  /**
   * How long API Gateway caches the Lambda authorizer's answer, per token. Default 300. Its IAM
   * policies are right for every route, so the token alone is a safe cache key. When the guard's
   * `tokenSources` read more than `Authorization` (a cookie, the ALB's header), 0 is the default
   * and the only value allowed: the authorizer gets no identity source and sees every request.
   */
  readonly authorizerCacheSeconds?: number;
  /** CORS, answered by API Gateway itself (preflights never reach the authorizer). */
  readonly cors?: CorsSettings | undefined;
}

/** One route of the exported API, with the protection it got. */
export interface ExportedRoute {
  readonly routeKey: string;
  readonly protection: Protection;
}

/** An OpenAPI 3 document (the parts this package writes and reads). */
export interface OpenApiDocument {
  readonly openapi: string;
  readonly info: { readonly title: string; readonly version: string };
  readonly paths: Record<string, Record<string, OpenApiOperation>>;
  readonly components?: { readonly securitySchemes?: Record<string, SecurityScheme> };
}

/** An operation: only its security matters here. */
export interface OpenApiOperation {
  readonly security?: readonly Record<string, readonly string[]>[];
  readonly isDefaultRoute?: boolean;
  readonly [extension: string]: unknown;
}

/** A security scheme with API Gateway's authorizer extension. */
export interface SecurityScheme {
  readonly type: string;
  readonly [key: string]: unknown;
}

/** The security scheme names the export writes. */
export const SCHEMES = { jwt: 'cognito-jwt', lambda: 'cognito-guard' } as const;

/**
 * OpenAPI's key for a route key's method (`ANY` is API Gateway's extension).
 *
 * @example
 * ```ts
 * operationKey('ANY'); // 'x-amazon-apigateway-any-method'
 * ```
 */
export function operationKey(method: string): string {
  return method === 'ANY' ? 'x-amazon-apigateway-any-method' : method.toLowerCase();
}

/**
 * Exports a route policy as an HTTP API OpenAPI document, and says how each route is protected.
 *
 * @example
 * ```ts
 * const { document, routes } = exportHttpApi(policy, {
 *   config: { userPoolId: 'eu-west-1_AbC123', clientId: 'web' },
 *   authorizerUri: 'arn:aws:apigateway:eu-west-1:lambda:path/2015-03-31/functions/arn:aws:lambda:eu-west-1:123456789012:function:authorizer/invocations',
 * });
 * ```
 */
export function exportHttpApi(
  policy: RoutePolicy,
  options: HttpApiExportOptions,
): { document: OpenApiDocument; routes: ExportedRoute[] } {
  checkExportOptions('http', 'exportHttpApi options', options);
  const compiled = compileRoutePolicy(policy);
  const pool = nativePool(options.config);
  const routes = Object.entries(policy.routes).map(([routeKey, rule]) => ({
    routeKey,
    protection: protectionFor(rule as RuleJson, pool, selfContained(compiled, routeKey)),
  }));
  const paths: Record<string, Record<string, OpenApiOperation>> = {};
  for (const { routeKey, protection } of routes) {
    const [method, path] = routeKey === '$default' ? ['ANY', '/$default'] : splitKey(routeKey);
    const parameters = pathParameters(path);
    const operation: OpenApiOperation = {
      ...(routeKey === '$default' ? { isDefaultRoute: true } : {}),
      ...(parameters.length > 0 ? { parameters } : {}),
      security: securityOf(protection),
      responses: { default: { description: 'The integration answers.' } },
    };
    paths[path] = { ...(paths[path] ?? {}), [operationKey(method)]: operation };
  }
  const used = new Set(routes.map(({ protection }) => protection.kind));
  const securitySchemes: Record<string, SecurityScheme> = {};
  if (used.has('jwt') && pool) {
    // openIdConnect (the pool's discovery document) keeps the document valid OpenAPI, where an
    // oauth2 scheme would need a flow; API Gateway reads the authorizer from the extension.
    securitySchemes[SCHEMES.jwt] = {
      type: 'openIdConnect',
      openIdConnectUrl: `${pool.issuer}/.well-known/openid-configuration`,
      'x-amazon-apigateway-authorizer': {
        type: 'jwt',
        jwtConfiguration: { issuer: pool.issuer, audience: [...(pool.clientIds ?? [])] },
        identitySource: '$request.header.Authorization',
      },
    };
  }
  if (used.has('lambda')) {
    const { header, ttlSeconds } = authorizerIdentity(
      options.config,
      options.authorizerCacheSeconds,
    );
    securitySchemes[SCHEMES.lambda] = {
      type: 'apiKey',
      name: 'Authorization',
      in: 'header',
      'x-amazon-apigateway-authorizer': {
        type: 'request',
        ...(header ? { identitySource: `$request.header.${header}` } : {}),
        authorizerUri: options.authorizerUri,
        authorizerPayloadFormatVersion: '2.0',
        authorizerResultTtlInSeconds: ttlSeconds,
        enableSimpleResponses: false,
      },
    };
  }
  return {
    document: {
      openapi: '3.0.1',
      info: { title: options.title ?? 'cognito-guard API', version: '1.0' },
      paths,
      components: { securitySchemes },
      ...(options.cors ? { 'x-amazon-apigateway-cors': corsConfiguration(options.cors) } : {}),
    },
    routes,
  };
}

function securityOf(protection: Protection): Record<string, readonly string[]>[] {
  if (protection.kind === 'public') return [];
  if (protection.kind === 'jwt') return [{ [SCHEMES.jwt]: [...protection.scopes] }];
  return [{ [SCHEMES.lambda]: [] }];
}
