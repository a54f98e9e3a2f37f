// Express matches `app.use('/api', guard)` with the case sensitivity of the router holding it,
// and an `express.Router()` folds case unless created with `{ caseSensitive: true }`, whatever
// the app's `case sensitive routing`. So in a case-sensitive app, `GET /API/admin/users` skips a
// guard mounted at `/api` and still runs a sub-router's `/api/admin/users`. These tests pin that
// behaviour (the README's Express section warns of it), check that the guard warns, once, in such
// an app, and hold every topology the README recommends instead to one property, with no warning:
// for any casing of a guarded path, a caller without the group never reaches the handler.

import { cognitoGuard, type ExpressGuard } from '@cognito-guard/express';
import express5 from 'express';
import express4 from 'express4';
import request from 'supertest';
import { callers, expectGuardedInEveryCasing } from './casings';

type Topology = (guard: ExpressGuard, app: express5.Express, reached: () => void) => void;

const GUARDED = '/api/admin/users';

const handler =
  (reached: () => void): express5.RequestHandler =>
  (_req, res) => {
    reached();
    res.json({ ok: true });
  };

// The guard at `app.use('/api', guard)` in a case-sensitive app; the route in a sub-router.
const mountedAtPath =
  (factory: typeof express5, routerOptions: express5.RouterOptions): Topology =>
  (guard, app, reached) => {
    app.set('case sensitive routing', true);
    app.use('/api', guard.requireGroups('admins'));
    const router = factory.Router(routerOptions);
    router.get(GUARDED, handler(reached));
    app.use(router);
  };

// What the README recommends: a guard that runs whenever the route does.
const safe = (factory: typeof express5): Record<string, Topology> => ({
  'app.use(path, guard) in a case-sensitive app whose routers are created case-sensitive':
    mountedAtPath(factory, { caseSensitive: true }),
  'app.use(path, guard) in an app that folds case (the default)': (guard, app, reached) => {
    app.use('/api', guard.requireGroups('admins'));
    const router = factory.Router();
    router.get(GUARDED, handler(reached));
    app.use(router);
  },
  'the guard on the route, in a case-sensitive app': (guard, app, reached) => {
    app.set('case sensitive routing', true);
    const router = factory.Router();
    router.get(GUARDED, guard.requireGroups('admins'), handler(reached));
    app.use(router);
  },
  'the guard on the app without a path, in a case-sensitive app': (guard, app, reached) => {
    app.set('case sensitive routing', true);
    app.use(guard.requireGroups('admins'));
    const router = factory.Router();
    router.get(GUARDED, handler(reached));
    app.use(router);
  },
  'guardRoutes on the app, in a case-sensitive app': (guard, app, reached) => {
    app.set('case sensitive routing', true);
    app.use(
      guard.guardRoutes({
        defaultAction: 'allow',
        routes: { 'ANY /api/admin/{proxy+}': { groups: ['admins'] } },
      }),
    );
    const router = factory.Router();
    router.get(GUARDED, handler(reached));
    app.use(router);
  },
});

describe.each([
  ['Express 5', express5],
  ['Express 4', express4 as unknown as typeof express5],
])('%s', (_name, factory) => {
  const who = callers();

  function serve(topology: Topology, warnings: string[]) {
    let reaches = 0;
    const app = factory();
    const logger = { warn: (message: string) => void warnings.push(message) };
    topology(cognitoGuard({ ...who.issuer.config, logger }), app, () => {
      reaches++;
    });
    return async (path: string, token: string) => {
      const before = reaches;
      const res = await request(app).get(path).set('Authorization', `Bearer ${token}`);
      return { status: res.status, reached: reaches > before };
    };
  }

  it.each(Object.keys(safe(factory)))(
    '%s: no casing of the path reaches the handler without the group',
    async (name) => {
      const warnings: string[] = [];
      const get = serve(safe(factory)[name] as Topology, warnings);
      await expectGuardedInEveryCasing(get, warnings, GUARDED, who);
    },
  );

  it('app.use(path, guard) in a case-sensitive app is skipped for another casing, where a default express.Router() still serves it (README, Express)', async () => {
    const warnings: string[] = [];
    const get = serve(mountedAtPath(factory, {}), warnings);
    expect(await get(GUARDED, who.member)).toEqual({ status: 403, reached: false });
    expect(await get('/API/admin/users', who.member)).toEqual({ status: 200, reached: true });
    // The guard cannot refuse a request it never sees; from the first it does see, it warns, once.
    await get(GUARDED, who.member);
    expect(warnings).toEqual([
      expect.stringContaining('Create every router with { caseSensitive: true }'),
    ]);
  });
});
