// Validation of a whole configuration: the schema, then the checks across fields (pools.ts),
// then the defaults (defaults.ts). Every problem is reported at once, naming its field and,
// when the value came from the environment, its variable.

import { ConfigError, type ConfigIssue } from './config-error';
import { variableOf } from './config-source';
import { DEFAULTS } from './defaults';
import { describePools, resolvePool } from './pools';
import { parseConfig, poolResolverSchema } from './schema';
import type {
  GuardConfig,
  PoolResolver,
  ResolvedConfig,
  ResolvedPool,
  SignatureAlgorithm,
  TokenSource,
} from './types';
import { issuesOf } from './zod-issues';

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
  const resolver = isResolver(config.pools) ? config.pools : undefined;
  const parsed = parseConfig(resolver ? withoutPools(config) : config);
  const issues = parsed.success ? [] : [...issuesOf(parsed.error)];
  if (resolver) {
    const checked = poolResolverSchema().safeParse(resolver, { reportInput: true });
    if (!checked.success) {
      issues.push(...issuesOf(checked.error).map((i) => ({ ...i, field: `pools.${i.field}` })));
    }
  }
  const poolInputs = describePools(config, issues);
  const pools: ResolvedPool[] = [];
  // aws-jwt-verify takes each issuer once: one pool given twice is refused here, by its field.
  const givenBy = new Map<string, string>();
  for (const pool of poolInputs) {
    const resolved = resolvePool(pool.value, pool.path, config.allowInsecureHttp === true, issues);
    if (!resolved) continue;
    pools.push(resolved);
    const repeated = resolved.issuers.find(({ issuer }) => givenBy.has(issuer))?.issuer;
    if (repeated) {
      issues.push({
        field: `${pool.path}userPoolId`,
        message: `repeats ${givenBy.get(repeated) || 'an id listed before it'} ("${repeated}"): give a pool once, its clients in one \`clientId\``,
      });
    }
    for (const { issuer } of resolved.issuers) givenBy.set(issuer, pool.path.slice(0, -1));
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
    poolResolver: resolver && {
      resolve: resolver.resolve,
      maxPools: resolver.maxPools ?? DEFAULTS.maxPools,
      allowInsecureHttp: config.allowInsecureHttp === true,
    },
    graceSeconds: value.graceSeconds ?? DEFAULTS.graceSeconds,
    algorithms: (value.algorithms ?? DEFAULTS.algorithms) as readonly SignatureAlgorithm[],
    tokenSources: (value.tokenSources ?? DEFAULTS.tokenSources) as readonly TokenSource[],
    trustedOrigins: Object.freeze([...(value.trustedOrigins ?? [])]),
    maxTokenBytes: value.maxTokenBytes ?? DEFAULTS.maxTokenBytes,
    cache:
      value.cache === false
        ? false
        : {
            maxEntries: value.cache?.maxEntries ?? DEFAULTS.cache.maxEntries,
            maxAgeSeconds: value.cache?.maxAgeSeconds ?? DEFAULTS.cache.maxAgeSeconds,
          },
    jwks: { ...DEFAULTS.jwks, ...value.jwks },
    realm: value.realm ?? DEFAULTS.realm,
    caseSensitivePaths: value.caseSensitivePaths ?? DEFAULTS.caseSensitivePaths,
    onDecision: config.onDecision,
    logger: config.logger ?? console,
    albUserClaims: value.albUserClaims,
    telemetry: value.telemetry,
    offload: value.offload,
    revocation: value.revocation && {
      store: value.revocation.store,
      maxStalenessSeconds:
        value.revocation.maxStalenessSeconds ?? DEFAULTS.revocation.maxStalenessSeconds,
      onStoreUnavailable:
        value.revocation.onStoreUnavailable ?? DEFAULTS.revocation.onStoreUnavailable,
    },
  });
}

// An issue about a field read from the environment names the variable too, in the field and
// wherever the message points at another option (`set \`issuer\``).
function named(config: GuardConfig, issue: ConfigIssue): ConfigIssue {
  const root = issue.field.split('.')[0] ?? '';
  const variable = variableOf(config, root);
  const message = issue.message.replace(/`(\w+)`/g, (text, option: string) => {
    const source = variableOf(config, option);
    return source && variable ? `${text} (${source})` : text;
  });
  return { field: variable ? `${issue.field} (${variable})` : issue.field, message };
}

// A resolver is checked by its own schema (below); leaving the key out, rather than setting it
// to undefined, also spares building the schema of a pool list that is not there.
function withoutPools(config: GuardConfig): Omit<GuardConfig, 'pools'> {
  const { pools: _resolver, ...rest } = config;
  return rest;
}

function isResolver(pools: GuardConfig['pools']): pools is PoolResolver {
  return typeof pools === 'object' && pools !== null && !Array.isArray(pools);
}

function dedupe(issues: readonly { field: string; message: string }[]) {
  const seen = new Set<string>();
  return issues.filter((issue) => {
    const key = issue.field;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
