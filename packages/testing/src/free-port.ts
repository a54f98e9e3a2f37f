// Some servers must be told their port before they start: an emulator that writes it into every
// token's issuer, a redis-server given `--port`. A port found free is free only until someone
// binds it, and test files start servers side by side, so a launch that finds its port taken is
// tried again on another rather than failing the suite that asked for it.

import { createServer } from 'node:net';
import { checkKitOptions, startOnFreePortOptionsSchema } from './kit-options';

/**
 * Resolves to a loopback port that was free when asked. Another process can bind it before
 * the caller does: {@link startOnFreePort} tries again when that happens.
 *
 * @example
 * ```ts
 * const port = await freeLoopbackPort();
 * ```
 */
export function freeLoopbackPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/** How {@link startOnFreePort} looks for a port. */
export interface StartOnFreePortOptions {
  /** How many ports to try before giving up with the last launch's error. Default 5. */
  readonly attempts?: number;
  /** Where the next port to try comes from. Default {@link freeLoopbackPort}. */
  readonly nextPort?: () => Promise<number>;
}

/**
 * Launches a server on a free loopback port, and on another when `taken(error)` says the launch
 * failed because someone bound the port first. Any other failure, or the last attempt's, rejects
 * with the launch's own error.
 *
 * @example
 * ```ts
 * const { port, started: child } = await startOnFreePort(
 *   (port) => launchEmulator(port), // rejects with the emulator's output when it cannot start
 *   (err) => String(err).includes('EADDRINUSE'),
 * );
 * ```
 */
export async function startOnFreePort<T>(
  launch: (port: number) => Promise<T>,
  taken: (error: unknown) => boolean,
  options: StartOnFreePortOptions = {},
): Promise<{ readonly port: number; readonly started: T }> {
  checkKitOptions('startOnFreePort', options, startOnFreePortOptionsSchema());
  const { attempts = 5, nextPort = freeLoopbackPort } = options;
  for (let attempt = 1; ; attempt++) {
    const port = await nextPort();
    try {
      return { port, started: await launch(port) };
    } catch (err) {
      if (attempt >= attempts || !taken(err)) throw err;
    }
  }
}
