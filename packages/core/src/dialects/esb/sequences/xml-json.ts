/**
 * Extra folder: ESB answers through fault sequences; this file converts their XML.
 *
 * XML payloads of custom sequences: the well-formedness check, and the conversion the gateway
 * applies when an XML payload is sent as `application/json` (Synapse's JSON formatter):
 * namespace prefixes and declarations dropped, the root element becomes the only key,
 * numbers and booleans typed, repeated siblings grouped into arrays, attributes as `@name`,
 * empty elements as `null`.
 *
 * @module
 */
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { ORDERED_XML_OPTIONS } from '../../../read/xml-options.js';

/**
 * The one parser of gateway XML (sequence sources and payloads), in document order. Entities
 * stay encoded: they are decoded here, once, so `&amp;#65;` stays the text `&#65;`.
 */
export const orderedXmlParser = new XMLParser(ORDERED_XML_OPTIONS);

type XmlNode = Record<string, unknown>;

const NAMED: ReadonlyMap<string, string> = new Map([
  ['lt', '<'],
  ['gt', '>'],
  ['amp', '&'],
  ['quot', '"'],
  ['apos', "'"],
]);
// Synapse's autoPrimitive pattern: JSON numbers; plus the two booleans.
const NUMBER = /^-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?$/;

function isXmlChar(cp: number): boolean {
  return (
    cp === 0x9 ||
    cp === 0xa ||
    cp === 0xd ||
    (cp >= 0x20 && cp <= 0xd7ff) ||
    (cp >= 0xe000 && cp <= 0xfffd) ||
    (cp >= 0x10000 && cp <= 0x10ffff)
  );
}

/**
 * Decodes the five XML entities and character references; anything else is not well-formed.
 *
 * @param text - raw XML text or attribute value
 * @returns the text
 * @throws Error on a bare `&`, an unknown entity or a reference to a character XML forbids
 * @example
 * ```ts
 * decodeXml('a &lt; b &#x41;'); // 'a < b A'
 * ```
 */
export function decodeXml(text: string): string {
  return text.replace(/&([^;&\s]{1,32});|&/g, (whole, ref: string | undefined) => {
    if (ref === undefined) throw new Error(`a bare '&' in '${text.slice(0, 40)}'`);
    const named = NAMED.get(ref);
    if (named !== undefined) return named;
    const num = /^#(?:x([0-9a-fA-F]{1,6})|(\d{1,7}))$/.exec(ref);
    const cp = num === null ? NaN : num[1] !== undefined ? parseInt(num[1], 16) : Number(num[2]);
    if (!isXmlChar(cp)) throw new Error(`unknown or invalid reference ${whole}`);
    return String.fromCodePoint(cp);
  });
}

/**
 * Checks that a filled XML template is one well-formed element: no DOCTYPE (no entity
 * expansion), one root, only the predefined entities.
 *
 * @param xml - the filled template
 * @throws Error describing the first problem
 * @example
 * ```ts
 * checkXmlTemplate('<a>1</a>'); // ok
 * checkXmlTemplate('<a>1</a><b/>'); // throws
 * ```
 */
export function checkXmlTemplate(xml: string): void {
  if (/<!DOCTYPE/i.test(xml)) throw new Error('a DOCTYPE is not allowed');
  const valid = XMLValidator.validate(xml);
  if (valid !== true) throw new Error(valid.err.msg);
  const roots = (orderedXmlParser.parse(xml) as XmlNode[]).filter(
    (node) => !('#text' in node) || String(node['#text']).trim() !== '',
  );
  if (roots.length !== 1 || '#text' in (roots[0] as XmlNode))
    throw new Error('the payload must be exactly one element');
  xmlToJson(xml);
}

function localName(qname: string): string {
  const colon = qname.indexOf(':');
  return colon === -1 ? qname : qname.slice(colon + 1);
}

function primitive(text: string): string {
  return NUMBER.test(text) || text === 'true' || text === 'false' ? text : JSON.stringify(text);
}

function tagOf(node: XmlNode): string | undefined {
  return Object.keys(node).find((key) => key !== ':@' && key !== '#text' && key !== '#cdata');
}

// One element as a JSON value, written by hand so number literals keep their exact digits.
function element(node: XmlNode, tag: string): string {
  const children = (node[tag] as XmlNode[] | undefined) ?? [];
  const attributes = Object.entries(
    (node[':@'] as Record<string, string> | undefined) ?? {},
  ).filter(([name]) => name !== 'xmlns' && !name.startsWith('xmlns:'));
  let text = '';
  const groups = new Map<string, string[]>();
  for (const child of children) {
    if ('#text' in child) text += decodeXml(String(child['#text']));
    else if ('#cdata' in child)
      text += ((child['#cdata'] as XmlNode[])[0]?.['#text'] as string | undefined) ?? '';
    else {
      const childTag = tagOf(child);
      if (childTag === undefined) continue;
      const key = localName(childTag);
      const list = groups.get(key) ?? [];
      list.push(element(child, childTag));
      groups.set(key, list);
    }
  }
  if (groups.size === 0 && attributes.length === 0) return text === '' ? 'null' : primitive(text);
  const members = attributes.map(
    ([name, value]) => `${JSON.stringify(`@${localName(name)}`)}:${primitive(decodeXml(value))}`,
  );
  for (const [key, values] of groups) {
    members.push(
      `${JSON.stringify(key)}:${values.length === 1 ? values[0] : `[${values.join(',')}]`}`,
    );
  }
  if (text.trim() !== '') members.push(`"$":${primitive(text)}`);
  return `{${members.join(',')}}`;
}

/**
 * Converts one XML element to JSON as the gateway's formatter does.
 *
 * @param xml - a well-formed element
 * @returns the JSON text
 * @example
 * ```ts
 * xmlToJson('<am:fault xmlns:am="urn:x"><am:code>900901</am:code></am:fault>');
 * // '{"fault":{"code":900901}}'
 * ```
 */
export function xmlToJson(xml: string): string {
  const root = (orderedXmlParser.parse(xml) as XmlNode[]).find((node) => tagOf(node) !== undefined);
  const tag = root === undefined ? undefined : tagOf(root);
  if (root === undefined || tag === undefined) throw new Error('the payload has no element');
  return `{${JSON.stringify(localName(tag))}:${element(root, tag)}}`;
}
