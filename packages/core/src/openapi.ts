/**
 * OpenAPI 3.1 `components.responses` for a catalogue, so that an API's documented errors are
 * the ones it sends: every example is rendered by a real fault handler, and every schema is the
 * dialect's own body schema narrowed to the response's codes.
 *
 * @module
 */
import type { Catalog, CatalogEntry } from './catalog.js';
import { Fault, catalogueFault } from './fault.js';
import { createFaultHandler } from './handler/index.js';
import type { FaultHandlerOptions } from './handler/options.js';
import { builtInDialect } from './dialects/registry.js';
import type { DialectName } from './dialects/registry.js';
import type { Dialect, EncodingExample } from './dialects/contract.js';
import type {
  DialectBodies,
  JsonSchema,
  JsonValue,
  SchemaPin,
  XmlSchemaRef,
} from './dialects/schema-kit.js';
import type { RequestInfo } from './request.js';

/**
 * An OpenAPI 3.1 Media Type Object.
 *
 * @example
 * ```ts
 * const media: OpenApiMediaType | undefined = openApiResponses('xks')['xks.KeyNotFoundException']?.content['application/json'];
 * ```
 */
export interface OpenApiMediaType {
  readonly schema: JsonSchema;
  /** The body faultline sends (parsed for JSON, the document text for XML). */
  readonly example?: JsonValue;
  /** With `by: 'status'`: one example per code, by code. */
  readonly examples?: Readonly<
    Record<string, { readonly summary: string; readonly value: JsonValue }>
  >;
}

/**
 * An OpenAPI 3.1 Response Object, with the status it is sent with as `x-status`.
 *
 * @example
 * ```ts
 * const response: OpenApiResponse | undefined = openApiResponses('ast')['ast.51010'];
 * response?.['x-status']; // 403
 * ```
 */
export interface OpenApiResponse {
  readonly description: string;
  /** The HTTP status faultline sends this response with. */
  readonly 'x-status': number;
  /** By content type exactly as faultline sends it, e.g. `application/json;charset=utf-8`. */
  readonly content: Readonly<Record<string, OpenApiMediaType>>;
}

/**
 * Options of {@link openApiResponses}.
 *
 * @example
 * ```ts
 * const options: OpenApiOptions = { by: 'status' };
 * const responses = openApiResponses('problem', options);
 * ```
 */
export interface OpenApiOptions {
  /**
   * `code`: one response per catalogue code, named `<prefix><code>`; `status`: one per HTTP
   * status, named `<prefix><status>`, with one example per code.
   * @default 'code'
   */
  readonly by?: 'code' | 'status';
  /**
   * The handler options the examples are rendered with: the dialect's options (`xroad`,
   * `ast`, `de4a`, …) as your service passes them. `dialect` and `correlationId` are set here.
   */
  readonly handler?: Omit<FaultHandlerOptions, 'dialect' | 'correlationId' | 'onFault'>;
  /** The correlation id the examples carry. @default '00000000-0000-4000-8000-000000000000' */
  readonly correlationId?: string;
  /** Document the SOAP 1.1 faults SOAP clients get (X-Road, ESB) instead of the REST bodies. @default false */
  readonly soap?: boolean;
  /** Prefix of the response names. @default '<dialect>.' */
  readonly prefix?: string;
}

/** A request that makes a dialect answer in one encoding, and the kind of body it gets. */
interface Variant {
  readonly request: RequestInfo;
  readonly kind: 'json' | 'xml' | 'soap' | 'text';
}

// The kind of body an encoding sends: JSON, XML, SOAP, or any other text (HTML, plain text).
const KINDS: Readonly<Record<string, Variant['kind']>> = { json: 'json', xml: 'xml', soap: 'soap' };
const kindOf = (example: EncodingExample): Variant['kind'] =>
  Object.hasOwn(KINDS, example.encoding.id) ? KINDS[example.encoding.id]! : 'text';

// Whether the handler options give the dialect every option an encoding needs (DE4A's JSON
// only with `json: true`, ESB's XML only with profile `apim-3.2`).
function enabled(example: EncodingExample, options: unknown): boolean {
  const needed = example.options;
  if (needed === undefined) return true;
  const given =
    typeof options === 'object' && options !== null ? (options as Record<string, unknown>) : {};
  return Object.keys(needed).every((key) => given[key] === needed[key]);
}

// The encodings the dialect documents with these options: its SOAP faults, or its REST bodies.
function variantsOf(
  dialect: Dialect,
  bodies: DialectBodies,
  options: OpenApiOptions,
): readonly Variant[] {
  const dialectOptions = (options.handler as Record<string, unknown> | undefined)?.[dialect.id];
  const examples = (dialect.encodings ?? []).filter((example) => enabled(example, dialectOptions));
  const soap = options.soap === true;
  const chosen = examples.filter((example) => (example.encoding.id === 'soap') === soap);
  if (soap && (bodies.soap === undefined || chosen.length === 0))
    throw new TypeError(`faultline: the ${dialect.id} dialect sends no SOAP faults`);
  if (chosen.length === 0)
    throw new TypeError(`faultline: the ${dialect.id} dialect lists no encodings to document`);
  return chosen.map((example) => ({ request: example.request, kind: kindOf(example) }));
}

function xmlSchema(ref: XmlSchemaRef | undefined, mediaType: string): JsonSchema {
  if (ref === undefined) return textSchema(mediaType);
  return {
    type: 'string',
    description: `An XML document that validates against the XSD ${ref.specifier} (root element ${ref.root}).`,
  };
}

// A body that is text of another kind (HTML, plain text): documented by its media type.
function textSchema(mediaType: string): JsonSchema {
  return { type: 'string', description: `A ${mediaType.split(';', 1)[0]!.trim()} document.` };
}

function resolve(source: DialectName | Dialect | Catalog): {
  dialect: Dialect;
  bodies: DialectBodies;
  own?: Catalog;
} {
  const withBodies = (dialect: Dialect | undefined, name: string, own?: Catalog) => {
    if (dialect === undefined) throw new TypeError(`faultline: unknown dialect '${name}'`);
    if (dialect.bodies === undefined)
      throw new TypeError(`faultline: no schemas for dialect '${dialect.id}'`);
    return { dialect, bodies: dialect.bodies, ...(own === undefined ? {} : { own }) };
  };
  if (typeof source === 'string') return withBodies(builtInDialect(source), source);
  if (typeof source === 'object' && source !== null && 'configure' in source)
    return withBodies(source, source.id);
  if (typeof source === 'object' && source !== null && Array.isArray(source.entries)) {
    return withBodies(builtInDialect(source.dialect), source.dialect, source);
  }
  throw new TypeError('faultline: openApiResponses needs a dialect name, a dialect or a catalogue');
}

// A fault of a catalogue entry, as a service throws it: the catalogue's status, name and text.
function faultOf(dialect: string, entry: CatalogEntry): Fault {
  return catalogueFault({
    dialect,
    code: entry.code,
    status: entry.status,
    name: entry.name,
    message: entry.message,
    description: entry.description,
    expose: true,
  });
}

// Response names may hold letters, digits, `.`, `-` and `_` only (OpenAPI 3.1 §4.8.7.1).
function key(text: string): string {
  return text.replace(/[^A-Za-z0-9._-]/g, '_');
}

interface Rendered {
  readonly entry: CatalogEntry;
  readonly status: number;
  /** By content type. */
  readonly bodies: ReadonlyMap<string, { readonly variant: Variant; readonly value: JsonValue }>;
}

/**
 * OpenAPI 3.1 `components.responses` for a catalogue: one response per code (or per status),
 * with a content entry for every content type the dialect answers in, each carrying the body
 * schema and, as its example, exactly the body faultline sends for that code (rendered by a
 * real handler with a fixed correlation id).
 *
 * JSON content gets the dialect's JSON Schema narrowed to the response's codes. XML content
 * gets `{ type: 'string' }` naming the XSD shipped in `@faultline/core/schemas/` that the body
 * validates against (OpenAPI cannot embed an XSD).
 *
 * @param source - a built-in dialect (`'xroad'` or `xroad`), or a catalogue of your own (`defineCatalog(...).catalog`)
 * @param options - per code or per status, the handler options, SOAP, the name prefix
 * @returns the `components.responses` object
 * @throws TypeError for an unknown dialect, or `soap` with a dialect that sends no SOAP faults
 * @example
 * ```ts
 * const doc = {
 *   openapi: '3.1.0',
 *   components: { responses: openApiResponses('xks') },
 *   // …paths: { '/kms/xks/v1/keys/{id}/encrypt': { post: { responses:
 *   //   { 404: { $ref: '#/components/responses/xks.KeyNotFoundException' } } } } }
 * };
 * ```
 */
export function openApiResponses(
  source: DialectName | Dialect | Catalog,
  options: OpenApiOptions = {},
): Record<string, OpenApiResponse> {
  const { dialect, bodies, own } = resolve(source);
  const { catalog } = dialect;
  const id = options.correlationId ?? '00000000-0000-4000-8000-000000000000';
  const prefix = options.prefix ?? `${dialect.id}.`;
  const handler = createFaultHandler({
    logger: false,
    ...options.handler,
    ...(own === undefined ? {} : { catalogs: [...(options.handler?.catalogs ?? []), own] }),
    dialect,
    correlationId: () => id,
  });
  const variants = variantsOf(dialect, bodies, options);
  const rendered: Rendered[] = (own ?? catalog).entries.map((entry) => {
    const bodies = new Map<string, { variant: Variant; value: JsonValue }>();
    let status = entry.status;
    for (const variant of variants) {
      const request: RequestInfo = { method: 'POST', url: '/', ...variant.request };
      const response = handler.handle(faultOf(dialect.id, entry), request);
      status = response.status;
      const type = response.headers['content-type'] ?? '';
      // A sequence without a SOAP branch (ESB's threat, token and blocked-API ones) answers SOAP clients in JSON.
      const sent: Variant =
        variant.kind !== 'json' && /json/i.test(type)
          ? { request: variant.request, kind: 'json' }
          : variant;
      bodies.set(type, {
        variant: sent,
        value: sent.kind === 'json' ? (JSON.parse(response.body) as JsonValue) : response.body,
      });
    }
    return { entry, status, bodies };
  });

  const schemaFor = (variant: Variant, type: string, pin: SchemaPin): JsonSchema =>
    variant.kind === 'json'
      ? bodies.json(catalog, { debug: options.handler?.debug === true }, pin)
      : variant.kind === 'text'
        ? textSchema(type)
        : xmlSchema(variant.kind === 'soap' ? bodies.soap : bodies.xml, type);
  const summary = (r: Rendered): string => `${r.entry.name}: ${r.entry.message}`;

  const responses: Record<string, OpenApiResponse> = {};
  if (options.by === 'status') {
    const byStatus = new Map<number, Rendered[]>();
    for (const r of rendered) byStatus.set(r.status, [...(byStatus.get(r.status) ?? []), r]);
    for (const [status, group] of [...byStatus].sort(([a], [b]) => a - b)) {
      const content: Record<string, OpenApiMediaType> = {};
      const types = new Map<string, Variant>();
      for (const r of group)
        for (const [type, { variant }] of r.bodies) if (!types.has(type)) types.set(type, variant);
      for (const [type, variant] of types) {
        const members = group.filter((r) => r.bodies.has(type));
        content[type] = {
          schema: schemaFor(variant, type, {
            codes: members.map((r) => r.entry.code),
            status: [status],
          }),
          examples: Object.fromEntries(
            members.map((r) => [
              key(String(r.entry.code)),
              { summary: summary(r), value: r.bodies.get(type)!.value },
            ]),
          ),
        };
      }
      responses[key(`${prefix}${status}`)] = {
        description: group.map((r) => String(r.entry.code)).join(', '),
        'x-status': status,
        content,
      };
    }
    return responses;
  }
  for (const r of rendered) {
    const content: Record<string, OpenApiMediaType> = {};
    for (const [type, { variant, value }] of r.bodies) {
      content[type] = {
        schema: schemaFor(variant, type, { codes: [r.entry.code], status: [r.status] }),
        example: value,
      };
    }
    responses[key(`${prefix}${String(r.entry.code)}`)] = {
      description: `${r.status} ${summary(r)}`,
      'x-status': r.status,
      content,
    };
  }
  return responses;
}
