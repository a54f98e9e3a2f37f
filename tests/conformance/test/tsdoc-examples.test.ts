// The TSDoc examples compile: every `@example` of every package's sources is type-checked. A name
// an example uses without importing it is imported from the file it documents, or else from the
// package that exports it (its own first, then core, then the adapters); any other name is the
// reader's (an `app`, a `token`) and is declared as `any`. So every call an example makes to
// cognito-guard is checked against the real signature, and an example of a function or class
// must name it, so that a rename without its example fails here.

import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import ts from 'typescript';
import {
  compileVirtual,
  exampleCompilerOptions,
  packageNames as packages,
  repositoryRoot as root,
} from './compile-examples';

// Examples are compiled as if they were files here, so that imports resolve as in this package.
const exampleDir = join(__dirname, 'tsdoc-examples');
// Where a name no file of the example's own package exports is looked for, in this order.
const PACKAGE_ORDER = ['core', 'express', 'koa', 'fastify', 'hono', 'lambda', 'redis', 'testing'];
// "Cannot find name" and its variants: the names an example leaves to the reader.
const FREE_NAME = new Set([2304, 2552, 2749, 18004]);
const RETURN_OUTSIDE_FUNCTION = 1108;

interface Example {
  readonly pkg: string;
  readonly file: string;
  /** `packages/core/src/x.ts:12`, for a failure's message. */
  readonly at: string;
  readonly code: string;
  /** The function or class it documents, which it must name. */
  readonly documents: string | undefined;
}

const sourcesOf = (dir: string): string[] =>
  readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory()
      ? sourcesOf(join(dir, entry.name))
      : entry.name.endsWith('.ts')
        ? [join(dir, entry.name)]
        : [],
  );

function examplesOf(pkg: string, file: string): Example[] {
  const source = ts.createSourceFile(
    file,
    readFileSync(file, 'utf8'),
    ts.ScriptTarget.ES2022,
    true,
  );
  const examples: Example[] = [];
  const visit = (node: ts.Node) => {
    for (const tag of ts.getJSDocTags(node)) {
      if (tag.tagName.text !== 'example' || tag.parent.parent !== node) continue;
      const text = ts.getTextOfJSDocComment(tag.comment) ?? '';
      const line = source.getLineAndCharacterOfPosition(tag.getStart()).line + 1;
      const fenced = /```(?:ts|typescript)?\n([\s\S]*?)```/.exec(text);
      const documents =
        (ts.isFunctionDeclaration(node) || ts.isClassDeclaration(node)) && node.name
          ? node.name.text
          : undefined;
      examples.push({
        pkg,
        file,
        at: `${relative(root, file)}:${line}`,
        code: fenced?.[1] ?? `unfenced example: ${text}`,
        documents,
      });
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return examples;
}

const examples = packages.flatMap((pkg) =>
  sourcesOf(join(root, 'packages', pkg, 'src')).flatMap((file) => examplesOf(pkg, file)),
);

const options = exampleCompilerOptions({
  types: ['node', 'jest'],
  noUncheckedIndexedAccess: false,
  // A callback handed to a reader's `any` (app.get(…, (req, res) => …)) has untyped parameters.
  noImplicitAny: false,
});

/** Every package entry (`@cognito-guard/core`, `@cognito-guard/core/adapter`, …) and its file. */
const entries = new Map<string, string>(
  packages.flatMap((pkg) => {
    const subpaths = join(root, 'packages', pkg, 'src/subpaths');
    const extra = existsSync(subpaths) ? readdirSync(subpaths) : [];
    return [
      [`@cognito-guard/${pkg}`, join(root, 'packages', pkg, 'src/index.ts')] as const,
      ...extra.map(
        (entry) =>
          [`@cognito-guard/${pkg}/${entry.replace(/\.ts$/, '')}`, join(subpaths, entry)] as const,
      ),
    ];
  }),
);

// The entries and every documented file, compiled once for both questions below.
let sourcesProgram: ts.Program | undefined;
const programOfSources = () =>
  (sourcesProgram ??= ts.createProgram(
    [...entries.values(), ...examples.map((example) => example.file)],
    options,
  ));

const exportsOf = (program: ts.Program, file: string): ts.Symbol[] => {
  const checker = program.getTypeChecker();
  const module = checker.getSymbolAtLocation(program.getSourceFile(file) as ts.SourceFile);
  return module ? checker.getExportsOfModule(module) : [];
};

/** The names each package entry and each documented file exports, by import specifier. */
function exportIndex(): Map<string, Set<string>> {
  const program = programOfSources();
  const modules = new Map([...entries, ...examples.map((e) => [e.file, e.file] as const)]);
  return new Map(
    [...modules].map(([specifier, file]) => [
      specifier,
      new Set(exportsOf(program, file).map((symbol) => symbol.name)),
    ]),
  );
}

/**
 * The public functions and classes (of every package entry, subpaths included) whose TSDoc has
 * no `@example`, as `file:line name`. A function-valued constant counts as a function.
 */
function publicWithoutExample(): string[] {
  const program = programOfSources();
  const checker = program.getTypeChecker();
  const documentedNode = (declaration: ts.Declaration) =>
    ts.isVariableDeclaration(declaration) ? declaration.parent.parent : declaration;
  const missing = new Set<string>();
  for (const entry of entries.values()) {
    for (const exported of exportsOf(program, entry)) {
      const symbol =
        exported.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(exported) : exported;
      const declarations = (symbol.declarations ?? []).filter(
        (d) =>
          !d.getSourceFile().fileName.includes('node_modules') &&
          (ts.isFunctionDeclaration(d) ||
            ts.isClassDeclaration(d) ||
            (ts.isVariableDeclaration(d) &&
              checker.getTypeOfSymbolAtLocation(symbol, d).getCallSignatures().length > 0)),
      );
      // An overloaded function is documented once, on any of its signatures.
      const documented = declarations.some((d) =>
        ts.getJSDocTags(documentedNode(d)).some((tag) => tag.tagName.text === 'example'),
      );
      const first = declarations[0];
      if (documented || first === undefined) continue;
      const source = first.getSourceFile();
      const line = source.getLineAndCharacterOfPosition(first.getStart()).line + 1;
      missing.add(`${relative(root, source.fileName)}:${line} ${symbol.name}`);
    }
  }
  return [...missing];
}

/**
 * Where an example's free name comes from: an import specifier, or undefined (the reader's). A
 * name is taken for cognito-guard's only from the file documented, or where it is called,
 * constructed or capitalised (a type, a class, a constant): a reader's `pending` or `lifetimeMs`
 * is no export that happens to share its name.
 */
function sourceOf(
  name: string,
  use: string,
  example: Example,
  index: Map<string, Set<string>>,
): string | undefined {
  if (index.get(example.file)?.has(name)) return example.file;
  if (!/^[A-Z]/.test(name) && !/^\s*[(<]/.test(use)) return undefined;
  const own = `@cognito-guard/${example.pkg}`;
  const order = [
    own,
    ...[...index.keys()].filter((key) => key.startsWith(`${own}/`)),
    ...PACKAGE_ORDER.filter((pkg) => pkg !== example.pkg).flatMap((pkg) => [
      `@cognito-guard/${pkg}`,
      ...[...index.keys()].filter((key) => key.startsWith(`@cognito-guard/${pkg}/`)),
    ]),
  ];
  return order.find((specifier) => index.get(specifier)?.has(name));
}

/** The example as a module: its free names imported or declared; a fragment of a function body in one. */
function moduleText(
  example: Example,
  free: ReadonlyMap<string, string | undefined>,
  fragment: boolean,
): string {
  const parsed = ts.createSourceFile('example.ts', example.code, ts.ScriptTarget.ES2022);
  const imports = parsed.statements.filter(ts.isImportDeclaration);
  const body = example.code.slice(imports.at(-1)?.end ?? 0);
  const lines = imports.map((statement) => statement.getFullText(parsed).trim());
  for (const [name, from] of free) {
    const path = from?.startsWith('/') ? from.replace(/\.ts$/, '') : from;
    lines.push(
      from === undefined
        ? `declare let ${name}: any; type ${name} = any;`
        : `import { ${name} } from '${path}';`,
    );
  }
  return `${lines.join('\n')}\n${fragment ? `async function example() {${body}}` : body}\nexport {};\n`;
}

describe('the TSDoc examples', () => {
  const failures = new Map<string, string[]>();

  beforeAll(() => {
    const index = exportIndex();
    const free = examples.map(() => new Map<string, string | undefined>());
    // Examples that return, as a function body does ("if (…) return …"): checked as one.
    const fragments = new Set<number>();
    const pathOf = (i: number) => join(exampleDir, `example-${i}.ts`);
    let program: ts.Program | undefined;
    // Each pass imports or declares the names the last one found missing.
    for (let pass = 0; pass < 5; pass++) {
      const files = new Map(
        examples.map((example, i) => [
          pathOf(i),
          moduleText(example, free[i] as Map<string, string | undefined>, fragments.has(i)),
        ]),
      );
      program = compileVirtual(files, options, program);
      let found = 0;
      examples.forEach((example, i) => {
        const source = program?.getSourceFile(pathOf(i)) as ts.SourceFile;
        for (const diagnostic of program?.getSemanticDiagnostics(source) ?? []) {
          if (diagnostic.code === RETURN_OUTSIDE_FUNCTION && !fragments.has(i)) {
            fragments.add(i);
            found++;
          }
          if (!FREE_NAME.has(diagnostic.code) || diagnostic.start === undefined) continue;
          const end = diagnostic.start + (diagnostic.length ?? 0);
          const name = source.text.slice(diagnostic.start, end);
          if (free[i]?.has(name)) continue;
          free[i]?.set(name, sourceOf(name, source.text.slice(end, end + 2), example, index));
          found++;
        }
      });
      if (found === 0) break;
    }
    examples.forEach((example, i) => {
      const source = program?.getSourceFile(pathOf(i)) as ts.SourceFile;
      const problems = [
        ...(program?.getSyntacticDiagnostics(source) ?? []),
        ...(program?.getSemanticDiagnostics(source) ?? []),
      ].map((diagnostic) => ts.flattenDiagnosticMessageText(diagnostic.messageText, ' '));
      if (example.documents && !new RegExp(`\\b${example.documents}\\b`).test(example.code)) {
        problems.push(`does not name ${example.documents}, the function or class it documents`);
      }
      if (problems.length === 0) return;
      const list = failures.get(example.pkg) ?? [];
      list.push(...problems.map((problem) => `${example.at}: ${problem}`));
      failures.set(example.pkg, list);
    });
  }, 120_000);

  it('are on every public function and class', () => {
    expect(publicWithoutExample()).toEqual([]);
  });

  it('are found: a fenced ts block in each', () => {
    expect(examples.length).toBeGreaterThan(300);
    expect(examples.filter((e) => e.code.startsWith('unfenced')).map((e) => e.at)).toEqual([]);
  });

  it.each(packages)('in packages/%s compile', (pkg) => {
    expect(failures.get(pkg) ?? []).toEqual([]);
  });
});
