// @koa/router (15) matches a router's own middleware (`router.use(guard)`) against the router's
// prefix, or the path a parent router mounts it under, case-sensitively, and its routes
// case-insensitively unless the router is `sensitive`. So with default options `GET /API/x` runs
// the route `/api/x` without that middleware: any guard placed there, ours included, is skipped.
// These tests pin that behaviour (the README's Koa section warns of it, and must change when
// @koa/router does), check that the guard warns, once, from such a router, and hold every
// topology the README recommends instead to one property, with no warning: for any casing of a
// guarded path, a caller without the group never reaches the handler.

import { cognitoGuard, type KoaGuard } from '@cognito-guard/koa';
import { createTestIssuer, type TestIssuer } from '@cognito-guard/testing';
import Router from '@koa/router';
import fc from 'fast-check';
import Koa3 from 'koa';
import Koa2 from 'koa2';
import request from 'supertest';

type Topology = (guard: KoaGuard, app: Koa3, reached: () => void) => void;

const GUARDED = '/api/admin/users';

const handler =
  (reached: () => void) =>
  (ctx: { body: unknown }): void => {
    reached();
    ctx.body = { ok: true };
  };

// What the README recommends: a guard that runs whenever the route does.
const safe: Record<string, Topology> = {
  'the guard on the route, in a prefixed router': (guard, app, reached) => {
    const router = new Router({ prefix: '/api' });
    router.get('/admin/users', guard.requireGroups('admins'), handler(reached));
    app.use(router.routes());
  },
  'router.use(guard) in a prefixed router created with sensitive: true': (guard, app, reached) => {
    const router = new Router({ prefix: '/api', sensitive: true });
    router.use(guard.requireGroups('admins'));
    router.get('/admin/users', handler(reached));
    app.use(router.routes());
  },
  'router.use(guard) in a nested router, both created with sensitive: true': (
    guard,
    app,
    reached,
  ) => {
    const parent = new Router({ sensitive: true });
    const child = new Router({ sensitive: true });
    child.use(guard.requireGroups('admins'));
    child.get('/admin/users', handler(reached));
    parent.use('/api', child.routes());
    app.use(parent.routes());
  },
  'router.use(guard) in a router with no prefix': (guard, app, reached) => {
    const router = new Router();
    router.use(guard.requireGroups('admins'));
    router.get('/api/admin/users', handler(reached));
    app.use(router.routes());
  },
  'router.use(guard) in a router nested with no path': (guard, app, reached) => {
    const parent = new Router();
    const child = new Router();
    child.use(guard.requireGroups('admins'));
    child.get('/api/admin/users', handler(reached));
    parent.use(child.routes());
    app.use(parent.routes());
  },
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
  'router.use(guard) in a prefixed router': (guard, app, reached) => {
    const router = new Router({ prefix: '/api' });
    router.use(guard.requireGroups('admins'));
    router.get('/admin/users', handler(reached));
    app.use(router.routes());
  },
  'router.use(guard) in a router nested under a parent path': (guard, app, reached) => {
    const parent = new Router();
    const child = new Router();
    child.use(guard.requireGroups('admins'));
    child.get('/admin/users', handler(reached));
    parent.use('/api', child.routes());
    app.use(parent.routes());
  },
};

// Every casing of a path, as fast-check draws one letter's case at a time.
const casing = (path: string) =>
  fc
    .array(fc.boolean(), { minLength: path.length, maxLength: path.length })
    .map((upper) => [...path].map((c, i) => (upper[i] ? c.toUpperCase() : c)).join(''));

describe.each([
  ['Koa 3', Koa3],
  ['Koa 2', Koa2 as unknown as typeof Koa3],
])('%s with @koa/router', (_name, KoaClass) => {
  let issuer: TestIssuer;
  let member: string;
  let admin: string;
  beforeAll(async () => {
    issuer = await createTestIssuer().start();
    member = issuer.accessToken({ groups: ['movies'] });
    admin = issuer.accessToken({ groups: ['admins'] });
  });
  afterAll(() => issuer.stop());

  function serve(topology: Topology, warnings: string[]) {
    let reaches = 0;
    const app = new KoaClass();
    const logger = { warn: (message: string) => void warnings.push(message) };
    topology(cognitoGuard({ ...issuer.config, logger }), app, () => {
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
      expect(await get(GUARDED, admin)).toEqual({ status: 200, reached: true });
      expect(warnings).toEqual([]);
      expect(await get(GUARDED, member)).toEqual({ status: 403, reached: false });
      await fc.assert(
        fc.asyncProperty(casing(GUARDED), async (path) => {
          const answer = await get(path, member);
          expect(answer.reached).toBe(false);
          expect([403, 404]).toContain(answer.status);
        }),
        { numRuns: 40 },
      );
    },
  );

  it('with exclusive: true, @koa/router never runs router.use() middleware (README, Koa)', async () => {
    const warnings: string[] = [];
    const get = serve((guard, app, reached) => {
      const router = new Router({ prefix: '/api', exclusive: true });
      router.use(guard.requireGroups('admins'));
      router.get('/admin/users', handler(reached));
      app.use(router.routes());
    }, warnings);
    expect(await get(GUARDED, member)).toEqual({ status: 200, reached: true });
    expect(warnings).toEqual([]);
  });

  it.each(Object.keys(skipped))(
    '%s: @koa/router skips the guard for another casing of the prefix (README, Koa)',
    async (name) => {
      const warnings: string[] = [];
      const get = serve(skipped[name] as Topology, warnings);
      expect(await get(GUARDED, member)).toEqual({ status: 403, reached: false });
      expect(await get('/API/admin/users', member)).toEqual({ status: 200, reached: true });
      // The guard cannot refuse a request it never sees; from the first it does see, it warns.
      await get(GUARDED, member);
      expect(warnings).toEqual([
        expect.stringContaining('with sensitive: true, or put the guard on the routes'),
      ]);
    },
  );
});
