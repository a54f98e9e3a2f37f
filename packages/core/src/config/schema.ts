// The shape a configuration must have (zod/mini). Checks across fields live in pools.ts.

import * as z from 'zod/mini';
import type { Decision } from '../decision/decision';
import { isRevocationStore, type RevocationStore } from '../revocation/revocation-store';
import type { AlbUserClaims, Logger, Telemetry } from './types';

const nonEmpty = z.string().check(z.minLength(1, 'must not be empty'));
const clientIdSchema = z.union([
  nonEmpty,
  z.array(nonEmpty).check(z.minLength(1, 'must list at least one client id')),
  z.null(),
]);
const tokenUseSchema = z.enum(['access', 'id', 'any']);
const positiveInt = z.number().check(z.int(), z.gt(0, 'must be greater than 0'));
const nonNegative = z.number().check(z.gte(0, 'must not be negative'));

const replicaRegionsSchema = z
  .array(nonEmpty)
  .check(z.minLength(1, 'must list at least one region'));

/** The schema of one `PoolConfig`, also applied to each pool a resolver returns. */
export const poolSchema = z.strictObject({
  userPoolId: nonEmpty,
  clientId: clientIdSchema,
  tokenUse: z.optional(tokenUseSchema),
  issuer: z.optional(nonEmpty),
  jwksUri: z.optional(nonEmpty),
  replicaRegions: z.optional(replicaRegionsSchema),
});

/** The schema of `pools: { resolve, maxPools }`. */
export const poolResolverSchema = z.strictObject({
  resolve: z.custom<(issuer: string) => unknown>((value) => typeof value === 'function', {
    message: 'must be a function (issuer) => pool or undefined',
  }),
  maxPools: z.optional(positiveInt),
});

const tokenSourceSchema = z.union([
  z.literal('authorization'),
  z.literal('alb'),
  z.strictObject({ cookie: nonEmpty }),
]);

// An optional step a subpath builds (`albUserClaims()`, `openTelemetry()`): recognised by its kind.
function plugin<T extends { readonly kind: string; readonly create: unknown }>(
  kind: T['kind'],
  madeBy: string,
) {
  return z.custom<T>(
    (value) => (value as T | null)?.kind === kind && typeof (value as T).create === 'function',
    { message: `must be ${madeBy}` },
  );
}

/** The schema of `GuardConfig`; `resolveConfig` parses with it. */
export const configSchema = z.strictObject({
  userPoolId: z.optional(
    z.union([nonEmpty, z.array(nonEmpty).check(z.minLength(1, 'must list at least one pool'))]),
  ),
  clientId: z.optional(clientIdSchema),
  tokenUse: z.optional(tokenUseSchema),
  issuer: z.optional(nonEmpty),
  jwksUri: z.optional(nonEmpty),
  replicaRegions: z.optional(replicaRegionsSchema),
  pools: z.optional(z.array(poolSchema).check(z.minLength(1, 'must list at least one pool'))),
  allowInsecureHttp: z.optional(z.boolean()),
  graceSeconds: z.optional(nonNegative),
  algorithms: z.optional(
    z
      .array(z.enum(['RS256', 'RS384', 'RS512', 'ES256', 'ES384', 'ES512', 'EdDSA']))
      .check(z.minLength(1, 'must list at least one algorithm')),
  ),
  tokenSources: z.optional(
    z.array(tokenSourceSchema).check(z.minLength(1, 'must list at least one source')),
  ),
  maxTokenBytes: z.optional(positiveInt),
  cache: z.optional(
    z.union([
      z.literal(false),
      z.strictObject({
        maxEntries: z.optional(positiveInt),
        maxAgeSeconds: z.optional(positiveInt),
      }),
    ]),
  ),
  jwks: z.optional(
    z.strictObject({
      timeoutMs: z.optional(positiveInt),
      maxBytes: z.optional(positiveInt),
      retryAfterSeconds: z.optional(nonNegative),
      unknownKidCooldownSeconds: z.optional(nonNegative),
    }),
  ),
  realm: z.optional(nonEmpty),
  caseSensitivePaths: z.optional(z.boolean()),
  onDecision: z.optional(
    z.custom<(decision: Decision) => void>((value) => typeof value === 'function', {
      message: 'must be a function',
    }),
  ),
  logger: z.optional(
    z.custom<Logger>((value) => typeof (value as Logger | null)?.warn === 'function', {
      message: 'must have a warn(message) method',
    }),
  ),
  albUserClaims: z.optional(
    plugin<AlbUserClaims>(
      'alb-user-claims',
      "albUserClaims({ albArn }) from '@cognito-guard/core/alb'",
    ),
  ),
  telemetry: z.optional(
    plugin<Telemetry>('telemetry', "openTelemetry() from '@cognito-guard/core/otel'"),
  ),
  revocation: z.optional(
    z.strictObject({
      store: z.custom<RevocationStore>(isRevocationStore, {
        message: 'must be a revocation store (memoryRevocationStore(), redisRevocationStore())',
      }),
      maxStalenessSeconds: z.optional(z.number().check(z.gt(0, 'must be greater than 0'))),
      onStoreUnavailable: z.optional(z.enum(['deny', 'allow'])),
    }),
  ),
});
