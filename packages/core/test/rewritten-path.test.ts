// A URL rewritten by middleware before the guard (`req.url = …`, koa-rewrite) is served by its new
// path: rewrittenPath tells a rewrite from a mount taking its own path off, and a route policy
// reads both paths, applying the stricter rule.

import type { TestIssuer } from '@cognito-guard/testing';
import fc from 'fast-check';
import { createGuard } from '../src';
import { rewrittenPath } from '../src/subpaths/advanced';
import { bearer, startIssuer } from './helpers';

const segment = fc.constantFrom('api', 'v2', 'admin', 'Admin', 'x', '%61', 'a;b');
const pathArb = fc.array(segment, { maxLength: 3 }).map((s) => `/${s.join('/')}`);
const mountArb = fc.oneof(
  fc.constant(''),
  fc.array(segment, { minLength: 1, maxLength: 2 }).map((s) => `/${s.join('/')}`),
);
const queryArb = fc.constantFrom('', '?x=1', '?a=/b');

describe('rewrittenPath', () => {
  it('is undefined when a mount only took its own path off, whatever the query', () => {
    fc.assert(
      fc.property(mountArb, pathArb, queryArb, (mount, rest, query) => {
        // Express hands a mount's own path, with or without its slash, down as `/`.
        const received = rest === '/' && mount !== '' ? mount : mount + rest;
        expect(rewrittenPath(received + query, mount, rest + query)).toBeUndefined();
        if (rest === '/')
          expect(rewrittenPath(`${mount}/${query}`, mount, `/${query}`)).toBeUndefined();
      }),
    );
  });

  it('is the new path below the mount when middleware rewrote the URL', () => {
    fc.assert(
      fc.property(mountArb, pathArb, pathArb, queryArb, (mount, before, after, query) => {
        fc.pre(before !== after && before !== '/' && after !== '/');
        expect(rewrittenPath(mount + before + query, mount, after + query)).toBe(
          mount + after + query,
        );
      }),
    );
  });

  it('answers examples a reader can check', () => {
    expect(rewrittenPath('/v2/admin?x=1', '', '/admin?x=1')).toBe('/admin?x=1');
    expect(rewrittenPath('/api/v2/admin', '/api', '/admin')).toBe('/api/admin');
    expect(rewrittenPath('/api/admin', '/api', '/admin')).toBeUndefined();
    expect(rewrittenPath('/api', '/api', '/')).toBeUndefined();
    expect(rewrittenPath('/api?x', '/api', '/?x')).toBeUndefined();
    // Rewritten to the mount's own path: no slash is invented after it.
    expect(rewrittenPath('/api/old?x', '/api', '/?x')).toBe('/api?x');
    // Only the query changed: routers match the path, so nothing to read twice.
    expect(rewrittenPath('/admin?a=1', '', '/admin?b=2')).toBeUndefined();
    // Rewritten to the app's root: the root, with its query, not an empty path.
    expect(rewrittenPath('/old', '', '/')).toBe('/');
    expect(rewrittenPath('/old?x', '', '/?x')).toBe('/?x');
    // A mounted router handed the whole path again (`req.url = req.originalUrl`) matches it
    // below its mount: the path it serves is the mount's twice over, not the one received.
    expect(rewrittenPath('/api/x', '/api', '/api/x')).toBe('/api/api/x');
  });
});

describe('a route policy reads a rewritten URL beside the one received', () => {
  let issuer: TestIssuer;
  beforeAll(async () => {
    issuer = await startIssuer();
  });
  afterAll(() => issuer.stop());

  const policy = {
    defaultAction: 'allow' as const,
    routes: { 'GET /admin': { groups: ['admins'] }, 'GET /public': { public: true } },
  };

  it('applies the rewritten path’s rule when it is the stricter, and the received one’s', async () => {
    const guard = createGuard(issuer.config);
    const compiled = guard.compilePolicy(policy);
    const anonymous = (path: string, routedUrl: string, mountPath?: string) =>
      guard.checkRoute({ method: 'GET', path, headers: {}, routedUrl }, compiled, { mountPath });
    // `/v2/admin` is no route, but the router serves it by `/admin`.
    expect(await anonymous('/v2/admin', '/admin')).toMatchObject({ status: 401, route: undefined });
    expect(await anonymous('/api/v2/admin', '/v2/admin', '/api')).toMatchObject({ status: 200 });
    expect(await anonymous('/v2/admin', '/admin', '')).toMatchObject({ status: 401 });
    // Rewritten away from a guarded path: the received path's rule still holds.
    expect(await anonymous('/admin', '/public')).toMatchObject({
      status: 401,
      route: 'GET /admin',
    });
    // Not rewritten: one reading, as before.
    expect(await anonymous('/public', '/public')).toMatchObject({
      status: 200,
      reason: 'public_route',
    });
    const member = await guard.checkRoute(
      {
        ...bearer(issuer.accessToken({ groups: ['admins'] }), 'GET', '/v2/admin'),
        routedUrl: '/admin',
      },
      compiled,
    );
    expect(member).toMatchObject({ status: 200, allowed: true });
  });

  it('reads a rewrite that takes off the policy’s basePath as the path received, inside it', async () => {
    const guard = createGuard(issuer.config);
    const compiled = guard.compilePolicy({
      basePath: '/v1',
      defaultAction: 'deny',
      routes: { 'GET /movies': {}, 'GET /admin': { groups: ['admins'] } },
    });
    const rule = (path: string, routed: string) => {
      const chosen = guard.routeRule(compiled, 'GET', path, routed);
      return 'rule' in chosen ? chosen.rule?.description : chosen.reason;
    };
    // `/v1/movies` served as `/movies` is the route `/movies`, not a path outside the base.
    expect(rule('/v1/movies?x=1', '/movies?x=1')).toBe('authenticated');
    // Any other rewrite is read as well: outside the base, defaultAction joins.
    expect(rule('/v1/movies', '/admin')).toBe('all of (authenticated; deny (no route matched))');
    expect(rule('/v1/movies', '/v1/admin')).toBe('all of (authenticated; groups any of [admins])');
    expect(rule('/V1/movies', '/movies')).toContain('deny (no route matched)');
  });

  it('refuses a rewritten path that cannot be matched safely, as it refuses one received', async () => {
    const guard = createGuard(issuer.config);
    const compiled = guard.compilePolicy(policy);
    expect(guard.routeRule(compiled, 'GET', '/public', '/a/../admin')).toMatchObject({
      status: 400,
      reason: 'non_canonical_path',
    });
    // Its `;` is read too.
    const chosen = guard.routeRule(compiled, 'GET', '/public', '/admin;x');
    expect('rule' in chosen && chosen.rule?.description).toBe('groups any of [admins]');
  });
});
