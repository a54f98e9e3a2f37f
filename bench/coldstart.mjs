// Lambda cold start: new process → import → first decision, keys fetched from a loopback JWKS,
// for this project's guarded handler and for a bare aws-jwt-verify handler, both bundled and
// minified with esbuild as a deployment would be. Alternating runs, medians.

import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { build } from 'esbuild';
import { median } from './stats.mjs';

const GUARDED = `
import { cognitoGuard } from '@cognito-guard/lambda';
const guard = cognitoGuard(JSON.parse(process.env.CONFIG));
await guard.ready();
const handler = guard.requireGroups('movies-group')(async () => ({ statusCode: 200, body: 'ok' }));
const res = await handler({ version: '2.0', rawPath: '/movies', headers: { authorization: 'Bearer ' + process.env.TOKEN }, requestContext: { http: { method: 'GET' } } }, {});
if (res.statusCode !== 200) throw new Error('denied');
`;

const BARE = `
import { JwtVerifier } from 'aws-jwt-verify';
import { validateCognitoJwtFields } from 'aws-jwt-verify/cognito-verifier';
const config = JSON.parse(process.env.CONFIG);
const verifier = JwtVerifier.create({ issuer: config.issuer, audience: null, jwksUri: config.jwksUri,
  customJwtCheck: ({ payload }) => validateCognitoJwtFields(payload, { tokenUse: 'access', clientId: config.clientId, groups: 'movies-group' }) });
// aws-jwt-verify's own fetcher speaks https only; load the loopback JWKS with node:http, as cheaply as it can be done.
import { get } from 'node:http';
const jwks = await new Promise((resolve, reject) => get(config.jwksUri, (res) => { let body = ''; res.on('data', (c) => { body += c; }); res.on('end', () => resolve(JSON.parse(body))); }).on('error', reject));
verifier.cacheJwks(jwks);
const handler = async (event) => { try { await verifier.verify(event.headers.authorization.slice(7)); return { statusCode: 200 }; } catch { return { statusCode: 403 }; } };
const res = await handler({ headers: { authorization: 'Bearer ' + process.env.TOKEN } });
if (res.statusCode !== 200) throw new Error('denied');
`;

// The bare handler that also checks its configuration at start, as the brief asks of every
// service, with zod/mini, the validator this project is bound to: the part of the guard's cold
// start that any handler validating its configuration with that library pays.
const VALIDATED = `
import * as z from 'zod/mini';
const shape = z.strictObject({ userPoolId: z.string(), clientId: z.optional(z.union([z.string(), z.array(z.string())])), tokenUse: z.optional(z.enum(['id', 'access'])), issuer: z.optional(z.string()), jwksUri: z.optional(z.string()) });
const checked = shape.safeParse(JSON.parse(process.env.CONFIG));
if (!checked.success) throw new Error('bad configuration');
${BARE}`;

async function bundle(dir, name, source) {
  const entry = join(dir, `${name}.src.mjs`);
  writeFileSync(entry, source);
  const outfile = join(dir, `${name}.mjs`);
  await build({
    entryPoints: [entry],
    bundle: true,
    minify: true,
    platform: 'node',
    target: 'node20',
    format: 'esm',
    outfile,
    logLevel: 'error',
    nodePaths: [join(import.meta.dirname, 'node_modules')],
  });
  return outfile;
}

// Asynchronous on purpose: the loopback JWKS server lives in this process and must keep answering.
function timeRun(file, env) {
  return new Promise((resolve, reject) => {
    const start = process.hrtime.bigint();
    const child = spawn(process.execPath, [file], {
      env: { ...process.env, ...env },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (chunk) => {
      stderr += chunk;
    });
    child.once('exit', (status) => {
      if (status !== 0) reject(new Error(`${file} failed: ${stderr}`));
      else resolve(Number(process.hrtime.bigint() - start) / 1e6);
    });
  });
}

/** Measures both cold starts `runs` times each, alternating. */
export async function coldStart(issuer, { quick }) {
  const dir = mkdtempSync(join(import.meta.dirname, '.cold-'));
  const files = {
    guarded: await bundle(dir, 'guarded', GUARDED),
    bare: await bundle(dir, 'bare', BARE),
    validated: await bundle(dir, 'validated', VALIDATED),
  };
  const env = {
    CONFIG: JSON.stringify(issuer.config),
    TOKEN: issuer.accessToken({ groups: ['movies-group'] }),
  };
  const samples = { guarded: [], bare: [], validated: [] };
  const runs = quick ? 3 : 41;
  for (let i = 0; i < runs; i++) {
    samples.bare.push(await timeRun(files.bare, env));
    samples.guarded.push(await timeRun(files.guarded, env));
    samples.validated.push(await timeRun(files.validated, env));
  }
  rmSync(dir, { recursive: true, force: true });
  return {
    guardedMs: median(samples.guarded),
    bareMs: median(samples.bare),
    validatedMs: median(samples.validated),
    runs,
  };
}
