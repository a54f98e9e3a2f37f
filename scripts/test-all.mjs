#!/usr/bin/env node
// `pnpm test`: every check the project has, in order, with one summary line at the end.
// build → lint+format, typecheck, unit/integration tests (coverage) → the tests on Node 24 →
// package checks → demo.

import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';

const root = resolve(import.meta.dirname, '..');
const env = { ...process.env, TURBO_TELEMETRY_DISABLED: '1', FORCE_COLOR: '0' };
const resultFiles = ['packages', 'tests', 'examples'].flatMap((group) =>
  readdirSync(join(root, group), { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .map((entry) => join(root, group, entry.name, '.jest-results.json')),
);
for (const file of resultFiles) rmSync(file, { force: true });

const steps = [
  ['build', 'pnpm', ['exec', 'turbo', 'run', 'build', '--output-logs=errors-only']],
  [
    'lint, typecheck and tests',
    'pnpm',
    [
      'exec',
      'turbo',
      'run',
      'lint',
      'typecheck',
      'test',
      '--concurrency=1',
      '--output-logs=new-only',
    ],
  ],
  ['every Jest suite on Node 24 (the current LTS)', 'node', ['scripts/jest-on-node.mjs', '24']],
  ['package checks', 'node', ['scripts/check-packages.mjs']],
  ['Lambda bundle size', 'node', ['scripts/bundle-size.mjs']],
  [
    'README performance tables = bench/results/bench.json',
    'node',
    ['scripts/bench-table.mjs', '--check'],
  ],
  ['soak (--quick)', 'node', ['bench/soak.mjs', '--quick']],
  ['bench (--quick, no timing asserted)', 'node', ['bench/run.mjs', '--quick']],
  ['offload in a server (--quick)', 'node', ['bench/offload-http.mjs', '--quick']],
  ['a miss in a server (--quick)', 'node', ['bench/miss-in-server.mjs', '--quick']],
  ['Lambda example (local invocations)', 'node', ['examples/lambda-movies/dist/local.js']],
  [
    'Lambda example on Node 22 (the SAM runtime)',
    'npx',
    ['-y', 'node@22', 'examples/lambda-movies/dist/local.js'],
  ],
];
if (existsSync(join(root, 'examples/demo/run.mjs'))) {
  steps.push(['demo (--once, policy.json)', 'node', ['examples/demo/run.mjs', '--once']]);
  steps.push([
    'demo (--once, inline guards)',
    'node',
    ['examples/demo/run.mjs', '--once', '--inline'],
  ]);
}

const failed = [];
for (const [label, cmd, args] of steps) {
  console.log(`\n=== ${label} ===`);
  const started = Date.now();
  const { status } = spawnSync(cmd, args, { cwd: root, env, stdio: 'inherit' });
  console.log(
    `=== ${label}: ${status === 0 ? 'ok' : `FAILED (exit ${status})`} in ${((Date.now() - started) / 1000).toFixed(1)} s`,
  );
  if (status !== 0) failed.push(label);
}

let passed = 0;
let failedTests = 0;
for (const file of resultFiles) {
  if (!existsSync(file)) continue;
  const result = JSON.parse(readFileSync(file, 'utf8'));
  passed += result.numPassedTests;
  failedTests += result.numFailedTests;
}
console.log(`\nsteps failed: ${failed.length ? failed.join(', ') : 'none'}`);
console.log(`jest: ${passed} passed, ${failedTests} failed`);
process.exit(failed.length || failedTests || passed === 0 ? 1 : 0);
