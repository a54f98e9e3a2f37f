// The route API Gateway selected, as every adapter that sees a Lambda event reads it: a REST
// API's method and resource, an HTTP API's route key; nothing for `$default`, a Function URL or
// an ALB, whose events name no route.

import { compileRoutePolicy } from '../src';
import { selectedRouteKey } from '../src/subpaths/adapter';

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
    ]) {
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
      'nonsense',
    ]) {
      expect(policy.sameRoute(key)).toBeUndefined();
    }
  });
});
