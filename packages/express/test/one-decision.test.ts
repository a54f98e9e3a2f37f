// Findings of the independent review, reproduced over real HTTP on Express 4 and 5: each one
// would let a request reach application code that the core refuses.

import { createTestIssuer, type TestIssuer } from '@cognito-guard/testing';
import express5 from 'express';
import express4 from 'express4';
import request from 'supertest';
import { cognitoGuard } from '../src';

type ExpressFactory = typeof express5;
const frameworks: [string, ExpressFactory][] = [
  ['Express 5', express5],
  ['Express 4', express4 as unknown as ExpressFactory],
];

describe.each(frameworks)('%s', (_name, factory) => {
  let customers: TestIssuer;
  let staff: TestIssuer;
  beforeAll(async () => {
    customers = await createTestIssuer({ userPoolId: 'local_customers' }).start();
    staff = await createTestIssuer({ userPoolId: 'local_staff', clientId: 'staff-app' }).start();
  });
  afterAll(async () => {
    await customers.stop();
    await staff.stop();
  });

  it('a principal of one pool does not pass another pool’s guard', async () => {
    const app = factory();
    app.use(cognitoGuard(customers.config).authenticate({ optional: true }));
    app.get('/backoffice', cognitoGuard(staff.config).requireGroups('admins'), (_req, res) => {
      res.json({ secret: true });
    });
    const customer = customers.accessToken({ groups: ['admins'] });
    const res = await request(app).get('/backoffice').set('Authorization', `Bearer ${customer}`);
    expect(res.status).toBe(401);
    expect(res.headers['www-authenticate']).toContain('invalid_token');
    // The same staff guard on its own accepts its own pool's admins.
    const staffOnly = factory();
    staffOnly.get(
      '/backoffice',
      cognitoGuard(staff.config).requireGroups('admins'),
      (_req, res) => {
        res.json({ secret: true });
      },
    );
    const admin = staff.accessToken({ groups: ['admins'] });
    await request(staffOnly).get('/backoffice').set('Authorization', `Bearer ${admin}`).expect(200);
  });

  it('a lenient guard in front does not vouch for a strict one', async () => {
    const lenient = cognitoGuard({ ...customers.config, clientId: null, tokenUse: 'any' });
    const strict = cognitoGuard({ ...customers.config, tokenUse: 'access' });
    const app = factory();
    app.use(lenient.authenticate());
    app.get('/admin', strict.requireGroups('admins'), (_req, res) => void res.json({ ok: 1 }));
    const foreignId = customers.idToken({ groups: ['admins'], clientId: 'other-client' });
    const res = await request(app).get('/admin').set('Authorization', `Bearer ${foreignId}`);
    expect(res.status).toBe(401);
    const own = customers.accessToken({ groups: ['admins'] });
    await request(app).get('/admin').set('Authorization', `Bearer ${own}`).expect(200);
  });

  it('a trailing slash does not escape a {proxy+} rule (app.all under a weaker default)', async () => {
    const guard = cognitoGuard(customers.config);
    const app = factory();
    app.use(
      guard.guardRoutes({
        defaultAction: 'authenticated',
        routes: { 'ANY /admin/{proxy+}': { groups: ['admins'] } },
      }),
    );
    let reached = 0;
    app.all(/^\/admin(\/.*)?$/i, (_req, res) => {
      reached++;
      res.json({ admin: true });
    });
    const nobody = customers.accessToken({ groups: [] });
    for (const [method, path] of [
      ['get', '/admin/'],
      ['delete', '/admin/'],
      ['post', '/ADMIN/'],
      ['get', '/admin'],
      ['get', '/Admin/users'],
    ] as const) {
      const res = await request(app)[method](path).set('Authorization', `Bearer ${nobody}`);
      expect([method, path, res.status]).toEqual([method, path, 403]);
    }
    expect(reached).toBe(0);
    const admin = customers.accessToken({ groups: ['admins'] });
    await request(app).get('/admin/').set('Authorization', `Bearer ${admin}`).expect(200);
  });

  it('marks guarded answers private, never public ones, and leaves an app’s own Cache-Control', async () => {
    const guard = cognitoGuard(customers.config);
    const app = factory();
    app.get('/me', guard.authenticate(), (_req, res) => void res.json({ ok: 1 }));
    app.get('/mine', guard.authenticate(), (_req, res) => {
      res.setHeader('Cache-Control', 'no-store');
      res.json({ ok: 1 });
    });
    app.get('/open', (_req, res) => void res.json({ ok: 1 }));
    const token = customers.accessToken();
    const me = await request(app).get('/me').set('Authorization', `Bearer ${token}`);
    expect(me.headers['cache-control']).toBe('private');
    expect(me.headers['vary']).toMatch(/Authorization/);
    const mine = await request(app).get('/mine').set('Authorization', `Bearer ${token}`);
    expect(mine.headers['cache-control']).toBe('no-store');
    const open = await request(app).get('/open');
    expect(open.headers['cache-control']).toBeUndefined();
    const denied = await request(app).get('/me');
    expect(denied.headers['cache-control']).toBe('no-store');
  });

  it('a URL rewritten before the guard is guarded by the route that serves it, at the root and below a mount', async () => {
    const guard = cognitoGuard(customers.config);
    const unversioned: express5.RequestHandler = (req, _res, next) => {
      req.url = req.url.replace(/^\/v2(?=\/)/, '');
      next();
    };
    const policy = {
      defaultAction: 'allow' as const,
      routes: { 'GET /admin': { groups: ['admins'] }, 'GET /api/admin': { groups: ['admins'] } },
    };
    const app = factory();
    app.use(unversioned);
    app.use(guard.guardRoutes(policy));
    app.get('/admin', (_req, res) => void res.json({ admin: true }));
    const api = factory.Router();
    api.use(unversioned);
    api.use(guard.guardRoutes(policy));
    api.get('/admin', (_req, res) => void res.json({ admin: true }));
    app.use('/api', api);
    for (const path of ['/v2/admin', '/api/v2/admin']) {
      const anonymous = await request(app).get(path);
      expect({ path, status: anonymous.status, body: anonymous.body }).toEqual({
        path,
        status: 401,
        body: { message: 'Unauthorized' },
      });
      const member = await request(app)
        .get(path)
        .set('Authorization', `Bearer ${customers.accessToken({ groups: ['admins'] })}`);
      expect(member.body).toEqual({ admin: true });
    }
    // A mount taking its own path off is no rewrite: `/api` and `/api/` reach `/` as they are.
    const root = factory();
    const mounted = factory.Router();
    mounted.use(guard.guardRoutes({ routes: { 'GET /api': { public: true } } }));
    mounted.get('/', (_req, res) => void res.json({ root: true }));
    root.use('/api', mounted);
    expect((await request(root).get('/api?x=1')).body).toEqual({ root: true });
  });

  it('a method override on either side of the guard: the guard reads the method it names too', async () => {
    const guard = cognitoGuard(customers.config);
    const override: express5.RequestHandler = (req, _res, next) => {
      const wanted = req.headers['x-http-method-override'];
      if (req.method === 'POST' && typeof wanted === 'string') req.method = wanted.toUpperCase();
      next();
    };
    const policy = {
      routes: {
        'POST /items': {},
        'DELETE /items': { groups: ['admins'] },
      },
    };
    const build = (overrideFirst: boolean) => {
      const app = factory();
      if (overrideFirst) app.use(override);
      app.use(guard.guardRoutes(policy));
      if (!overrideFirst) app.use(override);
      app.delete('/items', (_req, res) => void res.json({ deleted: true }));
      app.post('/items', (_req, res) => void res.json({ created: true }));
      return app;
    };
    const user = customers.accessToken({ groups: [] });
    const send = (app: ReturnType<typeof build>) =>
      request(app)
        .post('/items')
        .set('Authorization', `Bearer ${user}`)
        .set('X-HTTP-Method-Override', 'DELETE');
    // Mounted after the guard, the override would run DELETE: the guard read the header too.
    expect((await send(build(false))).status).toBe(403);
    // Mounted first, the guard sees DELETE itself.
    expect((await send(build(true))).status).toBe(403);
    // The plain POST is the member's to make.
    const created = await request(build(false))
      .post('/items')
      .set('Authorization', `Bearer ${user}`);
    expect(created.body).toEqual({ created: true });
  });
});
