// The CLI and the guards must give the same answer: random requests and callers against a
// policy, `cognito-guard explain --json` (spawned) versus the core guard in this process.

import { join } from 'node:path';
import { createGuard } from '@cognito-guard/core';
import { renderDenial } from '@cognito-guard/core/adapter';
import { createTestIssuer, type TestIssuer } from '@cognito-guard/testing';
import fc from 'fast-check';
import { runCli } from './run-cli';

const POLICY = join(__dirname, 'fixtures', 'agreement-policy.json');

describe('explain agrees with the guard', () => {
  let issuer: TestIssuer;
  beforeAll(async () => {
    issuer = await createTestIssuer().start();
  });
  afterAll(() => issuer.stop());

  it('on status, WWW-Authenticate and body, for any request and caller', async () => {
    const policy = (await import(POLICY)).default;
    const guard = createGuard(issuer.config);
    const compiled = guard.compilePolicy(policy);
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom('GET', 'POST', 'DELETE', 'HEAD'),
        fc.constantFrom(
          '/movies',
          '/movies/7',
          '/MOVIES/',
          '/admin',
          '/admin/users/1',
          '/health',
          '/mo%76ies',
          '/elsewhere',
          '/a//b',
          '/admin/x?_method=delete',
        ),
        fc.option(fc.subarray(['movies-group', 'admins', 'suspended']), { nil: undefined }),
        // A method override names a method whose route may be stricter.
        fc.option(fc.constantFrom('GET', 'DELETE', 'PATCH'), { nil: undefined }),
        async (method, path, groups, override) => {
          const headers: Record<string, string> = groups
            ? { authorization: `Bearer ${issuer.accessToken({ groups })}` }
            : {};
          if (override !== undefined) headers['x-http-method-override'] = override;
          const decision = await guard.checkRoute({ method, path, headers }, compiled);
          const args = [
            'explain',
            '--policy',
            POLICY,
            '--method',
            method,
            '--path',
            path,
            '--json',
          ];
          if (override !== undefined) args.push('--header', `X-HTTP-Method-Override: ${override}`);
          const result = await runCli(
            groups ? [...args, '--groups', groups.join(',') || ','] : args,
          );
          const json = JSON.parse(result.stdout);
          const denial = decision.allowed ? undefined : renderDenial(decision.error);
          expect([path, method, groups, override, json.decision]).toEqual([
            path,
            method,
            groups,
            override,
            {
              allowed: decision.allowed,
              status: decision.status,
              reason: decision.reason,
              headers: denial?.headers ?? {},
              body: denial?.body ?? null,
            },
          ]);
          expect(result.code).toBe(decision.allowed ? 0 : 1);
        },
      ),
      { numRuns: 20 },
    );
  }, 120_000);
});
