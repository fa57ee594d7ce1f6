/**
 * Every TypeScript and JavaScript block of the READMEs (README.md, examples/*\/README.md,
 * packages/*\/README.md) compiles under `strict` against the built packages, as a user who
 * pastes it into their own service would compile it: `@faultline/*` resolves through each
 * package's `exports` to its `dist` declarations, the frameworks and libraries to the copies the
 * workspace installed. ```ts blocks are checked as TypeScript modules, ```js blocks as ES
 * modules with `checkJs`.
 *
 * A block that continues an example shown earlier, as the README says in its text, is marked
 * with an HTML comment on the line before its fence, and is compiled after that example:
 *
 *   <!-- snippet: express-quick-start -->          names the block that follows
 *   <!-- snippet: after express-quick-start -->    this block continues it (its `app`, imports, …)
 *
 * `pnpm test` builds first; run `pnpm build` before running this file alone.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import ts from 'typescript';

const ROOT = join(__dirname, '..');
const VIRTUAL = join(ROOT, '.readme-snippets');

/** One fenced block of a README. */
export interface Snippet {
  /** The README, relative to the repository. */
  readonly file: string;
  /** The line of the opening fence (1-based). */
  readonly line: number;
  readonly lang: 'ts' | 'js';
  readonly code: string;
  /** `<!-- snippet: <id> -->` */
  readonly id?: string;
  /** `<!-- snippet: after <id> -->` */
  readonly after?: string;
}

const LANGS: Readonly<Record<string, 'ts' | 'js'>> = {
  ts: 'ts',
  typescript: 'ts',
  js: 'js',
  javascript: 'js',
  mjs: 'js',
};

/** The fenced ts/js blocks of a Markdown text, with their indentation removed. */
export function snippetsOf(file: string, text: string): Snippet[] {
  const lines = text.split('\n');
  const found: Snippet[] = [];
  for (let i = 0; i < lines.length; i++) {
    const open = /^(\s*)```(\w+)\s*$/.exec(lines[i]!);
    if (open === null) continue;
    const indent = open[1]!.length;
    const start = i;
    const body: string[] = [];
    for (i++; i < lines.length && !/^\s*```\s*$/.test(lines[i]!); i++)
      body.push(lines[i]!.slice(Math.min(indent, /^\s*/.exec(lines[i]!)![0].length)));
    const lang = LANGS[open[2]!];
    if (lang === undefined) continue;
    const marker = /^\s*<!--\s*snippet:\s*(after\s+)?([\w-]+)\s*-->\s*$/.exec(
      lines[start - 1] ?? '',
    );
    found.push({
      file,
      line: start + 1,
      lang,
      code: body.join('\n') + '\n',
      ...(marker === null
        ? {}
        : marker[1] === undefined
          ? { id: marker[2]! }
          : { after: marker[2]! }),
    });
  }
  return found;
}

function readmes(): string[] {
  const files = ['README.md'];
  for (const dir of ['examples', 'packages']) {
    for (const entry of readdirSync(join(ROOT, dir), { withFileTypes: true })) {
      if (entry.isDirectory() && existsSync(join(ROOT, dir, entry.name, 'README.md')))
        files.push(`${dir}/${entry.name}/README.md`);
    }
  }
  return files.sort();
}

const SNIPPETS = readmes().flatMap((file) =>
  snippetsOf(file, readFileSync(join(ROOT, file), 'utf8')),
);

/** The source compiled for a snippet: the blocks it continues, then its own. */
function sourceOf(snippet: Snippet, seen: readonly Snippet[] = []): string {
  if (snippet.after === undefined) return snippet.code;
  const base = SNIPPETS.find((s) => s.file === snippet.file && s.id === snippet.after);
  if (base === undefined)
    throw new Error(
      `${snippet.file}:${snippet.line}: no block named '${snippet.after}' in the same README`,
    );
  if (seen.includes(base))
    throw new Error(`${snippet.file}:${snippet.line}: the blocks continue each other in a loop`);
  return `${sourceOf(base, [...seen, snippet])}\n${snippet.code}`;
}

function virtualName(snippet: Snippet): string {
  return join(
    VIRTUAL,
    `${snippet.file.replace(/[^\w]+/g, '-')}-${snippet.line}.${snippet.lang === 'ts' ? 'ts' : 'mjs'}`,
  );
}

const OPTIONS: ts.CompilerOptions = {
  strict: true,
  target: ts.ScriptTarget.ES2022,
  lib: ['lib.es2022.d.ts'],
  types: ['node'],
  module: ts.ModuleKind.ESNext,
  moduleResolution: ts.ModuleResolutionKind.Bundler,
  moduleDetection: ts.ModuleDetectionKind.Force,
  esModuleInterop: true,
  allowJs: true,
  checkJs: true,
  skipLibCheck: true,
  noEmit: true,
};

/** Compiles every snippet in one program; returns the diagnostics of each, formatted. */
export function compile(snippets: readonly Snippet[]): Map<Snippet, string> {
  const sources = new Map(snippets.map((s) => [virtualName(s), sourceOf(s)]));
  const host = ts.createCompilerHost(OPTIONS);
  const { getSourceFile, fileExists, readFile } = host;
  host.fileExists = (name) => sources.has(name) || fileExists.call(host, name);
  host.readFile = (name) => sources.get(name) ?? readFile.call(host, name);
  host.getSourceFile = (name, version, ...rest) => {
    const text = sources.get(name);
    return text === undefined
      ? getSourceFile.call(host, name, version, ...rest)
      : ts.createSourceFile(name, text, version, true);
  };
  const program = ts.createProgram([...sources.keys()], OPTIONS, host);
  const format: ts.FormatDiagnosticsHost = {
    getCanonicalFileName: (f) => f,
    getCurrentDirectory: () => ROOT,
    getNewLine: () => '\n',
  };
  const result = new Map<Snippet, string>();
  for (const snippet of snippets) {
    const file = program.getSourceFile(virtualName(snippet))!;
    const diagnostics = [
      ...program.getSyntacticDiagnostics(file),
      ...program.getSemanticDiagnostics(file),
    ];
    result.set(snippet, ts.formatDiagnostics(diagnostics, format));
  }
  return result;
}

describe('the README code blocks', () => {
  let results: Map<Snippet, string>;
  beforeAll(() => {
    results = compile(SNIPPETS);
  });

  it("should find the README's TypeScript and JavaScript blocks", () => {
    expect(
      SNIPPETS.filter((s) => s.file === 'README.md' && s.lang === 'ts').length,
    ).toBeGreaterThan(10);
    expect(
      SNIPPETS.filter((s) => s.file === 'README.md' && s.lang === 'js').length,
    ).toBeGreaterThan(3);
  });

  it.each(SNIPPETS.map((s) => [`${s.file}:${s.line}`, s.lang, s] as const))(
    '%s (%s) should compile under strict',
    (_where, _lang, snippet) => {
      expect(results.get(snippet)).toBe('');
    },
  );
});

describe('snippetsOf', () => {
  it('should read indented blocks and their markers, and skip other languages', () => {
    const text = [
      '<!-- snippet: base -->',
      '```ts',
      'const a = 1;',
      '```',
      '- item',
      '',
      '  <!-- snippet: after base -->',
      '  ```js',
      '  a;',
      '  ```',
      '```sh',
      'ls',
      '```',
    ].join('\n');
    expect(snippetsOf('x.md', text)).toEqual([
      { file: 'x.md', line: 2, lang: 'ts', code: 'const a = 1;\n', id: 'base' },
      { file: 'x.md', line: 8, lang: 'js', code: 'a;\n', after: 'base' },
    ]);
  });

  it('should report a block that does not compile, and the line of its README', () => {
    const [bad] = snippetsOf(
      'x.md',
      "```ts\nimport { xks } from '@faultline/core';\nconst n: number = xks.schema().json.properties;\n```\n",
    );
    const diagnostics = compile([bad!]).get(bad!)!;
    expect(relative(ROOT, VIRTUAL)).toBe('.readme-snippets');
    expect(diagnostics).toMatch(/error TS\d+/);
  });
});
