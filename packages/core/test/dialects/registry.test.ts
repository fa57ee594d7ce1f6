/**
 * The registry and the shape of every dialect folder: each `dialects/<d>/` is a dialect of the
 * registry and has the same files (index, catalog, runtime, read, schema, and codes where the
 * convention has code arithmetic); any other file starts with a one-line reason.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { DIALECTS } from '../../src/index';

const ROOT = join(__dirname, '..', '..', 'src', 'dialects');
const SHAPE = ['index.ts', 'catalog.ts', 'runtime.ts', 'read.ts', 'schema.ts'];
// The conventions with code arithmetic or path rules of their own.
const CODES: Readonly<Record<string, boolean>> = {
  xroad: true,
  xks: true,
  esb: true,
  de4a: true,
  ast: true,
  problem: false,
};

const folders = readdirSync(ROOT)
  .filter((name) => statSync(join(ROOT, name)).isDirectory())
  .sort();

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? files(path) : [path];
  });
}

describe('the dialect folders', () => {
  it('should be exactly the dialects of the registry', () => {
    expect(folders).toEqual(Object.keys(DIALECTS).sort());
  });

  describe.each(folders)('dialects/%s/', (name) => {
    const dir = join(ROOT, name);

    it(`should have ${SHAPE.join(', ')}`, () => {
      const present = readdirSync(dir);
      expect(present).toEqual(expect.arrayContaining(SHAPE));
    });

    it('should have codes.ts exactly when the convention has code arithmetic', () => {
      expect(CODES[name]).toBeDefined();
      expect(readdirSync(dir).includes('codes.ts')).toBe(CODES[name]);
    });

    it('should give every other file a one-line reason at the top', () => {
      const known = new Set([...SHAPE, 'codes.ts']);
      const extras = files(dir).filter((path) => !known.has(relative(dir, path)));
      for (const path of extras) {
        const second = readFileSync(path, 'utf8').split('\n')[1] ?? '';
        expect(`${relative(ROOT, path)}: ${second}`).toMatch(
          /^[^:]+: {2}\* Extra (file|folder): \S/,
        );
      }
    });

    it('should export the dialect value from index.ts under its id', () => {
      expect(DIALECTS[name as keyof typeof DIALECTS].id).toBe(name);
    });
  });
});
