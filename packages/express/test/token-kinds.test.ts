// Every kind of token Cognito issues (user, machine, pre token generation v2/v3 customised)
// through real Express 4 and 5 servers: the statuses the testing kit's table holds every surface to.

import {
  createTestIssuer,
  type TestIssuer,
  TOKEN_KIND_POLICY,
  tokenKindCases,
} from '@cognito-guard/testing';
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
  let issuer: TestIssuer;
  beforeAll(async () => {
    issuer = await createTestIssuer().start();
  });
  afterAll(() => issuer.stop());

  it('decides every token kind as the table says', async () => {
    const app = factory();
    app.use(cognitoGuard(issuer.config).guardRoutes(TOKEN_KIND_POLICY));
    let reached = 0;
    app.all(/.*/, (_req, res) => {
      reached++;
      res.json({ ok: true });
    });
    const cases = tokenKindCases(issuer);
    const got = [];
    for (const c of cases) {
      const call = c.method === 'POST' ? request(app).post(c.path) : request(app).get(c.path);
      const res = await call.set('Authorization', `Bearer ${c.token}`);
      got.push({ name: c.name, status: res.status });
    }
    expect(got).toEqual(cases.map((c) => ({ name: c.name, status: c.status })));
    expect(reached).toBe(cases.filter((c) => c.status === 200).length);
  });
});
