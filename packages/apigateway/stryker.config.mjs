// Mutation testing of what decides the protection API Gateway enforces (`pnpm mutation`, after
// core's; not in CI). The export picks each route's authorizer, and the drift report tells a
// deployed API looser than its policy from a stricter one: a survivor in either can let API
// Gateway pass a request the guards refuse. Core's settings, explained there.
import core from '../core/stryker.config.mjs';

/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
export default {
  ...core,
  mutate: ['src/protection.ts', 'src/route-keys.ts', 'src/authorizer-identity.ts', 'src/diff.ts'],
};
