// `decode`: a token's header and claims, its times in words, and its pool and region, without
// verifying anything, and saying so.

import { decomposeToken } from '@cognito-guard/core/advanced';
import { CliError, EXIT } from '../exit-codes';
import { type Io, paint, printJson } from '../io';
import { readToken } from '../token-input';

const TIME_CLAIMS = ['exp', 'iat', 'auth_time', 'nbf'] as const;
const COGNITO_ISSUER =
  /^https:\/\/cognito-idp\.([a-z0-9-]+)\.amazonaws\.com\/([\w-]+_[0-9A-Za-z]+)$/;

/** A claim that is a time, as a date and relative to now. */
export interface DecodedTime {
  readonly iso: string;
  readonly relative: string;
}

/**
 * Decodes a token (or `-` for standard input) without verifying it.
 *
 * @example
 * ```ts
 * await decodeCommand('eyJ…', { json: true }, processIo());
 * ```
 */
export async function decodeCommand(
  tokenArgument: string,
  options: { readonly json?: boolean },
  io: Io,
): Promise<number> {
  const token = await readToken(tokenArgument, io);
  let parts: ReturnType<typeof decomposeToken>;
  try {
    parts = decomposeToken(token, 'api');
  } catch (err) {
    throw new CliError(`not a JWT the guards would read: ${(err as Error).message}`, EXIT.refused);
  }
  const claims = parts.payload as Record<string, unknown>;
  const times: Record<string, DecodedTime> = {};
  for (const name of TIME_CLAIMS) {
    const value = claims[name];
    if (typeof value === 'number') times[name] = describeTime(name, value, Date.now());
  }
  const issuer = typeof claims['iss'] === 'string' ? claims['iss'] : undefined;
  const match = issuer === undefined ? null : COGNITO_ISSUER.exec(issuer);
  const pool = match ? { region: match[1], userPoolId: match[2] } : undefined;
  if (options.json) {
    printJson(io, { verified: false, header: parts.header, claims, times, pool: pool ?? null });
    return EXIT.ok;
  }
  io.out(
    paint(
      io,
      'yellow',
      'NOT VERIFIED: decoded only; signature, issuer and expiry unchecked. Use `cognito-guard verify`.',
    ),
  );
  io.out(paint(io, 'bold', 'header'));
  io.out(JSON.stringify(parts.header, null, 2));
  io.out(paint(io, 'bold', 'claims'));
  io.out(JSON.stringify(claims, null, 2));
  for (const [name, time] of Object.entries(times))
    io.out(`${name}: ${time.iso} (${time.relative})`);
  io.out(
    pool
      ? `pool: ${pool.userPoolId} in ${pool.region}`
      : `issuer: ${issuer ?? '(none)'} is not a Cognito user pool URL`,
  );
  return EXIT.ok;
}

/**
 * A time claim in words: `expires in 12 min`, `issued 3 h ago`.
 *
 * @example
 * ```ts
 * describeTime('exp', 1_700_000_720, 1_700_000_000_000).relative; // 'expires in 12 min'
 * ```
 */
export function describeTime(name: string, seconds: number, now: number): DecodedTime {
  const delta = Math.round(seconds - now / 1000);
  const span = words(Math.abs(delta));
  const future = delta > 0;
  const relative =
    name === 'exp'
      ? future
        ? `expires in ${span}`
        : `expired ${span} ago`
      : name === 'nbf'
        ? future
          ? `valid in ${span}`
          : `valid since ${span} ago`
        : future
          ? `${span} in the future`
          : `${span} ago`;
  return { iso: new Date(seconds * 1000).toISOString(), relative };
}

function words(seconds: number): string {
  if (seconds < 90) return `${seconds} s`;
  if (seconds < 90 * 60) return `${Math.round(seconds / 60)} min`;
  if (seconds < 48 * 3600) return `${Math.round(seconds / 3600)} h`;
  return `${Math.round(seconds / 86400)} days`;
}
