#!/usr/bin/env node
// The offload prototype in a server (#14 §2): two Fastify servers (offload-server.mjs), one
// checking unique tokens inline and one in a worker thread, offered the same fixed rate by
// autocannon in alternating rounds; prints the main thread's busy time per request of each, which
// bounds what one process can serve. Not part of `pnpm bench`: run it on a quiet machine.
//   taskset -c 0 node bench/offload-http.mjs [rate]   (default 2,000 req/s, 4 rounds of 5 s)

import { spawn } from 'node:child_process';
import { cpus } from 'node:os';
import { createTestIssuer } from '@cognito-guard/testing';
import autocannon from 'autocannon';

const rate = Number(process.argv[2] ?? 2000);
const issuer = await createTestIssuer({
  userPoolId: 'local_bench',
  clientId: 'bench-client',
}).start();
const tokens = Array.from({ length: 20_000 }, (_, i) =>
  issuer.accessToken({ username: `user${i}`, groups: ['movies-group'] }),
);
// The servers on the last CPU, as in run.mjs; run this process, the load, on the others.
const serverCpu = String(cpus().length - 1);

function start(mode) {
  return new Promise((resolve, reject) => {
    const child = spawn(
      'taskset',
      ['-c', serverCpu, process.execPath, new URL('offload-server.mjs', import.meta.url).pathname],
      {
        env: { ...process.env, MODE: mode, CONFIG: JSON.stringify(issuer.config) },
        stdio: ['ignore', 'pipe', 'inherit'],
      },
    );
    child.stdout.once('data', (data) => resolve({ child, port: JSON.parse(String(data)).port }));
    child.once('exit', (code) => reject(new Error(`${mode} server exited with ${code}`)));
  });
}

let next = 0;
function load(port, seconds) {
  return new Promise((resolve, reject) => {
    autocannon(
      {
        url: `http://127.0.0.1:${port}`,
        connections: 20,
        duration: seconds,
        overallRate: rate,
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
      },
      (err, result) => (err ? reject(err) : resolve(result)),
    );
  });
}
const stats = async (port) => (await fetch(`http://127.0.0.1:${port}/__stats`)).json();

const servers = { inline: await start('inline'), workers: await start('workers') };
const busyUs = { inline: [], workers: [] };
try {
  for (const { port } of Object.values(servers)) {
    await load(port, 2); // warm-up
  }
  for (let round = 0; round < 4; round++) {
    for (const [mode, { port }] of Object.entries(servers)) {
      await stats(port);
      const result = await load(port, 5);
      const { activeMs, answered } = await stats(port);
      if (result.non2xx > 0 || answered === 0) throw new Error(`${mode}: requests refused`);
      busyUs[mode].push((activeMs * 1000) / answered);
    }
  }
} finally {
  for (const { child } of Object.values(servers)) child.kill();
  await issuer.stop();
}
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const range = (xs) => `${Math.min(...xs).toFixed(1)}–${Math.max(...xs).toFixed(1)}`;
console.log(
  `${rate} req/s of unique tokens, main thread µs per request: inline ${median(busyUs.inline).toFixed(1)} (${range(busyUs.inline)}), one worker thread ${median(busyUs.workers).toFixed(1)} (${range(busyUs.workers)}); inline ÷ workers ${(median(busyUs.inline) / median(busyUs.workers)).toFixed(2)}`,
);
