/**
 * `makeCatalog`: frozen catalogues looked up by code.
 */
import { makeCatalog } from '../src/catalog';
import type { CatalogEntry } from '../src/catalog';

const ENTRIES: Array<CatalogEntry<string | number>> = [
  { code: 'E1', status: 400, name: 'First', message: 'Bad' },
  { code: 51010, status: 500, name: 'Numeric', message: 'Broken', logLevel: 'warn' },
];

describe('makeCatalog', () => {
  describe('when the entries are valid', () => {
    const catalog = makeCatalog('mine', ENTRIES);

    it('should keep the dialect and the entries in order', () => {
      expect(catalog.dialect).toBe('mine');
      expect(catalog.entries.map((entry) => entry.code)).toEqual(['E1', 51010]);
    });

    it('should look entries up by code, numeric codes by number or string', () => {
      expect(catalog.get('E1')).toEqual(ENTRIES[0]);
      expect(catalog.get(51010)?.name).toBe('Numeric');
      expect(catalog.get('51010')?.name).toBe('Numeric');
      expect(catalog.get('missing')).toBeUndefined();
    });

    it('should freeze the catalogue, its list and its entries', () => {
      expect(Object.isFrozen(catalog)).toBe(true);
      expect(Object.isFrozen(catalog.entries)).toBe(true);
      expect(catalog.entries.every((entry) => Object.isFrozen(entry))).toBe(true);
    });

    it('should copy the entries rather than freeze the caller’s', () => {
      const entry = { code: 'E2', status: 400, name: 'E2', message: 'x' };
      makeCatalog('mine', [entry]);
      expect(Object.isFrozen(entry)).toBe(false);
    });
  });

  describe('when a code is given twice', () => {
    it.each([
      ['the same string', 'E1', 'E1'],
      ['a number and its string', 1, '1'],
    ])('should throw a TypeError for %s', (_label, first, second) => {
      expect(() =>
        makeCatalog<string | number>('mine', [
          { code: first, status: 400, name: 'a', message: 'a' },
          { code: second, status: 400, name: 'b', message: 'b' },
        ]),
      ).toThrow(
        new TypeError(`faultline: catalogue 'mine' defines code '${String(second)}' twice`),
      );
    });
  });

  describe.each([99, 1000, 404.5, NaN, '400'])('when a status is %p', (status) => {
    it('should throw a TypeError', () => {
      expect(() =>
        makeCatalog('mine', [{ code: 'E1', status: status as never, name: 'a', message: 'a' }]),
      ).toThrow("faultline: catalogue 'mine' code 'E1' has an invalid status");
    });
  });

  describe('when there are no entries', () => {
    it('should build an empty catalogue', () => {
      expect(makeCatalog('mine', []).entries).toEqual([]);
    });
  });
});
