// Findings of the independent review, reproduced over real HTTP on Koa 2 and 3 with @koa/router.

import { createTestIssuer, type TestIssuer } from '@cognito-guard/testing';
import Router from '@koa/router';
import Koa3 from 'koa';
import Koa2 from 'koa2';
import request from 'supertest';
import { cognitoGuard } from '../src';

type KoaClass = typeof Koa3;
const frameworks: [string, KoaClass][] = [
  ['Koa 3', Koa3],
  ['Koa 2', Koa2 as unknown as KoaClass],
];

describe.each(frameworks)('%s', (_name, KoaClass) => {
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
    const app = new KoaClass();
    app.use(cognitoGuard(customers.config).authenticate({ optional: true }));
    const router = new Router();
    router.get('/backoffice', cognitoGuard(staff.config).requireGroups('admins'), (ctx) => {
      ctx.body = { secret: true };
    });
    app.use(router.routes());
    const customer = customers.accessToken({ groups: ['admins'] });
    const res = await request(app.callback())
      .get('/backoffice')
      .set('Authorization', `Bearer ${customer}`);
    expect(res.status).toBe(401);
  });

  it('a lenient guard in front does not vouch for a strict one', async () => {
    const lenient = cognitoGuard({ ...customers.config, clientId: null, tokenUse: 'any' });
    const strict = cognitoGuard({ ...customers.config, tokenUse: 'access' });
    const app = new KoaClass();
    app.use(lenient.authenticate());
    const router = new Router();
    router.get('/admin', strict.requireGroups('admins'), (ctx) => {
      ctx.body = { ok: 1 };
    });
    app.use(router.routes());
    const foreignId = customers.idToken({ groups: ['admins'], clientId: 'other-client' });
    expect(
      (await request(app.callback()).get('/admin').set('Authorization', `Bearer ${foreignId}`))
        .status,
    ).toBe(401);
    const own = customers.accessToken({ groups: ['admins'] });
    await request(app.callback()).get('/admin').set('Authorization', `Bearer ${own}`).expect(200);
  });

  it('a trailing slash does not escape a {proxy+} rule (router.all under a weaker default)', async () => {
    const guard = cognitoGuard(customers.config);
    const app = new KoaClass();
    app.use(
      guard.guardRoutes({
        defaultAction: 'authenticated',
        routes: { 'ANY /admin/{proxy+}': { groups: ['admins'] } },
      }),
    );
    let reached = 0;
    const router = new Router();
    router.all(/^\/admin(\/.*)?$/i, (ctx) => {
      reached++;
      ctx.body = { admin: true };
    });
    app.use(router.routes());
    const nobody = customers.accessToken({ groups: [] });
    for (const [method, path] of [
      ['get', '/admin/'],
      ['delete', '/admin/'],
      ['post', '/ADMIN/'],
      ['get', '/admin'],
    ] as const) {
      const res = await request(app.callback())
        [method](path)
        .set('Authorization', `Bearer ${nobody}`);
      expect([method, path, res.status]).toEqual([method, path, 403]);
    }
    expect(reached).toBe(0);
  });

  it('marks guarded answers private and Vary: Authorization', async () => {
    const guard = cognitoGuard(customers.config);
    const app = new KoaClass();
    app.use(guard.authenticate());
    app.use((ctx) => {
      ctx.body = { ok: 1 };
    });
    const res = await request(app.callback())
      .get('/')
      .set('Authorization', `Bearer ${customers.accessToken()}`);
    expect(res.headers['cache-control']).toBe('private');
    expect(res.headers['vary']).toMatch(/Authorization/);
  });
});
