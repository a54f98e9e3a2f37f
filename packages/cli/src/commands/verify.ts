// `verify`: the guards' own verification of one token. Prints the principal, or the exact
// reason and status; keys that cannot be fetched exit 3, never 1.

import { type AuthError, isAuthError, type Principal } from '@cognito-guard/core';
import { EXIT } from '../exit-codes';
import type { PoolFlags } from '../guard-config';
import { guardFor } from '../guard-for';
import { type Io, paint, printJson } from '../io';
import { readToken } from '../token-input';

/**
 * Verifies a token with the configuration the guards would use.
 *
 * @example
 * ```ts
 * const code = await verifyCommand(token, { userPoolId, clientId }, io); // 0 valid, 1 invalid, 3 keys unavailable
 * ```
 */
export async function verifyCommand(
  tokenArgument: string,
  options: PoolFlags & { readonly json?: boolean },
  io: Io,
): Promise<number> {
  const token = await readToken(tokenArgument, io);
  const { guard } = guardFor(options, io);
  try {
    const principal = await guard.authenticate({
      method: 'GET',
      path: '/',
      headers: { authorization: `Bearer ${token}` },
    });
    if (options.json) printJson(io, { valid: true, principal: summary(principal) });
    else {
      io.out(paint(io, 'green', 'valid'));
      for (const [name, value] of Object.entries(summary(principal))) {
        io.out(`${name}: ${Array.isArray(value) ? value.join(', ') || '(none)' : String(value)}`);
      }
    }
    return EXIT.ok;
  } catch (err) {
    if (!isAuthError(err)) throw err;
    return refusal(err, options.json === true, io);
  }
}

function refusal(error: AuthError, json: boolean, io: Io): number {
  const unavailable = error.status === 503;
  const cause = (error as { cause?: unknown }).cause;
  const detail = {
    valid: false,
    status: error.status,
    reason: error.reason,
    description: error.description,
    wwwAuthenticate: error.headers['WWW-Authenticate'] ?? null,
    cause: cause instanceof Error ? cause.message : null,
  };
  if (json) printJson(io, detail);
  else {
    io.out(paint(io, 'red', unavailable ? 'keys unavailable: nothing was decided' : 'invalid'));
    io.out(`status: ${detail.status}`);
    io.out(`reason: ${detail.reason}`);
    io.out(`description: ${detail.description}`);
    if (detail.wwwAuthenticate) io.out(`WWW-Authenticate: ${detail.wwwAuthenticate}`);
    if (detail.cause) io.out(`cause: ${detail.cause}`);
  }
  return unavailable ? EXIT.unavailable : EXIT.refused;
}

/** What the guards put on `req.auth`, as the CLI prints it. */
export function summary(principal: Principal): Record<string, unknown> {
  return {
    sub: principal.sub,
    username: principal.username ?? null,
    tokenUse: principal.tokenUse,
    clientId: principal.clientId ?? null,
    userPoolId: principal.userPoolId,
    groups: principal.groups,
    scopes: principal.scopes,
    expiresAt: new Date(principal.expiresAt * 1000).toISOString(),
  };
}
