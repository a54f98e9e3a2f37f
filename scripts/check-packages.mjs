#!/usr/bin/env node
// Packs every publishable package and proves, on the tarballs users would get, that
// `import` works, `require` works, publint finds no error and the types resolve (attw).

import { execFileSync } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { publint } from 'publint';
import { formatMessage } from 'publint/utils';

const root = resolve(import.meta.dirname, '..');
const packDir = join(root, '.pack');
const packages = readdirSync(join(root, 'packages')).map((dir) => {
  const path = join(root, 'packages', dir);
  return { path, manifest: JSON.parse(readFileSync(join(path, 'package.json'), 'utf8')) };
});

rmSync(packDir, { recursive: true, force: true });
mkdirSync(packDir, { recursive: true });
const run = (cmd, args, cwd) =>
  execFileSync(cmd, args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });

let failures = 0;
const tarballs = {};
for (const { path, manifest } of packages) {
  const out = run('pnpm', ['pack', '--pack-destination', packDir], path).trim().split('\n').pop();
  tarballs[manifest.name] = out;
  // Each npm page shows the package's README; each tarball carries the licence it declares.
  const listed = run('tar', ['-tzf', out], root).split('\n');
  for (const file of ['package/README.md', 'package/LICENSE']) {
    if (!listed.includes(file)) {
      console.error(
        `pack ${manifest.name}: ${file.slice('package/'.length)} missing from the tarball`,
      );
      failures++;
    }
  }
  const { messages, pkg } = await publint({ pkgDir: path, strict: true, pack: 'pnpm' });
  const errors = messages.filter((m) => m.type === 'error' || m.type === 'warning');
  for (const message of errors)
    console.error(`publint ${manifest.name}: ${formatMessage(message, pkg)}`);
  failures += errors.length;
  try {
    run(
      join(root, 'node_modules', '.bin', 'attw'),
      [out, '--profile', 'node16', '--no-color'],
      root,
    );
  } catch (err) {
    console.error(`attw ${manifest.name}:\n${err.stdout ?? err.message}`);
    failures++;
  }
}

// A consumer project that installs the tarballs, as a user would: with each package's peers (the
// framework it adapts, and optional ones such as @opentelemetry/api, which the subpath importing
// it needs: every entry point is loaded below).
const peers = {};
for (const { manifest } of packages) {
  for (const [name, range] of Object.entries(manifest.peerDependencies ?? {})) {
    if (!name.startsWith('@cognito-guard/')) peers[name] = range;
  }
}
const consumer = join(packDir, 'consumer');
mkdirSync(consumer);
writeFileSync(
  join(consumer, 'package.json'),
  JSON.stringify({
    name: 'consumer',
    private: true,
    dependencies: {
      ...peers,
      ...Object.fromEntries(Object.entries(tarballs).map(([name, file]) => [name, `file:${file}`])),
    },
    pnpm: {
      overrides: Object.fromEntries(
        Object.entries(tarballs).map(([name, file]) => [name, `file:${file}`]),
      ),
    },
  }),
);
run(
  'pnpm',
  ['install', '--prefer-offline', '--config.auto-install-peers=false', '--ignore-workspace'],
  consumer,
);

// Every entry point, subpath exports included (read from each package's exports map).
const names = Object.keys(tarballs).flatMap((name) => {
  const manifest = JSON.parse(
    readFileSync(join(consumer, 'node_modules', name, 'package.json'), 'utf8'),
  );
  return Object.keys(manifest.exports ?? { '.': null })
    .filter((key) => key !== './package.json')
    .map((key) => (key === '.' ? name : `${name}/${key.slice(2)}`));
});
writeFileSync(
  join(consumer, 'esm.mjs'),
  `${names
    .map(
      (n, i) =>
        `import * as m${i} from '${n}';\nif (Object.keys(m${i}).length === 0) throw new Error('${n}: empty ESM exports');`,
    )
    .join('\n')}\nconsole.log('import ok');\n`,
);
writeFileSync(
  join(consumer, 'cjs.cjs'),
  `${names
    .map(
      (n) =>
        `if (Object.keys(require('${n}')).length === 0) throw new Error('${n}: empty CJS exports');`,
    )
    .join('\n')}\nconsole.log('require ok');\n`,
);
// The guarded path must work from the installed packages too, not only from sources.
// `verifyInWorkers` finds its worker's script beside itself, in each format's build.
const OFFLOADED = `async function offloaded({ verifyInWorkers }, issuer) {
  const offload = verifyInWorkers({ threads: 1 });
  const guard = createGuard({ ...issuer.config, offload });
  await guard.ready();
  const token = issuer.accessToken({ groups: ['movies-group'] });
  const decision = await guard.check({ method: 'GET', path: '/', headers: { authorization: 'Bearer ' + token } }, requireGroups('movies-group'));
  await offload.close();
  if (!decision.allowed || offload.stats().inWorkers !== 1) throw new Error('not verified in a worker');
}`;
writeFileSync(
  join(consumer, 'smoke.cjs'),
  `const { createTestIssuer } = require('@cognito-guard/testing');
const { createGuard, requireGroups } = require('@cognito-guard/core');
(async () => {
  const issuer = await createTestIssuer().start();
  const guard = createGuard(issuer.config);
  const token = issuer.accessToken({ groups: ['movies-group'] });
  const ok = await guard.check({ method: 'GET', path: '/', headers: { authorization: 'Bearer ' + token } }, requireGroups('movies-group'));
  const no = await guard.check({ method: 'GET', path: '/', headers: {} }, requireGroups('movies-group'));
  await offloaded(require('@cognito-guard/core/offload'), issuer);
  await issuer.stop();
  if (!ok.allowed || no.status !== 401) throw new Error('unexpected decisions');
  // Subpaths share the root's modules: one AuthError class, whichever entry built the error.
  const { toAuthError } = require('@cognito-guard/core/advanced');
  const { AuthError } = require('@cognito-guard/core');
  if (!(toAuthError(new Error('x'), 'api') instanceof AuthError)) throw new Error('two AuthError classes');
  console.log('guarded request ok');
})().catch((e) => { console.error(e); process.exit(1); });
${OFFLOADED}
`,
);
writeFileSync(
  join(consumer, 'offload.mjs'),
  `import { createTestIssuer } from '@cognito-guard/testing';
import { createGuard, requireGroups } from '@cognito-guard/core';
import * as offload from '@cognito-guard/core/offload';
const issuer = await createTestIssuer().start();
await offloaded(offload, issuer);
await issuer.stop();
console.log('verified in a worker');
${OFFLOADED}
`,
);
// Every consumer file on this Node, then on Node 22: the SAM templates target nodejs22.x, so the
// installed packages must load and guard there too. npx fetches Node 22 from the npm registry (the
// `node` package), once per machine.
function runConsumers(where, command, args) {
  for (const file of ['esm.mjs', 'cjs.cjs', 'smoke.cjs', 'offload.mjs']) {
    try {
      console.log(`${file}${where}: ${run(command, [...args, file], consumer).trim()}`);
    } catch (err) {
      console.error(`${file}${where} failed:\n${err.stderr}`);
      failures++;
    }
  }
}
runConsumers('', 'node', []);
runConsumers(' on Node 22', 'npx', ['-y', 'node@22']);

for (const name of Object.keys(tarballs)) console.log(`packed ${name}`);
if (failures > 0) {
  console.error(`package checks: ${failures} problem(s)`);
  process.exit(1);
}
console.log(
  `package checks: ${Object.keys(tarballs).length} packages packed; ${names.length} entry points imported and required; publint and attw clean`,
);
