/**
 * Every publishable package under packages/, packed as it would be published and checked with
 * publint (strict) and Are the Types Wrong (node10, node16 from CJS and ESM, bundler), by
 * `scripts/lint-packages.mjs` (also `pnpm lint:packages`). Packages are discovered, so a new one
 * is covered as soon as it exists. `pnpm test` builds first; run `pnpm build` before running
 * this file alone.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const ROOT = join(__dirname, '..');

const PACKAGES = readdirSync(join(ROOT, 'packages'), { withFileTypes: true })
  .filter(
    (entry) =>
      entry.isDirectory() && existsSync(join(ROOT, 'packages', entry.name, 'package.json')),
  )
  .map((entry) => entry.name)
  .filter((name) => {
    const manifest = JSON.parse(
      readFileSync(join(ROOT, 'packages', name, 'package.json'), 'utf8'),
    ) as {
      private?: boolean;
    };
    return manifest.private !== true;
  })
  .sort();

interface LintResult {
  readonly name: string;
  readonly dir: string;
  readonly problems: readonly string[];
}

// The script exits 1 when it finds problems; its JSON report is on stdout either way.
function lint(dir: string): LintResult {
  const run = spawnSync(
    process.execPath,
    [join(ROOT, 'scripts/lint-packages.mjs'), '--json', dir],
    {
      cwd: ROOT,
      encoding: 'utf8',
      maxBuffer: 16 * 1024 * 1024,
    },
  );
  if (!run.stdout.trim().startsWith('[')) {
    throw new Error(`lint-packages.mjs failed (exit ${run.status}):\n${run.stderr}`);
  }
  return (JSON.parse(run.stdout) as LintResult[])[0]!;
}

describe('the packages under packages/', () => {
  it('should include at least core and the two adapters', () => {
    expect(PACKAGES).toEqual(expect.arrayContaining(['core', 'express', 'fastify']));
  });
});

describe.each(PACKAGES)('when packages/%s is packed for publishing', (name) => {
  it('should pass publint (strict) and Are the Types Wrong with no problem', () => {
    const result = lint(`packages/${name}`);
    const report =
      result.problems.length === 0 ? '' : `${result.name}:\n  - ${result.problems.join('\n  - ')}`;
    expect(report).toBe('');
  });
});
