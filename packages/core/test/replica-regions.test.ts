// Multi-Region Replication: a replicated pool's tokens name the region that issued them. The keys
// are fetched over real TLS from the real host names, which the testing kit serves on loopback.

import { type AwsEndpoints, startAwsEndpoints, type TestIssuer } from '@cognito-guard/testing';
import { ConfigError, configFromEnv, createGuard, type Guard } from '../src';
import { bearer, startIssuer } from './helpers';

const POOL = 'us-east-1_Replicated1';
const issuerIn = (region: string) => `https://cognito-idp.${region}.amazonaws.com/${POOL}`;
const UPDATED_ISSUER = `https://issuer-cognito-idp.us-east-1.amazonaws.com/${POOL}`;

describe('Multi-Region Replication issuers', () => {
  let signer: TestIssuer;
  let aws: AwsEndpoints;
  let guard: Guard;

  beforeAll(async () => {
    signer = await startIssuer();
    aws = await startAwsEndpoints([
      'cognito-idp.us-east-1.amazonaws.com',
      'cognito-idp.us-west-2.amazonaws.com',
      'cognito-idp.eu-west-1.amazonaws.com',
      'issuer-cognito-idp.us-east-1.amazonaws.com',
    ]);
    // A replica serves the pool's keys at its own regional endpoint.
    for (const issuer of [issuerIn('us-east-1'), issuerIn('us-west-2'), issuerIn('eu-west-1')]) {
      aws.serve(`${issuer}/.well-known/jwks.json`, () => ({ json: signer.jwks }));
    }
    aws.serve(`${UPDATED_ISSUER}/.well-known/jwks.json`, () => ({ json: signer.jwks }));
    guard = replicatedGuard();
    await guard.ready();
  });
  afterAll(async () => {
    await aws.stop();
    await signer.stop();
  });

  const replicatedGuard = () =>
    createGuard({
      userPoolId: POOL,
      clientId: 'web',
      replicaRegions: ['us-west-2'],
      logger: { warn: () => undefined },
    });
  const tokenFrom = (issuer: string) =>
    signer.accessToken({ issuer, clientId: 'web', groups: ['movies-group'] });

  // Key fetches since `before`: other tests' guards fetch from the same endpoints, in any order.
  const keyFetches = (issuer: string) => aws.requests.get(`${issuer}/.well-known/jwks.json`) ?? 0;

  it('accepts the primary, the updated-format and the configured replica issuer', async () => {
    // A guard of its own, whose fetches no other test has made already.
    const fresh = replicatedGuard();
    const before = [issuerIn('us-west-2'), UPDATED_ISSUER].map(keyFetches);
    for (const issuer of [issuerIn('us-east-1'), UPDATED_ISSUER, issuerIn('us-west-2')]) {
      await expect(fresh.authenticate(bearer(tokenFrom(issuer)))).resolves.toMatchObject({
        issuer,
        userPoolId: POOL,
        groups: ['movies-group'],
      });
    }
    // Each issuer's keys came from its own endpoint, over TLS.
    expect([issuerIn('us-west-2'), UPDATED_ISSUER].map(keyFetches)).toEqual(
      before.map((count) => count + 1),
    );
  });

  it('refuses a region the pool is not configured with, before fetching its keys', async () => {
    const before = keyFetches(issuerIn('eu-west-1'));
    const decision = await guard.check(bearer(tokenFrom(issuerIn('eu-west-1'))));
    expect(decision).toMatchObject({ allowed: false, status: 401, reason: 'issuer_invalid' });
    expect(keyFetches(issuerIn('eu-west-1'))).toBe(before);
  });

  it('refuses a replica issuer whose endpoint does not hold the signing key', async () => {
    const other = await startIssuer();
    try {
      const forged = other.accessToken({ issuer: issuerIn('us-west-2'), clientId: 'web' });
      const decision = await guard.check(bearer(forged));
      expect(decision).toMatchObject({ allowed: false, status: 401 });
    } finally {
      await other.stop();
    }
  });

  it('accepts a replica issuer of a pool that pools.resolve() gives', async () => {
    const resolved: string[] = [];
    const warnings: string[] = [];
    const perTenant = createGuard({
      pools: {
        resolve: (issuer) => {
          resolved.push(issuer);
          return { userPoolId: POOL, clientId: 'web', replicaRegions: ['us-west-2'] };
        },
      },
      logger: { warn: (message) => warnings.push(message) },
    });
    for (const issuer of [issuerIn('us-west-2'), issuerIn('us-east-1')]) {
      await expect(perTenant.authenticate(bearer(tokenFrom(issuer)))).resolves.toMatchObject({
        issuer,
      });
    }
    // The pool the resolver gives does not issue this one: refused, whatever the key.
    const decision = await perTenant.check(bearer(tokenFrom(issuerIn('eu-west-1'))));
    expect(decision).toMatchObject({ allowed: false, status: 401, reason: 'issuer_invalid' });
    expect(resolved).toEqual([issuerIn('us-west-2'), issuerIn('us-east-1'), issuerIn('eu-west-1')]);
    expect(warnings).toEqual([
      `cognito-guard: refused tokens of issuer ${issuerIn('eu-west-1')}: pools.resolve() returned pool ${POOL}, which does not issue it (${issuerIn('us-east-1')} or ${UPDATED_ISSUER} or ${issuerIn('us-west-2')})`,
    ]);
  });

  it('reads replica regions from COGNITO_REPLICA_REGIONS', async () => {
    const fromEnv = createGuard({
      ...configFromEnv({
        COGNITO_USER_POOL_ID: POOL,
        COGNITO_CLIENT_ID: 'web',
        COGNITO_REPLICA_REGIONS: 'us-west-2, eu-west-1',
      }),
      logger: { warn: () => undefined },
    });
    await expect(
      fromEnv.authenticate(bearer(tokenFrom(issuerIn('eu-west-1')))),
    ).resolves.toMatchObject({ issuer: issuerIn('eu-west-1') });
  });

  it('names the field and the variable of a region that does not exist', () => {
    expect(() =>
      createGuard(
        configFromEnv({
          COGNITO_USER_POOL_ID: POOL,
          COGNITO_CLIENT_ID: 'web',
          COGNITO_REPLICA_REGIONS: 'us-west-2,eu-wset-1',
        }),
      ),
    ).toThrow(
      'replicaRegions.1 (COGNITO_REPLICA_REGIONS): "eu-wset-1" is not an AWS region; did you mean "eu-west-1"?',
    );
    expect(() =>
      createGuard({
        pools: [
          {
            userPoolId: 'local_x',
            clientId: null,
            issuer: 'http://localhost:9229/local_x',
            replicaRegions: ['us-west-2'],
          },
        ],
      }),
    ).toThrow(ConfigError);
    expect(() => createGuard({ userPoolId: POOL, clientId: null, replicaRegions: [] })).toThrow(
      'replicaRegions: must list at least one region',
    );
  });
});
