// One pool per tenant, found per request (`pools: { resolve }`): a tenant's token passes only its
// own tenant's rules, an issuer the resolver does not know costs no key fetch, and the verifiers
// kept stay within `maxPools`.

import type { TestIssuer } from '@cognito-guard/testing';
import {
  allOf,
  ConfigError,
  createGuard,
  type Guard,
  type PoolConfig,
  predicate,
  requireGroups,
} from '../src';
import { bearer, startIssuer } from './helpers';

describe('pools resolved per issuer', () => {
  const tenants: TestIssuer[] = [];
  let tenantA: TestIssuer;
  let tenantB: TestIssuer;
  let resolved: string[];
  let guard: Guard;
  const warnings: string[] = [];

  const poolOf = (tenant: TestIssuer): PoolConfig => ({
    userPoolId: tenant.userPoolId,
    clientId: tenant.clientId,
    issuer: tenant.issuer,
  });

  beforeAll(async () => {
    for (const id of ['A', 'B', 'C']) {
      tenants.push(await startIssuer({ userPoolId: `local_tenant${id}`, clientId: `app-${id}` }));
    }
    [tenantA, tenantB] = tenants as [TestIssuer, TestIssuer];
  });
  afterAll(() => Promise.all(tenants.map((tenant) => tenant.stop())));

  beforeEach(() => {
    resolved = [];
    warnings.length = 0;
    guard = createGuard({
      pools: {
        resolve: (issuer) => {
          resolved.push(issuer);
          const tenant = tenants.find((candidate) => candidate.issuer === issuer);
          return tenant && poolOf(tenant);
        },
        maxPools: 2,
      },
      logger: { warn: (message) => warnings.push(message) },
    });
  });

  const tenantRoute = (tenant: TestIssuer) =>
    predicate((p) => p.userPoolId === tenant.userPoolId, `tenant ${tenant.userPoolId}`);

  it("allows a tenant's token on its own routes only", async () => {
    const admin = tenantA.accessToken({ clientId: 'app-A', groups: ['admins'] });
    const rule = (tenant: TestIssuer) => allOf(requireGroups('admins'), tenantRoute(tenant));
    expect(await guard.check(bearer(admin), rule(tenantA))).toMatchObject({
      allowed: true,
      principal: { userPoolId: 'local_tenantA', issuer: tenantA.issuer },
    });
    expect(await guard.check(bearer(admin), rule(tenantB))).toMatchObject({
      allowed: false,
      status: 403,
    });
  });

  it("refuses a token signed by tenant A's key that names tenant B's issuer", async () => {
    const forged = tenantA.accessToken({ issuer: tenantB.issuer, clientId: 'app-B' });
    expect(await guard.check(bearer(forged))).toMatchObject({ allowed: false, status: 401 });
    // B's keys were fetched to check it, and they do not hold A's key.
    expect(tenantB.jwksRequests).toBeGreaterThan(0);
  });

  it("refuses a token for another tenant's app client", async () => {
    const token = tenantA.accessToken({ clientId: 'app-B' });
    expect(await guard.check(bearer(token))).toMatchObject({
      allowed: false,
      status: 401,
      reason: 'client_invalid',
    });
  });

  it('fetches no keys for a flood of unknown issuers', async () => {
    const stranger = await startIssuer({ userPoolId: 'local_stranger' });
    try {
      const before = guard.verifier.fetcher.fetchCount;
      const strangerRequests = stranger.jwksRequests;
      for (let i = 0; i < 200; i++) {
        const token = stranger.accessToken({ issuer: `https://evil.example/pool-${i}` });
        const decision = await guard.check(bearer(token));
        expect(decision).toMatchObject({ allowed: false, status: 401, reason: 'issuer_invalid' });
        expect(decision.allowed ? undefined : decision.error).toMatchObject({
          description: 'The token was issued by an unexpected issuer',
          detail: `issuer https://evil.example/pool-${i}; expected an issuer pools.resolve() gives a pool for`,
        });
      }
      const own = stranger.accessToken();
      expect(await guard.check(bearer(own))).toMatchObject({ reason: 'issuer_invalid' });
      expect(guard.verifier.fetcher.fetchCount).toBe(before);
      expect(stranger.jwksRequests).toBe(strangerRequests);
      expect(guard.verifier.pools.size).toBe(0);
      expect(warnings).toEqual([]);
    } finally {
      await stranger.stop();
    }
  });

  it('never asks the resolver about an issuer that is absent or not a string', async () => {
    const refusals: [unknown, string][] = [
      [undefined, 'issuer_invalid'],
      [42, 'token_malformed'],
      [null, 'token_malformed'],
      [['https://evil.example'], 'token_malformed'],
      [{ url: tenantA.issuer }, 'token_malformed'],
    ];
    for (const [iss, reason] of refusals) {
      const decision = await guard.check(bearer(tenantA.accessToken({ claims: { iss } })));
      expect([iss, decision]).toMatchObject([iss, { allowed: false, status: 401, reason }]);
    }
    // toEqual would take [undefined] for [].
    expect(resolved).toHaveLength(0);
    expect(guard.verifier.pools.size).toBe(0);
    expect(warnings).toEqual([]);
  });

  it('keeps at most maxPools verifiers, resolving an evicted pool again', async () => {
    for (const tenant of tenants) {
      const token = tenant.accessToken({ clientId: tenant.clientId });
      expect(await guard.check(bearer(token))).toMatchObject({ allowed: true });
      expect(
        await guard.check(bearer(tenant.accessToken({ clientId: tenant.clientId }))),
      ).toMatchObject({
        allowed: true,
      });
    }
    expect(guard.verifier.pools.size).toBe(2);
    expect(resolved).toEqual(tenants.map((tenant) => tenant.issuer));
    const again = tenantA.accessToken({ clientId: 'app-A' });
    expect(await guard.check(bearer(again))).toMatchObject({ allowed: true });
    expect(resolved).toHaveLength(4);
  });

  it('refuses, and warns once, when the resolver returns a pool that does not issue the token', async () => {
    const lying = createGuard({
      pools: { resolve: () => poolOf(tenantB) },
      logger: { warn: (message) => warnings.push(message) },
    });
    for (let i = 0; i < 3; i++) {
      const token = tenantA.accessToken({ clientId: 'app-B' });
      expect(await lying.check(bearer(token))).toMatchObject({
        allowed: false,
        status: 401,
        reason: 'issuer_invalid',
      });
    }
    expect(warnings).toEqual([
      `cognito-guard: refused tokens of issuer ${tenantA.issuer}: pools.resolve() returned pool local_tenantB, which does not issue it (${tenantB.issuer})`,
    ]);
  });

  it('refuses when the resolver throws or returns an invalid pool', async () => {
    const throwing = createGuard({
      pools: {
        resolve: () => {
          throw new Error('tenant table not loaded');
        },
      },
      logger: { warn: (message) => warnings.push(message) },
    });
    const token = tenantA.accessToken({ clientId: 'app-A' });
    expect(await throwing.check(bearer(token))).toMatchObject({ status: 401 });
    const invalid = createGuard({
      pools: { resolve: () => ({ userPoolId: 'local_tenantA' }) as unknown as PoolConfig },
      logger: { warn: (message) => warnings.push(message) },
    });
    expect(await invalid.check(bearer(token))).toMatchObject({ status: 401 });
    const illTyped = createGuard({
      pools: {
        resolve: () =>
          ({ ...poolOf(tenantA), clientId: 7, tokenUse: 'both' }) as unknown as PoolConfig,
      },
      logger: { warn: (message) => warnings.push(message) },
    });
    expect(await illTyped.check(bearer(token))).toMatchObject({ status: 401 });
    expect(warnings).toEqual([
      `cognito-guard: refused tokens of issuer ${tenantA.issuer}: pools.resolve() threw: tenant table not loaded`,
      `cognito-guard: refused tokens of issuer ${tenantA.issuer}: pools.resolve() returned an invalid pool (clientId: is required: give the app client id(s), or null to skip the check on purpose)`,
      `cognito-guard: refused tokens of issuer ${tenantA.issuer}: pools.resolve() returned an invalid pool (clientId: has an invalid value (7); tokenUse: must be one of "access", "id", "any", got "both")`,
    ]);
  });

  it('refuses, without a warning, an issuer the resolver answers null for', async () => {
    const nullish = createGuard({
      pools: { resolve: () => null as unknown as PoolConfig },
      logger: { warn: (message) => warnings.push(message) },
    });
    const token = tenantA.accessToken({ clientId: 'app-A' });
    expect(await nullish.check(bearer(token))).toMatchObject({
      status: 401,
      reason: 'issuer_invalid',
    });
    expect(warnings).toEqual([]);
  });

  it('refuses a resolved pool whose keys would come over http:// from another host, unless allowed', async () => {
    // A tenant's issuer on plain HTTP, off loopback: its keys could be swapped on the way.
    const plain = 'http://tenant.invalid/local_tenantA';
    const token = tenantA.accessToken({ clientId: 'app-A', issuer: plain });
    const guardWith = (allowInsecureHttp: boolean) =>
      createGuard({
        pools: {
          resolve: () => ({ userPoolId: 'local_tenantA', clientId: 'app-A', issuer: plain }),
        },
        allowInsecureHttp,
        jwks: { timeoutMs: 1_000 },
        logger: { warn: (message) => warnings.push(message) },
      });
    expect(await guardWith(false).check(bearer(token))).toMatchObject({ status: 401 });
    expect(warnings).toEqual([
      `cognito-guard: refused tokens of issuer ${plain}: pools.resolve() returned an invalid pool (issuer: http:// is accepted only on loopback hosts; use https:// or set \`allowInsecureHttp\`)`,
    ]);
    // Allowed: the pool stands, and its keys are fetched (from a host that does not exist).
    expect(await guardWith(true).check(bearer(token))).toMatchObject({
      status: 503,
      reason: 'keys_unavailable',
    });
  });

  it('checks a principal built by another guard against the resolved pool', async () => {
    const token = tenantA.accessToken({ clientId: 'app-A' });
    const principal = await guard.authenticate(bearer(token));
    const strict = createGuard({
      pools: { resolve: (issuer) => (issuer === tenantB.issuer ? poolOf(tenantB) : undefined) },
    });
    expect(
      await strict.check({ ...bearer(token), headers: {} }, undefined, { principal }),
    ).toMatchObject({ allowed: false, status: 401, reason: 'issuer_invalid' });
    expect(
      await guard.check({ ...bearer(token), headers: {} }, undefined, { principal }),
    ).toMatchObject({
      allowed: true,
    });
  });

  it('warns once per issuer, forgetting the issuers it warned of after a thousand', () => {
    const pools = createGuard({
      pools: {
        resolve: () => {
          throw new Error('tenant table not loaded');
        },
      },
      logger: { warn: (message) => warnings.push(message) },
    }).verifier.pools;
    const warnedOf = (issuer: string) => {
      const before = warnings.length;
      expect(pools.poolOf(issuer)).toBeUndefined();
      return warnings.length - before;
    };
    expect([warnedOf('iss-0'), warnedOf('iss-0')]).toEqual([1, 0]);
    for (let i = 1; i < 1000; i++) warnedOf(`iss-${i}`);
    expect([warnedOf('iss-0'), warnedOf('iss-1000'), warnedOf('iss-0')]).toEqual([0, 1, 1]);
  });

  it('fetches no key at start-up and names the resolver to operators', async () => {
    const before = guard.verifier.fetcher.fetchCount;
    await guard.ready();
    expect(guard.verifier.fetcher.fetchCount).toBe(before);
    expect(guard.verifier.pools.describeIssuers()).toBe(
      'an issuer pools.resolve() gives a pool for',
    );
    // With pools configured, every issuer has the one shared verifier, and none is resolved.
    const configured = createGuard(poolOf(tenantA)).verifier.pools;
    expect(configured.verifierFor('https://elsewhere.example')).toBe(configured.shared);
    expect(configured.shared).toBeDefined();
    expect(configured.size).toBe(0);
  });

  it('names the resolver fields that are wrong at start-up', () => {
    expect(() => createGuard({ pools: { resolve: 'tenants' as never } })).toThrow(
      'pools.resolve: must be a function (issuer) => pool or undefined',
    );
    expect(() => createGuard({ pools: { resolve: () => undefined, maxPools: 0 } })).toThrow(
      'pools.maxPools: must be greater than 0',
    );
    expect(() =>
      createGuard({ pools: { resolve: () => undefined, maxPools: 'many' as never } }),
    ).toThrow('pools.maxPools: must be number, got "many"');
    expect(() =>
      createGuard({
        userPoolId: 'eu-west-1_abc',
        clientId: null,
        pools: { resolve: () => undefined },
      }),
    ).toThrow(ConfigError);
  });
});
