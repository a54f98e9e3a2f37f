#!/usr/bin/env node
// Bundles the example's guarded Lambda handlers with every dependency in (esbuild, minified, as a
// Lambda deployment would), prints the size by package, and fails above the ceiling stated in the
// README. The ceiling guards against regressions; the 50 KB target is the performance issue's.
// The handlers use rule guards only, so the route-policy compiler must stay out of the bundle.

import { resolve } from 'node:path';
import { build } from 'esbuild';

const TARGET_BYTES = 50 * 1024;
const CEILING_BYTES = 88 * 1024;
const root = resolve(import.meta.dirname, '..');

const result = await build({
  entryPoints: [resolve(root, 'examples/lambda-movies/src/handlers.ts')],
  bundle: true,
  minify: true,
  platform: 'node',
  target: 'node20',
  format: 'esm',
  write: false,
  metafile: true,
  logLevel: 'error',
});
const bytes = result.outputFiles[0].contents.byteLength;
const byPackage = {};
for (const [file, info] of Object.entries(Object.values(result.metafile.outputs)[0].inputs)) {
  const dep = /node_modules\/(?:\.pnpm\/[^/]+\/node_modules\/)?((?:@[^/]+\/)?[^/]+)/.exec(file);
  const own = /packages\/([^/]+)\//.exec(file);
  const name = dep ? dep[1] : own ? `@cognito-guard/${own[1]}` : 'handler';
  byPackage[name] = (byPackage[name] ?? 0) + info.bytesInOutput;
}
const kb = (n) => `${(n / 1024).toFixed(1).padStart(6)} KB`;
console.log('bundle of the guarded example handlers (esbuild, minified, all dependencies in):');
for (const [name, size] of Object.entries(byPackage).sort((a, b) => b[1] - a[1])) {
  console.log(`  ${name.padEnd(24)} ${kb(size)}`);
}
console.log(`  ${'total'.padEnd(24)} ${kb(bytes)}`);
console.log(
  `  ${(bytes / TARGET_BYTES).toFixed(2)} × the 50 KB target; ceiling ${CEILING_BYTES / 1024} KB`,
);
const text = new TextDecoder().decode(result.outputFiles[0].contents);
if (text.includes("'route policy'") || text.includes('"route policy"')) {
  console.error('the route-policy compiler is in a bundle that uses rule guards only');
  process.exitCode = 1;
}
if (bytes > CEILING_BYTES) {
  console.error('bundle exceeds its ceiling');
  process.exitCode = 1;
}
