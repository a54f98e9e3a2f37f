// The command line: commander parses, each command module decides nothing itself but calls the
// same core functions as the guards.

import { Command, CommanderError, InvalidArgumentError, Option } from 'commander';
import { diffCommand, exportCommand } from './commands/apigateway';
import { decodeCommand } from './commands/decode';
import { explainCommand } from './commands/explain';
import { issuerServeCommand, mintCommand } from './commands/issuer';
import { lintCommand } from './commands/lint';
import { matrixCommand } from './commands/matrix';
import { revokeCommand } from './commands/revoke';
import { verifyCommand } from './commands/verify';
import { CliError, EXIT } from './exit-codes';
import type { Io } from './io';

const list = (value: string): string[] =>
  value
    .split(',')
    .map((item) => item.trim())
    .filter((item) => item !== '');

const seconds = (value: string): number => {
  const parsed = Number(value);
  if (!Number.isInteger(parsed))
    throw new InvalidArgumentError('must be a whole number of seconds');
  return parsed;
};

const instant = (value: string): Date => {
  const date = /^\d+$/.test(value) ? new Date(Number(value) * 1000) : new Date(value);
  if (Number.isNaN(date.getTime())) {
    throw new InvalidArgumentError('must be an ISO 8601 date or seconds since the epoch');
  }
  return date;
};

const positiveSeconds = (value: string): number => {
  const parsed = seconds(value);
  if (parsed <= 0) throw new InvalidArgumentError('must be greater than 0');
  return parsed;
};

const replicaCount = (value: string): number => {
  const parsed = Number(value);
  if (!Number.isSafeInteger(parsed) || parsed < 0) {
    throw new InvalidArgumentError('must be a whole number, 0 or more');
  }
  return parsed;
};

// RFC 9110's method token: an empty or spaced method is no request a guard could be asked about.
const httpMethod = (value: string): string => {
  if (!/^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/.test(value)) {
    throw new InvalidArgumentError('must be an HTTP method, such as GET');
  }
  return value;
};

const port = (value: string): number => {
  const parsed = Number(value);
  if (!Number.isInteger(parsed) || parsed < 0 || parsed > 65535) {
    throw new InvalidArgumentError('must be a port number (0-65535)');
  }
  return parsed;
};

function poolOptions(command: Command): Command {
  return command
    .option('--user-pool-id <id>', 'user pool id (or COGNITO_USER_POOL_ID)')
    .option('--client-id <ids>', 'allowed app client id(s), comma-separated (or COGNITO_CLIENT_ID)')
    .addOption(
      new Option('--token-use <use>', 'token kind (or COGNITO_TOKEN_USE)').choices([
        'access',
        'id',
        'any',
      ]),
    )
    .option('--issuer <url>', 'expected iss, for emulators (or COGNITO_ISSUER)')
    .option('--jwks-uri <url>', 'where keys are fetched (or COGNITO_JWKS_URI)');
}

/**
 * Runs the CLI on `argv` (without `node` and the script) and resolves to its exit code.
 *
 * @example
 * ```ts
 * process.exitCode = await runCli(process.argv.slice(2), processIo(), stopSignal);
 * ```
 */
export async function runCli(
  argv: readonly string[],
  io: Io,
  stop: Promise<unknown>,
): Promise<number> {
  let code: number = EXIT.ok;
  const program = new Command('cognito-guard')
    .description(
      'Decode and verify Cognito tokens, explain and lint route policies, run a local issuer.',
    )
    .exitOverride()
    .configureOutput({
      writeOut: (text) => io.out(text.trimEnd()),
      writeErr: (text) => io.err(text.trimEnd()),
    })
    .showSuggestionAfterError();

  program
    .command('decode')
    .description("print a token's header and claims, NOT verified (use - to read standard input)")
    .argument('<token>', 'the token, or - for standard input')
    .option('--json', 'JSON output')
    .action(async (token: string, options) => {
      code = await decodeCommand(token, options, io);
    });

  poolOptions(
    program
      .command('verify')
      .description(
        'verify a token exactly as the guards do (exit 0 valid, 1 invalid, 3 keys unavailable)',
      )
      .argument('<token>', 'the token, or - for standard input'),
  )
    .option('--json', 'JSON output')
    .action(async (token: string, options) => {
      code = await verifyCommand(token, options, io);
    });

  poolOptions(
    program
      .command('explain')
      .description(
        'which route matched and why, which rule applied, and the exact answer (exit 0 allowed, 1 denied)',
      )
      .requiredOption('--policy <file>', 'route policy JSON file')
      .requiredOption('--path <path>', 'request path, as received')
      .option('--method <method>', 'request method', httpMethod, 'GET')
      .option('--token <token>', 'a real token, verified with the pool options or environment')
      .option(
        '--groups <groups>',
        'or: a caller in these groups (comma-separated), on a local issuer',
        list,
      )
      .option('--scopes <scopes>', 'and these scopes', list)
      .option(
        '--header <header>',
        'a request header, "Name: value" (repeatable), e.g. an X-HTTP-Method-Override',
        (value: string, previous: string[] = []) => [...previous, value],
      ),
  )
    .option('--json', 'JSON output')
    .action(async (options) => {
      code = await explainCommand(options, io);
    });

  program
    .command('lint')
    .description('validate a route policy as start-up does, then warn about risky patterns')
    .argument('<policy>', 'route policy JSON file')
    .option('--strict', 'exit 1 on warnings too')
    .option('--json', 'JSON output')
    .action(async (path: string, options) => {
      code = await lintCommand(path, options, io);
    });

  program
    .command('matrix')
    .description('a route × group table of statuses, decided by the guards on real tokens')
    .argument('<policy>', 'route policy JSON file')
    .option(
      '--groups <groups>',
      'columns (comma-separated); default: every group the policy names',
      list,
    )
    .addOption(
      new Option('--format <format>', 'output format')
        .choices(['text', 'markdown', 'json'])
        .default('text'),
    )
    .action(async (path: string, options) => {
      code = await matrixCommand(path, options, io);
    });

  const AUTHORIZER_URI = '--authorizer-uri <uri>';
  const authorizerHelp =
    "the Lambda authorizer's invocation URI (arn:aws:apigateway:…/invocations), for routes a native authorizer cannot enforce";
  poolOptions(
    program
      .command('export')
      .description(
        'the API Gateway side of a policy: an HTTP or REST API OpenAPI document, or a SAM template, each route with the cheapest exact authorizer',
      )
      .requiredOption('--policy <file>', 'route policy JSON file')
      .option(AUTHORIZER_URI, `${authorizerHelp} (required for the OpenAPI formats)`)
      .addOption(
        new Option('--format <format>', 'output format')
          .choices(['openapi-http', 'openapi-rest', 'sam'])
          .default('openapi-http'),
      )
      .option(
        '--user-pool-arn <arn>',
        'REST: the pool ARN, so routes a Cognito user pool authorizer enforces exactly get one',
      )
      .option('--integration-uri <uri>', 'REST: a Lambda proxy integration for every method')
      .option(
        '--handlers <file>',
        'SAM: JSON mapping route keys (or "*") to the handler that serves them, e.g. {"GET /movies": "handlers.movies"}',
      )
      .option(
        '--authorizer-handler <handler>',
        "SAM: the authorizer function's handler",
        'authorizer.handler',
      )
      .option('--code-uri <path>', 'SAM: where the built code is', 'dist/')
      .option(
        '--cors-origin <origins>',
        'HTTP/SAM: let API Gateway answer CORS preflights for these origins (comma-separated)',
        list,
      ),
  ).action(async (options) => {
    code = await exportCommand(options, io);
  });

  poolOptions(
    program
      .command('diff')
      .description(
        'drift between an exported HTTP or REST API (OpenAPI JSON) and a policy (exit 0 none, 1 drift)',
      )
      .requiredOption('--policy <file>', 'route policy JSON file')
      .requiredOption('--openapi <file>', 'the API as exported by API Gateway (OAS30, JSON)')
      .option(AUTHORIZER_URI, authorizerHelp, '')
      .addOption(
        new Option(
          '--api <kind>',
          'the exported API kind (default: told from the document)',
        ).choices(['http', 'rest']),
      )
      .option('--user-pool-arn <arn>', 'REST: the pool ARN the Cognito authorizer should name'),
  )
    .option('--json', 'JSON output')
    .action(async (options) => {
      code = await diffCommand(options, io);
    });

  program
    .command('revoke')
    .description(
      "store a revocation in Redis for every guard to deny: a token's session, a session or token by id, or a user's sign-out (exit 0 stored, 3 Redis unreachable)",
    )
    .option('--redis-url <url>', 'redis:// or rediss:// URL (or COGNITO_GUARD_REDIS_URL)')
    .option(
      '--token <token>',
      "revoke this token's session (origin_jti), or the token (jti); - reads standard input",
    )
    .option('--origin-jti <id>', 'revoke one session (every token of one refresh token)')
    .option('--jti <id>', 'revoke one token')
    .option('--sub <sub>', 'sign a user out: every token authenticated at or before --at')
    .option(
      '--until <when>',
      'with --origin-jti/--jti: until when (ISO 8601 or epoch seconds)',
      instant,
    )
    .option('--at <when>', 'with --sub: the cut-off (default now)', instant)
    .option('--key-prefix <prefix>', "the guards' keyPrefix, if they set one")
    .option(
      '--replicas <n>',
      'succeed only once n replicas hold the revocation (WAIT, up to 1 s; default 0)',
      replicaCount,
    )
    .option(
      '--refresh-token-validity <seconds>',
      "the app client's refresh-token validity (default 30 days)",
      positiveSeconds,
    )
    .option('--json', 'JSON output')
    .action(async (options) => {
      code = await revokeCommand(options, io);
    });

  const issuer = program
    .command('issuer')
    .description('a local Cognito-shaped issuer for development');
  issuer
    .command('serve')
    .description('serve a JWKS on loopback and print the environment to export; Ctrl-C stops')
    .option('--port <port>', 'port (default: any free one)', port)
    .option('--user-pool-id <id>', 'pool id in the issuer URL', 'local_cognitoGuard')
    .option('--client-id <id>', 'app client id of minted tokens', 'local-client')
    .option(
      '--state <file>',
      'where the signing key is kept for mint',
      '.cognito-guard/issuer.json',
    )
    .option('--json', 'JSON output')
    .action(async (options) => {
      code = await issuerServeCommand(options, io, stop);
    });

  program
    .command('mint')
    .description('mint a token against a running `issuer serve`')
    .option('--groups <groups>', 'cognito:groups (comma-separated)', list)
    .option('--scopes <scopes>', 'scopes (comma-separated)', list)
    .addOption(
      new Option('--token-use <use>', 'token kind').choices(['access', 'id']).default('access'),
    )
    .option('--expires-in <seconds>', 'seconds until exp (negative: already expired)', seconds)
    .option('--username <name>', 'username claim')
    .option('--state <file>', 'the state file of `issuer serve`', '.cognito-guard/issuer.json')
    .option('--json', 'JSON output')
    .action(async (options) => {
      code = await mintCommand(options, io);
    });

  try {
    await program.parseAsync(argv, { from: 'user' });
    return code;
  } catch (err) {
    if (err instanceof CommanderError) {
      // --help and --version end here too, successfully.
      return err.exitCode === 0 ? EXIT.ok : EXIT.usage;
    }
    if (err instanceof CliError) {
      io.err(`cognito-guard: ${err.message}`);
      return err.exitCode;
    }
    io.err(`cognito-guard: ${(err as Error).stack ?? String(err)}`);
    return EXIT.usage;
  }
}
