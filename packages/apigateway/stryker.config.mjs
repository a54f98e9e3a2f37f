// Mutation testing of what decides the protection API Gateway enforces (`pnpm mutation`, after
// core's; not in CI). The export picks each route's authorizer, and the drift report tells a
// deployed API looser than its policy from a stricter one: a survivor in either can let API
// Gateway pass a request the guards refuse. Core's settings, explained there.
import core from '../core/stryker.config.mjs';

/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
export default {
  ...core,
  mutate: [
    'src/protection.ts',
    'src/route-keys.ts',
    'src/authorizer-identity.ts',
    'src/diff.ts',
    // What drift reads of an export: a field read as absent would hide its drift.
    'src/api-document.ts',
  ],
  // Below core's 90: the first run with the drift model scored 87.2 %. Most survivors read a
  // malformed export (optional chaining), make a route self-contained less often (stricter: the
  // Lambda authorizer where a native one would do), or repeat a check the next line makes.
  thresholds: { high: 95, low: 85, break: 80 },
};
