// Events the guard cannot read as an HTTP request (another service's, a VPC Lattice V1 one, a
// hand-made or broken one): a route policy refuses them with a 400 before any handler runs (read
// with defaults, a VPC Lattice `POST /admin` was judged as `GET /`, a public route, and reached
// the handler); a rule, which decides on the caller alone, reads the caller from their headers.

import {
  createTestIssuer,
  httpApiEvent,
  httpAuthorizerEvent,
  lambdaContext,
  latticeEvent,
  requestAuthorizerEvent,
  restProxyEvent,
  type TestIssuer,
} from '@cognito-guard/testing';
import { cognitoGuard, createAuthorizer, type HttpEventLike, type LambdaGuard } from '../src';

const policy = {
  defaultAction: 'deny',
  routes: {
    'GET /': { public: true },
    'GET /movies': { groups: ['movies-group'] },
    'POST /admin': { groups: ['admins'] },
  },
} as const;

describe('events the guard cannot read', () => {
  let issuer: TestIssuer;
  let guard: LambdaGuard;
  const warnings: string[] = [];
  beforeAll(async () => {
    issuer = await createTestIssuer().start();
    guard = cognitoGuard({
      ...issuer.config,
      realm: 'movies',
      logger: { ...console, warn: (message: string) => warnings.push(message) },
    });
    await guard.ready();
  });
  afterAll(() => issuer.stop());

  // A caller in movies-group only: every route but `GET /` and `GET /movies` is closed to her.
  const alice = () => issuer.accessToken({ username: 'alice', groups: ['movies-group'] });
  const bearer = () => `Bearer ${alice()}`;

  const events: [string, () => unknown][] = [
    ['null (a direct invoke with no payload)', () => null],
    ['a string', () => 'GET /admin'],
    ['an empty object', () => ({})],
    ['an SQS batch', () => ({ Records: [{ messageId: '1', eventSource: 'aws:sqs', body: '{}' }] })],
    [
      'an EventBridge event',
      () => ({ version: '0', 'detail-type': 'x', source: 'app', detail: {}, resources: [] }),
    ],
    [
      'a CloudFront viewer request (Lambda@Edge)',
      () => ({
        Records: [
          {
            cf: {
              config: { eventType: 'viewer-request' },
              request: {
                method: 'POST',
                uri: '/admin',
                headers: { authorization: [{ key: 'Authorization', value: bearer() }] },
              },
            },
          },
        ],
      }),
    ],
    [
      'a VPC Lattice event without its method',
      () => ({
        ...latticeEvent({ method: 'POST', path: '/admin', token: alice() }),
        method: undefined,
      }),
    ],
    [
      'a VPC Lattice event, version 1.0',
      () => ({
        raw_path: '/admin',
        method: 'POST',
        headers: { authorization: bearer() },
        query_string_parameters: {},
        body: '{}',
        is_base64_encoded: false,
      }),
    ],
    [
      'a REST event without httpMethod',
      () => ({ ...restProxyEvent({ path: '/admin', token: alice() }), httpMethod: undefined }),
    ],
    [
      'a REST event whose httpMethod is not a method',
      () => ({
        ...restProxyEvent({ path: '/admin', token: alice() }),
        httpMethod: 'GET / HTTP/1.1',
      }),
    ],
    [
      'a REST event without path',
      () => ({ ...restProxyEvent({ method: 'POST', token: alice() }), path: undefined }),
    ],
    [
      'a REST event whose path is not absolute',
      () => ({ ...restProxyEvent({ method: 'POST', token: alice() }), path: 'admin' }),
    ],
    [
      'an HTTP API event without requestContext.http',
      () => {
        const event = httpApiEvent({ method: 'POST', path: '/admin', token: alice() });
        return { ...event, requestContext: { ...event.requestContext, http: undefined } };
      },
    ],
    [
      'an HTTP API event without rawPath or http.path',
      () => {
        const event = httpApiEvent({ method: 'POST', path: '/admin', token: alice() });
        const http = { ...event.requestContext.http, path: undefined };
        return { ...event, rawPath: undefined, requestContext: { ...event.requestContext, http } };
      },
    ],
  ];

  // What the handler saw: `undefined` when it never ran.
  async function call(
    handler: (event: HttpEventLike, context: object) => Promise<unknown>,
    event: unknown,
  ): Promise<{ response: Record<string, unknown>; reachedAs: string | null | undefined }> {
    reachedAs = undefined;
    warnings.length = 0;
    const response = (await handler(event as HttpEventLike, lambdaContext())) as Record<
      string,
      unknown
    >;
    return { response, reachedAs };
  }
  let reachedAs: string | null | undefined;
  const app = async (_event: unknown, context: { auth?: { username?: string } }) => {
    reachedAs = context.auth?.username ?? null;
    return { statusCode: 200, body: 'reached' };
  };

  function expectUnreadable(response: Record<string, unknown>): void {
    expect(response).toMatchObject({
      statusCode: 400,
      body: JSON.stringify({ message: 'Bad Request' }),
      headers: { 'Cache-Control': 'no-store', 'Content-Type': expect.stringMatching(/json/) },
    });
    expect((response['headers'] as Record<string, string>)['WWW-Authenticate']).toMatch(
      /^Bearer realm="movies", error="invalid_request", error_description="The event is not an HTTP request: it has no (fields|HTTP method \((httpMethod|requestContext\.http\.method|method)\)|path \((path|rawPath)\))"$/,
    );
    expect(warnings).toEqual([expect.stringMatching(/^cognito-guard: refused an event: /)]);
  }

  // A route policy decides on the method and path: without them, there is nothing to decide on.
  describe('guardRoutes', () => {
    it.each(events)('refuses %s with a 400, and the handler never runs', async (_event, make) => {
      const { response, reachedAs } = await call(guard.guardRoutes(policy)(app), make());
      expect(reachedAs).toBeUndefined();
      expectUnreadable(response);
    });

    it('refuses as a Middy before step too', async () => {
      const before = guard.guardRoutes(policy).before;
      expect(await before({ event: null as never, context: {} })).toMatchObject({
        statusCode: 400,
      });
      const sqs = events[3]?.[1]() as HttpEventLike;
      expect(await before({ event: sqs, context: {} })).toMatchObject({ statusCode: 400 });
    });
  });

  // A rule decides on the caller alone, read from the headers of any event: a WebSocket API's
  // $connect, a unit test's hand-made event. Only an event that is not an object is a 400.
  describe.each([
    ['requireGroups', () => guard.requireGroups('movies-group')],
    ['authenticate', () => guard.authenticate()],
  ])('%s', (_name, build) => {
    it.each(events.slice(0, 2))('refuses %s with a 400', async (_event, make) => {
      const { response, reachedAs } = await call(build()(app), make());
      expect(reachedAs).toBeUndefined();
      expectUnreadable(response);
    });

    it.each(events.slice(2))(
      'reads the caller of %s from its headers: 401 without a token, alice with hers',
      async (_event, make) => {
        const event = make() as HttpEventLike;
        const { response, reachedAs } = await call(build()(app), event);
        const carriesToken = JSON.stringify(event).includes(alice().split('.')[0] as string);
        const headerToken = carriesToken && !('Records' in event);
        expect(reachedAs).toBe(headerToken ? 'alice' : undefined);
        expect(response['statusCode']).toBe(headerToken ? 200 : 401);
        expect(warnings).toEqual([]);
      },
    );

    it.each([
      [
        "a WebSocket API's $connect",
        () => ({
          headers: { Authorization: bearer(), Host: 'abc123.execute-api.eu-west-1.amazonaws.com' },
          multiValueHeaders: { Authorization: [bearer()] },
          isBase64Encoded: false,
          requestContext: { routeKey: '$connect', eventType: 'CONNECT', connectionId: 'c-1' },
        }),
      ],
      ["a unit test's { headers }", () => ({ headers: { authorization: bearer() } })],
    ])('lets %s through for the right caller', async (_event, make) => {
      const { response, reachedAs } = await call(build()(app), make());
      expect(response).toMatchObject({ statusCode: 200 });
      expect(reachedAs).toBe('alice');
    });

    // Refused, not skipped: a skipped value could be the second Authorization that makes a 400.
    it.each([
      ['a header value that is a number', () => ({ headers: { authorization: bearer(), n: 5 } })],
      ['a multi-value header holding an object', () => ({ multiValueHeaders: { A: [{}] } })],
      ['cookies holding a number', () => ({ headers: { authorization: bearer() }, cookies: [5] })],
      ['a headers map that is a string', () => ({ headers: 'authorization' })],
    ])('refuses %s with a 400, even beside a valid token', async (_label, make) => {
      const { response, reachedAs } = await call(build()(app), make());
      expect(reachedAs).toBeUndefined();
      expect(response).toMatchObject({ statusCode: 400, body: '{"message":"Bad Request"}' });
      expect((response['headers'] as Record<string, string>)['WWW-Authenticate']).toMatch(
        /error="invalid_request", error_description="The event is not an HTTP request: it has no readable (headers|multiValueHeaders|cookies)"$/,
      );
    });
  });

  it.each([
    ['REST', restProxyEvent],
    ['HTTP API', httpApiEvent],
    ['VPC Lattice', latticeEvent],
  ] as const)('still reads a %s event: POST /admin is judged as itself', async (_name, build) => {
    let reached = 0;
    const handler = guard.guardRoutes(policy)(async () => {
      reached++;
      return { statusCode: 200, body: 'reached' };
    });
    const admin = build({ method: 'POST', path: '/admin', token: alice() });
    expect(await handler(admin, lambdaContext())).toMatchObject({ statusCode: 403 });
    const home = build({ method: 'GET', path: '/' });
    expect(await handler(home, lambdaContext())).toMatchObject({ statusCode: 200 });
    expect(reached).toBe(1);
  });
});

describe('authorizers and events they cannot read', () => {
  let issuer: TestIssuer;
  beforeAll(async () => {
    issuer = await createTestIssuer().start();
  });
  afterAll(() => issuer.stop());
  const alice = () => issuer.accessToken({ username: 'alice', groups: ['movies-group'] });

  it('an HTTP API simple-response authorizer refuses an event without a method', async () => {
    const authorizer = createAuthorizer({ ...issuer.config, policy, simpleResponses: true });
    await authorizer.ready();
    const event = httpAuthorizerEvent({ method: 'POST', path: '/admin', token: alice() });
    const methodless = {
      ...event,
      requestContext: {
        ...event.requestContext,
        http: { ...event.requestContext.http, method: undefined },
      },
    };
    await expect(authorizer(methodless as never)).rejects.toThrow('Unauthorized');
    const home = httpAuthorizerEvent({ method: 'GET', path: '/', token: alice() });
    await expect(authorizer(home as never)).resolves.toMatchObject({ isAuthorized: true });
  });

  it('a REQUEST authorizer authenticates from the headers alone', async () => {
    const authorizer = createAuthorizer({ ...issuer.config, policy });
    await authorizer.ready();
    const event = requestAuthorizerEvent({ method: 'GET', path: '/movies', token: alice() });
    const result = await authorizer({ ...event, httpMethod: undefined, path: undefined } as never);
    expect(result).toMatchObject({ principalId: expect.any(String) });
  });
});
