/**
 * JSON strings written by template renderers must be byte for byte what JSON.stringify writes.
 */
import fc from 'fast-check';
import { jsonString, jsonStrings } from '../../src/encode/json';

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

describe('jsonStrings', () => {
  it('should hold exactly the texts given, each quoted as JSON.stringify quotes it', () => {
    const texts = ['Not Found', 'say "hi" \\ bye', 'a\ud800b', '\u0001\u2028', ''];
    const quoted = jsonStrings(texts);
    expect([...quoted.keys()]).toEqual(texts);
    for (const text of texts) expect(quoted.get(text)).toBe(JSON.stringify(text));
    expect(quoted.get('Bad Request')).toBeUndefined();
  });
});
