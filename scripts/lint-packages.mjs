// Lints every publishable package under packages/ the way a registry user would meet it: packs
// it with pnpm (so `workspace:` ranges are rewritten as on publish), then runs publint (strict)
// and Are the Types Wrong (profile `strict`: node10, node16 from CJS and ESM, bundler; `esm-only`
// for a package that exports no `require` condition, such as the command-line package) on the
// tarball. Runs offline: both tools read the tarball only.
//
//   node scripts/lint-packages.mjs [--json] [packages/<name> …]
//
// Build first (`pnpm lint:packages` does). Exits 1 when any package has a problem.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { publint } from 'publint';
import { formatMessage, formatMessagePath } from 'publint/utils';

const ROOT = resolve(fileURLToPath(import.meta.url), '../..');
// The pnpm of the lockfile, so packing needs no download.
const PNPM = join(ROOT, 'node_modules/pnpm/bin/pnpm.cjs');
const ATTW = join(ROOT, 'node_modules/@arethetypeswrong/cli/dist/index.js');

/** The publishable packages: every folder of packages/ with a package.json not marked private. */
export function discoverPackages() {
  const dir = join(ROOT, 'packages');
  return readdirSync(dir, { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && existsSync(join(dir, entry.name, 'package.json')))
    .map((entry) => join(dir, entry.name))
    .filter(
      (pkgDir) => JSON.parse(readFileSync(join(pkgDir, 'package.json'), 'utf8')).private !== true,
    )
    .sort();
}

function pack(pkgDir, destination) {
  const out = execFileSync(
    process.execPath,
    [PNPM, 'pack', '--json', '--pack-destination', destination],
    {
      cwd: pkgDir,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, npm_config_offline: 'true', npm_config_update_notifier: 'false' },
    },
  );
  const tarball = readdirSync(destination).find((name) => name.endsWith('.tgz'));
  if (tarball === undefined) throw new Error(`pnpm pack wrote no tarball for ${pkgDir}:\n${out}`);
  return join(destination, tarball);
}

async function runPublint(tarball) {
  const { messages, pkg } = await publint({
    pack: { tarball: readFileSync(tarball) },
    strict: true,
  });
  return messages.map(
    (m) =>
      `publint ${m.type} ${m.code} at ${m.path.length > 0 ? formatMessagePath(m.path) : 'package.json'}: ${formatMessage(m, pkg, { color: false })}`,
  );
}

// A package whose exports carry no `require` condition is ES-module only: attw's `esm-only`
// profile leaves out the CommonJS resolutions it does not offer.
function profileOf(pkgDir) {
  const manifest = readFileSync(join(pkgDir, 'package.json'), 'utf8');
  return manifest.includes('"require"') || manifest.includes('"main"') ? 'strict' : 'esm-only';
}

function runAttw(tarball, profile) {
  const run = spawnSync(
    process.execPath,
    [
      ATTW,
      tarball,
      '--format',
      'json',
      '--profile',
      profile,
      '--no-definitely-typed',
      '--no-color',
    ],
    { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 },
  );
  let report;
  try {
    report = JSON.parse(run.stdout);
  } catch {
    return [`attw failed (exit ${run.status}): ${run.stderr.trim() || run.stdout.trim()}`];
  }
  if (report.analysis?.types === false) return ['attw: the package ships no types'];
  // The JSON report lists every problem; the profile's ignored resolutions do not count.
  const ignored = profile === 'esm-only' ? new Set(['node10', 'node16-cjs']) : new Set();
  const problems = [];
  for (const [kind, list] of Object.entries(report.problems ?? {})) {
    for (const p of list) {
      if (ignored.has(p.resolutionKind)) continue;
      const { kind: _, ...details } = p;
      const where = Object.entries(details).map(
        ([key, value]) => `${key}: ${JSON.stringify(value)}`,
      );
      problems.push(`attw ${kind} (${where.join(', ')})`);
    }
  }
  if (problems.length === 0 && run.status !== 0)
    problems.push(`attw exited ${run.status}: ${run.stderr.trim()}`);
  return problems;
}

/** Packs and lints one package; resolves to its name and the problems found (empty when clean). */
export async function lintPackage(pkgDir) {
  const name = JSON.parse(readFileSync(join(pkgDir, 'package.json'), 'utf8')).name;
  const destination = mkdtempSync(join(tmpdir(), 'faultline-pack-'));
  try {
    const tarball = pack(pkgDir, destination);
    return {
      name,
      dir: relative(ROOT, pkgDir),
      problems: [...(await runPublint(tarball)), ...runAttw(tarball, profileOf(pkgDir))],
    };
  } finally {
    rmSync(destination, { recursive: true, force: true });
  }
}

async function main(argv) {
  const json = argv.includes('--json');
  const dirs = argv.filter((arg) => !arg.startsWith('--')).map((dir) => resolve(ROOT, dir));
  const results = [];
  for (const pkgDir of dirs.length > 0 ? dirs : discoverPackages())
    results.push(await lintPackage(pkgDir));
  if (json) {
    process.stdout.write(JSON.stringify(results, null, 2) + '\n');
  } else {
    for (const { name, dir, problems } of results) {
      console.log(problems.length === 0 ? `ok   ${name} (${dir})` : `FAIL ${name} (${dir})`);
      for (const problem of problems) console.log(`     - ${problem}`);
    }
  }
  process.exitCode = results.some((r) => r.problems.length > 0) ? 1 : 0;
}

if (basename(process.argv[1] ?? '') === basename(fileURLToPath(import.meta.url))) {
  await main(process.argv.slice(2));
}
