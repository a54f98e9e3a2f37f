// The event builders' options, checked when an event is made: a misspelt `tokn` built an event
// without a token, refused for another reason than the test meant.

import * as z from 'zod/mini';
import { anyRecord, callback, checkKitOptions, text, texts } from './kit-options';

// What every HTTP event builder takes (`RequestEventOptions`), and `extra`.
const eventOptions = (extra: z.core.$ZodLooseShape = {}) =>
  z.strictObject({
    method: text(),
    path: text(),
    headers: z.optional(z.record(z.string(), z.string())),
    token: text(),
    body: z.optional(z.union([z.string(), z.instanceof(Uint8Array)])),
    ...extra,
  });
// What an authorizer in front puts in the event: only the sources that have one take it. Given
// to another builder, it was dropped, and a test of trust mode tested an event without claims.
const authorized = () => ({
  claims: anyRecord(),
  authorizerContext: z.optional(
    z.record(z.string(), z.union([z.string(), z.number(), z.boolean()])),
  ),
});
const version = () => z.optional(z.enum(['1.0', '2.0']));

// Each event builder's options.
const EVENT_OPTIONS = {
  restProxyEvent: () => eventOptions({ ...authorized(), stage: text(), resource: text() }),
  httpApiEvent: () =>
    eventOptions({
      ...authorized(),
      version: version(),
      routeKey: text(),
      scopes: z.optional(z.nullable(z.array(z.string()))),
      cookies: texts(),
      stage: text(),
      domainName: text(),
    }),
  functionUrlEvent: () => eventOptions(),
  albEvent: () => eventOptions({ multiValueHeaders: z.optional(z.boolean()) }),
  latticeEvent: () => eventOptions(),
  tokenAuthorizerEvent: () =>
    z.strictObject({ token: text(), method: text(), path: text(), stage: text() }),
  requestAuthorizerEvent: () => eventOptions({ stage: text() }),
  httpAuthorizerEvent: () => eventOptions({ version: version(), routeKey: text() }),
  // The Lambda context's own fields (the runtime's `Context`), any of which a test may replace.
  lambdaContext: () =>
    z.strictObject({
      callbackWaitsForEmptyEventLoop: z.optional(z.boolean()),
      functionName: text(),
      functionVersion: text(),
      invokedFunctionArn: text(),
      memoryLimitInMB: text(),
      awsRequestId: text(),
      logGroupName: text(),
      logStreamName: text(),
      identity: anyRecord(),
      clientContext: anyRecord(),
      tenantId: text(),
      getRemainingTimeInMillis: callback(),
      done: callback(),
      fail: callback(),
      succeed: callback(),
    }),
} as const;

/**
 * Checks an event builder's options; throws a `TypeError` naming the builder and every bad one.
 *
 * @example
 * ```ts
 * checkEventOptions('restProxyEvent', { tokn: token });
 * // TypeError: Invalid restProxyEvent options: tokn: is not an option (method, path, headers, token, …)
 * ```
 */
export function checkEventOptions(builder: keyof typeof EVENT_OPTIONS, options: unknown): void {
  eventSchemas[builder] ??= EVENT_OPTIONS[builder]();
  checkKitOptions(builder, options, eventSchemas[builder]);
}
const eventSchemas: Partial<Record<keyof typeof EVENT_OPTIONS, z.ZodMiniObject>> = {};
