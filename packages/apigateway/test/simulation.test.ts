// The exported API against the guards, request by request. API Gateway's decision is simulated
// here, independently of the library: HTTP API route selection as AWS documents it, the JWT
// authorizer's checks, and IAM evaluation of the answer of cognito-guard's real Lambda
// authorizer. The guards decide the same request from the same policy. API Gateway must never
// let through what the guards refuse; where it is stricter, the cases are counted.

import type { GuardConfig, RoutePolicy } from '@cognito-guard/core';
import { compileRoutePolicy, createGuard } from '@cognito-guard/core';
import { createAuthorizer } from '@cognito-guard/lambda';
import {
  createTestIssuer,
  decodeJwt,
  requestAuthorizerEvent,
  type TestIssuer,
} from '@cognito-guard/testing';
import fc from 'fast-check';
import { exportHttpApi, exportRestApi, type OpenApiDocument, REST_SCHEMES, SCHEMES } from '../src';

const API = 'arn:aws:execute-api:eu-west-1:123456789012:api-id/$default';
const METHODS: Readonly<Record<string, string>> = {
  get: 'GET',
  post: 'POST',
  put: 'PUT',
  delete: 'DELETE',
  head: 'HEAD',
  'x-amazon-apigateway-any-method': 'ANY',
};

// --- HTTP API route selection, from AWS's documentation ---------------------------------------
// Most specific match first: segment by segment a literal beats a {variable}, which beats a
// greedy {variable+}; a route for the method beats ANY; $default catches the rest; otherwise
// 404. Paths are matched as received: case-sensitive, not decoded, trailing slash kept.
function selectRoute(routeKeys: readonly string[], method: string, path: string) {
  const request = path.split('/').slice(1);
  let best: { key: string; score: number[] } | undefined;
  for (const key of routeKeys) {
    if (key === '$default') continue;
    const [routeMethod = '', routePath = ''] = key.split(' ');
    if (routeMethod !== method && routeMethod !== 'ANY') continue;
    const route = routePath === '/' ? [] : routePath.split('/').slice(1);
    const score = matchScore(route, request);
    if (score === undefined) continue;
    score.push(routeMethod === 'ANY' ? 0 : 1);
    if (!best || compare(score, best.score) > 0) best = { key, score };
  }
  return best?.key ?? (routeKeys.includes('$default') ? '$default' : undefined);
}

function matchScore(route: readonly string[], request: readonly string[]): number[] | undefined {
  const score: number[] = [];
  for (let i = 0; i < route.length; i++) {
    const part = route[i] as string;
    if (/^\{.+\+\}$/.test(part)) {
      const rest = request.slice(i);
      return rest.length > 0 && rest.join('/') !== '' ? [...score, 1] : undefined;
    }
    const segment = request[i];
    if (segment === undefined) return undefined;
    if (/^\{.+\}$/.test(part)) {
      if (segment === '') return undefined;
      score.push(2);
    } else if (part === segment) score.push(3);
    else return undefined;
  }
  return route.length === request.length ? score : undefined;
}

function compare(a: readonly number[], b: readonly number[]): number {
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    const d = (a[i] ?? -1) - (b[i] ?? -1);
    if (d !== 0) return d;
  }
  return 0;
}

// --- IAM evaluation of a Lambda authorizer's policy ------------------------------------------
function iamAllows(statements: readonly { Effect: string; Resource: string[] }[], arn: string) {
  const matches = (pattern: string) =>
    new RegExp(
      `^${pattern
        .replace(/[.+^${}()|[\]\\]/g, '\\$&')
        .replace(/\*/g, '.*')
        .replace(/\?/g, '.')}$`,
      's',
    ).test(arn);
  const hit = (effect: string) =>
    statements.some((s) => s.Effect === effect && s.Resource.some(matches));
  return !hit('Deny') && hit('Allow');
}

// --- generators shared by both flavours ------------------------------------------------------
// Policies built from a few base paths, each with routes on the path itself, a {param} child
// and a greedy child, so that literal, parameter and greedy routes overlap as they do in
// real APIs (a literal that is a greedy route's bare prefix, a public parent of a protected
// child, a public catch-all beside protected routes).
const rule = fc.constantFrom<Record<string, unknown>>(
  { public: true },
  {},
  {},
  { scopes: ['movies/read'] },
  { scopes: ['movies/read'] },
  { groups: ['admins'] },
  { scopes: ['movies/read'], denyGroups: ['suspended'] },
);
const family = fc.tuple(
  fc.constantFrom('', '/movies', '/admin', '/movies/{id}'),
  fc.subarray(['', '/{id}', '/{proxy+}', '/x'], { minLength: 1 }),
  fc.constantFrom('GET', 'POST', 'ANY'),
);
const policyArb = fc
  .tuple(
    fc.array(fc.tuple(family, fc.array(rule, { minLength: 4, maxLength: 4 })), {
      minLength: 1,
      maxLength: 3,
    }),
    fc.option(rule, { nil: undefined }),
  )
  .map(([families, fallback]) => {
    const routes: Record<string, Record<string, unknown>> = {};
    for (const [[base, children, method], rules] of families) {
      children.forEach((child, i) => {
        routes[`${method} ${`${base}${child}` || '/'}`] = rules[i] ?? {};
      });
    }
    return {
      defaultAction: 'authenticated' as const,
      routes: fallback ? { ...routes, $default: fallback } : routes,
    };
  });
const caller = fc.record({
  token: fc.constantFrom('access', 'id', 'none', 'other-client'),
  groups: fc.subarray(['admins', 'suspended']),
  scopes: fc.subarray(['movies/read']),
});
// Requests aimed at the policy's own routes (parameters filled, greedy remainders of one or
// two segments) and at random paths, each maybe upper-cased, percent-encoded or slashed.
const requestsFor = (policy: RoutePolicy) => {
  const aimed = Object.keys(policy.routes)
    .filter((k) => k !== '$default')
    .map((k) => (k.split(' ')[1] ?? '/').replace(/\{[^}]+\+\}/, 'x/y').replace(/\{[^}]+\}/g, '42'));
  const random = fc
    .array(fc.constantFrom('movies', 'shows', 'admin', 'x', '42'), { maxLength: 3 })
    .map((segments) => `/${segments.join('/')}`);
  const base = aimed.length > 0 ? fc.oneof(fc.constantFrom(...aimed), random) : random;
  const path = fc
    .tuple(base, fc.constantFrom('', '', '/', 'upper', 'encoded', 'short'))
    .map(([p, variant]) => {
      if (variant === '/' && p !== '/') return `${p}/`;
      if (variant === 'upper') return p.toUpperCase();
      if (variant === 'encoded') return p.replace('m', '%6D');
      if (variant === 'short') return p.replace(/\/[^/]*$/, '') || '/';
      return p;
    });
  return fc.record({ method: fc.constantFrom('GET', 'POST', 'HEAD', 'DELETE'), path });
};

// --- one comparison, both flavours ---------------------------------------------------------------
type Caller = {
  readonly token: string;
  readonly groups: readonly string[];
  readonly scopes: readonly string[];
};
type Gateway = (
  method: string,
  path: string,
  token: string | undefined,
  authorizer: ReturnType<typeof createAuthorizer>,
) => Promise<boolean>;

/** Decides each case by the guards and by the simulated gateway; throws if the gateway is looser. */
async function compareCases(
  issuer: TestIssuer,
  config: GuardConfig,
  policy: RoutePolicy,
  cases: readonly (readonly [Caller, { method: string; path: string }])[],
  gatewayName: string,
  gatewayAllows: Gateway,
): Promise<{ compared: number; stricter: number }> {
  const guard = createGuard(config);
  // Read as API Gateway routes, without lambda-api's walk: that reading is the function's own
  // guard's to apply (a literal route can hide a parameter route's paths from lambda-api, which
  // then serves them with a greedy route API Gateway never selects there), and no export or
  // authorizer policy can express it, as README's "Both sides from one policy" says.
  const compiled = compileRoutePolicy(policy, {
    caseSensitive: guard.config.caseSensitivePaths,
    lambdaApiWalk: false,
  });
  const authorizer = createAuthorizer({ ...config, policy, logger: { warn: () => {} } });
  let stricter = 0;
  for (const [who, { method, path }] of cases) {
    const token =
      who.token === 'none'
        ? undefined
        : who.token === 'id'
          ? issuer.idToken({ groups: who.groups })
          : issuer.accessToken({
              groups: who.groups,
              scopes: who.scopes,
              ...(who.token === 'other-client' ? { clientId: 'other-client' } : {}),
            });
    const headers: Record<string, string> = token ? { authorization: `Bearer ${token}` } : {};
    const guards = (await guard.checkRoute({ method, path, headers }, compiled)).allowed;
    const gateway = await gatewayAllows(method, path, token, authorizer);
    if (gateway && !guards) {
      throw new Error(
        `${gatewayName} allows ${method} ${path} (${who.token} token, groups ${who.groups}, scopes ${who.scopes}) that the guards refuse, under ${JSON.stringify(policy)}`,
      );
    }
    if (guards && !gateway) stricter++;
  }
  return { compared: cases.length, stricter };
}

describe('the exported HTTP API is never looser than the guards', () => {
  let issuer: TestIssuer;
  let config: GuardConfig;
  beforeAll(async () => {
    issuer = await createTestIssuer({ userPoolId: 'local_sim', clientId: 'web' }).start();
    config = { ...issuer.config, tokenUse: 'access' };
  });
  afterAll(() => issuer.stop());

  it('selects routes as AWS documents it', () => {
    const keys = [
      'GET /pets/dog/1',
      'GET /pets/dog/{id}',
      'GET /pets/{proxy+}',
      'ANY /{proxy+}',
      '$default',
    ];
    expect(selectRoute(keys, 'GET', '/pets/dog/1')).toBe('GET /pets/dog/1');
    expect(selectRoute(keys, 'GET', '/pets/dog/2')).toBe('GET /pets/dog/{id}');
    expect(selectRoute(keys, 'GET', '/pets/cat/1')).toBe('GET /pets/{proxy+}');
    expect(selectRoute(keys, 'POST', '/pets/dog/1')).toBe('ANY /{proxy+}');
    expect(selectRoute(keys, 'GET', '/')).toBe('$default');
    expect(selectRoute(['GET /pets'], 'GET', '/Pets')).toBeUndefined();
  });

  async function apiGatewayAllows(
    document: OpenApiDocument,
    policy: RoutePolicy,
    method: string,
    path: string,
    token: string | undefined,
    authorizer: ReturnType<typeof createAuthorizer>,
  ): Promise<boolean> {
    const keys: string[] = [];
    const security = new Map<string, readonly Record<string, readonly string[]>[]>();
    for (const [p, item] of Object.entries(document.paths)) {
      for (const [k, operation] of Object.entries(item)) {
        const m = METHODS[k];
        if (!m) continue;
        const key = operation.isDefaultRoute ? '$default' : `${m} ${p}`;
        keys.push(key);
        security.set(key, operation.security ?? []);
      }
    }
    expect(new Set(keys)).toEqual(new Set(Object.keys(policy.routes)));
    const route = selectRoute(keys, method, path);
    if (route === undefined) return false; // 404
    const [requirement] = security.get(route) ?? [];
    const [scheme, scopes = []] = Object.entries(requirement ?? {})[0] ?? [];
    if (scheme === undefined) return true;
    if (token === undefined) return false;
    if (scheme === SCHEMES.jwt) {
      const jwt = document.components?.securitySchemes?.[SCHEMES.jwt]?.[
        'x-amazon-apigateway-authorizer'
      ] as { jwtConfiguration: { issuer: string; audience: string[] } };
      const claims = decodeJwt(token).payload as Record<string, unknown>;
      const audience = [claims['aud'], claims['client_id']].flat();
      const granted = String(claims['scope'] ?? '').split(' ');
      return (
        claims['iss'] === jwt.jwtConfiguration.issuer &&
        (claims['exp'] as number) * 1000 > Date.now() &&
        audience.some((a) => jwt.jwtConfiguration.audience.includes(a as string)) &&
        (scopes.length === 0 || scopes.some((s) => granted.includes(s)))
      );
    }
    try {
      const answer = (await authorizer({
        version: '2.0',
        type: 'REQUEST',
        routeArn: `${API}/${method}${path}`,
        routeKey: route,
        identitySource: [`Bearer ${token}`],
        rawPath: path,
        headers: { authorization: `Bearer ${token}` },
        requestContext: { http: { method, path }, routeKey: route },
      })) as { policyDocument: { Statement: { Effect: string; Resource: string[] }[] } };
      return iamAllows(answer.policyDocument.Statement, `${API}/${method}/${path.slice(1)}`);
    } catch {
      return false;
    }
  }

  it('on generated policies, principals and hostile requests', async () => {
    let stricter = 0;
    let compared = 0;
    await fc.assert(
      fc.asyncProperty(
        policyArb.chain((policy) =>
          fc.tuple(
            fc.constant(policy),
            fc.array(fc.tuple(caller, requestsFor(policy)), { minLength: 1, maxLength: 8 }),
          ),
        ),
        async ([policy, cases]) => {
          let exported: ReturnType<typeof exportHttpApi>;
          try {
            exported = exportHttpApi(policy, { config, authorizerUri: 'arn:lambda' });
          } catch {
            return; // a policy the guards refuse at start-up has nothing to export
          }
          const counts = await compareCases(
            issuer,
            config,
            policy,
            cases,
            'API Gateway',
            (method, path, token, authorizer) =>
              apiGatewayAllows(exported.document, policy, method, path, token, authorizer),
          );
          compared += counts.compared;
          stricter += counts.stricter;
        },
      ),
      { numRuns: 400 },
    );
    // Stricter by design: a 404 where defaultAction lets a request through, routes with
    // parameters needing a token at the gateway, HEAD without a HEAD route, case variants.
    if (process.env['SIMULATION_STATS']) console.log(`stricter ${stricter} of ${compared}`);
    expect(compared).toBeGreaterThan(400);
    expect(stricter).toBeGreaterThan(0);
  }, 60_000);
});

// --- REST APIs ----------------------------------------------------------------------------------
// The same comparison for the REST export. A REST API has no $default: a request that matches no
// resource method gets 403 "Missing Authentication Token". Its Cognito user pool authorizer checks
// the pool, `exp` and, per method, any-of scopes: with scopes it takes only access tokens, without
// them only ID tokens, and it never checks the client. A REQUEST Lambda authorizer's IAM policy is
// evaluated against the method ARN, as API Gateway does.
describe('the exported REST API is never looser than the guards', () => {
  let issuer: TestIssuer;
  const POOL_ARN = 'arn:aws:cognito-idp:eu-west-1:123456789012:userpool/local_rest';
  beforeAll(async () => {
    issuer = await createTestIssuer({ userPoolId: 'local_rest', clientId: 'web' }).start();
  });
  afterAll(() => issuer.stop());

  async function restGatewayAllows(
    document: OpenApiDocument,
    method: string,
    path: string,
    token: string | undefined,
    authorizer: ReturnType<typeof createAuthorizer>,
  ): Promise<boolean> {
    const security = new Map<string, readonly Record<string, readonly string[]>[]>();
    for (const [p, item] of Object.entries(document.paths)) {
      for (const [k, operation] of Object.entries(item)) {
        const m = METHODS[k];
        if (m) security.set(`${m} ${p}`, operation.security ?? []);
      }
    }
    const route = selectRoute([...security.keys()], method, path);
    if (route === undefined) return false; // 403 Missing Authentication Token
    const [requirement] = security.get(route) ?? [];
    const [scheme, scopes = []] = Object.entries(requirement ?? {})[0] ?? [];
    if (scheme === undefined) return true;
    if (token === undefined) return false;
    if (scheme === REST_SCHEMES.cognito) {
      const claims = decodeJwt(token).payload as Record<string, unknown>;
      const granted = String(claims['scope'] ?? '').split(' ');
      const fits =
        scopes.length > 0
          ? claims['token_use'] === 'access' && scopes.some((s) => granted.includes(s))
          : claims['token_use'] === 'id';
      return (
        claims['iss'] === issuer.issuer && (claims['exp'] as number) * 1000 > Date.now() && fits
      );
    }
    try {
      const event = requestAuthorizerEvent({ method, path, token: `Bearer ${token}` });
      const answer = (await authorizer(event)) as {
        policyDocument: { Statement: { Effect: string; Resource: string[] }[] };
      };
      return iamAllows(answer.policyDocument.Statement, event.methodArn);
    } catch {
      return false;
    }
  }

  it('on generated policies, pool settings, principals and hostile requests', async () => {
    const settings = fc.constantFrom(
      { tokenUse: 'access' as const },
      { tokenUse: 'any' as const },
      { tokenUse: 'access' as const, clientId: null },
      { tokenUse: 'any' as const, clientId: null },
      { tokenUse: 'id' as const, clientId: null },
    );
    const defaults = fc.constantFrom('deny' as const, 'authenticated' as const, 'allow' as const);
    // Tokens of another client with the right scope, often: what a Cognito authorizer (which
    // checks no client) would let through where the guards refuse.
    const restCaller = fc.record({
      token: fc.constantFrom('access', 'other-client', 'other-client', 'id', 'none'),
      groups: fc.subarray(['admins', 'suspended']),
      scopes: fc.constantFrom(['movies/read'], ['movies/read'], []),
    });
    let stricter = 0;
    let compared = 0;
    const kinds = new Set<string>();
    await fc.assert(
      fc.asyncProperty(
        fc.tuple(policyArb, settings, defaults).chain(([generated, setting, defaultAction]) => {
          const policy = { ...generated, defaultAction };
          return fc.tuple(
            fc.constant(policy),
            fc.constant(setting),
            fc.array(fc.tuple(restCaller, requestsFor(policy)), { minLength: 4, maxLength: 12 }),
          );
        }),
        async ([policy, setting, cases]) => {
          const config: GuardConfig = { ...issuer.config, ...setting };
          let exported: ReturnType<typeof exportRestApi>;
          try {
            exported = exportRestApi(policy, {
              config,
              authorizerUri: 'arn:lambda',
              userPoolArn: POOL_ARN,
            });
          } catch {
            return; // a policy the guards refuse at start-up has nothing to export
          }
          for (const route of exported.routes) kinds.add(route.protection.kind);
          const counts = await compareCases(
            issuer,
            config,
            policy,
            cases,
            `the REST API (${JSON.stringify(setting)})`,
            (method, path, token, authorizer) =>
              restGatewayAllows(exported.document, method, path, token, authorizer),
          );
          compared += counts.compared;
          stricter += counts.stricter;
        },
      ),
      { numRuns: 300 },
    );
    if (process.env['SIMULATION_STATS']) console.log(`REST: stricter ${stricter} of ${compared}`);
    expect(compared).toBeGreaterThan(300);
    // Every kind of protection was exercised, the native Cognito authorizer included.
    expect([...kinds].sort()).toEqual(['cognito', 'lambda', 'public']);
  }, 90_000);
});
