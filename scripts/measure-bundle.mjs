// Bundles the example's guarded Lambda handlers with every dependency in (esbuild, minified, as a
// Lambda deployment would) and sizes the result by package. Used by scripts/bundle-size.mjs (the
// CI check) and by `pnpm bench` (the performance target).

import { resolve } from 'node:path';
import { build } from 'esbuild';

/** The performance issue's budget for a handler guarded with `requireGroups`. */
export const BUNDLE_TARGET_BYTES = 60 * 1024;

/**
 * Bundles examples/lambda-movies/src/handlers.ts, or the handler module `source` written beside
 * it, and answers its size, in total and by package, and the bundle's text.
 *
 * @example
 * ```js
 * const { bytes, byPackage } = await measureBundle();
 * const viaConfig = await measureBundle("import { cognitoGuard } from '@cognito-guard/lambda'; …");
 * ```
 */
export async function measureBundle(source) {
  const root = resolve(import.meta.dirname, '..');
  const handlers = resolve(root, 'examples/lambda-movies/src');
  const result = await build({
    ...(source === undefined
      ? { entryPoints: [resolve(handlers, 'handlers.ts')] }
      : { stdin: { contents: source, resolveDir: handlers, loader: 'ts' } }),
    bundle: true,
    minify: true,
    platform: 'node',
    target: 'node20',
    format: 'esm',
    write: false,
    metafile: true,
    logLevel: 'error',
  });
  const byPackage = {};
  for (const [file, info] of Object.entries(Object.values(result.metafile.outputs)[0].inputs)) {
    const dep = /node_modules\/(?:\.pnpm\/[^/]+\/node_modules\/)?((?:@[^/]+\/)?[^/]+)/.exec(file);
    const own = /packages\/([^/]+)\//.exec(file);
    const name = dep ? dep[1] : own ? `@cognito-guard/${own[1]}` : 'handler';
    byPackage[name] = (byPackage[name] ?? 0) + info.bytesInOutput;
  }
  const contents = result.outputFiles[0].contents;
  return { bytes: contents.byteLength, byPackage, text: new TextDecoder().decode(contents) };
}
