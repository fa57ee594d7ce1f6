/**
 * XML text escaping (reliability rows 18 and 19): markup is escaped, characters XML 1.0
 * forbids become U+FFFD, and the result is always well-formed.
 */
import { escapeXml } from '../../src/encode/xml';
import { parseXml } from '../../../../test/support/xml';

const FFFD = '\uFFFD';

// Every C0 control XML 1.0 forbids: all but tab, LF and CR.
const FORBIDDEN_C0 = Array.from({ length: 0x20 }, (_, c) => c).filter(
  (c) => c !== 0x09 && c !== 0x0a && c !== 0x0d,
);

describe('escapeXml', () => {
  describe.each([
    ['&', '&amp;'],
    ['<', '&lt;'],
    ['>', '&gt;'],
    ['"', '&quot;'],
    ["'", '&apos;'],
    ['a < b & "c"', 'a &lt; b &amp; &quot;c&quot;'],
    [']]>', ']]&gt;'],
    [
      '<!DOCTYPE x [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>',
      '&lt;!DOCTYPE x [&lt;!ENTITY xxe SYSTEM &quot;file:///etc/passwd&quot;&gt;]&gt;',
    ],
    ['&xxe;', '&amp;xxe;'],
    ['&amp;', '&amp;amp;'],
    ['</message><type>Evil</type>', '&lt;/message&gt;&lt;type&gt;Evil&lt;/type&gt;'],
    ['line\r\nbreak\r', 'line&#13;\nbreak&#13;'],
  ])('when the text is %p', (text, escaped) => {
    it(`should give ${escaped}`, () => {
      expect(escapeXml(text)).toBe(escaped);
    });

    it('should round-trip as the text of a well-formed element with the root unchanged', () => {
      expect(parseXml(`<a>${escapeXml(text)}</a>`)).toEqual({ a: text });
    });
  });

  describe('when the text needs no work', () => {
    it.each(['', 'plain text', 'caf\u00e9 \u20ac \u4e2d', '\t\n', '😀', FFFD])(
      'should return %p unchanged',
      (text) => {
        expect(escapeXml(text)).toBe(text);
      },
    );
  });

  describe.each(FORBIDDEN_C0.map((c) => [c.toString(16).padStart(4, '0').toUpperCase(), c]))(
    'when the text holds the C0 control U+%s',
    (_hex, c) => {
      it('should replace it with U+FFFD', () => {
        expect(escapeXml(`a${String.fromCharCode(c)}b`)).toBe(`a${FFFD}b`);
      });
    },
  );

  describe.each([
    ['U+FFFE', '\uFFFE'],
    ['U+FFFF', '\uFFFF'],
    ['a lone high surrogate', '\uD800'],
    ['a lone high surrogate at the end', '\uDBFF'],
    ['a lone low surrogate', '\uDC00'],
    ['a lone low surrogate at the end', '\uDFFF'],
  ])('when the text holds %s', (_label, ch) => {
    it('should replace it with U+FFFD', () => {
      expect(escapeXml(`a${ch}b`)).toBe(`a${FFFD}b`);
      expect(escapeXml(ch)).toBe(FFFD);
    });
  });

  describe.each([
    ['a reversed pair', '\uDE00\uD83D', `${FFFD}${FFFD}`],
    ['a high surrogate then a pair', '\uD83D\uD83D\uDE00', `${FFFD}😀`],
    ['a pair then a low surrogate', '\uD83D\uDE00\uDE00', `😀${FFFD}`],
    ['two high surrogates', '\uD800\uD800', `${FFFD}${FFFD}`],
    ['a pair between markup', '<😀>', '&lt;😀&gt;'],
    ['controls, markup and a pair', '\u0001<\uD800>😀', `${FFFD}&lt;${FFFD}&gt;😀`],
  ])('when the text holds %s', (_label, text, escaped) => {
    it('should keep valid pairs and replace the unpaired halves', () => {
      expect(escapeXml(text)).toBe(escaped);
      expect(() => parseXml(`<a>${escapeXml(text)}</a>`)).not.toThrow();
    });
  });

  describe('when the text is any single UTF-16 code unit (0x0000–0xFFFF)', () => {
    it('should give well-formed XML 1.0 that reads back as the unit or U+FFFD', () => {
      const failures: string[] = [];
      for (let c = 0; c <= 0xffff; c++) {
        const ch = String.fromCharCode(c);
        const forbidden =
          FORBIDDEN_C0.includes(c) || c === 0xfffe || c === 0xffff || (c >= 0xd800 && c <= 0xdfff);
        // A CR is written as `&#13;`: end-of-line handling would read a literal one as LF.
        const expected = forbidden ? FFFD : ch;
        try {
          const read = parseXml(`<a>${escapeXml(ch)}</a>`)['a'];
          if (read !== expected)
            failures.push(`U+${c.toString(16)} read back as ${JSON.stringify(read)}`);
        } catch (error) {
          failures.push(`U+${c.toString(16)}: ${String(error)}`);
        }
      }
      expect(failures).toEqual([]);
    });
  });

  describe('when the text is any valid surrogate pair at the plane edges', () => {
    it.each(['\uD800\uDC00', '\uD83D\uDE00', '\uDBFF\uDFFF'])('should keep %p', (pair) => {
      expect(escapeXml(pair)).toBe(pair);
      expect(parseXml(`<a>${escapeXml(pair)}</a>`)).toEqual({ a: pair });
    });
  });
});
