// A token cookie on a Lambda: an HTTP API hands cookies over in `cookies`, and a WebSocket API's
// $connect carries the page's Origin. Either way another site's page changes nothing.

import {
  createTestIssuer,
  httpApiEvent,
  lambdaContext,
  type TestIssuer,
} from '@cognito-guard/testing';
import { cognitoGuard, type LambdaGuard } from '../src';

describe('a token cookie on Lambda events', () => {
  let issuer: TestIssuer;
  let guard: LambdaGuard;
  const host = 'abc123.execute-api.eu-west-1.amazonaws.com';
  beforeAll(async () => {
    issuer = await createTestIssuer().start();
    guard = cognitoGuard({ ...issuer.config, tokenSources: [{ cookie: 'id' }] });
  });
  afterAll(() => issuer.stop());

  const statusOf = async (event: unknown) => {
    let reached = false;
    const handler = guard.requireGroups('live-viewers')(async () => {
      reached = true;
      return { statusCode: 200, body: 'ok' };
    });
    const response = (await handler(event as never, lambdaContext())) as { statusCode: number };
    expect(reached).toBe(response.statusCode === 200);
    return response.statusCode;
  };

  it('reads an HTTP API event’s cookies, and refuses a POST another site’s page sent', async () => {
    const cookies = ['theme=dark', `id=${issuer.accessToken({ groups: ['live-viewers'] })}`];
    const post = (origin: string) =>
      statusOf({
        ...httpApiEvent({ method: 'POST', path: '/live', headers: { origin } }),
        cookies,
      });
    expect(await post(`https://${host}`)).toBe(200);
    expect(await post('https://evil.example')).toBe(403);
  });

  it('refuses a WebSocket $connect from another site’s page, which no browser holds to CORS', async () => {
    const cookie = `id=${issuer.accessToken({ groups: ['live-viewers'] })}`;
    const connect = (origin: string) =>
      statusOf({
        headers: { Host: host, Origin: origin, Cookie: cookie, 'Sec-WebSocket-Version': '13' },
        isBase64Encoded: false,
        requestContext: { routeKey: '$connect', eventType: 'CONNECT', connectionId: 'c-1' },
      });
    expect(await connect(`https://${host}`)).toBe(200);
    expect(await connect('https://evil.example')).toBe(403);
  });
});
