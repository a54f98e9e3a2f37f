// An ALB in front of Express: the access token and the ALB-signed user claims arrive as headers;
// the claims reach handlers only once verified, over real HTTP.

import { albUserClaims } from '@cognito-guard/core/alb';
import {
  type AlbSigner,
  type AwsEndpoints,
  createAlbSigner,
  createTestIssuer,
  decodeJwt,
  startAwsEndpoints,
  type TestIssuer,
} from '@cognito-guard/testing';
import express from 'express';
import request from 'supertest';
import { cognitoGuard } from '../src';

describe('Express behind an ALB', () => {
  let issuer: TestIssuer;
  let alb: AlbSigner;
  let aws: AwsEndpoints;
  let app: express.Express;
  let reached = 0;

  beforeAll(async () => {
    issuer = await createTestIssuer().start();
    alb = createAlbSigner();
    aws = await startAwsEndpoints([new URL(alb.keyUrl).hostname]);
    aws.serve(alb.keyUrl, { text: alb.publicKeyPem });
    const guard = cognitoGuard({
      ...issuer.config,
      tokenSources: ['alb'],
      albUserClaims: albUserClaims({ albArn: alb.albArn }),
    });
    app = express();
    app.get('/me', guard.requireClaim('email_verified', 'true'), (req, res) => {
      reached++;
      res.json({ email: req.auth?.claims['email'] });
    });
  });
  afterAll(async () => {
    await aws.stop();
    await issuer.stop();
  });

  it('passes verified claims to the handler and refuses forged ones', async () => {
    const token = issuer.accessToken({ username: 'alice' });
    const sub = decodeJwt(token).payload['sub'] as string;
    const claims = { sub, email: 'alice@example.com', email_verified: 'true' };
    const data = alb.dataToken(claims, { issuer: issuer.issuer, clientId: issuer.clientId });
    const res = await request(app)
      .get('/me')
      .set('x-amzn-oidc-accesstoken', token)
      .set('x-amzn-oidc-data', data);
    expect([res.status, res.body]).toEqual([200, { email: 'alice@example.com' }]);

    const forged = createAlbSigner({ albArn: alb.albArn }).dataToken(claims, {
      issuer: issuer.issuer,
      clientId: issuer.clientId,
    });
    const refused = await request(app)
      .get('/me')
      .set('x-amzn-oidc-accesstoken', token)
      .set('x-amzn-oidc-data', forged);
    expect(refused.status).toBe(401);
    expect(refused.headers['www-authenticate']).toContain('error="invalid_token"');
    const withoutClaims = await request(app).get('/me').set('x-amzn-oidc-accesstoken', token);
    expect(withoutClaims.status).toBe(403);
    expect(reached).toBe(1);
  });
});
