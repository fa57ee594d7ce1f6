/** A strict XML reading for tests: validate, then parse without entity expansion. */
import { XMLParser, XMLValidator } from 'fast-xml-parser';

const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '@',
  parseTagValue: false,
  trimValues: false,
  processEntities: true,
  // Also decodes character references (`&#13;`), after `&lt;`… and before `&amp;`, so
  // `&amp;#13;` stays the text `&#13;`. The renderers write no HTML named entities.
  htmlEntities: true,
});

// Anything outside the XML 1.0 `Char` production, including unpaired surrogates.
const XML_1_0_INVALID =
  /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** Parses an XML document, failing the test with the validator's message when it is not well-formed. */
export function parseXml(text: string): Record<string, unknown> {
  const bad = XML_1_0_INVALID.exec(text);
  if (bad !== null) {
    throw new Error(`character U+${bad[0].charCodeAt(0).toString(16)} is not allowed in XML 1.0`);
  }
  const valid = XMLValidator.validate(text);
  if (valid !== true) {
    throw new Error(
      `not well-formed XML: ${valid.err.msg} (line ${valid.err.line}) in ${text.slice(0, 200)}`,
    );
  }
  return parser.parse(text) as Record<string, unknown>;
}
