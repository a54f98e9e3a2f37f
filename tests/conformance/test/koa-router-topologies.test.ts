// @koa/router (15) matches a router's own middleware (`router.use(guard)`) against the router's
// prefix, or the path a parent router mounts it under, case-sensitively, and its routes
// case-insensitively unless the router is `sensitive`. So with default options `GET /API/x` runs
// the route `/api/x` without that middleware: any guard placed there, ours included, is skipped.
// These tests pin that behaviour (the README's Koa section warns of it, and must change when
// @koa/router does), check that the guard warns, once, from such a router, and hold every
// topology the README recommends instead to one property, with no warning: for any casing of a
// guarded path, a caller without the group never reaches the handler.

import { cognitoGuard, type KoaGuard } from '@cognito-guard/koa';
import Router, { type RouterOptions } from '@koa/router';
import Koa3 from 'koa';
import Koa2 from 'koa2';
import request from 'supertest';
import { callers, expectGuardedInEveryCasing } from './casings';

type Topology = (guard: KoaGuard, app: Koa3, reached: () => void) => void;

const GUARDED = '/api/admin/users';

const handler =
  (reached: () => void) =>
  (ctx: { body: unknown }): void => {
    reached();
    ctx.body = { ok: true };
  };

// A guard in router.use() of one router, with the route `path` (relative to its prefix).
const inUse =
  (options: RouterOptions, path: string): Topology =>
  (guard, app, reached) => {
    const router = new Router(options);
    router.use(guard.requireGroups('admins'));
    router.get(path, handler(reached));
    app.use(router.routes());
  };

// A guard in router.use() of a child router, mounted by its parent at `mountPath` (or at none).
const inNestedUse =
  (options: RouterOptions, mountPath: string | undefined, path: string): Topology =>
  (guard, app, reached) => {
    const parent = new Router(options);
    const child = new Router(options);
    child.use(guard.requireGroups('admins'));
    child.get(path, handler(reached));
    if (mountPath === undefined) parent.use(child.routes());
    else parent.use(mountPath, child.routes());
    app.use(parent.routes());
  };

// What the README recommends: a guard that runs whenever the route does.
const safe: Record<string, Topology> = {
  'the guard on the route, in a prefixed router': (guard, app, reached) => {
    const router = new Router({ prefix: '/api' });
    router.get('/admin/users', guard.requireGroups('admins'), handler(reached));
    app.use(router.routes());
  },
  'router.use(guard) in a prefixed router created with sensitive: true': inUse(
    { prefix: '/api', sensitive: true },
    '/admin/users',
  ),
  'router.use(guard) in a nested router, both created with sensitive: true': inNestedUse(
    { sensitive: true },
    '/api',
    '/admin/users',
  ),
  'router.use(guard) in a router with no prefix': inUse({}, GUARDED),
  'router.use(guard) in a router nested with no path': inNestedUse({}, undefined, GUARDED),
  'the guard on the app, before a prefixed router': (guard, app, reached) => {
    const router = new Router({ prefix: '/api' });
    router.get('/admin/users', handler(reached));
    app.use(guard.requireGroups('admins'));
    app.use(router.routes());
  },
  'guardRoutes on the app, before a prefixed router': (guard, app, reached) => {
    const router = new Router({ prefix: '/api' });
    router.get('/admin/users', handler(reached));
    app.use(
      guard.guardRoutes({
        defaultAction: 'allow',
        routes: { 'ANY /api/admin/{proxy+}': { groups: ['admins'] } },
      }),
    );
    app.use(router.routes());
  },
};

// @koa/router's default options, where its own middleware is skipped for another casing.
const skipped: Record<string, Topology> = {
  'router.use(guard) in a prefixed router': inUse({ prefix: '/api' }, '/admin/users'),
  'router.use(guard) in a router nested under a parent path': inNestedUse(
    {},
    '/api',
    '/admin/users',
  ),
};

describe.each([
  ['Koa 3', Koa3],
  ['Koa 2', Koa2 as unknown as typeof Koa3],
])('%s with @koa/router', (_name, KoaClass) => {
  const who = callers();

  function serve(topology: Topology, warnings: string[]) {
    let reaches = 0;
    const app = new KoaClass();
    const logger = { warn: (message: string) => void warnings.push(message) };
    topology(cognitoGuard({ ...who.issuer.config, logger }), app, () => {
      reaches++;
    });
    const server = app.callback();
    const get = async (path: string, token: string) => {
      const before = reaches;
      const res = await request(server).get(path).set('Authorization', `Bearer ${token}`);
      return { status: res.status, reached: reaches > before };
    };
    return get;
  }

  it.each(Object.keys(safe))(
    '%s: no casing of the path reaches the handler without the group',
    async (name) => {
      const warnings: string[] = [];
      const get = serve(safe[name] as Topology, warnings);
      await expectGuardedInEveryCasing(get, warnings, GUARDED, who);
    },
  );

  it('with exclusive: true, @koa/router never runs router.use() middleware (README, Koa)', async () => {
    const warnings: string[] = [];
    const get = serve(inUse({ prefix: '/api', exclusive: true }, '/admin/users'), warnings);
    expect(await get(GUARDED, who.member)).toEqual({ status: 200, reached: true });
    expect(warnings).toEqual([]);
  });

  it.each(Object.keys(skipped))(
    '%s: @koa/router skips the guard for another casing of the prefix (README, Koa)',
    async (name) => {
      const warnings: string[] = [];
      const get = serve(skipped[name] as Topology, warnings);
      expect(await get(GUARDED, who.member)).toEqual({ status: 403, reached: false });
      expect(await get('/API/admin/users', who.member)).toEqual({ status: 200, reached: true });
      // The guard cannot refuse a request it never sees; from the first it does see, it warns.
      await get(GUARDED, who.member);
      expect(warnings).toEqual([
        expect.stringContaining('with sensitive: true, or put the guard on the routes'),
      ]);
    },
  );
});
