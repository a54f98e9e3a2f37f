// The attack battery through real Koa 2 and 3 apps with @koa/router, sent byte for byte over a socket.

import type { Server } from 'node:http';
import {
  attackBattery,
  createTestIssuer,
  sendRaw,
  type TestIssuer,
  twoSourcesAttack,
} from '@cognito-guard/testing';
import Router from '@koa/router';
import Koa from 'koa';
import Koa2 from 'koa2';
import { cognitoGuard } from '../src';

describe.each([
  ['Koa 3', Koa],
  ['Koa 2', Koa2 as unknown as typeof Koa],
])('%s attack battery', (_name, KoaClass) => {
  let issuer: TestIssuer;
  let server: Server;
  let twoSources: Server;
  beforeAll(async () => {
    issuer = await createTestIssuer().start();
    const guard = cognitoGuard(issuer.config);
    await guard.ready();
    const app = new KoaClass();
    const router = new Router();
    router.get('/movies', guard.requireGroups('movies-group'), (ctx) => {
      ctx.body = { ok: true };
    });
    app.use(router.routes());
    server = app.listen(0);
    const both = cognitoGuard({ ...issuer.config, tokenSources: ['authorization', 'alb'] });
    const app2 = new KoaClass();
    app2.use(both.authenticate());
    twoSources = app2.listen(0);
  });
  afterAll(async () => {
    server.close();
    twoSources.close();
    await issuer.stop();
  });

  it('refuses every case with 400 or 401 and a JSON body, never a 5xx', async () => {
    for (const attack of attackBattery(issuer)) {
      const res = await sendRaw(server, 'GET', '/movies', attack.headers);
      expect([attack.name, res.status, attack.expect.includes(res.status)]).toEqual([
        attack.name,
        res.status,
        true,
      ]);
      if (res.status !== 431) {
        expect(['{"message":"Unauthorized"}', '{"message":"Bad Request"}']).toContain(res.body);
      }
    }
  });

  it('refuses a token in two configured sources with 400', async () => {
    expect(
      (await sendRaw(twoSources, 'GET', '/movies', twoSourcesAttack(issuer).headers)).status,
    ).toBe(400);
  });
});
