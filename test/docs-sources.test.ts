/**
 * The documentation a user reads speaks for itself: the READMEs, SECURITY.md, the changelog,
 * the benchmark notes, the examples' sources and the packages' sources (their comments, TSDoc
 * and error messages) cite the public specifications and source repositories of each
 * convention, never a document that is not in this repository. The
 * README's package table lists every package, and every example has a README and a root
 * script that runs it.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

const ROOT = join(__dirname, '..');

function files(dir: string, ext: RegExp): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (name === 'node_modules' || name === 'dist') return [];
    return statSync(path).isDirectory() ? files(path, ext) : ext.test(name) ? [path] : [];
  });
}

const EXAMPLES = readdirSync(join(ROOT, 'examples')).filter((name) =>
  existsSync(join(ROOT, 'examples', name, 'package.json')),
);
const PACKAGES = readdirSync(join(ROOT, 'packages')).filter((name) =>
  existsSync(join(ROOT, 'packages', name, 'package.json')),
);

const DOCUMENTS = [
  'README.md',
  'SECURITY.md',
  'CHANGELOG.md',
  'bench/README.md',
  ...files(join(ROOT, 'examples'), /\.(md|ts|mjs|xml)$/).map((f) => relative(ROOT, f)),
  ...files(join(ROOT, 'packages'), /^(README|CHANGELOG)\.md$/).map((f) => relative(ROOT, f)),
].filter((f) => existsSync(join(ROOT, f)));

// The packages' sources: what their comments, TSDoc and messages say reaches every user.
const SOURCES = PACKAGES.flatMap((name) =>
  files(join(ROOT, 'packages', name, 'src'), /\.(ts|mts|cts|js|mjs|json)$/).map((f) =>
    relative(ROOT, f),
  ),
);

// What no user can open: the documents faultline's conventions were first collected in.
const UNREACHABLE: readonly [string, RegExp][] = [
  ['a numbered seed', /\bseed\s*`?\d{3}`?/i],
  ['a seed document', /\bseeds?\//i],
  ['wire-formats.md', /wire-formats/i],
  ['"the seed"', /\b(?:the|a|its|this)\s+seed(?:'s)?\b(?!\s+runs)/i],
  ["a seed's table", /\bseed(?:'s)?\s+(?:table|tables|text|template|meaning|log|says|has|format)/i],
];

// In the sources, which run no property tests with a seed, the word alone is enough.
const UNREACHABLE_IN_SOURCES: readonly [string, RegExp][] = [
  ...UNREACHABLE,
  ['a seed', /\bseed(?:s|'s)?\b/i],
];

describe.each([
  ...DOCUMENTS.map((file) => [file, UNREACHABLE] as const),
  ...SOURCES.map((file) => [file, UNREACHABLE_IN_SOURCES] as const),
])('%s', (file, patterns) => {
  it('should cite no document outside the repository', () => {
    const lines = readFileSync(join(ROOT, file), 'utf8').split('\n');
    const found = lines.flatMap((line, i) =>
      patterns
        .filter(([, pattern]) => pattern.test(line))
        .map(([what]) => `${file}:${i + 1}: ${what}: ${line.trim()}`),
    );
    expect(found).toEqual([]);
  });
});

describe('the README', () => {
  const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');

  it.each([
    ['X-Road', 'https://github.com/nordic-institute/X-Road'],
    ['the XKS proxy API specification', 'https://github.com/aws/aws-kms-xksproxy-api-spec'],
    [
      "WSO2 API Manager's Error Handling",
      'https://apim.docs.wso2.com/en/latest/troubleshooting/error-handling/',
    ],
    [
      "DE4A's Logs and error messages",
      'https://wiki.de4a.eu/index.php/DE4A_Logs_and_error_messages',
    ],
    ['the DE4A connector', 'https://github.com/de4a-eu/de4a'],
    [
      "KOBIL's AST error table",
      'https://developer.kobil.com/docs/ast-docs/errorcodes/errorcodes_Certificate-Authority',
    ],
  ])('should link %s', (_what, url) => {
    expect(readme).toContain(`](${url})`);
  });

  it('should list every package in its package table', () => {
    const table = readme.slice(readme.indexOf('| package | what it is |'));
    for (const name of PACKAGES) {
      const manifest = JSON.parse(
        readFileSync(join(ROOT, 'packages', name, 'package.json'), 'utf8'),
      ) as { name: string };
      expect(table).toMatch(new RegExp(`^\\| \`${manifest.name}\` \\|`, 'm'));
    }
  });
});

describe.each(EXAMPLES)('examples/%s', (name) => {
  const scripts = (
    JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as {
      scripts: Record<string, string>;
    }
  ).scripts;

  it('should have a README', () => {
    expect(existsSync(join(ROOT, 'examples', name, 'README.md'))).toBe(true);
  });

  it('should be run by a root script, which the README names', () => {
    const script = Object.entries(scripts).find(([, command]) =>
      command.includes(`node examples/${name}/dist/main.js`),
    );
    expect(script).toBeDefined();
    expect(readFileSync(join(ROOT, 'examples', name, 'README.md'), 'utf8')).toContain(
      `npx -y pnpm@10 ${script![0]}`,
    );
  });
});
