/**
 * The problem body described: the JSON Schema of RFC 9457 problem details with faultline's
 * members, and the one encoding the dialect answers in.
 *
 * @module
 */
import type { Catalog } from '../../catalog.js';
import type { Encoding, EncodingExample } from '../contract.js';
import { codesOf, narrow, object, statusSchema } from '../schema-kit.js';
import type { DialectBodies, JsonSchema, SchemaOptions, SchemaPin } from '../schema-kit.js';

/** The media type of RFC 9457. */
export const MEDIA_TYPE = 'application/problem+json';
/** The one encoding. */
export const JSON_ENCODING: Encoding = Object.freeze({ id: 'json', mediaType: MEDIA_TYPE });

/**
 * RFC 9457 problem details with faultline's members: `type`, `title`, `status`, `detail`,
 * `instance` (`urn:uuid:<id>`), the extension `code`, and `errors` for validation problems.
 *
 * @param catalog - the problem catalogue
 * @param options - your own catalogues (codes as an enum), `debug`
 * @param pin - the codes and statuses to narrow to
 * @returns the JSON Schema, without `$schema`
 * @example
 * ```ts
 * problemJson(problem.catalog).required; // ['type', 'title', 'status', 'detail', 'instance', 'code']
 * ```
 */
export function problemJson(
  catalog: Catalog,
  options: SchemaOptions = {},
  pin?: SchemaPin,
): JsonSchema {
  const error: JsonSchema = {
    type: 'object',
    properties: {
      detail: { type: 'string' },
      pointer: { type: 'string', pattern: '^#' },
      keyword: { type: 'string' },
    },
    required: ['detail', 'pointer'],
    additionalProperties: false,
  };
  const open = options.extensions === true;
  const schema = object(
    {
      type: { type: 'string', minLength: 1 },
      title: { type: 'string' },
      status: statusSchema(pin, 400, 599),
      detail: { type: 'string' },
      instance: open ? { type: 'string', minLength: 1 } : { type: 'string', pattern: '^urn:uuid:' },
      code: narrow({ type: 'string', minLength: 1 }, pin?.codes ?? codesOf(catalog, options)),
      errors: { type: 'array', items: error },
      ...(open ? { correlationId: { type: 'string' } } : {}),
    },
    ['type', 'title', 'status', 'detail', 'instance', 'code'],
    options.debug,
  );
  // RFC 9457 §3.2: problem types may extend the object with members of their own.
  return open ? { ...schema, additionalProperties: true } : schema;
}

/**
 * The schema of problem bodies: JSON only.
 *
 * @example
 * ```ts
 * BODIES.xml; // undefined
 * ```
 */
export const BODIES: DialectBodies = Object.freeze({ json: problemJson });

/**
 * The encodings the problem dialect answers in, and a request that selects each.
 *
 * @example
 * ```ts
 * ENCODINGS[0]?.encoding.mediaType; // 'application/problem+json'
 * ```
 */
export const ENCODINGS: readonly EncodingExample[] = Object.freeze([
  { encoding: JSON_ENCODING, request: { headers: { accept: 'application/json' } } },
]);
