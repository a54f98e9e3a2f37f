// The HTTP API export: each route gets the cheapest protection that is exact, the document has
// API Gateway's shape, and diffing an export against its own policy finds nothing while one
// deliberate change on either side is named.

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { GuardConfig, RoutePolicy } from '@cognito-guard/core';
import fc from 'fast-check';
import { diffHttpApi, exportHttpApi, type OpenApiDocument, protectionFor, SCHEMES } from '../src';

const policy = JSON.parse(
  readFileSync(join(__dirname, '..', '..', '..', 'examples', 'policy.json'), 'utf8'),
) as RoutePolicy;
const config: GuardConfig = { userPoolId: 'eu-west-1_AbCdEf123', clientId: 'web-client' };
const authorizerUri =
  'arn:aws:apigateway:eu-west-1:lambda:path/2015-03-31/functions/arn:aws:lambda:eu-west-1:123456789012:function:authorizer/invocations';
const options = { config, authorizerUri };
const pool = {
  issuer: 'https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_AbCdEf123',
  clientIds: ['web-client'],
  tokenUses: ['access' as const],
};
const clone = <T>(value: T): T => JSON.parse(JSON.stringify(value)) as T;

describe('protectionFor: the cheapest exact protection', () => {
  it('is native only for scopes-only rules on an access-token pool that checks the client', () => {
    expect(protectionFor({ public: true }, pool, true)).toEqual({ kind: 'public' });
    expect(protectionFor({ scopes: ['movies/read', 'movies/admin'] }, pool, true)).toEqual({
      kind: 'jwt',
      scopes: ['movies/read', 'movies/admin'],
    });
    for (const rule of [
      {},
      { groups: ['movies-group'] },
      { allScopes: ['a', 'b'] },
      { scopes: ['a'], denyGroups: ['suspended'] },
      { scopes: ['a'], tokenUse: 'access' as const },
      { claims: { 'custom:tier': 'gold' } },
    ]) {
      expect(protectionFor(rule, pool, true)).toEqual({ kind: 'lambda' });
    }
    // A JWT authorizer checks a client and cannot tell ID from access tokens.
    expect(protectionFor({ scopes: ['a'] }, { ...pool, clientIds: null }, true)).toEqual({
      kind: 'lambda',
    });
    expect(protectionFor({ scopes: ['a'] }, { ...pool, tokenUses: ['id'] }, true)).toEqual({
      kind: 'lambda',
    });
    expect(protectionFor({ scopes: ['a'] }, undefined, true)).toEqual({ kind: 'lambda' });
  });

  it('sends every route that is not self-contained to the Lambda authorizer', () => {
    expect(protectionFor({ public: true }, pool, false)).toEqual({ kind: 'lambda' });
    expect(protectionFor({ scopes: ['a'] }, pool, false)).toEqual({ kind: 'lambda' });
  });
});

describe('exportHttpApi', () => {
  it('writes every route of the example policy with API Gateway extensions', () => {
    const { document, routes } = exportHttpApi(policy, options);
    expect(routes.map((r) => [r.routeKey, r.protection.kind])).toEqual([
      ['GET /movies', 'lambda'],
      ['GET /movies/{id}', 'lambda'],
      ['GET /shows', 'lambda'],
      ['GET /shows/{id}', 'lambda'],
      ['GET /health', 'public'],
    ]);
    expect(document.paths['/health']?.['get']?.security).toEqual([]);
    expect(document.paths['/movies/{id}']?.['get']?.security).toEqual([{ [SCHEMES.lambda]: [] }]);
    expect(document.components?.securitySchemes?.[SCHEMES.lambda]).toEqual({
      type: 'apiKey',
      name: 'Authorization',
      in: 'header',
      'x-amazon-apigateway-authorizer': {
        type: 'request',
        identitySource: '$request.header.Authorization',
        authorizerUri,
        authorizerPayloadFormatVersion: '2.0',
        authorizerResultTtlInSeconds: 300,
        enableSimpleResponses: false,
      },
    });
    expect(document.components?.securitySchemes?.[SCHEMES.jwt]).toBeUndefined();
  });

  it('uses the JWT authorizer for scopes-only routes, ANY and $default as API Gateway spells them', () => {
    const { document } = exportHttpApi(
      {
        routes: {
          'GET /movies': { scopes: ['movies/read'] },
          'ANY /admin/{proxy+}': { groups: ['admins'] },
          $default: { public: true },
        },
      },
      options,
    );
    expect(document.paths['/movies']?.['get']?.security).toEqual([
      { [SCHEMES.jwt]: ['movies/read'] },
    ]);
    expect(Object.keys(document.paths['/admin/{proxy+}'] ?? {})).toEqual([
      'x-amazon-apigateway-any-method',
    ]);
    expect(document.paths['/$default']?.['x-amazon-apigateway-any-method']).toMatchObject({
      isDefaultRoute: true,
      security: [{ [SCHEMES.lambda]: [] }],
    });
    expect(document.components?.securitySchemes?.[SCHEMES.jwt]).toEqual({
      type: 'openIdConnect',
      openIdConnectUrl: `${pool.issuer}/.well-known/openid-configuration`,
      'x-amazon-apigateway-authorizer': {
        type: 'jwt',
        jwtConfiguration: { issuer: pool.issuer, audience: ['web-client'] },
        identitySource: '$request.header.Authorization',
      },
    });
  });

  it('keeps native protection to self-contained routes: literal, and not a greedy route’s bare prefix', () => {
    const { routes } = exportHttpApi(
      {
        routes: {
          'GET /health': { public: true },
          'GET /admin': { public: true },
          'ANY /admin/{proxy+}': { groups: ['admins'] },
          'GET /assets/{proxy+}': { public: true },
          'GET /movies/{id}': { scopes: ['movies/read'] },
          'GET /movies': { scopes: ['movies/read'] },
          $default: { public: true },
        },
      },
      options,
    );
    expect(Object.fromEntries(routes.map((r) => [r.routeKey, r.protection.kind]))).toEqual({
      'GET /health': 'public',
      'GET /admin': 'lambda',
      'ANY /admin/{proxy+}': 'lambda',
      'GET /assets/{proxy+}': 'lambda',
      'GET /movies/{id}': 'lambda',
      'GET /movies': 'jwt',
      $default: 'lambda',
    });
  });

  it('refuses a policy with errors, with start-up’s message', () => {
    expect(() => exportHttpApi({ routes: { 'get /x': {} } }, options)).toThrow(
      'the method must be upper-case: "GET /x"',
    );
  });
});

describe('diffHttpApi', () => {
  const scoped: RoutePolicy = {
    routes: { ...policy.routes, 'POST /movies': { scopes: ['movies/write'] } },
  };
  const exported = () => clone(exportHttpApi(scoped, options).document);

  it('finds no drift between an export and its own policy', () => {
    expect(diffHttpApi(scoped, exported(), options)).toEqual([]);
  });

  it('names each deliberate change on the API side', () => {
    const api = exported() as { paths: Record<string, Record<string, { security: unknown }>> };
    delete api.paths['/shows/{id}'];
    (api.paths['/movies'] as Record<string, { security: unknown }>)['get'] = { security: [] };
    (api.paths['/movies'] as Record<string, { security: unknown }>)['post'] = {
      security: [{ [SCHEMES.jwt]: ['movies/write', 'movies/read'] }],
    };
    (api.paths['/health'] as Record<string, { security: unknown }>)['get'] = {
      security: [{ [SCHEMES.lambda]: [] }],
    };
    api.paths['/debug'] = { get: { security: [] } };
    expect(diffHttpApi(scoped, api as unknown as OpenApiDocument, options)).toEqual([
      {
        route: 'GET /movies',
        kind: 'looser',
        message:
          'GET /movies: the policy needs cognito-guard Lambda authorizer; the API has no authorizer (public)',
      },
      {
        route: 'GET /shows/{id}',
        kind: 'missing',
        message: 'GET /shows/{id}: in the policy, not in the API',
      },
      {
        route: 'GET /health',
        kind: 'stricter',
        message:
          'GET /health: the policy needs no authorizer (public); the API has cognito-guard Lambda authorizer',
      },
      {
        route: 'POST /movies',
        kind: 'looser',
        message:
          'POST /movies: the policy needs JWT authorizer, scopes any of [movies/write]; the API has JWT authorizer, scopes any of [movies/write, movies/read]',
      },
      { route: 'GET /debug', kind: 'extra', message: 'GET /debug: in the API, not in the policy' },
    ]);
  });

  it('names a change on the policy side: a rule the native authorizer can no longer express', () => {
    const changed: RoutePolicy = {
      routes: {
        ...scoped.routes,
        'POST /movies': { scopes: ['movies/write'], groups: ['editors'] },
      },
    };
    expect(diffHttpApi(changed, exported(), options).map((d) => [d.route, d.kind])).toEqual([
      ['POST /movies', 'looser'],
    ]);
  });

  it('flags a cached simple-response authorizer whose identity sources lack the method and path', () => {
    interface Authorizer {
      enableSimpleResponses?: boolean;
      identitySource?: string;
      authorizerResultTtlInSeconds?: number;
    }
    const api = exported() as unknown as {
      components: {
        securitySchemes: Record<string, { 'x-amazon-apigateway-authorizer': Authorizer }>;
      };
    };
    const authorizer = (
      api.components.securitySchemes[SCHEMES.lambda] as {
        'x-amazon-apigateway-authorizer': Authorizer;
      }
    )['x-amazon-apigateway-authorizer'];
    authorizer.enableSimpleResponses = true;
    expect(diffHttpApi(scoped, api as unknown as OpenApiDocument, options)).toEqual([
      {
        route: SCHEMES.lambda,
        kind: 'cache',
        message: `authorizer "${SCHEMES.lambda}": simple responses are cached by $request.header.Authorization; add $context.httpMethod and $context.path, or the answer for one route is replayed on another`,
      },
    ]);
    authorizer.identitySource = '$request.header.Authorization,$context.httpMethod,$context.path';
    expect(diffHttpApi(scoped, api as unknown as OpenApiDocument, options)).toEqual([]);
    authorizer.identitySource = '$request.header.Authorization';
    authorizer.authorizerResultTtlInSeconds = 0;
    expect(diffHttpApi(scoped, api as unknown as OpenApiDocument, options)).toEqual([]);
  });

  it('round-trips any generated policy without drift, and never exports a native authorizer for more than scopes', () => {
    const segment = fc.constantFrom('movies', 'shows', 'admin', '{id}', 'x');
    const key = fc
      .tuple(
        fc.constantFrom('GET', 'POST', 'DELETE', 'ANY'),
        fc.array(segment, { minLength: 0, maxLength: 3 }),
        fc.boolean(),
      )
      .map(([method, segments, greedy]) => {
        const path = `/${[...new Set(segments)].join('/')}`;
        return `${method} ${greedy ? `${path === '/' ? '' : path}/{proxy+}` : path}`;
      });
    const rule = fc.oneof(
      fc.constant({ public: true }),
      fc.constant({}),
      fc.record({ scopes: fc.uniqueArray(fc.constantFrom('a/r', 'a/w'), { minLength: 1 }) }),
      fc.record({ groups: fc.constant(['admins']) }),
      fc.record({
        scopes: fc.constant(['a/r']),
        denyGroups: fc.constant(['suspended']),
      }),
    );
    fc.assert(
      fc.property(fc.dictionary(key, rule, { maxKeys: 6 }), (routes) => {
        const generated: RoutePolicy = { routes };
        let exportedApi: ReturnType<typeof exportHttpApi>;
        try {
          exportedApi = exportHttpApi(generated, options);
        } catch {
          return; // keys that clash are refused at start-up; nothing to export
        }
        expect(diffHttpApi(generated, clone(exportedApi.document), options)).toEqual([]);
        for (const { routeKey, protection } of exportedApi.routes) {
          const written = routes[routeKey] as Record<string, unknown>;
          if (protection.kind === 'jwt') expect(Object.keys(written)).toEqual(['scopes']);
          if (protection.kind === 'public') expect(written).toEqual({ public: true });
          if (protection.kind !== 'lambda') expect(routeKey).not.toMatch(/[{$]/);
        }
      }),
      { numRuns: 200 },
    );
  });
});

describe('CORS in the export', () => {
  it('lets API Gateway answer preflights itself, with the Authorization header allowed', () => {
    const { document } = exportHttpApi(policy, {
      ...options,
      cors: { allowOrigins: ['https://app.example.com'] },
    });
    expect((document as unknown as Record<string, unknown>)['x-amazon-apigateway-cors']).toEqual({
      allowOrigins: ['https://app.example.com'],
      allowMethods: ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'],
      allowHeaders: ['authorization', 'content-type'],
      maxAge: 600,
    });
    expect(exportHttpApi(policy, options).document).not.toHaveProperty('x-amazon-apigateway-cors');
  });
});

describe('an ANY route beside a GET route', () => {
  it('is not left to a native authorizer (or none) when API Gateway would send it HEAD requests the guards read by the GET route', () => {
    const { routes } = exportHttpApi(
      {
        defaultAction: 'authenticated',
        routes: { 'GET /x': { scopes: ['movies/read'] }, 'ANY /x': { public: true } },
      },
      options,
    );
    expect(routes).toEqual([
      { routeKey: 'GET /x', protection: { kind: 'jwt', scopes: ['movies/read'] } },
      { routeKey: 'ANY /x', protection: { kind: 'lambda' } },
    ]);
  });
});

// API Gateway reads a native authorizer's token, and the Lambda authorizer's identity sources,
// from the Authorization header only, and refuses without calling it a request that lacks one;
// a cached answer would also skip the cross-site check a cookie needs on every request.
describe('a guard that reads tokens elsewhere than Authorization', () => {
  const scopesOnly: RoutePolicy = {
    routes: { 'GET /movies': { scopes: ['movies/read'] }, 'GET /health': { public: true } },
  };
  const sources = [
    ['a cookie', ['authorization', { cookie: 'id_token' }]],
    ['a cookie alone', [{ cookie: 'id_token' }]],
    ["the ALB's header", ['alb']],
  ] as const;

  it.each(sources)(
    'with %s, sends every protected route to the Lambda authorizer, uncached, with no identity source',
    (_name, tokenSources) => {
      const cookieOptions = { config: { ...config, tokenSources }, authorizerUri };
      const { document, routes } = exportHttpApi(scopesOnly, cookieOptions);
      expect(diffHttpApi(scopesOnly, clone(document), cookieOptions)).toEqual([]);
      expect(routes.map((r) => [r.routeKey, r.protection.kind])).toEqual([
        ['GET /movies', 'lambda'],
        ['GET /health', 'public'],
      ]);
      expect(document.components?.securitySchemes?.[SCHEMES.jwt]).toBeUndefined();
      expect(
        document.components?.securitySchemes?.[SCHEMES.lambda]?.['x-amazon-apigateway-authorizer'],
      ).toEqual({
        type: 'request',
        authorizerUri,
        authorizerPayloadFormatVersion: '2.0',
        authorizerResultTtlInSeconds: 0,
        enableSimpleResponses: false,
      });
    },
  );

  it('refuses a cache for the Lambda authorizer, naming the option', () => {
    const cookie = { ...config, tokenSources: [{ cookie: 'id_token' }] } as const;
    expect(() =>
      exportHttpApi(scopesOnly, { config: cookie, authorizerUri, authorizerCacheSeconds: 60 }),
    ).toThrow(/authorizerCacheSeconds: must be 0 when the guard reads tokens from/);
    expect(
      exportHttpApi(scopesOnly, { config: cookie, authorizerUri, authorizerCacheSeconds: 0 })
        .routes,
    ).toHaveLength(2);
    // An API deployed for Authorization alone caches its Lambda authorizer's answers: drift.
    const deployed = exportHttpApi(policy, options).document;
    expect(diffHttpApi(policy, clone(deployed), { config: cookie, authorizerUri })).toEqual([
      {
        route: SCHEMES.lambda,
        kind: 'cache',
        message: expect.stringMatching(/cached for 300 s .* skips the cross-site check/),
      },
    ]);
    // The Authorization header alone keeps the native authorizer and the cache it is given.
    const native = exportHttpApi(scopesOnly, {
      config: { ...config, tokenSources: ['authorization'] },
      authorizerUri,
      authorizerCacheSeconds: 60,
    });
    expect(native.routes[0]?.protection.kind).toBe('jwt');
  });
});
