// What the Lambda differentials share: the HTTP event sources, and the replay of a scenario's
// requests as events through a guarded function, holding every route it reached to the property.

import {
  albEvent,
  functionUrlEvent,
  httpApiEvent,
  lambdaContext,
  restProxyEvent,
} from '@cognito-guard/testing';
import fc from 'fast-check';
import {
  type Caller,
  expectPermitted,
  ruleServed,
  runOptions,
  type Scenario,
  scenarioPathArb,
  scenarioRunArb,
} from './policy-scenarios';
import type { Reached } from './scenario-apps';

/** A Lambda handler, as the differentials call it. */
export type EventHandler = (event: unknown, context: unknown) => Promise<{ statusCode: number }>;

/** Builds one source's event for a request. */
export type BuildEvent = (options: { method: string; path: string; token?: string }) => unknown;

// A REST API in front of a function that routes inside itself is a proxy: its `/{proxy+}`
// resource (and `/`) sends every request to the function, under the stage `prod`.
export const HTTP_EVENT_SOURCES: readonly [string, BuildEvent][] = [
  [
    'REST proxy',
    (options) => restProxyEvent({ ...options, resource: options.path === '/' ? '/' : '/{proxy+}' }),
  ],
  ['HTTP API', httpApiEvent],
  [
    'HTTP API, rawPath decoded',
    (options) => httpApiEvent({ ...options, path: asHttpApiDecodes(options.path) }),
  ],
  ['HTTP API, payload 1.0', (options) => httpApiEvent({ ...options, version: '1.0' })],
  ['Function URL', functionUrlEvent],
  ['ALB', albEvent],
  ['ALB, multi-value', (options) => albEvent({ ...options, multiValueHeaders: true })],
];

// An HTTP API hands the function its path decoded (`/admin%20` arrives as `/admin `), and cut at
// a `?` or `#` decoding made.
function asHttpApiDecodes(path: string): string {
  let decoded = path;
  try {
    decoded = decodeURIComponent(path);
  } catch {
    // Broken percent-encoding stays as sent.
  }
  return decoded.split(/[?#]/)[0] || '/';
}

/**
 * Paths for a scenario's events: hostile spellings near its routes, and paths that begin with the
 * stage's name (a client may send `/prod/prod/admin` to a REST API, whose event's path is then
 * `/prod/admin`). An event's path has no query or fragment: the source has taken them off.
 */
function eventPathArb(scenario: Scenario): fc.Arbitrary<string> {
  return fc
    .tuple(
      fc.constantFrom('', '', '', '/prod'),
      scenarioPathArb(scenario),
      fc.constantFrom('', '', '', '/', '//', '/.', '/..', '%2F', ';q=1'),
    )
    .map(([stage, path, tail]) => stage + (path === '' ? '/' : path) + tail)
    .filter((path) => !/[?#]/.test(path));
}

/** A guarded function set up for one scenario, as one of the forms under test. */
export interface GuardedFunction {
  readonly guarded: EventHandler;
  /** The route key a request that reached `key` is held to; by default, `key` itself. */
  readonly servedAs?: (method: string, path: string, key: string) => Promise<string>;
}

/**
 * The property, over random scenarios, each guarded function form, and hostile paths sent as
 * events built by `build`: every route a guarded function reaches has a rule that permits the
 * caller, and the answer is the route's. Fails too if no more than `floor` requests reached a
 * route (the property would then be about nothing).
 *
 * @example
 * ```ts
 * await assertNoWeakerRule(['wrapper'], restEvent, tokenOf, (scenario, _form, reached) => ({
 *   guarded: guard.guardRoutes(policyOf(scenario))(routerOf(scenario, reached)),
 * }));
 * ```
 */
export async function assertNoWeakerRule<Form extends string>(
  forms: readonly Form[],
  build: BuildEvent,
  tokenOf: (caller: readonly string[]) => string,
  setUp: (scenario: Scenario, form: Form, reached: Reached) => GuardedFunction,
  floor = 20,
): Promise<void> {
  let served = 0;
  await fc.assert(
    fc.asyncProperty(scenarioRunArb(forms, eventPathArb), async ([scenario, form, requests]) => {
      const reached: Reached = { key: null };
      const { guarded, servedAs } = setUp(scenario, form, reached);
      for (const [method, path, caller] of requests as [string, string, Caller][]) {
        reached.key = null;
        const token = caller === null ? {} : { token: tokenOf(caller) };
        const answer = await guarded(build({ method, path, ...token }), lambdaContext());
        if (reached.key === null) continue;
        served++;
        const key = reached.key;
        const rule = ruleServed(scenario, (await servedAs?.(method, path, key)) ?? key);
        expectPermitted({ method, path, caller, form, served: key, rule });
        expect(answer.statusCode).toBe(200);
      }
    }),
    runOptions(),
  );
  expect(served).toBeGreaterThan(floor);
}
