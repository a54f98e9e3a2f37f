// The API Gateway side of a route policy, as an OpenAPI 3 document for a REST API
// (`aws apigateway import-rest-api`): every route of the policy as a resource method, each with
// the protection that enforces its rule exactly (see protection.ts), and a catch-all where the
// policy lets unmatched requests through.
//
// A REST API has no `$default` route: a request that matches no resource gets 403 "Missing
// Authentication Token". So `$default`, and a `defaultAction` other than `deny`, become `ANY /`
// and `ANY /{proxy+}` (the most general resources) behind the Lambda authorizer, which decides by
// the whole policy; `defaultAction: 'deny'` needs nothing, since API Gateway refuses those
// requests itself.

import type { GuardConfig, RoutePolicy, RuleJson } from '@cognito-guard/core';
import { compileRoutePolicy } from '@cognito-guard/core';
import { authorizerIdentity } from './authorizer-identity';
import { checkExportOptions } from './export-options';
import type {
  ExportedRoute,
  OpenApiDocument,
  OpenApiOperation,
  SecurityScheme,
} from './openapi-http';
import { operationKey } from './openapi-http';
import { type Protection, restProtectionFor } from './protection';
import { nativePool, pathParameters, selfContained, splitKey } from './route-keys';

/** Options of {@link exportRestApi}. */
export interface RestApiExportOptions {
  /** The pool configuration the guards use (`configFromEnv(process.env)` or explicit). */
  readonly config: GuardConfig;
  /** The Lambda authorizer's invocation URI (`arn:aws:apigateway:<region>:lambda:path/…/invocations`). */
  readonly authorizerUri: string;
  /**
   * The user pool's ARN (`arn:aws:cognito-idp:<region>:<account>:userpool/<id>`). With it, routes
   * a Cognito user pool authorizer enforces exactly get one; without it, every protected route
   * goes to the Lambda authorizer.
   */
  readonly userPoolArn?: string | undefined;
  /** A Lambda proxy integration for every method (the function's invocation URI), if wanted. */
  readonly integrationUri?: string | undefined;
  /** The API's title. Default `"cognito-guard API"`. */
  readonly title?: string | undefined;
  /**
   * How long API Gateway caches the Lambda authorizer's IAM policy, per token. Default 300; 0, and
   * only 0, when the guard's `tokenSources` read more than `Authorization` (see
   * {@link authorizerIdentity}).
   */
  readonly authorizerCacheSeconds?: number | undefined;
}

/** The security scheme names the REST export writes. */
export const REST_SCHEMES = { cognito: 'cognito-user-pool', lambda: 'cognito-guard' } as const;

/** The resource methods a REST API gets for the policy's `$default` or permissive `defaultAction`. */
export const REST_CATCH_ALL = ['ANY /', 'ANY /{proxy+}'] as const;

/**
 * Exports a route policy as a REST API OpenAPI document, and says how each route is protected.
 *
 * @example
 * ```ts
 * const { document, routes } = exportRestApi(policy, {
 *   config: { userPoolId: 'eu-west-1_AbC123', clientId: 'web' },
 *   authorizerUri: 'arn:aws:apigateway:eu-west-1:lambda:path/2015-03-31/functions/arn:aws:lambda:eu-west-1:123456789012:function:authorizer/invocations',
 * });
 * ```
 */
export function exportRestApi(
  policy: RoutePolicy,
  options: RestApiExportOptions,
): { document: OpenApiDocument; routes: ExportedRoute[] } {
  checkExportOptions('rest', 'exportRestApi options', options);
  const compiled = compileRoutePolicy(policy);
  const pool = nativePool(options.config, options.userPoolArn);
  const routes: ExportedRoute[] = Object.entries(policy.routes)
    .filter(([routeKey]) => routeKey !== '$default')
    .map(([routeKey, rule]) => ({
      routeKey,
      protection: restProtectionFor(rule as RuleJson, pool, selfContained(compiled, routeKey)),
    }));
  if ('$default' in policy.routes || (policy.defaultAction ?? 'deny') !== 'deny') {
    for (const routeKey of REST_CATCH_ALL) {
      if (!(routeKey in policy.routes)) routes.push({ routeKey, protection: { kind: 'lambda' } });
    }
  }
  const paths: Record<string, Record<string, OpenApiOperation>> = {};
  for (const { routeKey, protection } of routes) {
    const [method, path] = splitKey(routeKey);
    const parameters = pathParameters(path);
    const operation: OpenApiOperation = {
      ...(parameters.length > 0 ? { parameters } : {}),
      security: securityOf(protection),
      responses: { default: { description: 'The integration answers.' } },
      ...(options.integrationUri === undefined
        ? {}
        : {
            'x-amazon-apigateway-integration': {
              type: 'aws_proxy',
              httpMethod: 'POST',
              uri: options.integrationUri,
              passthroughBehavior: 'when_no_match',
            },
          }),
    };
    paths[path] = { ...(paths[path] ?? {}), [operationKey(method)]: operation };
  }
  return {
    document: {
      openapi: '3.0.1',
      info: { title: options.title ?? 'cognito-guard API', version: '1.0' },
      paths,
      components: { securitySchemes: schemesFor(routes, pool?.arn, options) },
      // The authorizer throws only when it cannot decide (keys or revocation list unreachable):
      // a 503 the client may retry, instead of the 500 API Gateway answers by default.
      'x-amazon-apigateway-gateway-responses': {
        AUTHORIZER_FAILURE: {
          statusCode: 503,
          responseParameters: { 'gatewayresponse.header.Retry-After': "'5'" },
          responseTemplates: { 'application/json': '{"message":"Service Unavailable"}' },
        },
      },
    } as OpenApiDocument,
    routes,
  };
}

function schemesFor(
  routes: readonly ExportedRoute[],
  arn: string | undefined,
  options: RestApiExportOptions,
): Record<string, SecurityScheme> {
  const used = new Set(routes.map(({ protection }) => protection.kind));
  const schemes: Record<string, SecurityScheme> = {};
  if (used.has('cognito') && arn !== undefined) {
    schemes[REST_SCHEMES.cognito] = {
      type: 'apiKey',
      name: 'Authorization',
      in: 'header',
      'x-amazon-apigateway-authtype': 'cognito_user_pools',
      'x-amazon-apigateway-authorizer': { type: 'cognito_user_pools', providerARNs: [arn] },
    };
  }
  if (used.has('lambda')) {
    const { header, ttlSeconds } = authorizerIdentity(
      options.config,
      options.authorizerCacheSeconds,
    );
    schemes[REST_SCHEMES.lambda] = {
      type: 'apiKey',
      name: 'Authorization',
      in: 'header',
      'x-amazon-apigateway-authtype': 'custom',
      'x-amazon-apigateway-authorizer': {
        type: 'request',
        ...(header ? { identitySource: `method.request.header.${header}` } : {}),
        authorizerUri: options.authorizerUri,
        // Safe per token alone: the IAM policy it returns is right for every route.
        authorizerResultTtlInSeconds: ttlSeconds,
      },
    };
  }
  return schemes;
}

function securityOf(protection: Protection): Record<string, readonly string[]>[] {
  if (protection.kind === 'public') return [];
  if (protection.kind === 'cognito') return [{ [REST_SCHEMES.cognito]: [...protection.scopes] }];
  return [{ [REST_SCHEMES.lambda]: [] }];
}
