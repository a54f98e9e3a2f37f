// sendRaw against a bare TCP server, so that each test decides exactly what the client receives.

import { once } from 'node:events';
import type { Server } from 'node:http';
import { createServer, type Socket } from 'node:net';
import { sendRaw } from '../src/raw-http';

// Answers once the request's first bytes are in, which a request this small arrives in whole.
async function serving(answer: (socket: Socket, request: string) => void): Promise<Server> {
  const server = createServer((socket) =>
    socket.once('data', (chunk: Buffer) => answer(socket, chunk.toString('latin1'))),
  );
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return server as unknown as Server;
}

describe('sendRaw', () => {
  let server: Server | undefined;
  afterEach(() => server?.close());

  it('sends the header lines as given, duplicates included, and parses the answer', async () => {
    let received = '';
    server = await serving((socket, request) => {
      received = request;
      socket.end('HTTP/1.1 400 Bad Request\r\nContent-Type: application/json\r\n\r\n{"a":1}');
    });
    const res = await sendRaw(server, 'GET', '/movies', [
      ['Authorization', 'Bearer a'],
      ['authorization', 'Bearer b'],
    ]);
    expect(res).toEqual({
      status: 400,
      headers: { 'content-type': 'application/json' },
      body: '{"a":1}',
    });
    expect(received).toBe(
      'GET /movies HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\nAuthorization: Bearer a\r\nauthorization: Bearer b\r\n\r\n',
    );
  });

  it('keeps an answer the server sent before resetting the connection', async () => {
    // As Node 24 does after a 431 to a header over its limit, with the request still arriving.
    server = await serving((socket) => {
      socket.write(
        'HTTP/1.1 431 Request Header Fields Too Large\r\nConnection: close\r\n\r\n',
        () => setImmediate(() => socket.resetAndDestroy()),
      );
    });
    const res = await sendRaw(server, 'GET', '/', [['X-Big', 'a'.repeat(4 * 1024 * 1024)]]);
    expect(res.status).toBe(431);
  });

  it('rejects when the connection is reset before any answer', async () => {
    server = await serving((socket) => socket.resetAndDestroy());
    await expect(sendRaw(server, 'GET', '/', [])).rejects.toMatchObject({ code: 'ECONNRESET' });
  });
});
