/**
 * `pnpm demo` and every `pnpm example:*` build only what their example needs: the example and
 * the workspace packages it depends on, as pnpm's `--filter <name>...` selects them, never the
 * whole workspace. The README says how long the demo's first run takes.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

const ROOT = join(__dirname, '..');
const PNPM = join(ROOT, 'node_modules/pnpm/bin/pnpm.cjs');
const SCRIPTS = (
  JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as {
    scripts: Record<string, string>;
  }
).scripts;

interface Manifest {
  readonly name: string;
  readonly dependencies?: Record<string, string>;
}
const manifest = (dir: string): Manifest =>
  JSON.parse(readFileSync(join(ROOT, dir, 'package.json'), 'utf8')) as Manifest;

// The workspace packages a folder needs, itself included, from the manifests' `workspace:` ranges.
function closure(dir: string): string[] {
  const byName = new Map(
    ['core', 'express', 'fastify', 'cli']
      .map((name) => `packages/${name}`)
      .map((d) => [manifest(d).name, d] as const),
  );
  const found = new Set<string>([manifest(dir).name]);
  const visit = (d: string) => {
    for (const [dep, range] of Object.entries(manifest(d).dependencies ?? {})) {
      if (!range.startsWith('workspace:') || found.has(dep)) continue;
      found.add(dep);
      visit(byName.get(dep)!);
    }
  };
  visit(dir);
  return [...found].sort();
}

const RUNNERS = Object.entries(SCRIPTS)
  .map(([script, command]) => ({
    script,
    command,
    example: /exec node examples\/([\w-]+)\/dist\/main\.js$/.exec(command)?.[1],
  }))
  .filter(
    (r): r is { script: string; command: string; example: string } => r.example !== undefined,
  );

describe('the scripts that run an example', () => {
  it('should include pnpm demo, which runs the Express X-Road example', () => {
    expect(RUNNERS.find((r) => r.script === 'demo')?.example).toBe('xroad-express');
  });

  describe.each(RUNNERS)('pnpm $script', ({ command, example }) => {
    it('should build its example and the packages the example uses, and nothing else', () => {
      const filter = /^pnpm --filter (\S+) build && exec node /.exec(command)?.[1];
      expect(filter).toBe(`${manifest(`examples/${example}`).name}...`);
      // What pnpm selects with that filter, asked offline.
      const selected = JSON.parse(
        execFileSync(
          process.execPath,
          [PNPM, '--filter', filter!, 'ls', '--depth', '-1', '--json'],
          { cwd: ROOT, encoding: 'utf8', env: { ...process.env, npm_config_offline: 'true' } },
        ),
      ) as { name: string }[];
      expect(selected.map((p) => p.name).sort()).toEqual(closure(`examples/${example}`));
    });
  });

  it('pnpm demo should build three packages: the core, the Express adapter and the demo', () => {
    expect(closure('examples/xroad-express')).toEqual([
      '@faultline/core',
      '@faultline/example-xroad-express',
      '@faultline/express',
    ]);
  });
});

describe('the README', () => {
  it("should say how long the demo's first run takes", () => {
    const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
    const intro = readme.slice(0, readme.indexOf('\n## '));
    expect(intro).toMatch(/The demo builds only what it needs[\s\S]*first run takes about/);
  });
});
