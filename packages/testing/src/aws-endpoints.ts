// AWS key endpoints (Cognito's regional JWKS, ALB's public keys) served from this machine over
// real TLS, under their real host names. Code that fetches `https://cognito-idp.<region>.
// amazonaws.com/...` runs unchanged: while the server runs, Node's default HTTPS agent resolves
// the served host names to 127.0.0.1 and trusts the server's throwaway certificate.

import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import https from 'node:https';
import type { AddressInfo, LookupFunction } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Duplex } from 'node:stream';

/** What an endpoint answers: a JSON document (a JWKS), text (an ALB key's PEM), or an error status. */
export type AwsEndpointBody =
  | { readonly json: unknown }
  | { readonly text: string }
  | { readonly status: number };

/** A running set of AWS endpoints; see {@link startAwsEndpoints}. */
export interface AwsEndpoints {
  /** Serves `body` at this https URL (its host must be one given to `startAwsEndpoints`). */
  serve(url: string, body: AwsEndpointBody | (() => AwsEndpointBody)): void;
  /** Requests received per URL, answered or not. */
  readonly requests: ReadonlyMap<string, number>;
  /** Stops the server and gives Node its own HTTPS agent back. */
  stop(): Promise<void>;
}

/**
 * Starts an HTTPS server on 127.0.0.1 for these AWS host names and points Node's default HTTPS
 * agent at it: host-name checking stays on, against a certificate made for exactly these names
 * (with the `openssl` command). Unknown paths answer 404. One at a time per process.
 *
 * @example
 * ```ts
 * const aws = await startAwsEndpoints(['cognito-idp.us-west-2.amazonaws.com']);
 * aws.serve('https://cognito-idp.us-west-2.amazonaws.com/us-east-1_Abc/.well-known/jwks.json', { json: issuer.jwks });
 * // ... verify tokens whose iss is https://cognito-idp.us-west-2.amazonaws.com/us-east-1_Abc
 * await aws.stop();
 * ```
 */
export async function startAwsEndpoints(hosts: readonly string[]): Promise<AwsEndpoints> {
  const names = new Set(hosts.map((host) => host.toLowerCase()));
  const { key, cert } = selfSignedCertificate([...names]);
  const routes = new Map<string, AwsEndpointBody | (() => AwsEndpointBody)>();
  const requests = new Map<string, number>();
  const sockets = new Set<Duplex>();
  const server = https.createServer({ key, cert }, (req, res) => {
    const url = `https://${(req.headers.host ?? '').toLowerCase()}${req.url ?? '/'}`;
    requests.set(url, (requests.get(url) ?? 0) + 1);
    const route = routes.get(url);
    const body = typeof route === 'function' ? route() : route;
    if (body === undefined) {
      res.writeHead(404, { 'content-type': 'application/json' }).end('{"message":"Not Found"}');
    } else if ('status' in body) {
      res.writeHead(body.status, { 'content-type': 'text/plain' }).end('unavailable');
    } else if ('json' in body) {
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(body.json));
    } else {
      res.writeHead(200, { 'content-type': 'text/plain' }).end(body.text);
    }
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  const lookup: LookupFunction = (hostname, options, callback) => {
    if (!names.has(hostname.toLowerCase())) {
      const err = Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), {
        code: 'ENOTFOUND',
      });
      (callback as (e: Error) => void)(err);
      return;
    }
    if ((options as { all?: boolean }).all) {
      (callback as (e: null, a: { address: string; family: number }[]) => void)(null, [
        { address: '127.0.0.1', family: 4 },
      ]);
    } else callback(null, '127.0.0.1', 4);
  };
  const ownAgent = https.globalAgent;
  // The port is the server's; the agent connects there whatever port a URL names (443).
  const agent = new https.Agent({ ca: cert, lookup, keepAlive: false });
  const createConnection = agent.createConnection.bind(agent);
  agent.createConnection = (options, callback) =>
    createConnection({ ...options, port }, callback as never);
  https.globalAgent = agent;
  return {
    serve(url, body) {
      const parsed = new URL(url);
      if (parsed.protocol !== 'https:' || !names.has(parsed.hostname)) {
        throw new Error(
          `startAwsEndpoints: ${url} is not on a served host (${[...names].join(', ')})`,
        );
      }
      routes.set(parsed.href, body);
    },
    requests,
    async stop() {
      https.globalAgent = ownAgent;
      agent.destroy();
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

function selfSignedCertificate(hosts: readonly string[]): { key: string; cert: string } {
  const dir = mkdtempSync(join(tmpdir(), 'cognito-guard-tls-'));
  try {
    const keyPath = join(dir, 'key.pem');
    const certPath = join(dir, 'cert.pem');
    const configPath = join(dir, 'openssl.cnf');
    writeFileSync(
      configPath,
      [
        '[req]',
        'distinguished_name = dn',
        'x509_extensions = ext',
        'prompt = no',
        '[dn]',
        'CN = cognito-guard test endpoints',
        '[ext]',
        'basicConstraints = critical, CA:TRUE',
        `subjectAltName = ${hosts.map((host) => `DNS:${host}`).join(', ')}`,
      ].join('\n'),
    );
    try {
      execFileSync(
        'openssl',
        [
          'req',
          '-x509',
          '-newkey',
          'ec',
          '-pkeyopt',
          'ec_paramgen_curve:prime256v1',
          '-nodes',
          '-days',
          '1',
          '-keyout',
          keyPath,
          '-out',
          certPath,
          '-config',
          configPath,
        ],
        { stdio: 'pipe' },
      );
    } catch (err) {
      throw new Error(
        `startAwsEndpoints needs the openssl command to make a test certificate: ${(err as Error).message}`,
      );
    }
    return { key: readFileSync(keyPath, 'utf8'), cert: readFileSync(certPath, 'utf8') };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
