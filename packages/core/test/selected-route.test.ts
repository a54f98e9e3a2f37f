// The route API Gateway selected, as every adapter that sees a Lambda event reads it: a REST
// API's method and resource, an HTTP API's route key; nothing for `$default`, a Function URL or
// an ALB, whose events name no route.

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
