#!/usr/bin/env node
// The README's performance tables, generated from bench/results/bench.json (written by
// `pnpm bench`), between the `bench:begin` and `bench:end` markers. Never edit them by hand.
//   node scripts/bench-table.mjs          rewrite the README block
//   node scripts/bench-table.mjs --check  fail if the README block differs from bench.json

import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const root = join(import.meta.dirname, '..');
const readmeFile = join(root, 'README.md');
const bench = JSON.parse(readFileSync(join(root, 'bench/results/bench.json'), 'utf8'));
const BEGIN =
  '<!-- bench:begin (generated from bench/results/bench.json by scripts/bench-table.mjs) -->';
const END = '<!-- bench:end -->';

const fixed = (n, digits = 0) => Number(n).toFixed(digits);
const grouped = (n) => Math.round(n).toLocaleString('en-US');

function table(header, align, rows) {
  const cells = [header, ...rows].map((row) => row.map(String));
  const widths = header.map((_, i) => Math.max(3, ...cells.map((row) => row[i].length)));
  const line = (row) =>
    `| ${row.map((cell, i) => (align[i] === 'r' ? cell.padStart(widths[i]) : cell.padEnd(widths[i]))).join(' | ')} |`;
  const rule = `| ${widths.map((w, i) => (align[i] === 'r' ? `${'-'.repeat(w - 1)}:` : '-'.repeat(w))).join(' | ')} |`;
  return [line(cells[0]), rule, ...cells.slice(1).map(line)].join('\n');
}

function block() {
  const { settings, machine, http, micro, coldStart, memory, revocation, targets, openLoop } =
    bench;
  const crypto = micro['raw crypto.verify'];
  const lines = [
    `Measured with \`pnpm bench\` on ${machine}, ${bench.date.slice(0, 10)} (${settings.rounds} rounds × ${settings.seconds} s, \`-c ${settings.connections}\`, ${grouped(settings.uniqueTokens)} unique tokens).`,
    '',
    table(
      ['workload', 'contender', 'req/s', 'p50 ms', 'p99 ms', 'p99.9 ms', '× bare', 'cache hits'],
      ['l', 'l', 'r', 'r', 'r', 'r', 'r', 'r'],
      http.map((r) => [
        r.workload,
        r.contender,
        fixed(r.requestsPerSecond),
        r.p50,
        r.p99,
        r.p99_9,
        fixed(r.vsBare, 2),
        r.cacheHitRatio === undefined ? '—' : `${fixed(r.cacheHitRatio * 100, 2)} %`,
      ]),
    ),
    '',
    `Open loop: every contender offered the same fixed rate, ${grouped(Object.values(openLoop)[0].offered)} req/s on a repeated token (70 % of bare Express's closed-loop capacity above), ${settings.openLoopRounds} rounds × ${settings.openLoopSeconds} s; latencies counted from when each request was due, so queueing shows.`,
    '',
    table(
      ['contender', 'answered req/s', 'p50 ms', 'p99 ms', 'p99.9 ms', 'non-2xx'],
      ['l', 'r', 'r', 'r', 'r', 'r'],
      Object.entries(openLoop).map(([name, r]) => [
        name,
        fixed(r.requestsPerSecond),
        r.p50,
        r.p99,
        r.p99_9,
        r.non2xx,
      ]),
    ),
    '',
    table(
      ['micro-benchmark (in-process)', 'ops/s', '× raw `crypto.verify`'],
      ['l', 'r', 'r'],
      Object.entries(micro).map(([name, ops]) => [
        name,
        fixed(ops),
        name.startsWith('route') ? '—' : fixed(ops / crypto, 2),
      ]),
    ),
    ...offloadTable(bench.offload),
    '',
    `Lambda cold start (new process → import → first decision, keys fetched from loopback, both handlers bundled and minified; median of ${coldStart.runs} alternating runs): guarded ${fixed(coldStart.guardedMs, 1)} ms, bare aws-jwt-verify handler ${fixed(coldStart.bareMs, 1)} ms${validatedColdStart(coldStart)}. Cache memory: ${grouped(memory.total)} distinct tokens through the ${grouped(memory.maxEntries)}-entry cache cost ${fixed(memory.mbPer10kEntries, 1)} MB of live heap per 10,000 entries; resident memory ${fixed(memory.rssAtLimitMb, 1)} MB at the limit, ${fixed(memory.rssAtEndMb, 1)} MB at the end.`,
    '',
    typeof revocation === 'object'
      ? `Revocation (real redis-server on loopback): ${grouped(revocation.propagationMs.samples)} revocations written through one store reached another store's mirror in p50 ${fixed(revocation.propagationMs.p50, 2)} ms, p99 ${fixed(revocation.propagationMs.p99, 2)} ms (max ${fixed(revocation.propagationMs.max, 2)} ms); the HTTP contender's mirror held ${grouped(revocation.mirrorEntries)} entries; the mirror costs ${fixed(revocation.bytesPerEntry)} bytes per entry.`
      : `Revocation: ${revocation ?? 'not measured'}.`,
    '',
    pairedMethod(bench.settings),
    '',
    table(
      ['target', 'measured', 'goal', 'met'],
      ['l', 'r', 'r', 'l'],
      targets.map(([name, value, goal, range]) => {
        const lower = name.includes('lower is better');
        return [
          name,
          range
            ? `${fixed(value, 2)} (${fixed(range[0], 2)}–${fixed(range[1], 2)})`
            : fixed(value, 2),
          `${lower ? '≤' : '≥'} ${goal}`,
          (lower ? value <= goal : value >= goal) ? 'yes' : 'no',
        ];
      }),
    ),
    ...floorTable(bench.floors),
  ];
  return `${BEGIN}\n${lines.join('\n')}\n${END}`;
}

// How the run that wrote bench.json measured the paired targets: runs before the harness loaded
// the servers at once (no `pinning` setting) measured them back to back.
function pairedMethod({ pinning, pairedRounds, pairedSeconds, pairedWarmUpRounds }) {
  const which = `The targets below that compare two servers (a guard with its baseline on a repeated token; the guard with the hand-written middleware and with express-oauth2-jwt-bearer on both workloads)`;
  if (pinning === undefined) {
    return `${which} are measured paired: each server back to back with its baseline (the contenders that share a baseline, such as a guard and its framework's floor below, in the same rounds), the order rotated and turned round every round, ${pairedRounds} rounds of ${pairedSeconds} s; the median of the per-round ratios, with their range.`;
  }
  const where =
    typeof pinning === 'object'
      ? `the servers sharing CPU ${pinning.servers} and the load generators on CPU ${pinning.load}`
      : 'without CPU pinning (a single CPU, or no taskset)';
  return `${which} are measured with the contender and its baseline (and the contenders sharing that baseline, such as a guard and its framework's floor below) loaded at the same time, each by its own load generator, ${where}: whatever slows the machine slows them alike, and each serves at the rate its own cost per request allows. ${pairedRounds} rounds of ${pairedSeconds} s${warmUp(pairedWarmUpRounds)}; the median of the per-round ratios, with their range.`;
}

// Runs before the harness dropped a first round (no `pairedWarmUpRounds` setting) kept it.
const warmUp = (rounds) =>
  rounds
    ? ` after ${rounds === 1 ? 'one round' : `${rounds} rounds`} whose figures are dropped (warm-up)`
    : '';

// The bare handler that also validates its configuration with zod/mini, the validator this
// project is bound to. Runs from before the bench measured it have none.
function validatedColdStart({ validatedMs, bareMs }) {
  if (validatedMs === undefined) return '';
  return `; the bare handler that also validates its configuration with zod/mini at start ${fixed(validatedMs, 1)} ms (${fixed(validatedMs / bareMs, 2)} × bare)`;
}

// The miss path inline and in worker threads, as offload.mjs measures it. Runs from before the bench
// measured it have none.
function offloadTable(offload) {
  if (offload === undefined) return [];
  const where = (name, { workers }) =>
    `${name === 'oneCpu' ? 'one CPU' : 'every CPU'}, ${workers} worker thread${workers === 1 ? '' : 's'}`;
  return [
    '',
    "Verifying off the event loop: the core's miss path on the unique tokens above (a guard without its cache), inline and with `offload: verifyInWorkers({ threads })`, in alternating rounds (7 × 0.6 s, 64 tokens in flight, medians). The main thread's time per token is its event-loop utilisation: what a single process cannot add more of.",
    '',
    table(
      [
        'miss path',
        'inline ops/s',
        'in workers ops/s',
        'workers ÷ inline',
        'main thread µs per token, inline → workers',
      ],
      ['l', 'r', 'r', 'r', 'r'],
      Object.entries(offload).map(([name, r]) => [
        where(name, r),
        fixed(r.inline.opsPerSecond),
        fixed(r.offloaded.opsPerSecond),
        fixed(r.offloaded.opsPerSecond / r.inline.opsPerSecond, 2),
        `${fixed(r.inline.mainUsPerToken, 1)} → ${fixed(r.offloaded.mainUsPerToken, 1)}`,
      ]),
    ),
  ];
}

// What no guard on a framework can beat: the same framework with one middleware that only sets
// the two headers a guard sets on a pass. Runs from before the bench measured it have none.
function floorTable(floors) {
  if (!floors?.length) return [];
  const spread = (p) => `${fixed(p.median, 2)} (${fixed(p.min, 2)}–${fixed(p.max, 2)})`;
  // Runs from before the bench measured the hand-written caching guard have no such column.
  const cached = floors.some((f) => f.handCached);
  // Runs from before it was measured on Fastify and Hono had it on Express and Koa only.
  const where = floors.every((f) => f.handCached)
    ? 'On every framework'
    : 'Where the target is ≥ 0.95 (Express, Koa)';
  const slots = floors.every((f) => f.handCached)
    ? "`req.auth`, `ctx.state.auth`, `request.auth`, `c.get('auth')`"
    : '`req.auth`, `ctx.state.auth`';
  return [
    '',
    `Each framework's floor, measured in the same rounds as its guard: the framework with one middleware that only sets \`Cache-Control: private\` and \`Vary: Authorization\` (what any guard sets on a pass, through the same framework calls), ÷ bare. No guard on that framework can measure above its floor.`,
    ...(cached
      ? [
          '',
          `${where}, the same rounds also measure the least a caching guard can do, hand-written: the token sliced from the header, a \`Map\` lookup by its tail with a full comparison and an expiry check, aws-jwt-verify's \`verifySync\` on a miss, the group check, the principal where the framework's guards put it (${slots}) and the floor's two headers; a cache of as many entries as the guard's, the oldest dropped first; no checks for a duplicate header or an odd scheme, no decision record. It is the closest to bare a guard on that framework can come.`,
        ]
      : []),
    '',
    table(
      [
        'framework',
        'guard ÷ bare',
        'headers-only floor ÷ bare',
        'guard ÷ floor',
        ...(cached ? ['hand-written caching guard ÷ bare'] : []),
      ],
      ['l', 'r', 'r', 'r', ...(cached ? ['r'] : [])],
      floors.map((f) => [
        f.framework,
        spread(f.guarded),
        spread(f.floor),
        fixed(f.guardedOverFloor, 2),
        ...(cached ? [f.handCached ? spread(f.handCached) : '—'] : []),
      ]),
    ),
  ];
}

const readme = readFileSync(readmeFile, 'utf8');
const start = readme.indexOf(BEGIN);
const end = readme.indexOf(END);
if (start === -1 || end === -1) {
  console.error(`README.md has no ${BEGIN} … ${END} block`);
  process.exit(1);
}
const next = readme.slice(0, start) + block() + readme.slice(end + END.length);
if (process.argv.includes('--check')) {
  if (next !== readme) {
    console.error(
      'README.md performance tables differ from bench/results/bench.json: run node scripts/bench-table.mjs',
    );
    process.exit(1);
  }
  console.log('README performance tables match bench/results/bench.json');
} else {
  writeFileSync(readmeFile, next);
  console.log('README performance tables regenerated from bench/results/bench.json');
}
