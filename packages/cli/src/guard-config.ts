// The guard configuration for `verify` and `explain --token`: flags first, then the same
// environment variables the guards read, validated by the guards' own code.

import { ConfigError, configFromEnv, type GuardConfig } from '@cognito-guard/core';
import { CliError, EXIT } from './exit-codes';
import type { Io } from './io';

/** Pool flags shared by the commands that verify tokens. */
export interface PoolFlags {
  readonly userPoolId?: string;
  readonly clientId?: string;
  readonly tokenUse?: string;
  readonly issuer?: string;
  readonly jwksUri?: string;
}

const FLAG_OF: Record<string, [keyof PoolFlags, string]> = {
  COGNITO_USER_POOL_ID: ['userPoolId', '--user-pool-id'],
  COGNITO_CLIENT_ID: ['clientId', '--client-id'],
  COGNITO_TOKEN_USE: ['tokenUse', '--token-use'],
  COGNITO_ISSUER: ['issuer', '--issuer'],
  COGNITO_JWKS_URI: ['jwksUri', '--jwks-uri'],
};

/**
 * Builds a guard configuration from flags, falling back to the environment, through
 * `configFromEnv`, so every message is the guards' own, naming the flag or the variable.
 *
 * @example
 * ```ts
 * const config = guardConfig({ userPoolId: 'eu-west-1_AbCdEf123', clientId: 'abc' }, io);
 * ```
 */
export function guardConfig(flags: PoolFlags, io: Io): GuardConfig {
  const env: Record<string, string | undefined> = { ...io.env };
  for (const [variable, [flag]] of Object.entries(FLAG_OF)) {
    const value = flags[flag];
    if (value !== undefined) env[variable] = value;
  }
  try {
    return configFromEnv(env);
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    const lines = err.issues.map(({ field, message }) => {
      const entry = FLAG_OF[field];
      const name =
        entry && flags[entry[0]] !== undefined
          ? entry[1]
          : `${field} (or ${entry?.[1] ?? 'a flag'})`;
      return `${name}: ${message}`;
    });
    throw new CliError(`cannot verify: ${lines.join('; ')}`, EXIT.usage);
  }
}
