/**
 * The connector's simplified IEM messages: the evidence request a Data Evaluator sends (one
 * JSON schema for its JSON and its XML form), reading XML safely, and writing the XML and JSON
 * answers. The element names follow the DE4A IEM; the messages are simplified and are not
 * valid against the IEM XSDs.
 *
 * @module
 */
import { XMLBuilder, XMLParser, XMLValidator } from 'fast-xml-parser';

/**
 * The IEM v2 success answer, `Ack` true and no `Error`: what the connector returns for an
 * accepted USI request, and what the Data Owner returns to the connector.
 */
export const ACK_XML =
  '<ResponseMessage xmlns="http://www.de4a.eu/2020/data/response/v2" xmlns:ct="http://www.de4a.eu/2020/commons/type/v2">' +
  '<ct:Ack>true</ct:Ack></ResponseMessage>';

/** A DE4A participant identifier, `scheme::value`, e.g. `iso6523-actorid-upis::9991:pt990000101`. */
const PARTICIPANT_ID = {
  type: 'string',
  maxLength: 256,
  pattern: '^[A-Za-z0-9-]+::\\S+$',
} as const;
const TEXT = { type: 'string', minLength: 1, maxLength: 256 } as const;

/** A JSON schema, as far as {@link missingArguments} reads it. */
export interface SchemaNode {
  readonly type: string;
  readonly required?: readonly string[];
  readonly properties?: Readonly<Record<string, SchemaNode>>;
  readonly [keyword: string]: unknown;
}

/**
 * The body of an evidence request, in JSON or (parsed) XML: `RequestId`, `DataEvaluator`,
 * `DataOwner`, `CanonicalEvidenceTypeId` and the `DataRequestSubject`, a natural person.
 */
export const EVIDENCE_REQUEST_SCHEMA = {
  type: 'object',
  additionalProperties: false,
  required: [
    'RequestId',
    'DataEvaluator',
    'DataOwner',
    'CanonicalEvidenceTypeId',
    'DataRequestSubject',
  ],
  properties: {
    RequestId: { type: 'string', format: 'uuid' },
    DataEvaluator: PARTICIPANT_ID,
    DataOwner: PARTICIPANT_ID,
    CanonicalEvidenceTypeId: { type: 'string', maxLength: 256, pattern: '^urn:\\S+$' },
    DataRequestSubject: {
      type: 'object',
      additionalProperties: false,
      required: ['DataSubjectPerson'],
      properties: {
        DataSubjectPerson: {
          type: 'object',
          additionalProperties: false,
          required: ['PersonIdentifier', 'FamilyName', 'GivenName', 'DateOfBirth'],
          properties: {
            PersonIdentifier: TEXT,
            FamilyName: TEXT,
            GivenName: TEXT,
            DateOfBirth: { type: 'string', format: 'date' },
          },
        },
      },
    },
  },
} as const satisfies SchemaNode;

/** An evidence request that passed {@link EVIDENCE_REQUEST_SCHEMA}. */
export interface EvidenceRequest {
  readonly RequestId: string;
  readonly DataEvaluator: string;
  readonly DataOwner: string;
  readonly CanonicalEvidenceTypeId: string;
  readonly DataRequestSubject: {
    readonly DataSubjectPerson: {
      readonly PersonIdentifier: string;
      readonly FamilyName: string;
      readonly GivenName: string;
      readonly DateOfBirth: string;
    };
  };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * The required arguments a body lacks, as paths (`DataRequestSubject/DataSubjectPerson/DateOfBirth`),
 * in the schema's order. An empty value counts as missing: in XML, `<DataOwner/>` is how a
 * field is left out. Below a missing object only the object is named. A body that is not an
 * object at all (`[]`, `"x"`) lacks nothing: the schema rejects its shape instead.
 *
 * @param schema - an object schema
 * @param value - the body, `undefined` when there was none
 * @param prefix - the path of `value`
 * @returns the missing paths, empty when nothing is missing
 * @example
 * ```ts
 * missingArguments(EVIDENCE_REQUEST_SCHEMA, { RequestId: '' }).slice(0, 2); // ['RequestId', 'DataEvaluator']
 * ```
 */
export function missingArguments(schema: SchemaNode, value: unknown, prefix = ''): string[] {
  if (value !== undefined && value !== null && !isRecord(value)) return [];
  const body = value ?? {};
  const missing: string[] = [];
  for (const name of schema.required ?? []) {
    const field = body[name];
    const path = `${prefix}${name}`;
    const child = schema.properties?.[name];
    if (field === undefined || field === null || field === '') missing.push(path);
    else if (child?.type === 'object') missing.push(...missingArguments(child, field, `${path}/`));
  }
  return missing;
}

/** What {@link readXml} found: the root element's name and content, or why there is none. */
export type XmlReading =
  | { readonly ok: true; readonly root: string; readonly value: unknown }
  | { readonly ok: false; readonly reason: string };

// Namespace prefixes and attributes (xmlns) are dropped and every value stays a string, so
// parsed XML has the shape the JSON form has. Repeated elements become arrays, which the
// schema rejects.
const parser = new XMLParser({
  ignoreAttributes: true,
  removeNSPrefix: true,
  parseTagValue: false,
  trimValues: true,
  ignoreDeclaration: true,
  ignorePiTags: true,
});
const builder = new XMLBuilder({ format: false });

/**
 * Reads an XML document: well-formed, no DOCTYPE (IEM messages have none, and entity
 * declarations are how XML bombs start), exactly one root element.
 *
 * @param text - the document
 * @returns the root's name and content (`''` for an empty root), or the reason it was refused
 * @example
 * ```ts
 * readXml('<a:Ack xmlns:a="urn:x">true</a:Ack>'); // { ok: true, root: 'Ack', value: 'true' }
 * ```
 */
export function readXml(text: string): XmlReading {
  if (/<!DOCTYPE/i.test(text)) return { ok: false, reason: 'DOCTYPE declarations are not allowed' };
  const valid = XMLValidator.validate(text);
  if (valid !== true) {
    return { ok: false, reason: `not well-formed XML: ${valid.err.msg} (line ${valid.err.line})` };
  }
  const document: unknown = parser.parse(text);
  // Root elements of the same name are parsed into one array.
  const roots = isRecord(document) ? Object.entries(document) : [];
  const count = roots.reduce((n, [, value]) => n + (Array.isArray(value) ? value.length : 1), 0);
  const [root, value] = roots[0] ?? [];
  if (count !== 1 || root === undefined)
    return { ok: false, reason: `expected one root element, found ${count}` };
  return { ok: true, root, value };
}

/**
 * An XML document with one root element; text is escaped, arrays become repeated elements.
 *
 * @param root - the root element's name
 * @param content - its children
 * @returns the document, on one line
 * @example
 * ```ts
 * writeXml('Ack', { Value: 'a<b' }); // '<Ack><Value>a&lt;b</Value></Ack>'
 * ```
 */
export function writeXml(root: string, content: object): string {
  return builder.build({ [root]: content }) as string;
}

/**
 * Whether an answer should be JSON: when `Accept` lists `application/json` before any XML
 * type (ranges with q=0 skipped, other q-values ignored). This is the rule the de4a dialect
 * applies to faults, repeated here so a success comes in the encoding a fault would.
 *
 * @param accept - the Accept header
 * @returns `true` for JSON, `false` for XML (also without an Accept header)
 * @example
 * ```ts
 * prefersJson('application/json, application/xml'); // true
 * ```
 */
export function prefersJson(accept: string | undefined): boolean {
  for (const range of (accept ?? '').split(',')) {
    const [type = '', ...parameters] = range.split(';').map((part) => part.trim().toLowerCase());
    if (parameters.some((p) => /^q\s*=\s*0(?:\.0{0,3})?$/.test(p))) continue;
    if (type === 'application/json') return true;
    if (type === 'application/xml' || type === 'text/xml' || type.endsWith('+xml')) return false;
  }
  return false;
}
