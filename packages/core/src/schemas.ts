/**
 * Schemas of the bodies each dialect renders: a JSON Schema (draft 2020-12, so it drops into
 * an OpenAPI 3.1 document as it is) for every JSON body, and the XSD shipped in
 * `@faultline/core/schemas/` for every XML body.
 *
 * Every dialect value has the same `schema(options?)` function, e.g. `xroad.schema()`.
 *
 * @module
 */
import type { Catalog } from './catalog.js';
import { SOAP11_NS as SOAP_NS } from './encode/soap.js';
import { BLOCKED } from './dialects/esb/sequences/builtin.js';
import { XKS_ENTRIES } from './dialects/xks/catalog.js';
import { XROAD_CODE } from './dialects/xroad/catalog.js';

/**
 * A JSON value, as a JSON Schema or an OpenAPI example holds it.
 *
 * @example
 * ```ts
 * const example: JsonValue = { type: 'Client.BadRequest', message: 'No id', detail: '…' };
 * ```
 */
export type JsonValue = string | number | boolean | null | readonly JsonValue[] | { readonly [key: string]: JsonValue };

/**
 * A JSON Schema (draft 2020-12) object.
 *
 * @example
 * ```ts
 * const schema: JsonSchema = xroad.schema().json;
 * ```
 */
export type JsonSchema = { readonly [keyword: string]: JsonValue };

/**
 * Options of a dialect's `schema()`.
 *
 * @example
 * ```ts
 * const options: SchemaOptions = { catalogs: [orders.catalog], debug: false };
 * problem.schema(options);
 * ```
 */
export interface SchemaOptions {
  /**
   * Catalogues of your own (`defineCatalog(...).catalog`) that, with the dialect's built-in
   * catalogue, hold every code the service sends: the JSON Schema's code member becomes an
   * enum of their codes. Leave it out while faults may carry codes of no catalogue (an X-Road
   * code built on the spot, an AST code of another subsystem): the code member is then
   * checked by its form only. XKS names are always an enum: the dialect sends no other.
   */
  readonly catalogs?: readonly Catalog[];
  /**
   * Allow the `debug` member that JSON bodies carry when the handler has `debug: true`.
   * @default false
   */
  readonly debug?: boolean;
}

/**
 * An XSD shipped with `@faultline/core`, and the element it declares for the body's root.
 *
 * @example
 * ```ts
 * const ref: XmlSchemaRef | undefined = de4a.schema().xml;
 * ref?.file; // the XSD's name under @faultline/core/schemas/
 * ```
 */
export interface XmlSchemaRef {
  /** The file name in the package's `schemas/` folder, e.g. `xroad-rest-error.xsd`. */
  readonly file: string;
  /** The module specifier that resolves to it, e.g. `@faultline/core/schemas/xroad-rest-error.xsd`. */
  readonly specifier: string;
  /** The root element's namespace, or `null` for none. */
  readonly namespace: string | null;
  /** The root element's local name. */
  readonly root: string;
}

/**
 * The schemas of one dialect's bodies.
 *
 * @example
 * ```ts
 * const { json, xml, soap }: DialectSchemas = xroad.schema();
 * ```
 */
export interface DialectSchemas {
  readonly dialect: string;
  /** The JSON Schema of its JSON bodies (for DE4A, the JSON rendering of `ResponseErrorType`). */
  readonly json: JsonSchema;
  /** The XSD of its plain XML bodies, for dialects that send XML. */
  readonly xml?: XmlSchemaRef;
  /** The XSD of its SOAP 1.1 faults, for dialects that answer SOAP requests. */
  readonly soap?: XmlSchemaRef;
}

/** What a body schema is narrowed to: the codes (one code: a `const`) and the status. */
export interface SchemaPin {
  readonly codes?: readonly (string | number)[];
  readonly status?: readonly number[];
}

const DRAFT = 'https://json-schema.org/draft/2020-12/schema';

function xsd(file: string, namespace: string | null, root: string): XmlSchemaRef {
  return Object.freeze({ file, specifier: `@faultline/core/schemas/${file}`, namespace, root });
}

const DEBUG: JsonSchema = {
  type: 'object',
  properties: { stack: { type: 'string' }, causes: { type: 'array', items: { type: 'string' } } },
  required: ['causes'],
  additionalProperties: false,
};

// The dialect's own codes plus the given catalogues' codes of that dialect, or undefined.
function codesOf(dialect: Catalog, options: SchemaOptions): (string | number)[] | undefined {
  if (options.catalogs === undefined) return undefined;
  const codes = new Set<string | number>(dialect.entries.map((e) => e.code));
  for (const catalog of options.catalogs) {
    if (catalog.dialect === dialect.dialect) for (const entry of catalog.entries) codes.add(entry.code);
  }
  return [...codes];
}

// Narrows a code member: one code → const, several → enum, none → its form only.
function narrow(base: JsonSchema, codes: readonly JsonValue[] | undefined): JsonSchema {
  if (codes === undefined) return base;
  return codes.length === 1 ? { ...base, const: codes[0]! } : { ...base, enum: [...codes] };
}

function object(properties: Record<string, JsonSchema>, required: readonly string[], debug: boolean | undefined): JsonSchema {
  return {
    type: 'object',
    properties: debug === true ? { ...properties, debug: DEBUG } : properties,
    required: [...required],
    additionalProperties: false,
  };
}

function statusSchema(pin: SchemaPin | undefined, min: number, max: number): JsonSchema {
  return narrow({ type: 'integer', minimum: min, maximum: max }, pin?.status);
}

/** X-Road REST JSON: `{"type","message","detail"}`. */
export function xroadJson(catalog: Catalog, options: SchemaOptions = {}, pin?: SchemaPin): JsonSchema {
  const type = narrow(
    { type: 'string', maxLength: 256, pattern: XROAD_CODE.source },
    pin?.codes ?? codesOf(catalog, options),
  );
  return object({ type, message: { type: 'string' }, detail: { type: 'string' } }, ['type', 'message', 'detail'], options.debug);
}

const XKS_NAMES: readonly string[] = XKS_ENTRIES.map((e) => e.code);

/** XKS: `{"errorName","errorMessage"?}`; `errorMessage` printable ASCII, 1–511 characters. */
export function xksJson(_catalog: Catalog, _options: SchemaOptions = {}, pin?: SchemaPin): JsonSchema {
  // The wire format has exactly these two members, debug or not.
  return object(
    {
      errorName: narrow({ type: 'string' }, pin?.codes ?? XKS_NAMES),
      errorMessage: { type: 'string', minLength: 1, maxLength: 511, pattern: '^[ -~]*$' },
    },
    ['errorName'],
    false,
  );
}

const ESB_CODE: JsonSchema = { type: 'string', pattern: '^[0-9]{1,16}$' };
const NEXT_ACCESS = '^[0-9]{4}-(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)-[0-9]{2} [0-9]{2}:[0-9]{2}:[0-9]{2}\\+0000 UTC$';

/**
 * ESB JSON (APIM ≥ 4.0): one of the default fault sequence's status report
 * `{"code","type":"Status report","message","description"}`, the auth / throttle / threat
 * body `{"code","message","description","nextAccessTime"?}`, or the blocked API's
 * `{"code":"700700","type":"API blocked","description"}`. Custom sequences send their own
 * payloads, which no schema here describes.
 */
export function esbJson(catalog: Catalog, options: SchemaOptions = {}, pin?: SchemaPin): JsonSchema {
  const codes = (pin?.codes ?? codesOf(catalog, options))?.map(String);
  const code = narrow(ESB_CODE, codes);
  const str: JsonSchema = { type: 'string' };
  return {
    oneOf: [
      object(
        { code, type: { const: 'Status report' }, message: { enum: ['Runtime Error', 'Not Found'] }, description: str },
        ['code', 'type', 'message', 'description'],
        false,
      ),
      object(
        { code, message: str, description: str, nextAccessTime: { type: 'string', pattern: NEXT_ACCESS } },
        ['code', 'message', 'description'],
        false,
      ),
      object(
        { code: { const: '700700' }, type: { const: 'API blocked' }, description: { const: BLOCKED } },
        ['code', 'type', 'description'],
        false,
      ),
    ],
  };
}

/** DE4A JSON: `{"ack":false,"errors":[{"code","text"}]}`, the IEM `ResponseErrorType` as JSON. */
export function de4aJson(catalog: Catalog, options: SchemaOptions = {}, pin?: SchemaPin): JsonSchema {
  const codes = (pin?.codes ?? codesOf(catalog, options))?.map(String);
  const error = object(
    {
      code: narrow({ type: 'string', pattern: '^[A-Za-z0-9]{1,10}$' }, codes),
      text: { type: 'string', minLength: 1, maxLength: 4000 },
    },
    ['code', 'text'],
    false,
  );
  return object({ ack: { const: false }, errors: { type: 'array', items: error, minItems: 1, maxItems: 1 } }, ['ack', 'errors'], options.debug);
}

const DETAILS_ITEM: JsonSchema = {
  type: 'object',
  properties: { pointer: { type: 'string' }, message: { type: 'string' }, keyword: { type: 'string' } },
  required: ['pointer', 'message'],
  additionalProperties: false,
};

/** AST: `{"code","name","message","correlationId"?,"details"?}`, `code` a JSON number. */
export function astJson(catalog: Catalog, options: SchemaOptions = {}, pin?: SchemaPin): JsonSchema {
  return object(
    {
      code: narrow({ type: 'integer', minimum: 1 }, pin?.codes ?? codesOf(catalog, options)),
      name: { type: 'string', minLength: 1 },
      message: { type: 'string' },
      correlationId: { type: 'string' },
      details: { type: 'array', items: DETAILS_ITEM },
    },
    ['code', 'name', 'message'],
    options.debug,
  );
}

/**
 * RFC 9457 problem details with faultline's members: `type`, `title`, `status`, `detail`,
 * `instance` (`urn:uuid:<id>`), the extension `code`, and `errors` for validation problems.
 */
export function problemJson(catalog: Catalog, options: SchemaOptions = {}, pin?: SchemaPin): JsonSchema {
  const error: JsonSchema = {
    type: 'object',
    properties: { detail: { type: 'string' }, pointer: { type: 'string', pattern: '^#' }, keyword: { type: 'string' } },
    required: ['detail', 'pointer'],
    additionalProperties: false,
  };
  return object(
    {
      type: { type: 'string', minLength: 1 },
      title: { type: 'string' },
      status: statusSchema(pin, 400, 599),
      detail: { type: 'string' },
      instance: { type: 'string', pattern: '^urn:uuid:' },
      code: narrow({ type: 'string', minLength: 1 }, pin?.codes ?? codesOf(catalog, options)),
      errors: { type: 'array', items: error },
    },
    ['type', 'title', 'status', 'detail', 'instance', 'code'],
    options.debug,
  );
}

type JsonBuilder = (catalog: Catalog, options?: SchemaOptions, pin?: SchemaPin) => JsonSchema;

interface SchemaTable {
  readonly json: JsonBuilder;
  readonly xml?: XmlSchemaRef;
  readonly soap?: XmlSchemaRef;
}

/** Each built-in dialect's body schemas, by dialect id. */
export const BODY_SCHEMAS: Readonly<Record<string, SchemaTable>> = Object.freeze({
  xroad: {
    json: xroadJson,
    xml: xsd('xroad-rest-error.xsd', null, 'error'),
    soap: xsd('xroad-soap-fault.xsd', SOAP_NS, 'Envelope'),
  },
  xks: { json: xksJson },
  esb: {
    json: esbJson,
    xml: xsd('esb-fault.xsd', 'http://wso2.org/apimanager', 'fault'),
    soap: xsd('esb-soap-fault.xsd', SOAP_NS, 'Envelope'),
  },
  de4a: { json: de4aJson, xml: xsd('de4a-response-error.xsd', 'http://www.de4a.eu/2020/data/response/v2', 'ResponseMessage') },
  ast: { json: astJson },
  problem: { json: problemJson },
});

/**
 * The schemas of a built-in dialect's bodies; what every dialect's `schema()` returns.
 *
 * @param catalog - the dialect's built-in catalogue
 * @param options - your own catalogues (to make codes an enum), `debug`
 * @returns the JSON Schema (with `$schema`) and the XSD references
 * @throws TypeError when the catalogue's dialect is not a built-in one
 * @example
 * ```ts
 * dialectSchemas(xroad.catalog).xml?.specifier; // '@faultline/core/schemas/xroad-rest-error.xsd'
 * ```
 */
export function dialectSchemas(catalog: Catalog, options: SchemaOptions = {}): DialectSchemas {
  const table = BODY_SCHEMAS[catalog.dialect];
  if (table === undefined) throw new TypeError(`faultline: no schemas for dialect '${catalog.dialect}'`);
  if (typeof options !== 'object' || options === null) throw new TypeError('faultline: schema options must be an object');
  return Object.freeze({
    dialect: catalog.dialect,
    json: { $schema: DRAFT, ...table.json(catalog, options) },
    ...(table.xml === undefined ? {} : { xml: table.xml }),
    ...(table.soap === undefined ? {} : { soap: table.soap }),
  });
}
