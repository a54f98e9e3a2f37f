// Every kind of token Cognito issues (user, machine, pre token generation v2/v3 customised)
// through a real Hono app on @hono/node-server: the statuses the testing kit's table holds every
// surface to.

import type { Server } from 'node:http';
import {
  createTestIssuer,
  sendRaw,
  type TestIssuer,
  TOKEN_KIND_POLICY,
  tokenKindCases,
} from '@cognito-guard/testing';
import { serve } from '@hono/node-server';
import { Hono } from 'hono';
import { cognitoGuard } from '../src';

describe('Hono', () => {
  let issuer: TestIssuer;
  beforeAll(async () => {
    issuer = await createTestIssuer().start();
  });
  afterAll(() => issuer.stop());

  it('decides every token kind as the table says', async () => {
    const app = new Hono();
    app.use(cognitoGuard(issuer.config).guardRoutes(TOKEN_KIND_POLICY));
    let reached = 0;
    app.all('*', (c) => {
      reached++;
      return c.json({ ok: true });
    });
    const server = await new Promise<Server>((resolve) => {
      const s = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, () =>
        resolve(s as Server),
      );
    });
    try {
      const cases = tokenKindCases(issuer);
      const got = [];
      for (const c of cases) {
        const res = await sendRaw(server, c.method, c.path, [
          ['Authorization', `Bearer ${c.token}`],
        ]);
        got.push({ name: c.name, status: res.status });
      }
      expect(got).toEqual(cases.map((c) => ({ name: c.name, status: c.status })));
      expect(reached).toBe(cases.filter((c) => c.status === 200).length);
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });
});
