/**
 * The DE4A bodies described: the XSD of the IEM `ResponseMessage` and the JSON Schema of its
 * JSON rendering `{"ack":false,"errors":[{"code","text"}]}`, and the encodings the dialect
 * answers in with the request that selects each.
 *
 * @module
 */
import type { Catalog } from '../../catalog.js';
import type { Encoding, EncodingExample } from '../contract.js';
import { codesOf, narrow, object, xsd } from '../schema-kit.js';
import type { DialectBodies, JsonSchema, SchemaOptions, SchemaPin } from '../schema-kit.js';

/** The IEM XML, the default. */
export const XML_ENCODING: Encoding = Object.freeze({ id: 'xml', mediaType: 'application/xml' });
/** Its JSON rendering, for clients that list `application/json` first (option `json`). */
export const JSON_ENCODING: Encoding = Object.freeze({ id: 'json', mediaType: 'application/json' });

/**
 * DE4A JSON: `{"ack":false,"errors":[{"code","text"}]}`, the IEM `ResponseErrorType` as JSON.
 *
 * @param catalog - the DE4A catalogue
 * @param options - your own catalogues (codes as an enum), `debug`
 * @param pin - the codes to narrow `code` to
 * @returns the JSON Schema, without `$schema`
 * @example
 * ```ts
 * de4aJson(de4a.catalog).required; // ['ack', 'errors']
 * ```
 */
export function de4aJson(
  catalog: Catalog,
  options: SchemaOptions = {},
  pin?: SchemaPin,
): JsonSchema {
  const codes = (pin?.codes ?? codesOf(catalog, options))?.map(String);
  const error = object(
    {
      code: narrow({ type: 'string', pattern: '^[A-Za-z0-9]{1,10}$' }, codes),
      text: { type: 'string', minLength: 1, maxLength: 4000 },
    },
    ['code', 'text'],
    false,
  );
  return object(
    { ack: { const: false }, errors: { type: 'array', items: error, minItems: 1, maxItems: 1 } },
    ['ack', 'errors'],
    options.debug,
  );
}

/**
 * The schemas of DE4A bodies.
 *
 * @example
 * ```ts
 * BODIES.xml?.root; // 'ResponseMessage'
 * ```
 */
export const BODIES: DialectBodies = Object.freeze({
  json: de4aJson,
  xml: xsd(
    'de4a-response-error.xsd',
    'http://www.de4a.eu/2020/data/response/v2',
    'ResponseMessage',
  ),
});

/**
 * The encodings DE4A answers in, and a request that selects each; documents list JSON only
 * when the `json` option is set explicitly.
 *
 * @example
 * ```ts
 * ENCODINGS[0]?.encoding.id; // 'xml'
 * ```
 */
export const ENCODINGS: readonly EncodingExample[] = Object.freeze([
  { encoding: XML_ENCODING, request: { headers: { accept: 'application/xml' } } },
  {
    encoding: JSON_ENCODING,
    request: { headers: { accept: 'application/json' } },
    options: { json: true },
  },
]);
