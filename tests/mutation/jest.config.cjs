// The tests that can kill a mutant of the adapter layer: every adapter package's own tests, core's
// tests of its adapter helpers, and the conformance suite, which runs each surface against the
// core's decision. One Jest run over all of them, because a mutant in core's adapter helpers is
// killed by whichever adapter's tests notice it. The conformance settings apply (@middy/core and
// cookie 2 transpiled).
const path = require('node:path');

const root = path.join(__dirname, '../..');
const conformance = require('../../jest.preset.cjs').withMiddy(
  path.join(root, 'tests/conformance'),
);

module.exports = {
  ...conformance,
  rootDir: root,
  roots: ['<rootDir>/packages', '<rootDir>/tests/conformance'],
  testMatch: [
    '<rootDir>/packages/{express,koa,fastify,hono}/test/**/*.test.ts',
    '<rootDir>/packages/core/test/{handlers,one-decision,diagnose-once}.test.ts',
    '<rootDir>/tests/conformance/test/**/*.test.ts',
  ],
  collectCoverageFrom: [],
};
