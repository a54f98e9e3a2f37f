// `export` and `diff`: the API Gateway side of a route policy, and drift between a deployed API
// and the policy. Both call @cognito-guard/apigateway; the pool comes from the same flags and
// environment as `verify`.

import { readFileSync } from 'node:fs';
import {
  checkApiDocument,
  diffHttpApi,
  diffRestApi,
  exportHttpApi,
  exportRestApi,
  exportSamTemplate,
  lambdaAuthorizerUris,
  type OpenApiDocument,
  type RestApiExportOptions,
} from '@cognito-guard/apigateway';
import { ConfigError, type RoutePolicy } from '@cognito-guard/core';
import { CliError, EXIT } from '../exit-codes';
import { guardConfig, type PoolFlags } from '../guard-config';
import { type Io, paint, printJson } from '../io';
import { readPolicyFile } from '../policy-file';

/** Options of {@link exportCommand} and {@link diffCommand}. */
export interface ApiGatewayOptions extends PoolFlags {
  readonly policy: string;
  /** The Lambda authorizer's invocation URI, for routes only it can enforce. */
  readonly authorizerUri?: string;
  /** REST only: the user pool's ARN, for routes a Cognito user pool authorizer enforces exactly. */
  readonly userPoolArn?: string;
  /** REST only: a Lambda proxy integration for every method. */
  readonly integrationUri?: string;
  readonly json?: boolean;
}

/** Which API Gateway flavour a document is for. */
export type ApiFlavour = 'http' | 'rest';

/**
 * Prints the HTTP or REST API OpenAPI document for a policy (exit 0), or refuses a policy with
 * errors (1).
 *
 * @example
 * ```ts
 * await exportCommand({ policy: 'policy.json', authorizerUri, userPoolId, clientId, format: 'openapi-rest' }, io);
 * ```
 */
export async function exportCommand(
  options: ApiGatewayOptions &
    SamFlags & { readonly format: 'openapi-http' | 'openapi-rest' | 'sam' },
  io: Io,
): Promise<number> {
  const { policy, settings } = prepare(options, io);
  if (options.format === 'sam') {
    const handlerFor = handlersFrom(options.handlers);
    const { yaml } = refusingBadPolicies(() =>
      exportSamTemplate(policy, {
        config: settings.config,
        handlerFor,
        authorizerHandler: options.authorizerHandler,
        codeUri: options.codeUri,
        cors: corsOf(options),
      }),
    );
    io.out(
      `# Generated from ${options.policy} by \`cognito-guard export --format sam\`: edit the policy, not this file.`,
    );
    io.out(yaml.trimEnd());
    return EXIT.ok;
  }
  if (!options.authorizerUri) {
    throw new CliError(`--authorizer-uri: is required for --format ${options.format}`, EXIT.usage);
  }
  if (options.format === 'openapi-rest' && options.corsOrigin) {
    throw new CliError(
      '--cors-origin: a REST API answers preflights only with OPTIONS methods of its own; use the HTTP API export, or CORS middleware before the guard',
      EXIT.usage,
    );
  }
  const { document } = refusingBadPolicies(() =>
    options.format === 'openapi-rest'
      ? exportRestApi(policy, settings)
      : exportHttpApi(policy, { ...httpSettings(settings), cors: corsOf(options) }),
  );
  printJson(io, document);
  return EXIT.ok;
}

function corsOf(options: SamFlags) {
  return options.corsOrigin?.length ? { allowOrigins: options.corsOrigin } : undefined;
}

/** Flags of `export --format sam` (and `--cors-origin`, for HTTP APIs too). */
export interface SamFlags {
  readonly corsOrigin?: readonly string[];
  /** A JSON file mapping route keys (or `*`) to handlers. */
  readonly handlers?: string;
  readonly authorizerHandler?: string;
  readonly codeUri?: string;
}

// Which function serves a route: the file's entry for the route key, else its "*" entry.
function handlersFrom(path: string | undefined): (routeKey: string) => string {
  if (path === undefined)
    throw new CliError('--handlers: is required for --format sam', EXIT.usage);
  let map: Record<string, unknown>;
  try {
    map = JSON.parse(readFileSync(path, 'utf8')) as Record<string, unknown>;
  } catch (err) {
    throw new CliError(`--handlers: cannot read ${path}: ${(err as Error).message}`, EXIT.usage);
  }
  return (routeKey) => {
    const handler = map[routeKey] ?? map['*'];
    if (typeof handler !== 'string' || handler === '') {
      throw new CliError(
        `--handlers: ${path} names no handler for "${routeKey}" (and no "*")`,
        EXIT.usage,
      );
    }
    return handler;
  };
}

/**
 * Lists drift between an exported API (`aws apigatewayv2 export-api --specification OAS30`)
 * and the policy. Exit 0 without drift, 1 with.
 *
 * @example
 * ```ts
 * const code = await diffCommand({ policy: 'policy.json', openapi: 'exported.json', authorizerUri: '' }, io);
 * ```
 */
export async function diffCommand(
  options: ApiGatewayOptions & { readonly openapi: string; readonly api?: ApiFlavour },
  io: Io,
): Promise<number> {
  const { policy, settings } = prepare(options, io);
  const api = readApi(options.openapi);
  const rest = (options.api ?? flavourOf(api)) === 'rest';
  const drift = refusingBadPolicies(() =>
    rest ? diffRestApi(policy, api, settings) : diffHttpApi(policy, api, httpSettings(settings)),
  );
  const trusted = settings.authorizerUri === '' ? lambdaAuthorizerUris(api) : [];
  const warnings =
    trusted.length === 0
      ? []
      : [
          `no --authorizer-uri, so every Lambda authorizer counts as cognito-guard's: ${trusted.join(', ')}`,
        ];
  // Standard error as well as the JSON: a pipeline that only parses the JSON still sees it.
  for (const warning of warnings) io.err(paint(io, 'yellow', `cognito-guard: ${warning}`));
  if (options.json) printJson(io, { drift, warnings });
  else {
    for (const entry of drift) io.out(`${paint(io, 'red', entry.kind.padEnd(8))} ${entry.message}`);
    io.out(
      drift.length === 0
        ? `${options.openapi}: no drift from ${options.policy}`
        : `${options.openapi}: ${drift.length} difference${drift.length === 1 ? '' : 's'} from ${options.policy}`,
    );
  }
  return drift.length === 0 ? EXIT.ok : EXIT.refused;
}

function prepare(
  options: ApiGatewayOptions,
  io: Io,
): { policy: RoutePolicy; settings: RestApiExportOptions } {
  const policy = readPolicyFile(options.policy);
  return {
    policy,
    settings: {
      config: guardConfig(options, io),
      authorizerUri: options.authorizerUri ?? '',
      userPoolArn: options.userPoolArn,
      integrationUri: options.integrationUri,
    },
  };
}

// An HTTP API has no Cognito user pool authorizer nor integration to name: the REST flags are
// left out, since the HTTP API export refuses options it does not know.
const httpSettings = ({ config, authorizerUri }: RestApiExportOptions) => ({
  config,
  authorizerUri,
});

/**
 * Tells a REST API export from an HTTP API one: REST authorizers read `method.request.…`
 * identity sources and carry `x-amazon-apigateway-authtype`; HTTP APIs use `$request.…`.
 *
 * @example
 * ```ts
 * flavourOf(JSON.parse(readFileSync('exported.json', 'utf8'))); // 'rest'
 * ```
 */
export function flavourOf(api: OpenApiDocument): ApiFlavour {
  const text = JSON.stringify(api.components?.securitySchemes ?? {});
  return text.includes('x-amazon-apigateway-authtype') || text.includes('method.request.')
    ? 'rest'
    : 'http';
}

function refusingBadPolicies<T>(work: () => T): T {
  try {
    return work();
  } catch (err) {
    if (err instanceof ConfigError) throw new CliError(err.message, EXIT.refused);
    throw err;
  }
}

function readApi(path: string): OpenApiDocument {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    throw new CliError(`OpenAPI file not found: ${path}`, EXIT.usage);
  }
  try {
    const api = JSON.parse(text) as OpenApiDocument;
    if (typeof api?.paths !== 'object' || api.paths === null) throw new Error('it has no paths');
    // A field of another type than an export's is named, not read as absent.
    return checkApiDocument(api);
  } catch (err) {
    const why =
      err instanceof ConfigError
        ? err.issues.map((issue) => `${issue.field}: ${issue.message}`).join('; ')
        : (err as Error).message;
    throw new CliError(`${path} is not an OpenAPI JSON document: ${why}`, EXIT.refused);
  }
}
