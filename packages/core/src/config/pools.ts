// The checks across a pool's fields: a real pool id in a real region, or an emulator's issuer;
// issuer and pool id that agree; URLs that are https or loopback. Each pool resolved to the
// issuers and keys its tokens are checked against.

import { cognitoIssuers, isAwsUserPoolId, isLoopbackUrl } from '../token/issuer';
import { ConfigError } from './config-error';
import { DEFAULTS } from './defaults';
import { unknownRegion } from './regions';
import { poolSchema } from './schema';
import type {
  GuardConfig,
  PoolConfig,
  ResolvedConfig,
  ResolvedPool,
  ResolvedPoolResolver,
} from './types';
import { issuesOf } from './zod-issues';

/** One pool as given, and where it sits in the configuration (`pools.0.` or the top level). */
export interface PoolInput {
  readonly value: Partial<PoolConfig>;
  readonly path: string;
}

/**
 * The pools a configuration names, at the top level or under `pools`, reporting options given in
 * both places or missing.
 *
 * @example
 * ```ts
 * const issues = [];
 * describePools({ userPoolId: 'eu-west-1_AbC', clientId: null }, issues); // [{ value: {...}, path: '' }]
 * ```
 */
export function describePools(config: GuardConfig, issues: { field: string; message: string }[]) {
  const pools: PoolInput[] = [];
  if (config.pools !== undefined) {
    for (const key of [
      'userPoolId',
      'clientId',
      'tokenUse',
      'issuer',
      'jwksUri',
      'replicaRegions',
    ] as const) {
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
        replicaRegions: config.replicaRegions,
      },
      path: '',
    });
  });
  return pools;
}

/**
 * Checks one pool across its fields and resolves its issuers; returns `undefined` after
 * reporting a problem.
 *
 * @example
 * ```ts
 * resolvePool({ userPoolId: 'eu-west-1_AbC', clientId: 'abc' }, '', false, issues)?.issuers;
 * ```
 */
export function resolvePool(
  pool: Partial<PoolConfig>,
  path: string,
  allowInsecureHttp: boolean,
  issues: { field: string; message: string }[],
): ResolvedPool | undefined {
  const { userPoolId, issuer, jwksUri } = pool;
  if (typeof userPoolId !== 'string' || userPoolId === '') return undefined;
  const reported = issues.length;
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
  const replicaRegions = checkReplicaRegions(pool, path, overridden, issues);
  // A pool with a problem is not resolved: an ill-typed URL (`issuer: null` from a JSON file)
  // must end in the ConfigError that names it, not in a TypeError below.
  if (replicaRegions === undefined || issues.length > reported) return undefined;
  const clientId = pool.clientId;
  // Ill-typed values were already reported by the schema; this only has to not crash on them.
  const clientIds =
    typeof clientId === 'string'
      ? Object.freeze([clientId])
      : Array.isArray(clientId)
        ? Object.freeze([...clientId])
        : null;
  const tokenUse = pool.tokenUse ?? DEFAULTS.tokenUse;
  const tokenUses: ('access' | 'id')[] =
    tokenUse === 'id' ? ['id'] : tokenUse === 'any' ? ['access', 'id'] : ['access'];
  const issuers =
    issuer === undefined
      ? cognitoIssuers(userPoolId, replicaRegions)
      : [{ issuer, jwksUri: jwksUri ?? `${issuer.replace(/\/+$/, '')}/.well-known/jwks.json` }];
  return Object.freeze({ userPoolId, clientIds, tokenUses: Object.freeze(tokenUses), issuers });
}

/**
 * The pool a resolver gives for an issuer, checked as a configured pool is; or why there is none
 * (the resolver refused it, threw, returned an invalid pool, or one that does not accept this
 * issuer).
 *
 * @example
 * ```ts
 * const found = poolForIssuer(config.poolResolver, payload.iss);
 * if ('pool' in found) use(found.pool); else refuse(found.problem);
 * ```
 */
export function poolForIssuer(
  resolver: ResolvedPoolResolver,
  issuer: string,
): { readonly pool: ResolvedPool } | { readonly problem: string; readonly misconfigured: boolean } {
  let given: unknown;
  try {
    given = resolver.resolve(issuer);
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    return { problem: `pools.resolve() threw: ${message}`, misconfigured: true };
  }
  if (given === undefined || given === null) {
    return { problem: 'pools.resolve() knows no pool for it', misconfigured: false };
  }
  const issues: { field: string; message: string }[] = [];
  const parsed = poolSchema().safeParse(given, { reportInput: true });
  if (!parsed.success) issues.push(...issuesOf(parsed.error));
  const pool = parsed.success
    ? resolvePool(parsed.data, '', resolver.allowInsecureHttp, issues)
    : undefined;
  if (pool === undefined || issues.length > 0) {
    const listed = issues.map((i) => `${i.field}: ${i.message}`).join('; ');
    return { problem: `pools.resolve() returned an invalid pool (${listed})`, misconfigured: true };
  }
  if (!pool.issuers.some((candidate) => candidate.issuer === issuer)) {
    return {
      problem: `pools.resolve() returned pool ${pool.userPoolId}, which does not issue it (${pool.issuers.map((i) => i.issuer).join(' or ')})`,
      misconfigured: true,
    };
  }
  return { pool };
}

// Replica regions must be AWS regions, of a real pool: an emulator's issuer names no region.
function checkReplicaRegions(
  pool: Partial<PoolConfig>,
  path: string,
  overridden: boolean,
  issues: { field: string; message: string }[],
): readonly string[] | undefined {
  const regions = pool.replicaRegions ?? [];
  // Ill-typed values were already reported by the schema.
  if (!Array.isArray(regions)) return undefined;
  if (regions.length > 0 && overridden) {
    issues.push({
      field: `${path}replicaRegions`,
      message:
        'applies to a real pool id; with `issuer` overridden, give each replica as a pool of its own',
    });
    return undefined;
  }
  for (const [index, region] of regions.entries()) {
    const unknown = typeof region === 'string' ? unknownRegion(`${region}_`) : undefined;
    if (unknown === undefined) continue;
    const hint = unknown.nearest ? `; did you mean "${unknown.nearest}"?` : '';
    issues.push({
      field: `${path}replicaRegions.${index}`,
      message: `"${region}" is not an AWS region${hint}`,
    });
    return undefined;
  }
  return regions;
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

function urlProblem(value: unknown, allowInsecureHttp: boolean): string | undefined {
  // The schema reported an ill-typed URL already; a list of one URL would parse as that URL.
  if (typeof value !== 'string') return 'must be a string';
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return 'must be an absolute URL';
  }
  if (url.protocol === 'https:') return undefined;
  if (url.protocol !== 'http:') return 'must be an https:// URL';
  if (isLoopbackUrl(url) || allowInsecureHttp) return undefined;
  return 'http:// is accepted only on loopback hosts; use https:// or set `allowInsecureHttp`';
}

/**
 * Refuses, naming `field`, an option that must know every pool at start-up (the ALB's verifier,
 * worker threads) when the pools are resolved per issuer instead; `because` says why.
 *
 * @example
 * ```ts
 * requireListedPools(config, 'albUserClaims');
 * // ConfigError: Invalid cognito-guard config: albUserClaims: needs the pools listed, not
 * // resolved per issuer
 * ```
 */
export function requireListedPools(config: ResolvedConfig, field: string, because?: string): void {
  if (config.poolResolver === undefined) return;
  const message = 'needs the pools listed, not resolved per issuer';
  throw new ConfigError('cognito-guard config', [
    { field, message: because === undefined ? message : `${message}: ${because}` },
  ]);
}
