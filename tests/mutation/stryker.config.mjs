// Mutation testing of the adapter layer (`pnpm mutation`, after core's and Lambda's; not in CI):
// core's adapter helpers and the Express, Koa, Fastify and Hono adapters, against the adapters'
// tests and the conformance suite (jest.config.cjs here). Run from the repository's root, so
// that files of several packages can be mutated in one run. Core's settings, explained there.
import core from '../../packages/core/stryker.config.mjs';

/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
export default {
  ...core,
  // A module-level mutant here (an adapter's bound factories, a mode list) would run all 700
  // tests, 40 s each, for about half the run's time; the tests import every such module, so
  // a mutant of one is killed at once or breaks every surface alike.
  ignoreStatic: true,
  jest: { ...core.jest, configFile: 'tests/mutation/jest.config.cjs' },
  mutate: [
    'packages/core/src/adapter/adapter.ts',
    'packages/core/src/adapter/define-adapter.ts',
    'packages/core/src/adapter/handlers.ts',
    'packages/core/src/adapter/node-http.ts',
    'packages/core/src/adapter/fetch.ts',
    'packages/core/src/adapter/received-target.ts',
    'packages/express/src/index.ts',
    'packages/koa/src/index.ts',
    'packages/fastify/src/index.ts',
    'packages/hono/src/index.ts',
    'packages/hono/src/exact-path.ts',
  ],
  // Many mutants here hang a request (a denial never sent, a next() never called): detected as
  // timeouts, but each costs the wait and a fresh test runner, so wait less for them.
  timeoutMS: 1000,
  // Below core's 90, as the Lambda package's: the first full run scored 83.2 %, most survivors
  // being checks made twice (an adapter's and keepPrivate's), fields only the decision's record
  // reads, and helpers whose tests in core the run did not include yet.
  thresholds: { high: 95, low: 85, break: 80 },
  htmlReporter: { fileName: 'tests/mutation/reports/index.html' },
  jsonReporter: { fileName: 'tests/mutation/reports/mutation.json' },
  incrementalFile: 'tests/mutation/reports/stryker-incremental.json',
  tempDirName: 'tests/mutation/.stryker-tmp',
};
