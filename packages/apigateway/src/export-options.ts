// The options of the exports and of drift, checked before anything is written or compared.
// Unchecked, a cache TTL API Gateway refuses (-1, 86400) or a CORS list given as a string went
// into the document, to fail at deploy time, and a missing option threw a TypeError.

import { checkOptions } from '@cognito-guard/core/advanced';
import * as z from 'zod/mini';
import type { CorsSettings } from './cors';

const text = () => z.optional(z.string());
const names = () => z.array(z.string().check(z.minLength(1, 'must not be empty')));

// API Gateway keeps an authorizer's answer for 0 to 3600 seconds. (A schema's `error` is also
// its checks' message.)
const cacheSeconds = () =>
  z.optional(
    z.int({ error: 'must be a whole number of seconds, 0 to 3600' }).check(z.gte(0), z.lte(3600)),
  );

// The schema of CorsSettings: origins required, each list of non-empty names.
const corsSchema = () =>
  z.strictObject({
    allowOrigins: names().check(z.minLength(1, 'must list at least one origin')),
    allowMethods: z.optional(names()),
    allowHeaders: z.optional(names()),
    maxAge: z.optional(z.int().check(z.gte(0))),
  });

const common = () => ({
  config: z.custom<object>((config) => typeof config === 'object' && config !== null, {
    error:
      "must be the guards' configuration: configFromEnv(process.env), or { userPoolId, clientId }",
  }),
  authorizerCacheSeconds: cacheSeconds(),
});

const SCHEMAS = {
  http: () =>
    z.strictObject({
      ...common(),
      authorizerUri: z.string(),
      title: text(),
      cors: z.optional(corsSchema()),
    }),
  rest: () =>
    z.strictObject({
      ...common(),
      authorizerUri: z.string(),
      userPoolArn: text(),
      integrationUri: text(),
      title: text(),
    }),
  sam: () =>
    z.strictObject({
      ...common(),
      handlerFor: z.custom<(routeKey: string) => string>((f) => typeof f === 'function', {
        error: 'must be a function from a route key to its handler',
      }),
      authorizerHandler: text(),
      codeUri: text(),
      runtime: text(),
      description: text(),
      cors: z.optional(corsSchema()),
    }),
};

/**
 * Checks the options of an export (`http`, `rest` or `sam`) or of the drift that compares with
 * one. Throws a `ConfigError` naming `subject` and every bad option.
 *
 * @example
 * ```ts
 * checkExportOptions('http', 'exportHttpApi options', { config, authorizerUri, authorizerCacheSeconds: 86400 });
 * // ConfigError: Invalid exportHttpApi options: authorizerCacheSeconds: must be a whole number of seconds, 0 to 3600
 * ```
 */
export function checkExportOptions(
  kind: keyof typeof SCHEMAS,
  subject: string,
  options: unknown,
): void {
  // No options at all reads as an empty object, so the message names each required one.
  checkOptions(subject, options, SCHEMAS[kind]());
}

/**
 * Checks {@link CorsSettings} given on their own.
 *
 * @example
 * ```ts
 * checkCors({ allowOrigins: 'https://app.example.com' });
 * // ConfigError: Invalid corsConfiguration: allowOrigins: must be array, got "https://app.example.com"
 * ```
 */
export function checkCors(cors: unknown): CorsSettings {
  return checkOptions('corsConfiguration', cors, corsSchema());
}
