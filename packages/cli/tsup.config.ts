import { defineConfig } from 'tsup';
import base from '../../tsup.config.base';

// The library entry in both formats; the bin as ESM only (its shebang is kept).
export default defineConfig([
  { ...base, entry: ['src/index.ts'] },
  { ...base, entry: ['src/bin.ts'], format: ['esm'], dts: false, clean: false },
]);
