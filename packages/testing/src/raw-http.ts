// Sends an HTTP/1.1 request with exactly the header lines given (duplicates, odd bytes and all),
// which ordinary HTTP clients normalise away.

import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { connect } from 'node:net';

/** The parsed answer of {@link sendRaw}. */
export interface RawResponse {
  readonly status: number;
  /** Lower-cased header names; the last value wins. */
  readonly headers: Record<string, string>;
  readonly body: string;
}

/**
 * Sends one request over a fresh connection and reads the whole response.
 *
 * @example
 * ```ts
 * const res = await sendRaw(server, 'GET', '/movies', [['Authorization', 'Bearer a'], ['Authorization', 'Bearer b']]);
 * res.status; // 400
 * ```
 */
export function sendRaw(
  server: Server,
  method: string,
  path: string,
  headers: readonly (readonly [string, string])[],
): Promise<RawResponse> {
  const { port } = server.address() as AddressInfo;
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1', () => {
      const lines = [`${method} ${path} HTTP/1.1`, 'Host: localhost', 'Connection: close'];
      for (const [name, value] of headers) lines.push(`${name}: ${value}`);
      socket.write(`${lines.join('\r\n')}\r\n\r\n`);
    });
    const chunks: Buffer[] = [];
    socket.on('data', (chunk: Buffer) => chunks.push(chunk));
    socket.on('error', (err) => {
      // A server that answers before it has read the whole request (Node 24's 431 to a header
      // over its limit) may reset the connection after its answer: the answer stands.
      if (chunks.length === 0) reject(err);
    });
    socket.on('end', () => socket.end());
    socket.on('close', () => {
      const text = Buffer.concat(chunks).toString('utf8');
      const [head = '', ...rest] = text.split('\r\n\r\n');
      const [statusLine = '', ...headerLines] = head.split('\r\n');
      const parsed: Record<string, string> = {};
      for (const line of headerLines) {
        const colon = line.indexOf(':');
        if (colon > 0)
          parsed[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
      }
      resolve({
        status: Number(statusLine.split(' ')[1]),
        headers: parsed,
        body: rest.join('\r\n\r\n'),
      });
    });
  });
}
