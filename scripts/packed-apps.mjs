// Small applications that use faultline the way a user installs it: every package under
// packages/ is packed as it would be published (pnpm rewrites the `workspace:` ranges) and
// unpacked into each application's node_modules. Only what the tarballs hold can be loaded:
// their `files`, `exports` maps and declared dependencies. The other dependencies (Express 4,
// Express 5, Fastify 5, and the libraries our packages declare) are linked to the copies the
// workspace installed, so nothing is downloaded.
//
//   node scripts/packed-apps.mjs <destination>   # prints the applications as JSON
//
// Build first (`pnpm build`). Used by test/packed-apps.test.ts.
import { execFileSync } from 'node:child_process';
import {
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  realpathSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = resolve(fileURLToPath(import.meta.url), '../..');
const PNPM = join(ROOT, 'node_modules/pnpm/bin/pnpm.cjs');
const FIXTURES = join(ROOT, 'test/fixtures/packed');

/** The applications: a framework, the copy of it the workspace installed, and the server file. */
export const APPS = [
  {
    name: 'express4',
    framework: 'express',
    from: 'node_modules/express4',
    server: 'express-app.cjs',
  },
  {
    name: 'express5',
    framework: 'express',
    from: 'node_modules/express',
    server: 'express-app.cjs',
  },
  {
    name: 'fastify5',
    framework: 'fastify',
    from: 'node_modules/fastify',
    server: 'fastify-app.mjs',
  },
];

function readJson(file) {
  return JSON.parse(readFileSync(file, 'utf8'));
}

/** Packs every publishable package; returns { name, dir, tarball, manifest } for each. */
function packAll(destination) {
  const dir = join(ROOT, 'packages');
  return readdirSync(dir, { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && existsSync(join(dir, entry.name, 'package.json')))
    .map((entry) => join(dir, entry.name))
    .filter((pkgDir) => readJson(join(pkgDir, 'package.json')).private !== true)
    .map((pkgDir) => {
      const out = mkdtempSync(join(destination, 'pack-'));
      execFileSync(process.execPath, [PNPM, 'pack', '--pack-destination', out], {
        cwd: pkgDir,
        stdio: ['ignore', 'pipe', 'pipe'],
        env: { ...process.env, npm_config_offline: 'true', npm_config_update_notifier: 'false' },
      });
      const tarball = join(
        out,
        readdirSync(out).find((name) => name.endsWith('.tgz')),
      );
      return { dir: pkgDir, tarball, name: readJson(join(pkgDir, 'package.json')).name };
    });
}

function unpack(tarball, into) {
  mkdirSync(into, { recursive: true });
  execFileSync('tar', ['-xzf', tarball, '-C', into, '--strip-components=1']);
}

function link(target, path) {
  mkdirSync(dirname(path), { recursive: true });
  if (!existsSync(path)) symlinkSync(target, path, 'dir');
}

/**
 * Builds the applications under `destination`; returns [{ name, dir, server, versions }].
 * Each application's node_modules holds the unpacked packages, their declared third-party
 * dependencies (linked from where the workspace resolved them for that package) and the
 * framework.
 */
export function buildPackedApps(destination) {
  const packed = packAll(destination);
  return APPS.map((app) => {
    const dir = join(destination, app.name);
    const modules = join(dir, 'node_modules');
    for (const pkg of packed) {
      const into = join(modules, pkg.name);
      unpack(pkg.tarball, into);
      const manifest = readJson(join(into, 'package.json'));
      for (const dep of Object.keys(manifest.dependencies ?? {})) {
        if (dep.startsWith('@faultline/')) continue; // unpacked above
        link(realpathSync(join(pkg.dir, 'node_modules', dep)), join(modules, dep));
      }
    }
    const framework = realpathSync(join(ROOT, app.from));
    link(framework, join(modules, app.framework));
    const versions = Object.fromEntries(
      [app.framework, ...packed.map((p) => p.name)].map((name) => [
        name,
        readJson(join(modules, name, 'package.json')).version,
      ]),
    );
    writeFileSync(
      join(dir, 'package.json'),
      `${JSON.stringify({ name: `faultline-${app.name}`, private: true, dependencies: versions }, null, 2)}\n`,
    );
    cpSync(join(FIXTURES, app.server), join(dir, app.server));
    cpSync(join(FIXTURES, 'cases.cjs'), join(dir, 'cases.cjs'));
    return { name: app.name, dir, server: join(dir, app.server), versions };
  });
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const destination = process.argv[2] ?? mkdtempSync(join(tmpdir(), 'faultline-packed-'));
  process.stdout.write(`${JSON.stringify(buildPackedApps(destination), null, 2)}\n`);
}
