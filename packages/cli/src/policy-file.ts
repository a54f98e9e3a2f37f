// Reads a route policy file and compiles it with the guards' own validation.

import { readFileSync } from 'node:fs';
import {
  type CompiledRoutePolicy,
  ConfigError,
  type Guard,
  type RoutePolicy,
} from '@cognito-guard/core';
import { CliError, EXIT } from './exit-codes';

/**
 * Reads and parses a policy file. A missing file is a usage error (2); a file that is not JSON
 * is refused (1).
 *
 * @example
 * ```ts
 * const policy = readPolicyFile('examples/policy.json');
 * ```
 */
export function readPolicyFile(path: string): RoutePolicy {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new CliError(
      code === 'ENOENT'
        ? `policy file not found: ${path}`
        : `cannot read ${path}: ${(err as Error).message}`,
      EXIT.usage,
    );
  }
  try {
    return JSON.parse(text) as RoutePolicy;
  } catch (err) {
    throw new CliError(`${path} is not JSON: ${(err as Error).message}`, EXIT.refused);
  }
}

/**
 * Compiles a policy as a guard does at start-up; its `ConfigError` message is printed as is.
 *
 * @example
 * ```ts
 * const compiled = compilePolicyFile(guard, readPolicyFile(path));
 * ```
 */
export function compilePolicyFile(guard: Guard, policy: RoutePolicy): CompiledRoutePolicy {
  try {
    return guard.compilePolicy(policy);
  } catch (err) {
    if (err instanceof ConfigError) throw new CliError(err.message, EXIT.refused);
    throw err;
  }
}
