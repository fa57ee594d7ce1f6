/**
 * The vocabulary of body schemas and the helpers every dialect's `schema.ts` builds its JSON
 * Schema with (draft 2020-12, so it drops into an OpenAPI 3.1 document as it is), plus the
 * references to the XSDs shipped in `@faultline/core/schemas/` for XML bodies.
 *
 * @module
 */
import type { Catalog } from '../catalog.js';

/**
 * A JSON value, as a JSON Schema or an OpenAPI example holds it.
 *
 * @example
 * ```ts
 * const example: JsonValue = { type: 'Client.BadRequest', message: 'No id', detail: '…' };
 * ```
 */
export type JsonValue =
  string | number | boolean | null | readonly JsonValue[] | { readonly [key: string]: JsonValue };

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
  /**
   * problem+json: allow extension members, and `instance` as a path (`problem: { instance:
   * 'path' }`) with the `correlationId` member. Without it the schema admits faultline's
   * members only.
   * @default false
   */
  readonly extensions?: boolean;
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

/**
 * What a body schema is narrowed to: the codes (one code: a `const`) and the status, as an
 * OpenAPI response documents them.
 *
 * @example
 * ```ts
 * const pin: SchemaPin = { codes: ['KeyNotFoundException'], status: [404] };
 * xks.bodies.json(xks.catalog, {}, pin);
 * ```
 */
export interface SchemaPin {
  readonly codes?: readonly (string | number)[];
  readonly status?: readonly number[];
}

/**
 * The schemas of a dialect's bodies: a builder of the JSON Schema of its JSON bodies, and the
 * XSDs of its XML and SOAP bodies when it sends any.
 *
 * @example
 * ```ts
 * const bodies: DialectBodies = {
 *   json: (_catalog, _options, pin) => ({ type: 'object', properties: { message: { type: 'string' } } }),
 * };
 * ```
 */
export interface DialectBodies {
  /**
   * The JSON Schema of the dialect's JSON bodies, without `$schema`.
   *
   * @param catalog - the dialect's catalogue (or a catalogue of its dialect given instead)
   * @param options - your own catalogues (codes as an enum), `debug`
   * @param pin - the codes and statuses to narrow to
   */
  json(catalog: Catalog, options: SchemaOptions, pin?: SchemaPin): JsonSchema;
  readonly xml?: XmlSchemaRef;
  readonly soap?: XmlSchemaRef;
}

/** The JSON Schema dialect every body schema declares. */
export const DRAFT = 'https://json-schema.org/draft/2020-12/schema';

/**
 * The reference to an XSD shipped in `@faultline/core/schemas/`.
 *
 * @param file - the file name
 * @param namespace - the root element's namespace, or `null`
 * @param root - the root element's local name
 * @returns the frozen reference
 * @example
 * ```ts
 * xsd('xroad-rest-error.xsd', null, 'error').specifier; // '@faultline/core/schemas/xroad-rest-error.xsd'
 * ```
 */
export function xsd(file: string, namespace: string | null, root: string): XmlSchemaRef {
  return Object.freeze({ file, specifier: `@faultline/core/schemas/${file}`, namespace, root });
}

const DEBUG: JsonSchema = {
  type: 'object',
  properties: { stack: { type: 'string' }, causes: { type: 'array', items: { type: 'string' } } },
  required: ['causes'],
  additionalProperties: false,
};

/**
 * The dialect's own codes plus the given catalogues' codes of that dialect, or `undefined`
 * when no catalogues are given (the code member is then checked by its form only).
 *
 * @example
 * ```ts
 * codesOf(problem.catalog, { catalogs: [orders.catalog] }); // every problem code and the team's
 * ```
 */
export function codesOf(dialect: Catalog, options: SchemaOptions): (string | number)[] | undefined {
  if (options.catalogs === undefined) return undefined;
  const codes = new Set<string | number>(dialect.entries.map((e) => e.code));
  for (const catalog of options.catalogs) {
    if (catalog.dialect === dialect.dialect)
      for (const entry of catalog.entries) codes.add(entry.code);
  }
  return [...codes];
}

/**
 * A code member narrowed: one code → `const`, several → `enum`, none → its form only.
 *
 * @example
 * ```ts
 * narrow({ type: 'string' }, ['A']); // { type: 'string', const: 'A' }
 * ```
 */
export function narrow(base: JsonSchema, codes: readonly JsonValue[] | undefined): JsonSchema {
  if (codes === undefined) return base;
  return codes.length === 1 ? { ...base, const: codes[0]! } : { ...base, enum: [...codes] };
}

/**
 * A closed object schema, with the `debug` member allowed when `debug` is `true`.
 *
 * @example
 * ```ts
 * object({ message: { type: 'string' } }, ['message'], false);
 * ```
 */
export function object(
  properties: Record<string, JsonSchema>,
  required: readonly string[],
  debug: boolean | undefined,
): JsonSchema {
  return {
    type: 'object',
    properties: debug === true ? { ...properties, debug: DEBUG } : properties,
    required: [...required],
    additionalProperties: false,
  };
}

/**
 * An integer status member, narrowed to the pinned statuses.
 *
 * @example
 * ```ts
 * statusSchema({ status: [404] }, 400, 599); // { type: 'integer', minimum: 400, maximum: 599, const: 404 }
 * ```
 */
export function statusSchema(pin: SchemaPin | undefined, min: number, max: number): JsonSchema {
  return narrow({ type: 'integer', minimum: min, maximum: max }, pin?.status);
}

/**
 * The schemas of a dialect's bodies, as its `schema()` returns them.
 *
 * @param id - the dialect's id
 * @param catalog - the catalogue whose codes the JSON Schema names
 * @param bodies - the dialect's body schemas
 * @param options - your own catalogues, `debug`
 * @returns the JSON Schema (with `$schema`) and the XSD references, frozen
 * @throws TypeError when the options are not an object
 * @example
 * ```ts
 * schemasOf('xks', xks.catalog, xks.bodies, {}).json.$schema; // 'https://json-schema.org/draft/2020-12/schema'
 * ```
 */
export function schemasOf(
  id: string,
  catalog: Catalog,
  bodies: DialectBodies,
  options: SchemaOptions = {},
): DialectSchemas {
  if (typeof options !== 'object' || options === null)
    throw new TypeError('faultline: schema options must be an object');
  return Object.freeze({
    dialect: id,
    json: { $schema: DRAFT, ...bodies.json(catalog, options) },
    ...(bodies.xml === undefined ? {} : { xml: bodies.xml }),
    ...(bodies.soap === undefined ? {} : { soap: bodies.soap }),
  });
}
