// A guard built from pool flags and the environment; its configuration errors are usage errors.

import { ConfigError, createGuard, type Guard, type GuardConfig } from '@cognito-guard/core';
import { CliError, EXIT } from './exit-codes';
import { guardConfig, type PoolFlags } from './guard-config';
import type { Io } from './io';

/**
 * Creates the guard `verify` and `explain --token` use, with start-up's own validation, and
 * returns the configuration it was built from (the authorizer `explain` runs is built from it too).
 *
 * @example
 * ```ts
 * const { guard } = guardFor({ userPoolId, clientId }, io);
 * ```
 */
export function guardFor(flags: PoolFlags, io: Io): { guard: Guard; config: GuardConfig } {
  const config = guardConfig(flags, io);
  try {
    return { guard: createGuard(config), config };
  } catch (err) {
    if (err instanceof ConfigError) throw new CliError(err.message, EXIT.usage);
    throw err;
  }
}
