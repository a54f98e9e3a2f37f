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
    // Refusals are expected; a reader that failed on an event (the guard's net) is a bug to show.
    const failures: string[] = [];
    const quiet = {
      warn: (message: string) => {
        if (message.includes('could not be read (')) failures.push(message);
      },
    };
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
    expect(failures).toEqual([]);
  });

  it('answers 400 to an event its readers fail on, and tells the operator why', async () => {
    const warnings: string[] = [];
    const decided: string[] = [];
    const guard = cognitoGuard({
      ...issuer.config,
      logger: { warn: (message) => warnings.push(message) },
      onDecision: (decision) => {
        decided.push(decision.allowed ? 'allowed' : decision.error.reason);
      },
    });
    await guard.ready();
    const token = issuer.accessToken({ groups: ['movies-group'] });
    // A reader's bug, standing in for any: the event throws a TypeError where a header is read.
    const event = restProxyEvent({ method: 'GET', path: '/movies', token });
    for (const field of ['headers', 'multiValueHeaders']) {
      Object.defineProperty(event, field, {
        get: () => {
          throw new TypeError('headers is not iterable');
        },
      });
    }
    let ran = false;
    const handler = guard.requireGroups('movies-group')(async () => {
      ran = true;
      return { statusCode: 200, body: 'ran' };
    });
    const answer = (await handler(event, lambdaContext())) as {
      statusCode: number;
      headers?: Record<string, string>;
    };
    expect(answer.statusCode).toBe(400);
    expect(answer.headers?.['WWW-Authenticate'] ?? '').toContain('invalid_request');
    expect(ran).toBe(false);
    // One line, with the cause: for the operator, not the client.
    expect(warnings).toEqual([
      'cognito-guard: refused an event: The event could not be read (TypeError: headers is not iterable)',
    ]);
    expect(JSON.stringify(answer)).not.toContain('iterable');
    expect(decided).toEqual(['request_unreadable']);
    // Middy's before step answers the same.
    const middyAnswer = (await guard
      .requireGroups('movies-group')
      .before({ event, context: lambdaContext() })) as { statusCode: number };
    expect(middyAnswer.statusCode).toBe(400);
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
