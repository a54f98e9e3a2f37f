// The REST API export: the cheapest exact protection per method (a Cognito user pool authorizer
// only where it checks everything the guards check), the catch-all a permissive defaultAction
// needs, a 503 for authorizer failures, and a diff that finds nothing against its own export and
// names the route of each deliberate change.

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { GuardConfig, RoutePolicy } from '@cognito-guard/core';
import {
  diffRestApi,
  exportRestApi,
  type OpenApiDocument,
  REST_SCHEMES,
  restProtectionFor,
} from '../src';

const policy = JSON.parse(
  readFileSync(join(__dirname, '..', '..', '..', 'examples', 'policy.json'), 'utf8'),
) as RoutePolicy;
const config: GuardConfig = { userPoolId: 'eu-west-1_AbCdEf123', clientId: 'web-client' };
const anyClient: GuardConfig = { userPoolId: 'eu-west-1_AbCdEf123', clientId: null };
const userPoolArn = 'arn:aws:cognito-idp:eu-west-1:123456789012:userpool/eu-west-1_AbCdEf123';
const authorizerUri =
  'arn:aws:apigateway:eu-west-1:lambda:path/2015-03-31/functions/arn:aws:lambda:eu-west-1:123456789012:function:authorizer/invocations';
const pool = {
  issuer: 'https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_AbCdEf123',
  clientIds: null,
  tokenUses: ['access' as const],
  arn: userPoolArn,
};
const clone = <T>(value: T): T => JSON.parse(JSON.stringify(value)) as T;

describe('restProtectionFor', () => {
  it('uses the Cognito authorizer only where it checks everything the guards check', () => {
    expect(restProtectionFor({ public: true }, pool, true)).toEqual({ kind: 'public' });
    expect(restProtectionFor({ scopes: ['a', 'b'] }, pool, true)).toEqual({
      kind: 'cognito',
      scopes: ['a', 'b'],
    });
    // Without scopes it takes only ID tokens: exact for an ID-token pool, never for access.
    expect(restProtectionFor({}, { ...pool, tokenUses: ['id'] }, true)).toEqual({
      kind: 'cognito',
      scopes: [],
    });
    expect(restProtectionFor({}, pool, true)).toEqual({ kind: 'lambda' });
    expect(restProtectionFor({}, { ...pool, tokenUses: ['access', 'id'] }, true)).toEqual({
      kind: 'lambda',
    });
    // It never checks the client; without the pool's ARN it cannot be named at all.
    expect(restProtectionFor({ scopes: ['a'] }, { ...pool, clientIds: ['web'] }, true)).toEqual({
      kind: 'lambda',
    });
    expect(restProtectionFor({ scopes: ['a'] }, { ...pool, arn: undefined }, true)).toEqual({
      kind: 'lambda',
    });
    for (const rule of [
      { groups: ['g'] },
      { scopes: [] },
      { allScopes: ['a'] },
      { scopes: ['a'], denyGroups: ['x'] },
    ]) {
      expect(restProtectionFor(rule, pool, true)).toEqual({ kind: 'lambda' });
    }
    expect(restProtectionFor({ scopes: ['a'] }, { ...pool, tokenUses: ['id'] }, true)).toEqual({
      kind: 'lambda',
    });
    expect(restProtectionFor({ public: true }, pool, false)).toEqual({ kind: 'lambda' });
  });
});

describe('exportRestApi', () => {
  it('writes every method of the example policy, and maps authorizer failures to 503', () => {
    const { document, routes } = exportRestApi(policy, { config, authorizerUri, userPoolArn });
    expect(routes.map((r) => [r.routeKey, r.protection.kind])).toEqual([
      ['GET /movies', 'lambda'],
      ['GET /movies/{id}', 'lambda'],
      ['GET /shows', 'lambda'],
      ['GET /shows/{id}', 'lambda'],
      ['GET /health', 'public'],
    ]);
    // defaultAction "deny": API Gateway refuses unmatched requests itself (403).
    expect(Object.keys(document.paths)).not.toContain('/{proxy+}');
    expect(document.paths['/movies/{id}']?.['get']).toMatchObject({
      parameters: [{ name: 'id', in: 'path', required: true }],
      security: [{ [REST_SCHEMES.lambda]: [] }],
    });
    expect(document.components?.securitySchemes?.[REST_SCHEMES.lambda]).toEqual({
      type: 'apiKey',
      name: 'Authorization',
      in: 'header',
      'x-amazon-apigateway-authtype': 'custom',
      'x-amazon-apigateway-authorizer': {
        type: 'request',
        identitySource: 'method.request.header.Authorization',
        authorizerUri,
        authorizerResultTtlInSeconds: 300,
      },
    });
    expect(document.components?.securitySchemes).not.toHaveProperty(REST_SCHEMES.cognito);
    expect(
      (document as unknown as Record<string, unknown>)['x-amazon-apigateway-gateway-responses'],
    ).toEqual({
      AUTHORIZER_FAILURE: expect.objectContaining({ statusCode: 503 }),
    });
  });

  it('names the pool in a Cognito authorizer with the route scopes, and adds integrations on request', () => {
    const { document, routes } = exportRestApi(
      { routes: { 'GET /movies': { scopes: ['movies/read'] }, 'POST /movies': { groups: ['g'] } } },
      { config: anyClient, authorizerUri, userPoolArn, integrationUri: 'arn:integration' },
    );
    expect(routes.map((r) => r.protection.kind)).toEqual(['cognito', 'lambda']);
    expect(document.paths['/movies']?.['get']).toMatchObject({
      security: [{ [REST_SCHEMES.cognito]: ['movies/read'] }],
      'x-amazon-apigateway-integration': {
        type: 'aws_proxy',
        httpMethod: 'POST',
        uri: 'arn:integration',
      },
    });
    expect(document.components?.securitySchemes?.[REST_SCHEMES.cognito]).toEqual({
      type: 'apiKey',
      name: 'Authorization',
      in: 'header',
      'x-amazon-apigateway-authtype': 'cognito_user_pools',
      'x-amazon-apigateway-authorizer': { type: 'cognito_user_pools', providerARNs: [userPoolArn] },
    });
  });

  it('turns $default and a permissive defaultAction into ANY / and ANY /{proxy+} behind the Lambda authorizer', () => {
    const permissive: RoutePolicy[] = [
      { routes: { 'GET /health': { public: true }, $default: { public: true } } },
      { defaultAction: 'authenticated' as const, routes: { 'GET /health': { public: true } } },
      { defaultAction: 'allow' as const, routes: { 'GET /health': { public: true } } },
    ];
    for (const given of permissive) {
      const { document, routes } = exportRestApi(given, { config, authorizerUri });
      expect(routes.map((r) => [r.routeKey, r.protection.kind])).toEqual([
        ['GET /health', 'public'],
        ['ANY /', 'lambda'],
        ['ANY /{proxy+}', 'lambda'],
      ]);
      expect(document.paths['/{proxy+}']?.['x-amazon-apigateway-any-method']).toMatchObject({
        parameters: [{ name: 'proxy+' }],
      });
    }
    // A policy that already has them keeps its own rules.
    const own = exportRestApi(
      { defaultAction: 'authenticated', routes: { 'ANY /{proxy+}': { groups: ['g'] } } },
      { config, authorizerUri },
    );
    expect(own.routes.map((r) => r.routeKey)).toEqual(['ANY /{proxy+}', 'ANY /']);
  });
});

describe('diffRestApi', () => {
  const options = { config: anyClient, authorizerUri, userPoolArn };
  const mixed: RoutePolicy = {
    defaultAction: 'authenticated',
    routes: {
      'GET /movies': { scopes: ['movies/read'] },
      'GET /shows': { groups: ['shows-group'] },
      'GET /health': { public: true },
    },
  };

  it('finds no drift between a policy and its own export', () => {
    expect(diffRestApi(policy, exportRestApi(policy, options).document, options)).toEqual([]);
    expect(diffRestApi(mixed, exportRestApi(mixed, options).document, options)).toEqual([]);
  });

  it('names the route of each deliberate change, on either side', () => {
    const api = exportRestApi(mixed, options).document;
    const opened = clone(api) as OpenApiDocument & {
      paths: Record<string, Record<string, { security: unknown }>>;
    };
    (opened.paths['/shows'] as Record<string, { security: unknown }>)['get'] = { security: [] };
    expect(diffRestApi(mixed, opened, options)).toEqual([
      expect.objectContaining({ route: 'GET /shows', kind: 'looser' }),
    ]);
    const widened = clone(api) as typeof opened;
    (widened.paths['/movies'] as Record<string, { security: unknown }>)['get'] = {
      security: [{ [REST_SCHEMES.cognito]: ['movies/read', 'extra'] }],
    };
    expect(diffRestApi(mixed, widened, options)).toEqual([
      expect.objectContaining({ route: 'GET /movies', kind: 'looser' }),
    ]);
    const noCatchAll = clone(api) as typeof opened;
    delete noCatchAll.paths['/{proxy+}'];
    expect(diffRestApi(mixed, noCatchAll, options)).toEqual([
      expect.objectContaining({ route: 'ANY /{proxy+}', kind: 'missing' }),
    ]);
    const otherPool = clone(api) as unknown as {
      components: { securitySchemes: Record<string, Record<string, { providerARNs: string[] }>> };
    };
    const cognito = otherPool.components.securitySchemes[REST_SCHEMES.cognito] as Record<
      string,
      { providerARNs: string[] }
    >;
    const other = 'arn:aws:cognito-idp:eu-west-1:123456789012:userpool/eu-west-1_Other';
    (cognito['x-amazon-apigateway-authorizer'] as { providerARNs: string[] }).providerARNs.push(
      other,
    );
    expect(diffRestApi(mixed, otherPool as unknown as OpenApiDocument, options)).toEqual([
      {
        route: REST_SCHEMES.cognito,
        kind: 'looser',
        message: `authorizer "${REST_SCHEMES.cognito}": trusts ${other}, not the policy's pool ${userPoolArn}`,
      },
    ]);
    // Without the pool's ARN, every pool the authorizer trusts is one the policy did not name.
    const unnamed = { ...options, userPoolArn: undefined };
    expect(diffRestApi(mixed, otherPool as unknown as OpenApiDocument, unnamed)).toContainEqual({
      route: REST_SCHEMES.cognito,
      kind: 'looser',
      message: `authorizer "${REST_SCHEMES.cognito}": trusts ${userPoolArn}, ${other}, not the policy's pool (no --user-pool-arn given)`,
    });
    const changedPolicy: RoutePolicy = {
      ...mixed,
      routes: { ...mixed.routes, 'GET /health': { groups: ['ops'] } },
    };
    expect(diffRestApi(changedPolicy, api, options)).toEqual([
      expect.objectContaining({ route: 'GET /health', kind: 'looser' }),
    ]);
  });
});

describe('exportRestApi for a guard that reads tokens from a cookie', () => {
  it('uses no Cognito authorizer, and the Lambda authorizer uncached with no identity source', () => {
    const cookie: GuardConfig = { ...anyClient, tokenSources: ['authorization', { cookie: 'id' }] };
    const { document, routes } = exportRestApi(
      { routes: { 'GET /movies': { scopes: ['movies/read'] } } },
      { config: cookie, authorizerUri, userPoolArn },
    );
    expect(routes.map((r) => r.protection.kind)).toEqual(['lambda']);
    expect(document.components?.securitySchemes).not.toHaveProperty(REST_SCHEMES.cognito);
    expect(
      document.components?.securitySchemes?.[REST_SCHEMES.lambda]?.[
        'x-amazon-apigateway-authorizer'
      ],
    ).toEqual({ type: 'request', authorizerUri, authorizerResultTtlInSeconds: 0 });
    expect(() =>
      exportRestApi(
        { routes: { 'GET /movies': { groups: ['g'] } } },
        { config: cookie, authorizerUri, authorizerCacheSeconds: 300 },
      ),
    ).toThrow(/authorizerCacheSeconds: must be 0/);
    // A deployed API whose Lambda authorizer caches its answers is drift for this guard.
    const withCache = exportRestApi(policy, { config, authorizerUri }).document;
    expect(diffRestApi(policy, clone(withCache), { config: cookie, authorizerUri })).toEqual([
      expect.objectContaining({ route: REST_SCHEMES.lambda, kind: 'cache' }),
    ]);
    const own = exportRestApi(policy, { config: cookie, authorizerUri }).document;
    expect(diffRestApi(policy, clone(own), { config: cookie, authorizerUri })).toEqual([]);
  });
});
