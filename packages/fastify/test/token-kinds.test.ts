// Every kind of token Cognito issues (user, machine, pre token generation v2/v3 customised)
// through real Fastify 4 and 5 servers: the statuses the testing kit's table holds every surface to.

import {
  createTestIssuer,
  sendRaw,
  type TestIssuer,
  TOKEN_KIND_POLICY,
  tokenKindCases,
} from '@cognito-guard/testing';
import fastify5 from 'fastify';
import fastify4 from 'fastify4';
import { authPlugin, cognitoGuard } from '../src';

type Factory = typeof fastify5;
const frameworks: [string, Factory][] = [
  ['Fastify 5', fastify5],
  ['Fastify 4', fastify4 as unknown as Factory],
];

describe.each(frameworks)('%s', (_name, factory) => {
  let issuer: TestIssuer;
  beforeAll(async () => {
    issuer = await createTestIssuer().start();
  });
  afterAll(() => issuer.stop());

  it('decides every token kind as the table says', async () => {
    const app = factory();
    await app.register(authPlugin);
    app.addHook('onRequest', cognitoGuard(issuer.config).guardRoutes(TOKEN_KIND_POLICY));
    let reached = 0;
    app.all('/*', async () => {
      reached++;
      return { ok: true };
    });
    await app.listen({ port: 0, host: '127.0.0.1' });
    try {
      const cases = tokenKindCases(issuer);
      const got = [];
      for (const c of cases) {
        const res = await sendRaw(app.server, c.method, c.path, [
          ['Authorization', `Bearer ${c.token}`],
        ]);
        got.push({ name: c.name, status: res.status });
      }
      expect(got).toEqual(cases.map((c) => ({ name: c.name, status: c.status })));
      expect(reached).toBe(cases.filter((c) => c.status === 200).length);
    } finally {
      await app.close();
    }
  });
});
