// The local-Cognito recipe of the README, run for real: cognito-local on a loopback port, this
// folder's seed script, and the Express example app guarded by the environment it prints.

import { type ChildProcess, spawn } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { ConfigError, configFromEnv } from '@cognito-guard/core';
import { cognitoGuard } from '@cognito-guard/express';
import { freeLoopbackPort, startOnFreePort } from '@cognito-guard/testing';
import request from 'supertest';
import { createApp } from '../../express-movies/src/app';

const SEED = join(__dirname, '..', 'seed.mjs');

/** Starts cognito-local on `port`; rejects with its output when it cannot. */
function launchEmulator(folder: string, port: number): Promise<ChildProcess> {
  const pkg = require.resolve('cognito-local/package.json');
  const { bin } = JSON.parse(readFileSync(pkg, 'utf8')) as { bin: string };
  const emulator = spawn(process.execPath, [join(dirname(pkg), bin)], {
    cwd: folder,
    env: { ...process.env, PORT: String(port), HOST: 'localhost' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  return new Promise((resolve, reject) => {
    let output = '';
    const timer = setTimeout(() => {
      emulator.kill();
      reject(new Error(`cognito-local did not start:\n${output}`));
    }, 15_000);
    emulator.stdout?.on('data', (chunk: Buffer) => {
      output += chunk;
      if (output.includes('Cognito Local running')) {
        clearTimeout(timer);
        resolve(emulator);
      }
    });
    emulator.stderr?.on('data', (chunk: Buffer) => {
      output += chunk;
    });
    emulator.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`cognito-local exited with ${code}:\n${output}`));
    });
  });
}

/**
 * Starts cognito-local on a free loopback port, on another when another test file's server took
 * it first. The port cannot be left to the system: the emulator writes it into every token's
 * issuer.
 */
async function startEmulator(folder: string): Promise<{ emulator: ChildProcess; url: string }> {
  const { port, started } = await startOnFreePort(
    (port) => launchEmulator(folder, port),
    (err) => String(err).includes('EADDRINUSE'),
  );
  return { emulator: started, url: `http://localhost:${port}` };
}

function run(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk;
    });
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk;
    });
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

function exportsOf(stdout: string): Record<string, string> {
  return Object.fromEntries(
    stdout
      .trim()
      .split('\n')
      .map((line) => /^export ([A-Z_]+)=(.+)$/.exec(line)?.slice(1, 3) as [string, string]),
  );
}

describe('cognito-local recipe', () => {
  let emulator: ChildProcess;
  let url: string;
  let folder: string;
  let env: Record<string, string>;

  beforeAll(async () => {
    // A folder of its own: cognito-local keeps its database under the working directory.
    folder = mkdtempSync(join(tmpdir(), 'cognito-local-'));
    cpSync(
      join(__dirname, '..', '.cognito', 'config.json'),
      join(folder, '.cognito', 'config.json'),
    );
    ({ emulator, url } = await startEmulator(folder));
    const seeded = await run([SEED, url]);
    expect(seeded.stderr).toBe('');
    expect(seeded.code).toBe(0);
    env = exportsOf(seeded.stdout);
  }, 30_000);

  afterAll(() => {
    emulator?.kill();
    rmSync(folder, { recursive: true, force: true });
  });

  it('prints the pool, the client, the exact issuer and a token per user', () => {
    expect(env['COGNITO_USER_POOL_ID']).toMatch(/^local_\w+$/);
    expect(env['COGNITO_ISSUER']).toBe(`${url}/${env['COGNITO_USER_POOL_ID']}`);
    expect(env['COGNITO_TOKEN_USE']).toBe('access');
    expect(env['ALICE_TOKEN']?.split('.')).toHaveLength(3);
    expect(env['BOB_TOKEN']?.split('.')).toHaveLength(3);
  });

  it('guards the Express example with the printed environment: groups decide', async () => {
    const app = createApp(cognitoGuard(configFromEnv(env)), 'policy');
    const alice = `Bearer ${env['ALICE_TOKEN']}`;
    const bob = `Bearer ${env['BOB_TOKEN']}`;
    const movies = await request(app).get('/movies').set('Authorization', alice);
    expect(movies.status).toBe(200);
    expect(movies.body.user).toBe('alice');
    expect((await request(app).get('/shows').set('Authorization', alice)).status).toBe(403);
    expect((await request(app).get('/shows/1').set('Authorization', bob)).status).toBe(200);
    expect((await request(app).get('/movies').set('Authorization', bob)).status).toBe(403);
    expect((await request(app).get('/movies')).status).toBe(401);
  });

  it('refuses every token when COGNITO_ISSUER names the same host another way', async () => {
    const issuer = (env['COGNITO_ISSUER'] as string).replace('localhost', '127.0.0.1');
    const app = createApp(
      cognitoGuard(configFromEnv({ ...env, COGNITO_ISSUER: issuer })),
      'policy',
    );
    const answer = await request(app)
      .get('/movies')
      .set('Authorization', `Bearer ${env['ALICE_TOKEN']}`);
    expect(answer.status).toBe(401);
    expect(answer.headers['www-authenticate']).toContain('error="invalid_token"');
  });

  it("refuses at start-up a pool id that is not the issuer's, naming both variables", () => {
    const mismatch = { ...env, COGNITO_USER_POOL_ID: 'local_other' };
    expect(() => cognitoGuard(configFromEnv(mismatch))).toThrow(ConfigError);
    expect(() => cognitoGuard(configFromEnv(mismatch))).toThrow(
      /COGNITO_USER_POOL_ID[\s\S]*COGNITO_ISSUER|COGNITO_ISSUER[\s\S]*COGNITO_USER_POOL_ID/,
    );
  });

  it('says what to do when cognito-local is not running', async () => {
    const closed = await freeLoopbackPort();
    const result = await run([SEED, `http://127.0.0.1:${closed}`]);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(`cognito-local is not answering at http://127.0.0.1:${closed}`);
  });
});
