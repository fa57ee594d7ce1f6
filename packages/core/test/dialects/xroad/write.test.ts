/**
 * The X-Road writers: Jackson's JSON strings, the JDK transformer's REST XML text and Commons
 * Text `escapeXml10`'s SOAP text, each checked against the bytes those writers produce (written
 * out here) and, for any text, against a JSON or XML parser.
 */
import fc from 'fast-check';
import { escapeRestXml, escapeSoapXml, jacksonString } from '../../../src/dialects/xroad/write';
import { parseXml } from '../../../../../test/support/xml';

// A fixed seed, so that every run checks the same texts.
const RUNS = { seed: 20261122, numRuns: 300 };
const LONE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;
const XML_INVALID =
  /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

describe('jacksonString', () => {
  it.each([
    ['plain text, as is', 'päring ebaõnnestus', '"päring ebaõnnestus"'],
    ['quotes and backslashes', 'a"b\\c', '"a\\"b\\\\c"'],
    ['the five short escapes', '\b\t\n\f\r', '"\\b\\t\\n\\f\\r"'],
    [
      'other C0 controls in upper-case hex',
      '\u0000\u000B\u001B\u001F',
      '"\\u0000\\u000B\\u001B\\u001F"',
    ],
    [
      'DEL, C1, U+2028, a slash: as they are',
      '\u007F\u0085\u009F\u2028/',
      '"\u007F\u0085\u009F\u2028/"',
    ],
    ['a pair as it is, a lone surrogate as ?', '\uD83D\uDE00\uD800x\uDFFF', '"\uD83D\uDE00?x?"'],
  ])('should write %s', (_name, text, written) => {
    expect(jacksonString(text)).toBe(written);
  });

  it('should always be JSON that reads back as the text, lone surrogates as ?', () => {
    fc.assert(
      fc.property(
        fc.string({ unit: 'binary' }),
        (text) => JSON.parse(jacksonString(text)) === text.replace(LONE, '?'),
      ),
      RUNS,
    );
  });
});

describe('escapeRestXml', () => {
  it.each([
    ['plain text, as is', 'Client \'A\' "b"', 'Client \'A\' "b"'],
    ['markup', '<a>&b</a>', '&lt;a&gt;&amp;b&lt;/a&gt;'],
    ['CR as a reference, TAB and LF as they are', '\r\t\n', '&#13;\t\n'],
    ['DEL and C1 as decimal references', '\u007F\u0080\u0085\u009F', '&#127;&#128;&#133;&#159;'],
    [
      'characters outside the BMP as decimal references',
      '\uD83D\uDE00\u{10FFFF}',
      '&#128512;&#1114111;',
    ],
    [
      'C0 controls, lone surrogates, U+FFFE and U+FFFF as U+FFFD',
      '\u0001\u001F\uDC00\uD800x\uFFFE\uFFFF',
      '\uFFFD\uFFFD\uFFFD\uFFFDx\uFFFD\uFFFD',
    ],
  ])('should write %s', (_name, text, written) => {
    expect(escapeRestXml(text)).toBe(written);
  });

  it('should always be well-formed XML that reads back as the text, what XML forbids as U+FFFD', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }), (text) => {
        // Brackets keep a whitespace-only text from being read as no text.
        expect(parseXml(`<m>[${escapeRestXml(text)}]</m>`).m).toBe(
          `[${text.replace(XML_INVALID, '\uFFFD')}]`,
        );
      }),
      RUNS,
    );
  });
});

describe('escapeSoapXml', () => {
  it.each([
    ['plain text, as is', 'päring ebaõnnestus', 'päring ebaõnnestus'],
    ['the five entities', `<&>"'`, '&lt;&amp;&gt;&quot;&apos;'],
    ['CR, TAB, LF and U+0085 as they are', '\r\t\n\u0085', '\r\t\n\u0085'],
    [
      'DEL and C1 but U+0085 as decimal references',
      '\u007F\u0084\u0086\u009F',
      '&#127;&#132;&#134;&#159;',
    ],
    ['characters outside the BMP as they are', '\uD83D\uDE00', '\uD83D\uDE00'],
    [
      'C0 controls, lone surrogates, U+FFFE and U+FFFF removed',
      'a\u0000\u001F\uDC00\uD800b\uFFFE\uFFFFc',
      'abc',
    ],
  ])('should write %s', (_name, text, written) => {
    expect(escapeSoapXml(text)).toBe(written);
  });

  it('should always be well-formed XML that reads back as the text, what XML forbids removed', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }), (text) => {
        // A raw CR (and CR LF) is read as LF, as XML's end-of-line handling asks; brackets keep
        // a whitespace-only text from being read as no text.
        expect(parseXml(`<m>[${escapeSoapXml(text)}]</m>`).m).toBe(
          `[${text.replace(XML_INVALID, '').replace(/\r\n?/g, '\n')}]`,
        );
      }),
      RUNS,
    );
  });
});
