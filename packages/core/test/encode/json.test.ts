/**
 * JSON strings written by template renderers must be byte for byte what JSON.stringify writes.
 */
import fc from 'fast-check';
import { jsonString } from '../../src/encode/json';

describe('jsonString', () => {
  it.each([
    ['plain text', 'Person 42 not found'],
    ['an empty string', ''],
    ['quotes and backslashes', 'say "hi" \\ bye'],
    ['every C0 control', Array.from({ length: 0x20 }, (_, c) => String.fromCharCode(c)).join('')],
    ['DEL, U+2028 and U+2029, which JSON.stringify leaves alone', '\u007f\u2028\u2029'],
    ['a surrogate pair', 'emoji \ud83d\ude00'],
    ['lone surrogates', 'a\ud800b\udc00c'],
    ['non-ASCII text', 'Tõrge: päring ebaõnnestus'],
  ])('should write %s as JSON.stringify does', (_, text) => {
    expect(jsonString(text)).toBe(JSON.stringify(text));
  });

  it('should agree with JSON.stringify on any string of UTF-16 units, lone surrogates included', () => {
    const unit = fc.nat({ max: 0xffff }).map((code) => String.fromCharCode(code));
    fc.assert(
      fc.property(fc.string({ unit }), (text) => jsonString(text) === JSON.stringify(text)),
      { numRuns: 2000, seed: 7 },
    );
  });
});
