/**
 * XML text as Axiom writes it through Woodstox (`BufferingXmlWriter.writeCharacters`): `&` and
 * `<` always, `>` only first or after `]`, CR and U+007F–U+009F as hexadecimal references,
 * quotes as they are; characters XML 1.0 forbids become U+FFFD. Every result is well-formed
 * and reads back as the text.
 */
import { escapeStaxText } from '../../src/encode/stax';
import { parseXml } from '../../../../test/support/xml';

// Every C0 control XML 1.0 forbids: all but tab, LF and CR.
const FORBIDDEN_C0 = Array.from({ length: 0x20 }, (_, c) => c).filter(
  (c) => c !== 0x09 && c !== 0x0a && c !== 0x0d,
);

describe('escapeStaxText', () => {
  describe.each([
    ['&', '&amp;'],
    ['<', '&lt;'],
    ['>', '&gt;'],
    ['a>b', 'a>b'],
    ['a]>b', 'a]&gt;b'],
    [']]>', ']]&gt;'],
    ['"', '"'],
    ["'", "'"],
    ['Client \'SUBSYSTEM:EE/GOV\' said "no"', 'Client \'SUBSYSTEM:EE/GOV\' said "no"'],
    ['</faultstring><x>', '&lt;/faultstring>&lt;x>'],
    ['&amp;', '&amp;amp;'],
    ['line\r\nbreak\r', 'line&#xd;\nbreak&#xd;'],
    ['\u007f\u0080\u0085\u009f\u00a0', '&#x7f;&#x80;&#x85;&#x9f;\u00a0'],
    ['\t\n', '\t\n'],
    ['\u2028\u2029', '\u2028\u2029'],
    ['😀 \ud83d\ude00', '😀 😀'],
  ])('when the text is %p', (text, escaped) => {
    it(`should give ${JSON.stringify(escaped)}`, () => {
      expect(escapeStaxText(text)).toBe(escaped);
    });

    it('should read back as the text inside a well-formed element', () => {
      expect(parseXml(`<a>${escapeStaxText(text)}</a>`)).toEqual({ a: text });
    });
  });

  describe.each([
    ['a lone high surrogate', 'a\ud800b', 'a\ufffdb'],
    ['a lone low surrogate', 'a\udc00b', 'a\ufffdb'],
    ['a low surrogate before a high one', '\udc00\ud800', '\ufffd\ufffd'],
    ['U+FFFE and U+FFFF', '\ufffe\uffff', '\ufffd\ufffd'],
    ['a control before >', '\u0001>', '\ufffd>'],
  ])('when the text holds %s', (_label, text, escaped) => {
    it('should replace what XML 1.0 forbids with U+FFFD and stay well-formed', () => {
      expect(escapeStaxText(text)).toBe(escaped);
      expect(() => parseXml(`<a>${escapeStaxText(text)}</a>`)).not.toThrow();
    });
  });

  it.each(FORBIDDEN_C0)('should replace the C0 control %p with U+FFFD', (c) => {
    expect(escapeStaxText(`x${String.fromCharCode(c)}y`)).toBe('x\ufffdy');
  });

  it('should return text that needs no work unchanged', () => {
    const text = 'plain text, café € 中';
    expect(escapeStaxText(text)).toBe(text);
  });
});
