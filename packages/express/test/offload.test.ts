// An Express server whose guard verifies on worker threads (`verifyInWorkers`) answers every
// request as the same server verifying on its main thread does, over real HTTP: the attack
// battery, allowed and forbidden callers alike. A worker that stalls answers 503, and the
// handler never runs for it. The workers run core's build (dist/).

import type { Server } from 'node:http';
import { join } from 'node:path';
import { verifyInWorkers } from '@cognito-guard/core/offload';
import { attackBattery, createTestIssuer, sendRaw, type TestIssuer } from '@cognito-guard/testing';
import express from 'express';
import { cognitoGuard } from '../src';

const coreDir = join(__dirname, '../../core');

describe('Express with verifyInWorkers', () => {
  let issuer: TestIssuer;
  let reached = 0;
  const offload = verifyInWorkers({
    threads: 2,
    timeoutMs: 200,
    workerFile: join(coreDir, 'test/workers/faulty-verify-worker.cjs'),
  });
  const servers: Server[] = [];
  const warnings: string[] = [];
  const logger = { warn: (message: string) => void warnings.push(message) };
  const start = async (withWorkers: boolean) => {
    const workers = withWorkers ? { offload } : {};
    const guard = cognitoGuard({ ...issuer.config, logger, ...workers });
    await guard.ready();
    const app = express();
    app.get('/movies', guard.requireGroups('movies-group'), (_req, res) => {
      reached++;
      res.json({ ok: true });
    });
    const server = app.listen(0);
    servers.push(server);
    return server;
  };
  let inline: Server;
  let offloaded: Server;
  beforeAll(async () => {
    issuer = await createTestIssuer().start();
    [inline, offloaded] = await Promise.all([start(false), start(true)]);
  });
  afterAll(async () => {
    for (const server of servers) server.close();
    await offload.close();
    await issuer.stop();
  });

  const answer = async (server: Server, headers: readonly (readonly [string, string])[]) => {
    const { status, headers: sent, body } = await sendRaw(server, 'GET', '/movies', headers);
    const { 'www-authenticate': challenge, 'cache-control': cache, 'content-type': type } = sent;
    return { status, challenge, cache, type, body };
  };

  it('answers every request as the server verifying on its main thread', async () => {
    const bearer = (token: string) => [['Authorization', `Bearer ${token}`]] as const;
    const cases = [
      ...attackBattery(issuer).map((attack) => attack.headers),
      bearer(issuer.accessToken({ groups: ['movies-group'] })),
      bearer(issuer.accessToken({ groups: ['shows-group'] })),
      bearer(issuer.brokenToken('expired')),
    ];
    const statuses = new Set<number>();
    for (const headers of cases) {
      const expected = await answer(inline, headers);
      expect(await answer(offloaded, headers)).toEqual(expected);
      statuses.add(expected.status);
    }
    expect([...statuses].sort()).toEqual([200, 400, 401, 403, 431]);
    expect(offload.stats().inWorkers).toBeGreaterThan(20);
  });

  it('answers 503 when a worker stalls, and the handler never runs', async () => {
    const before = reached;
    const stalled = await answer(offloaded, [['Authorization', 'Bearer stall']]);
    expect(stalled).toMatchObject({ status: 503, cache: 'no-store' });
    expect(JSON.parse(stalled.body)).toEqual({ message: 'Service Unavailable' });
    expect(reached).toBe(before);
    expect(warnings).toEqual([expect.stringContaining('answered nothing in 200 ms')]);
    const token = issuer.accessToken({ groups: ['movies-group'] });
    const allowed = [['Authorization', `Bearer ${token}`]] as const;
    expect((await answer(offloaded, allowed)).status).toBe(200);
  });
});
