// @cognito-guard/apigateway: one route policy on both sides. Export it to API Gateway (an HTTP
// API OpenAPI document with the cheapest exact authorizer per route), and find drift between a
// deployed API and the policy.

export type { Drift } from './diff';
export { diffHttpApi } from './diff';
export type {
  ExportedRoute,
  HttpApiExportOptions,
  OpenApiDocument,
  OpenApiOperation,
  SecurityScheme,
} from './openapi-http';
export { exportHttpApi, operationKey, SCHEMES } from './openapi-http';
export type { NativePool, Protection } from './protection';
export { describeProtection, protectionFor } from './protection';
