/**
 * Reading a captured error response into a neutral document: a JSON value, or an XML element
 * tree with its namespaces resolved. Bounded and strict: no DTDs, no bodies over 1 MiB, and
 * every XML document is checked for well-formedness before it is read.
 *
 * @module
 */
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { ORDERED_XML_OPTIONS } from './xml-options.js';

/**
 * An XML element with its namespace resolved and its direct text joined.
 *
 * @example
 * ```ts
 * const reading = xroad.read?.({ format: 'xml', xml: element, headers: {} });
 * ```
 */
export interface XmlElement {
  /** The namespace URI, `''` for none. */
  readonly ns: string;
  /** The local name, e.g. `Fault`. */
  readonly local: string;
  /** The attributes as written (prefixed names kept), namespace declarations included. */
  readonly attributes: Readonly<Record<string, string>>;
  /** The child elements, in document order. */
  readonly children: readonly XmlElement[];
  /** The element's own text and CDATA, joined, entities decoded. */
  readonly text: string;
}

/**
 * A response body read as JSON or XML, with what the response said about itself.
 *
 * @example
 * ```ts
 * const document: FaultDocument = { format: 'json', json: { errorName: 'KeyNotFoundException' }, status: 404, headers: {} };
 * xks.read?.(document)?.fault.code; // 'KeyNotFoundException'
 * ```
 */
export interface FaultDocument {
  /** `json` when the body is a JSON value, `xml` when it is an XML document. */
  readonly format: 'json' | 'xml';
  /** The JSON value (`format: 'json'`). */
  readonly json?: unknown;
  /** The root element (`format: 'xml'`). */
  readonly xml?: XmlElement;
  /** The media type of the `Content-Type`, lower-case and without parameters, if given. */
  readonly mediaType?: string;
  /** The HTTP status, if known. */
  readonly status?: number;
  /** The response headers, lower-case names, if known. */
  readonly headers: Readonly<Record<string, string>>;
}

/** The largest body `parseFault` reads. */
export const MAX_BODY_BYTES = 1024 * 1024;

// Comments come as nodes of their own, which toElement skips.
const parser = new XMLParser({ ...ORDERED_XML_OPTIONS, commentPropName: '#comment' });

type OrderedNode = Record<string, unknown> & { ':@'?: Record<string, string> };

const ENTITY = /&(?:(amp|lt|gt|quot|apos)|#(\d{1,7})|#x([0-9A-Fa-f]{1,6}));/g;
const NAMED: Readonly<Record<string, string>> = {
  amp: '&',
  lt: '<',
  gt: '>',
  quot: '"',
  apos: "'",
};

// XML's five entities and character references, in one pass (so `&amp;#65;` stays `&#65;`).
function decodeEntities(text: string): string {
  if (!text.includes('&')) return text;
  return text.replace(
    ENTITY,
    (whole, name: string | undefined, dec: string | undefined, hex: string | undefined) => {
      if (name !== undefined) return NAMED[name] ?? whole;
      const point = dec !== undefined ? Number(dec) : Number.parseInt(hex ?? '', 16);
      return point <= 0x10ffff ? String.fromCodePoint(point) : '\uFFFD';
    },
  );
}

function textOf(nodes: readonly unknown[]): string {
  let text = '';
  for (const node of nodes) {
    const n = node as Record<string, unknown>;
    if (typeof n['#text'] === 'string') text += n['#text'];
  }
  return text;
}

// One element of fast-xml-parser's ordered output, its namespaces resolved against `scope`.
function toElement(
  node: OrderedNode,
  scope: ReadonlyMap<string, string>,
  depth: number,
): XmlElement | undefined {
  const name = Object.keys(node).find((key) => key !== ':@');
  if (name === undefined || name.startsWith('#')) return undefined;
  if (depth > 64) throw new RangeError('nested too deeply');
  const raw = node[':@'] ?? {};
  const attributes: Record<string, string> = {};
  let local = scope;
  for (const [key, value] of Object.entries(raw)) {
    const decoded = decodeEntities(String(value));
    attributes[key] = decoded;
    if (key === 'xmlns' || key.startsWith('xmlns:')) {
      if (local === scope) local = new Map(scope);
      (local as Map<string, string>).set(key === 'xmlns' ? '' : key.slice(6), decoded);
    }
  }
  const colon = name.indexOf(':');
  const prefix = colon === -1 ? '' : name.slice(0, colon);
  const content = (node[name] as unknown[] | undefined) ?? [];
  const children: XmlElement[] = [];
  let text = '';
  for (const child of content) {
    const c = child as OrderedNode;
    if (typeof c['#text'] === 'string') text += decodeEntities(c['#text']);
    else if (Array.isArray(c['#cdata'])) text += textOf(c['#cdata']);
    else if (!('#comment' in c)) {
      const element = toElement(c, local, depth + 1);
      if (element !== undefined) children.push(element);
    }
  }
  return {
    ns: local.get(prefix) ?? '',
    local: colon === -1 ? name : name.slice(colon + 1),
    attributes,
    children,
    text,
  };
}

/**
 * Reads an XML document into its root element; `undefined` with a reason when it is not a
 * well-formed document faultline will read (a DTD, several roots, bad markup).
 */
function readXml(text: string): XmlElement | string {
  if (/<!DOCTYPE/i.test(text)) return 'the XML has a DOCTYPE, which is never part of a fault';
  const valid = XMLValidator.validate(text);
  if (valid !== true)
    return `the XML is not well-formed (${valid.err.msg} at line ${valid.err.line})`;
  // XML 1.0 §2.11: a parser reads CR LF and a lone CR as LF (a CR it should keep is written `&#13;`).
  const nodes = parser.parse(text.replace(/\r\n?/g, '\n')) as OrderedNode[];
  const roots = nodes
    .map((n) => toElement(n, new Map([['xml', 'http://www.w3.org/XML/1998/namespace']]), 0))
    .filter((e) => e !== undefined);
  if (roots.length !== 1) return 'the XML does not have exactly one root element';
  return roots[0] as XmlElement;
}

/**
 * The media type of a `Content-Type` value: lower-case, without parameters.
 *
 * @param contentType - e.g. `text/xml;charset=utf-8`
 * @returns e.g. `text/xml`, or `undefined` for no value
 * @example
 * ```ts
 * mediaTypeOf('Application/Problem+JSON; charset=utf-8'); // 'application/problem+json'
 * ```
 */
export function mediaTypeOf(contentType: string | undefined): string | undefined {
  if (contentType === undefined) return undefined;
  const type = contentType.split(';', 1)[0]?.trim().toLowerCase();
  return type === '' ? undefined : type;
}

/** What {@link readDocument} is given besides the body. */
export interface DocumentContext {
  readonly contentType?: string;
  readonly status?: number;
  readonly headers: Readonly<Record<string, string>>;
}

/**
 * Reads a body as JSON or XML, whichever it is; a string reason when it is neither. The
 * Content-Type only breaks ties: a JSON body labelled `text/plain` is still read.
 *
 * @param body - the body text
 * @param context - the Content-Type, status and headers of the response
 * @returns the document, or why it could not be read
 */
export function readDocument(body: string, context: DocumentContext): FaultDocument | string {
  const text = body.charCodeAt(0) === 0xfeff ? body.slice(1) : body;
  const trimmed = text.trimStart();
  const mediaType = mediaTypeOf(context.contentType);
  const base = { mediaType, status: context.status, headers: context.headers };
  if (trimmed === '') return 'the body is empty';
  if (trimmed.startsWith('<')) {
    let root: XmlElement | string;
    try {
      root = readXml(text.trim());
    } catch (error) {
      root =
        error instanceof RangeError ? 'the XML is nested too deeply' : 'the XML could not be read';
    }
    return typeof root === 'string' ? root : { format: 'xml', xml: root, ...base };
  }
  if (trimmed.startsWith('{') || trimmed.startsWith('[')) {
    try {
      return { format: 'json', json: JSON.parse(text) as unknown, ...base };
    } catch {
      return 'the body is not valid JSON';
    }
  }
  return `the body is neither JSON nor XML${mediaType === undefined ? '' : ` (Content-Type ${mediaType})`}`;
}

/**
 * The first child element with a local name (and a namespace, when given).
 *
 * @param element - the parent
 * @param local - the child's local name
 * @param ns - the child's namespace URI; any namespace when omitted
 * @returns the child, or `undefined`
 */
export function child(element: XmlElement, local: string, ns?: string): XmlElement | undefined {
  return element.children.find((c) => c.local === local && (ns === undefined || c.ns === ns));
}

/** Whether a value is a plain JSON object (not an array, not null). */
export function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
