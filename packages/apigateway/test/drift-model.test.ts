// What a drift report says against who actually gets in. For a route whose policy asks for any
// of some scopes, the deployed JWT authorizer's own scopes are generated, and every token (every
// set of scopes) is tried against both: the report says `looser` exactly when some token passes
// the API that the policy refuses, `stricter` when the reverse alone holds, and nothing when the
// two let in the same tokens, also when a route lists several requirements (alternatives). Then
// the parts of an export the round-trip test never changes.

import type { GuardConfig, RoutePolicy } from '@cognito-guard/core';
import fc from 'fast-check';
import {
  diffHttpApi,
  diffRestApi,
  exportHttpApi,
  lambdaAuthorizerUris,
  type OpenApiDocument,
  restProtectionFor,
  SCHEMES,
} from '../src';

const config: GuardConfig = { userPoolId: 'eu-west-1_AbCdEf123', clientId: 'web-client' };
const authorizerUri =
  'arn:aws:apigateway:eu-west-1:lambda:path/2015-03-31/functions/arn:aws:lambda:eu-west-1:123456789012:function:authorizer/invocations';
const options = { config, authorizerUri };
const SCOPES = ['movies/read', 'movies/write', 'shows/read'] as const;

type Operation = { security?: Record<string, string[]>[]; isDefaultRoute?: boolean };
type Paths = Record<string, Record<string, Operation | unknown>>;
const exported = (policy: RoutePolicy) =>
  JSON.parse(JSON.stringify(exportHttpApi(policy, options).document)) as OpenApiDocument & {
    paths: Paths;
  };
const operation = (api: { paths: Paths }, path: string, method: string) =>
  api.paths[path]?.[method] as Operation;

// Every set of scopes a token could carry, over the scopes either side names.
function tokens(scopes: readonly string[]): string[][] {
  let sets: string[][] = [[]];
  for (const scope of scopes) sets = sets.concat(sets.map((set) => [...set, scope]));
  return sets;
}

// `found` lists the route's security requirements, any one of which lets a token in: a JWT
// authorizer's scopes, or null for an empty requirement (no authorizer at all).
function verdict(needed: readonly string[], found: readonly (readonly string[] | null)[]) {
  // A JWT authorizer with no scopes takes any token; with scopes, a token with any of them.
  const passes = (token: string[], scopes: readonly string[] | null) =>
    scopes === null || scopes.length === 0 || token.some((s) => scopes.includes(s));
  const api = (token: string[]) => found.some((scopes) => passes(token, scopes));
  const policy = (token: string[]) => token.some((s) => needed.includes(s));
  const all = tokens([...new Set([...needed, ...found.flatMap((scopes) => scopes ?? [])])]);
  if (all.some((token) => api(token) && !policy(token))) return 'looser';
  if (all.some((token) => policy(token) && !api(token))) return 'stricter';
  return undefined;
}

describe('a drift report, against who gets in', () => {
  it('is looser, stricter or silent exactly as the tokens each side lets in say', () => {
    const scopes = fc.subarray([...SCOPES]);
    fc.assert(
      fc.property(
        scopes.filter((s) => s.length > 0),
        scopes,
        (needed, found) => {
          const policy: RoutePolicy = { routes: { 'GET /movies': { scopes: needed } } };
          const api = exported(policy);
          operation(api, '/movies', 'get').security = [{ [SCHEMES.jwt]: found }];
          const kinds = diffHttpApi(policy, api, options).map((drift) => drift.kind);
          const expected = verdict(needed, [found]);
          expect(kinds).toEqual(expected === undefined ? [] : [expected]);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('reads several security requirements as alternatives: a token meeting any one gets in', () => {
    const alternative = fc.option(fc.subarray([...SCOPES]), { freq: 4 });
    fc.assert(
      fc.property(
        fc.subarray([...SCOPES], { minLength: 1 }),
        fc.array(alternative, { minLength: 1, maxLength: 3 }),
        (needed, found) => {
          const policy: RoutePolicy = { routes: { 'GET /movies': { scopes: needed } } };
          const api = exported(policy);
          operation(api, '/movies', 'get').security = found.map(
            (scopes): Record<string, string[]> =>
              scopes === null ? {} : { [SCHEMES.jwt]: scopes },
          );
          const kinds = diffHttpApi(policy, api, options).map((drift) => drift.kind);
          const expected = verdict(needed, found);
          expect(kinds).toEqual(expected === undefined ? [] : [expected]);
        },
      ),
      { numRuns: 500 },
    );
  });

  it('names the loosest alternative, or every one when together they are stricter', () => {
    const policy: RoutePolicy = {
      routes: {
        'GET /movies': { scopes: ['movies/read', 'movies/write'] },
        'GET /shows': { groups: ['shows-group'] },
      },
    };
    const report = (security: Record<string, string[]>[]) => {
      const api = exported(policy);
      operation(api, '/movies', 'get').security = security;
      return diffHttpApi(policy, api, options).map((drift) => drift.message);
    };
    expect(report([{ [SCHEMES.jwt]: ['movies/read'] }, {}])).toEqual([
      'GET /movies: the policy needs JWT authorizer, scopes any of [movies/read, movies/write]; the API has 2 alternatives, one of them no authorizer (public)',
    ]);
    expect(
      report([{ [SCHEMES.jwt]: ['movies/read'] }, { [SCHEMES.jwt]: ['movies/read'] }]),
    ).toEqual([
      'GET /movies: the policy needs JWT authorizer, scopes any of [movies/read, movies/write]; the API has JWT authorizer, scopes any of [movies/read] or JWT authorizer, scopes any of [movies/read]',
    ]);
    // Any-of scopes add up: each alternative takes some of the policy's scopes, together all.
    expect(
      report([{ [SCHEMES.jwt]: ['movies/read'] }, { [SCHEMES.jwt]: ['movies/write'] }]),
    ).toEqual([]);
    // Cognito-guard's own authorizer beside a narrower JWT one: it decides by the whole policy.
    expect(report([{ [SCHEMES.jwt]: ['movies/read'] }, { [SCHEMES.lambda]: [] }])).toEqual([]);
  });

  it('never takes a Cognito user pool authorizer for the JWT authorizer, even with the same scopes', () => {
    const policy: RoutePolicy = { routes: { 'GET /movies': { scopes: ['movies/read'] } } };
    const api = exported(policy);
    (api.components?.securitySchemes as Record<string, unknown>)['pool'] = {
      type: 'apiKey',
      name: 'Authorization',
      in: 'header',
      'x-amazon-apigateway-authorizer': { type: 'cognito_user_pools', providerARNs: [] },
    };
    operation(api, '/movies', 'get').security = [{ pool: ['movies/read'] }];
    expect(diffHttpApi(policy, api, options).map((drift) => drift.kind)).toEqual(['looser']);
  });

  it('calls a native authorizer on a route the policy leaves public stricter', () => {
    const policy: RoutePolicy = {
      routes: { 'GET /health': { public: true }, 'GET /movies': { scopes: ['movies/read'] } },
    };
    const api = exported(policy);
    operation(api, '/health', 'get').security = [{ [SCHEMES.jwt]: [] }];
    expect(diffHttpApi(policy, api, options)).toEqual([
      {
        route: 'GET /health',
        kind: 'stricter',
        message:
          'GET /health: the policy needs no authorizer (public); the API has JWT authorizer, no scopes',
      },
    ]);
  });
});

describe('routes as an export lists them', () => {
  const policy: RoutePolicy = {
    routes: {
      'PUT /movies/{id}': { groups: ['editors'] },
      'PATCH /movies/{id}': { groups: ['editors'] },
      'HEAD /movies': { groups: ['viewers'] },
      'OPTIONS /movies': { public: true },
      $default: { groups: ['admins'] },
    },
  };

  it('reads every method and the $default route, and no other key of a path as a route', () => {
    const api = exported(policy);
    expect(Object.keys(api.paths).sort()).toEqual(['/$default', '/movies', '/movies/{id}']);
    // OpenAPI lets a path list its parameters, summary and servers beside its methods.
    Object.assign(api.paths['/movies/{id}'] ?? {}, {
      parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'string' } }],
      summary: 'One movie',
      servers: [{ url: 'https://api.example.com' }],
    });
    expect(diffHttpApi(policy, api, options)).toEqual([]);
    for (const [path, method, route] of [
      ['/movies/{id}', 'put', 'PUT /movies/{id}'],
      ['/movies/{id}', 'patch', 'PATCH /movies/{id}'],
      ['/movies', 'head', 'HEAD /movies'],
      ['/$default', 'x-amazon-apigateway-any-method', '$default'],
    ] as const) {
      const opened = exported(policy);
      operation(opened, path, method).security = [];
      expect(diffHttpApi(policy, opened, options).map((d) => [d.route, d.kind])).toEqual([
        [route, 'looser'],
      ]);
    }
    const guarded = exported(policy);
    operation(guarded, '/movies', 'options').security = [{ [SCHEMES.lambda]: [] }];
    expect(diffHttpApi(policy, guarded, options).map((d) => [d.route, d.kind])).toEqual([
      ['OPTIONS /movies', 'stricter'],
    ]);
  });
});

describe('native protection needs one pool', () => {
  it('leaves a scopes-only route to the Lambda authorizer when the guard trusts several pools', () => {
    const scopesOnly: RoutePolicy = { routes: { 'GET /movies': { scopes: ['movies/read'] } } };
    const pool = (userPoolId: string) => ({ userPoolId, clientId: 'web-client' });
    const one = exportHttpApi(scopesOnly, {
      config: { pools: [pool('eu-west-1_AbCdEf123')] },
      authorizerUri,
    });
    expect(one.routes.map((r) => r.protection.kind)).toEqual(['jwt']);
    const two = exportHttpApi(scopesOnly, {
      config: { pools: [pool('eu-west-1_AbCdEf123'), pool('eu-west-1_Other1234')] },
      authorizerUri,
    });
    expect(two.routes.map((r) => r.protection.kind)).toEqual(['lambda']);
  });

  it('gives a REST route open to any verified token the Cognito authorizer only on an ID-token pool', () => {
    const arn = 'arn:aws:cognito-idp:eu-west-1:123456789012:userpool/eu-west-1_AbCdEf123';
    const pool = {
      issuer: 'https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_AbCdEf123',
      clientIds: null,
      arn,
    };
    expect(restProtectionFor({}, { ...pool, tokenUses: ['id'] }, true)).toEqual({
      kind: 'cognito',
      scopes: [],
    });
    // Without scopes it takes ID tokens alone, where the guard takes access tokens too.
    expect(restProtectionFor({}, { ...pool, tokenUses: ['id', 'access'] }, true)).toEqual({
      kind: 'lambda',
    });
    expect(restProtectionFor({}, { ...pool, tokenUses: ['access'] }, true)).toEqual({
      kind: 'lambda',
    });
  });
});

describe('cached answers, as the report words them', () => {
  it('names the TTL an authorizer caches for, and 300 s when it gives none', () => {
    const cookie: GuardConfig = { ...config, tokenSources: ['authorization', { cookie: 'id' }] };
    const policy: RoutePolicy = { routes: { 'GET /movies': { groups: ['g'] } } };
    const api = exported(policy) as unknown as {
      components: { securitySchemes: Record<string, Record<string, Record<string, unknown>>> };
    };
    const authorizer = api.components.securitySchemes[SCHEMES.lambda]?.[
      'x-amazon-apigateway-authorizer'
    ] as Record<string, unknown>;
    authorizer['authorizerResultTtlInSeconds'] = 60;
    const report = () =>
      diffHttpApi(policy, api as unknown as OpenApiDocument, { config: cookie, authorizerUri });
    expect(report().map((d) => d.message)).toEqual([
      `authorizer "${SCHEMES.lambda}": answers are cached for 60 s while the guard reads tokens from a cookie or the ALB's header; a cached answer skips the cross-site check, so set its TTL to 0 and remove its identity sources`,
    ]);
    delete authorizer['authorizerResultTtlInSeconds'];
    authorizer['enableSimpleResponses'] = true;
    authorizer['identitySource'] = ['$request.header.Authorization', '$context.httpMethod'];
    expect(report().map((d) => d.message)).toEqual([
      `authorizer "${SCHEMES.lambda}": simple responses are cached by $request.header.Authorization,$context.httpMethod; add $context.path, or the answer for one route is replayed on another`,
      `authorizer "${SCHEMES.lambda}": answers are cached for 300 s while the guard reads tokens from a cookie or the ALB's header; a cached answer skips the cross-site check, so set its TTL to 0 and remove its identity sources`,
    ]);
  });
});

// Whatever else an API is protected by: cognito-guard cannot tell what it checks.
describe('a route behind a scheme cognito-guard did not deploy', () => {
  const policy: RoutePolicy = {
    routes: { 'GET /movies': { groups: ['movies-group'] }, 'GET /health': { public: true } },
  };
  type Scheme = Record<string, unknown>;
  const deployed = (scheme: Scheme, requirement: Record<string, string[]>) => {
    const api = exported(policy);
    (api.components?.securitySchemes as Record<string, Scheme>)['other'] = scheme;
    operation(api, '/movies', 'get').security = [requirement];
    operation(api, '/health', 'get').security = [requirement];
    return api;
  };
  const iam = {
    type: 'apiKey',
    name: 'Authorization',
    in: 'header',
    'x-amazon-apigateway-authtype': 'awsSigv4',
  };
  const otherLambda = {
    type: 'apiKey',
    name: 'Authorization',
    in: 'header',
    'x-amazon-apigateway-authorizer': {
      type: 'request',
      authorizerUri: authorizerUri.replace('function:authorizer', 'function:legacy'),
    },
  };

  it('is looser than any rule, and stricter than a public route', () => {
    expect(diffHttpApi(policy, deployed(iam, { other: [] }), options)).toEqual([
      {
        route: 'GET /movies',
        kind: 'looser',
        message:
          'GET /movies: the policy needs cognito-guard Lambda authorizer; the API has "other", which is not cognito-guard\'s (not an API Gateway authorizer: an API key, IAM or another scheme)',
      },
      expect.objectContaining({ route: 'GET /health', kind: 'stricter' }),
    ]);
    expect(diffHttpApi(policy, deployed(otherLambda, { other: [] }), options)).toEqual([
      {
        route: 'GET /movies',
        kind: 'looser',
        message: `GET /movies: the policy needs cognito-guard Lambda authorizer; the API has "other", which is not cognito-guard's (a request authorizer at ${otherLambda['x-amazon-apigateway-authorizer'].authorizerUri})`,
      },
      expect.objectContaining({ route: 'GET /health', kind: 'stricter' }),
    ]);
  });

  it('counts any Lambda authorizer as cognito-guard’s when no authorizer URI is given to compare', () => {
    const api = deployed(otherLambda, { other: [] });
    expect(diffHttpApi(policy, api, { config, authorizerUri: '' })).toEqual([
      expect.objectContaining({ route: 'GET /health', kind: 'stricter' }),
    ]);
    expect(
      diffHttpApi(policy, deployed(iam, { other: [] }), { config, authorizerUri: '' }),
    ).toEqual([
      expect.objectContaining({ route: 'GET /movies', kind: 'looser' }),
      expect.objectContaining({ route: 'GET /health', kind: 'stricter' }),
    ]);
  });

  it('lists the Lambda authorizers a diff without a URI takes on trust, each once', () => {
    const api = deployed(otherLambda, { other: [] });
    const schemes = api.components?.securitySchemes as Record<string, Scheme>;
    schemes['again'] = otherLambda;
    schemes['iam'] = iam;
    schemes['token'] = { 'x-amazon-apigateway-authorizer': { type: 'TOKEN' } };
    expect(lambdaAuthorizerUris(api)).toEqual([
      authorizerUri,
      otherLambda['x-amazon-apigateway-authorizer'].authorizerUri,
      '(no URI)',
    ]);
    expect(lambdaAuthorizerUris({ openapi: '3.0.1', paths: {} } as OpenApiDocument)).toEqual([]);
  });

  it('takes an API key required beside cognito-guard’s authorizer as adding to it', () => {
    const apiKey = { type: 'apiKey', name: 'x-api-key', in: 'header' };
    const api = deployed(apiKey, { other: [], [SCHEMES.lambda]: [] });
    expect(diffHttpApi(policy, api, options).map((d) => [d.route, d.kind])).toEqual([
      ['GET /health', 'stricter'],
    ]);
  });
});

describe('an API with no authorizers at all', () => {
  it('is read as public everywhere, with no security schemes to look at', () => {
    const policy: RoutePolicy = {
      routes: { 'GET /movies': { groups: ['movies-group'] }, 'GET /health': { public: true } },
    };
    // What API Gateway exports for an API without authorizers: no components.
    const api = { openapi: '3.0.1', paths: exported(policy).paths } as OpenApiDocument;
    for (const method of ['get'] as const) {
      operation(api as { paths: Paths }, '/movies', method).security = [];
      operation(api as { paths: Paths }, '/health', method).security = [];
    }
    const cookie: GuardConfig = { ...config, tokenSources: ['authorization', { cookie: 'id' }] };
    for (const differ of [diffHttpApi, diffRestApi]) {
      expect(
        differ(policy, api, { config: cookie, authorizerUri }).map((d) => [d.route, d.kind]),
      ).toContainEqual(['GET /movies', 'looser']);
    }
  });
});

describe('a JWT authorizer for another pool or client', () => {
  const policy: RoutePolicy = { routes: { 'GET /movies': { scopes: ['movies/read'] } } };
  const jwtOf = (api: OpenApiDocument) => {
    const scheme = api.components?.securitySchemes?.[SCHEMES.jwt] as Record<string, unknown>;
    return (
      scheme['x-amazon-apigateway-authorizer'] as {
        jwtConfiguration: { issuer: string; audience: string[] };
      }
    ).jwtConfiguration;
  };
  const withJwt = (change: (jwt: { issuer: string; audience: string[] }) => void) => {
    const api = exported(policy);
    change(jwtOf(api));
    return diffHttpApi(policy, api, options).map((d) => [d.route, d.kind, d.message]);
  };

  it('is looser when it trusts another issuer or another client; a narrower audience is not', () => {
    const other = 'https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_Other1234';
    expect(
      withJwt((jwt) => {
        jwt.issuer = other;
      }),
    ).toEqual([
      [
        'GET /movies',
        'looser',
        `GET /movies: the policy needs JWT authorizer, scopes any of [movies/read]; the API has "${SCHEMES.jwt}", which is not cognito-guard's (a JWT authorizer for ${other}, audience [web-client])`,
      ],
    ]);
    expect(withJwt((jwt) => jwt.audience.push('partner-client')).map(([, kind]) => kind)).toEqual([
      'looser',
    ]);
    expect(withJwt(() => undefined)).toEqual([]);
    // A guard that takes two app clients, behind an authorizer that takes one of them.
    const twoClients = {
      config: { ...config, clientId: ['web-client', 'mobile-client'] },
      authorizerUri,
    };
    const narrower = exportHttpApi(policy, twoClients).document;
    jwtOf(narrower).audience = ['web-client'];
    expect(diffHttpApi(policy, narrower, twoClients)).toEqual([]);
  });
});
