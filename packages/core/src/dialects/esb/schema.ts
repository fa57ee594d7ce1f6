/**
 * The ESB bodies described: the JSON Schema of the gateway's JSON bodies (status report,
 * auth / throttle / threat body, blocked API), the XSDs of the 3.x XML bodies and of the SOAP
 * 1.1 fault, and the encodings the dialect answers in with the request that selects each.
 *
 * @module
 */
import type { Catalog } from '../../catalog.js';
import { SOAP11_NS } from '../../encode/soap.js';
import type { Encoding, EncodingExample } from '../contract.js';
import { codesOf, narrow, object, xsd } from '../schema-kit.js';
import type { DialectBodies, JsonSchema, SchemaOptions, SchemaPin } from '../schema-kit.js';
import { BLOCKED } from './sequences/builtin.js';

/** JSON, what API Manager 4.x sends whatever the client accepts. */
export const JSON_ENCODING: Encoding = Object.freeze({ id: 'json', mediaType: 'application/json' });
/** The 3.x XML bodies for `Accept: application/xml` (profile `apim-3.2`). */
export const XML_APPLICATION: Encoding = Object.freeze({ id: 'xml', mediaType: 'application/xml' });
/** The 3.x XML bodies for `Accept: text/xml` (profile `apim-3.2`). */
export const XML_TEXT: Encoding = Object.freeze({ id: 'xml', mediaType: 'text/xml' });
/** The SOAP 1.1 fault, for SOAP requests. */
export const SOAP_ENCODING: Encoding = Object.freeze({ id: 'soap', mediaType: 'text/xml' });

/** The form of an ESB code as the JSON bodies carry it: a string of digits. */
export const ESB_CODE: JsonSchema = { type: 'string', pattern: '^[0-9]{1,16}$' };
/** The form of `nextAccessTime`: the gateway's UTC date text. */
export const NEXT_ACCESS =
  '^[0-9]{4}-(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)-[0-9]{2} [0-9]{2}:[0-9]{2}:[0-9]{2}\\+0000 UTC$';

/**
 * ESB JSON (APIM ≥ 4.0): one of the default fault sequence's status report
 * `{"code","type":"Status report","message","description"}`, the auth / throttle / threat
 * body `{"code","message","description","nextAccessTime"?}`, or the blocked API's
 * `{"code":"700700","type":"API blocked","description"}`. Custom sequences send their own
 * payloads, which no schema here describes.
 *
 * @param catalog - the ESB catalogue
 * @param options - your own catalogues (codes as an enum)
 * @param pin - the codes to narrow `code` to
 * @returns the JSON Schema, without `$schema`
 * @example
 * ```ts
 * esbJson(esb.catalog).oneOf; // the three body shapes
 * ```
 */
export function esbJson(
  catalog: Catalog,
  options: SchemaOptions = {},
  pin?: SchemaPin,
): JsonSchema {
  const codes = (pin?.codes ?? codesOf(catalog, options))?.map(String);
  const code = narrow(ESB_CODE, codes);
  const str: JsonSchema = { type: 'string' };
  return {
    oneOf: [
      object(
        {
          code,
          type: { const: 'Status report' },
          message: { enum: ['Runtime Error', 'Not Found'] },
          description: str,
        },
        ['code', 'type', 'message', 'description'],
        false,
      ),
      object(
        {
          code,
          message: str,
          description: str,
          nextAccessTime: { type: 'string', pattern: NEXT_ACCESS },
        },
        ['code', 'message', 'description'],
        false,
      ),
      object(
        {
          code: { const: '700700' },
          type: { const: 'API blocked' },
          description: { const: BLOCKED },
        },
        ['code', 'type', 'description'],
        false,
      ),
    ],
  };
}

/**
 * The schemas of ESB bodies.
 *
 * @example
 * ```ts
 * BODIES.xml?.namespace; // 'http://wso2.org/apimanager'
 * ```
 */
export const BODIES: DialectBodies = Object.freeze({
  json: esbJson,
  xml: xsd('esb-fault.xsd', 'http://wso2.org/apimanager', 'fault'),
  soap: xsd('esb-soap-fault.xsd', SOAP11_NS, 'Envelope'),
});

/**
 * The encodings the gateway answers in, and a request that selects each: XML only with the
 * `apim-3.2` profile (API Manager 4.x sends JSON whatever the client accepts).
 *
 * @example
 * ```ts
 * ENCODINGS.filter((e) => e.options === undefined).map((e) => e.encoding.id); // ['json', 'soap']
 * ```
 */
export const ENCODINGS: readonly EncodingExample[] = Object.freeze([
  { encoding: JSON_ENCODING, request: { headers: { accept: 'application/json' } } },
  {
    encoding: XML_APPLICATION,
    request: { headers: { accept: 'application/xml' } },
    options: { profile: 'apim-3.2' },
  },
  {
    encoding: XML_TEXT,
    request: { headers: { accept: 'text/xml' } },
    options: { profile: 'apim-3.2' },
  },
  {
    encoding: SOAP_ENCODING,
    request: { headers: { soapaction: '""', 'content-type': 'text/xml' } },
  },
]);
