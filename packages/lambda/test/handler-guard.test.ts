// Handler guards fed builder events and real captures, with real signed tokens and a real JWKS.

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ConfigError, memoryRevocationStore } from '@cognito-guard/core';
import {
  albEvent,
  createTestIssuer,
  decodeJwt,
  functionUrlEvent,
  httpApiEvent,
  lambdaContext,
  latticeEvent,
  restProxyEvent,
  type TestIssuer,
  tokenAuthorizerEvent,
} from '@cognito-guard/testing';
import {
  cognitoGuard,
  createAuthorizer,
  type HttpEventLike,
  type LambdaGuard,
  readEvent,
} from '../src';
import { movieGuard } from './movie-guard';

const fixtures = join(__dirname, '../../testing/fixtures');
const fixture = (name: string) => JSON.parse(readFileSync(join(fixtures, name), 'utf8'));

const ok = async (
  _event: unknown,
  context: { auth: { username?: string; groups: readonly string[] } },
) => ({
  statusCode: 200,
  body: JSON.stringify({ user: context.auth.username, groups: context.auth.groups }),
});

describe('handler guard, token mode', () => {
  const scene = movieGuard();
  const { alice, bob } = scene;
  const sources: [string, (token?: string) => HttpEventLike][] = [
    ['REST proxy', (token) => restProxyEvent({ path: '/movies', token })],
    ['HTTP API', (token) => httpApiEvent({ path: '/movies', routeKey: 'GET /movies', token })],
    ['ALB', (token) => albEvent({ path: '/movies', token })],
    ['ALB multi-value', (token) => albEvent({ path: '/movies', token, multiValueHeaders: true })],
    ['Function URL', (token) => functionUrlEvent({ path: '/movies', token })],
    ['VPC Lattice', (token) => latticeEvent({ path: '/movies', token })],
  ];

  it.each(sources)(
    '%s: allows the right group and hands the principal to the handler',
    async (_name, build) => {
      const handler = scene.guard.requireGroups('movies-group')(ok);
      const res = (await handler(build(alice()), lambdaContext())) as {
        statusCode: number;
        body: string;
      };
      expect(res.statusCode).toBe(200);
      expect(JSON.parse(res.body)).toEqual({ user: 'alice', groups: ['movies-group'] });
    },
  );

  it.each(sources)('%s: denies in that source’s response shape', async (name, build) => {
    const handler = scene.guard.requireGroups('movies-group')(ok);
    const forbidden = (await handler(build(bob()), lambdaContext())) as Record<string, unknown>;
    expect(forbidden).toMatchObject({
      statusCode: 403,
      body: '{"message":"Forbidden"}',
      isBase64Encoded: false,
    });
    const missing = (await handler(build(undefined), lambdaContext())) as Record<string, unknown>;
    expect(missing).toMatchObject({ statusCode: 401, body: '{"message":"Unauthorized"}' });
    if (name === 'ALB multi-value') {
      expect(forbidden['multiValueHeaders']).toMatchObject({
        'WWW-Authenticate': [expect.stringContaining('insufficient_scope')],
      });
      expect(forbidden).not.toHaveProperty('headers');
    } else {
      expect(forbidden['headers']).toMatchObject({
        'WWW-Authenticate': expect.stringContaining('insufficient_scope'),
        'Content-Type': 'application/json; charset=utf-8',
      });
      expect(missing['headers']).toMatchObject({ 'WWW-Authenticate': 'Bearer realm="api"' });
    }
    if (name.startsWith('ALB')) {
      expect(forbidden['statusDescription']).toBe('403 Forbidden');
      expect(missing['statusDescription']).toBe('401 Unauthorized');
    } else {
      expect(forbidden).not.toHaveProperty('statusDescription');
    }
  });

  it('answers expired tokens as API Gateway does', async () => {
    const handler = scene.guard.requireGroups('movies-group')(ok);
    const res = (await handler(
      restProxyEvent({ token: scene.issuer.brokenToken('expired') }),
      lambdaContext(),
    )) as Record<string, unknown>;
    expect(res).toMatchObject({
      statusCode: 401,
      body: '{"message":"The incoming token has expired"}',
    });
  });

  it('looks headers up case-insensitively', async () => {
    const handler = scene.guard.requireGroups('movies-group')(ok);
    const event = restProxyEvent({ headers: { AUTHORIZATION: `Bearer ${alice()}` } });
    expect(
      await handler({ ...event, multiValueHeaders: undefined }, lambdaContext()),
    ).toMatchObject({ statusCode: 200 });
  });

  it('refuses several Authorization values with 400, never first-one-wins', async () => {
    const handler = scene.guard.requireGroups('movies-group')(ok);
    const rest = restProxyEvent({});
    const twoMulti = {
      ...rest,
      multiValueHeaders: { Authorization: [`Bearer ${alice()}`, `Bearer ${bob()}`] },
    };
    expect(await handler(twoMulti, lambdaContext())).toMatchObject({ statusCode: 400 });
    const twoCases = {
      ...rest,
      multiValueHeaders: undefined,
      headers: { Authorization: `Bearer ${alice()}`, authorization: `Bearer ${bob()}` },
    };
    expect(await handler(twoCases, lambdaContext())).toMatchObject({ statusCode: 400 });
    const joined = httpApiEvent({
      headers: { authorization: `Bearer ${alice()},Bearer ${bob()}` },
    });
    expect(await handler(joined, lambdaContext())).toMatchObject({ statusCode: 400 });
    // VPC Lattice sends every value of a header in one list.
    const lattice = latticeEvent({});
    const twoInList = {
      ...lattice,
      headers: { ...lattice.headers, authorization: [`Bearer ${alice()}`, `Bearer ${bob()}`] },
    };
    expect(await handler(twoInList, lambdaContext())).toMatchObject({ statusCode: 400 });
    const bothOrders = {
      ...twoInList,
      headers: { ...twoInList.headers, authorization: [`Bearer ${bob()}`, `Bearer ${alice()}`] },
    };
    expect(await handler(bothOrders, lambdaContext())).toMatchObject({ statusCode: 400 });
  });

  it('reads the token from the REST and HTTP API fixtures (then refuses their placeholder signature)', async () => {
    const handler = scene.guard.authenticate()(ok);
    for (const name of ['rest-proxy-cognito-authorizer.json', 'http-api-jwt-authorizer-v2.json']) {
      const res = (await handler(fixture(name), lambdaContext())) as {
        statusCode: number;
        headers: Record<string, string>;
      };
      expect(res.statusCode).toBe(401);
      expect(res.headers['WWW-Authenticate']).toContain('error="invalid_token"');
    }
    expect(readEvent(fixture('alb-target-request.json')).source).toBe('alb');
    expect(readEvent(fixture('alb-target-request-multi-value.json')).multiValue).toBe(true);
    expect(readEvent(fixture('function-url.json')).source).toBe('function-url');
    for (const name of [
      'http-api-jwt-authorizer-v2.json',
      'http-api-jwt-authorizer-v1.json',
      'rest-proxy-cognito-authorizer.json',
      'function-url.json',
      'alb-target-request.json',
    ]) {
      expect(readEvent(fixture(name)).request).toMatchObject({ method: 'GET', path: '/movies/42' });
    }
  });

  it('guards routes with the shared policy, stripping a named HTTP API stage', async () => {
    const policy = JSON.parse(
      readFileSync(join(__dirname, '../../../examples/policy.json'), 'utf8'),
    );
    const handler = scene.guard.guardRoutes(policy)(async (_event, context) => ({
      statusCode: 200,
      body: JSON.stringify({ user: context.auth?.username ?? null }),
    }));
    const staged = httpApiEvent({ path: '/movies', stage: 'prod', token: alice() });
    expect(staged.rawPath).toBe('/prod/movies');
    expect(await handler(staged, lambdaContext())).toMatchObject({ statusCode: 200 });
    expect(
      await handler(httpApiEvent({ path: '/shows', token: alice() }), lambdaContext()),
    ).toMatchObject({ statusCode: 403 });
    expect(await handler(restProxyEvent({ path: '/health' }), lambdaContext())).toMatchObject({
      statusCode: 200,
      body: '{"user":null}',
    });
  });

  it('reads the route API Gateway selected beside a path that carries a custom domain’s base path', async () => {
    const handler = scene.guard.guardRoutes({
      defaultAction: 'allow',
      routes: {
        'GET /admin': { groups: ['admins'] },
        'GET /movies/{id}': { groups: ['movies-group'] },
      },
    })(async () => ({ statusCode: 200, body: 'reached' }));
    const status = async (event: Parameters<typeof handler>[0]) =>
      ((await handler(event, lambdaContext())) as { statusCode: number }).statusCode;
    // A REST API behind a custom domain mapped at /v1: `path` keeps the base path, `resource`
    // (what API Gateway selected) does not. `/v1/admin` is no route of the policy; `/admin` is.
    expect(await status(restProxyEvent({ path: '/v1/admin', resource: '/admin' }))).toBe(401);
    expect(
      await status(restProxyEvent({ path: '/v1/admin', resource: '/admin', token: alice() })),
    ).toBe(403);
    const movie = { path: '/v1/movies/42', resource: '/movies/{id}' };
    expect(await status(restProxyEvent({ ...movie, token: alice() }))).toBe(200);
    expect(await status(restProxyEvent({ ...movie, token: bob() }))).toBe(403);
    // An HTTP API names its route key.
    expect(await status(httpApiEvent({ path: '/v1/admin', routeKey: 'GET /admin' }))).toBe(401);
    expect(
      await status(httpApiEvent({ method: 'HEAD', path: '/v1/admin', routeKey: 'ANY /admin' })),
    ).toBe(401);
    // The path's own reading still holds beside the selected route's, the stricter deciding.
    expect(
      await status(httpApiEvent({ path: '/admin', routeKey: 'GET /movies/{id}', token: alice() })),
    ).toBe(403);
    // API Gateway's key finds the policy's whatever either calls its parameters.
    expect(
      await status(httpApiEvent({ path: '/v1/movies/42', routeKey: 'GET /movies/{movieId}' })),
    ).toBe(401);
    expect(
      await status(
        restProxyEvent({ path: '/v1/movies/42', resource: '/movies/{movie}', token: bob() }),
      ),
    ).toBe(403);
    // A route the policy does not name adds nothing: the default decides, as before.
    expect(await status(httpApiEvent({ path: '/v1/else', routeKey: 'GET /{proxy+}' }))).toBe(200);
    expect(await status(httpApiEvent({ path: '/v1/else', routeKey: '$default' }))).toBe(200);
  });

  it('reads a named stage out of an HTTP API payload 1.0 path, as API Gateway matches it', async () => {
    const handler = scene.guard.guardRoutes({
      defaultAction: 'deny',
      routes: { 'GET /movies/{id}': { groups: ['movies-group'] } },
    })(ok);
    const staged = (token: string) => {
      const event = fixture('http-api-jwt-authorizer-v1.json');
      event.path = '/dev/movies/42';
      event.requestContext = { ...event.requestContext, path: '/dev/movies/42', stage: 'dev' };
      event.headers = { ...event.headers, authorization: `Bearer ${token}` };
      event.multiValueHeaders = undefined;
      return event;
    };
    expect(readEvent(staged(alice())).request.path).toBe('/movies/42');
    expect(await handler(staged(alice()), lambdaContext())).toMatchObject({ statusCode: 200 });
    expect(await handler(staged(bob()), lambdaContext())).toMatchObject({ statusCode: 403 });
  });

  it('reads a REST path that repeats its stage both as sent and without it, as @fastify/aws-lambda routes it', async () => {
    const handler = scene.guard.guardRoutes({
      defaultAction: 'deny',
      routes: { 'GET /movies': { groups: ['movies-group'] }, 'ANY /{proxy+}': { public: true } },
    })(async () => ({ statusCode: 200 }));
    const status = async (event: Parameters<typeof handler>[0]) =>
      ((await handler(event, lambdaContext())) as { statusCode: number }).statusCode;
    // `/prod/prod/movies` sent to the stage `prod`: API Gateway selects `/{proxy+}` for
    // `/prod/movies`, and @fastify/aws-lambda hands the app `/movies`.
    const twice = { path: '/prod/movies?x=1', resource: '/{proxy+}' };
    expect(readEvent(restProxyEvent(twice)).request).toMatchObject({
      path: '/prod/movies?x=1',
      routedUrl: '/movies?x=1',
    });
    expect(await status(restProxyEvent(twice))).toBe(401);
    expect(await status(restProxyEvent({ ...twice, token: bob() }))).toBe(403);
    expect(await status(restProxyEvent({ ...twice, token: alice() }))).toBe(200);
    // The path has one reading when the selected resource itself begins with the stage, when
    // the stage is another, and on an HTTP API (whose stage is read out of the path already).
    for (const event of [
      restProxyEvent({ path: '/prod/movies', resource: '/prod/movies' }),
      restProxyEvent({ path: '/prod/movies', resource: '/{proxy+}', stage: 'dev' }),
      httpApiEvent({ path: '/prod/movies', stage: 'prod' }),
    ]) {
      expect(readEvent(event).request.routedUrl).toBeUndefined();
    }
    expect(await status(restProxyEvent({ path: '/prod/else', resource: '/{proxy+}' }))).toBe(200);
  });

  it('reads a custom domain’s base path named as the stage as the policy’s basePath', async () => {
    // A custom domain maps `v1` to the stage `v1`: every path begins with it, and a policy says
    // so with `basePath`. Without the stage, a path is the one the policy reads inside its base.
    const handler = scene.guard.guardRoutes({
      basePath: '/v1',
      defaultAction: 'deny',
      routes: { 'GET /movies/{id}': { groups: ['movies-group'] } },
    })(ok);
    const movie = { path: '/v1/movies/42', resource: '/movies/{id}', stage: 'v1' };
    const status = async (token: string) =>
      (
        (await handler(restProxyEvent({ ...movie, token }), lambdaContext())) as {
          statusCode: number;
        }
      ).statusCode;
    expect(await status(alice())).toBe(200);
    expect(await status(bob())).toBe(403);
  });

  it('authenticate({ optional: true }) passes anonymous events with auth undefined', async () => {
    const handler = scene.guard.authenticate({ optional: true })(async (_event, context) => ({
      statusCode: 200,
      body: context.auth?.username ?? 'anonymous',
    }));
    expect(await handler(restProxyEvent({}), lambdaContext())).toMatchObject({
      statusCode: 200,
      body: 'anonymous',
    });
    expect(await handler(restProxyEvent({ token: alice() }), lambdaContext())).toMatchObject({
      body: 'alice',
    });
    expect(await handler(restProxyEvent({ token: 'x.y.z' }), lambdaContext())).toMatchObject({
      statusCode: 401,
    });
  });

  it.each([
    ['nothing', undefined],
    ['null', null],
    ['a Middy request object', { event: {}, context: {} }],
  ])('refuses to wrap %s at start-up: a handler must be a function', (_name, handler) => {
    const message = 'Invalid guarded handler: handler: must be a function';
    const guard = scene.guard.requireGroups('movies-group');
    // Before, the first allowed event failed the invocation (a 502) calling it, or wrapping threw
    // a TypeError naming a symbol.
    expect(() => guard(handler as never)).toThrow(ConfigError);
    expect(() => guard(handler as never)).toThrow(message);
    expect(() => guard.streaming(handler as never)).toThrow(message);
  });

  it('says so when the guard itself is exported as the handler, as the runtime then calls it', () => {
    const guard = scene.guard.requireGroups('movies-group');
    const message =
      'Invalid guarded handler: handler: must be a function; got an event: export requireGroups(…)(handler), not the guard itself';
    for (const event of [restProxyEvent({ token: alice() }), httpApiEvent({ token: alice() })]) {
      const thrown = (() => {
        try {
          (guard as (...args: unknown[]) => unknown)(event, lambdaContext());
        } catch (err) {
          return err;
        }
        return undefined;
      })();
      expect(thrown).toBeInstanceOf(ConfigError);
      expect((thrown as ConfigError).message).toBe(message);
    }
  });

  it('works as Middy middleware', async () => {
    const middleware = scene.guard.requireGroups('movies-group');
    const context: Record<string, unknown> = {};
    expect(
      await middleware.before({ event: restProxyEvent({ token: alice() }), context }),
    ).toBeUndefined();
    expect((context['auth'] as { username: string }).username).toBe('alice');
    expect(
      await middleware.before({ event: restProxyEvent({ token: bob() }), context: {} }),
    ).toMatchObject({ statusCode: 403 });
  });

  it('works with @middy/core', async () => {
    const { default: middy } = await import('@middy/core');
    const handler = middy(async (_event: unknown, context: { auth?: { username?: string } }) => ({
      statusCode: 200,
      body: context.auth?.username ?? '',
    })).use(scene.guard.requireGroups('movies-group'));
    expect(
      await handler(restProxyEvent({ token: alice() }) as never, lambdaContext() as never),
    ).toMatchObject({ statusCode: 200, body: 'alice' });
    expect(
      await handler(restProxyEvent({ token: bob() }) as never, lambdaContext() as never),
    ).toMatchObject({ statusCode: 403 });
  });

  it('keeps the Lambda context usable in the handler', async () => {
    const handler = scene.guard.authenticate()(
      async (_event, context: { getRemainingTimeInMillis(): number; auth: { sub: string } }) => ({
        statusCode: 200,
        body: String(context.getRemainingTimeInMillis() > 0 && context.auth.sub.length > 0),
      }),
    );
    expect(await handler(restProxyEvent({ token: alice() }), lambdaContext())).toMatchObject({
      body: 'true',
    });
  });
});

describe("handler guard, claimsSource 'api-gateway'", () => {
  let issuer: TestIssuer;
  let guard: LambdaGuard;
  const warnings: string[] = [];
  beforeAll(async () => {
    issuer = await createTestIssuer().start();
    guard = cognitoGuard({
      ...issuer.config,
      tokenUse: 'any',
      claimsSource: 'api-gateway',
      logger: { warn: (m) => void warnings.push(m) },
    });
  });
  afterAll(() => issuer.stop());

  const carol = () =>
    decodeJwt(
      issuer.accessToken({
        username: 'carol',
        groups: ['movies-group', 'shows-group'],
        scopes: ['movies/read'],
      }),
    ).payload;

  it('reads REST Cognito authorizer claims ("a,b", Java-date exp) without any key fetch', async () => {
    // Other tests of this issuer fetch its keys, in any order: only this test's fetches count.
    const fetched = issuer.jwksRequests;
    // "movies-group,shows-group" could also be one group of that name: allow-rules fail closed,
    // deny-rules match either reading, until the pool's names are declared comma-free.
    const strict = guard.requireGroups('shows-group')(ok);
    expect(await strict(restProxyEvent({ claims: carol() }), lambdaContext())).toMatchObject({
      statusCode: 403,
    });
    const commaFree = cognitoGuard({
      ...issuer.config,
      tokenUse: 'any',
      claimsSource: 'api-gateway',
      commaFreeGroupNames: true,
    });
    const handler = commaFree.requireGroups('shows-group')(ok);
    const res = (await handler(restProxyEvent({ claims: carol() }), lambdaContext())) as {
      statusCode: number;
      body: string;
    };
    expect(res.statusCode).toBe(200);
    expect(JSON.parse(res.body)).toEqual({
      user: 'carol',
      groups: ['movies-group', 'shows-group'],
    });
    expect(issuer.jwksRequests).toBe(fetched);
  });

  it('reads HTTP API JWT authorizer claims ("[a b]") and jwt.scopes', async () => {
    const handler = guard.requireScopes('movies/read')(ok);
    const res = (await handler(
      httpApiEvent({ claims: carol(), scopes: ['movies/read'] }),
      lambdaContext(),
    )) as { statusCode: number; body: string };
    expect(res.statusCode).toBe(200);
    expect(JSON.parse(res.body).groups).toEqual(['movies-group', 'shows-group']);
  });

  it('reads a Lambda authorizer context on REST and HTTP APIs', async () => {
    const handler = guard.requireGroups('movies-group')(ok);
    const context = {
      format: 'cognito-guard/2',
      sub: 'u-1',
      username: 'carol',
      groups: '["movies-group","shows-group"]',
      scopes: '',
      tokenUse: 'access',
      iss: issuer.issuer,
      exp: Math.floor(Date.now() / 1000) + 60,
      clientId: issuer.clientId,
    };
    expect(
      await handler(restProxyEvent({ authorizerContext: context }), lambdaContext()),
    ).toMatchObject({ statusCode: 200 });
    expect(
      await handler(httpApiEvent({ authorizerContext: context }), lambdaContext()),
    ).toMatchObject({ statusCode: 200 });
    expect(
      await handler(
        httpApiEvent({ authorizerContext: { ...context, groups: '["shows-group"]' } }),
        lambdaContext(),
      ),
    ).toMatchObject({ statusCode: 403 });
  });

  it('re-checks revocation on every request behind a caching authorizer (its context carries jti, origin_jti, auth_time)', async () => {
    const store = memoryRevocationStore();
    const settings = { ...issuer.config, revocation: { store }, logger: { warn: () => undefined } };
    const authorizer = createAuthorizer({ ...settings, policy: { routes: { 'GET /movies': {} } } });
    const trusting = cognitoGuard({ ...settings, tokenUse: 'any', claimsSource: 'api-gateway' });
    const handler = trusting.requireGroups('movies-group')(ok);
    const token = issuer.accessToken({ username: 'carol', groups: ['movies-group'] });
    const { context } = (await authorizer(
      tokenAuthorizerEvent({ token, method: 'GET', path: '/movies' }),
    )) as { context: Record<string, string | number | boolean> };
    // REST hands context values over as strings; HTTP API keeps their types.
    const restContext = Object.fromEntries(Object.entries(context).map(([k, v]) => [k, String(v)]));
    const events = [
      restProxyEvent({ authorizerContext: restContext }),
      httpApiEvent({ authorizerContext: context }),
    ];
    for (const event of events) {
      expect(await handler(event, lambdaContext())).toMatchObject({ statusCode: 200 });
    }
    await store.revokeToken(token);
    for (const event of events) {
      expect(await handler(event, lambdaContext())).toMatchObject({ statusCode: 401 });
    }
    const signedOut = memoryRevocationStore();
    const afterSignOut = cognitoGuard({
      ...settings,
      revocation: { store: signedOut },
      tokenUse: 'any',
      claimsSource: 'api-gateway',
    });
    await signedOut.signOutUser(String(context['sub']));
    expect(
      await afterSignOut.requireGroups('movies-group')(ok)(
        events[0] as HttpEventLike,
        lambdaContext(),
      ),
    ).toMatchObject({ statusCode: 401 });
  });

  it('reads the REST fixture and refuses it for its foreign pool', async () => {
    const handler = guard.authenticate()(ok);
    expect(
      await handler(fixture('rest-proxy-cognito-authorizer.json'), lambdaContext()),
    ).toMatchObject({ statusCode: 401 });
  });

  it('refuses, with a log line, events that carry no authorizer claims', async () => {
    const handler = guard.authenticate()(ok);
    warnings.length = 0;
    const res = await handler(functionUrlEvent({ token: issuer.accessToken() }), lambdaContext());
    expect(res).toMatchObject({ statusCode: 401 });
    expect(warnings).toEqual([
      expect.stringContaining(
        "claimsSource is 'api-gateway' but this function-url event carries no authorizer claims",
      ),
    ]);
    expect(
      await handler(restProxyEvent({ token: issuer.accessToken() }), lambdaContext()),
    ).toMatchObject({ statusCode: 401 });
    expect(await handler(albEvent({ token: issuer.accessToken() }), lambdaContext())).toMatchObject(
      { statusCode: 401 },
    );
  });

  it('checks the claims against the configured pool, client and expiry', async () => {
    const handler = guard.authenticate()(ok);
    const claims = carol();
    expect(
      await handler(
        restProxyEvent({ claims: { ...claims, iss: 'https://elsewhere/x' } }),
        lambdaContext(),
      ),
    ).toMatchObject({ statusCode: 401 });
    expect(
      await handler(restProxyEvent({ claims: { ...claims, client_id: 'other' } }), lambdaContext()),
    ).toMatchObject({ statusCode: 401 });
    const expired = (await handler(
      restProxyEvent({ claims: { ...claims, exp: 1_000_000 } }),
      lambdaContext(),
    )) as { body: string };
    expect(expired.body).toBe('{"message":"The incoming token has expired"}');
  });
});
