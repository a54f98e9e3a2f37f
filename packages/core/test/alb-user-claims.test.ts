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
import {
  ConfigError,
  createGuard,
  type Guard,
  type GuardConfig,
  type RequestLike,
  requireClaim,
} from '../src';
import { albUserClaims } from '../src/subpaths/alb';
import { clockAt, startIssuer } from './helpers';

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
    guard = albGuard();
    // The ALB's key, fetched before any test sends a made-up key id: a new key id is not fetched
    // during the cooldown one of those starts, and each test must fail for its own reason.
    const { token, sub } = user();
    const primed = await guard.check(
      request({ 'x-amzn-oidc-accesstoken': token, 'x-amzn-oidc-data': data(sub) }),
    );
    if (!primed.allowed) throw new Error(`the ALB key was not fetched: ${primed.reason}`);
  });
  afterAll(async () => {
    await aws.stop();
    await issuer.stop();
  });

  // A guard that takes the ALB's headers; each test that needs a cooldown or a key cache of its
  // own builds one.
  const albGuard = (extra: Partial<GuardConfig> = {}) =>
    createGuard({
      ...issuer.config,
      tokenSources: ['alb'],
      albUserClaims: albUserClaims({ albArn: alb.albArn }),
      logger: { warn: () => undefined },
      ...extra,
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
    // The guard fetched the key before the tests; other tests' guards fetch it too, in any order.
    const fetched = aws.requests.get(alb.keyUrl);
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
    // Key cached, verification cached: the same header again costs no fetch.
    await guard.check(
      request({ 'x-amzn-oidc-accesstoken': token, 'x-amzn-oidc-data': data(sub) }),
      emailRule,
    );
    expect(aws.requests.get(alb.keyUrl)).toBe(fetched);
  });

  it('adds the claims in authenticate() too, and refuses there a header for another user', async () => {
    const { token, sub } = user();
    const principal = await guard.authenticate(
      request({ 'x-amzn-oidc-accesstoken': token, 'x-amzn-oidc-data': data(sub) }),
    );
    expect(principal).toMatchObject({ sub, claims: { email: 'alice@example.com' } });
    // A principal authorised later, with no request: its claims are kept, no header is sought.
    expect(await guard.authorize(principal, emailRule)).toMatchObject({ allowed: true });
    await expect(
      guard.authenticate(
        request({ 'x-amzn-oidc-accesstoken': token, 'x-amzn-oidc-data': data('someone-else') }),
      ),
    ).rejects.toMatchObject({ status: 401, code: 'invalid_token' });
  });

  it('reads a data header with spaces around it as the header itself', async () => {
    const { token, sub } = user();
    const decision = await guard.check(
      request({ 'x-amzn-oidc-accesstoken': token, 'x-amzn-oidc-data': ` ${data(sub)}\t` }),
      emailRule,
    );
    expect(decision).toMatchObject({ allowed: true, principal: { sub } });
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
    const cases: [string, string, number, string, string, string | undefined][] = [
      [
        'unsigned',
        unsigned,
        401,
        'token_invalid',
        'The ALB user claims (x-amzn-oidc-data) are not valid',
        'token_malformed: The token is not a well-formed JWT',
      ],
      [
        'signed by a key the ALB never published',
        impostor.dataToken({ sub }, { issuer: issuer.issuer, clientId: issuer.clientId }),
        401,
        'token_invalid',
        'The ALB user claims (x-amzn-oidc-data) are not valid',
        'kid_unknown: The token was signed with an unknown key',
      ],
      [
        'signature of another key under the real kid',
        foreignSameKid,
        401,
        'token_invalid',
        'The ALB user claims (x-amzn-oidc-data) are not valid',
        'signature_invalid: The token signature is invalid',
      ],
      [
        'another load balancer',
        data(sub, {}, { signer: OTHER_ALB }),
        401,
        'token_invalid',
        'The ALB user claims (x-amzn-oidc-data) are not valid',
        'token_invalid: The token is invalid',
      ],
      [
        'another client',
        data(sub, {}, { clientId: 'other-client' }),
        401,
        'token_invalid',
        'The ALB user claims (x-amzn-oidc-data) are not valid',
        'token_invalid: The token is invalid',
      ],
      [
        'another issuer',
        data(sub, {}, { issuer: 'https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_Other' }),
        401,
        'token_invalid',
        'The ALB user claims (x-amzn-oidc-data) are not valid',
        'issuer_invalid: The token was issued by an unexpected issuer',
      ],
      [
        'expired',
        data(sub, {}, { expiresIn: -60 }),
        401,
        'token_expired',
        'The ALB user claims (x-amzn-oidc-data) have expired',
        undefined,
      ],
      [
        'another user',
        data('someone-else'),
        401,
        'claims_invalid',
        'The ALB user claims belong to another user',
        `x-amzn-oidc-data sub someone-else; access token sub ${sub}`,
      ],
      [
        'not a JWT',
        'garbage',
        401,
        'token_invalid',
        'The ALB user claims (x-amzn-oidc-data) are not valid',
        'token_malformed: The token is not a well-formed JWT',
      ],
    ];
    const got = [];
    for (const [name, header] of cases) {
      const decision = await guard.check(
        request({ 'x-amzn-oidc-accesstoken': token, 'x-amzn-oidc-data': header }),
        emailRule,
      );
      // The client learns the kind; the operator, from the detail, what was wrong with the header.
      got.push(
        decision.allowed
          ? [name, 200]
          : [
              name,
              decision.status,
              decision.reason,
              decision.error.description,
              decision.error.detail,
            ],
      );
    }
    expect(got).toEqual(cases.map(([name, , ...answer]) => [name, ...answer]));
    const twice = await guard.check(
      request({ 'x-amzn-oidc-accesstoken': token, 'x-amzn-oidc-data': [valid, valid] }),
    );
    expect(twice).toMatchObject({ allowed: false, status: 400 });
  });

  it('takes the header for any client when the pool skips the client check on purpose', async () => {
    const anyClient = albGuard({ clientId: null });
    const { token, sub } = user();
    const headers = (clientId: string) => ({
      'x-amzn-oidc-accesstoken': token,
      'x-amzn-oidc-data': data(sub, {}, { clientId }),
    });
    expect(await anyClient.check(request(headers('other-client')), emailRule)).toMatchObject({
      allowed: true,
    });
    expect(await guard.check(request(headers('other-client')), emailRule)).toMatchObject({
      status: 401,
    });
  });

  it('answers 503 while the ALB key endpoint fails or answers with no key, and recovers', async () => {
    const { token, sub } = user();
    const rotated = createAlbSigner({ albArn: alb.albArn });
    const answers = {
      down: { status: 500 },
      // A proxy's error page with a 200: an outage too, not the token's fault.
      garbage: { text: '<html>Service Unavailable</html>' },
      up: { text: rotated.publicKeyPem },
    };
    let state: keyof typeof answers = 'down';
    aws.serve(rotated.keyUrl, () => answers[state]);
    const headers = {
      'x-amzn-oidc-accesstoken': token,
      'x-amzn-oidc-data': rotated.dataToken(
        { sub, email: 'alice@example.com' },
        { issuer: issuer.issuer, clientId: issuer.clientId },
      ),
    };
    // A guard of its own: the made-up key ids of the test before started a cooldown.
    const fresh = () => albGuard({ jwks: { retryAfterSeconds: 0 } });
    const outage = fresh();
    const down = await outage.check(request(headers), emailRule);
    expect(down).toMatchObject({ allowed: false, status: 503, reason: 'keys_unavailable' });
    expect(await outage.check(request(headers), emailRule)).toMatchObject({ status: 503 });
    state = 'garbage';
    const garbage = await outage.check(request(headers), emailRule);
    expect(garbage).toMatchObject({ status: 503, reason: 'keys_unavailable' });
    // The client learns only that keys are unavailable; the operator, why.
    const cause = (garbage.allowed ? undefined : garbage.error)?.cause;
    expect(String(cause)).toContain('not a PEM public key');
    state = 'up';
    expect(await outage.check(request(headers), emailRule)).toMatchObject({ allowed: true });
    expect(aws.requests.get(rotated.keyUrl)).toBe(4);
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

  it('stops honouring a verified header once it expires, though it is cached', async () => {
    const { token, sub } = user();
    const headers = {
      'x-amzn-oidc-accesstoken': token,
      'x-amzn-oidc-data': data(sub, { email: 'brief@example.com' }, { expiresIn: 60 }),
    };
    const briefRule = requireClaim('email', 'brief@example.com');
    expect(await guard.check(request(headers), briefRule)).toMatchObject({ allowed: true });
    // Only the clock moves: key fetches and the servers keep their real timers.
    clockAt(Date.now() + 61_000);
    try {
      expect(await guard.check(request(headers), briefRule)).toMatchObject({
        allowed: false,
        status: 401,
        reason: 'token_expired',
      });
    } finally {
      jest.useRealTimers();
    }
  });

  describe('made-up key ids', () => {
    // A guard of its own for each test, so that no other test's cooldown is in force.
    const fresh = (unknownKidCooldownSeconds = 10) =>
      albGuard({ jwks: { unknownKidCooldownSeconds } });
    const signedBy = (signer: AlbSigner) => {
      const { token, sub } = user();
      return request({
        'x-amzn-oidc-accesstoken': token,
        'x-amzn-oidc-data': signer.dataToken(
          { sub, email: 'alice@example.com' },
          { issuer: issuer.issuer, clientId: issuer.clientId },
        ),
      });
    };
    const fetches = (signer: AlbSigner) => aws.requests.get(signer.keyUrl) ?? 0;

    it('a key id the endpoint refused (404 or 403) is never asked about again', async () => {
      const checked = fresh(1);
      const missing = createAlbSigner({ albArn: alb.albArn });
      const forbidden = createAlbSigner({ albArn: alb.albArn });
      aws.serve(forbidden.keyUrl, { status: 403 });
      for (const signer of [missing, forbidden]) {
        clockAt(Date.now() + 5_000);
        try {
          expect(await checked.check(signedBy(signer))).toMatchObject({ status: 401 });
          clockAt(Date.now() + 5_000); // past the cooldown
          expect(await checked.check(signedBy(signer))).toMatchObject({ status: 401 });
        } finally {
          jest.useRealTimers();
        }
        expect(fetches(signer)).toBe(1);
      }
    });

    it('a new key id is fetched again once the cooldown has passed, not before', async () => {
      const checked = fresh(10);
      const first = createAlbSigner({ albArn: alb.albArn });
      const second = createAlbSigner({ albArn: alb.albArn });
      expect(await checked.check(signedBy(first))).toMatchObject({ status: 401 });
      const start = Date.now();
      clockAt(start + 9_000);
      try {
        // The key id is unknown for now, but not refused for good: a 401, not a 503.
        const cooling = await checked.check(signedBy(second));
        expect(cooling).toMatchObject({ status: 401, reason: 'token_invalid' });
        // The operator learns which key id was not fetched.
        const kid = second.keyUrl.slice(second.keyUrl.lastIndexOf('/') + 1);
        const cause = (cooling.allowed ? undefined : cooling.error)?.cause;
        expect(cause).toMatchObject({ message: `no ALB key ${kid}` });
        expect(fetches(second)).toBe(0);
        // A rotated key the ALB publishes during the cooldown, once it has passed.
        aws.serve(second.keyUrl, { text: second.publicKeyPem });
        clockAt(start + 10_500);
        expect(await checked.check(signedBy(second))).toMatchObject({ allowed: true });
        expect(fetches(second)).toBe(1);
      } finally {
        jest.useRealTimers();
      }
    });

    it('keys already fetched keep working during a cooldown', async () => {
      const checked = fresh(60);
      expect(await checked.check(signedBy(alb))).toMatchObject({ allowed: true });
      expect(await checked.check(signedBy(createAlbSigner({ albArn: alb.albArn })))).toMatchObject({
        status: 401,
      });
      expect(await checked.check(signedBy(alb))).toMatchObject({ allowed: true });
    });
  });

  it('names a bad ARN, an unset one, several regions, and a missing alb token source at start-up', () => {
    // albUserClaims({ albArn: process.env.ALB_ARN }) with the variable unset:
    expect(() => albUserClaims({ albArn: undefined })).toThrow(
      'Invalid albUserClaims: albArn: must name at least one load balancer',
    );
    expect(() => albUserClaims(undefined as never)).toThrow(
      'Invalid albUserClaims: albArn: must name at least one load balancer',
    );
    expect(() => albUserClaims({ albArn: [] })).toThrow(ConfigError);
    expect(() => albUserClaims({ albArn: 'arn:aws:s3:::bucket' })).toThrow(
      'albArn: "arn:aws:s3:::bucket" is not an application load balancer ARN',
    );
    expect(() =>
      albUserClaims({ albArn: [alb.albArn, OTHER_ALB.replace('eu-west-1', 'us-east-1')] }),
    ).toThrow('albArn: lists load balancers in several regions (eu-west-1, us-east-1)');
    expect(() =>
      createGuard({ ...issuer.config, albUserClaims: albUserClaims({ albArn: alb.albArn }) }),
    ).toThrow(
      "Invalid cognito-guard config: albUserClaims: verifies what an ALB forwards: add 'alb' to tokenSources",
    );
    expect(() =>
      createGuard({ ...issuer.config, albUserClaims: { albArn: alb.albArn } as never }),
    ).toThrow(ConfigError);
    // The whole ARN, nothing before or after it; each of several named by its place.
    for (const padded of [`x${alb.albArn}`, `${alb.albArn}/extra`, `${alb.albArn} `]) {
      expect(() => albUserClaims({ albArn: padded })).toThrow(
        'is not an application load balancer ARN',
      );
    }
    expect(() => albUserClaims({ albArn: [alb.albArn, 'nope'] })).toThrow(
      'albArn.1: "nope" is not an application load balancer ARN',
    );
    expect(() => albUserClaims({ albArn: [alb.albArn, 42 as never] })).toThrow(
      'albArn.1: "42" is not',
    );
    expect(() => albUserClaims({ albArn: [alb.albArn, OTHER_ALB] })).not.toThrow();
    expect(() =>
      createGuard({
        pools: { resolve: () => undefined },
        tokenSources: ['alb'],
        albUserClaims: albUserClaims({ albArn: alb.albArn }),
      }),
    ).toThrow('albUserClaims: needs the pools listed, not resolved per issuer');
  });
});
