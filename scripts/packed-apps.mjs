// Small applications that install faultline the way the README's "Install" section says, from
// this repository: the packages under packages/ are packed with
// `pnpm --filter "./packages/*" pack --pack-destination <dir>` (pnpm rewrites the `workspace:`
// ranges, as on publish), then each application runs `npm install` with the tarballs it needs
// and its framework, at the version the workspace tests against. Only what the tarballs hold
// can be loaded: their `files`, `exports` maps and declared dependencies, which npm installs
// from a registry on 127.0.0.1 that serves the packages the workspace already installed
// (./local-registry.mjs), so nothing is downloaded.
//
//   node scripts/packed-apps.mjs <destination>   # prints the applications as JSON
//
// Build first (`pnpm build`). Used by test/packed-apps.test.ts.
import { execFile, execFileSync } from 'node:child_process';
import {
  cpSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  realpathSync,
  writeFileSync,
} from 'node:fs';
import { promisify } from 'node:util';
import { startLocalRegistry } from './local-registry.mjs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = resolve(fileURLToPath(import.meta.url), '../..');
const PNPM = join(ROOT, 'node_modules/pnpm/bin/pnpm.cjs');
const FIXTURES = join(ROOT, 'test/fixtures/packed');

/** The README's pack command, after `npx -y pnpm@10`; the destination follows. */
export const PACK_ARGS = ['--filter', './packages/*', 'pack', '--pack-destination'];

/**
 * The applications: the framework and the copy of it the workspace installed (whose version
 * is installed), the faultline packages, and the server file.
 */
export const APPS = [
  {
    name: 'express4',
    framework: 'express',
    from: 'node_modules/express4',
    packages: ['core', 'express'],
    server: 'express-app.cjs',
  },
  {
    name: 'express5',
    framework: 'express',
    from: 'node_modules/express',
    packages: ['core', 'express'],
    server: 'express-app.cjs',
  },
  {
    name: 'fastify5',
    framework: 'fastify',
    from: 'node_modules/fastify',
    packages: ['core', 'fastify', 'cli'],
    server: 'fastify-app.mjs',
  },
  {
    name: 'otel',
    framework: 'express',
    from: 'node_modules/express',
    packages: ['core', 'express', 'opentelemetry'],
    // The OpenTelemetry API (the package's peer) and an SDK, as an application has them.
    extra: ['@opentelemetry/api', '@opentelemetry/sdk-trace-node'],
    server: 'otel-app.mjs',
  },
];

function readJson(file) {
  return JSON.parse(readFileSync(file, 'utf8'));
}

/** Packs every package under packages/ into `into`, as the README says; returns the tarballs by package folder. */
function packAll(into) {
  execFileSync(process.execPath, [PNPM, ...PACK_ARGS, into], {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, npm_config_offline: 'true', npm_config_update_notifier: 'false' },
  });
  const tarballs = new Map();
  for (const file of readdirSync(into).filter((name) => name.endsWith('.tgz'))) {
    const folder = /^faultline-(.+)-\d+\.\d+\.\d+(?:-[\w.]+)?\.tgz$/.exec(file)?.[1];
    if (folder !== undefined) tarballs.set(folder, join(into, file));
  }
  return tarballs;
}

// The user's npm, the one on the PATH, with the local registry and a cache of its own.
function npm(args, cwd, registry, cache) {
  return promisify(execFile)(
    'npm',
    [...args, '--registry', registry, '--cache', cache, '--ignore-scripts'],
    {
      cwd,
      env: {
        ...process.env,
        npm_config_update_notifier: 'false',
        npm_config_fund: 'false',
        npm_config_audit: 'false',
      },
    },
  );
}

// The third-party packages the applications need: each framework, and what each packed package
// declares, as the workspace resolved them.
function dependencyRoots() {
  const roots = APPS.flatMap((app) =>
    [app.from, ...(app.extra ?? []).map((name) => `node_modules/${name}`)].map((path) =>
      realpathSync(join(ROOT, path)),
    ),
  );
  for (const folder of new Set(APPS.flatMap((app) => app.packages))) {
    const dir = join(ROOT, 'packages', folder);
    for (const dep of Object.keys(readJson(join(dir, 'package.json')).dependencies ?? {})) {
      if (!dep.startsWith('@faultline/')) roots.push(realpathSync(join(dir, 'node_modules', dep)));
    }
  }
  return roots;
}

/**
 * Builds the applications under `destination`; returns [{ name, dir, server, versions }].
 * Each application is an npm project whose dependencies are the packed tarballs it needs and
 * its framework, installed with `npm install`.
 */
export async function buildPackedApps(destination) {
  const tarballs = packAll(join(destination, 'packed'));
  const registry = await startLocalRegistry(dependencyRoots());
  try {
    const apps = [];
    for (const app of APPS) {
      const dir = join(destination, app.name);
      mkdirSync(dir, { recursive: true });
      writeFileSync(
        join(dir, 'package.json'),
        `${JSON.stringify({ name: `faultline-${app.name}`, private: true }, null, 2)}\n`,
      );
      const framework = `${app.framework}@${readJson(join(ROOT, app.from, 'package.json')).version}`;
      const extra = (app.extra ?? []).map(
        (name) => `${name}@${readJson(join(ROOT, 'node_modules', name, 'package.json')).version}`,
      );
      await npm(
        ['install', ...app.packages.map((name) => tarballs.get(name)), framework, ...extra],
        dir,
        registry.url,
        join(destination, 'npm-cache'),
      );
      const installed = Object.keys(readJson(join(dir, 'package.json')).dependencies);
      const versions = Object.fromEntries(
        installed.map((name) => [
          name,
          readJson(join(dir, 'node_modules', name, 'package.json')).version,
        ]),
      );
      cpSync(join(FIXTURES, app.server), join(dir, app.server));
      cpSync(join(FIXTURES, 'cases.cjs'), join(dir, 'cases.cjs'));
      apps.push({ name: app.name, dir, server: join(dir, app.server), versions });
    }
    return apps;
  } finally {
    await registry.close();
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const destination = process.argv[2] ?? mkdtempSync(join(tmpdir(), 'faultline-packed-'));
  process.stdout.write(`${JSON.stringify(await buildPackedApps(destination), null, 2)}\n`);
}
