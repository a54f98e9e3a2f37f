// The API Gateway side of a route policy as a SAM template: an `AWS::Serverless::HttpApi` whose
// authorizers are exactly the ones the HTTP API export chooses (a Cognito JWT authorizer where it
// is exact, cognito-guard's Lambda authorizer elsewhere, none for public routes), the authorizer
// function, and one `HttpApi` event per route on the function that serves it. Intrinsic functions
// are written in their long form ({ "Ref": … }); the YAML uses the short tags (!Ref, !GetAtt).

import type { RoutePolicy } from '@cognito-guard/core';
import { yamlDump } from 'yaml-cfn';
import { authorizerIdentity } from './authorizer-identity';
import { type CorsSettings, corsConfiguration } from './cors';
import { checkExportOptions } from './export-options';
import { type ExportedRoute, exportHttpApi, type HttpApiExportOptions } from './openapi-http';
import { splitKey } from './route-keys';

/** Options of {@link exportSamTemplate}. */
export interface SamExportOptions {
  /** The pool configuration the guards use; decides where a native JWT authorizer is exact. */
  readonly config: HttpApiExportOptions['config'];
  /** The handler (`file.export`) of the function that serves a route, e.g. `handlers.movies`. */
  readonly handlerFor: (routeKey: string) => string;
  /** The authorizer function's handler. Default `authorizer.handler`. */
  readonly authorizerHandler?: string | undefined;
  /** Where the built code is. Default `dist/`. */
  readonly codeUri?: string | undefined;
  /** Default `nodejs22.x`. */
  readonly runtime?: string | undefined;
  /**
   * How long API Gateway caches the Lambda authorizer's answer, per token. Default 300; 0, and
   * only 0, when the guard's `tokenSources` read more than `Authorization` (see
   * {@link authorizerIdentity}).
   */
  readonly authorizerCacheSeconds?: number | undefined;
  /** The template's description. */
  readonly description?: string | undefined;
  /** CORS, answered by API Gateway itself (preflights never reach the authorizer). */
  readonly cors?: CorsSettings | undefined;
}

/** A CloudFormation template, as an object. */
export type SamTemplate = Readonly<Record<string, unknown>>;

const ref = (name: string) => ({ Ref: name });
const AUTHORIZER_FUNCTION = 'AuthorizerFunction';
const AUTHORIZERS = { jwt: 'CognitoJwt', lambda: 'CognitoGuard' } as const;

/**
 * Exports a route policy as a SAM template for an HTTP API, with its YAML.
 *
 * @example
 * ```ts
 * const { yaml } = exportSamTemplate(policy, {
 *   config: { userPoolId: 'eu-west-1_AbC123', clientId: 'web' },
 *   handlerFor: (routeKey) => (routeKey.includes('/shows') ? 'handlers.shows' : 'handlers.movies'),
 * });
 * writeFileSync('template.yaml', yaml);
 * ```
 */
export function exportSamTemplate(
  policy: RoutePolicy,
  options: SamExportOptions,
): { template: SamTemplate; yaml: string; routes: ExportedRoute[] } {
  checkExportOptions('sam', 'exportSamTemplate options', options);
  const { routes } = exportHttpApi(policy, { config: options.config, authorizerUri: 'unused' });
  const kinds = new Set(routes.map((route) => route.protection.kind));
  const functions = new Map<string, { handler: string; routes: ExportedRoute[] }>();
  for (const route of routes) {
    const handler = options.handlerFor(route.routeKey);
    const name = functionName(handler);
    const entry = functions.get(name) ?? { handler, routes: [] };
    if (entry.handler !== handler) {
      throw new Error(
        `handlers "${entry.handler}" and "${handler}" both name the resource ${name}`,
      );
    }
    entry.routes.push(route);
    functions.set(name, entry);
  }
  const authorizers: Record<string, unknown> = {};
  if (kinds.has('jwt')) {
    authorizers[AUTHORIZERS.jwt] = {
      IdentitySource: '$request.header.Authorization',
      JwtConfiguration: {
        issuer: {
          // biome-ignore lint/suspicious/noTemplateCurlyInString: a CloudFormation !Sub, not JavaScript
          'Fn::Sub': 'https://cognito-idp.${AWS::Region}.amazonaws.com/${UserPoolId}',
        },
        audience: ref('UserPoolClientIds'),
      },
    };
  }
  if (kinds.has('lambda')) {
    const { header, ttlSeconds } = authorizerIdentity(
      options.config,
      options.authorizerCacheSeconds,
    );
    authorizers[AUTHORIZERS.lambda] = {
      FunctionArn: { 'Fn::GetAtt': [AUTHORIZER_FUNCTION, 'Arn'] },
      AuthorizerPayloadFormatVersion: '2.0',
      EnableSimpleResponses: false,
      Identity: {
        ...(header ? { Headers: [header] } : {}),
        // Safe per token alone: the IAM policy the authorizer returns is right for every route.
        ReauthorizeEvery: ttlSeconds,
      },
    };
  }
  const cors = options.cors && corsConfiguration(options.cors);
  const resources: Record<string, unknown> = {
    Api: {
      Type: 'AWS::Serverless::HttpApi',
      Properties: {
        ...(Object.keys(authorizers).length > 0 ? { Auth: { Authorizers: authorizers } } : {}),
        ...(cors
          ? {
              CorsConfiguration: {
                AllowOrigins: cors.allowOrigins,
                AllowMethods: cors.allowMethods,
                AllowHeaders: cors.allowHeaders,
                MaxAge: cors.maxAge,
              },
            }
          : {}),
      },
    },
  };
  if (kinds.has('lambda')) {
    resources[AUTHORIZER_FUNCTION] = {
      Type: 'AWS::Serverless::Function',
      Properties: { Handler: options.authorizerHandler ?? 'authorizer.handler' },
    };
  }
  for (const [name, { handler, routes: served }] of functions) {
    const trusting = served.some((route) => route.protection.kind !== 'public');
    resources[name] = {
      Type: 'AWS::Serverless::Function',
      Properties: {
        Handler: handler,
        // Behind an authorizer the handler's guard reads the claims API Gateway verified.
        ...(trusting
          ? { Environment: { Variables: { COGNITO_CLAIMS_SOURCE: 'api-gateway' } } }
          : {}),
        Events: Object.fromEntries(
          served.map((route) => [eventName(route.routeKey), eventOf(route)]),
        ),
      },
    };
  }
  const template: SamTemplate = {
    AWSTemplateFormatVersion: '2010-09-09',
    Transform: 'AWS::Serverless-2016-10-31',
    Description:
      options.description ??
      'Generated from a cognito-guard route policy (cognito-guard export --format sam): each route with the cheapest exact authorizer.',
    Parameters: {
      UserPoolId: { Type: 'String', Description: 'e.g. eu-west-1_AbCdEf123' },
      UserPoolClientIds: { Type: 'CommaDelimitedList', Description: 'the allowed app client ids' },
    },
    Globals: {
      Function: {
        Runtime: options.runtime ?? 'nodejs22.x',
        Architectures: ['arm64'],
        MemorySize: 256,
        Timeout: 5,
        CodeUri: options.codeUri ?? 'dist/',
        Environment: {
          Variables: {
            COGNITO_USER_POOL_ID: ref('UserPoolId'),
            COGNITO_CLIENT_ID: { 'Fn::Join': [',', ref('UserPoolClientIds')] },
            COGNITO_TOKEN_USE: tokenUseOf(options.config.tokenUse),
          },
        },
      },
    },
    Resources: resources,
    Outputs: {
      // biome-ignore lint/suspicious/noTemplateCurlyInString: a CloudFormation !Sub, not JavaScript
      ApiUrl: { Value: { 'Fn::Sub': 'https://${Api}.execute-api.${AWS::Region}.amazonaws.com' } },
    },
  };
  return { template, yaml: yamlDump(template), routes };
}

function eventOf({ routeKey, protection }: ExportedRoute): Record<string, unknown> {
  const auth =
    protection.kind === 'public'
      ? { Authorizer: 'NONE' }
      : protection.kind === 'lambda'
        ? { Authorizer: AUTHORIZERS.lambda }
        : {
            Authorizer: AUTHORIZERS.jwt,
            ...(protection.scopes.length > 0
              ? { AuthorizationScopes: [...protection.scopes] }
              : {}),
          };
  // SAM makes an event without Path and Method the API's $default route.
  if (routeKey === '$default') {
    return { Type: 'HttpApi', Properties: { ApiId: ref('Api'), Auth: auth } };
  }
  const [method, path] = splitKey(routeKey);
  return {
    Type: 'HttpApi',
    Properties: { ApiId: ref('Api'), Method: method, Path: path, Auth: auth },
  };
}

// `handlers.movies` → `MoviesFunction`: resource names are alphanumeric.
function functionName(handler: string): string {
  const last = handler.split('.').pop() ?? handler;
  const words = last.split(/[^A-Za-z0-9]+/).filter(Boolean);
  return `${words.map((w) => w[0]?.toUpperCase() + w.slice(1)).join('') || 'Handler'}Function`;
}

// `GET /movies/{id}` → `GetMoviesId`: event names are alphanumeric and unique per function.
function eventName(routeKey: string): string {
  if (routeKey === '$default') return 'Default';
  const words = routeKey
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter(Boolean);
  return words.map((w) => (w[0]?.toUpperCase() ?? '') + w.slice(1)).join('') || 'Root';
}

function tokenUseOf(tokenUse: string | undefined): string {
  return tokenUse ?? 'access';
}
