// Shared Jest settings: tests run TypeScript sources directly (no build step) and
// resolve sibling workspace packages to their src/ so a change is tested at once.
const os = require('node:os');
const path = require('node:path');

// Test issuers reuse RSA keys kept between runs (see TestIssuer): key generation dominated the
// suite's time, and mutation testing runs it once per mutant.
process.env.COGNITO_GUARD_TEST_KEY_CACHE ??= path.join(os.tmpdir(), 'cognito-guard-test-keys');

/** @param {string} packageDir */
module.exports = function jestConfig(packageDir, overrides = {}) {
  return {
    rootDir: packageDir,
    testEnvironment: 'node',
    testMatch: ['<rootDir>/test/**/*.test.ts'],
    transform: {
      '^.+\\.tsx?$': [
        'ts-jest',
        {
          tsconfig: {
            module: 'commonjs',
            moduleResolution: 'node10',
            verbatimModuleSyntax: false,
            isolatedModules: true,
            esModuleInterop: true,
            resolveJsonModule: true,
          },
          diagnostics: false,
        },
      ],
    },
    moduleNameMapper: {
      '^@cognito-guard/([a-z-]+)$': path.join(__dirname, 'packages/$1/src/index.ts'),
      // Subpath exports (`@cognito-guard/core/adapter`) live in src/subpaths/.
      '^@cognito-guard/([a-z-]+)/([a-z-]+)$': path.join(
        __dirname,
        'packages/$1/src/subpaths/$2.ts',
      ),
    },
    collectCoverageFrom: ['<rootDir>/src/**/*.ts'],
    coverageReporters: ['text-summary', 'json-summary'],
    testTimeout: 20000,
    // In CI, tests run in a new order each time (the seed is printed; `--seed` replays it), so a
    // test that passes only after another one fails there rather than in a user's hands.
    randomize: process.env.CI === 'true',
    showSeed: process.env.CI === 'true',
    ...overrides,
  };
};

/**
 * The same settings, for a package whose tests use @middy/core: it is ESM-only, so it is mapped
 * to its entry file and ts-jest transpiles it to CommonJS. So is cookie 2, which Fastify's
 * `inject` (light-my-request, what @fastify/aws-lambda calls) requires.
 * @param {string} packageDir
 */
module.exports.withMiddy = function jestConfigWithMiddy(packageDir) {
  const base = module.exports(packageDir);
  const fs = require('node:fs');
  const middyDir = fs.realpathSync(path.join(packageDir, 'node_modules/@middy/core'));
  // @middy/http-router, where a package tests with it, is installed beside core, not in its store.
  const routerDir = path.join(packageDir, 'node_modules/@middy/http-router');
  return {
    ...base,
    moduleNameMapper: {
      ...base.moduleNameMapper,
      '^@middy/(core|util)$': path.join(middyDir, '..', '$1', 'index.js'),
      '^@middy/core/StreamifyResponse$': path.join(middyDir, 'executionModeStreamifyResponse.js'),
      ...(fs.existsSync(routerDir)
        ? { '^@middy/http-router$': path.join(fs.realpathSync(routerDir), 'index.js') }
        : {}),
    },
    transform: {
      ...base.transform,
      '^.+/(@middy/(core|util|http-router)|cookie@2[^/]*/node_modules/cookie)/.+\\.js$': [
        'ts-jest',
        {
          tsconfig: { allowJs: true, module: 'commonjs', isolatedModules: true },
          diagnostics: false,
        },
      ],
    },
    transformIgnorePatterns: [
      '/node_modules/(?!\\.pnpm/@middy\\+|@middy/|\\.pnpm/cookie@2|cookie/dist/)',
    ],
  };
};
