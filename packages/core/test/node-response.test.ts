// isNodeResponse decides whether a Fetch adapter marks an answer on the Node response a bridge
// hands over (`c.env.outgoing`) or on the Response after the handler. Real responses of Node's
// HTTP/1 and HTTP/2 servers pass; anything else a bridge may put there does not.

import { once } from 'node:events';
import { createServer, get } from 'node:http';
import { connect, createServer as createHttp2Server } from 'node:http2';
import type { AddressInfo } from 'node:net';
import { isNodeResponse } from '../src/subpaths/adapter';

describe('isNodeResponse', () => {
  it('accepts the response of a Node HTTP/1 server', async () => {
    const seen: boolean[] = [];
    const server = createServer((_req, res) => {
      seen.push(isNodeResponse(res));
      res.end();
    }).listen(0, '127.0.0.1');
    await once(server, 'listening');
    const { port } = server.address() as AddressInfo;
    await new Promise((resolve) =>
      get(`http://127.0.0.1:${port}/`, (res) => res.resume().on('end', resolve)),
    );
    server.close();
    expect(seen).toEqual([true]);
  });

  it("accepts the response of Node's HTTP/2 compatibility API", async () => {
    const seen: boolean[] = [];
    const server = createHttp2Server((_req, res) => {
      seen.push(isNodeResponse(res));
      res.end();
    }).listen(0, '127.0.0.1');
    await once(server, 'listening');
    const { port } = server.address() as AddressInfo;
    const client = connect(`http://127.0.0.1:${port}`);
    const stream = client.request({ ':path': '/' });
    stream.resume();
    await once(stream, 'end');
    client.close();
    server.close();
    expect(seen).toEqual([true]);
  });

  it.each([
    ['undefined', undefined],
    ['null', null],
    ['a string', 'outgoing'],
    ['a Fetch Response', new Response('x')],
    ['an object with writeHead alone', { writeHead() {} }],
    ['an object without end', { writeHead() {}, setHeader() {}, getHeader() {} }],
    ['an object whose methods are values', { writeHead: 1, setHeader: 1, getHeader: 1, end: 1 }],
  ])('refuses %s', (_case, value) => {
    expect(isNodeResponse(value)).toBe(false);
  });
});
