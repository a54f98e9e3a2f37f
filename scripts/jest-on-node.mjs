#!/usr/bin/env node
// Every Jest suite again on another Node major (default 24, the current LTS), fetched once with
// `npx node@<major>` from the npm registry: Node's HTTP server, its fetch and its multipart parser
// change between majors (Node 24 reads multipart part names Node 20 refuses), and a guard's
// decisions must not. Coverage is measured by the main run on this Node, not here.
//
//   node scripts/jest-on-node.mjs [major]

import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { delimiter, dirname, join, resolve } from 'node:path';

const major = process.argv[2] ?? '24';
const root = resolve(import.meta.dirname, '..');

const found = spawnSync('npx', ['-y', `node@${major}`, '-p', 'process.execPath'], {
  encoding: 'utf8',
});
const node = found.stdout?.trim();
if (found.status !== 0 || !node) {
  console.error(`cannot fetch Node ${major} with npx: ${found.stderr ?? found.error}`);
  process.exit(1);
}
const version = spawnSync(node, ['-v'], { encoding: 'utf8' }).stdout.trim();
// Child processes a test starts by name (`node`, or a script whose shebang asks for it) run on
// the same Node as the test.
const env = { ...process.env, PATH: `${dirname(node)}${delimiter}${process.env.PATH}` };

const withTests = ['packages', 'tests', 'examples'].flatMap((group) =>
  readdirSync(join(root, group), { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .map((entry) => join(root, group, entry.name))
    .filter((dir) => {
      const manifest = join(dir, 'package.json');
      return existsSync(manifest) && JSON.parse(readFileSync(manifest, 'utf8')).scripts?.test;
    }),
);

const results = mkdtempSync(join(tmpdir(), 'cognito-guard-jest-'));
let passed = 0;
let failed = 0;
const failing = [];
for (const dir of withTests) {
  const jest = createRequire(join(dir, 'package.json')).resolve('jest/bin/jest');
  const outputFile = join(results, `${dir.replaceAll(/[\\/]/g, '_')}.json`);
  const { status } = spawnSync(
    node,
    [jest, '--silent', '--reporters=summary', '--json', `--outputFile=${outputFile}`],
    { cwd: dir, env, stdio: 'inherit' },
  );
  const result = existsSync(outputFile) ? JSON.parse(readFileSync(outputFile, 'utf8')) : undefined;
  passed += result?.numPassedTests ?? 0;
  failed += result?.numFailedTests ?? 0;
  if (status !== 0) failing.push(dir.slice(root.length + 1));
}
rmSync(results, { recursive: true, force: true });

console.log(`\njest on Node ${version}: ${passed} passed, ${failed} failed`);
if (failing.length > 0) console.log(`failed in: ${failing.join(', ')}`);
process.exit(failing.length > 0 || failed > 0 || passed === 0 ? 1 : 0);
