#!/usr/bin/env node
// Soak test: the Express movies API under sustained mixed traffic on loopback, for a bounded time.
// The server runs here; the load comes from a child process (soak-client.mjs) so that the
// server's event loop and memory are measured alone. Every response is checked against the
// status it must have. Fails on any wrong decision, any 5xx, or resident-memory growth after
// warm-up beyond the bound.
//
//   node bench/soak.mjs                     60 s, 10,000 users (pnpm soak)
//   node bench/soak.mjs --quick             10 s, 1,000 users (CI)
//   node bench/soak.mjs --seconds 30 --users 5000 --connections 32

import { fork } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { cognitoGuard, createApp } from '@cognito-guard/example-express-movies';
import { createTestIssuer } from '@cognito-guard/testing';

const args = process.argv.slice(2);
const quick = args.includes('--quick');
const option = (name, fallback) => {
  const i = args.indexOf(`--${name}`);
  return i === -1 ? fallback : Number(args[i + 1]);
};
const seconds = option('seconds', quick ? 10 : 60);
const userCount = option('users', quick ? 1000 : 10_000);
const connections = option('connections', 32);
const RSS_BOUND_MB = 48;

const issuer = await createTestIssuer({
  userPoolId: 'local_soak',
  clientId: 'soak-client',
}).start();
const guard = cognitoGuard(issuer.config);
await guard.ready();
const server = createApp(guard, 'policy').listen(0, '127.0.0.1');
await new Promise((resolve) => server.once('listening', resolve));

// Users: a quarter in each group combination; most tokens valid, some expired or forged.
const groupSets = [['movies-group'], ['shows-group'], ['movies-group', 'shows-group'], []];
const users = [];
for (let i = 0; i < userCount; i++) {
  const groups = groupSets[i % 4];
  const roll = i % 20;
  const kind =
    roll === 0 ? 'expired' : roll === 1 ? 'forged' : roll === 2 ? 'foreign-key' : 'valid';
  const options = { username: `user${i}`, groups };
  const token =
    kind === 'valid'
      ? issuer.accessToken(options)
      : issuer.brokenToken(kind === 'forged' ? 'tampered' : kind, options);
  users.push({ token, groups, kind });
}

const loop = monitorEventLoopDelay({ resolution: 10 });
loop.enable();
const rssSamples = [];
const sampler = setInterval(() => rssSamples.push(process.memoryUsage().rss), 500);

const client = fork(join(dirname(new URL(import.meta.url).pathname), 'soak-client.mjs'), [], {
  stdio: 'inherit',
});
client.send({ port: server.address().port, users, seconds, connections });
const result = await new Promise((resolve, reject) => {
  client.once('message', resolve);
  client.once('exit', (code) => code !== 0 && reject(new Error(`soak client exited with ${code}`)));
});
clearInterval(sampler);
loop.disable();
server.close();
await issuer.stop();

const warm = rssSamples.slice(Math.floor(rssSamples.length * 0.25));
const mb = (bytes) => bytes / 1024 / 1024;
const growthMb = warm.length > 1 ? mb(Math.max(...warm) - warm[0]) : 0;
const report = {
  seconds,
  users: userCount,
  connections,
  requests: result.requests,
  requestsPerSecond: Math.round(result.requests / seconds),
  wrongDecisions: result.mismatches,
  serverErrors: result.serverErrors,
  statuses: result.statuses,
  rssAfterWarmupMb: Number(mb(warm[0] ?? 0).toFixed(1)),
  rssMaxMb: Number(mb(Math.max(...rssSamples)).toFixed(1)),
  rssGrowthAfterWarmupMb: Number(growthMb.toFixed(1)),
  rssBoundMb: RSS_BOUND_MB,
  eventLoopDelayP99Ms: Number((loop.percentile(99) / 1e6).toFixed(2)),
  eventLoopDelayMaxMs: Number((loop.max / 1e6).toFixed(2)),
  cacheEntries: guard.guard.verifier.cacheSize,
  examples: result.examples,
};
const outFile = join(
  dirname(new URL(import.meta.url).pathname),
  'results',
  quick ? 'soak-quick.json' : 'soak.json',
);
mkdirSync(dirname(outFile), { recursive: true });
writeFileSync(outFile, `${JSON.stringify(report, null, 2)}\n`);

console.log(`soak: ${seconds} s, ${userCount} users, ${connections} connections, loopback`);
console.log(`  requests            ${report.requests} (${report.requestsPerSecond}/s)`);
console.log(`  statuses            ${JSON.stringify(report.statuses)}`);
console.log(`  wrong decisions     ${report.wrongDecisions}`);
console.log(`  5xx                 ${report.serverErrors}`);
console.log(
  `  RSS after warm-up   ${report.rssAfterWarmupMb} MB, max ${report.rssMaxMb} MB, growth ${report.rssGrowthAfterWarmupMb} MB (bound ${RSS_BOUND_MB} MB)`,
);
console.log(
  `  event-loop delay    p99 ${report.eventLoopDelayP99Ms} ms, max ${report.eventLoopDelayMaxMs} ms`,
);
console.log(`  written to          ${outFile}`);
const failures = [];
if (report.requests === 0) failures.push('no requests completed');
if (report.wrongDecisions > 0)
  failures.push(
    `${report.wrongDecisions} wrong decisions, e.g. ${JSON.stringify(report.examples)}`,
  );
if (report.serverErrors > 0) failures.push(`${report.serverErrors} responses were 5xx`);
if (growthMb > RSS_BOUND_MB) failures.push(`RSS grew ${growthMb.toFixed(1)} MB after warm-up`);
if (failures.length) {
  console.error(`soak FAILED: ${failures.join('; ')}`);
  process.exit(1);
}
console.log('soak: 0 wrong decisions, 0 5xx, memory within bound');
