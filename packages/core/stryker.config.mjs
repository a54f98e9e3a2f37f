// Mutation testing of the security-critical core files (`pnpm mutation`, not in CI: it is slow).
// inPlace: the workspace maps @cognito-guard/* to sources by absolute path, so a sandbox copy
// would test the original files; Stryker restores every file when the run ends or is interrupted.
import { fileURLToPath } from 'node:url';

// A focused run: one file's mutants against the test files named here (`MUTATION_TESTS=verifier,
// offload pnpm mutation --mutate src/token/token-verifier.ts`). With every related test file, a
// mutant's time limit on a shared 2-core machine is often spent by an ordinary slow run, and a
// "timed out" mutant may be one no test would have caught.
const focusedTests = (process.env.MUTATION_TESTS ?? '')
  .split(',')
  .map((name) => name.trim())
  .filter((name) => name !== '');
const focused = focusedTests.length > 0;

/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
export default {
  packageManager: 'pnpm',
  testRunner: 'jest',
  // pnpm keeps the runner out of Stryker's own node_modules, where its default plugin glob looks.
  plugins: [fileURLToPath(import.meta.resolve('@stryker-mutator/jest-runner'))],
  jest: {
    projectType: 'custom',
    configFile: 'jest.config.cjs',
    enableFindRelatedTests: !focused,
    ...(focused && {
      config: { testMatch: focusedTests.map((name) => `<rootDir>/test/${name}.test.ts`) },
    }),
  },
  coverageAnalysis: 'perTest',
  inPlace: true,
  // Module-level mutants (a regex constant, a default) run with every test: Jest's per-test
  // coverage credits module loading to whichever test happened to load the file first, so
  // "ignoreStatic" reported them as survivors no test had been asked to kill.
  ignoreStatic: false,
  // ts-jest runs without type diagnostics, so files need no @ts-nocheck; leaving every other
  // file untouched lets work go on beside a long run.
  disableTypeChecks: false,
  concurrency: 2,
  // A mutant that makes a test hang (a retry window, a timer) is killed this long after the
  // test's normal time, not at Jest's own 20 s timeout.
  timeoutMS: 2500,
  timeoutFactor: 1.25,
  mutate: [
    'src/request/extract-token.ts',
    'src/request/cross-site.ts',
    'src/request/raw-headers.ts',
    'src/request/request-path.ts',
    'src/request/method-override.ts',
    'src/request/body-encoding.ts',
    'src/request/body-charset.ts',
    'src/request/multipart-body.ts',
    'src/request/multipart-readings.ts',
    'src/request/raw-body-fields.ts',
    'src/request/ambiguous-parts.ts',
    'src/request/override-fields.ts',
    'src/request/selected-route.ts',
    'src/adapter/received-target.ts',
    'src/adapter/fetch.ts',
    'src/adapter/vary-on-write-head.ts',
    'src/adapter/upgrade.ts',
    'src/policy/route-policy.ts',
    'src/policy/ranked-routes.ts',
    'src/policy/claim-path.ts',
    'src/policy/rules.ts',
    'src/policy/rule-json.ts',
    'src/token/claims.ts',
    'src/token/token-verifier.ts',
    'src/token/cognito-check.ts',
    'src/token/map-error.ts',
    'src/token/jwks-fetcher.ts',
    'src/token/alb-user-claims.ts',
    'src/token/signature-hash.ts',
    'src/token/decompose-token.ts',
    'src/token/duplicate-keys.ts',
    'src/token/principal.ts',
    'src/token/pool-directory.ts',
    'src/token/aws-jwt-verify-seam.ts',
    'src/token/token-cache.ts',
    'src/token/doorkeeper.ts',
    'src/token/issuer.ts',
    'src/decision/guard.ts',
    'src/decision/rule-guard.ts',
    'src/decision/establish.ts',
    'src/decision/choose-route.ts',
    'src/decision/conclude.ts',
    'src/decision/report.ts',
    'src/decision/decision.ts',
    'src/decision/denial-log.ts',
    'src/decision/mount-warning.ts',
    'src/errors/errors.ts',
    'src/revocation/revocation-check.ts',
    'src/revocation/revocation-list.ts',
    'src/revocation/revocation-entry.ts',
    'src/revocation/revocation-store.ts',
    'src/revocation/memory-store.ts',
    // The workers run the build (dist/), so verify-worker.ts, which only a worker runs, is
    // checked by hand against a rebuilt dist/, not here.
    'src/offload/worker-pool.ts',
    'src/offload/verify-protocol.ts',
    'src/offload/verify-in-workers.ts',
    'src/offload/threads-from-env.ts',
  ],
  reporters: ['clear-text', 'progress-append-only', 'html', 'json'],
  htmlReporter: { fileName: 'reports/mutation/index.html' },
  jsonReporter: { fileName: 'reports/mutation/mutation.json' },
  thresholds: { high: 95, low: 90, break: 90 },
  tempDirName: '.stryker-tmp',
  // Re-runs only mutants whose code or covering tests changed since the last run.
  // Not for a focused run, whose few results would replace the whole run's.
  incremental: !focused,
  incrementalFile: 'reports/stryker-incremental.json',
};
