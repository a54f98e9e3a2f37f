// Every kind of token Cognito issues (user, machine, pre token generation v2/v3 customised)
// through the Lambda handler guard: verifying the token itself, and trusting the claims a REST or
// HTTP API authorizer passed on as strings, where nested and array claims fail closed.

import {
  createTestIssuer,
  decodeJwt,
  httpApiEvent,
  lambdaContext,
  restProxyEvent,
  type TestIssuer,
  TOKEN_KIND_POLICY,
  tokenKindCases,
} from '@cognito-guard/testing';
import { cognitoGuard } from '../src';

const reached = { count: 0 };
const ok = async () => {
  reached.count++;
  return { statusCode: 200, body: '{"ok":true}' };
};

describe('Lambda handler guard and token kinds', () => {
  let issuer: TestIssuer;
  beforeAll(async () => {
    issuer = await createTestIssuer().start();
  });
  afterAll(() => issuer.stop());

  const statusOf = (result: unknown) => (result as { statusCode: number }).statusCode;

  it('decides every token kind as the table says, verifying the token', async () => {
    const handler = cognitoGuard(issuer.config).guardRoutes(TOKEN_KIND_POLICY)(ok);
    const cases = tokenKindCases(issuer);
    for (const event of [restProxyEvent, httpApiEvent]) {
      reached.count = 0;
      const got = [];
      for (const c of cases) {
        const result = await handler(
          event({ method: c.method, path: c.path, token: c.token }),
          lambdaContext(),
        );
        got.push({ name: c.name, status: statusOf(result) });
      }
      expect(got).toEqual(cases.map((c) => ({ name: c.name, status: c.status })));
      expect(reached.count).toBe(cases.filter((c) => c.status === 200).length);
    }
  });

  it('fails closed on nested and array claims an authorizer stringified', async () => {
    const handler = cognitoGuard({ ...issuer.config, claimsSource: 'api-gateway' }).guardRoutes(
      TOKEN_KIND_POLICY,
    )(ok);
    const cases = tokenKindCases(issuer);
    const keyFetches = issuer.jwksRequests;
    for (const source of ['rest', 'http']) {
      reached.count = 0;
      const got = [];
      for (const c of cases) {
        const claims = decodeJwt(c.token).payload;
        const scopes = typeof claims['scope'] === 'string' ? claims['scope'].split(' ') : [];
        const request = { method: c.method, path: c.path, claims };
        const event =
          source === 'rest' ? restProxyEvent(request) : httpApiEvent({ ...request, scopes });
        const result = await handler(event, lambdaContext());
        got.push({ name: c.name, status: statusOf(result) });
      }
      expect(got).toEqual(cases.map((c) => ({ name: c.name, status: c.trustedClaimsStatus })));
      expect(reached.count).toBe(cases.filter((c) => c.trustedClaimsStatus === 200).length);
      // No key was fetched: the authorizer verified the tokens.
      expect(issuer.jwksRequests).toBe(keyFetches);
    }
  });
});
