// The user claims an ALB forwards in x-amzn-oidc-data: verified against the ALB's key, fetched
// over real TLS from the regional key endpoint's real host name (served on loopback by the
// testing kit), and never trusted otherwise.

import {
  type AlbSigner,
  type AwsEndpoints,
  createAlbSigner,
  decodeJwt,
  encodeJwt,
  startAwsEndpoints,
  type TestIssuer,
} from '@cognito-guard/testing';
import { ConfigError, createGuard, type Guard, type RequestLike, requireClaim } from '../src';
import { albUserClaims } from '../src/subpaths/alb';
import { startIssuer } from './helpers';

const OTHER_ALB =
  'arn:aws:elasticloadbalancing:eu-west-1:123456789012:loadbalancer/app/other/0123456789abcdef';

describe('ALB user claims (x-amzn-oidc-data)', () => {
  let issuer: TestIssuer;
  let alb: AlbSigner;
  let aws: AwsEndpoints;
  let guard: Guard;

  beforeAll(async () => {
    issuer = await startIssuer();
    alb = createAlbSigner();
    aws = await startAwsEndpoints([new URL(alb.keyUrl).hostname]);
    aws.serve(alb.keyUrl, { text: alb.publicKeyPem });
    guard = createGuard({
      ...issuer.config,
      tokenSources: ['alb'],
      albUserClaims: albUserClaims({ albArn: alb.albArn }),
      logger: { warn: () => undefined },
    });
  });
  afterAll(async () => {
    await aws.stop();
    await issuer.stop();
  });

  const user = () => {
    const token = issuer.accessToken({ username: 'alice', groups: ['movies-group'] });
    return { token, sub: decodeJwt(token).payload['sub'] as string };
  };
  const data = (sub: string, extra: Record<string, unknown> = {}, options = {}) =>
    alb.dataToken(
      { sub, email: 'alice@example.com', email_verified: 'true', username: 'alice', ...extra },
      { issuer: issuer.issuer, clientId: issuer.clientId, ...options },
    );
  const request = (headers: Record<string, string | string[]>): RequestLike => ({
    method: 'GET',
    path: '/me',
    headers,
  });
  const emailRule = requireClaim('email', 'alice@example.com');

  it('adds the verified claims to the principal, where claim rules read them', async () => {
    const { token, sub } = user();
    const decision = await guard.check(
      request({ 'x-amzn-oidc-accesstoken': token, 'x-amzn-oidc-data': data(sub) }),
      emailRule,
    );
    expect(decision).toMatchObject({
      allowed: true,
      principal: {
        sub,
        groups: ['movies-group'],
        claims: { email: 'alice@example.com', token_use: 'access' },
      },
    });
    expect(aws.requests.get(alb.keyUrl)).toBe(1);
    // Key cached, verification cached: the same header again costs no fetch.
    await guard.check(
      request({ 'x-amzn-oidc-accesstoken': token, 'x-amzn-oidc-data': data(sub) }),
      emailRule,
    );
    expect(aws.requests.get(alb.keyUrl)).toBe(1);
  });

  it("keeps the token's own claims over the header's", async () => {
    const { token, sub } = user();
    const decision = await guard.check(
      request({
        'x-amzn-oidc-accesstoken': token,
        'x-amzn-oidc-data': data(sub, { 'cognito:groups': ['admins'], username: 'mallory' }),
      }),
    );
    expect(decision).toMatchObject({
      allowed: true,
      principal: { groups: ['movies-group'], username: 'alice' },
    });
  });

  it('without the header, the claims are absent and rules on them fail closed', async () => {
    const { token } = user();
    expect(
      await guard.check(request({ 'x-amzn-oidc-accesstoken': token }), emailRule),
    ).toMatchObject({
      allowed: false,
      status: 403,
    });
  });

  it('refuses a header that is unsigned, foreign-signed, for another ALB, client, issuer or user', async () => {
    const { token, sub } = user();
    const valid = data(sub);
    const [header, payload] = valid.split('.') as [string, string];
    const headerJson = JSON.parse(Buffer.from(header, 'base64').toString());
    const unsigned = encodeJwt(
      { ...headerJson, alg: 'none' },
      JSON.parse(Buffer.from(payload, 'base64').toString()),
      '',
    );
    const impostor = createAlbSigner({ albArn: alb.albArn });
    const foreignSameKid = `${valid.split('.').slice(0, 2).join('.')}.${impostor.dataToken({ sub }, { issuer: issuer.issuer, clientId: issuer.clientId }).split('.')[2]}`;
    const cases: [string, string, number][] = [
      ['unsigned', unsigned, 401],
      [
        'signed by a key the ALB never published',
        impostor.dataToken({ sub }, { issuer: issuer.issuer, clientId: issuer.clientId }),
        401,
      ],
      ['signature of another key under the real kid', foreignSameKid, 401],
      ['another load balancer', data(sub, {}, { signer: OTHER_ALB }), 401],
      ['another client', data(sub, {}, { clientId: 'other-client' }), 401],
      [
        'another issuer',
        data(sub, {}, { issuer: 'https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_Other' }),
        401,
      ],
      ['expired', data(sub, {}, { expiresIn: -60 }), 401],
      ['another user', data('someone-else'), 401],
      ['not a JWT', 'garbage', 401],
    ];
    const got = [];
    for (const [name, header] of cases) {
      const decision = await guard.check(
        request({ 'x-amzn-oidc-accesstoken': token, 'x-amzn-oidc-data': header }),
        emailRule,
      );
      got.push([name, decision.allowed ? 200 : decision.status]);
    }
    expect(got).toEqual(cases.map(([name, , status]) => [name, status]));
    const twice = await guard.check(
      request({ 'x-amzn-oidc-accesstoken': token, 'x-amzn-oidc-data': [valid, valid] }),
    );
    expect(twice).toMatchObject({ allowed: false, status: 400 });
  });

  it('answers 503 while the ALB key endpoint fails, and recovers', async () => {
    const { token, sub } = user();
    const rotated = createAlbSigner({ albArn: alb.albArn });
    let up = false;
    aws.serve(rotated.keyUrl, () => (up ? { text: rotated.publicKeyPem } : { status: 500 }));
    const headers = {
      'x-amzn-oidc-accesstoken': token,
      'x-amzn-oidc-data': rotated.dataToken(
        { sub, email: 'alice@example.com' },
        { issuer: issuer.issuer, clientId: issuer.clientId },
      ),
    };
    // A guard of its own: the made-up key ids of the test before started a cooldown.
    const fresh = () =>
      createGuard({
        ...issuer.config,
        tokenSources: ['alb'],
        albUserClaims: albUserClaims({ albArn: alb.albArn }),
        jwks: { retryAfterSeconds: 0 },
        logger: { warn: () => undefined },
      });
    const outage = fresh();
    const down = await outage.check(request(headers), emailRule);
    expect(down).toMatchObject({ allowed: false, status: 503, reason: 'keys_unavailable' });
    expect(await outage.check(request(headers), emailRule)).toMatchObject({ status: 503 });
    up = true;
    expect(await outage.check(request(headers), emailRule)).toMatchObject({ allowed: true });
  });

  it('fetches keys for made-up key ids at most once per cooldown', async () => {
    const { token, sub } = user();
    const before = [...aws.requests.values()].reduce((a, b) => a + b, 0);
    for (let i = 0; i < 20; i++) {
      const stranger = createAlbSigner({ albArn: alb.albArn });
      const decision = await guard.check(
        request({
          'x-amzn-oidc-accesstoken': token,
          'x-amzn-oidc-data': stranger.dataToken(
            { sub },
            { issuer: issuer.issuer, clientId: issuer.clientId },
          ),
        }),
      );
      expect(decision.allowed).toBe(false);
    }
    const after = [...aws.requests.values()].reduce((a, b) => a + b, 0);
    expect(after - before).toBeLessThanOrEqual(1);
  });

  it('names a bad ARN, an unset one, several regions, and a missing alb token source at start-up', () => {
    // albUserClaims({ albArn: process.env.ALB_ARN }) with the variable unset:
    expect(() => albUserClaims({ albArn: undefined })).toThrow(
      'albArn: must name at least one load balancer',
    );
    expect(() => albUserClaims({ albArn: [] })).toThrow(ConfigError);
    expect(() => albUserClaims({ albArn: 'arn:aws:s3:::bucket' })).toThrow(
      'albArn: "arn:aws:s3:::bucket" is not an application load balancer ARN',
    );
    expect(() =>
      albUserClaims({ albArn: [alb.albArn, OTHER_ALB.replace('eu-west-1', 'us-east-1')] }),
    ).toThrow('lists load balancers in several regions (eu-west-1, us-east-1)');
    expect(() =>
      createGuard({ ...issuer.config, albUserClaims: albUserClaims({ albArn: alb.albArn }) }),
    ).toThrow("albUserClaims: verifies what an ALB forwards: add 'alb' to tokenSources");
    expect(() =>
      createGuard({ ...issuer.config, albUserClaims: { albArn: alb.albArn } as never }),
    ).toThrow(ConfigError);
  });
});
