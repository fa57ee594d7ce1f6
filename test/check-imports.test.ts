/**
 * scripts/check-imports.mjs: the imports of the packages run one way. It passes on this
 * checkout, and on a checkout with a cycle, a dialect importing the handler, the pipeline
 * importing a dialect, or an upward import, it fails naming each offending import.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

const SCRIPT = join(__dirname, '..', 'scripts', 'check-imports.mjs');

function run(args: string[]): { code: number; output: string } {
  try {
    return {
      code: 0,
      output: execFileSync(process.execPath, [SCRIPT, ...args], {
        encoding: 'utf8',
        stdio: 'pipe',
      }),
    };
  } catch (error) {
    const failed = error as { status: number; stdout: string; stderr: string };
    return { code: failed.status, output: failed.stdout + failed.stderr };
  }
}

describe('check-imports', () => {
  it('should pass on this checkout, with no cycles and no upward imports', () => {
    const { code, output } = run(['--stats']);
    expect(code).toBe(0);
    expect(output).toMatch(/import cycles: 0; upward imports in core: 0;/);
  });

  describe('when a checkout breaks the rules', () => {
    const root = mkdtempSync(join(tmpdir(), 'faultline-imports-'));
    const write = (path: string, text: string) => {
      const file = join(root, 'packages', 'core', 'src', path);
      mkdirSync(dirname(file), { recursive: true });
      writeFileSync(file, text);
    };
    afterAll(() => rmSync(root, { recursive: true, force: true }));

    it('should fail and name every offending import', () => {
      write('fault.ts', 'export const x = 1;\n');
      write(
        'handler/index.ts',
        "import { y } from '../dialects/kong/index.js';\nexport const h = y;\n",
      );
      write(
        'dialects/kong/index.ts',
        "import type { h } from '../../handler/index.js';\nexport const y = 1;\n",
      );
      write(
        'pipeline/normalize.ts',
        "import { y } from '../dialects/kong/index.js';\nexport const n = y;\n",
      );
      write('safe.ts', "import { n } from './pipeline/normalize.js';\nexport const s = n;\n");
      const { code, output } = run(['--root', root]);
      expect(code).toBe(1);
      expect(output).toContain('import cycle among 2 files');
      expect(output).toContain(
        "packages/core/src/dialects/kong/index.ts:1 imports '../../handler/index.js': a dialect must not import the handler or an entry file",
      );
      expect(output).toContain(
        "packages/core/src/pipeline/normalize.ts:1 imports '../dialects/kong/index.js': the pipeline and reading must not import a dialect",
      );
      expect(output).toContain(
        "packages/core/src/safe.ts:1 imports './pipeline/normalize.js': an upward import (foundations must not import pipeline and reading)",
      );
    });
  });
});
