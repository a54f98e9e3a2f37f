// Shared set-up: a real loopback issuer and a guard that trusts it.

import { createTestIssuer, type TestIssuer } from '@cognito-guard/testing';
import { ConfigError, createGuard, type Guard, type GuardConfig, type RequestLike } from '../src';

export async function startIssuer(
  options: Parameters<typeof createTestIssuer>[0] = {},
): Promise<TestIssuer> {
  return createTestIssuer(options).start();
}

export function guardFor(issuer: TestIssuer, extra: Partial<GuardConfig> = {}): Guard {
  return createGuard({ ...issuer.config, ...extra });
}

export function bearer(token: string, method = 'GET', path = '/'): RequestLike {
  return { method, path, headers: { authorization: `Bearer ${token}` } };
}

export function request(headers: RequestLike['headers'], method = 'GET', path = '/'): RequestLike {
  return { method, path, headers };
}

/**
 * Runs `make` with `COGNITO_GUARD_LOG=debug`, restoring the variable after: a guard reads it when
 * it is created, so only the creation needs it set.
 */
export function withDebugLog<T>(make: () => T): T {
  const previous = process.env['COGNITO_GUARD_LOG'];
  process.env['COGNITO_GUARD_LOG'] = 'debug';
  try {
    return make();
  } finally {
    if (previous === undefined) delete process.env['COGNITO_GUARD_LOG'];
    else process.env['COGNITO_GUARD_LOG'] = previous;
  }
}

/** The message of the `ConfigError` that `run` throws; fails the test if it throws nothing else. */
export function configErrorMessage(run: () => unknown): string {
  try {
    run();
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    return (err as ConfigError).message;
  }
  throw new Error('expected a ConfigError');
}

// Everything jest can fake but Date: servers, sockets and key fetches keep their real timers.
const REAL_TIMERS = [
  'hrtime',
  'nextTick',
  'performance',
  'queueMicrotask',
  'setImmediate',
  'clearImmediate',
  'setInterval',
  'clearInterval',
  'setTimeout',
  'clearTimeout',
] as const;

/** Moves only the clock (`Date`) to `now`; undo with `jest.useRealTimers()`. */
export function clockAt(now: number): void {
  jest.useFakeTimers({ now, doNotFake: [...REAL_TIMERS] });
}
