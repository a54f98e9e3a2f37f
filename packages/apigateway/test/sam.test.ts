// The SAM export: the authorizers the HTTP API export chooses, one event per route on the function
// that serves it, YAML that reads back as the same template, valid against the SAM specification's
// published JSON schema (vendored in fixtures/sam-schema, see its README), and no !Ref, !GetAtt or
// !Sub naming something the template does not define.

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { GuardConfig, RoutePolicy } from '@cognito-guard/core';
import Ajv from 'ajv-draft-04';
import fc from 'fast-check';
import { yamlParse } from 'yaml-cfn';
import { exportSamTemplate, type SamTemplate } from '../src';

const policy = JSON.parse(
  readFileSync(join(__dirname, '..', '..', '..', 'examples', 'policy.json'), 'utf8'),
) as RoutePolicy;
const config: GuardConfig = { userPoolId: 'eu-west-1_AbCdEf123', clientId: 'web' };
const handlerFor = (routeKey: string) =>
  routeKey.includes('/health')
    ? 'handlers.health'
    : routeKey.includes('/shows')
      ? 'handlers.shows'
      : 'handlers.movies';

const schema = JSON.parse(
  readFileSync(join(__dirname, 'fixtures', 'sam-schema', 'sam.schema.json'), 'utf8'),
);
const validate = new Ajv({ strict: false, allErrors: true }).compile(schema);

// biome-ignore lint/suspicious/noExplicitAny: a template's properties are read as the test expects them
type Resources = Record<string, { Type: string; Properties: Record<string, any> }>;

const PSEUDO = new Set([
  'AWS::Region',
  'AWS::AccountId',
  'AWS::StackName',
  'AWS::Partition',
  'AWS::URLSuffix',
]);

/** Every name a !Ref, !GetAtt or !Sub uses, and whether the template defines it. */
function danglingReferences(template: SamTemplate): string[] {
  const defined = new Set([
    ...Object.keys((template['Parameters'] as object) ?? {}),
    ...Object.keys((template['Resources'] as object) ?? {}),
    ...PSEUDO,
  ]);
  const dangling: string[] = [];
  const visit = (value: unknown): void => {
    if (Array.isArray(value)) {
      value.forEach(visit);
      return;
    }
    if (value === null || typeof value !== 'object') return;
    for (const [key, inner] of Object.entries(value)) {
      if (key === 'Ref' && !defined.has(inner as string)) dangling.push(`Ref ${inner}`);
      if (key === 'Fn::GetAtt') {
        const [resource] = inner as string[];
        if (!Object.keys((template['Resources'] as object) ?? {}).includes(resource as string)) {
          dangling.push(`GetAtt ${resource}`);
        }
      }
      if (key === 'Fn::Sub') {
        for (const [, name] of String(inner).matchAll(/\$\{([^}!]+)\}/g)) {
          if (!defined.has(name as string)) dangling.push(`Sub ${name}`);
        }
      }
      visit(inner);
    }
  };
  visit(template);
  return dangling;
}

function expectDeployable(template: SamTemplate, yaml: string): void {
  expect(yamlParse(yaml)).toEqual(template);
  const valid = validate(template);
  expect(valid ? [] : validate.errors?.map((e) => `${e.instancePath} ${e.message}`)).toEqual([]);
  expect(danglingReferences(template)).toEqual([]);
}

describe('exportSamTemplate', () => {
  it('writes the example policy as an HTTP API with the Lambda authorizer and one event per route', () => {
    const { template, yaml } = exportSamTemplate(policy, { config, handlerFor });
    expectDeployable(template, yaml);
    const resources = template['Resources'] as Resources;
    expect(Object.keys(resources)).toEqual([
      'Api',
      'AuthorizerFunction',
      'MoviesFunction',
      'ShowsFunction',
      'HealthFunction',
    ]);
    expect(resources['Api']?.Properties['Auth'].Authorizers).toEqual({
      CognitoGuard: {
        FunctionArn: { 'Fn::GetAtt': ['AuthorizerFunction', 'Arn'] },
        AuthorizerPayloadFormatVersion: '2.0',
        EnableSimpleResponses: false,
        Identity: { Headers: ['Authorization'], ReauthorizeEvery: 300 },
      },
    });
    expect(resources['MoviesFunction']?.Properties['Events']).toEqual({
      GetMovies: {
        Type: 'HttpApi',
        Properties: {
          ApiId: { Ref: 'Api' },
          Method: 'GET',
          Path: '/movies',
          Auth: { Authorizer: 'CognitoGuard' },
        },
      },
      GetMoviesId: {
        Type: 'HttpApi',
        Properties: {
          ApiId: { Ref: 'Api' },
          Method: 'GET',
          Path: '/movies/{id}',
          Auth: { Authorizer: 'CognitoGuard' },
        },
      },
    });
    expect(resources['MoviesFunction']?.Properties['Environment']).toEqual({
      Variables: { COGNITO_CLAIMS_SOURCE: 'api-gateway' },
    });
    expect(resources['HealthFunction']?.Properties).not.toHaveProperty('Environment');
    expect(resources['HealthFunction']?.Properties['Events'].GetHealth.Properties.Auth).toEqual({
      Authorizer: 'NONE',
    });
    expect(yaml).toContain('!GetAtt');
  });

  it('uses the Cognito JWT authorizer with scopes where it is exact, and makes $default a path-less event', () => {
    const { template, yaml } = exportSamTemplate(
      {
        routes: {
          'GET /movies': { scopes: ['movies/read'] },
          'POST /movies': { groups: ['editors'] },
          $default: { public: true },
        },
      },
      { config: { ...config, tokenUse: 'access' }, handlerFor: () => 'app.handler' },
    );
    expectDeployable(template, yaml);
    const resources = template['Resources'] as Resources;
    expect(Object.keys(resources['Api']?.Properties['Auth'].Authorizers)).toEqual([
      'CognitoJwt',
      'CognitoGuard',
    ]);
    expect(resources['HandlerFunction']?.Properties['Events']).toMatchObject({
      GetMovies: {
        Properties: { Auth: { Authorizer: 'CognitoJwt', AuthorizationScopes: ['movies/read'] } },
      },
      PostMovies: { Properties: { Auth: { Authorizer: 'CognitoGuard' } } },
      // A public $default also catches variants of other routes: the Lambda authorizer decides.
      Default: {
        Type: 'HttpApi',
        Properties: { ApiId: { Ref: 'Api' }, Auth: { Authorizer: 'CognitoGuard' } },
      },
    });
  });

  it('is valid and fully referenced for generated policies', () => {
    const rule = fc.constantFrom<Record<string, unknown>>(
      { public: true },
      {},
      { scopes: ['a/read'] },
      { groups: ['g'] },
    );
    const key = fc
      .tuple(
        fc.constantFrom('GET', 'POST', 'ANY', 'DELETE'),
        fc.array(fc.constantFrom('movies', 'shows', '{id}', 'x'), { maxLength: 3 }),
        fc.boolean(),
      )
      .map(
        ([method, segments, greedy]) =>
          `${method} /${[...segments, ...(greedy ? ['{proxy+}'] : [])].join('/')}`,
      );
    fc.assert(
      fc.property(
        fc.dictionary(key, rule, { minKeys: 1, maxKeys: 6 }),
        fc.boolean(),
        (routes, withDefault) => {
          const generated: RoutePolicy = {
            routes: withDefault ? { ...routes, $default: {} } : routes,
          };
          let exported: ReturnType<typeof exportSamTemplate>;
          try {
            exported = exportSamTemplate(generated, {
              config,
              handlerFor: (k) => (k.includes('shows') ? 'h.shows' : 'h.rest'),
            });
          } catch {
            return; // a policy the guards refuse (clashing keys) has nothing to export
          }
          expectDeployable(exported.template, exported.yaml);
        },
      ),
      { numRuns: 100 },
    );
  });

  it('configures CORS on the HTTP API, valid against the schema', () => {
    const { template, yaml } = exportSamTemplate(policy, {
      config,
      handlerFor,
      cors: { allowOrigins: ['https://app.example.com'], maxAge: 60 },
    });
    expectDeployable(template, yaml);
    expect((template['Resources'] as Resources)['Api']?.Properties['CorsConfiguration']).toEqual({
      AllowOrigins: ['https://app.example.com'],
      AllowMethods: ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'],
      AllowHeaders: ['authorization', 'content-type'],
      MaxAge: 60,
    });
  });

  it('catches what the schema and the reference check exist for', () => {
    const { template } = exportSamTemplate(policy, { config, handlerFor });
    const broken = JSON.parse(JSON.stringify(template));
    broken.Resources.Api.Properties.Auth.Authorizers.CognitoGuard.Identity.ReauthorizeEvery =
      'often';
    expect(validate(broken)).toBe(false);
    broken.Resources.MoviesFunction.Properties.Events.GetMovies.Properties.ApiId = {
      Ref: 'NoSuchApi',
    };
    expect(danglingReferences(broken)).toEqual(['Ref NoSuchApi']);
  });
});

describe('exportSamTemplate for a guard that reads tokens from a cookie', () => {
  it('writes a deployable Lambda authorizer with no identity source and no cache, and no JWT authorizer', () => {
    const { template, yaml } = exportSamTemplate(
      { routes: { 'GET /movies': { scopes: ['movies/read'] }, 'GET /shows': { groups: ['g'] } } },
      { config: { ...config, tokenSources: [{ cookie: 'id_token' }] }, handlerFor },
    );
    expectDeployable(template, yaml);
    const resources = template['Resources'] as Resources;
    expect(resources['Api']?.Properties['Auth'].Authorizers).toEqual({
      CognitoGuard: {
        FunctionArn: { 'Fn::GetAtt': ['AuthorizerFunction', 'Arn'] },
        AuthorizerPayloadFormatVersion: '2.0',
        EnableSimpleResponses: false,
        Identity: { ReauthorizeEvery: 0 },
      },
    });
  });
});
