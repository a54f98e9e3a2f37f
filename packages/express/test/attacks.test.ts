// The attack battery through real Express 4 and 5 servers, sent byte for byte over a socket.

import type { Server } from 'node:http';
import {
  attackBattery,
  createTestIssuer,
  sendRaw,
  type TestIssuer,
  twoSourcesAttack,
} from '@cognito-guard/testing';
import express5 from 'express';
import express4 from 'express4';
import { cognitoGuard } from '../src';

describe.each([
  ['Express 5', express5],
  ['Express 4', express4 as unknown as typeof express5],
])('%s attack battery', (_name, factory) => {
  let issuer: TestIssuer;
  let server: Server;
  let twoSources: Server;
  beforeAll(async () => {
    issuer = await createTestIssuer().start();
    const guard = cognitoGuard(issuer.config);
    await guard.ready();
    const app = factory();
    app.get(
      '/movies',
      guard.requireGroups('movies-group'),
      (_req, res) => void res.json({ ok: true }),
    );
    server = app.listen(0);
    const both = cognitoGuard({ ...issuer.config, tokenSources: ['authorization', 'alb'] });
    const app2 = factory();
    app2.use(both.authenticate());
    app2.get('/movies', (_req, res) => void res.json({ ok: true }));
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
    const attack = twoSourcesAttack(issuer);
    expect((await sendRaw(twoSources, 'GET', '/movies', attack.headers)).status).toBe(400);
  });

  it('still serves a valid token after the battery', async () => {
    const token = issuer.accessToken({ groups: ['movies-group'] });
    expect(
      (await sendRaw(server, 'GET', '/movies', [['Authorization', `Bearer ${token}`]])).status,
    ).toBe(200);
  });
});
