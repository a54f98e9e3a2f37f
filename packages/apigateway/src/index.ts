// @cognito-guard/apigateway: one route policy on both sides. Export it to API Gateway (an HTTP
// or REST API OpenAPI document with the cheapest exact authorizer per route), and find drift
// between a deployed API and the policy.

export { checkApiDocument } from './api-document';
export type { AuthorizerIdentity } from './authorizer-identity';
export { authorizerIdentity } from './authorizer-identity';
export type { CorsSettings } from './cors';
export { corsConfiguration } from './cors';
export type { Drift } from './diff';
export { diffHttpApi, diffRestApi, lambdaAuthorizerUris } from './diff';
export type {
  ExportedRoute,
  HttpApiExportOptions,
  OpenApiDocument,
  OpenApiOperation,
  SecurityScheme,
} from './openapi-http';
export { exportHttpApi, operationKey, SCHEMES } from './openapi-http';
export type { RestApiExportOptions } from './openapi-rest';
export { exportRestApi, REST_CATCH_ALL, REST_SCHEMES } from './openapi-rest';
export type { NativePool, Protection } from './protection';
export { describeProtection, protectionFor, restProtectionFor } from './protection';
export type { SamExportOptions, SamTemplate } from './sam';
export { exportSamTemplate } from './sam';
