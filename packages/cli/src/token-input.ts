// A token from the command line, or from standard input with `-`.

import { CliError, EXIT } from './exit-codes';
import type { Io } from './io';

/**
 * The token argument, or standard input's text for `-`, trimmed and with any `Bearer ` prefix
 * removed. An empty one is a usage error.
 *
 * @example
 * ```ts
 * const token = await readToken('-', io);
 * ```
 */
export async function readToken(argument: string, io: Io): Promise<string> {
  const raw = argument === '-' ? await io.readStdin() : argument;
  const token = raw.trim().replace(/^bearer\s+/i, '');
  if (token === '') {
    throw new CliError(
      argument === '-' ? 'no token on standard input' : 'the token is empty',
      EXIT.usage,
    );
  }
  return token;
}
