// Every kind of token Cognito issues (user, machine, pre token generation v2/v3 customised)
// through real Koa 2 and 3 servers: the statuses the testing kit's table holds every surface to.

import {
  createTestIssuer,
  type TestIssuer,
  TOKEN_KIND_POLICY,
  tokenKindCases,
} from '@cognito-guard/testing';
import Koa from 'koa';
import Koa2 from 'koa2';
import request from 'supertest';
import { cognitoGuard } from '../src';

const frameworks: [string, typeof Koa][] = [
  ['Koa 3', Koa],
  ['Koa 2', Koa2 as unknown as typeof Koa],
];

describe.each(frameworks)('%s', (_name, KoaClass) => {
  let issuer: TestIssuer;
  beforeAll(async () => {
    issuer = await createTestIssuer().start();
  });
  afterAll(() => issuer.stop());

  it('decides every token kind as the table says', async () => {
    const app = new KoaClass();
    app.use(cognitoGuard(issuer.config).guardRoutes(TOKEN_KIND_POLICY));
    let reached = 0;
    app.use((ctx) => {
      reached++;
      ctx.body = { ok: true };
    });
    const server = app.callback();
    const cases = tokenKindCases(issuer);
    const got = [];
    for (const c of cases) {
      const call = c.method === 'POST' ? request(server).post(c.path) : request(server).get(c.path);
      const res = await call.set('Authorization', `Bearer ${c.token}`);
      got.push({ name: c.name, status: res.status });
    }
    expect(got).toEqual(cases.map((c) => ({ name: c.name, status: c.status })));
    expect(reached).toBe(cases.filter((c) => c.status === 200).length);
  });
});
