// The guard's configuration: its shape, its validation (zod/mini) and its resolved form.

import * as z from 'zod/mini';
import { ConfigError, type ConfigIssue } from './config-error';
import { variableOf } from './config-source';
import type { Decision } from './decision';
import { cognitoIssuers, isAwsUserPoolId, isLoopbackUrl } from './issuer';
import { unknownRegion } from './regions';
import { issuesOf } from './zod-issues';

/** Which Cognito token kinds a pool accepts. */
export type TokenUseSetting = 'access' | 'id' | 'any';

/** Signature algorithms aws-jwt-verify can check. Cognito signs with RS256. */
export type SignatureAlgorithm =
  | 'RS256'
  | 'RS384'
  | 'RS512'
  | 'ES256'
  | 'ES384'
  | 'ES512'
  | 'EdDSA';

/** Where a bearer token may come from, tried in the configured order. */
export type TokenSource =
  /** `Authorization: Bearer <jwt>` (or a bare JWT, as API Gateway accepts). */
  | 'authorization'
  /** The access token an ALB with OIDC authentication forwards in `x-amzn-oidc-accesstoken`. */
  | 'alb'
  /** A named cookie holding the raw JWT. */
  | { readonly cookie: string };

/** One user pool and what its tokens must carry. */
export interface PoolConfig {
  /** e.g. `eu-west-1_AbCdEf123`; any id when `issuer` is overridden (`local_5PceJQBy`). */
  readonly userPoolId: string;
  /** Allowed app client(s): `aud` of ID tokens, `client_id` of access tokens. `null` skips the check on purpose. */
  readonly clientId: string | readonly string[] | null;
  /** `'access'` (default), `'id'` or `'any'`. */
  readonly tokenUse?: TokenUseSetting | undefined;
  /** Expected `iss`, for emulators (cognito-local, LocalStack). */
  readonly issuer?: string | undefined;
  /** Where keys are fetched; defaults to `<issuer>/.well-known/jwks.json`. */
  readonly jwksUri?: string | undefined;
}

/** Settings of the verified-token cache. */
export interface CacheConfig {
  /** Most entries kept; the least recently used go first. Default 10,000. */
  readonly maxEntries?: number | undefined;
  /** An entry lives no longer than this, nor past its token's `exp`. Default 300 s. */
  readonly maxAgeSeconds?: number | undefined;
}

/** Settings of JWKS fetching. */
export interface JwksConfig {
  /** Whole-request timeout of one fetch. Default 3,000 ms. */
  readonly timeoutMs?: number | undefined;
  /** Largest JWKS body accepted. Default 256 KiB. */
  readonly maxBytes?: number | undefined;
  /** After a failed fetch, requests fail fast with 503 for this long. Default 5 s. */
  readonly retryAfterSeconds?: number | undefined;
  /** After a refetch that did not contain a token's `kid`, no refetch for this long. Default 10 s. */
  readonly unknownKidCooldownSeconds?: number | undefined;
}

/**
 * Configuration of a guard. Give either `userPoolId` + `clientId` (+ `tokenUse`), or `pools`.
 *
 * @example
 * ```ts
 * const config: GuardConfig = { userPoolId: 'eu-west-1_AbCdEf123', clientId: '1example23456789', tokenUse: 'access' };
 * ```
 */
export interface GuardConfig {
  /** One pool id, or several sharing `clientId` and `tokenUse`. */
  readonly userPoolId?: string | readonly string[] | undefined;
  readonly clientId?: string | readonly string[] | null | undefined;
  readonly tokenUse?: TokenUseSetting | undefined;
  /** Expected `iss` for a single emulated pool. */
  readonly issuer?: string | undefined;
  readonly jwksUri?: string | undefined;
  /** Several pools, each with its own client and token use. */
  readonly pools?: readonly PoolConfig[] | undefined;
  /** Accept `http://` issuer and JWKS URLs on hosts other than loopback. Default false. */
  readonly allowInsecureHttp?: boolean | undefined;
  /** Clock skew tolerated on `exp` and `nbf`. Default 0. */
  readonly graceSeconds?: number | undefined;
  /** Accepted signature algorithms. Default `['RS256']`, the only one Cognito uses. */
  readonly algorithms?: readonly SignatureAlgorithm[] | undefined;
  /** Token sources in order. Default `['authorization']`. */
  readonly tokenSources?: readonly TokenSource[] | undefined;
  /** Tokens longer than this are refused before any decoding. Default 16 KiB. */
  readonly maxTokenBytes?: number | undefined;
  /** Verified-token cache, or `false` to verify every request. */
  readonly cache?: CacheConfig | false | undefined;
  readonly jwks?: JwksConfig | undefined;
  /** Realm of `WWW-Authenticate` challenges. Default `"api"`. */
  readonly realm?: string | undefined;
  /** Match route-policy paths case-sensitively. Default false, as Express and Koa route. */
  readonly caseSensitivePaths?: boolean | undefined;
  /** Receives every decision, for audit logs. A hook that throws turns an allow into a 403. */
  readonly onDecision?: ((decision: Decision) => void | Promise<void>) | undefined;
  /** Where set-up warnings go (a policy that cannot match under its mount path). Default `console`. */
  readonly logger?: Logger | undefined;
}

/**
 * The logging the guard needs; `console` and pino loggers fit. `warn`: configuration warnings
 * and key-fetch outages. `debug`: each denial's reason with expected and received values, only
 * when `DEBUG` names `cognito-guard` or `COGNITO_GUARD_LOG=debug`.
 */
export interface Logger {
  warn(message: string): void;
  debug?(message: string): void;
}

/** A pool after validation, with its issuers worked out. */
export interface ResolvedPool {
  readonly userPoolId: string;
  readonly clientIds: readonly string[] | null;
  readonly tokenUses: readonly ('access' | 'id')[];
  /** Accepted `iss` values, each with its JWKS URI; the first is the primary one. */
  readonly issuers: readonly { readonly issuer: string; readonly jwksUri: string }[];
}

/** A validated configuration with every default filled in. */
export interface ResolvedConfig {
  readonly pools: readonly ResolvedPool[];
  readonly graceSeconds: number;
  readonly algorithms: readonly SignatureAlgorithm[];
  readonly tokenSources: readonly TokenSource[];
  readonly maxTokenBytes: number;
  readonly cache: { readonly maxEntries: number; readonly maxAgeSeconds: number } | false;
  readonly jwks: {
    readonly timeoutMs: number;
    readonly maxBytes: number;
    readonly retryAfterSeconds: number;
    readonly unknownKidCooldownSeconds: number;
  };
  readonly realm: string;
  readonly caseSensitivePaths: boolean;
  readonly onDecision: ((decision: Decision) => void | Promise<void>) | undefined;
  readonly logger: Logger;
}

const nonEmpty = z.string().check(z.minLength(1, 'must not be empty'));
const clientIdSchema = z.union([
  nonEmpty,
  z.array(nonEmpty).check(z.minLength(1, 'must list at least one client id')),
  z.null(),
]);
const tokenUseSchema = z.enum(['access', 'id', 'any']);
const positiveInt = z.number().check(z.int(), z.gt(0, 'must be greater than 0'));
const nonNegative = z.number().check(z.gte(0, 'must not be negative'));

const poolSchema = z.strictObject({
  userPoolId: nonEmpty,
  clientId: clientIdSchema,
  tokenUse: z.optional(tokenUseSchema),
  issuer: z.optional(nonEmpty),
  jwksUri: z.optional(nonEmpty),
});

const tokenSourceSchema = z.union([
  z.literal('authorization'),
  z.literal('alb'),
  z.strictObject({ cookie: nonEmpty }),
]);

const configSchema = z.strictObject({
  userPoolId: z.optional(
    z.union([nonEmpty, z.array(nonEmpty).check(z.minLength(1, 'must list at least one pool'))]),
  ),
  clientId: z.optional(clientIdSchema),
  tokenUse: z.optional(tokenUseSchema),
  issuer: z.optional(nonEmpty),
  jwksUri: z.optional(nonEmpty),
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
});

/**
 * Validates a configuration and fills in defaults. Throws one {@link ConfigError} naming every
 * bad field.
 *
 * @example
 * ```ts
 * const resolved = resolveConfig({ userPoolId: 'eu-west-1_AbCdEf123', clientId: null });
 * resolved.pools[0].issuers[0].issuer; // 'https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_AbCdEf123'
 * ```
 */
export function resolveConfig(config: GuardConfig): ResolvedConfig {
  if (config === null || typeof config !== 'object') {
    throw new ConfigError('cognito-guard config', [{ field: '', message: 'must be an object' }]);
  }
  const parsed = configSchema.safeParse(config, { reportInput: true });
  const issues = parsed.success ? [] : [...issuesOf(parsed.error)];
  const poolInputs = describePools(config, issues);
  const pools: ResolvedPool[] = [];
  for (const pool of poolInputs) {
    const resolved = resolvePool(pool.value, pool.path, config.allowInsecureHttp === true, issues);
    if (resolved) pools.push(resolved);
  }
  if (issues.length > 0 || !parsed.success) {
    throw new ConfigError(
      'cognito-guard config',
      dedupe(issues).map((i) => named(config, i)),
    );
  }
  const value = parsed.data;
  return Object.freeze({
    pools,
    graceSeconds: value.graceSeconds ?? 0,
    algorithms: (value.algorithms ?? ['RS256']) as readonly SignatureAlgorithm[],
    tokenSources: (value.tokenSources ?? ['authorization']) as readonly TokenSource[],
    maxTokenBytes: value.maxTokenBytes ?? 16 * 1024,
    cache:
      value.cache === false
        ? false
        : {
            maxEntries: value.cache?.maxEntries ?? 10_000,
            maxAgeSeconds: value.cache?.maxAgeSeconds ?? 300,
          },
    jwks: {
      timeoutMs: value.jwks?.timeoutMs ?? 3_000,
      maxBytes: value.jwks?.maxBytes ?? 256 * 1024,
      retryAfterSeconds: value.jwks?.retryAfterSeconds ?? 5,
      unknownKidCooldownSeconds: value.jwks?.unknownKidCooldownSeconds ?? 10,
    },
    realm: value.realm ?? 'api',
    caseSensitivePaths: value.caseSensitivePaths ?? false,
    onDecision: config.onDecision,
    logger: config.logger ?? console,
  });
}

interface PoolInput {
  readonly value: Partial<PoolConfig>;
  readonly path: string;
}

function describePools(config: GuardConfig, issues: { field: string; message: string }[]) {
  const pools: PoolInput[] = [];
  if (config.pools !== undefined) {
    for (const key of ['userPoolId', 'clientId', 'tokenUse', 'issuer', 'jwksUri'] as const) {
      if (config[key] !== undefined) {
        issues.push({ field: key, message: 'give it inside each entry of `pools`, not beside it' });
      }
    }
    if (Array.isArray(config.pools)) {
      config.pools.forEach((pool, index) => {
        pools.push({ value: pool ?? {}, path: `pools.${index}.` });
      });
    }
    return pools;
  }
  if (config.userPoolId === undefined) {
    issues.push({ field: 'userPoolId', message: 'is required (or give `pools`)' });
    return pools;
  }
  if (!('clientId' in config) || config.clientId === undefined) {
    issues.push({
      field: 'clientId',
      message: 'is required: give the app client id(s), or null to skip the check on purpose',
    });
  }
  const ids = Array.isArray(config.userPoolId) ? config.userPoolId : [config.userPoolId];
  if (ids.length > 1 && (config.issuer !== undefined || config.jwksUri !== undefined)) {
    issues.push({
      field: 'issuer',
      message: 'an override applies to a single pool; use `pools` to give each pool its own',
    });
  }
  ids.forEach((userPoolId) => {
    pools.push({
      value: {
        userPoolId,
        clientId: config.clientId ?? null,
        tokenUse: config.tokenUse,
        issuer: config.issuer,
        jwksUri: config.jwksUri,
      },
      path: '',
    });
  });
  return pools;
}

function resolvePool(
  pool: Partial<PoolConfig>,
  path: string,
  allowInsecureHttp: boolean,
  issues: { field: string; message: string }[],
): ResolvedPool | undefined {
  const { userPoolId, issuer, jwksUri } = pool;
  if (typeof userPoolId !== 'string' || userPoolId === '') return undefined;
  const overridden = issuer !== undefined || jwksUri !== undefined;
  if (!overridden && !isAwsUserPoolId(userPoolId)) {
    issues.push({
      field: `${path}userPoolId`,
      message: `"${userPoolId}" is not a Cognito user pool id (region_id); set \`issuer\` to use an emulator`,
    });
    return undefined;
  }
  const region = overridden ? undefined : unknownRegion(userPoolId);
  if (region !== undefined) {
    const hint = region.nearest ? `did you mean "${region.nearest}"? ` : '';
    issues.push({
      field: `${path}userPoolId`,
      message: `"${region.region}" is not an AWS region; ${hint}(for a region newer than this list, set \`issuer\`)`,
    });
    return undefined;
  }
  for (const [field, url] of [
    ['issuer', issuer],
    ['jwksUri', jwksUri],
  ] as const) {
    if (url === undefined) continue;
    const problem = urlProblem(url, allowInsecureHttp);
    if (problem) issues.push({ field: `${path}${field}`, message: problem });
  }
  const named = issuer === undefined || urlProblem(issuer, true) ? undefined : poolOfIssuer(issuer);
  if (named !== undefined && named !== userPoolId) {
    issues.push({
      field: `${path}userPoolId`,
      message: `"${userPoolId}" is not the pool \`issuer\` names ("${named}"); give the pool id the issuer ends with, or drop one of them`,
    });
    return undefined;
  }
  if (overridden && !/^[\w-]+$/.test(userPoolId)) {
    issues.push({ field: `${path}userPoolId`, message: 'may hold only letters, digits, _ and -' });
    return undefined;
  }
  if (issuer === undefined && jwksUri !== undefined) {
    issues.push({
      field: `${path}issuer`,
      message: 'is required with `jwksUri`: tokens must be checked against a known issuer',
    });
    return undefined;
  }
  const clientId = pool.clientId;
  // Ill-typed values were already reported by the schema; this only has to not crash on them.
  const clientIds =
    typeof clientId === 'string'
      ? Object.freeze([clientId])
      : Array.isArray(clientId)
        ? Object.freeze([...clientId])
        : null;
  const tokenUse = pool.tokenUse ?? 'access';
  const tokenUses: ('access' | 'id')[] =
    tokenUse === 'id' ? ['id'] : tokenUse === 'any' ? ['access', 'id'] : ['access'];
  const issuers =
    issuer === undefined
      ? cognitoIssuers(userPoolId)
      : [{ issuer, jwksUri: jwksUri ?? `${issuer.replace(/\/+$/, '')}/.well-known/jwks.json` }];
  return Object.freeze({ userPoolId, clientIds, tokenUses: Object.freeze(tokenUses), issuers });
}

// The pool id an issuer URL ends with (`…/eu-west-1_AbC`, `http://localhost:9229/local_abc`).
function poolOfIssuer(issuer: string): string | undefined {
  try {
    const segments = new URL(issuer).pathname.split('/').filter((s) => s !== '');
    return segments[segments.length - 1];
  } catch {
    return undefined;
  }
}

function urlProblem(value: string, allowInsecureHttp: boolean): string | undefined {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return 'must be an absolute URL';
  }
  if (url.protocol === 'https:') return undefined;
  if (url.protocol !== 'http:') return 'must be an https:// URL';
  if (isLoopbackUrl(url) || allowInsecureHttp) return undefined;
  return 'http:// is accepted only on loopback hosts; use https:// or set allowInsecureHttp';
}

// An issue about a field read from the environment names the variable too, in the field and
// wherever the message points at another option (`set \`issuer\``).
function named(config: GuardConfig, issue: ConfigIssue): ConfigIssue {
  const root = issue.field.split('.')[0] ?? '';
  const variable = variableOf(config, root);
  const message = issue.message.replace(/`(\w+)`/g, (text, option: string) => {
    const source = variableOf(config, option) ?? ENV_NAMES[option];
    return source && variable ? `${text} (${source})` : text;
  });
  return { field: variable ? `${issue.field} (${variable})` : issue.field, message };
}

// Variables an option can be given by, for messages that point at one the user did not set.
const ENV_NAMES: Readonly<Record<string, string>> = {
  issuer: 'COGNITO_ISSUER',
  jwksUri: 'COGNITO_JWKS_URI',
  allowInsecureHttp: 'COGNITO_ALLOW_INSECURE_HTTP',
};

function dedupe(issues: readonly { field: string; message: string }[]) {
  const seen = new Set<string>();
  return issues.filter((issue) => {
    const key = issue.field;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
