// Core has subpath exports; the CJS build is split too, so every entry shares one copy of each
// module (one AuthError class, one env guard) instead of bundling its own.
import { defineConfig } from 'tsup';
import base from '../../tsup.config.base';

export default defineConfig({
  ...(base as object),
  entry: {
    index: 'src/index.ts',
    adapter: 'src/subpaths/adapter.ts',
    advanced: 'src/subpaths/advanced.ts',
    policy: 'src/subpaths/policy.ts',
    revocation: 'src/subpaths/revocation.ts',
    alb: 'src/subpaths/alb.ts',
    otel: 'src/subpaths/otel.ts',
    offload: 'src/subpaths/offload.ts',
    // Not an export: the script `verifyInWorkers` starts its threads with, found beside it.
    'verify-worker': 'src/offload/verify-worker.ts',
  },
  splitting: true,
  // `__dirname` in the ESM build, where verifyInWorkers finds its worker's script.
  shims: true,
});
