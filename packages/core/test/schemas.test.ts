/**
 * dialectSchemas: the schemas of a dialect's bodies, for a dialect value (yours too), a
 * built-in name, or a built-in dialect's catalogue; and the helpers every dialect's schema.ts
 * builds them with.
 */
import {
  defineCatalog,
  defineDialect,
  dialectSchemas,
  makeCatalog,
  problem,
  xks,
  xroad,
} from '../src/index';
import { codesOf, schemasOf } from '../src/dialects/schema-kit';

const house = defineDialect({
  id: 'house',
  catalog: makeCatalog('house', [{ code: 'Oops', status: 500, name: 'Oops', message: 'Oops' }]),
  fromProblem: () => ({ code: 'Oops' }),
  negotiate: () => ({ id: 'json', mediaType: 'application/json' }),
  render: () => ({ status: 500, headers: {}, body: '{}' }),
  bodies: { json: () => ({ type: 'object' }) },
});

describe('dialectSchemas', () => {
  describe('when the dialect is given as a value, a name or a catalogue', () => {
    it('should answer the same schemas as the dialect value itself', () => {
      expect(dialectSchemas(xroad)).toEqual(xroad.schema());
      expect(dialectSchemas('xks')).toEqual(xks.schema());
      expect(dialectSchemas(xroad.catalog)).toEqual(xroad.schema());
    });

    it('should describe a dialect of your own with its bodies', () => {
      expect(dialectSchemas(house)).toEqual({
        dialect: 'house',
        json: { $schema: 'https://json-schema.org/draft/2020-12/schema', type: 'object' },
      });
    });
  });

  describe('when no dialect describes the bodies', () => {
    it.each([
      ['an unknown name', 'nope' as never, /no schemas for dialect 'nope'/],
      [
        'a catalogue of no built-in dialect',
        makeCatalog('house', []),
        /no schemas for dialect 'house'/,
      ],
      ['nothing', undefined as never, /no schemas for dialect 'undefined'/],
    ])('should refuse %s with a TypeError', (_name, source, message) => {
      expect(() => dialectSchemas(source)).toThrow(message);
    });
  });

  it('should refuse options that are not an object', () => {
    expect(() => dialectSchemas(problem, 'debug' as never)).toThrow(
      /schema options must be an object/,
    );
    expect(() => schemasOf('problem', problem.catalog, problem.bodies, null as never)).toThrow(
      TypeError,
    );
  });
});

describe('codesOf', () => {
  it("should add the given catalogues' codes of the dialect, and only those", () => {
    const orders = defineCatalog({
      codes: { OrderNotFound: { status: 404, message: 'Order {id} not found' } },
    });
    const codes = codesOf(problem.catalog, { catalogs: [orders.catalog, xroad.catalog] }) ?? [];
    expect(codes).toContain('OrderNotFound');
    expect(codes).toContain('NotFound');
    expect(codes).not.toContain('Server.ServerProxy.AccessDenied');
    expect(codesOf(problem.catalog, {})).toBeUndefined();
  });
});
