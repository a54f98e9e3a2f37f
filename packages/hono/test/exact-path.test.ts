// Hono matches a middleware's path as a route, so `app.use('/admin', guard)` guards `/admin` and
// nothing below it, unlike Express. The guard says so, once, from the first request it sees; the
// registrations that do reach below (or that guard their own route) draw no warning.

import { createTestIssuer, type TestIssuer } from '@cognito-guard/testing';
import { Hono } from 'hono';
import { cognitoGuard, type HonoGuard } from '../src';

describe('a guard registered at a path without a wildcard', () => {
  let issuer: TestIssuer;
  const warnings: string[] = [];
  let guard: HonoGuard;
  beforeAll(async () => {
    issuer = await createTestIssuer().start();
    guard = cognitoGuard({ ...issuer.config, logger: { warn: (m: string) => warnings.push(m) } });
    await guard.ready();
  });
  afterAll(() => issuer.stop());
  beforeEach(() => {
    warnings.length = 0;
  });

  const bearer = () => ({
    headers: { authorization: `Bearer ${issuer.accessToken({ groups: ['admins'] })}` },
  });
  const routes = (app: Hono) => {
    app.get('/admin', (c) => c.text('admin'));
    app.get('/admin/users', (c) => c.text('users'));
    return app;
  };

  it("app.use('/admin', guard): pins Hono's reading, and warns once naming '/admin/*'", async () => {
    const app = new Hono();
    app.use('/admin', guard.requireGroups('admins'));
    routes(app);
    // Pinned: Hono runs the guard for /admin alone, so /admin/users is served without a token.
    expect((await app.request('/admin/users')).status).toBe(200);
    expect(warnings).toEqual([]);
    expect((await app.request('/admin')).status).toBe(401);
    expect((await app.request('/admin', bearer())).status).toBe(200);
    expect(warnings).toEqual([expect.stringContaining('registered at "/admin" for every method')]);
    expect(warnings[0]).toContain('register it at "/admin/*"');
  });

  it("app.use('/admin', guard) before app.all('/admin/*', handler): warns, the handler being another route's", async () => {
    const app = new Hono();
    app.use('/admin', guard.requireGroups('admins'));
    app.all('/admin/*', (c) => c.text('any'));
    await app.request('/admin', bearer());
    expect(warnings).toEqual([expect.stringContaining('registered at "/admin" for every method')]);
  });

  it("app.use('/', guard): warns once, naming '/*'", async () => {
    const app = new Hono();
    app.use('/', guard.requireGroups('admins'));
    routes(app);
    await app.request('/');
    expect(warnings).toEqual([expect.stringContaining('register it at "/*"')]);
  });

  it.each<[string, (app: Hono, guard: HonoGuard) => void]>([
    ["app.use('/', guard)", (app, g) => app.use('/', g.requireGroups('admins'))],
    [
      "sub.use('/', guard) in an app routed at /admin",
      (app, g) => {
        const admin = new Hono();
        admin.use('/', g.requireGroups('admins'));
        admin.get('/', (c) => c.text('admin'));
        app.route('/admin', admin);
      },
    ],
  ])('%s: warns once', async (_name, register) => {
    const app = new Hono();
    register(app, guard);
    routes(app);
    await app.request('/');
    await app.request('/admin');
    await app.request('/admin');
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/registered at "\/(admin)?" for every method/);
  });

  it.each<[string, (app: Hono, guard: HonoGuard) => void]>([
    ["app.use('/admin/*', guard)", (app, g) => app.use('/admin/*', g.requireGroups('admins'))],
    ['app.use(guard)', (app, g) => app.use(g.requireGroups('admins'))],
    [
      "app.get('/admin', guard, handler)",
      (app, g) => app.get('/admin', g.requireGroups('admins'), (c) => c.text('admin')),
    ],
    [
      "app.all('/admin', guard, handler)",
      (app, g) => app.all('/admin', g.requireGroups('admins'), (c) => c.text('admin')),
    ],
    [
      'sub.use(guard) in an app routed at /admin',
      (app, g) => {
        const admin = new Hono();
        admin.use(g.requireGroups('admins'));
        admin.get('/', (c) => c.text('admin'));
        app.route('/admin', admin);
      },
    ],
    [
      "app.use('/admin/:id{.+}', guard), a pattern that spans segments",
      (app, g) => app.use('/admin/:id{.+}', g.requireGroups('admins')),
    ],
  ])('%s: no warning', async (_name, register) => {
    const app = new Hono();
    register(app, guard);
    routes(app);
    await app.request('/admin', bearer());
    await app.request('/admin/users', bearer());
    expect(warnings).toEqual([]);
  });
});
