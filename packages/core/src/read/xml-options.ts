/**
 * How the package reads XML with fast-xml-parser: in document order, attributes kept without a
 * prefix, text exactly as written. Entities stay encoded (no expansion, so no entity attacks);
 * each reader decodes them once itself, so `&amp;#65;` stays the text `&#65;`.
 */
import type { X2jOptions } from 'fast-xml-parser';

/** The parser options every XML reader of the package starts from. */
export const ORDERED_XML_OPTIONS: Readonly<X2jOptions> = Object.freeze({
  preserveOrder: true,
  ignoreAttributes: false,
  attributeNamePrefix: '',
  parseTagValue: false,
  parseAttributeValue: false,
  trimValues: false,
  processEntities: false,
  htmlEntities: false,
  cdataPropName: '#cdata',
  ignoreDeclaration: true,
  ignorePiTags: true,
});
