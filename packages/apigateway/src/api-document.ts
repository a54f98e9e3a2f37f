// An exported API as the drift checks read it. An export from AWS always has this shape, but the
// file given may not be one (another tool's OpenAPI, a hand edit): a field of another type is
// named, rather than a TypeError thrown or, worse, a setting read as absent and its drift missed
// (`enableSimpleResponses: "true"` would have hidden a cache that replays answers across routes).

import { ConfigError } from '@cognito-guard/core';
import { issuesOf } from '@cognito-guard/core/advanced';
import * as z from 'zod/mini';
import type { OpenApiDocument } from './openapi-http';

const strings = () => z.array(z.string());
const security = () => z.optional(z.array(z.record(z.string(), strings())));
const operation = () =>
  z.looseObject({ security: security(), isDefaultRoute: z.optional(z.boolean()) });

// Only the operations are read of a path item; its other fields (parameters, summary) are not.
const OPERATIONS = ['get', 'post', 'put', 'patch', 'delete', 'head', 'options'] as const;
const pathItem = () =>
  z.looseObject({
    ...Object.fromEntries(OPERATIONS.map((method) => [method, z.optional(operation())])),
    'x-amazon-apigateway-any-method': z.optional(operation()),
  });

const authorizer = () =>
  z.looseObject({
    type: z.optional(z.string()),
    authorizerUri: z.optional(z.string()),
    providerARNs: z.optional(strings()),
    jwtConfiguration: z.optional(
      z.looseObject({ issuer: z.optional(z.string()), audience: z.optional(strings()) }),
    ),
    enableSimpleResponses: z.optional(z.boolean()),
    authorizerResultTtlInSeconds: z.optional(z.number()),
    identitySource: z.optional(z.union([z.string(), strings()])),
  });

const documentSchema = () =>
  z.looseObject({
    paths: z.optional(z.record(z.string(), pathItem())),
    security: security(),
    components: z.optional(
      z.looseObject({
        securitySchemes: z.optional(
          z.record(
            z.string(),
            z.looseObject({ 'x-amazon-apigateway-authorizer': z.optional(authorizer()) }),
          ),
        ),
      }),
    ),
  });

/**
 * Checks that an exported API has the shape the drift checks read: its paths' operations and
 * their `security`, and its security schemes' `x-amazon-apigateway-authorizer`. Throws a
 * `ConfigError` naming each field of another type.
 *
 * @example
 * ```ts
 * const api = checkApiDocument(JSON.parse(readFileSync('exported.json', 'utf8')));
 * checkApiDocument({ paths: { '/movies': { get: null } } });
 * // ConfigError: Invalid exported API: paths./movies.get: must be object, got null
 * ```
 */
export function checkApiDocument(api: unknown): OpenApiDocument {
  const parsed = documentSchema().safeParse(api, { reportInput: true });
  if (!parsed.success) throw new ConfigError('exported API', issuesOf(parsed.error));
  return api as OpenApiDocument;
}
