#!/usr/bin/env node
// The benchmark harness: every contender's server on loopback in its own process, driven by
// autocannon from another process, contenders alternated round by round (A B C … A B C …) so
// machine drift cancels out. Every figure is a ratio against a baseline measured in the same run.
//   pnpm bench            full run (about 30 minutes), results in bench/results/bench.json
//   pnpm bench --quick    smoke run for CI: same harness, seconds instead of minutes; no timing asserted

import { execFile, fork, spawn, spawnSync } from 'node:child_process';
import { once } from 'node:events';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { createTestIssuer, redisServerAvailable, startRedisServer } from '@cognito-guard/testing';
import { BUNDLE_TARGET_BYTES, measureBundle } from '../scripts/measure-bundle.mjs';
import { coldStart } from './coldstart.mjs';
import { microBenchmarks } from './micro.mjs';
import { revocationBench } from './revocation.mjs';
import { median } from './stats.mjs';

const quick = process.argv.includes('--quick');
const settings = quick
  ? {
      rounds: 1,
      seconds: 1,
      connections: 50,
      uniqueTokens: 1000,
      pairedRounds: 1,
      pairedSeconds: 1,
      openLoopRounds: 1,
      openLoopSeconds: 1,
    }
  : {
      rounds: 3,
      seconds: 6,
      connections: 50,
      uniqueTokens: 20_000,
      pairedRounds: 15,
      pairedSeconds: 4,
      openLoopRounds: 2,
      openLoopSeconds: 4,
    };
// The open-loop runs offer every contender the same fixed rate: this share of bare Express's
// capacity on a repeated token, measured in the closed-loop table of the same run.
const OPEN_LOOP_SHARE = 0.7;
const here = import.meta.dirname;
const CONTENDERS = [
  ['express-bare', 'express'],
  ['express-headers-middleware', 'express'],
  ['express-hand-cached', 'express'],
  ['express-hand-cached-vary-kept', 'express'],
  ['express-cognito-guard', 'express'],
  ['express-cognito-guard-offload', 'express'],
  ['express-cognito-guard-otel', 'express'],
  ['express-aws-jwt-verify', 'express'],
  ['express-oauth2-jwt-bearer', 'express'],
  ['express-jwt-jwks-rsa', 'express'],
  ['koa-bare', 'koa'],
  ['koa-headers-middleware', 'koa'],
  ['koa-hand-cached', 'koa'],
  ['koa-cognito-guard', 'koa'],
  ['koa-jwt-jwks-rsa', 'koa'],
  ['fastify-bare', 'fastify'],
  ['fastify-empty-hook', 'fastify'],
  ['fastify-headers-hook', 'fastify'],
  ['fastify-hand-cached', 'fastify'],
  ['fastify-cognito-guard', 'fastify'],
  ['hono-bare', 'hono'],
  ['hono-empty-middleware', 'hono'],
  ['hono-headers-middleware', 'hono'],
  ['hono-hand-cached', 'hono'],
  ['hono-cognito-guard', 'hono'],
];

// The ratios that are targets, measured paired (below): [contender, its baseline, workload].
const PAIRS = [
  ['express-cognito-guard', 'express-bare', 'repeated'],
  ['express-cognito-guard-otel', 'express-cognito-guard', 'repeated'],
  ['express-cognito-guard-revocation', 'express-cognito-guard', 'repeated'],
  ['koa-cognito-guard', 'koa-bare', 'repeated'],
  ['fastify-cognito-guard', 'fastify-bare', 'repeated'],
  ['hono-cognito-guard', 'hono-bare', 'repeated'],
  // Each framework's floor for a guard (see server.mjs), paired like the target it bounds.
  ['express-headers-middleware', 'express-bare', 'repeated'],
  ['koa-headers-middleware', 'koa-bare', 'repeated'],
  ['fastify-headers-hook', 'fastify-bare', 'repeated'],
  ['hono-headers-middleware', 'hono-bare', 'repeated'],
  // The least a caching guard can do on each framework, hand-written (server.mjs).
  ['express-hand-cached', 'express-bare', 'repeated'],
  ['express-hand-cached-vary-kept', 'express-bare', 'repeated'],
  ['koa-hand-cached', 'koa-bare', 'repeated'],
  ['fastify-hand-cached', 'fastify-bare', 'repeated'],
  ['hono-hand-cached', 'hono-bare', 'repeated'],
  ['express-cognito-guard', 'express-aws-jwt-verify', 'repeated'],
  ['express-cognito-guard', 'express-oauth2-jwt-bearer', 'repeated'],
  ['express-cognito-guard', 'express-aws-jwt-verify', 'unique'],
  ['express-cognito-guard', 'express-oauth2-jwt-bearer', 'unique'],
];
const log = (line) => process.stdout.write(`${line}\n`);

// Revocation needs a real Redis; without redis-server (and without REQUIRE_REDIS=1) its
// contender and figures are left out, and the report says so.
const redis = redisServerAvailable() ? await startRedisServer() : undefined;
let revocation;
if (redis) {
  const entries = quick ? 1_000 : 10_000;
  log(`revocation: ${entries} entries in Redis, then propagation between two stores…`);
  revocation = await revocationBench(redis.url, { quick, entries });
  CONTENDERS.splice(2, 0, ['express-cognito-guard-revocation', 'express']);
}

const pairName = (contender, baseline, mode) =>
  `${contender} ÷ ${baseline}${mode === 'repeated' ? '' : `, ${mode} tokens`}`;

const issuer = await createTestIssuer({
  userPoolId: 'local_bench',
  clientId: 'bench-client',
}).start();
const work = mkdtempSync(join(tmpdir(), 'cognito-guard-bench-'));
// One file per workload: a generator on the repeated token need not parse 20,000 others.
const tokensFiles = { repeated: join(work, 'repeated.json'), unique: join(work, 'unique.json') };
log(`minting ${settings.uniqueTokens} unique tokens…`);
writeFileSync(
  tokensFiles.repeated,
  JSON.stringify({
    repeated: issuer.accessToken({ username: 'alice', groups: ['movies-group'] }),
  }),
);
writeFileSync(
  tokensFiles.unique,
  JSON.stringify({
    unique: Array.from({ length: settings.uniqueTokens }, (_, i) =>
      issuer.accessToken({ username: `user${i}`, groups: ['movies-group'] }),
    ),
  }),
);

// Where it can (Linux, two CPUs or more, taskset), the harness keeps servers and load generators
// apart: every server on the last CPU, every generator on the others. A server then never
// competes with its own load for a core, and servers measured at the same time (the paired
// rounds below) share one core, so that whatever slows the machine slows them alike.
const pinning = cpuPinning();
function cpuPinning() {
  const count = cpus().length;
  if (count < 2 || spawnSync('taskset', ['-c', '0', 'true']).status !== 0) return undefined;
  return { servers: String(count - 1), load: count === 2 ? '0' : `0-${count - 2}` };
}
// The command and arguments that run node with `args` on `cpuList` (anywhere, without pinning).
function nodeOn(cpuList, args) {
  return pinning
    ? ['taskset', ['-c', cpuList, process.execPath, ...args]]
    : [process.execPath, args];
}

// #14 §2: the core's miss path on unique tokens, inline and in worker threads (offload.mjs), on
// the servers' CPU alone (the single-core case; workers inherit the pinning) and on every CPU.
// Asynchronous, since the study's guards fetch their keys from the issuer in this process.
function offloadStudy(cpuList, workers) {
  const study = JSON.stringify({
    config: issuer.config,
    tokensFile: tokensFiles.unique,
    workers,
    ms: quick ? 150 : 600,
    rounds: quick ? 1 : 7,
  });
  const args = [join(here, 'offload.mjs'), study];
  const [command, commandArgs] = cpuList ? nodeOn(cpuList, args) : [process.execPath, args];
  return new Promise((resolve, reject) => {
    execFile(command, commandArgs, (err, stdout, stderr) =>
      err ? reject(new Error(`offload.mjs failed: ${stderr}`)) : resolve(JSON.parse(stdout)),
    );
  });
}

function startServer(name) {
  return new Promise((resolve, reject) => {
    const child = spawn(...nodeOn(pinning?.servers, [join(here, 'server.mjs'), name]), {
      env: {
        ...process.env,
        ISSUER: issuer.issuer,
        JWKS_URI: issuer.jwksUri,
        USER_POOL_ID: issuer.userPoolId,
        CLIENT_ID: issuer.clientId,
        ...(redis ? { REDIS_URL: redis.url } : {}),
      },
      stdio: ['ignore', 'pipe', 'inherit', 'ipc'],
    });
    child.stdout.once('data', (data) => resolve({ child, port: JSON.parse(String(data)).port }));
    child.once('exit', (code) => reject(new Error(`${name} exited with ${code}`)));
  });
}

// Where each server's rotation of unique tokens goes on from: a round that started again at the
// first token would find the tokens of the last round still cached (a round of fewer requests
// than the cache holds), and time the cache instead of the miss path.
const rotation = {};

// A load generator, set up (its tokens read) but not started: `go()` starts it and resolves to
// its result.
async function loadGenerator(port, mode, seconds = settings.seconds, overallRate = undefined) {
  const child = spawn(...nodeOn(pinning?.load, [join(here, 'load.mjs')]), {
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const failed = new Promise((_, reject) =>
    child.once(
      'exit',
      (code) => code !== 0 && reject(new Error(`load generator exited with ${code}`)),
    ),
  );
  const reply = () => Promise.race([once(child, 'message').then(([message]) => message), failed]);
  const start = mode === 'unique' ? (rotation[port] ?? 0) : 0;
  child.send({
    url: `http://127.0.0.1:${port}`,
    tokensFile: tokensFiles[mode],
    mode,
    seconds,
    connections: settings.connections,
    start,
    overallRate,
  });
  await reply();
  return {
    async go() {
      child.send('go');
      const result = await reply();
      if (mode === 'unique') rotation[port] = start + result.handedOut;
      return result;
    },
  };
}

async function load(port, mode, seconds = settings.seconds, overallRate = undefined) {
  return (await loadGenerator(port, mode, seconds, overallRate)).go();
}

// PAIRS grouped by baseline and workload, leaving out contenders this run has no server for.
function pairGroups() {
  const groups = new Map();
  for (const [contender, baseline, mode] of PAIRS) {
    if (!servers[contender]) continue;
    const key = `${baseline} ${mode}`;
    if (!groups.has(key)) groups.set(key, { baseline, mode, contenders: [] });
    groups.get(key).contenders.push(contender);
  }
  return groups.values();
}

const servers = {};
for (const [name] of CONTENDERS) servers[name] = await startServer(name);

// The server's CPU time and this project's cache counters (`undefined` for other contenders).
function usage(name) {
  return new Promise((resolve) => {
    servers[name].child.once('message', resolve);
    servers[name].child.send('usage');
  });
}
const cacheCounts = {};

const http = {};
const paired = {};
const openLoop = {};
try {
  for (const mode of ['repeated', 'unique']) {
    const samples = Object.fromEntries(CONTENDERS.map(([name]) => [name, []]));
    for (let round = 1; round <= settings.rounds; round++) {
      for (const [name] of CONTENDERS) {
        const before = mode === 'unique' ? await usage(name) : undefined;
        const result = await load(servers[name].port, mode);
        samples[name].push(result);
        const after = before?.cache ? await usage(name) : undefined;
        if (after?.cache) {
          cacheCounts[name] ??= { hits: 0, misses: 0 };
          const counts = cacheCounts[name];
          counts.hits += after.cache.hits - before.cache.hits;
          counts.misses += after.cache.misses - before.cache.misses;
        }
        log(
          `${mode} round ${round} ${name}: ${Math.round(result.requestsPerSecond)} req/s, p99 ${result.p99} ms, non-2xx ${result.non2xx}`,
        );
      }
    }
    http[mode] = Object.fromEntries(
      Object.entries(samples).map(([name, results]) => [
        name,
        {
          requestsPerSecond: median(results.map((r) => r.requestsPerSecond)),
          p50: median(results.map((r) => r.p50)),
          p99: median(results.map((r) => r.p99)),
          p99_9: median(results.map((r) => r.p99_9)),
          non2xx: results.reduce((sum, r) => sum + r.non2xx + r.errors, 0),
        },
      ]),
    );
  }
  // A guard's cost on a repeated token is a few microseconds, and this machine's speed drifts by
  // more than that from one second to the next: two servers measured one after the other see
  // different machines. So each target ratio is measured with the contender and its baseline
  // (and any other contender sharing that baseline, such as a guard and its framework's floor)
  // loaded at the same time, each by its own generator, the servers sharing one core (see
  // cpuPinning): whatever slows the machine slows them alike, and each serves at the rate its
  // own cost per request allows. The median of the per-round ratios, with their range; and how
  // busy the servers kept their core, which says the servers, not the generators, set the pace.
  for (const { baseline, mode, contenders } of pairGroups()) {
    const members = [baseline, ...contenders];
    const ratios = Object.fromEntries(contenders.map((name) => [name, []]));
    const busy = [];
    // One round first whose figures are dropped: it pairs servers that have just compiled their
    // hot paths (the guards more of it than a bare server), and fell outside the other rounds'
    // range in most pairs of the runs that kept it.
    const warmUp = await Promise.all(
      members.map((name) => loadGenerator(servers[name].port, mode, settings.pairedSeconds)),
    );
    await Promise.all(warmUp.map((generator) => generator.go()));
    for (let round = 1; round <= settings.pairedRounds; round++) {
      const generators = await Promise.all(
        members.map((name) => loadGenerator(servers[name].port, mode, settings.pairedSeconds)),
      );
      const before = await Promise.all(members.map(usage));
      const results = await Promise.all(generators.map((generator) => generator.go()));
      const after = await Promise.all(members.map(usage));
      const rps = Object.fromEntries(
        members.map((name, i) => [name, results[i].requestsPerSecond]),
      );
      for (const name of contenders) ratios[name].push(rps[name] / rps[baseline]);
      const cpuSeconds = members.reduce(
        (sum, _, i) =>
          sum + (after[i].user + after[i].system - before[i].user - before[i].system) / 1e6,
        0,
      );
      busy.push(cpuSeconds / settings.pairedSeconds);
    }
    const serversCpu = median(busy);
    for (const name of contenders) {
      const measured = ratios[name];
      paired[pairName(name, baseline, mode)] = {
        ratios: measured,
        median: median(measured),
        min: Math.min(...measured),
        max: Math.max(...measured),
        rounds: measured.length,
        serversCpu,
      };
      log(
        `paired ${pairName(name, baseline, mode)}: median ${median(measured).toFixed(3)} (${measured.map((r) => r.toFixed(3)).join(' ')}); servers' core busy ${serversCpu.toFixed(2)}`,
      );
    }
  }
  // Closed-loop figures hide queueing: each connection waits for its answer before it asks
  // again, so a slow server is simply asked less. Offer every contender the same fixed rate
  // instead and read the latency tail.
  const rate = Math.round(OPEN_LOOP_SHARE * http.repeated['express-bare'].requestsPerSecond);
  const openSamples = Object.fromEntries(CONTENDERS.map(([name]) => [name, []]));
  for (let round = 1; round <= settings.openLoopRounds; round++) {
    for (const [name] of round % 2 ? CONTENDERS : [...CONTENDERS].reverse()) {
      openSamples[name].push(
        await load(servers[name].port, 'repeated', settings.openLoopSeconds, rate),
      );
    }
  }
  for (const [name, results] of Object.entries(openSamples)) {
    openLoop[name] = {
      offered: rate,
      requestsPerSecond: median(results.map((r) => r.requestsPerSecond)),
      p50: median(results.map((r) => r.p50)),
      p99: median(results.map((r) => r.p99)),
      p99_9: median(results.map((r) => r.p99_9)),
      non2xx: results.reduce((sum, r) => sum + r.non2xx + r.errors, 0),
    };
    log(
      `open loop at ${rate} req/s, ${name}: ${Math.round(openLoop[name].requestsPerSecond)} req/s, p50 ${openLoop[name].p50} ms, p99 ${openLoop[name].p99} ms, p99.9 ${openLoop[name].p99_9} ms`,
    );
  }
} finally {
  for (const { child } of Object.values(servers)) child.kill('SIGTERM');
}

log('bundle…');
const bundle = await measureBundle();
log('micro-benchmarks…');
const micro = await microBenchmarks(issuer, { quick });
log('verification off the event loop…');
const offload = {
  oneCpu: await offloadStudy(pinning?.servers, 1),
  everyCpu: await offloadStudy(undefined, cpus().length),
};
log('cold starts…');
const cold = await coldStart(issuer, { quick });
log('cache memory…');
const memory = await new Promise((resolve, reject) => {
  const child = fork(join(here, 'memory.mjs'), [String(quick ? 20_000 : 200_000), '10000'], {
    execArgv: ['--expose-gc'],
  });
  child.once('message', resolve);
  child.once('exit', (code) => code !== 0 && reject(new Error(`memory run exited with ${code}`)));
});
await issuer.stop();
await redis?.stop();
rmSync(work, { recursive: true, force: true });

// Ratios: each against its baseline from this same run.
const ratio = (a, b) => (b > 0 ? a / b : 0);
const rows = [];
for (const mode of ['repeated', 'unique']) {
  for (const [name, framework] of CONTENDERS) {
    const r = http[mode][name];
    const base = http[mode][`${framework}-bare`].requestsPerSecond;
    const counts = mode === 'unique' ? cacheCounts[name] : undefined;
    rows.push({
      workload: mode,
      contender: name,
      ...r,
      vsBare: ratio(r.requestsPerSecond, base),
      ...(counts ? { cacheHitRatio: ratio(counts.hits, counts.hits + counts.misses) } : {}),
    });
  }
}
// Each target from the issues that set it, with its goal; a ratio of small overheads on a repeated
// token comes from the paired runs, with its range.
const pairedTarget = (name, contender, baseline, goal, mode = 'repeated') => {
  const p = paired[pairName(contender, baseline, mode)];
  return p ? [[name, p.median, goal, [p.min, p.max]]] : [];
};
const targets = [
  ...pairedTarget(
    'Express, repeated token ÷ bare Express',
    'express-cognito-guard',
    'express-bare',
    0.95,
  ),
  ...pairedTarget('Koa, repeated token ÷ bare Koa', 'koa-cognito-guard', 'koa-bare', 0.95),
  ...pairedTarget(
    'Fastify, repeated token ÷ bare Fastify',
    'fastify-cognito-guard',
    'fastify-bare',
    0.93,
  ),
  ...pairedTarget('Hono, repeated token ÷ bare Hono', 'hono-cognito-guard', 'hono-bare', 0.93),
  ...pairedTarget(
    'Express with OpenTelemetry (SDK, no-op exporters) ÷ without, repeated token',
    'express-cognito-guard-otel',
    'express-cognito-guard',
    0.95,
  ),
  ...pairedTarget(
    'Express with revocation (Redis, mirror in sync) ÷ without, repeated token',
    'express-cognito-guard-revocation',
    'express-cognito-guard',
    0.95,
  ),
  ...pairedTarget(
    'Express, unique tokens ÷ hand-written aws-jwt-verify',
    'express-cognito-guard',
    'express-aws-jwt-verify',
    1.1,
    'unique',
  ),
  ...pairedTarget(
    'Express, unique tokens ÷ express-oauth2-jwt-bearer',
    'express-cognito-guard',
    'express-oauth2-jwt-bearer',
    1.1,
    'unique',
  ),
  ...pairedTarget(
    'Express, repeated token ÷ hand-written aws-jwt-verify',
    'express-cognito-guard',
    'express-aws-jwt-verify',
    1.5,
  ),
  ...pairedTarget(
    'Express, repeated token ÷ express-oauth2-jwt-bearer',
    'express-cognito-guard',
    'express-oauth2-jwt-bearer',
    1.5,
  ),
  ...(cacheCounts['express-cognito-guard']
    ? [
        [
          "guard's cache hit ratio, unique tokens (lower is better)",
          rows.find((r) => r.workload === 'unique' && r.contender === 'express-cognito-guard')
            .cacheHitRatio,
          0.01,
        ],
      ]
    : []),
  ...(revocation
    ? [['revocation propagation p99, ms (lower is better)', revocation.propagationMs.p99, 1000]]
    : []),
  [
    'core miss path ÷ aws-jwt-verify verifySync',
    ratio(micro['core miss (verify, no cache)'], micro['aws-jwt-verify verifySync (reference)']),
    1.0,
  ],
  [
    'core hit path ÷ raw crypto.verify',
    ratio(micro['core hit (cached)'], micro['raw crypto.verify']),
    20,
  ],
  [
    'Lambda cold start ÷ bare aws-jwt-verify handler (lower is better)',
    ratio(cold.guardedMs, cold.bareMs),
    1.05,
  ],
  ['cache memory per entry, KB (lower is better)', (memory.mbPer10kEntries * 1000) / 10_000, 2],
  [
    'guarded Lambda handler bundle, KB (lower is better)',
    bundle.bytes / 1024,
    BUNDLE_TARGET_BYTES / 1024,
  ],
];

// Each framework's floor beside its guarded figure: the headers-only middleware ÷ bare, paired,
// and where there is one, the hand-written caching guard ÷ bare.
const floors = [
  [
    'Express',
    'express-cognito-guard',
    'express-headers-middleware',
    'express-bare',
    'express-hand-cached',
  ],
  ['Koa', 'koa-cognito-guard', 'koa-headers-middleware', 'koa-bare', 'koa-hand-cached'],
  [
    'Fastify',
    'fastify-cognito-guard',
    'fastify-headers-hook',
    'fastify-bare',
    'fastify-hand-cached',
  ],
  ['Hono', 'hono-cognito-guard', 'hono-headers-middleware', 'hono-bare', 'hono-hand-cached'],
].flatMap(([framework, guarded, floor, bare, handCached]) => {
  const g = paired[pairName(guarded, bare, 'repeated')];
  const f = paired[pairName(floor, bare, 'repeated')];
  const c = handCached && paired[pairName(handCached, bare, 'repeated')];
  if (!g || !f) return [];
  const spread = (p) => ({ median: p.median, min: p.min, max: p.max });
  const row = {
    framework,
    guarded: spread(g),
    floor: spread(f),
    guardedOverFloor: g.median / f.median,
  };
  return [c ? { ...row, handCached: spread(c) } : row];
});

const machine = `${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}`;
const report = {
  date: new Date().toISOString(),
  machine,
  quick,
  settings: {
    ...settings,
    pinning: pinning ?? 'none',
    pairedWarmUpRounds: 1,
  },
  http: rows,
  micro,
  offload,
  coldStart: cold,
  memory,
  revocation: revocation ?? 'not measured: redis-server is not installed',
  paired,
  floors,
  openLoop,
  bundle: { bytes: bundle.bytes, byPackage: bundle.byPackage },
  targets,
};
mkdirSync(join(here, 'results'), { recursive: true });
const outFile = join(here, 'results', quick ? 'bench-quick.json' : 'bench.json');
writeFileSync(outFile, `${JSON.stringify(report, null, 2)}\n`);

const _pad = (s, n) => String(s).padEnd(n);
const num = (n, d = 0) => Number(n).toFixed(d);
log(
  `\nmachine: ${machine}; autocannon -c ${settings.connections}, ${settings.seconds} s × ${settings.rounds} rounds, alternating\n`,
);
log(
  `| workload | contender | req/s | p50 ms | p99 ms | p99.9 ms | × bare | non-2xx | cache hits |`,
);
log(`|---|---|---:|---:|---:|---:|---:|---:|---:|`);
for (const row of rows) {
  const hits = row.cacheHitRatio === undefined ? '—' : `${num(row.cacheHitRatio * 100, 2)} %`;
  log(
    `| ${row.workload} | ${row.contender} | ${num(row.requestsPerSecond)} | ${row.p50} | ${row.p99} | ${row.p99_9} | ${num(row.vsBare, 2)} | ${row.non2xx} | ${hits} |`,
  );
}
log(
  `\n| open loop, repeated token | offered req/s | answered req/s | p50 ms | p99 ms | p99.9 ms |`,
);
log(`|---|---:|---:|---:|---:|---:|`);
for (const [name, r] of Object.entries(openLoop)) {
  log(
    `| ${name} | ${r.offered} | ${num(r.requestsPerSecond)} | ${r.p50} | ${r.p99} | ${r.p99_9} |`,
  );
}
log(`\n| micro-benchmark | ops/s | × crypto.verify |`);
log(`|---|---:|---:|`);
for (const [name, ops] of Object.entries(micro)) {
  log(
    `| ${name} | ${num(ops)} | ${name.startsWith('route') ? '—' : num(ratio(ops, micro['raw crypto.verify']), 2)} |`,
  );
}
log(
  `\n| miss path on unique tokens | inline ops/s | in workers ops/s | workers ÷ inline | main thread µs per token, inline → in workers |`,
);
log(`|---|---:|---:|---:|---|`);
for (const [where, r] of Object.entries(offload)) {
  log(
    `| ${where === 'oneCpu' ? 'one CPU' : `every CPU (${cpus().length})`}, ${r.workers} worker${r.workers === 1 ? '' : 's'} | ${num(r.inline.opsPerSecond)} | ${num(r.offloaded.opsPerSecond)} | ${num(ratio(r.offloaded.opsPerSecond, r.inline.opsPerSecond), 2)} | ${num(r.inline.mainUsPerToken, 1)} → ${num(r.offloaded.mainUsPerToken, 1)} |`,
  );
}
log(
  `\ncold start (median of ${cold.runs}): guarded ${num(cold.guardedMs, 1)} ms, bare aws-jwt-verify ${num(cold.bareMs, 1)} ms, bare that validates its configuration with zod/mini ${num(cold.validatedMs, 1)} ms (${num(cold.validatedMs / cold.bareMs, 2)} × bare)`,
);
log(
  `cache memory: ${memory.total} tokens through a ${memory.maxEntries}-entry cache: ${num(memory.mbPer10kEntries, 1)} MB per 10k entries, ${num(memory.rssAtLimitMb, 1)} MB at the limit, ${num(memory.rssAtEndMb, 1)} MB at the end`,
);
if (revocation) {
  log(
    `revocation: propagation p50 ${num(revocation.propagationMs.p50, 2)} ms, p99 ${num(revocation.propagationMs.p99, 2)} ms (${revocation.propagationMs.samples} samples); mirror ${num(revocation.bytesPerEntry)} bytes per entry;`,
  );
}
log(`\n| target | measured | goal | met |`);
log(`|---|---:|---:|---|`);
for (const [name, value, goal, range] of targets) {
  const lowerIsBetter = name.includes('lower is better');
  const met = lowerIsBetter ? value <= goal : value >= goal;
  const spread = range ? ` (${num(range[0], 2)}–${num(range[1], 2)})` : '';
  log(
    `| ${name} | ${num(value, 2)}${spread} | ${lowerIsBetter ? '≤' : '≥'} ${goal} | ${met ? 'yes' : 'no'} |`,
  );
}
log(
  `\n| framework | guard ÷ bare | headers-only floor ÷ bare | guard ÷ floor | hand-written caching guard ÷ bare |`,
);
log(`|---|---:|---:|---:|---:|`);
const spreadText = (p) => (p ? `${num(p.median, 2)} (${num(p.min, 2)}–${num(p.max, 2)})` : '—');
for (const { framework, guarded, floor, guardedOverFloor, handCached } of floors) {
  log(
    `| ${framework} | ${spreadText(guarded)} | ${spreadText(floor)} | ${num(guardedOverFloor, 2)} | ${spreadText(handCached)} |`,
  );
}
log(
  `\nwritten to ${outFile}${quick ? ' (quick run: figures are a smoke test, not a measurement)' : ''}`,
);
const broken = rows.filter((row) => row.non2xx > 0);
if (broken.length) {
  log(`non-2xx answers from: ${broken.map((r) => `${r.workload}/${r.contender}`).join(', ')}`);
  process.exit(1);
}
