// The offload servers' harness, shared by offload-http.mjs and miss-in-server.mjs: mints unique
// tokens, starts offload-server.mjs in one mode on the last CPU, drives it with the tokens, and
// reads its counters.

import { spawn } from 'node:child_process';
import { cpus } from 'node:os';
import { createTestIssuer } from '@cognito-guard/testing';
import autocannon from 'autocannon';

// The servers on the last CPU, as in run.mjs; the caller runs the load on the others.
const serverCpu = String(cpus().length - 1);

/** How long a study runs: `--quick` is CI's smoke run, figures not a measurement. */
export function runShape(argv = process.argv) {
  const quick = argv.includes('--quick');
  return quick
    ? { quick, rounds: 1, seconds: 1, warmUpSeconds: 1, tokenCount: 500 }
    : { quick, rounds: 4, seconds: 5, warmUpSeconds: 2, tokenCount: 20_000 };
}

/** Starts a loopback issuer and mints `count` unique access tokens of one group's members. */
export async function issuerWithTokens(count) {
  const issuer = await createTestIssuer({
    userPoolId: 'local_bench',
    clientId: 'bench-client',
  }).start();
  const tokens = Array.from({ length: count }, (_, i) =>
    issuer.accessToken({ username: `user${i}`, groups: ['movies-group'] }),
  );
  return { issuer, tokens };
}

/** Starts one offload server; resolves to `{ child, port }`. `env` adds to its environment. */
export function startServer(issuer, mode, env = {}) {
  return new Promise((resolve, reject) => {
    const child = spawn(
      'taskset',
      ['-c', serverCpu, process.execPath, new URL('offload-server.mjs', import.meta.url).pathname],
      {
        env: { ...process.env, ...env, MODE: mode, CONFIG: JSON.stringify(issuer.config) },
        stdio: ['ignore', 'pipe', 'inherit'],
      },
    );
    child.stdout.once('data', (data) => resolve({ child, port: JSON.parse(String(data)).port }));
    child.once('exit', (code) => reject(new Error(`${mode} server exited with ${code}`)));
  });
}

// Where the rotation goes on from, across loads.
let next = 0;

/**
 * Sends `tokens` in rotation, one per request, for `seconds`: at a fixed `rate` (req/s), or as
 * fast as the server answers when `rate` is undefined. Resolves to autocannon's result.
 */
export function loadServer(port, tokens, seconds, rate) {
  return autocannon({
    url: `http://127.0.0.1:${port}`,
    connections: 20,
    duration: seconds,
    ...(rate === undefined ? {} : { overallRate: rate }),
    requests: [
      {
        method: 'GET',
        path: '/movies',
        setupRequest: (request) => ({
          ...request,
          headers: {
            ...request.headers,
            authorization: `Bearer ${tokens[next++ % tokens.length]}`,
          },
        }),
      },
    ],
  });
}

/** The server's counters since the last call (see offload-server.mjs's /__stats). */
export async function serverStats(port) {
  return (await fetch(`http://127.0.0.1:${port}/__stats`)).json();
}
