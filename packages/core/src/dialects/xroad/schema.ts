/**
 * The X-Road bodies described: the JSON Schema of REST JSON `{"type","message","detail"}`, the
 * XSDs of the REST XML error and the SOAP 1.1 fault, and the encodings the dialect answers in
 * with the request that selects each.
 *
 * @module
 */
import type { Catalog } from '../../catalog.js';
import { SOAP11_NS } from '../../encode/soap.js';
import type { Encoding, EncodingExample } from '../contract.js';
import { codesOf, narrow, object, xsd } from '../schema-kit.js';
import type { DialectBodies, JsonSchema, SchemaOptions, SchemaPin } from '../schema-kit.js';
import { XROAD_CODE } from './catalog.js';

/** REST JSON, whatever the release's `Content-Type`. */
export const JSON_ENCODING: Encoding = Object.freeze({ id: 'json', mediaType: 'application/json' });
/** REST XML for `Accept: text/xml` (or `text/*`). */
export const XML_TEXT: Encoding = Object.freeze({ id: 'xml', mediaType: 'text/xml' });
/** REST XML for `Accept: application/xml`. */
export const XML_APPLICATION: Encoding = Object.freeze({ id: 'xml', mediaType: 'application/xml' });
/** The SOAP 1.1 fault, for SOAP requests and SOAP routes. */
export const SOAP_ENCODING: Encoding = Object.freeze({ id: 'soap', mediaType: 'text/xml' });

/**
 * X-Road REST JSON: `{"type","message","detail"}`.
 *
 * @param catalog - the X-Road catalogue
 * @param options - your own catalogues (codes as an enum), `debug`
 * @param pin - the codes to narrow `type` to
 * @returns the JSON Schema, without `$schema`
 * @example
 * ```ts
 * xroadJson(xroad.catalog, {}).required; // ['type', 'message', 'detail']
 * ```
 */
export function xroadJson(
  catalog: Catalog,
  options: SchemaOptions = {},
  pin?: SchemaPin,
): JsonSchema {
  const type = narrow(
    { type: 'string', maxLength: 256, pattern: XROAD_CODE.source },
    pin?.codes ?? codesOf(catalog, options),
  );
  return object(
    { type, message: { type: 'string' }, detail: { type: 'string' } },
    ['type', 'message', 'detail'],
    options.debug,
  );
}

/**
 * The schemas of X-Road's bodies.
 *
 * @example
 * ```ts
 * BODIES.soap?.root; // 'Envelope'
 * ```
 */
export const BODIES: DialectBodies = Object.freeze({
  json: xroadJson,
  xml: xsd('xroad-rest-error.xsd', null, 'error'),
  soap: xsd('xroad-soap-fault.xsd', SOAP11_NS, 'Envelope'),
});

/**
 * The encodings X-Road answers in, and a request that selects each: its Accept rule is not
 * RFC 9110's (the first XML type listed wins, q-values ignored).
 *
 * @example
 * ```ts
 * ENCODINGS.map((e) => e.encoding.id); // ['json', 'xml', 'xml', 'soap']
 * ```
 */
export const ENCODINGS: readonly EncodingExample[] = Object.freeze([
  { encoding: JSON_ENCODING, request: { headers: { accept: 'application/json' } } },
  { encoding: XML_APPLICATION, request: { headers: { accept: 'application/xml' } } },
  { encoding: XML_TEXT, request: { headers: { accept: 'text/xml' } } },
  {
    encoding: SOAP_ENCODING,
    request: { headers: { soapaction: '""', 'content-type': 'text/xml' } },
  },
]);
