// Two real app processes (Express in one, Koa in the other), each with its own guard, sharing
// one Redis: a sign-out or logout through instance A is denied by instance B, and by B again
// after B restarts (the denylist lives in Redis). Waits generously; no timing is asserted (the
// bench measures propagation time).

import { type ChildProcess, spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import {
  createTestIssuer,
  type RedisServer,
  redisServerAvailable,
  startRedisServer,
  type TestIssuer,
} from '@cognito-guard/testing';
import { pollUntil } from './support/poll';

interface Instance {
  readonly url: string;
  stop(): Promise<void>;
}

function startInstance(
  framework: 'express' | 'koa',
  env: Record<string, string>,
): Promise<Instance> {
  const child: ChildProcess = spawn(
    process.execPath,
    [join(__dirname, 'fixtures/instance.mjs'), framework],
    {
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let output = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    output += chunk.toString();
  });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`${framework} instance did not start:\n${output}`)),
      20_000,
    );
    child.once('exit', (code) =>
      reject(new Error(`${framework} instance exited with ${code}:\n${output}`)),
    );
    child.stdout?.on('data', (chunk: Buffer) => {
      const port = /listening (\d+)/.exec(chunk.toString())?.[1];
      if (port === undefined) return;
      clearTimeout(timer);
      resolve({
        url: `http://127.0.0.1:${port}`,
        stop: () =>
          new Promise((done) => {
            child.once('exit', () => done());
            child.kill('SIGTERM');
          }),
      });
    });
  });
}

(redisServerAvailable() ? describe : describe.skip)(
  'revocation across instances (two processes, one Redis)',
  () => {
    let redis: RedisServer;
    let issuer: TestIssuer;
    let env: Record<string, string>;
    const instances: Instance[] = [];
    beforeAll(async () => {
      [redis, issuer] = await Promise.all([startRedisServer(), createTestIssuer().start()]);
      env = {
        INSTANCE_CONFIG: JSON.stringify({ guardConfig: issuer.config, redisUrl: redis.url }),
      };
    });
    afterAll(async () => {
      await Promise.all(instances.map((instance) => instance.stop()));
      await Promise.all([redis.stop(), issuer.stop()]);
    });
    const start = async (framework: 'express' | 'koa') => {
      const instance = await startInstance(framework, env);
      instances.push(instance);
      return instance;
    };
    const get = (instance: Instance, token: string) =>
      fetch(`${instance.url}/movies`, { headers: { authorization: `Bearer ${token}` } });
    const statusOnceItSettles = (instance: Instance, token: string, want: number) =>
      pollUntil(
        async () => (await get(instance, token)).status,
        (status) => status === want,
        { withinMs: 15_000, everyMs: 25 },
      );

    it('a sign-out through instance A (Express) is denied by instance B (Koa), also after B restarts', async () => {
      const [a, b] = await Promise.all([start('express'), start('koa')]);
      const sub = randomUUID();
      const authTime = Math.floor(Date.now() / 1000) - 5;
      const token = issuer.accessToken({
        sub,
        groups: ['movies-group'],
        claims: { auth_time: authTime },
      });
      const bystander = issuer.accessToken({ groups: ['movies-group'] });
      expect((await get(a, token)).status).toBe(200);
      expect((await get(b, token)).status).toBe(200);

      const signOut = await fetch(`${a.url}/sign-out-everywhere`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}` },
      });
      expect(signOut.status).toBe(204);
      expect(await statusOnceItSettles(b, token, 401)).toBe(401);
      const denied = await get(b, token);
      expect(denied.headers.get('www-authenticate')).toContain('The token has been revoked');
      expect((await get(a, token)).status).toBe(401);
      expect((await get(b, bystander)).status).toBe(200);

      await b.stop();
      instances.splice(instances.indexOf(b), 1);
      const restarted = await start('koa');
      expect((await get(restarted, token)).status).toBe(401);
      expect((await get(restarted, bystander)).status).toBe(200);
    }, 60_000);

    it('a logout (one session) through A is denied by B for that session only', async () => {
      const [a, b] = await Promise.all([start('express'), start('koa')]);
      const sub = randomUUID();
      const phone = issuer.accessToken({
        sub,
        groups: ['movies-group'],
        claims: { origin_jti: randomUUID() },
      });
      const laptop = issuer.accessToken({
        sub,
        groups: ['movies-group'],
        claims: { origin_jti: randomUUID() },
      });
      const logout = await fetch(`${a.url}/logout`, {
        method: 'POST',
        headers: { authorization: `Bearer ${phone}` },
      });
      expect(logout.status).toBe(204);
      expect(await statusOnceItSettles(b, phone, 401)).toBe(401);
      expect((await get(b, laptop)).status).toBe(200);
    }, 60_000);
  },
);
