// What the router-topology tests share: the callers, and the property every topology the README
// recommends is held to.

import { createTestIssuer, type TestIssuer } from '@cognito-guard/testing';
import fc from 'fast-check';

/** One request through a topology: its status, and whether the handler ran. */
export type Get = (path: string, token: string) => Promise<{ status: number; reached: boolean }>;

/** Every casing of a path, as fast-check draws one letter's case at a time. */
export const casing = (path: string) =>
  fc
    .array(fc.boolean(), { minLength: path.length, maxLength: path.length })
    .map((upper) => [...path].map((c, i) => (upper[i] ? c.toUpperCase() : c)).join(''));

/** A test issuer, started for the describe block, and a member and an admin of it. */
export function callers(): { issuer: TestIssuer; member: string; admin: string } {
  const state = {} as { issuer: TestIssuer; member: string; admin: string };
  beforeAll(async () => {
    state.issuer = await createTestIssuer().start();
    state.member = state.issuer.accessToken({ groups: ['movies'] });
    state.admin = state.issuer.accessToken({ groups: ['admins'] });
  });
  afterAll(() => state.issuer.stop());
  return state;
}

/**
 * The admin reaches `path` and nothing is warned; the member is refused, and no casing of `path`
 * reaches the handler without the group.
 */
export async function expectGuardedInEveryCasing(
  get: Get,
  warnings: readonly string[],
  path: string,
  { member, admin }: { member: string; admin: string },
): Promise<void> {
  expect(await get(path, admin)).toEqual({ status: 200, reached: true });
  expect(warnings).toEqual([]);
  expect(await get(path, member)).toEqual({ status: 403, reached: false });
  await fc.assert(
    fc.asyncProperty(casing(path), async (spelling) => {
      const answer = await get(spelling, member);
      expect(answer.reached).toBe(false);
      expect([403, 404]).toContain(answer.status);
    }),
    { numRuns: 40 },
  );
}
