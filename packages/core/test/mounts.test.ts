// basePath: route keys relative to a mount point; the mount warning; the logger option.

import type { TestIssuer } from '@cognito-guard/testing';
import { ConfigError, compileRoutePolicy, createGuard } from '../src';
import { relativeTo } from '../src/subpaths/advanced';
import { bearer, startIssuer } from './helpers';

describe('relativeTo', () => {
  it.each([
    ['/api', '/api', false, { inside: true, path: '/', foldedCase: false }],
    ['/api/', '/api', false, { inside: true, path: '/', foldedCase: false }],
    ['/api?x=1', '/api', false, { inside: true, path: '/?x=1', foldedCase: false }],
    ['/api#f', '/api', false, { inside: true, path: '/#f', foldedCase: false }],
    ['/api/movies', '/api', false, { inside: true, path: '/movies', foldedCase: false }],
    ['/API/movies', '/api', false, { inside: true, path: '/movies', foldedCase: true }],
    ['/API/movies', '/api', true, { inside: false }],
    ['/apiary', '/api', false, { inside: false }],
    ['/%61pi/movies', '/api', false, { inside: false }],
    ['/other', '/api', false, { inside: false }],
    ['/a', '/api', false, { inside: false }],
  ])('%s under %s (case-sensitive: %s)', (path, base, caseSensitive, expected) => {
    expect(relativeTo(path, base, caseSensitive)).toEqual(expected);
  });
});

describe('basePath in a route policy', () => {
  it.each([
    ['api', 'must be a path'],
    ['/api/', 'must be a path'],
    ['/api/{id}', 'must be a path'],
    ['/api//v1', 'must be a path'],
    ['/api/../admin', 'dot segments'],
    ['/api?x', 'must be a path'],
  ])('refuses %j', (basePath, message) => {
    let error: unknown;
    try {
      compileRoutePolicy({ basePath, routes: {} });
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).issues).toEqual([
      expect.objectContaining({ field: 'basePath', message: expect.stringContaining(message) }),
    ]);
  });

  describe('decisions', () => {
    let issuer: TestIssuer;
    beforeAll(async () => {
      issuer = await startIssuer();
    });
    afterAll(() => issuer.stop());

    it('matches route keys under basePath, folds its case with the stricter reading, and reads paths outside it as unmatched', async () => {
      const guard = createGuard(issuer.config);
      const policy = guard.compilePolicy({
        basePath: '/api/v1',
        defaultAction: 'allow',
        routes: {
          'GET /movies': { groups: ['movies'] },
          'GET /public': { public: true },
          $default: { groups: ['staff'] },
        },
      });
      const alice = issuer.accessToken({ groups: ['movies'] });
      const status = async (path: string, token = alice) =>
        (await guard.checkRoute(bearer(token, 'GET', path), policy)).status;
      expect(await status('/api/v1/movies')).toBe(200);
      expect((await guard.checkRoute(bearer(alice, 'GET', '/api/v1/movies'), policy)).route).toBe(
        'GET /movies',
      );
      // Folded case of the base: the stricter of the route and $default (staff).
      expect(await status('/API/v1/movies')).toBe(403);
      expect(await status('/api/v1/other')).toBe(403);
      expect(await status('/movies')).toBe(403);
      const outside = await guard.checkRoute(bearer(alice, 'GET', '/movies'), policy);
      expect(outside.route).toBe('$default');
      const staff = issuer.accessToken({ groups: ['staff'] });
      expect(await status('/elsewhere', staff)).toBe(200);
      expect(await status('/api/v1/public', 'not-a-token')).toBe(200);
      expect(await status('/api/v1/%2E%2E/x')).toBe(400);
    });
  });
});

describe('mount warning and logger', () => {
  let issuer: TestIssuer;
  beforeAll(async () => {
    issuer = await startIssuer();
  });
  afterAll(() => issuer.stop());

  it('warns once per mount path when a policy without basePath matches nothing there', async () => {
    const warnings: string[] = [];
    const guard = createGuard({ ...issuer.config, logger: { warn: (m) => warnings.push(m) } });
    const policy = guard.compilePolicy({
      defaultAction: 'authenticated',
      routes: { 'GET /admin': { groups: ['admins'] } },
    });
    const token = issuer.accessToken({ groups: [] });
    const check = (path: string, mountPath?: string) =>
      guard.checkRoute(bearer(token, 'GET', path), policy, { mountPath });
    await check('/admin', '/api');
    expect(warnings).toEqual([]);
    await check('/api/admin', '/api');
    await check('/api/other', '/api');
    await check('/v2/admin', '/v2');
    expect(warnings).toHaveLength(2);
    expect(warnings[0]).toContain('"/api"');
    expect(warnings[1]).toContain('"/v2"');
    const based = guard.compilePolicy({ basePath: '/api', routes: {} });
    await guard.checkRoute(bearer(token, 'GET', '/api/x'), based, { mountPath: '/api' });
    expect(warnings).toHaveLength(2);
  });

  // Nothing names a Fastify prefix, a Hono app.route or a proxy's path prefix: a request that
  // matched no route, but would without its first segments, names the prefix, once per guard.
  it('names the prefix without which an unmatched request would match a route, once', async () => {
    const warnings: string[] = [];
    const guard = createGuard({ ...issuer.config, logger: { warn: (m) => warnings.push(m) } });
    const policy = guard.compilePolicy({
      defaultAction: 'authenticated',
      routes: {
        'GET /admin': { groups: ['admins'] },
        'DELETE /movies/{id}': {},
        'GET /{slug}': {},
      },
    });
    const token = issuer.accessToken({ groups: [] });
    const check = (method: string, path: string) =>
      guard.checkRoute(bearer(token, method, path), policy, { mountPath: '' });
    // Matched, unmatched however cut, matched only by a route that starts with a parameter,
    // another method, deeper than two segments: nothing to say.
    await check('GET', '/admin');
    await check('GET', '/api/nothing/here');
    await check('GET', '/static/logo.png');
    await check('POST', '/api/admin');
    await check('GET', '/a/b/c/admin');
    expect(warnings).toEqual([]);
    expect(await check('GET', '/api/v1/admin?page=2')).toMatchObject({ allowed: true });
    expect(warnings).toEqual([
      'cognito-guard: GET /api/v1/admin matched no route of its policy, so defaultAction applies, though /admin matches its route "GET /admin". If the policy\'s route keys are relative to "/api/v1" (a Fastify prefix, a Hono app.route, a stage or a proxy\'s path prefix), set basePath: "/api/v1" in the policy.',
    ]);
    await check('DELETE', '/v2/movies/42');
    expect(warnings).toHaveLength(1);
    // A policy whose default decides most requests stops trying after a thousand of them.
    const busy = createGuard({ ...issuer.config, logger: { warn: (m) => warnings.push(m) } });
    for (let i = 0; i < 1000; i++) {
      await busy.checkRoute(bearer(token, 'GET', `/x/y/page-${i}`), policy);
    }
    await busy.checkRoute(bearer(token, 'GET', '/api/admin'), policy);
    expect(warnings).toHaveLength(1);
    const based = guard.compilePolicy({ basePath: '/api', routes: { 'GET /admin': {} } });
    const other = createGuard({ ...issuer.config, logger: { warn: (m) => warnings.push(m) } });
    await other.checkRoute(bearer(token, 'GET', '/x/api/admin'), based);
    expect(warnings).toHaveLength(1);
  });

  it('never cuts a whole path: what is left, "/", says nothing about a mount', async () => {
    const warnings: string[] = [];
    const guard = createGuard({ ...issuer.config, logger: { warn: (m) => warnings.push(m) } });
    const policy = guard.compilePolicy({
      defaultAction: 'authenticated',
      routes: { 'GET /': {}, 'GET /admin': { groups: ['admins'] } },
    });
    const token = issuer.accessToken({ groups: [] });
    const check = (path: string) =>
      guard.checkRoute(bearer(token, 'GET', path), policy, { mountPath: '' });
    await check('/health');
    await check('/api/v1');
    expect(warnings).toEqual([]);
    await check('/api/v1/');
    expect(warnings).toHaveLength(1);
  });

  it('refuses a logger without warn, naming the field', () => {
    expect(() => createGuard({ ...issuer.config, logger: {} as never })).toThrow(
      /logger: must have a warn\(message\) method/,
    );
  });
});
