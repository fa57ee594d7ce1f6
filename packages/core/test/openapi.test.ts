/**
 * openApiResponses with dialects of your own: a dialect without bodies or encodings, or without
 * SOAP faults, is refused with a TypeError that says which; a catalogue must belong to a
 * built-in dialect. test/openapi.test.ts holds the built-in dialects' documents.
 */
import { defineDialect, makeCatalog, openApiResponses } from '../src/index';

const catalog = makeCatalog('house', [
  { code: 'Oops', status: 500, name: 'Oops', message: 'Oops' },
]);
const parts = {
  id: 'house',
  catalog,
  fromProblem: () => ({ code: 'Oops' }),
  negotiate: () => ({ id: 'json', mediaType: 'application/json' }),
  render: () => ({
    status: 500,
    headers: { 'content-type': 'application/json' },
    body: '{"message":"Oops"}',
  }),
} as const;
const JSON_EXAMPLE = {
  encoding: { id: 'json', mediaType: 'application/json' },
  request: { headers: { accept: 'application/json' } },
};
const bodies = { json: () => ({ type: 'object' }) };

describe('openApiResponses', () => {
  it('should document a dialect of your own from its bodies and encodings', () => {
    const house = defineDialect({ ...parts, bodies, encodings: [JSON_EXAMPLE] });
    expect(openApiResponses(house)['house.Oops']).toMatchObject({
      'x-status': 500,
      content: { 'application/json': { schema: { type: 'object' }, example: { message: 'Oops' } } },
    });
  });

  it.each([
    ['a dialect without bodies', () => defineDialect(parts), {}, /no schemas for dialect 'house'/],
    [
      'a dialect without encodings',
      () => defineDialect({ ...parts, bodies }),
      {},
      /the house dialect lists no encodings/,
    ],
    [
      'SOAP for a dialect without SOAP faults',
      () => defineDialect({ ...parts, bodies, encodings: [JSON_EXAMPLE] }),
      { soap: true },
      /sends no SOAP faults/,
    ],
    ['a catalogue of no built-in dialect', () => catalog, {}, /unknown dialect 'house'/],
  ])('should refuse %s', (_name, source, options, message) => {
    expect(() => openApiResponses(source(), options)).toThrow(message);
  });
});
