// Drift reads a file the user names: an export from AWS, or whatever else was given. Any field of
// a real export replaced by a value of any type gives drift or a ConfigError naming the field;
// never a TypeError, and never a setting of the wrong type read as absent (an
// `enableSimpleResponses: "true"` skipped would hide a cache that replays answers across routes).
// The exports' options are checked the same way, before anything is written.

import { ConfigError, type GuardConfig, type RoutePolicy } from '@cognito-guard/core';
import fc from 'fast-check';
import {
  checkApiDocument,
  corsConfiguration,
  diffHttpApi,
  diffRestApi,
  exportHttpApi,
  exportRestApi,
  exportSamTemplate,
  lambdaAuthorizerUris,
  type OpenApiDocument,
} from '../src';

const config: GuardConfig = { userPoolId: 'eu-west-1_AbCdEf123', clientId: 'web-client' };
const authorizerUri =
  'arn:aws:apigateway:eu-west-1:lambda:path/2015-03-31/functions/arn:aws:lambda:eu-west-1:123456789012:function:authorizer/invocations';
const userPoolArn = 'arn:aws:cognito-idp:eu-west-1:123456789012:userpool/eu-west-1_AbCdEf123';
const policy: RoutePolicy = {
  routes: {
    'GET /health': { public: true },
    'GET /movies': { scopes: ['movies/read'] },
    'POST /movies': { groups: ['movies-group'] },
    'ANY /shows/{proxy+}': { groups: ['shows-group'] },
  },
};

const clone = <T>(value: T): T => JSON.parse(JSON.stringify(value)) as T;
// As AWS exports them: the fields API Gateway adds beside the ones drift reads.
const httpExport = {
  ...clone(exportHttpApi(policy, { config, authorizerUri }).document),
  servers: [{ url: 'https://abc.execute-api.eu-west-1.amazonaws.com' }],
  'x-amazon-apigateway-importexport-version': '1.0',
};
const restExport = clone(exportRestApi(policy, { config, authorizerUri, userPoolArn }).document);

const message = (run: () => unknown) => {
  try {
    run();
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    return (err as ConfigError).message;
  }
  throw new Error('expected a ConfigError');
};

// Every place in a JSON value, as the keys that lead there.
function places(value: unknown, at: readonly string[] = []): string[][] {
  if (value === null || typeof value !== 'object') return [[...at]];
  return [[...at], ...Object.entries(value).flatMap(([key, inner]) => places(inner, [...at, key]))];
}
function replaced(document: unknown, at: readonly string[], value: unknown): unknown {
  if (at.length === 0) return value;
  const copy = clone(document) as Record<string, unknown>;
  let parent = copy;
  for (const key of at.slice(0, -1)) parent = parent[key] as Record<string, unknown>;
  parent[at[at.length - 1] as string] = value;
  return copy;
}
const anyValue = fc.oneof(
  fc.constantFrom(null, true, false, 0, 300, -1, '', 'true', 'REQUEST', [], {}),
  fc.constant(['a', 1]),
  fc.constant([null]),
  fc.constant({ get: null }),
);

describe('an exported API of any shape', () => {
  it.each([
    ['an HTTP API', httpExport, diffHttpApi, { config, authorizerUri }],
    ['a REST API', restExport, diffRestApi, { config, authorizerUri, userPoolArn }],
  ] as const)(
    '%s: any field of any type gives drift or names the field (fast-check)',
    (_kind, document, diff, options) => {
      const all = places(document);
      let refused = 0;
      fc.assert(
        fc.property(fc.nat({ max: all.length - 1 }), anyValue, (index, value) => {
          const api = replaced(document, all[index] as string[], value) as OpenApiDocument;
          for (const run of [() => diff(policy, api, options), () => lambdaAuthorizerUris(api)]) {
            try {
              expect(Array.isArray(run())).toBe(true);
            } catch (err) {
              if (!(err instanceof ConfigError)) throw err;
              expect(err.message).toMatch(/^Invalid exported API: /);
              refused++;
            }
          }
        }),
        { numRuns: 1000 },
      );
      // Some fields are read and some are not: both outcomes are reached.
      expect(refused).toBeGreaterThan(0);
    },
  );

  it('takes the exports as written, with no drift against their policy', () => {
    expect(checkApiDocument(httpExport)).toBe(httpExport);
    expect(diffHttpApi(policy, httpExport, { config, authorizerUri })).toEqual([]);
    expect(diffRestApi(policy, restExport, { config, authorizerUri, userPoolArn })).toEqual([]);
  });

  const authorizer = (fields: object) => ({
    ...clone(httpExport),
    components: {
      securitySchemes: {
        simple: {
          type: 'apiKey',
          'x-amazon-apigateway-authorizer': { type: 'request', ...fields },
        },
      },
    },
  });
  it.each([
    ['no document', null, '(root): must be object, got null'],
    [
      'an operation left null',
      { paths: { '/movies': { get: null } } },
      'paths./movies.get: must be object, got null',
    ],
    [
      'a security requirement that is no list',
      { paths: { '/movies': { get: { security: { jwt: [] } } } } },
      'paths./movies.get.security: must be array, got an object',
    ],
    [
      'simple responses spelt as a string',
      authorizer({ enableSimpleResponses: 'true' }),
      'components.securitySchemes.simple.x-amazon-apigateway-authorizer.enableSimpleResponses: must be boolean, got "true"',
    ],
    [
      'a Cognito authorizer naming one pool as a string',
      authorizer({ type: 'cognito_user_pools', providerARNs: userPoolArn }),
      // A long value is cut short in the message.
      'components.securitySchemes.simple.x-amazon-apigateway-authorizer.providerARNs: must be array, got "arn:aws:cognito-idp:eu-west-1:1234567890…"',
    ],
    [
      'a JWT audience as a string',
      authorizer({
        type: 'jwt',
        jwtConfiguration: { issuer: 'https://x', audience: 'web-client' },
      }),
      'components.securitySchemes.simple.x-amazon-apigateway-authorizer.jwtConfiguration.audience: must be array, got "web-client"',
    ],
  ])('names %s', (_name, document, problem) => {
    expect(message(() => diffHttpApi(policy, document as never, { config, authorizerUri }))).toBe(
      `Invalid exported API: ${problem}`,
    );
  });
});

describe("the exports' options", () => {
  it.each([
    [
      'exportHttpApi without options',
      () => exportHttpApi(policy, undefined as never),
      "Invalid exportHttpApi options: config: must be the guards' configuration: configFromEnv(process.env), or { userPoolId, clientId }; authorizerUri: is required",
    ],
    [
      'a cache API Gateway refuses',
      () => exportHttpApi(policy, { config, authorizerUri, authorizerCacheSeconds: 86_400 }),
      'Invalid exportHttpApi options: authorizerCacheSeconds: must be a whole number of seconds, 0 to 3600',
    ],
    ...[-1, 1.5, '300'].map((ttl): [string, () => unknown, string] => [
      `a cache TTL of ${JSON.stringify(ttl)}`,
      () => exportRestApi(policy, { config, authorizerUri, authorizerCacheSeconds: ttl as never }),
      'Invalid exportRestApi options: authorizerCacheSeconds: must be a whole number of seconds, 0 to 3600',
    ]),
    [
      'CORS without an origin',
      () => exportHttpApi(policy, { config, authorizerUri, cors: { allowOrigins: [] } }),
      'Invalid exportHttpApi options: cors.allowOrigins: must list at least one origin',
    ],
    [
      'CORS origins as a string',
      () =>
        exportHttpApi(policy, {
          config,
          authorizerUri,
          cors: { allowOrigins: 'https://a' } as never,
        }),
      'Invalid exportHttpApi options: cors.allowOrigins: must be array, got "https://a"',
    ],
    [
      'a misspelt REST option',
      () => exportRestApi(policy, { config, authorizerUri, userPoolARN: userPoolArn } as never),
      'Invalid exportRestApi options: userPoolARN: is not a known option; did you mean "userPoolArn"?',
    ],
    [
      'a SAM export without handlerFor',
      () => exportSamTemplate(policy, { config } as never),
      'Invalid exportSamTemplate options: handlerFor: must be a function from a route key to its handler',
    ],
    [
      'CORS settings without origins',
      () => corsConfiguration({ allowMethods: ['GET'] } as never),
      'Invalid corsConfiguration: allowOrigins: is required',
    ],
  ])('names the option: %s', (_name, run, problem) => {
    expect(message(run)).toBe(problem);
  });

  it('takes every documented option', () => {
    const cors = { allowOrigins: ['https://app.example'], allowMethods: ['GET'], maxAge: 60 };
    const http = { config, authorizerUri, title: 't', authorizerCacheSeconds: 0, cors };
    expect(exportHttpApi(policy, http).routes).toHaveLength(4);
    const rest = { config, authorizerUri, userPoolArn, integrationUri: 'u', title: 't' };
    expect(exportRestApi(policy, { ...rest, authorizerCacheSeconds: 3600 }).routes).toHaveLength(4);
    const sam = exportSamTemplate(policy, {
      config,
      handlerFor: () => 'handlers.movies',
      authorizerHandler: 'authorizer.handler',
      codeUri: 'dist/',
      runtime: 'nodejs22.x',
      description: 'd',
      cors,
    });
    expect(sam.yaml).toContain('handlers.movies');
  });
});
