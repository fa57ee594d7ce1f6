/**
 * Every symbol a package exports from its entry point (`packages/<name>/src/index.ts`) has a
 * TSDoc comment with an `@example`. Packages and their exports are discovered with the
 * TypeScript compiler, so a new export or a new package is held to the same rule. `pnpm run docs`
 * (TypeDoc) refuses undocumented exports as well; this test also asks for the example.
 */
import { existsSync, readdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import ts from 'typescript';

const ROOT = join(__dirname, '..');

const ENTRIES = readdirSync(join(ROOT, 'packages'), { withFileTypes: true })
  .filter((entry) => entry.isDirectory())
  .map((entry) => ({
    name: entry.name,
    file: join(ROOT, 'packages', entry.name, 'src', 'index.ts'),
  }))
  .filter((entry) => existsSync(entry.file))
  .sort((a, b) => a.name.localeCompare(b.name));

function program(): ts.Program {
  const configFile = ts.readConfigFile(join(ROOT, 'tsconfig.json'), ts.sys.readFile);
  const config = ts.parseJsonConfigFileContent(configFile.config, ts.sys, ROOT);
  return ts.createProgram(
    ENTRIES.map((entry) => entry.file),
    config.options,
  );
}

// The declarations that carry the symbol's comment: a variable's comment sits on its statement.
function hasExample(declaration: ts.Declaration): boolean {
  return ts.getJSDocTags(declaration).some((tag) => tag.tagName.text === 'example');
}

function hasComment(declaration: ts.Declaration): boolean {
  const node = ts.isVariableDeclaration(declaration) ? declaration.parent.parent : declaration;
  return ts.getJSDocCommentsAndTags(node).some(ts.isJSDoc);
}

/** The exported names of one entry point that lack a comment or an `@example`, with where they are declared. */
function offenders(checker: ts.TypeChecker, source: ts.SourceFile): string[] {
  const moduleSymbol = checker.getSymbolAtLocation(source);
  if (moduleSymbol === undefined) return [];
  const found: string[] = [];
  for (const exported of checker.getExportsOfModule(moduleSymbol)) {
    const symbol =
      exported.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(exported) : exported;
    const declarations = symbol.declarations ?? [];
    const where =
      declarations[0] === undefined
        ? '?'
        : relative(ROOT, declarations[0].getSourceFile().fileName);
    if (!declarations.some(hasComment)) found.push(`${exported.name} (${where}): no doc comment`);
    else if (!declarations.some(hasExample)) found.push(`${exported.name} (${where}): no @example`);
  }
  return found.sort();
}

describe('the public entry points', () => {
  it('should include core, express and fastify', () => {
    expect(ENTRIES.map((entry) => entry.name)).toEqual(
      expect.arrayContaining(['core', 'express', 'fastify']),
    );
  });
});

describe('every exported symbol', () => {
  const built = program();
  const checker = built.getTypeChecker();

  it.each(ENTRIES.map((entry) => [entry.name, entry.file] as const))(
    'of packages/%s should have a TSDoc comment with an @example',
    (_name, file) => {
      const source = built.getSourceFile(file);
      expect(source).toBeDefined();
      const exports = checker.getExportsOfModule(checker.getSymbolAtLocation(source!)!);
      expect(exports.length).toBeGreaterThan(0);
      expect(offenders(checker, source!).join('\n')).toBe('');
    },
  );
});
