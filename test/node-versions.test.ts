/**
 * faultline runs on Node 20 or later: every manifest says so, every README says so, and
 * `.ci/run`, after the whole suite on the machine's Node, runs the packed applications and the
 * adapter suites on Node 22 and Node 24 as well, fetched from the npm registry, failing if any
 * of them fails.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

const ROOT = join(__dirname, '..');
const CI = readFileSync(join(ROOT, '.ci/run'), 'utf8');

const MANIFESTS = [
  'package.json',
  ...['packages', 'examples'].flatMap((dir) =>
    readdirSync(join(ROOT, dir))
      .filter((name) => existsSync(join(ROOT, dir, name, 'package.json')))
      .map((name) => `${dir}/${name}/package.json`),
  ),
];
const READMES = [
  'README.md',
  ...['packages', 'examples'].flatMap((dir) =>
    readdirSync(join(ROOT, dir))
      .filter((name) => existsSync(join(ROOT, dir, name, 'README.md')))
      .map((name) => `${dir}/${name}/README.md`),
  ),
];

describe('the Node versions', () => {
  it.each(MANIFESTS)('%s should ask for Node 20 or later', (file) => {
    expect(
      (JSON.parse(readFileSync(join(ROOT, file), 'utf8')) as { engines?: { node?: string } })
        .engines?.node,
    ).toBe('>=20');
  });

  it.each(READMES)('%s should say Node 20 or later wherever it asks for Node 20', (file) => {
    const text = readFileSync(join(ROOT, file), 'utf8');
    expect(
      text.match(
        /\b(?:need|needs|require|requires|runs on|run on)\s+Node\s+20\b(?!\s+or\s+later)/g,
      ) ?? [],
    ).toEqual([]);
  });

  it('the README should say Node 20 or later before its first section', () => {
    const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
    expect(readme.slice(0, readme.indexOf('\n## '))).toContain('Node 20 or later');
  });
});

describe('.ci/run', () => {
  it('should be a valid bash script', () => {
    expect(() => execFileSync('bash', ['-n', join(ROOT, '.ci/run')])).not.toThrow();
  });

  it("should run the README's test command on the machine's Node first, with a frozen lockfile", () => {
    const install = CI.indexOf('npx -y pnpm@10 install --frozen-lockfile');
    const test = CI.indexOf('npx -y pnpm@10 test\n');
    expect(install).toBeGreaterThan(0);
    expect(test).toBeGreaterThan(install);
  });

  it('should run the packed applications and the adapter suites on Node 22 and Node 24, and fail loudly if any fails', () => {
    const suites = /^suites=\(([^)]*)\)$/m.exec(CI)?.[1]?.split(/\s+/) ?? [];
    expect(suites).toEqual(
      expect.arrayContaining([
        'test/packed-apps.test.ts',
        'packages/express/test',
        'packages/fastify/test',
      ]),
    );
    // Each is a jest path pattern: a file, a folder or the start of some file names.
    const matches = (suite: string) =>
      readdirSync(join(ROOT, dirname(suite))).some((name) =>
        join(dirname(suite), name).startsWith(suite),
      );
    for (const suite of suites) expect([suite, matches(suite)]).toEqual([suite, true]);
    expect(CI).toMatch(/^for version in 22 24; do$/m);
    expect(CI).toContain(
      'npx -y -p "node@$version" node node_modules/jest/bin/jest.js --ci "${suites[@]}"',
    );
    expect(CI).toMatch(
      /if ! npx -y -p "node@\$version" node node_modules\/jest\/bin\/jest\.js[^\n]*; then\n\s+echo "::error::[^\n]*Node \$version" >&2\n\s+exit 1/,
    );
    expect(CI.indexOf('for version in 22 24')).toBeGreaterThan(CI.indexOf('npx -y pnpm@10 test\n'));
  });
});
