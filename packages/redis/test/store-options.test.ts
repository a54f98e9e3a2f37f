// The store's options fail at once, naming each bad one, before anything connects: an unset
// REDIS_URL must not quietly mean localhost, nor a typo throw a TypeError from the Redis client.

import { ConfigError } from '@cognito-guard/core';
import { redisRevocationStore } from '../src';

const problems = (options: unknown) => {
  try {
    redisRevocationStore(options as never);
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    return (err as ConfigError).issues.map((issue) => `${issue.field}: ${issue.message}`);
  }
  throw new Error('expected a ConfigError');
};

describe('the Redis store options', () => {
  it.each([
    { given: undefined, problem: ': must be an object' },
    { given: {}, problem: 'url: is required: a redis:// or rediss:// URL, or give `client`' },
    {
      given: { url: '' },
      problem: 'url: is required: a redis:// or rediss:// URL, or give `client`',
    },
    { given: { url: 'http://cache:6379' }, problem: 'url: must be a redis:// or rediss:// URL' },
    { given: { url: 'cache:6379 ' }, problem: 'url: must be a redis:// or rediss:// URL' },
    { given: { url: 6379 }, problem: 'url: must be a redis:// or rediss:// URL' },
    { given: { client: {} }, problem: 'client: must be a node-redis client (createClient())' },
    {
      given: { url: 'redis://cache', client: { duplicate: () => undefined } },
      problem: 'client: give `url` or `client`, not both',
    },
    {
      given: { url: 'redis://cache', keyPrefix: '' },
      problem: 'keyPrefix: must be a non-empty string',
    },
    {
      given: { url: 'redis://cache', heartbeatMs: '1000' },
      problem: 'heartbeatMs: must be a positive number of milliseconds',
    },
    {
      given: { url: 'redis://cache', readyTimeoutMs: 0 },
      problem: 'readyTimeoutMs: must be a positive number of milliseconds',
    },
    {
      given: { url: 'redis://cache', readyTimeoutMs: Number.POSITIVE_INFINITY },
      problem: 'readyTimeoutMs: must be a positive number of milliseconds',
    },
    {
      // Before, lifetimeMs threw a RangeError, which the CLI could not name a flag for.
      given: { url: 'redis://cache', refreshTokenValiditySeconds: '2592000' },
      problem: 'refreshTokenValiditySeconds: must be a positive number of seconds',
    },
    {
      given: { url: 'redis://cache', logger: {} },
      problem: 'logger: must have a warn(message) method',
    },
    {
      given: { url: 'redis://cache', keyprefix: 'app:' },
      problem: 'keyprefix: is not a known option; did you mean "keyPrefix"?',
    },
    { given: { url: 'redis://cache', timeoutMs: 5 }, problem: 'timeoutMs: is not a known option' },
  ])('refuses $given', ({ given, problem }) => {
    expect(problems(given)).toEqual([problem]);
  });

  it('names every bad option at once, and never repeats a URL, which may hold a password', () => {
    const url = 'https://:s3cret@cache:6379';
    const listed = problems({ url, heartbeatMs: -1, replicas: 1.5 });
    expect(listed).toEqual([
      'url: must be a redis:// or rediss:// URL',
      'heartbeatMs: must be a positive number of milliseconds',
      'replicas: must be a whole number, 0 or more; got 1.5',
    ]);
    expect(listed.join()).not.toContain('s3cret');
  });

  it('builds a store from valid options without connecting', async () => {
    for (const url of ['redis://127.0.0.1:1', 'rediss://user:pw@[::1]:6380/2']) {
      const store = redisRevocationStore({
        url,
        keyPrefix: 'app:',
        heartbeatMs: 50,
        logger: console,
      });
      expect(store.size).toBe(0);
      await store.close();
    }
  });
});
