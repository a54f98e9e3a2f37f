// A response cache in the app, before the guard, replays what it stored without calling the
// guard: apicache (`app.use(cache('5 minutes'))`, its README's first example) ignores
// `Cache-Control: private`, so a caller's answer would reach the next request with no token.
// The guard keeps the answers it lets through out of such a cache, and says so once; a cache
// mounted after it (which only requests it let through reach) caches as before.

import * as expressGuard from '@cognito-guard/express';
import { createTestIssuer, type TestIssuer } from '@cognito-guard/testing';
import apicache from 'apicache';
import express5 from 'express';
import express4 from 'express4';
import request from 'supertest';

let issuer: TestIssuer;
beforeAll(async () => {
  issuer = await createTestIssuer().start();
});
afterAll(() => issuer.stop());

const frameworks: [string, typeof express5][] = [
  ['Express 5', express5],
  ['Express 4', express4 as unknown as typeof express5],
];

// Each stored answer holds a five-minute timer, which would keep Jest from exiting for five
// minutes; clearing an entry by its key stops its timer (clearing them all does not).
const caches: ReturnType<typeof apicache.newInstance>[] = [];
afterAll(() => {
  for (const instance of caches) for (const key of instance.getIndex().all) instance.clear(key);
});

describe.each(frameworks)('%s with apicache', (_name, factory) => {
  const get = (app: express5.Express, token?: string) => {
    const call = request(app).get('/movies');
    return token ? call.set('authorization', `Bearer ${token}`) : call;
  };
  const setUp = (cacheFirst: boolean) => {
    const warnings: string[] = [];
    const logger = { warn: (message: string) => warnings.push(message), error: () => undefined };
    const guard = expressGuard.cognitoGuard({ ...issuer.config, logger });
    // A cache of its own per app: apicache's default instance is process-wide.
    const instance = apicache.newInstance({ defaultDuration: '5 minutes' });
    caches.push(instance);
    const cache = instance.middleware();
    const app = factory();
    let served = 0;
    const handler: express5.RequestHandler = (_req, res) => {
      served++;
      res.json({ movies: ['Alien'] });
    };
    if (cacheFirst) {
      app.use(cache);
      app.use(guard.requireGroups('movies-group'));
      app.get('/movies', handler);
    } else {
      app.get('/movies', guard.requireGroups('movies-group'), cache, handler);
    }
    return { app, warnings, served: () => served };
  };

  it('before the guard: no caller’s answer, allowed or denied, is replayed to another', async () => {
    const { app, warnings, served } = setUp(true);
    const alice = issuer.accessToken({ groups: ['movies-group'] });
    expect((await get(app, alice)).status).toBe(200);
    expect((await get(app)).status).toBe(401);
    expect((await get(app, issuer.accessToken({ groups: ['shows-group'] }))).status).toBe(403);
    expect((await get(app, alice)).status).toBe(200);
    expect(served()).toBe(2);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/apicache middleware runs before this guard/);
  });

  it('after the guard: it caches what the guard let through, and nothing is said', async () => {
    const { app, warnings, served } = setUp(false);
    const alice = issuer.accessToken({ groups: ['movies-group'] });
    expect((await get(app, alice)).status).toBe(200);
    expect((await get(app, alice)).status).toBe(200);
    expect((await get(app)).status).toBe(401);
    expect(served()).toBe(1);
    expect(warnings).toEqual([]);
  });
});
