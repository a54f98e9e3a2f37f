// WebSocket upgrades never pass through HTTP middleware. The upgrade guard runs the same
// pipeline on them: real `ws` and socket.io servers and clients over loopback, real tokens.

import { once } from 'node:events';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import { type AddressInfo, connect as connectSocket } from 'node:net';
import type { TestIssuer } from '@cognito-guard/testing';
import { Server as SocketIoServer } from 'socket.io';
import { io as socketIoClient } from 'socket.io-client';
import WebSocket, { WebSocketServer } from 'ws';
import {
  createGuard,
  createUpgradeGuard,
  type Principal,
  requireGroups,
  type UpgradeRequest,
  type UpgradeSocket,
} from '../src';
import { startIssuer } from './helpers';

interface Outcome {
  readonly status: number;
  readonly headers: IncomingMessage['headers'];
  readonly body: string;
  readonly greeting?: string;
}

function portOf(server: Server): number {
  return (server.address() as AddressInfo).port;
}

async function listen(server: Server): Promise<Server> {
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return server;
}

// Opens a WebSocket and reports either the refusal (status, headers, body) or the first message.
function connect(server: Server, path: string, headers: Record<string, string>): Promise<Outcome> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(`ws://127.0.0.1:${portOf(server)}${path}`, { headers });
    socket.on('unexpected-response', (_req, res) => {
      let body = '';
      res.on('data', (chunk: Buffer) => {
        body += chunk.toString('utf8');
      });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    socket.on('message', (data) => {
      resolve({ status: 101, headers: {}, body: '', greeting: data.toString() });
      socket.close();
    });
    socket.on('error', (err) => {
      if (!/Unexpected server response/.test(err.message)) reject(err);
    });
  });
}

describe('WebSocket upgrades', () => {
  let issuer: TestIssuer;
  let member: string;
  let outsider: string;
  const servers: Server[] = [];
  beforeAll(async () => {
    issuer = await startIssuer();
    member = issuer.accessToken({ groups: ['chat-users'], sub: 'member-sub' });
    outsider = issuer.accessToken({ groups: [] });
  });
  afterAll(async () => {
    for (const server of servers) server.close();
    await issuer.stop();
  });
  const bearer = (token: string) => ({ Authorization: `Bearer ${token}` });

  describe('ws with server.on("upgrade")', () => {
    let server: Server;
    let reachedHttp = 0;
    beforeAll(async () => {
      const guard = createGuard(issuer.config);
      const upgrades = createUpgradeGuard(guard, { rule: requireGroups('chat-users') });
      const wss = new WebSocketServer({ noServer: true });
      wss.on('connection', (socket, req: IncomingMessage & { auth?: Principal }) => {
        socket.send(`hello ${req.auth?.sub}`);
      });
      server = createServer((_req, res) => {
        reachedHttp++;
        res.end('http');
      });
      server.on('upgrade', async (req, socket, head) => {
        const decision = await upgrades.handleUpgrade(req, socket);
        if (!decision.allowed) return;
        wss.handleUpgrade(req, socket, head, (ws) => wss.emit('connection', ws, req));
      });
      servers.push(await listen(server));
    });

    it('refuses a tokenless upgrade with the same 401 an HTTP request gets', async () => {
      const outcome = await connect(server, '/chat', {});
      expect(outcome.status).toBe(401);
      expect(outcome.headers['www-authenticate']).toBe('Bearer realm="api"');
      expect(outcome.headers['content-type']).toBe('application/json; charset=utf-8');
      expect(outcome.headers['cache-control']).toBe('no-store');
      expect(JSON.parse(outcome.body)).toEqual({ message: 'Unauthorized' });
    });

    it('refuses a member of no required group with 403, and a broken token with 401', async () => {
      const forbidden = await connect(server, '/chat', bearer(outsider));
      expect(forbidden.status).toBe(403);
      expect(forbidden.headers['www-authenticate']).toContain('error="insufficient_scope"');
      const broken = await connect(server, '/chat', bearer(issuer.brokenToken('tampered')));
      expect(broken.status).toBe(401);
      expect(broken.headers['www-authenticate']).toContain('error="invalid_token"');
    });

    it('lets a member in, with the principal on req.auth', async () => {
      const outcome = await connect(server, '/chat', bearer(member));
      expect(outcome).toEqual(
        expect.objectContaining({ status: 101, greeting: 'hello member-sub' }),
      );
      expect(reachedHttp).toBe(0);
    });
  });

  describe('ws verifyClient, with a route policy', () => {
    let server: Server;
    beforeAll(async () => {
      const guard = createGuard(issuer.config);
      const upgrades = createUpgradeGuard(guard, {
        policy: {
          defaultAction: 'deny',
          routes: { 'GET /chat': { groups: ['chat-users'] }, 'GET /lobby': { public: true } },
        },
      });
      server = createServer();
      const wss = new WebSocketServer({ server, verifyClient: upgrades.verifyClient });
      wss.on('connection', (socket, req: IncomingMessage & { auth?: Principal }) => {
        socket.send(`hello ${req.auth?.sub ?? 'anonymous'}`);
      });
      servers.push(await listen(server));
    });

    it('decides by the route an upgrade asks for', async () => {
      expect((await connect(server, '/chat', bearer(member))).greeting).toBe('hello member-sub');
      expect((await connect(server, '/lobby', {})).greeting).toBe('hello anonymous');
      const forbidden = await connect(server, '/chat', bearer(outsider));
      expect(forbidden.status).toBe(403);
      expect(forbidden.headers['www-authenticate']).toContain('insufficient_scope');
      expect((await connect(server, '/elsewhere', bearer(member))).status).toBe(403);
      const tokenless = await connect(server, '/chat', {});
      expect(tokenless.status).toBe(401);
      expect(tokenless.headers['www-authenticate']).toBe('Bearer realm="api"');
      expect((await connect(server, '/CHAT/', bearer(member))).status).toBe(403);
    });
  });

  describe('ws verifyClient, with a predicate for the rule', () => {
    let server: Server;
    beforeAll(async () => {
      const guard = createGuard(issuer.config);
      // A predicate, as authorize() takes one; checked when the guard is created.
      const upgrades = createUpgradeGuard(guard, { rule: (p) => p.sub === 'member-sub' });
      server = createServer();
      const wss = new WebSocketServer({ server, verifyClient: upgrades.verifyClient });
      wss.on('connection', (socket, req: IncomingMessage & { auth?: Principal }) => {
        socket.send(`hello ${req.auth?.sub}`);
      });
      servers.push(await listen(server));
    });

    it('lets in whom the predicate accepts, and refuses the rest with 403', async () => {
      expect((await connect(server, '/chat', bearer(member))).greeting).toBe('hello member-sub');
      const refused = await connect(server, '/chat', bearer(outsider));
      expect(refused.status).toBe(403);
      expect(refused.headers['www-authenticate']).toContain('insufficient_scope');
      expect((await connect(server, '/chat', {})).status).toBe(401);
    });
  });

  describe('server.on("upgrade") with a compiled route policy', () => {
    let server: Server;
    let upgraded: string[];
    let deniedWithAuth: boolean[];
    beforeAll(async () => {
      const guard = createGuard(issuer.config);
      const policy = guard.compilePolicy({
        defaultAction: 'deny',
        routes: { 'GET /feed': { public: true }, 'POST /feed': { groups: ['publishers'] } },
      });
      const upgrades = createUpgradeGuard(guard, { policy });
      server = createServer();
      server.on('upgrade', async (req, socket) => {
        const decision = await upgrades.handleUpgrade(req, socket);
        if (!decision.allowed) {
          deniedWithAuth.push('auth' in req);
          return;
        }
        upgraded.push(`${req.method} ${req.url}`);
        socket.end(
          'HTTP/1.1 101 Switching Protocols\r\nConnection: Upgrade\r\nUpgrade: test\r\n\r\n',
        );
      });
      servers.push(await listen(server));
    });
    beforeEach(() => {
      upgraded = [];
      deniedWithAuth = [];
    });

    // What a client that is not a browser may send: an upgrade with any method.
    const rawUpgrade = async (method: string, path: string, token?: string) => {
      const socket = connectSocket(portOf(server), '127.0.0.1');
      const lines = [
        `${method} ${path} HTTP/1.1`,
        'Host: localhost',
        'Connection: Upgrade',
        'Upgrade: test',
      ];
      if (token) lines.push(`Authorization: Bearer ${token}`);
      socket.end(`${lines.join('\r\n')}\r\n\r\n`);
      let answer = '';
      for await (const chunk of socket) answer += String(chunk);
      return answer.slice(0, answer.indexOf('\r\n'));
    };

    it('checks an upgrade as the method it was sent with, not as GET', async () => {
      expect(await rawUpgrade('GET', '/feed')).toBe('HTTP/1.1 101 Switching Protocols');
      expect(await rawUpgrade('POST', '/feed')).toBe('HTTP/1.1 401 Unauthorized');
      expect(await rawUpgrade('POST', '/feed', member)).toBe('HTTP/1.1 403 Forbidden');
      expect(await rawUpgrade('PUT', '/feed', member)).toBe('HTTP/1.1 403 Forbidden');
      expect(upgraded).toEqual(['GET /feed']);
      // A denied upgrade carries no principal on, not even an empty one.
      expect(deniedWithAuth).toEqual([false, false, false]);
    });
  });

  describe('a request built by hand, with no method or URL', () => {
    // An allowed upgrade leaves the socket to the caller: any write here would be the guard's.
    const untouched: UpgradeSocket = {
      write: () => {
        throw new Error('the guard wrote to the socket of an allowed upgrade');
      },
      destroy: () => {
        throw new Error('the guard destroyed the socket of an allowed upgrade');
      },
    };

    it('is checked as a GET of /, as a browser’s upgrade would be', async () => {
      const guard = createGuard(issuer.config);
      const policy = guard.compilePolicy({
        defaultAction: 'deny',
        routes: { 'GET /': { groups: ['chat-users'] } },
      });
      const upgrades = createUpgradeGuard(guard, { policy });
      const authorization = `Bearer ${member}`;
      const req = {
        headers: { authorization },
        rawHeaders: ['Authorization', authorization],
      } as unknown as UpgradeRequest;
      const decision = await upgrades.handleUpgrade(req, untouched);
      expect(decision.allowed).toBe(true);
      expect(req.auth).toEqual(expect.objectContaining({ sub: 'member-sub' }));
    });
  });

  describe('socket.io allowRequest (handshake and upgrade)', () => {
    let server: Server;
    beforeAll(async () => {
      const guard = createGuard(issuer.config);
      const upgrades = createUpgradeGuard(guard, { rule: requireGroups('chat-users') });
      server = createServer();
      const io = new SocketIoServer(server, { allowRequest: upgrades.allowRequest });
      io.on('connection', (socket) => {
        const auth = (socket.request as IncomingMessage & { auth?: Principal }).auth;
        socket.emit('hello', auth?.sub);
      });
      servers.push(await listen(server));
    });

    const attempt = (transports: ('polling' | 'websocket')[], headers: Record<string, string>) =>
      new Promise<{ connected: boolean; detail: string }>((resolve) => {
        const client = socketIoClient(`http://127.0.0.1:${portOf(server)}`, {
          transports,
          extraHeaders: headers,
          reconnection: false,
          timeout: 5000,
        });
        // Settled once the connection is closed: a polling client asked to close may still have a
        // write in flight, whose failure after the test file ended would start another request.
        const settle = (outcome: { connected: boolean; detail: string }) => {
          const engine = client.io.engine;
          client.close();
          if (engine.readyState === 'closed') resolve(outcome);
          else engine.once('close', () => resolve(outcome));
        };
        client.on('hello', (sub: string) => settle({ connected: true, detail: sub }));
        client.on('connect_error', (err) => settle({ connected: false, detail: err.message }));
      });

    it.each([
      ['polling', ['polling' as const]],
      ['websocket', ['websocket' as const]],
    ])('over %s: refuses tokenless and outsiders, lets members in', async (_t, transports) => {
      expect(await attempt(transports, {})).toEqual(expect.objectContaining({ connected: false }));
      expect(await attempt(transports, bearer(outsider))).toEqual(
        expect.objectContaining({ connected: false }),
      );
      expect(await attempt(transports, bearer(member))).toEqual({
        connected: true,
        detail: 'member-sub',
      });
    });

    it('refuses the polling handshake with engine.io’s 403, the kind of failure as its message', async () => {
      const url = `http://127.0.0.1:${portOf(server)}/socket.io/?EIO=4&transport=polling`;
      const tokenless = await fetch(url);
      expect(tokenless.status).toBe(403);
      expect(await tokenless.json()).toEqual({ code: 4, message: 'unauthorized' });
      const outsiders = await fetch(url, { headers: bearer(outsider) });
      expect(await outsiders.json()).toEqual({ code: 4, message: 'insufficient_scope' });
    });
  });
});
