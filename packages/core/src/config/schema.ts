// The shape a configuration must have (zod/mini). Checks across fields live in pools.ts.
//
// Building every option's schema costs about 3.5 ms of a Lambda cold start (loading zod itself,
// 1.4 ms), and a configuration names a few of its options; so each option's schema is built the
// first time a configuration names it.

import * as z from 'zod/mini';
import type { Decision } from '../decision/decision';
import { isRevocationStore, type RevocationStore } from '../revocation/revocation-store';
import { builtOnce as once } from '../shared/built-once';
import type { AlbUserClaims, Logger, Offload, Telemetry } from './types';

// Checks written as refinements: each zod check kind a schema uses brings its own code into every
// bundle, and these few lines replace five of them (min length, int, gt, gte, literal).
const atLeastOne = <T extends { readonly length: number }>(message: string) =>
  z.refine<T>((value) => value.length > 0, message);

const aboveZero = () => z.refine<number>((n) => n > 0, 'must be greater than 0');

const nonEmpty = once(() => z.string().check(atLeastOne('must not be empty')));
const positiveInt = once(() =>
  z.number().check(z.refine(Number.isSafeInteger, 'must be a whole number'), aboveZero()),
);
const nonNegative = once(() => z.number().check(z.refine((n) => n >= 0, 'must not be negative')));
const tokenUse = once(() => z.enum(['access', 'id', 'any']));
const clientId = once(() =>
  z.union([
    nonEmpty(),
    z.array(nonEmpty()).check(atLeastOne('must list at least one client id')),
    z.null(),
  ]),
);
const replicaRegions = once(() =>
  z.array(nonEmpty()).check(atLeastOne('must list at least one region')),
);

/** The schema of one `PoolConfig`, also applied to each pool a resolver returns. */
export const poolSchema = once(() =>
  z.strictObject({
    userPoolId: nonEmpty(),
    clientId: clientId(),
    tokenUse: z.optional(tokenUse()),
    issuer: z.optional(nonEmpty()),
    jwksUri: z.optional(nonEmpty()),
    replicaRegions: z.optional(replicaRegions()),
  }),
);

/** The schema of `pools: { resolve, maxPools }`. */
export const poolResolverSchema = once(() =>
  z.strictObject({
    resolve: z.custom<(issuer: string) => unknown>((value) => typeof value === 'function', {
      message: 'must be a function (issuer) => pool or undefined',
    }),
    maxPools: z.optional(positiveInt()),
  }),
);

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

/** Each configuration option's schema, built on first use; `parseConfig` reads only those named. */
export const CONFIG_OPTIONS = {
  userPoolId: once(() =>
    z.union([nonEmpty(), z.array(nonEmpty()).check(atLeastOne('must list at least one pool'))]),
  ),
  clientId,
  tokenUse,
  issuer: nonEmpty,
  jwksUri: nonEmpty,
  replicaRegions,
  pools: once(() => z.array(poolSchema()).check(atLeastOne('must list at least one pool'))),
  allowInsecureHttp: once(() => z.boolean()),
  graceSeconds: nonNegative,
  algorithms: once(() =>
    z
      .array(z.enum(['RS256', 'RS384', 'RS512', 'ES256', 'ES384', 'ES512', 'EdDSA']))
      .check(atLeastOne('must list at least one algorithm')),
  ),
  tokenSources: once(() =>
    z
      .array(z.union([z.enum(['authorization', 'alb']), z.strictObject({ cookie: nonEmpty() })]))
      .check(atLeastOne('must list at least one source')),
  ),
  trustedOrigins: once(() =>
    z.array(
      z
        .string()
        .check(
          z.refine(
            (value) => URL.canParse(value) && new URL(value).origin === value,
            'must be an origin as browsers send it (https://app.example.com: lower case, no path)',
          ),
        ),
    ),
  ),
  maxTokenBytes: positiveInt,
  cache: once(() =>
    z.union([
      z.custom<false>((value) => value === false, { message: 'must be false or an object' }),
      z.strictObject({
        maxEntries: z.optional(positiveInt()),
        maxAgeSeconds: z.optional(positiveInt()),
      }),
    ]),
  ),
  jwks: once(() =>
    z.strictObject({
      timeoutMs: z.optional(positiveInt()),
      maxBytes: z.optional(positiveInt()),
      retryAfterSeconds: z.optional(nonNegative()),
      unknownKidCooldownSeconds: z.optional(nonNegative()),
    }),
  ),
  realm: nonEmpty,
  caseSensitivePaths: once(() => z.boolean()),
  onDecision: once(() =>
    z.custom<(decision: Decision) => void>((value) => typeof value === 'function', {
      message: 'must be a function',
    }),
  ),
  logger: once(() =>
    z.custom<Logger>((value) => typeof (value as Logger | null)?.warn === 'function', {
      message: 'must have a warn(message) method',
    }),
  ),
  albUserClaims: once(() =>
    plugin<AlbUserClaims>(
      'alb-user-claims',
      "albUserClaims({ albArn }) from '@cognito-guard/core/alb'",
    ),
  ),
  telemetry: once(() =>
    plugin<Telemetry>('telemetry', "openTelemetry() from '@cognito-guard/core/otel'"),
  ),
  offload: once(() =>
    plugin<Offload>('offload', "verifyInWorkers() from '@cognito-guard/core/offload'"),
  ),
  revocation: once(() =>
    z.strictObject({
      store: z.custom<RevocationStore>(isRevocationStore, {
        message: 'must be a revocation store (memoryRevocationStore(), redisRevocationStore())',
      }),
      maxStalenessSeconds: z.optional(z.number().check(aboveZero())),
      onStoreUnavailable: z.optional(z.enum(['deny', 'allow'])),
    }),
  ),
};

/** A configuration's options as the schema parsed them; every option is optional here. */
export type ParsedConfig = {
  readonly [K in keyof typeof CONFIG_OPTIONS]?: z.output<ReturnType<(typeof CONFIG_OPTIONS)[K]>>;
};

/**
 * Parses a `GuardConfig` against the schemas of the options it names, in a strict object, so
 * that an option no schema knows is reported as unknown.
 *
 * @example
 * ```ts
 * const parsed = parseConfig({ userPoolId: 'eu-west-1_AbCdEf123', clientId: null });
 * if (!parsed.success) console.log(issuesOf(parsed.error));
 * ```
 */
export function parseConfig(config: object) {
  const shape: Record<string, z.ZodMiniOptional> = {};
  for (const [name, schema] of Object.entries(CONFIG_OPTIONS)) {
    if (name in config) shape[name] = z.optional(schema());
  }
  return z
    .strictObject(shape)
    .safeParse(config, { reportInput: true }) as z.core.util.SafeParseResult<ParsedConfig>;
}
