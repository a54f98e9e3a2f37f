import type { TestIssuer } from '@cognito-guard/testing';
import { ConfigError, createGuard, type Principal } from '../src';
import { bindHandlers, type Evaluate } from '../src/subpaths/adapter';
import { bearer, startIssuer } from './helpers';

describe('bindHandlers', () => {
  let issuer: TestIssuer;
  beforeAll(async () => {
    issuer = await startIssuer();
  });
  afterAll(() => issuer.stop());

  // The smallest possible "framework": a handler is the evaluate function itself.
  const handlers = () => {
    const guard = createGuard(issuer.config);
    return bindHandlers(
      () => guard,
      (evaluate: Evaluate) => evaluate,
    );
  };

  it('builds every factory on one guard', async () => {
    const h = handlers();
    const carol = issuer.accessToken({ username: 'carol', groups: ['a', 'b'], scopes: ['s1'] });
    const req = bearer(carol, 'GET', '/movies');
    for (const handler of [
      h.requireGroups('a', ['x']),
      h.requireAllGroups('a', 'b'),
      h.requireScopes('s1'),
      h.requireClaim('username', 'carol'),
      h.authorize((p) => p.groups.length === 2),
      h.authenticate(),
      h.guardRoutes({ routes: { 'GET /movies': { groups: ['b'] } } }),
    ]) {
      expect(await handler(req)).toMatchObject({ allowed: true });
    }
    expect(await h.requireGroups('z')(req)).toMatchObject({ status: 403 });
    expect(await h.guardRoutes({ routes: {} })(req)).toMatchObject({
      status: 403,
      reason: 'route_denied',
    });
  });

  it('reuses only principals cognito-guard built', async () => {
    const h = handlers();
    const guard = createGuard(issuer.config);
    const token = issuer.accessToken({ groups: ['a'] });
    const principal = await guard.authenticate(bearer(token));
    const reused = await h.requireGroups('a')(bearer(token), { previous: principal });
    expect(reused.principal).toBe(principal);
    const plain = issuer.accessToken({ groups: [] });
    const forged = { ...principal, groups: ['a'], token: plain } as Principal;
    expect(await h.requireGroups('a')(bearer(plain), { previous: forged })).toMatchObject({
      allowed: false,
      status: 403,
    });
  });

  it('validates rules and policies when the factory is called', () => {
    const h = handlers();
    expect(() => h.requireGroups()).toThrow(ConfigError);
    expect(() => h.guardRoutes({ routes: { 'GET nope': {} } })).toThrow(ConfigError);
  });
});

describe('defaultGuard', () => {
  it('is created once from process.env and names missing variables', () => {
    jest.isolateModules(() => {
      const { defaultGuard } =
        require('../src/subpaths/adapter') as typeof import('../src/subpaths/adapter');
      const saved = { ...process.env };
      try {
        delete process.env['COGNITO_USER_POOL_ID'];
        delete process.env['COGNITO_CLIENT_ID'];
        expect(() => defaultGuard()).toThrow(/COGNITO_USER_POOL_ID/);
        process.env['COGNITO_USER_POOL_ID'] = 'eu-west-1_abc';
        process.env['COGNITO_CLIENT_ID'] = 'client';
        const first = defaultGuard();
        expect(first.config.pools[0]?.userPoolId).toBe('eu-west-1_abc');
        expect(defaultGuard()).toBe(first);
      } finally {
        process.env = saved;
      }
    });
  });
});
