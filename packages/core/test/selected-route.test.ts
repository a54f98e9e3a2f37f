// The route API Gateway selected, as every adapter that sees a Lambda event reads it: a REST
// API's method and resource, an HTTP API's route key; nothing for `$default`, a Function URL or
// an ALB, whose events name no route.

import type { TestIssuer } from '@cognito-guard/testing';
import { compileRoutePolicy, type RequestLike } from '../src';
import { type SelectedRouteEvent, selectedRouteKey } from '../src/subpaths/adapter';
import { guardFor, startIssuer } from './helpers';

describe('selectedRouteKey', () => {
  it('reads a REST event’s method and resource, whatever its path', () => {
    expect(selectedRouteKey({ httpMethod: 'get', resource: '/movies/{id}' })).toBe(
      'GET /movies/{id}',
    );
    // HTTP API payload 1.0 events are REST-shaped.
    expect(selectedRouteKey({ version: '1.0', httpMethod: 'POST', resource: '/jobs' })).toBe(
      'POST /jobs',
    );
    expect(selectedRouteKey({ resource: '/health' })).toBe('GET /health');
  });

  it('reads an HTTP API’s route key', () => {
    expect(selectedRouteKey({ version: '2.0', routeKey: 'ANY /admin/{proxy+}' })).toBe(
      'ANY /admin/{proxy+}',
    );
  });

  it('names no route for $default, a Function URL, an ALB or a resource that is not a path', () => {
    for (const event of [
      { version: '2.0', routeKey: '$default' },
      { version: '2.0' },
      { version: '1.0', httpMethod: 'GET', resource: '$default' },
      { httpMethod: 'GET', resource: '/movies', requestContext: { elb: { targetGroupArn: 'x' } } },
      { httpMethod: 'GET' },
      {},
      // Hand-made or invoked events: a field of another type names no route.
      { version: '2.0', routeKey: 42 },
      { version: '1.0', httpMethod: 'GET', resource: ['/movies'] },
    ] as SelectedRouteEvent[]) {
      expect(selectedRouteKey(event)).toBeUndefined();
    }
  });
});

describe('a compiled policy’s sameRoute', () => {
  const policy = compileRoutePolicy({
    routes: {
      'GET /movies/{id}': { groups: ['movies-group'] },
      'ANY /admin/{proxy+}': { groups: ['admins'] },
      'GET /Shows': { groups: ['shows-group'] },
      'GET /a/b': { groups: ['staff'] },
      $default: { groups: ['staff'] },
    },
  });

  it('finds the route under any parameter names, and in any case where the policy folds it', () => {
    expect(policy.sameRoute('GET /movies/{movieId}')?.routeKey).toBe('GET /movies/{id}');
    expect(policy.sameRoute('ANY /admin/{path+}')?.routeKey).toBe('ANY /admin/{proxy+}');
    expect(policy.sameRoute('GET /shows')?.routeKey).toBe('GET /Shows');
    expect(policy.sameRoute('$default')?.routeKey).toBe('$default');
    expect(
      compileRoutePolicy({ routes: { 'GET /Shows': {} } }, { caseSensitive: true }).sameRoute(
        'GET /shows',
      ),
    ).toBeUndefined();
  });

  it('finds nothing for another shape, another method or a key that is not one', () => {
    for (const key of [
      'GET /movies/{id}/cast',
      'GET /movies',
      'POST /movies/{id}',
      'ANY /admin/{id}',
      'GET /movies/{id+}',
      'get /movies/{id}',
      'GET /ab',
      'nonsense',
    ]) {
      expect(policy.sameRoute(key)).toBeUndefined();
    }
  });
});

describe('a route decision reads the route API Gateway selected beside the path', () => {
  let issuer: TestIssuer;
  beforeAll(async () => {
    issuer = await startIssuer();
  });
  afterAll(() => issuer.stop());

  const policy = {
    defaultAction: 'allow' as const,
    routes: {
      'GET /admin': { groups: ['admins'] },
      'GET /movies/{id}': { groups: ['movies-group'] },
      'GET /health': { public: true },
      // A named method wins over GET for HEAD, and ANY catches the rest, as the policy reads.
      'GET /x': { groups: ['admins'] },
      'HEAD /x': { public: true },
      'HEAD /h': { groups: ['admins'] },
      'GET /h': { public: true },
      'ANY /z': { groups: ['admins'] },
    },
  };
  const status = async (extra: Partial<RequestLike>, groups?: string[]) => {
    const guard = guardFor(issuer);
    const headers: Record<string, string> =
      groups === undefined ? {} : { authorization: `Bearer ${issuer.accessToken({ groups })}` };
    const request = { method: 'GET', path: '/v1/admin', headers, ...extra };
    return (await guard.checkRoute(request, guard.compilePolicy(policy))).status;
  };

  it('applies the selected route’s rule when the path, under a base path, names no route', async () => {
    expect(await status({})).toBe(200);
    expect(await status({ routeKey: 'GET /admin' })).toBe(401);
    expect(await status({ routeKey: 'GET /admin' }, ['movies-group'])).toBe(403);
    expect(await status({ routeKey: 'GET /admin' }, ['admins'])).toBe(200);
    // HEAD reads a GET route, and a route written for ANY method finds the policy's GET key.
    expect(await status({ method: 'HEAD', routeKey: 'ANY /admin' })).toBe(401);
    expect(await status({ path: '/v1/movies/7', routeKey: 'GET /movies/{movie}' })).toBe(401);
  });

  it('looks the selected route up for the request’s method as the policy reads methods', async () => {
    expect(await status({ path: '/v1/x', routeKey: 'GET /x' })).toBe(401);
    expect(await status({ method: 'HEAD', path: '/v1/x', routeKey: 'GET /x' })).toBe(200);
    expect(await status({ method: 'HEAD', path: '/v1/h', routeKey: 'GET /h' })).toBe(401);
    expect(await status({ path: '/v1/h', routeKey: 'GET /h' })).toBe(200);
    for (const method of ['GET', 'HEAD', 'DELETE']) {
      expect(await status({ method, path: '/v1/z', routeKey: 'ANY /z' })).toBe(401);
    }
  });

  it('keeps the path’s own reading, the stricter deciding, and adds nothing for $default', async () => {
    expect(await status({ path: '/admin', routeKey: 'GET /health' })).toBe(401);
    expect(await status({ path: '/health', routeKey: 'GET /admin' })).toBe(401);
    expect(await status({ routeKey: '$default' })).toBe(200);
    expect(await status({ routeKey: 'GET /elsewhere' })).toBe(200);
    // A path that cannot be read is refused whatever route was selected.
    expect(await status({ path: '/v1//admin', routeKey: 'GET /health' })).toBe(400);
  });
});
