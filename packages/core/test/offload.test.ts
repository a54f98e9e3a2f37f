// `verifyInWorkers`: a token verified on a worker thread gets the decision the main thread would
// give it, token for token (a differential over generated tokens, against the verifier without
// workers); keys fetched later reach the workers; a worker that stops or stalls with a token in
// hand answers it 503 and is replaced; and settings a worker cannot serve fail at start-up.
// Real worker threads run the build's worker script (dist/), so `pnpm build` comes first.

import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { BROKEN_TOKEN_KINDS, createTestIssuer, type TestIssuer } from '@cognito-guard/testing';
import fc from 'fast-check';
import { type AuthError, createGuard, VerifierUnavailableError } from '../src';
import { provenanceOf, resolveConfig, TokenVerifier } from '../src/subpaths/advanced';
import { type VerifyInWorkers, verifyInWorkers } from '../src/subpaths/offload';
import { configErrorMessage } from './helpers';

const workerFile = join(__dirname, '../dist/verify-worker.cjs');
const faultyWorker = join(__dirname, 'workers/faulty-verify-worker.cjs');
const brokenWorker = join(__dirname, 'workers/broken-verify-worker.cjs');

const quiet = () => {
  const warnings: string[] = [];
  return { warnings, logger: { warn: (message: string) => void warnings.push(message) } };
};

// What a caller can observe of an outcome: the principal as it is serialised and trusted, or
// everything a refusal carries to the client and to the operator.
async function outcomeOf(verifying: () => unknown) {
  try {
    const principal = (await verifying()) as object;
    return { principal: JSON.stringify(principal), provenance: provenanceOf(principal as never) };
  } catch (err) {
    const { name, status, reason, description, detail, headers, body, cause } = err as AuthError;
    const thrown = cause as Error | undefined;
    return {
      refused: { name, status, reason, description, detail, headers, body },
      cause: thrown && { name: thrown.name, message: thrown.message },
    };
  }
}

describe('verifyInWorkers', () => {
  let issuer: TestIssuer;
  const offloads: VerifyInWorkers[] = [];
  const offload = (options: Parameters<typeof verifyInWorkers>[0] = {}) => {
    const made = verifyInWorkers({ workerFile, threads: 2, ...options });
    offloads.push(made);
    return made;
  };
  const config = () => ({ ...issuer.config, tokenUse: 'access' as const, cache: false as const });

  beforeAll(async () => {
    issuer = await createTestIssuer({ userPoolId: 'local_offload', clientId: 'web' }).start();
  });
  afterAll(async () => {
    await Promise.all(offloads.map((made) => made.close()));
    await issuer.stop();
  });

  describe('decides every token as the main thread does', () => {
    let inline: TokenVerifier;
    let offloaded: TokenVerifier;
    let workers: VerifyInWorkers;
    beforeAll(async () => {
      workers = offload();
      inline = new TokenVerifier(resolveConfig(config()));
      offloaded = new TokenVerifier(resolveConfig({ ...config(), offload: workers }));
      await Promise.all([inline.ready(), offloaded.ready()]);
    });

    const now = () => Math.floor(Date.now() / 1000);
    const claim = <T>(...values: T[]) => fc.option(fc.constantFrom(...values), { nil: undefined });
    const edits = fc.record(
      {
        sub: claim<unknown>(undefined, '', 'user-2', 7),
        exp: claim<unknown>(undefined, -600, 600, 'soon', 1e20),
        nbf: claim<unknown>(-60, 600, 'now'),
        token_use: claim<unknown>('id', 'refresh', undefined, ''),
        client_id: claim<unknown>('other', undefined, 5),
        iss: claim<unknown>('https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_Other', 1),
        'cognito:groups': claim<unknown>('movies-group', ['a', 'b'], 7, ['a', 1], []),
        scope: claim<unknown>('movies/read', '', 5),
        ['__proto__']: claim<unknown>({ admin: true }),
      },
      { requiredKeys: [] },
    );
    const headerEdits = fc.record(
      {
        alg: fc.constantFrom('RS512', 'HS256', 'none', 'ES256'),
        crit: fc.constantFrom(['exp'], []),
        kid: fc.constantFrom('no-such-key', ''),
        typ: fc.constantFrom('JWT', 'at+jwt'),
      },
      { requiredKeys: [] },
    );
    // Signed with the issuer's key whatever the header says, so each edit is refused for itself.
    // A third of the tokens unedited, so that valid ones come up as often as each refusal.
    const someOf = <T>(arbitrary: fc.Arbitrary<T>) =>
      fc.oneof({ weight: 1, arbitrary: fc.constant({}) }, { weight: 2, arbitrary });
    const signed = fc.tuple(someOf(edits), someOf(headerEdits)).map(([claims, header]) => {
      const payload = tokenClaims(
        issuer.accessToken({ groups: ['movies-group'], scopes: ['movies/read'] }),
      );
      for (const [name, given] of Object.entries(claims)) {
        const relative = (name === 'exp' || name === 'nbf') && typeof given === 'number';
        const value = relative && given < 1e6 ? now() + given : given;
        // An own `__proto__` claim, as JSON.parse makes one, not the payload's prototype.
        Object.defineProperty(payload, name, { value, enumerable: true, writable: true });
      }
      const fullHeader = { alg: 'RS256', kid: issuer.currentKid, ...header };
      return issuer.signText(JSON.stringify(fullHeader), JSON.stringify(payload));
    });
    const tampered = signed.map((token) => `${token.slice(0, -6)}AAAAAA`);
    const repeatedKeys = fc.constantFrom('sub', 'token_use', 'client_id').map((name) => {
      const payload = JSON.stringify({ ...tokenClaims(issuer.accessToken()) });
      return issuer.signText(
        JSON.stringify({ alg: 'RS256', kid: issuer.currentKid }),
        `${payload.slice(0, -1)},"${name}":"x"}`,
      );
    });
    const broken = fc.constantFrom(...BROKEN_TOKEN_KINDS).map((kind) => issuer.brokenToken(kind));
    const garbage = fc.oneof(
      fc.constantFrom('', 'a.b', 'a.b.c', 'x'.repeat(20_000)),
      fc.string({ maxLength: 40 }),
    );
    const token = fc.oneof(
      { weight: 6, arbitrary: signed },
      { weight: 2, arbitrary: tampered },
      { weight: 1, arbitrary: repeatedKeys },
      { weight: 2, arbitrary: broken },
      { weight: 1, arbitrary: garbage },
    );

    it('for generated tokens: the same principal, or the same refusal in every field', async () => {
      const seen = new Set<string>();
      await fc.assert(
        fc.asyncProperty(token, async (t) => {
          const expected = await outcomeOf(() => inline.verify(t));
          expect(await outcomeOf(() => offloaded.verify(t))).toEqual(expected);
          seen.add(expected.refused?.reason ?? 'verified');
        }),
        // A valid and an expired token every run, whatever else comes up.
        { numRuns: 200, examples: [[issuer.accessToken()], [issuer.brokenToken('expired')]] },
      );
      // The tokens reached both outcomes and most of the ways to be refused.
      expect(seen).toContain('verified');
      expect(seen).toContain('token_expired');
      expect(seen.size).toBeGreaterThanOrEqual(10);
      // Most tokens were decided in a worker; those with a key the workers lack were handed back.
      const { inWorkers, handedBack, unanswered } = workers.stats();
      expect(inWorkers).toBeGreaterThan(100);
      expect(handedBack).toBeLessThan(inWorkers / 2);
      expect(unanswered).toBe(0);
    });

    it('a valid token is verified in a worker and carries its algorithm', async () => {
      const before = workers.stats().inWorkers;
      const principal = await offloaded.verify(issuer.accessToken({ groups: ['g'] }));
      expect(principal.groups).toEqual(['g']);
      expect(provenanceOf(principal)?.algorithm).toBe('RS256');
      expect(workers.stats().inWorkers).toBe(before + 1);
    });

    it('an expired or forged token is refused in a worker, not handed back', async () => {
      const { inWorkers, handedBack } = workers.stats();
      for (const kind of ['expired', 'tampered', 'wrong-client'] as const) {
        await expect(offloaded.verify(issuer.brokenToken(kind))).rejects.toMatchObject({
          status: 401,
        });
      }
      expect(workers.stats()).toMatchObject({ inWorkers: inWorkers + 3, handedBack });
    });
  });

  it('hands a token signed with a new key back, then gives the workers the key', async () => {
    const workers = offload({ threads: 1 });
    const verifier = new TokenVerifier(resolveConfig({ ...config(), offload: workers }));
    await verifier.ready();
    const fetches = verifier.fetcher.fetchCount;
    issuer.rotateKey();
    const first = await verifier.verify(issuer.accessToken({ sub: 'after-rotation' }));
    expect(first.sub).toBe('after-rotation');
    expect(verifier.fetcher.fetchCount).toBe(fetches + 1);
    expect(workers.stats().handedBack).toBe(1);
    const second = await verifier.verify(issuer.accessToken({ sub: 'again' }));
    expect(second.sub).toBe('again');
    expect(workers.stats()).toEqual({ inWorkers: 1, handedBack: 1, unanswered: 0 });
  });

  it('a cached token does not reach a worker', async () => {
    const workers = offload({ threads: 1 });
    const guard = createGuard({ ...issuer.config, tokenUse: 'access', offload: workers });
    await guard.ready();
    const token = issuer.accessToken();
    // The cache admits a token on its second sighting (the doorkeeper); the third is a hit.
    for (let sighting = 0; sighting < 3; sighting++) await guard.verifier.verify(token);
    expect(workers.stats().inWorkers).toBe(2);
  });

  describe('a worker that fails', () => {
    it('stopping with tokens in hand answers each 503, and a new worker takes its place', async () => {
      const { warnings, logger } = quiet();
      const workers = offload({ threads: 1, workerFile: faultyWorker });
      const verifier = new TokenVerifier(resolveConfig({ ...config(), logger, offload: workers }));
      await verifier.ready();
      const valid = issuer.accessToken();
      const [crashed, beside] = await Promise.all([
        outcomeOf(() => verifier.verify('crash')),
        outcomeOf(() => verifier.verify(valid)),
      ]);
      // The valid token was sent after `crash`, to the same thread, and died with it.
      for (const outcome of [crashed, beside]) {
        expect(outcome.refused).toMatchObject({
          name: 'VerifierUnavailableError',
          status: 503,
          reason: 'verifier_unavailable',
          headers: { 'Retry-After': '1', 'Cache-Control': 'no-store' },
          body: { message: 'Service Unavailable' },
        });
      }
      expect(crashed.refused?.detail).toBe('a verifying worker exited with code 3');
      expect(warnings).toEqual([
        'cognito-guard: a verifying worker exited with code 3; 2 tokens in its hands were answered 503, and a new worker takes its place',
      ]);
      // The new worker is still starting: the main thread decides, rather than wait on the start.
      expect((await verifier.verify(valid)).sub).toBeDefined();
      expect(workers.stats()).toEqual({ inWorkers: 0, handedBack: 1, unanswered: 2 });
      await verifier.ready();
      expect((await verifier.verify(issuer.accessToken({ sub: 'later' }))).sub).toBe('later');
      expect(workers.stats()).toEqual({ inWorkers: 1, handedBack: 1, unanswered: 2 });
    });

    it('answering nothing in timeoutMs answers 503, and is replaced', async () => {
      const { warnings, logger } = quiet();
      const workers = offload({ threads: 1, workerFile: faultyWorker, timeoutMs: 100 });
      const verifier = new TokenVerifier(resolveConfig({ ...config(), logger, offload: workers }));
      await verifier.ready();
      const started = performance.now();
      const stalled = await outcomeOf(() => verifier.verify('stall'));
      expect(performance.now() - started).toBeGreaterThanOrEqual(100);
      expect(stalled.refused).toMatchObject({
        status: 503,
        reason: 'verifier_unavailable',
        description: 'The token could not be verified in time',
        detail: 'a verifying worker answered nothing in 100 ms',
      });
      expect((await verifier.verify(issuer.accessToken({ sub: 'next' }))).sub).toBe('next');
      // Once: the stalled worker's exit, after it was replaced, is not a second failure.
      await new Promise((resolve) => setTimeout(resolve, 100));
      expect(warnings).toEqual([expect.stringContaining('answered nothing in 100 ms')]);
    });

    it('behind on its tokens answers 503 for those waiting past timeoutMs, and goes on', async () => {
      const { warnings, logger } = quiet();
      const workers = offload({ threads: 1, workerFile: faultyWorker, timeoutMs: 100 });
      const verifier = new TokenVerifier(resolveConfig({ ...config(), logger, offload: workers }));
      await verifier.ready();
      // Idle for longer than the timeout first: a worker is not stalled for having been idle.
      await new Promise((resolve) => setTimeout(resolve, 150));
      // 40 ms each, one after another: the first few are answered in time, the last ones not.
      const outcomes = await Promise.all(
        Array.from({ length: 15 }, () => outcomeOf(() => verifier.verify('slow'))),
      );
      const statuses = outcomes.map((outcome) => outcome.refused?.status);
      const late = statuses.indexOf(503);
      expect(late).toBeGreaterThanOrEqual(1);
      expect(statuses.slice(0, late)).toEqual(Array(late).fill(401));
      expect(statuses.slice(late)).toEqual(Array(15 - late).fill(503));
      expect(outcomes[14]?.refused?.detail).toBe('no answer in 100 ms: 0 more waiting');
      // The worker was slow, not stuck: it stays, and answers the next token.
      expect(warnings).toEqual([]);
      expect((await verifier.verify(issuer.accessToken({ sub: 'after' }))).sub).toBe('after');
      // Those past their deadline were skipped, not verified: the worker caught up at once.
      expect(workers.stats()).toMatchObject({ inWorkers: late + 1, unanswered: 15 - late });
    });

    it('that cannot start fails ready() with 503, and every token with 503', async () => {
      const { warnings, logger } = quiet();
      const workers = offload({ threads: 1, workerFile: brokenWorker });
      const verifier = new TokenVerifier(resolveConfig({ ...config(), logger, offload: workers }));
      await expect(verifier.ready()).rejects.toMatchObject({
        status: 503,
        reason: 'verifier_unavailable',
      });
      expect(warnings[0]).toMatch(/stopped with Error: broken install/);
      await expect(verifier.verify(issuer.accessToken())).rejects.toBeInstanceOf(
        VerifierUnavailableError,
      );
      // A worker that fails to start is tried again a second later, not in a loop.
      await new Promise((resolve) => setTimeout(resolve, 1300));
      expect(warnings).toHaveLength(2);
      expect(workers.stats()).toEqual({ inWorkers: 0, handedBack: 0, unanswered: 1 });
    });

    it('holding a token does not hold up those sent to the others', async () => {
      const workers = offload({ threads: 2, workerFile: faultyWorker, timeoutMs: 300 });
      const verifier = new TokenVerifier(resolveConfig({ ...config(), offload: workers }));
      await verifier.ready();
      const stalled = outcomeOf(() => verifier.verify('stall'));
      // Sent while the first worker holds `stall`: the least busy worker, the other, answers.
      const valid = await verifier.verify(issuer.accessToken({ sub: 'beside' }));
      expect([valid.sub, workers.stats().unanswered]).toEqual(['beside', 0]);
      expect((await stalled).refused?.status).toBe(503);
    });

    it('after close(), every token is answered 503', async () => {
      const workers = offload({ threads: 1 });
      const verifier = new TokenVerifier(resolveConfig({ ...config(), offload: workers }));
      await verifier.ready();
      await workers.close();
      await expect(verifier.verify(issuer.accessToken())).rejects.toMatchObject({
        status: 503,
        detail: 'no worker is running',
      });
      expect(workers.stats()).toEqual({ inWorkers: 0, handedBack: 0, unanswered: 1 });
    });
  });

  it('keeps the process up while it starts or holds a token, and lets it exit when idle', () => {
    const child = spawnSync(process.execPath, [join(__dirname, 'workers/guard-then-exit.mjs')], {
      encoding: 'utf8',
      timeout: 20_000,
    });
    expect({ signal: child.signal, status: child.status, stderr: child.stderr }).toEqual({
      signal: null,
      status: 0,
      stderr: '',
    });
    expect(JSON.parse(child.stdout)).toEqual({
      status: 200,
      verdict: 'handed back',
      stats: { inWorkers: 1, handedBack: 1, unanswered: 0 },
    });
  });

  describe('settings it cannot serve fail at start-up', () => {
    it('pools resolved per issuer', () => {
      const resolver = { resolve: () => ({ userPoolId: 'eu-west-1_Abc', clientId: null }) };
      expect(configErrorMessage(() => createGuard({ pools: resolver, offload: offload() }))).toBe(
        'Invalid cognito-guard config: offload: needs the pools listed, not resolved per issuer: pools.resolve is a function, and a function cannot be sent to a worker thread',
      );
    });

    it.each<[string, object, string]>([
      ['no threads', { threads: 0 }, 'threads: must be a whole number from 1 to 256'],
      ['a fraction of a thread', { threads: 1.5 }, 'threads: must be a whole number from 1 to 256'],
      ['too many threads', { threads: 257 }, 'threads: must be a whole number from 1 to 256'],
      [
        'a timeout in words',
        { timeoutMs: '1s' },
        'timeoutMs: must be a positive number of milliseconds',
      ],
      [
        'a misspelt option',
        { thread: 2 },
        'thread: is not a known option; did you mean "threads"?',
      ],
      [
        'a worker file that is a number',
        { workerFile: 7 },
        'workerFile: must be a path or a file: URL',
      ],
    ])('%s', (_, options, message) => {
      expect(configErrorMessage(() => verifyInWorkers(options as never))).toBe(
        `Invalid verifyInWorkers: ${message}`,
      );
    });

    it('a worker file that does not exist', () => {
      expect(configErrorMessage(() => verifyInWorkers({ workerFile: '/nowhere/worker.cjs' }))).toBe(
        'Invalid verifyInWorkers: workerFile: /nowhere/worker.cjs does not exist; when a bundler moved @cognito-guard/core, copy dist/verify-worker.cjs and name the copy here',
      );
    });

    it('an offload option verifyInWorkers() did not make', () => {
      expect(
        configErrorMessage(() => createGuard({ ...config(), offload: { threads: 2 } as never })),
      ).toBe(
        "Invalid cognito-guard config: offload: must be verifyInWorkers() from '@cognito-guard/core/offload'",
      );
    });

    it('defaults to one thread fewer than the CPUs, at least one', () => {
      const { availableParallelism } = require('node:os') as typeof import('node:os');
      expect(verifyInWorkers({ workerFile }).threads).toBe(Math.max(1, availableParallelism() - 1));
    });
  });
});

function tokenClaims(token: string): Record<string, unknown> {
  return JSON.parse(Buffer.from(token.split('.')[1] as string, 'base64url').toString());
}
