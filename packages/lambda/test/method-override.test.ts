// A Lambda guard wraps the whole handler, so a method override inside it (an Express app on
// serverless-express with method-override) always runs after the guard. The guard reads the
// methods the event names, in an override header or a `_method` query parameter, whichever
// source sent it, and applies the stricter rule.

import {
  albEvent,
  createTestIssuer,
  functionUrlEvent,
  httpApiEvent,
  lambdaContext,
  latticeEvent,
  restProxyEvent,
  type TestIssuer,
} from '@cognito-guard/testing';
import { cognitoGuard, readEvent } from '../src';

const builders = {
  'REST proxy': restProxyEvent,
  'HTTP API': httpApiEvent,
  'Function URL': functionUrlEvent,
  ALB: albEvent,
  'ALB, multi-value': (options: Parameters<typeof albEvent>[0]) =>
    albEvent({ ...options, multiValueHeaders: true }),
  'VPC Lattice': latticeEvent,
};

const policy = {
  defaultAction: 'deny' as const,
  routes: { 'POST /items': {}, 'DELETE /items': { groups: ['admins'] } },
};

describe.each(Object.keys(builders))('%s', (name) => {
  const build = builders[name as keyof typeof builders];
  let issuer: TestIssuer;
  beforeAll(async () => {
    issuer = await createTestIssuer().start();
  });
  afterAll(() => issuer.stop());

  it('reads the query into the request’s path', () => {
    const { request } = readEvent(build({ method: 'POST', path: '/items?_method=delete&a=%2F' }));
    expect(request.path).toBe('/items?_method=delete&a=%2F');
    expect(readEvent(build({ path: '/items' })).request.path).toBe('/items');
  });

  it('refuses a member the method a query or header override names, and runs nothing', async () => {
    let runs = 0;
    const handler = cognitoGuard(issuer.config).guardRoutes(policy)(async () => {
      runs++;
      return { statusCode: 200, body: 'ran' };
    });
    const member = issuer.accessToken({ groups: [] });
    const admin = issuer.accessToken({ groups: ['admins'] });
    const send = async (token: string, path: string, headers: Record<string, string> = {}) =>
      (
        (await handler(build({ method: 'POST', path, token, headers }), lambdaContext())) as {
          statusCode: number;
        }
      ).statusCode;
    expect(await send(member, '/items')).toBe(200);
    expect(await send(member, '/items?_method=delete')).toBe(403);
    expect(await send(member, '/items?_method=DELETE&x=1')).toBe(403);
    expect(await send(member, '/items', { 'X-HTTP-Method-Override': 'DELETE' })).toBe(403);
    expect(await send(admin, '/items?_method=delete')).toBe(200);
    expect(runs).toBe(2);
  });
});
