// Where the CLI writes, and whether it may use colour: only on a terminal, never with NO_COLOR.

import { styleText } from 'node:util';

/** The process streams as the commands see them; tests and embedders can supply their own. */
export interface Io {
  readonly out: (text: string) => void;
  readonly err: (text: string) => void;
  /** Reads all of standard input (for `decode -`). */
  readonly readStdin: () => Promise<string>;
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly colour: boolean;
}

/**
 * The real process's streams.
 *
 * @example
 * ```ts
 * process.exitCode = await runCli(process.argv.slice(2), processIo(), stopSignal);
 * ```
 */
export function processIo(): Io {
  return {
    out: (text) => process.stdout.write(`${text}\n`),
    err: (text) => process.stderr.write(`${text}\n`),
    readStdin: async () => {
      const chunks: Buffer[] = [];
      for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
      return Buffer.concat(chunks).toString('utf8');
    },
    env: process.env,
    colour: process.stdout.isTTY === true && !process.env['NO_COLOR'],
  };
}

type Style = 'green' | 'red' | 'yellow' | 'bold' | 'dim';

/** Styles text when the output is a terminal; plain text otherwise. */
export function paint(io: Io, style: Style, text: string): string {
  return io.colour ? styleText(style, text) : text;
}

/** Prints a value as JSON, two-space indented. */
export function printJson(io: Io, value: unknown): void {
  io.out(JSON.stringify(value, null, 2));
}
