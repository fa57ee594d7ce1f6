/**
 * What a user meets on the registry, for every publishable package under packages/: the
 * manifest says where the sources, the documentation and the issue tracker are; the package
 * has its own README (what it is, how to install it, a short example, a link to the main
 * README), the repository's MIT licence and a changelog; and the tarball carries all three,
 * packed by pnpm (as `changeset publish` publishes) and by npm. Releases are versioned with
 * Changesets: one `changeset version` moves the four packages to the next version together and
 * writes each changelog entry.
 */
import { execFileSync } from 'node:child_process';
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

const ROOT = join(__dirname, '..');
const PNPM = join(ROOT, 'node_modules/pnpm/bin/pnpm.cjs');

interface Manifest {
  name: string;
  version: string;
  private?: boolean;
  license?: string;
  repository?: { type?: string; url?: string; directory?: string };
  homepage?: string;
  bugs?: { url?: string };
  keywords?: string[];
  scripts?: Record<string, string>;
  dependencies?: Record<string, string>;
  peerDependencies?: Record<string, string>;
  peerDependenciesMeta?: Record<string, { optional?: boolean }>;
}

const readJson = (file: string): Manifest => JSON.parse(readFileSync(file, 'utf8')) as Manifest;
const root = readJson(join(ROOT, 'package.json'));
const PACKAGES = readdirSync(join(ROOT, 'packages'))
  .filter((name) => existsSync(join(ROOT, 'packages', name, 'package.json')))
  .filter((name) => readJson(join(ROOT, 'packages', name, 'package.json')).private !== true)
  .sort();

// The repository's web address, from the root manifest's `git+https://….git`.
const REPO = /^git\+(https:\/\/github\.com\/[^/]+\/[^/]+)\.git$/.exec(
  root.repository?.url ?? '',
)?.[1];

describe('the repository', () => {
  it('should name its git repository in the root manifest', () => {
    expect(root.repository?.type).toBe('git');
    expect(REPO).toBeDefined();
  });

  it('should have an MIT LICENSE, as every manifest says', () => {
    const license = readFileSync(join(ROOT, 'LICENSE'), 'utf8');
    expect(license.split('\n')[0]).toBe('MIT License');
    expect(license).toContain(
      'Permission is hereby granted, free of charge, to any person obtaining a copy',
    );
    expect(root.license).toBe('MIT');
  });

  it('should have a CHANGELOG.md that links each package changelog', () => {
    const changelog = readFileSync(join(ROOT, 'CHANGELOG.md'), 'utf8');
    for (const name of PACKAGES) expect(changelog).toContain(`(packages/${name}/CHANGELOG.md)`);
  });

  it('should publish with Changesets, after the whole test suite', () => {
    expect(root.scripts?.release).toBe('pnpm test && changeset publish');
    const config = JSON.parse(readFileSync(join(ROOT, '.changeset/config.json'), 'utf8')) as {
      fixed: string[][];
      access: string;
    };
    expect(config.access).toBe('public');
    expect(config.fixed.map((group) => [...group].sort())).toEqual([
      PACKAGES.map((name) => readJson(join(ROOT, 'packages', name, 'package.json')).name).sort(),
    ]);
  });
});

describe.each(PACKAGES)('packages/%s', (name) => {
  const dir = join(ROOT, 'packages', name);
  const manifest = readJson(join(dir, 'package.json'));

  it('should say where its sources, its documentation and its issues are', () => {
    expect(manifest.repository).toEqual({
      type: 'git',
      url: root.repository?.url,
      directory: `packages/${name}`,
    });
    expect(manifest.homepage).toBe(`${REPO!}/tree/main/packages/${name}#readme`);
    expect(manifest.bugs).toEqual({ url: `${REPO!}/issues` });
    expect(manifest.license).toBe('MIT');
    expect(manifest.keywords?.length).toBeGreaterThanOrEqual(5);
  });

  it('should have a README: what it is, how to install it, an example of at most 15 lines, the main README', () => {
    const readme = readFileSync(join(dir, 'README.md'), 'utf8');
    expect(readme.startsWith(`# ${manifest.name}\n\n`)).toBe(true);
    const install = readme.slice(readme.indexOf('## Install'), readme.indexOf('## Example'));
    expect(install).toMatch(
      new RegExp(`npm install (--global )?(\\S+ )*${manifest.name.replace('/', '\\/')}\\b`),
    );
    const example = /## Example\n\n```\w+\n([\s\S]*?)```/.exec(readme)?.[1];
    expect(example).toBeDefined();
    expect(example!.trimEnd().split('\n').length).toBeLessThanOrEqual(15);
    expect(readme).toContain(`${REPO!}#`);
  });

  it("should hold the repository's LICENSE and a changelog", () => {
    expect(readFileSync(join(dir, 'LICENSE'), 'utf8')).toBe(
      readFileSync(join(ROOT, 'LICENSE'), 'utf8'),
    );
    expect(readFileSync(join(dir, 'CHANGELOG.md'), 'utf8')).toMatch(
      new RegExp(`^# ${manifest.name}\n\n## ${manifest.version.replace(/\./g, '\\.')}\n`),
    );
  });

  it('should carry README.md, LICENSE and CHANGELOG.md in the tarball pnpm packs', () => {
    const out = mkdtempSync(join(tmpdir(), 'faultline-pack-'));
    try {
      execFileSync(process.execPath, [PNPM, 'pack', '--pack-destination', out], {
        cwd: dir,
        stdio: 'ignore',
        env: { ...process.env, npm_config_offline: 'true' },
      });
      const tarball = join(out, readdirSync(out)[0]!);
      const files = execFileSync('tar', ['-tzf', tarball], { encoding: 'utf8' }).split('\n');
      expect(files).toEqual(
        expect.arrayContaining([
          'package/README.md',
          'package/LICENSE',
          'package/CHANGELOG.md',
          'package/package.json',
        ]),
      );
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  });

  it('should carry README.md, LICENSE and CHANGELOG.md in the tarball npm packs', () => {
    const report = JSON.parse(
      execFileSync('npm', ['pack', '--dry-run', '--json', '--offline'], {
        cwd: dir,
        encoding: 'utf8',
        stdio: ['ignore', 'pipe', 'ignore'],
      }),
    ) as { files: { path: string }[] }[];
    expect(report[0]!.files.map((f) => f.path)).toEqual(
      expect.arrayContaining(['README.md', 'LICENSE', 'CHANGELOG.md', 'package.json']),
    );
  });
});

describe('@faultline/express', () => {
  it('should take express as a peer, and @types/express as an optional one', () => {
    const manifest = readJson(join(ROOT, 'packages/express/package.json'));
    expect(manifest.peerDependencies).toEqual({
      '@types/express': '^4.17.0 || ^5.0.0',
      express: '^4.17.0 || ^5.0.0',
    });
    expect(manifest.peerDependenciesMeta).toEqual({ '@types/express': { optional: true } });
  });
});

describe('changeset version', () => {
  let work: string;
  beforeAll(() => {
    // The workspace's manifests, changelogs and Changesets configuration, copied.
    work = mkdtempSync(join(tmpdir(), 'faultline-release-'));
    const copy = (file: string) => {
      mkdirSync(dirname(join(work, file)), { recursive: true });
      copyFileSync(join(ROOT, file), join(work, file));
    };
    for (const file of ['package.json', 'pnpm-workspace.yaml', '.changeset/config.json'])
      copy(file);
    for (const group of ['packages', 'examples']) {
      for (const name of readdirSync(join(ROOT, group))) {
        for (const file of ['package.json', 'CHANGELOG.md'])
          if (existsSync(join(ROOT, group, name, file))) copy(join(group, name, file));
      }
    }
    symlinkSync(join(ROOT, 'node_modules'), join(work, 'node_modules'), 'dir');
    writeFileSync(
      join(work, '.changeset/heads-without-bodies.md'),
      '---\n"@faultline/express": patch\n---\n\nHEAD requests are answered without a body.\n',
    );
    execFileSync(process.execPath, [join(ROOT, 'node_modules/@changesets/cli/bin.js'), 'version'], {
      cwd: work,
      stdio: 'ignore',
    });
  });
  afterAll(() => rmSync(work, { recursive: true, force: true }));

  it('should move the four packages to the next version together, and no example', () => {
    const next = (version: string) => version.replace(/\d+$/, (patch) => String(Number(patch) + 1));
    for (const name of PACKAGES) {
      expect(readJson(join(work, 'packages', name, 'package.json')).version).toBe(
        next(readJson(join(ROOT, 'packages', name, 'package.json')).version),
      );
    }
    for (const name of readdirSync(join(ROOT, 'examples')).filter((n) =>
      existsSync(join(ROOT, 'examples', n, 'package.json')),
    )) {
      expect(readJson(join(work, 'examples', name, 'package.json')).version).toBe(
        readJson(join(ROOT, 'examples', name, 'package.json')).version,
      );
    }
    expect(readJson(join(work, 'packages/express/package.json')).dependencies).toEqual({
      '@faultline/core': 'workspace:^',
    });
  });

  it("should write the change into the package's changelog, above the earlier releases", () => {
    const version = readJson(join(work, 'packages/express/package.json')).version;
    const changelog = readFileSync(join(work, 'packages/express/CHANGELOG.md'), 'utf8');
    expect(
      changelog.startsWith(
        `# @faultline/express\n\n## ${version}\n\n### Patch Changes\n\n- HEAD requests are answered without a body.\n`,
      ),
    ).toBe(true);
    expect(changelog).toContain(
      readFileSync(join(ROOT, 'packages/express/CHANGELOG.md'), 'utf8')
        .split('\n')
        .slice(2)
        .join('\n'),
    );
    expect(readdirSync(join(work, '.changeset'))).toEqual(['config.json']);
  });
});
