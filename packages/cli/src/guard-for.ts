// A guard built from pool flags and the environment; its configuration errors are usage errors.

import { ConfigError, type Guard, type GuardConfig } from '@cognito-guard/core';
import { CliError, EXIT } from './exit-codes';
import { guardConfig, type PoolFlags } from './guard-config';
import type { Io } from './io';

/**
 * Creates the guard `verify` and `explain --token` use, with start-up's own validation.
 *
 * @example
 * ```ts
 * const guard = guardFor({ userPoolId, clientId }, io, createGuard);
 * ```
 */
export function guardFor(flags: PoolFlags, io: Io, create: (config: GuardConfig) => Guard): Guard {
  const config = guardConfig(flags, io);
  try {
    return create(config);
  } catch (err) {
    if (err instanceof ConfigError) throw new CliError(err.message, EXIT.usage);
    throw err;
  }
}
