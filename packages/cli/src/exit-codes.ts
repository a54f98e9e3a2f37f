// Exit codes scripts can rely on: an outage must never read as a bad token.

/** What each exit code of `cognito-guard` means. */
export const EXIT = {
  /** Allowed, valid, clean. */
  ok: 0,
  /** Denied, invalid, or the policy has errors. */
  refused: 1,
  /** The command line or an input file is unusable. */
  usage: 2,
  /** Signing keys (or another dependency) could not be reached: nothing was decided. */
  unavailable: 3,
} as const;

/** One of {@link EXIT}'s values. */
export type ExitCode = (typeof EXIT)[keyof typeof EXIT];

/**
 * A failure that ends the command with a message and an exit code.
 *
 * @example
 * ```ts
 * throw new CliError('policy.json: not JSON', EXIT.usage); // prints the message, exits 2
 * ```
 */
export class CliError extends Error {
  readonly exitCode: ExitCode;
  constructor(message: string, exitCode: ExitCode) {
    super(message);
    this.name = 'CliError';
    this.exitCode = exitCode;
  }
}
