// isNodeResponse decides whether a Fetch adapter marks an answer on the Node response a bridge
// hands over (`c.env.outgoing`) or on the Response after the handler. Real responses of Node's
// HTTP/1 and HTTP/2 servers pass; anything else a bridge may put there does not.

import { once } from 'node:events';
import { createServer, get } from 'node:http';
import { connect, createServer as createHttp2Server } from 'node:http2';
import type { AddressInfo, Server } from 'node:net';
import { isNodeResponse } from '../src/subpaths/adapter';

type Listener = (req: unknown, res: { end(): void }) => void;
type Listening = { listen(port: number, host: string): Listening; close(): void } & Server;

// What isNodeResponse says of the response a real server hands its listener, for one request.
async function seenBy(
  serve: (listener: Listener) => Listening,
  ask: (port: number) => Promise<unknown>,
): Promise<boolean[]> {
  const seen: boolean[] = [];
  const server = serve((_req, res) => {
    seen.push(isNodeResponse(res));
    res.end();
  }).listen(0, '127.0.0.1');
  await once(server, 'listening');
  try {
    await ask((server.address() as AddressInfo).port);
  } finally {
    server.close();
  }
  return seen;
}

describe('isNodeResponse', () => {
  it('accepts the response of a Node HTTP/1 server', async () => {
    const ask = (port: number) =>
      new Promise((resolve) =>
        get(`http://127.0.0.1:${port}/`, (res) => res.resume().on('end', resolve)),
      );
    expect(await seenBy((listener) => createServer(listener) as Listening, ask)).toEqual([true]);
  });

  it("accepts the response of Node's HTTP/2 compatibility API", async () => {
    const ask = async (port: number) => {
      const client = connect(`http://127.0.0.1:${port}`);
      const stream = client.request({ ':path': '/' });
      stream.resume();
      await once(stream, 'end');
      client.close();
    };
    const serve = (listener: Listener) => createHttp2Server(listener) as unknown as Listening;
    expect(await seenBy(serve, ask)).toEqual([true]);
  });

  it.each([
    ['undefined', undefined],
    ['null', null],
    ['a string', 'outgoing'],
    ['a Fetch Response', new Response('x')],
    ['an object with writeHead alone', { writeHead() {} }],
    ['an object without end', { writeHead() {}, setHeader() {}, getHeader() {} }],
    ['an object without setHeader', { writeHead() {}, getHeader() {}, end() {} }],
    ['an object without getHeader', { writeHead() {}, setHeader() {}, end() {} }],
    ['an object whose methods are values', { writeHead: 1, setHeader: 1, getHeader: 1, end: 1 }],
  ])('refuses %s', (_case, value) => {
    expect(isNodeResponse(value)).toBe(false);
  });
});
