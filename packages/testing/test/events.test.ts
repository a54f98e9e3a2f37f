// The builders against the event fixtures (packages/testing/fixtures, written from AWS's documented shapes).

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  albEvent,
  decodeJwt,
  functionUrlEvent,
  httpApiEvent,
  httpAuthorizerClaims,
  httpAuthorizerEvent,
  javaDate,
  lambdaContext,
  latticeEvent,
  requestAuthorizerEvent,
  restAuthorizerClaims,
  restProxyEvent,
  tokenAuthorizerEvent,
} from '../src';

const fixtures = join(__dirname, '../fixtures');
const fixture = (name: string) => JSON.parse(readFileSync(join(fixtures, name), 'utf8'));
const keys = (o: object) => Object.keys(o).sort();

describe('claim stringification matches real captures', () => {
  const rest = fixture('rest-proxy-cognito-authorizer.json');
  const http = fixture('http-api-jwt-authorizer-v2.json');
  const payloadOf = (header: string) => decodeJwt(header.replace(/^Bearer /, '')).payload;

  it('REST Cognito authorizer: strings everywhere, exp/iat as Java dates', () => {
    expect(restAuthorizerClaims(payloadOf(rest.headers.Authorization))).toEqual(
      rest.requestContext.authorizer.claims,
    );
    expect(javaDate(1718722804)).toBe('Tue Jun 18 15:00:04 UTC 2024');
  });

  it('HTTP API JWT authorizer: epoch strings', () => {
    expect(httpAuthorizerClaims(payloadOf(http.headers.authorization))).toEqual(
      http.requestContext.authorizer.jwt.claims,
    );
  });

  it('arrays: comma-joined on REST, bracketed on HTTP APIs; nulls dropped; objects as JSON', () => {
    const claims = {
      'cognito:groups': ['movies-group', 'shows-group'],
      email_verified: true,
      gone: null,
      nested: { a: 1 },
    };
    expect(restAuthorizerClaims(claims)).toEqual({
      'cognito:groups': 'movies-group,shows-group',
      email_verified: 'true',
      nested: '{"a":1}',
    });
    expect(httpAuthorizerClaims(claims)).toEqual({
      'cognito:groups': '[movies-group shows-group]',
      email_verified: 'true',
      nested: '{"a":1}',
    });
  });
});

describe('event shapes match real captures', () => {
  it('REST proxy', () => {
    const real = fixture('rest-proxy-cognito-authorizer.json');
    const built = restProxyEvent({
      method: 'POST',
      path: '/cognito',
      token: 't',
      claims: { sub: 'x' },
    });
    expect(keys(built)).toEqual(keys(real));
    expect(keys(built.requestContext)).toEqual(
      expect.arrayContaining([
        'authorizer',
        'stage',
        'path',
        'httpMethod',
        'resourcePath',
        'identity',
        'apiId',
      ]),
    );
    expect(built.multiValueHeaders['Authorization']).toEqual(['Bearer t']);
  });

  it('HTTP API', () => {
    const real = fixture('http-api-jwt-authorizer-v2.json');
    const built = httpApiEvent({
      method: 'POST',
      path: '/cognito',
      routeKey: 'POST /cognito',
      token: 't',
      claims: { sub: 'x' },
    });
    // API Gateway sends pathParameters only on routes that have parameters.
    expect(keys(built)).toEqual(keys(real).filter((key) => key !== 'pathParameters'));
    expect(keys(built.requestContext)).toEqual(keys(real.requestContext));
    expect(built.requestContext.authorizer).toEqual({
      jwt: { claims: { sub: 'x' }, scopes: null },
    });
    expect(built.headers['authorization']).toBe('Bearer t');
  });

  it('HTTP API, payload 1.0', () => {
    const real = fixture('http-api-jwt-authorizer-v1.json');
    const built = httpApiEvent({
      version: '1.0',
      path: '/movies/42',
      routeKey: 'GET /movies/{id}',
      token: 't',
      claims: { sub: 'x', 'cognito:groups': ['a', 'b'] },
      scopes: ['openid'],
    });
    expect(keys(built)).toEqual(keys(real));
    expect(keys(built.requestContext)).toEqual(keys(real.requestContext));
    expect(built).toMatchObject({
      version: '1.0',
      resource: '/movies/{id}',
      path: '/movies/42',
      requestContext: {
        resourcePath: '/movies/{id}',
        resourceId: 'GET /movies/{id}',
        stage: '$default',
        authorizer: { claims: { sub: 'x', 'cognito:groups': '[a b]' }, scopes: ['openid'] },
      },
    });
    expect(built.multiValueHeaders['authorization']).toEqual(['Bearer t']);
    // A named stage stays in the path; the route and $default keep theirs.
    const staged = httpApiEvent({ version: '1.0', path: '/movies/42?a=1&a=2', stage: 'prod' });
    expect(staged).toMatchObject({
      resource: '$default',
      path: '/prod/movies/42',
      queryStringParameters: { a: '1,2' },
      multiValueQueryStringParameters: { a: ['1', '2'] },
      requestContext: { path: '/prod/movies/42', stage: 'prod' },
    });
  });

  it('ALB, single- and multi-value', () => {
    const real = fixture('alb-target-request.json');
    const built = albEvent({ path: '/', token: 't' });
    expect(keys(built)).toEqual(keys(real));
    expect(keys(albEvent({ multiValueHeaders: true }))).toEqual(
      expect.arrayContaining(['multiValueHeaders']),
    );
  });

  it('a query in `path` fills each source’s query fields, as the real sources do', () => {
    const http = httpApiEvent({
      path: '/items?parameter1=value1&parameter1=value2&parameter2=value',
    });
    // The shape of AWS's documented HTTP API capture: raw as received, values joined by commas.
    expect(http).toMatchObject({
      rawPath: '/items',
      rawQueryString: 'parameter1=value1&parameter1=value2&parameter2=value',
      queryStringParameters: { parameter1: 'value1,value2', parameter2: 'value' },
    });
    expect(http.requestContext.http.path).toBe('/items');
    expect(httpApiEvent({ path: '/items' })).not.toHaveProperty('queryStringParameters');
    const rest = restProxyEvent({ path: '/items?a=%2F&a=b&c' });
    expect(rest).toMatchObject({
      path: '/items',
      resource: '/items',
      queryStringParameters: { a: 'b', c: '' },
      multiValueQueryStringParameters: { a: ['/', 'b'], c: [''] },
    });
    expect(rest.requestContext.path).toBe('/prod/items');
    expect(restProxyEvent({ path: '/items' }).multiValueQueryStringParameters).toBeNull();
    // ALB passes the query on undecoded.
    expect(albEvent({ path: '/items?a=%2F&a=b' })).toMatchObject({
      path: '/items',
      queryStringParameters: { a: 'b' },
    });
    expect(albEvent({ path: '/items?a=%2F', multiValueHeaders: true })).toMatchObject({
      multiValueQueryStringParameters: { a: ['%2F'] },
    });
  });

  it('every source sends its own Host header, or the one the caller names, in any casing, never both', () => {
    // VPC Lattice sends every header value as a list.
    const hosts = (event: object) =>
      Object.entries((event as { headers: Record<string, unknown> }).headers)
        .filter(([name]) => name.toLowerCase() === 'host')
        .map(([name, value]) => [name, [value].flat()[0]]);
    for (const build of [restProxyEvent, httpApiEvent, albEvent, latticeEvent]) {
      expect(hosts(build({}))).toHaveLength(1);
      for (const name of ['host', 'Host', 'HOST']) {
        const built = build({ headers: { [name]: 'api.example.com' } });
        expect(hosts(built)).toEqual([[name, 'api.example.com']]);
      }
    }
  });

  it('a text body is sent as is, bytes base64-encoded, and no body as each source sends none', () => {
    const bytes = new Uint8Array([0, 255, 10, 95]);
    for (const build of [restProxyEvent, httpApiEvent, functionUrlEvent, albEvent]) {
      expect(build({ body: 'a=b' })).toMatchObject({ body: 'a=b', isBase64Encoded: false });
      const binary = build({ body: bytes });
      expect(binary.isBase64Encoded).toBe(true);
      expect([...Buffer.from(binary.body as string, 'base64')]).toEqual([...bytes]);
    }
    expect(restProxyEvent({}).body).toBeNull();
    expect(httpApiEvent({})).not.toHaveProperty('body');
    expect(albEvent({}).body).toBe('');
  });

  it('VPC Lattice, event structure V2: the same fields, every header and query value a list', () => {
    const real = fixture('vpc-lattice-v2.json');
    const built = latticeEvent({ path: '/movies/42?page=2', token: 't' });
    expect(keys(built)).toEqual(keys(real));
    expect(keys(built.requestContext)).toEqual(keys(real.requestContext));
    expect(built).toMatchObject({ version: '2.0', method: 'GET', path: '/movies/42' });
    expect(built.queryStringParameters).toEqual({ page: ['2'] });
    expect(built.headers['authorization']).toEqual(['Bearer t']);
    for (const values of Object.values({ ...real.headers, ...built.headers }))
      expect(Array.isArray(values)).toBe(true);
  });

  it('Function URL: payload 2.0 on a lambda-url domain, no authorizer', () => {
    const built = functionUrlEvent({ path: '/movies', token: 't' });
    expect(built.version).toBe('2.0');
    expect(built.requestContext.domainName).toMatch(/\.lambda-url\./);
    expect(built.requestContext).not.toHaveProperty('authorizer');
  });

  it('authorizer inputs', () => {
    expect(keys(tokenAuthorizerEvent({ token: 'x' }))).toEqual(
      keys(fixture('rest-token-authorizer.json')),
    );
    const request = requestAuthorizerEvent({ token: 'x', path: '/request' });
    expect(keys(request)).toEqual(keys(fixture('rest-request-authorizer.json')));
    const v2 = httpAuthorizerEvent({ token: 'x' });
    const realV2 = fixture('http-api-lambda-authorizer-v2.json');
    for (const key of [
      'version',
      'type',
      'routeArn',
      'identitySource',
      'routeKey',
      'rawPath',
      'headers',
      'requestContext',
    ]) {
      expect(v2).toHaveProperty(key);
      expect(realV2).toHaveProperty(key);
    }
    expect(httpAuthorizerEvent({ version: '1.0', token: 'x' })).toMatchObject({
      version: '1.0',
      identitySource: 'Bearer x',
    });
  });

  it('a Lambda context', () => {
    const context = lambdaContext({ functionName: 'x' });
    expect(context.functionName).toBe('x');
    expect(context.getRemainingTimeInMillis()).toBeGreaterThan(0);
  });

  it.each([
    [{ functionname: 'x' }, 'functionname: is not an option (callbackWaitsForEmptyEventLoop, '],
    [{ memoryLimitInMB: 128 }, 'memoryLimitInMB: must be string'],
    [{ getRemainingTimeInMillis: 5_000 }, 'getRemainingTimeInMillis: must be a function'],
    [{ identity: 'eu-west-1:1234' }, 'identity: must be record'],
  ])('a Lambda context refuses %j: %s', (overrides, problem) => {
    expect(() => lambdaContext(overrides as never)).toThrow(
      expect.objectContaining({
        name: 'TypeError',
        message: expect.stringContaining(`Invalid lambdaContext options: ${problem}`),
      }),
    );
  });
});
