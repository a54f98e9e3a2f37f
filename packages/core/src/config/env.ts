// Configuration from environment variables, so `requireGroups('movies-group')` needs nothing else.

import { ConfigError, type ConfigIssue } from './config-error';
import { withSource } from './config-source';
import type { GuardConfig, TokenSource, TokenUseSetting } from './types';

/**
 * The variable that turns on the `offload` option for the env-bound guards of the adapters that
 * serve HTTP (read by `verifyInWorkersFromEnv`, not by {@link configFromEnv}).
 */
export const VERIFY_THREADS_VARIABLE = 'COGNITO_VERIFY_THREADS';

/** Environment variables read by {@link configFromEnv}. */
export type CognitoEnv = Readonly<Record<string, string | undefined>>;

/**
 * Reads a guard configuration from environment variables:
 *
 * | variable | meaning |
 * |---|---|
 * | `COGNITO_USER_POOL_ID` | required; comma-separated for several pools |
 * | `COGNITO_CLIENT_ID` | required; comma-separated list of allowed app clients |
 * | `COGNITO_TOKEN_USE` | `access` (default), `id` or `any` |
 * | `COGNITO_ISSUER` | optional override of the expected `iss` (emulators) |
 * | `COGNITO_JWKS_URI` | optional override of where keys are fetched |
 * | `COGNITO_ALLOW_INSECURE_HTTP` | `true` to accept `http://` URLs on non-loopback hosts |
 * | `COGNITO_REPLICA_REGIONS` | comma-separated regions the pool is replicated to (original issuer format) |
 * | `COGNITO_TOKEN_SOURCES` | comma-separated, in order: `authorization`, `alb`, `cookie:<name>` |
 * | `COGNITO_TRUSTED_ORIGINS` | comma-separated origins whose pages may send cookie or ALB tokens |
 *
 * The result still goes through full validation when a guard is created. Throws a
 * `ConfigError` naming each missing variable. `COGNITO_VERIFY_THREADS` is not read here but by
 * `verifyInWorkersFromEnv` (`@cognito-guard/core/offload`), which the env-bound guards of the
 * Express, Koa, Fastify and Hono adapters call.
 *
 * @example
 * ```ts
 * const guard = createGuard(configFromEnv(process.env));
 * ```
 */
export function configFromEnv(env: CognitoEnv): GuardConfig {
  if (env === null || typeof env !== 'object') {
    throw new ConfigError('environment', [
      { field: '', message: 'must be the environment: configFromEnv(process.env)' },
    ]);
  }
  const issues: ConfigIssue[] = [];
  const poolIds = list(env['COGNITO_USER_POOL_ID']);
  const clientIds = list(env['COGNITO_CLIENT_ID']);
  if (poolIds.length === 0) issues.push({ field: 'COGNITO_USER_POOL_ID', message: 'is required' });
  if (clientIds.length === 0) issues.push({ field: 'COGNITO_CLIENT_ID', message: 'is required' });
  const tokenUse = env['COGNITO_TOKEN_USE']?.trim() || 'access';
  if (!['access', 'id', 'any'].includes(tokenUse)) {
    issues.push({
      field: 'COGNITO_TOKEN_USE',
      message: `must be access, id or any, got "${tokenUse}"`,
    });
  }
  const insecure = env['COGNITO_ALLOW_INSECURE_HTTP']?.trim();
  if (insecure !== undefined && insecure !== '' && insecure !== 'true' && insecure !== 'false') {
    issues.push({ field: 'COGNITO_ALLOW_INSECURE_HTTP', message: 'must be true or false' });
  }
  const tokenSources = list(env['COGNITO_TOKEN_SOURCES']).map((item) => tokenSource(item, issues));
  if (issues.length > 0) throw new ConfigError('environment', issues);
  const trustedOrigins = list(env['COGNITO_TRUSTED_ORIGINS']);
  const issuer = env['COGNITO_ISSUER']?.trim() || undefined;
  const jwksUri = env['COGNITO_JWKS_URI']?.trim() || undefined;
  const replicaRegions = list(env['COGNITO_REPLICA_REGIONS']);
  const config: GuardConfig = {
    userPoolId: poolIds.length === 1 ? (poolIds[0] as string) : poolIds,
    clientId: clientIds,
    tokenUse: tokenUse as TokenUseSetting,
    ...(issuer ? { issuer } : {}),
    ...(jwksUri ? { jwksUri } : {}),
    ...(replicaRegions.length > 0 ? { replicaRegions } : {}),
    ...(insecure === 'true' ? { allowInsecureHttp: true } : {}),
    ...(tokenSources.length > 0 ? { tokenSources: tokenSources as TokenSource[] } : {}),
    ...(trustedOrigins.length > 0 ? { trustedOrigins } : {}),
  };
  return withSource(config, ENV_FIELDS);
}

const ENV_FIELDS = {
  userPoolId: 'COGNITO_USER_POOL_ID',
  clientId: 'COGNITO_CLIENT_ID',
  tokenUse: 'COGNITO_TOKEN_USE',
  issuer: 'COGNITO_ISSUER',
  jwksUri: 'COGNITO_JWKS_URI',
  allowInsecureHttp: 'COGNITO_ALLOW_INSECURE_HTTP',
  replicaRegions: 'COGNITO_REPLICA_REGIONS',
  tokenSources: 'COGNITO_TOKEN_SOURCES',
  trustedOrigins: 'COGNITO_TRUSTED_ORIGINS',
};

// One entry of COGNITO_TOKEN_SOURCES: a source's name, or `cookie:` and the cookie's own name,
// whose case is kept (browsers send cookie names as set).
function tokenSource(item: string, issues: ConfigIssue[]): TokenSource | undefined {
  const cookie = /^cookie:(.*)$/i.exec(item)?.[1]?.trim();
  if (cookie) return { cookie };
  const name = item.toLowerCase();
  if (name === 'authorization' || name === 'alb') return name;
  issues.push({
    field: 'COGNITO_TOKEN_SOURCES',
    message: `"${item}" is not a token source: use authorization, alb or cookie:<name>`,
  });
  return undefined;
}

/**
 * Reads a variable that must be one of a few words (`true`/`false`, `token`/`api-gateway`),
 * with a default when it is unset or blank. Anything else is a `ConfigError` naming the variable.
 *
 * @example
 * ```ts
 * envChoice(process.env, 'COGNITO_CLAIMS_SOURCE', ['token', 'api-gateway'], 'token');
 * ```
 */
export function envChoice<const T extends string>(
  env: CognitoEnv,
  name: string,
  choices: readonly T[],
  fallback: T,
): T {
  const value = env[name]?.trim() || fallback;
  if (!(choices as readonly string[]).includes(value)) {
    throw new ConfigError('environment', [
      { field: name, message: `must be ${choices.join(' or ')}, got "${value}"` },
    ]);
  }
  return value as T;
}

function list(value: string | undefined): string[] {
  return (value ?? '')
    .split(',')
    .map((item) => item.trim())
    .filter((item) => item !== '');
}
