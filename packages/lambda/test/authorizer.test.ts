// The API Gateway Lambda authorizer: TOKEN, REQUEST, HTTP API v1 and v2, and cache-safe policies
// checked by replaying them, as API Gateway would, against every route of policy.json.

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { memoryRevocationStore } from '@cognito-guard/core';
import { verifyInWorkers } from '@cognito-guard/core/offload';
import {
  createTestIssuer,
  httpAuthorizerEvent,
  lambdaContext,
  requestAuthorizerEvent,
  restProxyEvent,
  type TestIssuer,
  tokenAuthorizerEvent,
} from '@cognito-guard/testing';
import {
  cognitoGuard,
  createAuthorizer,
  MAX_RESOURCE_LENGTH,
  type PolicyResult,
  type SimpleResult,
} from '../src';
import { iamAllows } from './iam-matcher';

const policy = JSON.parse(readFileSync(join(__dirname, '../../../examples/policy.json'), 'utf8'));
const fixtures = join(__dirname, '../../testing/fixtures');
const fixture = (name: string) => JSON.parse(readFileSync(join(fixtures, name), 'utf8'));
const ARN = 'arn:aws:execute-api:eu-west-1:123456789012:abc123/prod';

describe('createAuthorizer', () => {
  let issuer: TestIssuer;
  let authorizer: ReturnType<typeof createAuthorizer>;
  const users: Record<string, string[]> = {
    alice: ['movies-group'],
    bob: ['shows-group'],
    carol: ['movies-group', 'shows-group'],
    dave: [],
  };
  const token = (user: string) => issuer.accessToken({ username: user, groups: users[user] });

  beforeAll(async () => {
    issuer = await createTestIssuer().start();
    authorizer = createAuthorizer({ ...issuer.config, policy });
    await authorizer.ready();
  });
  afterAll(() => issuer.stop());

  it('answers a TOKEN event with an IAM policy, principalId = sub, and scalar context', async () => {
    const result = (await authorizer(
      tokenAuthorizerEvent({ token: `Bearer ${token('alice')}`, path: '/movies' }),
    )) as PolicyResult;
    expect(result.principalId).toMatch(/^[0-9a-f-]{36}$/);
    expect(result.policyDocument.Version).toBe('2012-10-17');
    expect(result.context).toMatchObject({
      format: 'cognito-guard/2',
      username: 'alice',
      groups: '["movies-group"]',
      tokenUse: 'access',
      clientId: issuer.clientId,
      iss: issuer.issuer,
    });
    for (const value of Object.values(result.context))
      expect(['string', 'number', 'boolean']).toContain(typeof value);
  });

  it.each(Object.keys(users))(
    'the cached policy for %s is right for every route of policy.json',
    async (user) => {
      const result = (await authorizer(
        tokenAuthorizerEvent({ token: token(user), path: '/movies' }),
      )) as PolicyResult;
      const statements = result.policyDocument.Statement;
      const expected: Record<string, boolean> = {
        'GET/movies': users[user]?.includes('movies-group') ?? false,
        'GET/movies/42': users[user]?.includes('movies-group') ?? false,
        'GET/shows': users[user]?.includes('shows-group') ?? false,
        'GET/shows/7': users[user]?.includes('shows-group') ?? false,
        'GET/health': true,
        'POST/movies': false,
        'DELETE/shows/7': false,
        'GET/admin': false,
      };
      for (const [route, allowed] of Object.entries(expected)) {
        expect([user, route, iamAllows(statements, `${ARN}/${route}`)]).toEqual([
          user,
          route,
          allowed,
        ]);
      }
    },
  );

  it('alice: allows /movies and denies /shows, whichever route first filled the cache', async () => {
    for (const path of ['/movies', '/shows', '/health']) {
      const result = (await authorizer(
        tokenAuthorizerEvent({ token: token('alice'), path }),
      )) as PolicyResult;
      expect(iamAllows(result.policyDocument.Statement, `${ARN}/GET/movies`)).toBe(true);
      expect(iamAllows(result.policyDocument.Statement, `${ARN}/GET/shows`)).toBe(false);
    }
  });

  it('handles REST REQUEST and HTTP API 1.0 / 2.0 events', async () => {
    for (const event of [
      requestAuthorizerEvent({ token: token('alice'), path: '/movies' }),
      httpAuthorizerEvent({ token: token('alice'), path: '/movies', version: '1.0' }),
      httpAuthorizerEvent({ token: token('alice'), path: '/movies' }),
    ]) {
      const result = (await authorizer(event)) as PolicyResult;
      expect(
        iamAllows(
          result.policyDocument.Statement,
          `arn:aws:execute-api:eu-west-1:123456789012:abc123/${result.policyDocument.Statement[0]?.Resource[0]?.split('/')[1]}/GET/movies`,
        ),
      ).toBe(true);
      expect(result.context['username']).toBe('alice');
    }
  });

  it('answers HTTP API simple responses for the requested route when enabled', async () => {
    const simple = createAuthorizer({ ...issuer.config, policy, simpleResponses: true });
    const yes = (await simple(
      httpAuthorizerEvent({ token: token('alice'), path: '/movies' }),
    )) as SimpleResult;
    expect(yes).toMatchObject({ isAuthorized: true, context: { username: 'alice' } });
    const no = (await simple(
      httpAuthorizerEvent({ token: token('alice'), path: '/shows' }),
    )) as SimpleResult;
    expect(no.isAuthorized).toBe(false);
    // payload 1.0 always gets an IAM policy
    expect(
      await simple(httpAuthorizerEvent({ token: token('alice'), path: '/movies', version: '1.0' })),
    ).toHaveProperty('policyDocument');
  });

  it.each([
    ['missing token', tokenAuthorizerEvent({})],
    ['garbage', tokenAuthorizerEvent({ token: 'Bearer x.y.z' })],
    ['expired', tokenAuthorizerEvent({ token: 'EXPIRED' })],
    ['REQUEST without header', requestAuthorizerEvent({})],
    ['v2 without header', httpAuthorizerEvent({})],
    ['the TOKEN fixture', fixture('rest-token-authorizer.json')],
    ['the REQUEST fixture', fixture('rest-request-authorizer.json')],
    ['the HTTP v2 fixture', fixture('http-api-lambda-authorizer-v2.json')],
  ])('throws exactly Error("Unauthorized") for %s', async (_label, event) => {
    const input =
      event.authorizationToken === 'EXPIRED'
        ? { ...event, authorizationToken: issuer.brokenToken('expired') }
        : event;
    await expect(authorizer(input)).rejects.toThrow(new Error('Unauthorized'));
  });

  it('throws nothing but Unauthorized for hostile inputs', async () => {
    const valid = token('alice');
    const inputs: unknown[] = [
      {},
      { type: 'TOKEN' },
      { type: 'TOKEN', authorizationToken: 42 },
      { type: 'TOKEN', authorizationToken: valid },
      { type: 'TOKEN', authorizationToken: valid, methodArn: 'not-an-arn' },
      { type: 'TOKEN', authorizationToken: valid, methodArn: `${ARN}` },
      {
        type: 'REQUEST',
        headers: null,
        multiValueHeaders: { Authorization: [`Bearer ${valid}`, `Bearer ${valid}`] },
        methodArn: `${ARN}/GET/movies`,
      },
      {
        version: '2.0',
        type: 'REQUEST',
        headers: { authorization: `Bearer ${valid},Bearer ${valid}` },
        routeArn: `${ARN}/GET/movies`,
      },
      {
        version: '2.0',
        type: 'REQUEST',
        headers: { authorization: `Bearer ${'a'.repeat(100_000)}` },
        routeArn: `${ARN}/GET/movies`,
      },
      {
        type: 'TOKEN',
        authorizationToken: issuer.brokenToken('alg-none'),
        methodArn: `${ARN}/GET/movies`,
      },
    ];
    for (const input of inputs) {
      await expect(authorizer(input as never)).rejects.toThrow(/^Unauthorized$/);
    }
  });

  it('reports unreachable keys as a failure, not as Unauthorized', async () => {
    const down = await createTestIssuer().start();
    const downAuthorizer = createAuthorizer({ ...down.config, policy });
    const t = down.accessToken();
    await down.stop();
    await expect(downAuthorizer(tokenAuthorizerEvent({ token: t }))).rejects.toThrow(
      'Signing keys unavailable',
    );
  });

  it('names workers that answer nothing as a failure of their own, not as keys or Unauthorized', async () => {
    // The built worker: the tests run core from its sources, beside which none is built.
    const workerFile = join(__dirname, '../../core/dist/verify-worker.cjs');
    const workers = verifyInWorkers({ threads: 1, workerFile });
    const offloading = createAuthorizer({ ...issuer.config, policy, offload: workers });
    await offloading.ready();
    const event = tokenAuthorizerEvent({ token: `Bearer ${token('alice')}`, path: '/movies' });
    expect(((await offloading(event)) as PolicyResult).context).toMatchObject({
      username: 'alice',
    });
    // Closed workers answer every token after with 503, as stalled or failed ones do.
    await workers.close();
    await expect(offloading(event)).rejects.toThrow(/^Verifying workers unavailable$/);
  });

  it('refuses a revoked token with Unauthorized, and warns once that cached answers outlive revocations', async () => {
    const warnings: string[] = [];
    const store = memoryRevocationStore();
    const revoking = createAuthorizer({
      ...issuer.config,
      policy,
      revocation: { store },
      logger: { warn: (message) => warnings.push(message) },
    });
    expect(warnings).toEqual([expect.stringContaining("set the authorizer's result TTL")]);
    const t = token('alice');
    const event = tokenAuthorizerEvent({ token: t, method: 'GET', path: '/movies' });
    await expect(revoking(event)).resolves.toMatchObject({ principalId: expect.any(String) });
    await store.revokeToken(t);
    await expect(revoking(event)).rejects.toThrow(/^Unauthorized$/);
    await expect(revoking(tokenAuthorizerEvent({ token: token('bob') }))).resolves.toBeDefined();
    expect(warnings).toHaveLength(1);
  });

  it('refuses a state-changing request another site sent with a token cookie, and warns that cached answers replay', async () => {
    const warnings: string[] = [];
    const logger = { warn: (message: string) => warnings.push(message) };
    const cookies = createAuthorizer({
      ...issuer.config,
      policy,
      tokenSources: ['authorization', { cookie: 'id' }],
      logger,
    });
    expect(warnings).toEqual([expect.stringContaining("set the authorizer's result TTL to 0")]);
    // So does the ALB's session, which the browser sends as it sends a cookie.
    const albWarnings: string[] = [];
    const albLogger = { warn: (message: string) => albWarnings.push(message) };
    createAuthorizer({ ...issuer.config, policy, tokenSources: ['alb'], logger: albLogger });
    expect(albWarnings).toEqual([expect.stringContaining('cookie or ALB token source')]);
    const host = 'api.example.com';
    const from = (origin?: string) => ({
      host,
      cookie: `id=${token('bob')}`,
      ...(origin && { origin }),
    });
    for (const build of [requestAuthorizerEvent, httpAuthorizerEvent]) {
      const event = (method: string, origin?: string) =>
        build({ method, path: '/shows', headers: from(origin) });
      await expect(cookies(event('POST', `https://${host}`))).resolves.toBeDefined();
      // A link on another site opens the page; that site's script cannot read it.
      await expect(cookies(event('GET'))).resolves.toBeDefined();
      await expect(cookies(event('GET', 'https://evil.example'))).rejects.toThrow(/^Unauthorized$/);
      await expect(cookies(event('POST', 'https://evil.example'))).rejects.toThrow(
        /^Unauthorized$/,
      );
    }
    expect(warnings).toHaveLength(1);
  });

  it("throws 'Revocation list unavailable' (never Unauthorized) when the list cannot be vouched for", async () => {
    const store = memoryRevocationStore();
    const stale = {
      ...store,
      stalenessMs: () => Number.POSITIVE_INFINITY,
      refresh: () => Promise.reject(new Error('down')),
    };
    const revoking = createAuthorizer({
      ...issuer.config,
      policy,
      revocation: { store: stale },
      logger: { warn: () => undefined },
    });
    await expect(revoking(tokenAuthorizerEvent({ token: token('alice') }))).rejects.toThrow(
      /^Revocation list unavailable$/,
    );
  });

  it('carves a denied literal out of an allowed {param} wildcard with an explicit Deny', async () => {
    const overlapping = createAuthorizer({
      ...issuer.config,
      policy: {
        routes: {
          'GET /movies/{id}': { groups: ['movies-group'] },
          'GET /movies/top': { groups: ['admins'] },
        },
      },
    });
    const result = (await overlapping(
      tokenAuthorizerEvent({ token: token('alice') }),
    )) as PolicyResult;
    const allowed = (path: string) => iamAllows(result.policyDocument.Statement, `${ARN}/${path}`);
    expect(allowed('GET/movies/1')).toBe(true);
    expect(allowed('HEAD/movies/1')).toBe(true);
    expect(allowed('GET/movies/top')).toBe(false);
    // Case, trailing slash, encoding and depth variants IAM would otherwise let through.
    expect(allowed('GET/movies/TOP')).toBe(false);
    expect(allowed('GET/movies/top/')).toBe(false);
    expect(allowed('GET/movies/%74op')).toBe(false);
    expect(allowed('GET/movies/1/admin/delete-all')).toBe(false);
    expect(allowed('GET/movies/')).toBe(false);
  });

  it('allows everything else when $default or defaultAction allows, still denying denied routes', async () => {
    const open = createAuthorizer({
      ...issuer.config,
      policy: {
        defaultAction: 'authenticated',
        routes: { 'ANY /admin/{proxy+}': { groups: ['admins'] } },
      },
    });
    const result = (await open(tokenAuthorizerEvent({ token: token('dave') }))) as PolicyResult;
    expect(iamAllows(result.policyDocument.Statement, `${ARN}/GET/anything/else`)).toBe(true);
    expect(iamAllows(result.policyDocument.Statement, `${ARN}/DELETE/admin/users/1`)).toBe(false);
  });

  it('never answers a simple Allow for a path the route policy refuses to read', async () => {
    // An open policy: every path it can read is allowed, so only the refusal can say no.
    const open = createAuthorizer({
      ...issuer.config,
      policy: { defaultAction: 'authenticated', routes: {} },
      simpleResponses: true,
    });
    const answer = async (path: string) =>
      ((await open(httpAuthorizerEvent({ token: token('dave'), path }))) as SimpleResult)
        .isAuthorized;
    expect(await answer('/movies')).toBe(true);
    for (const path of ['/movies/%2e%2e/admin', '/admin\u0001', '/movies/%2F..']) {
      expect(await answer(path)).toBe(false);
    }
  });

  it("reads a path as API Gateway routes it, not by lambda-api's walk, which IAM cannot cut", async () => {
    const crossing = {
      routes: {
        'GET /movies/top': { public: true },
        'GET /{kind}/{id}': { groups: ['movies-group'] },
        'ANY /{proxy+}': { groups: ['admins'] },
      },
    };
    const simple = createAuthorizer({ ...issuer.config, policy: crossing, simpleResponses: true });
    const answer = (await simple(
      httpAuthorizerEvent({ token: token('alice'), path: '/movies/42' }),
    )) as SimpleResult;
    expect(answer.isAuthorized).toBe(true);
    // The handler guard reads the walk too: lambda-api serves /movies/42 by /{proxy+}.
    const guarded = cognitoGuard(issuer.config).guardRoutes(crossing)(async () => ({
      statusCode: 200,
    }));
    const event = restProxyEvent({ path: '/movies/42', token: token('alice') });
    expect(await guarded(event as never, lambdaContext() as never)).toMatchObject({
      statusCode: 403,
    });
  });

  it('warns once per API Gateway route that is coarser than the policy route it answers for', async () => {
    const warnings: string[] = [];
    const simple = createAuthorizer({
      ...issuer.config,
      policy,
      simpleResponses: true,
      logger: { warn: (message) => void warnings.push(message) },
    });
    const ask = (path: string, routeKey?: string) =>
      simple(httpAuthorizerEvent({ token: token('alice'), path, routeKey }));
    await ask('/movies');
    expect(warnings).toEqual([]);
    await ask('/movies', 'ANY /{proxy+}');
    await ask('/shows', 'ANY /{proxy+}');
    await ask('/nowhere', 'GET /nowhere/{x}');
    expect(warnings).toEqual([
      expect.stringContaining(
        'API Gateway route "ANY /{proxy+}" covers policy route "GET /movies"; a cached simple response would be replayed across them',
      ),
      expect.stringContaining(
        'API Gateway route "GET /nowhere/{x}" covers policy route "defaultAction"',
      ),
    ]);
    // The route as payload 2.0 also names it, in its request context.
    const event = httpAuthorizerEvent({ token: token('alice'), path: '/movies' });
    const { routeKey: _top, ...withoutTop } = event;
    await simple({
      ...withoutTop,
      requestContext: { ...event.requestContext, routeKey: 'ANY /m' },
    });
    expect(warnings.at(-1)).toContain(
      'API Gateway route "ANY /m" covers policy route "GET /movies"',
    );
  });

  it('records the policy route each decision was made under', async () => {
    const routes: (string | undefined)[] = [];
    const recording = createAuthorizer({
      ...issuer.config,
      policy,
      simpleResponses: true,
      onDecision: (decision) => void routes.push(decision.route),
    });
    await recording(httpAuthorizerEvent({ token: token('alice'), path: '/movies/42' }));
    expect(routes).toEqual(['GET /movies/{id}']);
  });

  it('fetches the signing keys on ready(), before any event', async () => {
    const fresh = await createTestIssuer().start();
    try {
      const early = createAuthorizer({ ...fresh.config, policy });
      expect(fresh.jwksRequests).toBe(0);
      await early.ready();
      expect(fresh.jwksRequests).toBe(1);
    } finally {
      await fresh.stop();
    }
  });

  it('takes an explicit configuration whole, whatever the environment says', async () => {
    const names = Object.keys(issuer.env);
    const saved = names.map((name) => [name, process.env[name]] as const);
    Object.assign(process.env, { ...issuer.env, COGNITO_TOKEN_USE: 'id' });
    try {
      const { tokenUse: _default, ...single } = issuer.config;
      for (const config of [single, { pools: [issuer.config] }]) {
        const explicit = createAuthorizer({ ...config, policy });
        const result = (await explicit(
          tokenAuthorizerEvent({ token: token('alice'), path: '/movies' }),
        )) as PolicyResult;
        expect(iamAllows(result.policyDocument.Statement, `${ARN}/GET/movies`)).toBe(true);
      }
    } finally {
      for (const [name, value] of saved) {
        if (value === undefined) delete process.env[name];
        else process.env[name] = value;
      }
    }
  });

  it('denies all with one statement when nothing is allowed', async () => {
    const closed = createAuthorizer({
      ...issuer.config,
      policy: { routes: { 'GET /x': { groups: ['x'] } } },
    });
    const result = (await closed(tokenAuthorizerEvent({ token: token('dave') }))) as PolicyResult;
    expect(result.policyDocument.Statement).toEqual([
      { Action: 'execute-api:Invoke', Effect: 'Deny', Resource: [`${ARN}/*`] },
    ]);
  });

  it('keeps every Resource within 512 characters, failing closed', async () => {
    const long = `/${'a'.repeat(600)}`;
    const lengthy = createAuthorizer({
      ...issuer.config,
      policy: {
        defaultAction: 'authenticated',
        routes: { [`GET ${long}`]: { groups: ['admins'] }, [`POST ${long}`]: { public: true } },
      },
    });
    const result = (await lengthy(tokenAuthorizerEvent({ token: token('dave') }))) as PolicyResult;
    for (const statement of result.policyDocument.Statement) {
      for (const resource of statement.Resource)
        expect(resource.length).toBeLessThanOrEqual(MAX_RESOURCE_LENGTH);
    }
    expect(iamAllows(result.policyDocument.Statement, `${ARN}/GET${long}`)).toBe(false);
  });

  it('its context is read back by the handler guard in api-gateway mode', async () => {
    const result = (await authorizer(
      tokenAuthorizerEvent({ token: token('carol') }),
    )) as PolicyResult;
    const trusting = cognitoGuard({ ...issuer.config, claimsSource: 'api-gateway' });
    const handler = trusting.requireGroups('shows-group')(async (_event, context) => ({
      statusCode: 200,
      body: context.auth.username ?? '',
    }));
    const event = restProxyEvent({ authorizerContext: result.context });
    expect(await handler(event, lambdaContext())).toMatchObject({ statusCode: 200, body: 'carol' });
  });
});
