// A throw-away loopback issuer and a guard that trusts it, so that `explain --groups` and
// `matrix` run the guards' real pipeline on real tokens instead of a second copy of it.

import { createGuard, type Guard, type GuardConfig } from '@cognito-guard/core';
import { createTestIssuer } from '@cognito-guard/testing';

/** Mints an access token carrying these groups and scopes. */
export type Mint = (groups: readonly string[], scopes?: readonly string[]) => string;

/**
 * Runs `work` with a guard and a token minter on a loopback issuer, stopped afterwards.
 *
 * @example
 * ```ts
 * const status = await withLocalIssuer(async (guard, mint) => (await guard.check(bearer(mint(['admins'])))).status);
 * ```
 */
export async function withLocalIssuer<T>(
  work: (guard: Guard, mint: Mint, config: GuardConfig) => Promise<T>,
): Promise<T> {
  const issuer = await createTestIssuer({ userPoolId: 'local_cli' }).start();
  try {
    const guard = createGuard(issuer.config);
    return await work(
      guard,
      (groups, scopes = []) => issuer.accessToken({ groups: [...groups], scopes: [...scopes] }),
      issuer.config,
    );
  } finally {
    await issuer.stop();
  }
}
