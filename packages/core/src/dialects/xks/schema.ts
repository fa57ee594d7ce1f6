/**
 * The XKS body described: the JSON Schema of `{"errorName","errorMessage"?}`, and the one
 * encoding the dialect answers in.
 *
 * @module
 */
import type { Catalog } from '../../catalog.js';
import type { Encoding, EncodingExample } from '../contract.js';
import { narrow, object } from '../schema-kit.js';
import type { DialectBodies, JsonSchema, SchemaOptions, SchemaPin } from '../schema-kit.js';
import { XKS_ENTRIES } from './catalog.js';

/** The XKS media type: KMS reads JSON only. */
export const MEDIA_TYPE = 'application/json';
/** The one encoding: XML Accept headers and SOAPAction change nothing. */
export const JSON_ENCODING: Encoding = Object.freeze({ id: 'json', mediaType: MEDIA_TYPE });

/**
 * The twelve error names of the specification's table.
 *
 * @example
 * ```ts
 * XKS_NAMES.includes('KeyNotFoundException'); // true
 * ```
 */
export const XKS_NAMES: readonly string[] = Object.freeze(XKS_ENTRIES.map((e) => e.code));

/**
 * XKS: `{"errorName","errorMessage"?}`; `errorMessage` printable ASCII, 1–511 characters.
 *
 * @param _catalog - unused: the names are always the specification's twelve
 * @param _options - unused: the wire format has exactly two members, debug or not
 * @param pin - the names to narrow `errorName` to
 * @returns the JSON Schema, without `$schema`
 * @example
 * ```ts
 * xksJson(xks.catalog).required; // ['errorName']
 * ```
 */
export function xksJson(
  _catalog: Catalog,
  _options: SchemaOptions = {},
  pin?: SchemaPin,
): JsonSchema {
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

/**
 * The schema of XKS bodies: JSON only.
 *
 * @example
 * ```ts
 * BODIES.xml; // undefined
 * ```
 */
export const BODIES: DialectBodies = Object.freeze({ json: xksJson });

/**
 * The encodings XKS answers in, and a request that selects each.
 *
 * @example
 * ```ts
 * ENCODINGS[0]?.encoding.mediaType; // 'application/json'
 * ```
 */
export const ENCODINGS: readonly EncodingExample[] = Object.freeze([
  { encoding: JSON_ENCODING, request: { headers: { accept: 'application/json' } } },
]);
