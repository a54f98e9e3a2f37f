// Real events with any field replaced by anything: the guard answers every one itself (a 4xx
// before the handler, or the handler's own answer), in every mode, and never throws. A throw is
// a failed invocation, which API Gateway turns into a 500 or 502 the client cannot act on.

import {
  albEvent,
  createTestIssuer,
  decodeJwt,
  functionUrlEvent,
  httpApiEvent,
  httpAuthorizerEvent,
  lambdaContext,
  latticeEvent,
  requestAuthorizerEvent,
  restProxyEvent,
  type TestIssuer,
  tokenAuthorizerEvent,
} from '@cognito-guard/testing';
import fc from 'fast-check';
import { cognitoGuard, createAuthorizer, type HttpEventLike } from '../src';

const policy = {
  defaultAction: 'deny',
  routes: {
    'GET /': { public: true },
    'GET /movies': { groups: ['movies-group'] },
    'POST /movies': { groups: ['movies-group'] },
  },
} as const;

// Where a field can sit in an event: a key path into it.
const FIELDS = [
  ['headers'],
  ['headers', 'authorization'],
  ['headers', 'Authorization'],
  ['headers', 'content-type'],
  ['multiValueHeaders'],
  ['multiValueHeaders', 'Authorization'],
  ['cookies'],
  ['version'],
  ['httpMethod'],
  ['method'],
  ['path'],
  ['rawPath'],
  ['resource'],
  ['routeKey'],
  ['body'],
  ['isBase64Encoded'],
  ['queryStringParameters'],
  ['multiValueQueryStringParameters'],
  ['rawQueryString'],
  ['requestContext'],
  ['requestContext', 'http'],
  ['requestContext', 'http', 'method'],
  ['requestContext', 'stage'],
  ['requestContext', 'domainName'],
  ['requestContext', 'routeKey'],
  ['requestContext', 'elb'],
  ['requestContext', 'authorizer'],
  ['requestContext', 'authorizer', 'claims'],
  ['requestContext', 'authorizer', 'claims', 'exp'],
  ['requestContext', 'authorizer', 'claims', 'cognito:groups'],
  ['requestContext', 'authorizer', 'jwt'],
  ['requestContext', 'authorizer', 'jwt', 'claims'],
  ['requestContext', 'authorizer', 'jwt', 'scopes'],
  ['requestContext', 'authorizer', 'lambda'],
  ['requestContext', 'authorizer', 'lambda', 'groups'],
  ['requestContext', 'authorizer', 'principalId'],
  ['requestContext', 'authorizer', 'groups'],
  ['requestContext', 'resourcePath'],
  ['requestContext', 'serviceArn'],
  ['type'],
  ['authorizationToken'],
  ['methodArn'],
  ['routeArn'],
  ['identitySource'],
] as const;

function withField(event: unknown, path: readonly string[], value: unknown): unknown {
  const copy = structuredClone(event) as Record<string, unknown>;
  let at: Record<string, unknown> = copy;
  for (const key of path.slice(0, -1)) {
    const next = at[key];
    if (next === null || typeof next !== 'object') at[key] = {};
    at = at[key] as Record<string, unknown>;
  }
  at[path.at(-1) as string] = value;
  return copy;
}

const RUNS = { numRuns: Number(process.env['HOSTILE_RUNS'] ?? 2000) };
const value = (token: string) =>
  fc.oneof(
    fc.anything({ maxDepth: 2, withNullPrototype: true, withObjectString: true }),
    fc.constantFrom('', '/', 'GET', '2.0', '1.0', 'TOKEN', `Bearer ${token}`, [`Bearer ${token}`]),
  );
const changesOf = (token: string) =>
  fc.array(fc.tuple(fc.constantFrom(...FIELDS), value(token)), { minLength: 1, maxLength: 3 });
const applied = (event: unknown, changes: readonly (readonly [readonly string[], unknown])[]) =>
  changes.reduce((e, [path, v]) => withField(e, path, v), event);

let issuer: TestIssuer;
beforeAll(async () => {
  issuer = await createTestIssuer().start();
});
afterAll(() => issuer.stop());

describe('hostile events', () => {
  it('are answered, never thrown, by rule guards, route policies and trust mode (fast-check)', async () => {
    const quiet = { warn: () => undefined };
    const byToken = cognitoGuard({ ...issuer.config, logger: quiet });
    const byClaims = cognitoGuard({
      ...issuer.config,
      claimsSource: 'api-gateway',
      logger: quiet,
    });
    await byToken.ready();
    const ok = async () => ({ statusCode: 200, body: 'ran' });
    const handlers = [
      byToken.requireGroups('movies-group')(ok),
      byToken.guardRoutes(policy)(ok),
      byClaims.requireGroups('movies-group')(ok),
      byClaims.guardRoutes(policy)(ok),
    ];
    const token = issuer.accessToken({ username: 'alice', groups: ['movies-group'] });
    const claims = decodeJwt(token).payload;
    const context = {
      format: 'cognito-guard/2',
      sub: String(claims['sub']),
      groups: '["movies-group"]',
      scopes: '',
      tokenUse: 'access',
      iss: issuer.issuer,
      exp: Math.floor(Date.now() / 1000) + 600,
      clientId: issuer.clientId,
    };
    const request = { method: 'POST', path: '/movies', token, body: '{"title":"x"}' };
    const events: unknown[] = [
      restProxyEvent({ ...request, claims }),
      restProxyEvent({ ...request, authorizerContext: context }),
      httpApiEvent({ ...request, claims }),
      httpApiEvent({ ...request, version: '1.0', claims }),
      httpApiEvent({ ...request, authorizerContext: context }),
      functionUrlEvent(request),
      albEvent(request),
      latticeEvent(request),
    ];
    const statuses = new Set<number>();
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...events),
        changesOf(token),
        fc.constantFrom(...handlers),
        async (event, changes, handler) => {
          const hostile = applied(event, changes);
          const answer = (await handler(hostile as HttpEventLike, lambdaContext())) as {
            statusCode: number;
            body?: string;
          };
          statuses.add(answer.statusCode);
          expect([200, 400, 401, 403]).toContain(answer.statusCode);
          if (answer.statusCode === 200) expect(answer.body).toBe('ran');
        },
      ),
      RUNS,
    );
    // The mix reaches both sides of the guard, or it proves little.
    expect(statuses).toContain(200);
    expect(statuses).toContain(401);
  });

  it('get an answer or exactly Error("Unauthorized") from the authorizer, in both response kinds (fast-check)', async () => {
    const settings = { ...issuer.config, policy, logger: { warn: () => undefined } };
    const authorizers = [
      createAuthorizer(settings),
      createAuthorizer({ ...settings, simpleResponses: true }),
    ];
    await authorizers[0]?.ready();
    const token = issuer.accessToken({ username: 'alice', groups: ['movies-group'] });
    const request = { method: 'GET', path: '/movies', token };
    const events: unknown[] = [
      tokenAuthorizerEvent(request),
      requestAuthorizerEvent(request),
      httpAuthorizerEvent(request),
      httpAuthorizerEvent({ ...request, version: '1.0' }),
    ];
    const outcomes = new Set<string>();
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...events),
        changesOf(token),
        fc.constantFrom(...authorizers),
        async (event, changes, authorizer) => {
          try {
            const result = await authorizer(applied(event, changes) as never);
            outcomes.add('answered');
            if ('isAuthorized' in result) expect(typeof result.isAuthorized).toBe('boolean');
            else expect(result.policyDocument.Statement.length).toBeGreaterThan(0);
          } catch (err) {
            outcomes.add('refused');
            expect(err).toEqual(new Error('Unauthorized'));
          }
        },
      ),
      RUNS,
    );
    expect(outcomes).toEqual(new Set(['answered', 'refused']));
  });
});
