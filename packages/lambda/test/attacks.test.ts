// The attack battery through the Lambda guard (REST multi-value and HTTP API 2.0 events) and the
// authorizer (which may only ever throw "Unauthorized").

import {
  attackBattery,
  createTestIssuer,
  httpApiEvent,
  lambdaContext,
  restProxyEvent,
  type TestIssuer,
  tokenAuthorizerEvent,
} from '@cognito-guard/testing';
import { cognitoGuard, createAuthorizer } from '../src';

const ok = async () => ({ statusCode: 200, body: 'ok' });

describe('Lambda attack battery', () => {
  let issuer: TestIssuer;
  beforeAll(async () => {
    issuer = await createTestIssuer().start();
  });
  afterAll(() => issuer.stop());

  it('the handler guard refuses every case with 400 or 401, on REST and HTTP API events', async () => {
    const guard = cognitoGuard(issuer.config);
    const handler = guard.requireGroups('movies-group')(ok);
    for (const attack of attackBattery(issuer)) {
      const multi: Record<string, string[]> = {};
      for (const [name, value] of attack.headers) multi[name] = [...(multi[name] ?? []), value];
      const rest = { ...restProxyEvent({ path: '/movies' }), multiValueHeaders: multi };
      const joined = Object.fromEntries(
        Object.entries(multi).map(([n, v]) => [n.toLowerCase(), v.join(',')]),
      );
      const http = { ...httpApiEvent({ path: '/movies' }), headers: joined };
      for (const [kind, event] of [
        ['REST', rest],
        ['HTTP', http],
      ] as const) {
        const res = (await handler(event, lambdaContext())) as { statusCode: number };
        expect([attack.name, kind, attack.expect.includes(res.statusCode)]).toEqual([
          attack.name,
          kind,
          true,
        ]);
      }
    }
  });

  it('the authorizer throws exactly "Unauthorized" for every case', async () => {
    const authorizer = createAuthorizer({
      ...issuer.config,
      policy: { routes: { 'GET /movies': { groups: ['movies-group'] } } },
    });
    for (const attack of attackBattery(issuer)) {
      const value = attack.headers.map(([, v]) => v).join(', ');
      await expect(
        authorizer(tokenAuthorizerEvent({ token: value, path: '/movies' })),
      ).rejects.toThrow(/^Unauthorized$/);
    }
  });
});
