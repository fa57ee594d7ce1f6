// A package registry on 127.0.0.1 that serves, as tarballs, the packages this workspace already
// installed: a package and every package it depends on, each at the version pnpm resolved. npm
// installs from it exactly as from the public registry (packuments, tarballs, integrity), so a
// test can run `npm install` the way a user does without touching the network.
//
//   const registry = await startLocalRegistry([realpathSync('node_modules/express')]);
//   // npm install --registry registry.url …
//   await registry.close();
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, realpathSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';

function readJson(file) {
  return JSON.parse(readFileSync(file, 'utf8'));
}

// Where a package directory's dependency `name` resolves, as Node resolves it: `node_modules`
// in the directory and in each ancestor that is not itself a `node_modules` folder.
function resolveFrom(dir, name) {
  for (let at = dir; ; at = dirname(at)) {
    if (basename(at) !== 'node_modules') {
      const candidate = join(at, 'node_modules', name);
      if (existsSync(join(candidate, 'package.json'))) return realpathSync(candidate);
    }
    if (dirname(at) === at) return undefined;
  }
}

// Every package the roots depend on, by name and version, with its directory. Optional
// dependencies the workspace did not install are left out, as npm leaves them out on failure.
function closure(roots) {
  const found = new Map();
  const queue = [...roots];
  while (queue.length > 0) {
    const dir = queue.pop();
    const manifest = readJson(join(dir, 'package.json'));
    const versions = found.get(manifest.name) ?? new Map();
    if (versions.has(manifest.version)) continue;
    versions.set(manifest.version, { dir, manifest });
    found.set(manifest.name, versions);
    for (const name of Object.keys({
      ...manifest.dependencies,
      ...manifest.optionalDependencies,
    })) {
      const at = resolveFrom(dir, name);
      if (at !== undefined) queue.push(at);
      else if (!(manifest.optionalDependencies && name in manifest.optionalDependencies)) {
        throw new Error(
          `local registry: ${manifest.name} depends on ${name}, which the workspace did not install`,
        );
      }
    }
  }
  return found;
}

const tarballName = (name, version) => `${name.replace(/^@[^/]+\//, '')}-${version}.tgz`;

/**
 * Starts the registry for the packages `roots` (package directories) depend on.
 *
 * @param {string[]} roots - package directories, e.g. the workspace's `node_modules/express`
 * @returns {Promise<{ url: string, close: () => Promise<void> }>}
 */
export async function startLocalRegistry(roots) {
  const packages = closure(roots.map((root) => realpathSync(root)));
  const scratch = mkdtempSync(join(tmpdir(), 'faultline-registry-'));
  const tarballs = new Map();
  // Each package as npm would pack it: its files under `package/`, nothing it installed itself.
  const tarballOf = (name, version) => {
    const key = `${name}@${version}`;
    if (!tarballs.has(key)) {
      const { dir } = packages.get(name).get(version);
      const file = join(scratch, `${tarballs.size}.tgz`);
      // The installed files are hard links into pnpm's store: another install linking the same
      // file changes its link count, and so its ctime, while tar reads it, though not a byte of
      // it. GNU tar then exits with 1; with that warning off, a 1 with nothing on stderr is it.
      const tar = spawnSync(
        'tar',
        [
          '--warning=no-file-changed',
          '-czf',
          file,
          '--exclude=./node_modules',
          '--transform',
          's,^\\.,package,',
          '-C',
          dir,
          '.',
        ],
        { encoding: 'utf8' },
      );
      if (tar.status !== 0 && !(tar.status === 1 && tar.stderr === ''))
        throw new Error(`tar of ${key} failed (${tar.status}): ${tar.stderr}`);
      const bytes = readFileSync(file);
      tarballs.set(key, {
        bytes,
        integrity: `sha512-${createHash('sha512').update(bytes).digest('base64')}`,
      });
    }
    return tarballs.get(key);
  };

  const server = createServer((req, res) => {
    const path = decodeURIComponent(new URL(req.url ?? '/', 'http://registry').pathname).slice(1);
    const dash = path.indexOf('/-/');
    const name = dash === -1 ? path : path.slice(0, dash);
    const versions = packages.get(name);
    if (versions === undefined) {
      res.writeHead(404, { 'content-type': 'application/json' }).end('{"error":"not found"}');
      return;
    }
    if (dash !== -1) {
      const file = path.slice(dash + 3);
      const version = [...versions.keys()].find((v) => tarballName(name, v) === file);
      if (version === undefined) {
        res.writeHead(404).end();
        return;
      }
      const { bytes } = tarballOf(name, version);
      res
        .writeHead(200, {
          'content-type': 'application/octet-stream',
          'content-length': bytes.length,
        })
        .end(bytes);
      return;
    }
    const base = `http://${req.headers.host}/${name.replace('/', '%2f')}/-/`;
    const doc = {
      name,
      'dist-tags': { latest: [...versions.keys()].at(-1) },
      versions: Object.fromEntries(
        [...versions].map(([version, { manifest }]) => [
          version,
          {
            ...manifest,
            dist: {
              tarball: `${base}${tarballName(name, version)}`,
              integrity: tarballOf(name, version).integrity,
            },
          },
        ]),
      ),
    };
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(doc));
  });
  await new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  return {
    url: `http://127.0.0.1:${server.address().port}/`,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => {
          rmSync(scratch, { recursive: true, force: true });
          resolve();
        });
      }),
  };
}
