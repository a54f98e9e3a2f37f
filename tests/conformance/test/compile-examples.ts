// Type-checks code that lives in no file (the README's and the TSDoc's examples): each is a
// module of this package, compiled against the packages' sources (as every test here resolves
// them, so no build is needed) and the frameworks' real types.

import { existsSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import ts from 'typescript';

/** The repository's root. */
export const repositoryRoot = resolve(__dirname, '../../..');

/** The workspace packages with sources: `core`, `express`, …. */
export const packageNames = readdirSync(join(repositoryRoot, 'packages')).filter((name) =>
  existsSync(join(repositoryRoot, 'packages', name, 'src/index.ts')),
);

/**
 * The repository's strict options, with `@cognito-guard/*` mapped to the sources.
 *
 * @example
 * ```ts
 * const options = exampleCompilerOptions({ noImplicitAny: false });
 * ```
 */
export function exampleCompilerOptions(overrides: ts.CompilerOptions = {}): ts.CompilerOptions {
  return {
    target: ts.ScriptTarget.ES2022,
    lib: ['lib.es2023.d.ts'],
    module: ts.ModuleKind.Preserve,
    moduleResolution: ts.ModuleResolutionKind.Bundler,
    types: ['node'],
    strict: true,
    noUncheckedIndexedAccess: true,
    esModuleInterop: true,
    skipLibCheck: true,
    noEmit: true,
    baseUrl: repositoryRoot,
    paths: Object.fromEntries(
      packageNames.flatMap((name) => [
        [`@cognito-guard/${name}`, [join(repositoryRoot, 'packages', name, 'src/index.ts')]],
        [`@cognito-guard/${name}/*`, [join(repositoryRoot, 'packages', name, 'src/subpaths/*.ts')]],
      ]),
    ),
    ...overrides,
  };
}

/**
 * A program of `files` (path → text, in no directory that need exist) beside everything on disk.
 *
 * @example
 * ```ts
 * const program = compileVirtual(new Map([[join(__dirname, 'x/a.ts'), code]]), options);
 * ```
 */
export function compileVirtual(
  files: ReadonlyMap<string, string>,
  options: ts.CompilerOptions,
  old?: ts.Program,
): ts.Program {
  const host = ts.createCompilerHost(options);
  const readFile = host.readFile.bind(host);
  const getSourceFile = host.getSourceFile.bind(host);
  host.fileExists = (name) => files.has(name) || ts.sys.fileExists(name);
  host.readFile = (name) => files.get(name) ?? readFile(name);
  host.getSourceFile = (name, version, ...rest) => {
    const text = files.get(name);
    return text === undefined
      ? getSourceFile(name, version, ...rest)
      : ts.createSourceFile(name, text, version);
  };
  return ts.createProgram([...files.keys()], options, host, old);
}

/**
 * Compiles one file at a time, each in a program of its own, as a user's editor checks the file
 * an example is pasted into: in one program for all, what the checker worked out for one file can
 * decide another's. Each program reuses the last one's parsed files from disk.
 *
 * @example
 * ```ts
 * const compileAlone = fileByFile();
 * const program = compileAlone(join(__dirname, 'x/a.ts'), code, options);
 * ```
 */
export function fileByFile(): (
  file: string,
  text: string,
  options: ts.CompilerOptions,
) => ts.Program {
  let last: ts.Program | undefined;
  return (file, text, options) => {
    last = compileVirtual(new Map([[file, text]]), options, last);
    return last;
  };
}
