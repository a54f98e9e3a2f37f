// A Lambda target behind an ALB: the handler guard verifies the ALB-signed user claims in the
// event's headers (single- and multi-value) before the handler sees them.

import { albUserClaims } from '@cognito-guard/core/alb';
import {
  type AlbSigner,
  type AwsEndpoints,
  albEvent,
  createAlbSigner,
  createTestIssuer,
  decodeJwt,
  lambdaContext,
  startAwsEndpoints,
  type TestIssuer,
} from '@cognito-guard/testing';
import { cognitoGuard } from '../src';

describe('Lambda behind an ALB', () => {
  let issuer: TestIssuer;
  let alb: AlbSigner;
  let aws: AwsEndpoints;

  beforeAll(async () => {
    issuer = await createTestIssuer().start();
    alb = createAlbSigner();
    aws = await startAwsEndpoints([new URL(alb.keyUrl).hostname]);
    aws.serve(alb.keyUrl, { text: alb.publicKeyPem });
  });
  afterAll(async () => {
    await aws.stop();
    await issuer.stop();
  });

  it('passes verified claims to the handler and refuses forged ones', async () => {
    const guard = cognitoGuard({
      ...issuer.config,
      tokenSources: ['alb'],
      albUserClaims: albUserClaims({ albArn: alb.albArn }),
    });
    let reached = 0;
    const handler = guard.requireClaim(
      'email',
      'alice@example.com',
    )(async (_event, context) => {
      reached++;
      return { statusCode: 200, body: JSON.stringify(context.auth.claims['email']) };
    });
    const token = issuer.accessToken({ username: 'alice' });
    const sub = decodeJwt(token).payload['sub'] as string;
    const claims = { sub, email: 'alice@example.com' };
    const valid = alb.dataToken(claims, { issuer: issuer.issuer, clientId: issuer.clientId });
    const forged = createAlbSigner({ albArn: alb.albArn }).dataToken(claims, {
      issuer: issuer.issuer,
      clientId: issuer.clientId,
    });
    const statuses = [];
    for (const multiValueHeaders of [false, true]) {
      for (const data of [valid, forged]) {
        const event = albEvent({
          multiValueHeaders,
          headers: { 'x-amzn-oidc-accesstoken': token, 'x-amzn-oidc-data': data },
        });
        const res = (await handler(event, lambdaContext())) as { statusCode: number };
        statuses.push(res.statusCode);
      }
    }
    expect(statuses).toEqual([200, 401, 200, 401]);
    expect(reached).toBe(2);
  });
});
