// The command lines the READMEs show are ones the CLI takes: every `cognito-guard …` (or
// `npx @cognito-guard/cli …`) in a shell block or an inline code span names a command the
// binary has, with options that command's --help lists.

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { runCli } from './run-cli';

const root = join(__dirname, '..', '..', '..');
const DOCUMENTS = [
  'README.md',
  'packages/cli/README.md',
  'packages/apigateway/README.md',
  'examples/lambda-movies/README.md',
];
const INVOCATION = /^(?:npx @cognito-guard\/cli|cognito-guard) (.+)$/;
// Commands with subcommands of their own.
const GROUPS = new Set(['issuer']);

interface Documented {
  /** `README.md:995`, for a failure's message. */
  readonly at: string;
  readonly command: readonly string[];
  readonly options: readonly string[];
}

function parse(at: string, args: string): Documented {
  const words = args.replace(/#.*$/, '').trim().split(/\s+/);
  const command = GROUPS.has(words[0] ?? '') ? words.slice(0, 2) : words.slice(0, 1);
  const options = [
    ...new Set(words.flatMap((word) => /^\[?(--[a-z][a-z-]*)/.exec(word)?.[1] ?? [])),
  ];
  return { at, command, options };
}

function documentedIn(file: string): Documented[] {
  const lines = readFileSync(join(root, file), 'utf8').split('\n');
  const found: Documented[] = [];
  let shell = false;
  lines.forEach((line, index) => {
    const at = `${file}:${index + 1}`;
    if (line.startsWith('```')) shell = line === '```sh';
    else if (shell) {
      // A continued line (`\` at its end) carries on the command.
      let text = line;
      for (let next = index + 1; text.endsWith('\\'); next++) {
        text = `${text.slice(0, -1)} ${lines[next] ?? ''}`;
      }
      const invocation = INVOCATION.exec(text.trim());
      if (invocation?.[1]) found.push(parse(at, invocation[1]));
    } else {
      for (const span of line.matchAll(/`([^`]+)`/g)) {
        const invocation = INVOCATION.exec(span[1] ?? '');
        if (invocation?.[1]) found.push(parse(at, invocation[1]));
      }
    }
  });
  return found;
}

const documented = DOCUMENTS.flatMap(documentedIn);

describe('the command lines the READMEs show', () => {
  it('are found', () => {
    expect(documented.length).toBeGreaterThanOrEqual(15);
  });

  const commands = [...new Set(documented.map((d) => d.command.join(' ')))];
  it.each(commands)('cognito-guard %s: exists, with every option shown for it', async (command) => {
    const help = await runCli([...command.split(' '), '--help']);
    expect(help.code).toBe(0);
    // An unknown command's --help prints the program's help instead.
    expect(help.stdout).toContain(`Usage: cognito-guard ${command} `);
    const unknown = documented
      .filter((d) => d.command.join(' ') === command)
      .flatMap((d) =>
        d.options
          .filter((option) => !new RegExp(`(^|[\\s,])${option}\\b`, 'm').test(help.stdout))
          .map((option) => `${d.at}: ${option}`),
      );
    expect(unknown).toEqual([]);
  });
});
