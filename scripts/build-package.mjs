// Builds the package in the current directory into dist/esm (ES modules) and dist/cjs
// (CommonJS), each with its own declarations and a package.json that fixes its module type.
// `--esm-only` builds dist/esm alone (the command-line package, which loads ES modules).
import { execFileSync } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';

const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
const formats = [
  { dir: 'esm', type: 'module', module: 'ESNext', moduleResolution: 'Bundler' },
  { dir: 'cjs', type: 'commonjs', module: 'CommonJS', moduleResolution: 'Node10' },
].filter((f) => !(process.argv.includes('--esm-only') && f.dir === 'cjs'));

rmSync('dist', { recursive: true, force: true });
for (const f of formats) {
  const outDir = join('dist', f.dir);
  execFileSync(
    process.execPath,
    [
      tsc,
      '-p',
      'tsconfig.json',
      '--outDir',
      outDir,
      '--module',
      f.module,
      '--moduleResolution',
      f.moduleResolution,
    ],
    { stdio: 'inherit' },
  );
  mkdirSync(outDir, { recursive: true });
  writeFileSync(join(outDir, 'package.json'), JSON.stringify({ type: f.type }) + '\n');
}
