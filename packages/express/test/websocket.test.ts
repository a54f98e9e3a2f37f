// The finding: a guarded Express app can be entered through a WebSocket upgrade, which never
// passes through its middleware. The upgrade guard closes it with the same decision.

import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { requireGroups } from '@cognito-guard/core';
import { createTestIssuer, type TestIssuer } from '@cognito-guard/testing';
import express from 'express';
import WebSocket, { WebSocketServer } from 'ws';
import { cognitoGuard, createUpgradeGuard } from '../src';

// Resolves with the status of a refused upgrade, or 101 once the socket opened.
function upgradeStatus(server: Server, headers: Record<string, string>): Promise<number> {
  const { port } = server.address() as AddressInfo;
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(`ws://127.0.0.1:${port}/live`, { headers });
    socket.on('open', () => {
      socket.close();
      resolve(101);
    });
    socket.on('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0));
    socket.on('error', (err) => {
      if (!/Unexpected server response/.test(err.message)) reject(err);
    });
  });
}

describe('Express app with a WebSocket server on the same port', () => {
  let issuer: TestIssuer;
  let server: Server;
  const start = async (guardUpgrades: boolean) => {
    const cognito = cognitoGuard(issuer.config);
    const app = express();
    app.use(cognito.requireGroups('live-viewers'));
    app.get('/live', (_req, res) => void res.send('http'));
    server = createServer(app);
    const wss = new WebSocketServer({
      server,
      ...(guardUpgrades
        ? {
            verifyClient: createUpgradeGuard(cognito.guard, {
              rule: requireGroups('live-viewers'),
            }).verifyClient,
          }
        : {}),
    });
    wss.on('connection', (socket) => socket.send('live data'));
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
  };
  beforeAll(async () => {
    issuer = await createTestIssuer().start();
  });
  afterEach(() => server.close());
  afterAll(() => issuer.stop());

  it('without the upgrade guard, a tokenless upgrade gets in although HTTP is refused', async () => {
    await start(false);
    const { port } = server.address() as AddressInfo;
    expect((await fetch(`http://127.0.0.1:${port}/live`)).status).toBe(401);
    expect(await upgradeStatus(server, {})).toBe(101);
  });

  it('with it, the upgrade gets the HTTP decision', async () => {
    await start(true);
    expect(await upgradeStatus(server, {})).toBe(401);
    const outsider = issuer.accessToken({ groups: ['other'] });
    expect(await upgradeStatus(server, { Authorization: `Bearer ${outsider}` })).toBe(403);
    const viewer = issuer.accessToken({ groups: ['live-viewers'] });
    expect(await upgradeStatus(server, { Authorization: `Bearer ${viewer}` })).toBe(101);
  });
});

// Cross-site WebSocket hijacking: a page of another site opens a socket, and the browser sends
// the token cookie with the handshake. The same-origin policy guards no handshake; the guard does.
describe('a WebSocket handshake with a token cookie', () => {
  let issuer: TestIssuer;
  let server: Server;
  beforeAll(async () => {
    issuer = await createTestIssuer().start();
    const cognito = cognitoGuard({
      ...issuer.config,
      tokenSources: ['authorization', { cookie: 'id' }],
      trustedOrigins: ['https://app.example.com'],
    });
    const upgrades = createUpgradeGuard(cognito.guard, { rule: requireGroups('live-viewers') });
    server = createServer(express());
    new WebSocketServer({ server, verifyClient: upgrades.verifyClient }).on('connection', (s) =>
      s.send('live data'),
    );
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
  });
  afterAll(async () => {
    server.close();
    await issuer.stop();
  });

  it('opens from the app’s own page or a trusted origin, and is refused from another site', async () => {
    const { port } = server.address() as AddressInfo;
    const cookie = `id=${issuer.accessToken({ groups: ['live-viewers'] })}`;
    expect(
      await upgradeStatus(server, { Cookie: cookie, Origin: `http://127.0.0.1:${port}` }),
    ).toBe(101);
    expect(await upgradeStatus(server, { Cookie: cookie, Origin: 'https://app.example.com' })).toBe(
      101,
    );
    expect(await upgradeStatus(server, { Cookie: cookie, Origin: 'https://evil.example' })).toBe(
      403,
    );
    expect(
      await upgradeStatus(server, {
        Cookie: cookie,
        Origin: `http://127.0.0.1:${port}`,
        'Sec-Fetch-Site': 'cross-site',
      }),
    ).toBe(403);
    // No browser page: no Origin, as a server-side client connects.
    expect(await upgradeStatus(server, { Cookie: cookie })).toBe(101);
  });
});
