// `cognito-guard revoke` and the guards agree: what the CLI stores in Redis, a guard on the same
// Redis denies (and nothing else). Usage errors exit 2 and an unreachable Redis exits 3.

import { execFileSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { createGuard, type Guard, requireGroups } from '@cognito-guard/core';
import { type RedisRevocationStore, redisRevocationStore } from '@cognito-guard/redis';
import {
  createTestIssuer,
  type RedisServer,
  redisServerAvailable,
  startRedisCluster,
  startRedisServer,
  type TestIssuer,
} from '@cognito-guard/testing';
import { runCli } from './run-cli';

(redisServerAvailable() ? describe : describe.skip)('cognito-guard revoke', () => {
  let redis: RedisServer;
  let issuer: TestIssuer;
  let store: RedisRevocationStore;
  let guard: Guard;
  beforeAll(async () => {
    [redis, issuer] = await Promise.all([startRedisServer(), createTestIssuer().start()]);
    store = redisRevocationStore({ url: redis.url, heartbeatMs: 100 });
    guard = createGuard({ ...issuer.config, revocation: { store } });
    await guard.ready();
  });
  afterAll(async () => {
    await store.close();
    await Promise.all([redis.stop(), issuer.stop()]);
  });

  const reason = async (token: string) => {
    await store.refresh();
    const decision = await guard.check(
      { method: 'GET', path: '/', headers: { authorization: `Bearer ${token}` } },
      requireGroups('movies-group'),
    );
    return decision.reason;
  };
  const token = (claims: Record<string, unknown> = {}, sub?: string) =>
    issuer.accessToken({ groups: ['movies-group'], ...(sub ? { sub } : {}), claims });

  it("revokes a token's session from standard input, and the guard denies that session only", async () => {
    const session = randomUUID();
    const mine = token({ origin_jti: session });
    const result = await runCli(['revoke', '--redis-url', redis.url, '--token', '-', '--json'], {
      input: `Bearer ${mine}\n`,
    });
    expect(result).toMatchObject({ code: 0, stderr: '' });
    expect(JSON.parse(result.stdout)).toEqual({ revoked: 'token' });
    expect(await reason(token({ origin_jti: session }))).toBe('token_revoked');
    expect(await reason(token())).toBe('rule_satisfied');
  });

  it('revokes a session or a token by id until a time, and signs a user out', async () => {
    const [session, jti, sub] = [randomUUID(), randomUUID(), randomUUID()];
    const env = { COGNITO_GUARD_REDIS_URL: redis.url };
    const until = new Date(Date.now() + 3_600_000).toISOString();
    expect(
      (await runCli(['revoke', '--origin-jti', session, '--until', until], { env })).code,
    ).toBe(0);
    expect((await runCli(['revoke', '--jti', jti, '--until', until], { env })).code).toBe(0);
    const signOut = await runCli(['revoke', '--sub', sub], { env });
    expect(signOut).toMatchObject({ code: 0 });
    expect(signOut.stdout).toContain(`revoked every token of ${sub} authenticated at or before`);
    expect(await reason(token({ origin_jti: session }))).toBe('token_revoked');
    expect(await reason(token({ jti }))).toBe('token_revoked');
    const past = Math.floor(Date.now() / 1000) - 10;
    expect(await reason(token({ auth_time: past }, sub))).toBe('token_revoked');
    expect(await reason(token({ auth_time: past + 60 }, sub))).toBe('rule_satisfied');
  });

  it('warns on standard error when the Redis may evict the revocation it stored', async () => {
    const config = (...args: string[]) =>
      execFileSync('redis-cli', ['-p', String(redis.port), 'CONFIG', 'SET', ...args]);
    config('maxmemory', '100mb', 'maxmemory-policy', 'allkeys-lru');
    try {
      // With --replicas the write goes through a connection of its own: the warning still comes.
      for (const [extra, code] of [
        [[], 0],
        [['--replicas', '1'], 3],
      ] as const) {
        const jti = randomUUID();
        const until = new Date(Date.now() + 3_600_000).toISOString();
        const args = ['revoke', '--redis-url', redis.url, '--jti', jti, '--until', until, ...extra];
        const result = await runCli(args);
        expect(result.code).toBe(code);
        expect(result.stderr).toContain(
          'cognito-guard: this Redis evicts keys when its memory is full (maxmemory-policy allkeys-lru, maxmemory 100 MB)',
        );
        expect(await reason(token({ jti }))).toBe('token_revoked');
      }
    } finally {
      config('maxmemory', '0', 'maxmemory-policy', 'noeviction');
    }
  });

  it('exits 2 on usage errors, naming what is wrong', async () => {
    const cases: [string[], string][] = [
      [['revoke', '--sub', 'x'], '--redis-url (or COGNITO_GUARD_REDIS_URL): is required'],
      [
        ['revoke', '--redis-url', redis.url],
        'give exactly one of --token, --origin-jti, --jti, --sub',
      ],
      [['revoke', '--redis-url', redis.url, '--sub', 'a', '--jti', 'b'], 'give exactly one of'],
      [['revoke', '--redis-url', redis.url, '--jti', 'b'], '--until: is required'],
      [
        ['revoke', '--redis-url', redis.url, '--jti', 'b', '--until', 'soon'],
        'must be an ISO 8601 date',
      ],
      [['revoke', '--redis-url', redis.url, '--token', 'not-a-jwt'], 'not a JWT'],
      [
        ['revoke', '--redis-url', 'http://127.0.0.1:6379', '--sub', 'a'],
        'cognito-guard: --redis-url (or COGNITO_GUARD_REDIS_URL): must be a redis:// or rediss:// URL',
      ],
      [
        ['revoke', '--redis-url', redis.url, '--key-prefix', '', '--sub', 'a'],
        'cognito-guard: --key-prefix: must be a non-empty string',
      ],
    ];
    for (const [args, message] of cases) {
      const result = await runCli(args);
      expect([args, result.code]).toEqual([args, 2]);
      expect(result.stderr).toContain(message);
    }
  });

  it('with --replicas, exits 3 when no replica holds the revocation, which is in force all the same', async () => {
    const session = randomUUID();
    const until = new Date(Date.now() + 3_600_000).toISOString();
    const args = ['revoke', '--redis-url', redis.url, '--origin-jti', session, '--until', until];
    const unconfirmed = await runCli([...args, '--replicas', '1']);
    expect(unconfirmed.code).toBe(3);
    expect(unconfirmed.stderr).toContain('not yet durable at redis://127.0.0.1');
    expect(unconfirmed.stderr).toContain('0 of 1 replicas confirmed it');
    expect(await reason(token({ origin_jti: session }))).toBe('token_revoked');
    const bad = await runCli([...args, '--replicas', '-1']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--replicas');
  });

  it('exits 3 when Redis cannot be reached, without printing its password', async () => {
    const result = await runCli([
      'revoke',
      '--redis-url',
      'redis://:s3cret@127.0.0.1:1',
      '--sub',
      'x',
    ]);
    expect(result.code).toBe(3);
    expect(result.stderr).toContain('Redis unreachable at redis://***@127.0.0.1:1');
    expect(result.stderr).not.toContain('s3cret');
  }, 20_000);

  it('revokes on a Redis Cluster from any node, and names a --key-prefix the cluster cannot use', async () => {
    const cluster = await startRedisCluster({ replicasPerMaster: 0 });
    const onCluster = redisRevocationStore({ url: cluster.url, heartbeatMs: 100 });
    try {
      const clusterGuard = createGuard({ ...issuer.config, revocation: { store: onCluster } });
      await clusterGuard.ready();
      const session = randomUUID();
      const until = new Date(Date.now() + 3_600_000).toISOString();
      const url = cluster.nodes[2]?.url as string;
      const stored = await runCli([
        'revoke',
        '--redis-url',
        url,
        '--origin-jti',
        session,
        '--until',
        until,
      ]);
      expect(stored).toMatchObject({ code: 0 });
      await onCluster.refresh();
      const decision = await clusterGuard.check(
        {
          method: 'GET',
          path: '/',
          headers: { authorization: `Bearer ${token({ origin_jti: session })}` },
        },
        requireGroups('movies-group'),
      );
      expect(decision.reason).toBe('token_revoked');

      const args = ['revoke', '--redis-url', url, '--key-prefix', 'revoked:', '--sub', 'x'];
      const refused = await runCli(args);
      expect(refused.code).toBe(2);
      expect(refused.stderr).toContain('keyPrefix: has no hash tag');
    } finally {
      await onCluster.close();
      await cluster.stop();
    }
  }, 30_000);
});
