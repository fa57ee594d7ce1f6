/**
 * Extra folder: ESB answers through fault sequences; this file holds the built-in ones.
 *
 * The gateway's built-in fault sequences: the body each one sends as JSON (WSO2 API Manager 4.x,
 * wso2/product-apim `all-in-one-apim/.../synapse-configs/default/sequences/*.xml`), as the 3.x
 * `am:`/`ams:`/`amt:` XML (profile `apim-3.2`) and as the SOAP 1.1 fault of their
 * `<makefault version="soap11">` branch.
 *
 * @module
 */
import { jsonString } from '../../../encode/json.js';
import { escapeStaxText } from '../../../encode/stax.js';
import type { Encoding } from '../../contract.js';
import type { SequenceName } from '../catalog.js';
import { makeFault } from '../soap.js';

/** What a sequence reads from the message context. */
export interface SequenceValues {
  /** `ERROR_CODE`, as text. */
  readonly code: string;
  /** `ERROR_MESSAGE`: the message the exposure policy allows. */
  readonly message: string;
  /** `ERROR_DETAIL`. */
  readonly detail: string;
  /** `NEXT_ACCESS_UTC_TIME`, only when the throttle-out body carries it. */
  readonly nextAccessUtc?: string;
}

/** A body and its content type. */
export interface SequenceBody {
  readonly contentType: string;
  readonly body: string;
}

/** What a sequence puts in the context before it runs, and the status it sends by default. */
export interface SequenceDefaults {
  readonly code?: number;
  readonly message?: string;
  /** `ERROR_MESSAGE` by `ERROR_CODE`, for a sequence whose handler sets both. */
  readonly messages?: Readonly<Record<number, string>>;
  readonly status: number;
  /** Sequences that end in `<sequence key="fault"/>`: a custom `fault` replaces them too. */
  readonly delegatesToFault?: boolean;
}

/**
 * Each sequence's own defaults: the properties it sets (`ERROR_CODE`, `ERROR_MESSAGE`,
 * `CUSTOM_HTTP_SC`) and the `HTTP_SC` it falls back to.
 *
 * @example
 * ```ts
 * SEQUENCE_DEFAULTS._production_key_error_.status; // 403
 * ```
 */
export const SEQUENCE_DEFAULTS: Readonly<Record<SequenceName, SequenceDefaults>> = {
  fault: { status: 500 },
  main: { code: 404, message: 'Not Found', status: 404 },
  _auth_failure_handler_: { status: 401 },
  _throttle_out_handler_: { status: 429 },
  // CORSRequestHandler.onResourceNotFoundError: ERROR_CODE and CUSTOM_HTTP_SC 404 or 405.
  _resource_mismatch_handler_: {
    messages: {
      404: 'No matching resource found for given API Request',
      405: 'Method not allowed for given API resource',
    },
    status: 404,
    delegatesToFault: true,
  },
  _token_fault_: { status: 500 },
  _threat_fault_: { code: 400, message: 'Bad Request', status: 400 },
  _production_key_error_: {
    code: 900901,
    message: 'Production key offered to the API with no production endpoint',
    status: 403,
    delegatesToFault: true,
  },
  _sandbox_key_error_: {
    code: 900901,
    message: 'Sandbox key offered to the API with no sandbox endpoint',
    status: 403,
    delegatesToFault: true,
  },
  _api_blocked_sequence_: { code: 700700, message: 'API blocked', status: 503 },
};

/** The namespaces of the gateway's `am:`, `ams:` and `amt:` fault XML. */
export const AM = 'http://wso2.org/apimanager';
export const AMS = 'http://wso2.org/apimanager/security';
export const AMT = 'http://wso2.org/apimanager/throttling';
const JSON_TYPE = 'application/json; charset=UTF-8';
const SOAP_TYPE = 'text/xml; charset=UTF-8';
// The content types of the XML media types a client asks for, written once (the handler checks
// each header value it sends, and remembers the values it has seen).
const XML_TYPES: ReadonlyMap<string, string> = new Map([
  ['text/xml', SOAP_TYPE],
  ['application/xml', 'application/xml; charset=UTF-8'],
]);
const NOT_AVAILABLE = 'The requested resource is not available.';
/** The blocked-API sequence's fixed `description`. */
export const BLOCKED =
  'This API has been blocked temporarily. Please try again later or contact the system administrators.';
const MONTHS = 'JanFebMarAprMayJunJulAugSepOctNovDec';

/**
 * The gateway's next-access time: `SimpleDateFormat("yyyy-MMM-dd HH:mm:ssZ")` in UTC plus
 * `" UTC"`.
 *
 * @param date - the next access time
 * @returns e.g. `2026-Feb-10 16:20:00+0000 UTC`
 * @example
 * ```ts
 * nextAccessUtc(new Date(Date.UTC(2026, 1, 10, 16, 20))); // '2026-Feb-10 16:20:00+0000 UTC'
 * ```
 */
export function nextAccessUtc(date: Date): string {
  const two = (n: number) => String(n).padStart(2, '0');
  return (
    `${String(date.getUTCFullYear()).padStart(4, '0')}-${MONTHS.slice(date.getUTCMonth() * 3, date.getUTCMonth() * 3 + 3)}-${two(date.getUTCDate())} ` +
    `${two(date.getUTCHours())}:${two(date.getUTCMinutes())}:${two(date.getUTCSeconds())}+0000 UTC`
  );
}

const NEXT_ACCESS = /^(\d{4})-([A-Z][a-z]{2})-(\d{2}) (\d{2}):(\d{2}):(\d{2})\+0000 UTC$/;

/**
 * Reads the gateway's next-access time back, the inverse of {@link nextAccessUtc}.
 *
 * @param text - e.g. `2026-Feb-10 16:20:00+0000 UTC`
 * @returns the time in milliseconds, or `undefined` for any other text
 * @example
 * ```ts
 * parseNextAccessUtc('2026-Feb-10 16:20:00+0000 UTC'); // Date.UTC(2026, 1, 10, 16, 20)
 * ```
 */
export function parseNextAccessUtc(text: string): number | undefined {
  const match = NEXT_ACCESS.exec(text);
  const month = match === null ? -1 : MONTHS.indexOf(match[2] ?? '');
  if (match === null || month < 0 || month % 3 !== 0) return undefined;
  const [year, day, hours, minutes, seconds] = [1, 3, 4, 5, 6].map((i) => Number(match[i]));
  return Date.UTC(year ?? 0, month / 3, day, hours, minutes, seconds);
}

// `<p:fault xmlns:p="ns"><p:k>v</p:k>…</p:fault>`, every value escaped as Axiom writes it.
function amFault(
  prefix: string,
  ns: string,
  fields: ReadonlyArray<readonly [string, string]>,
): string {
  const inner = fields
    .map(([k, v]) => `<${prefix}:${k}>${escapeStaxText(v)}</${prefix}:${k}>`)
    .join('');
  return `<${prefix}:fault xmlns:${prefix}="${ns}">${inner}</${prefix}:fault>`;
}

// The XML of the sequences whose values vary, as amFault writes it: the markup between the
// values is written once, so that a fault only escapes its own values.
function runtimeErrorXml(prefix: string, ns: string): (v: SequenceValues) => string {
  const head = `<${prefix}:fault xmlns:${prefix}="${ns}"><${prefix}:code>`;
  const middle =
    `</${prefix}:code><${prefix}:type>Status report</${prefix}:type>` +
    `<${prefix}:message>Runtime Error</${prefix}:message><${prefix}:description>`;
  const tail = `</${prefix}:description></${prefix}:fault>`;
  return (v) => head + escapeStaxText(v.code) + middle + escapeStaxText(v.message) + tail;
}

function codeMessageDetailXml(
  prefix: string,
  ns: string,
  withNextAccess = false,
): (v: SequenceValues) => string {
  const head = `<${prefix}:fault xmlns:${prefix}="${ns}"><${prefix}:code>`;
  const afterCode = `</${prefix}:code><${prefix}:message>`;
  const afterMessage = `</${prefix}:message><${prefix}:description>`;
  const afterDetail = `</${prefix}:description>`;
  const tail = `</${prefix}:fault>`;
  return (v) =>
    head +
    escapeStaxText(v.code) +
    afterCode +
    escapeStaxText(v.message) +
    afterMessage +
    escapeStaxText(v.detail) +
    afterDetail +
    (withNextAccess && v.nextAccessUtc !== undefined
      ? `<${prefix}:nextAccessTime>${escapeStaxText(v.nextAccessUtc)}</${prefix}:nextAccessTime>`
      : '') +
    tail;
}

function soap(faultcode: 'Client' | 'Server', faultstring: string, detail?: string): SequenceBody {
  return { contentType: SOAP_TYPE, body: makeFault(faultcode, faultstring, detail) };
}

interface Shape {
  /** The 3.x XML body (`am:`, `ams:` or `amt:`). */
  readonly xml: (v: SequenceValues) => string;
  /** The 4.x `payloadFactory media-type="json"` body, written as its template is. */
  readonly json: (v: SequenceValues) => string;
  /**
   * The SOAP 1.1 fault of the sequence's `MESSAGE_FORMAT` branch; a sequence without one sends
   * SOAP clients its JSON body.
   */
  readonly soap?: (v: SequenceValues) => SequenceBody;
}

const runtimeError = runtimeErrorXml('am', AM);
const MAIN_XML = amFault('am', AM, [
  ['code', '404'],
  ['type', 'Status report'],
  ['message', 'Not Found'],
  ['description', NOT_AVAILABLE],
]);
const BLOCKED_XML = amFault('am', AM, [
  ['code', '700700'],
  ['message', 'API blocked'],
  ['description', BLOCKED],
]);
// The templates' bytes, with JSON.stringify's escaping of each value (jsonString).
const runtimeErrorJson = (v: SequenceValues): string =>
  `{"code":${jsonString(v.code)},"type":"Status report","message":"Runtime Error","description":${jsonString(v.message)}}`;
const codeMessageDetailJson = (v: SequenceValues): string =>
  `{"code":${jsonString(v.code)},"message":${jsonString(v.message)},"description":${jsonString(v.detail)}}`;
const MAIN_JSON = `{"code":"404","type":"Status report","message":"Not Found","description":"${NOT_AVAILABLE}"}`;
const BLOCKED_JSON = `{"code":"700700","type":"API blocked","description":"${BLOCKED}"}`;
const FAULT: Shape = {
  xml: runtimeError,
  json: runtimeErrorJson,
  soap: (v) => soap('Server', v.message),
};

// The JSON body has the same members, in the same order, as the XML one (APIM 4.0 converted
// each sequence's XML template to a JSON template); the blocked-API sequence is the exception
// (no `message`).
const SHAPES: Readonly<Record<SequenceName, Shape>> = {
  fault: FAULT,
  _resource_mismatch_handler_: FAULT,
  _production_key_error_: FAULT,
  _sandbox_key_error_: FAULT,
  // The token, threat and blocked-API sequences have no SOAP branch: SOAP clients get JSON.
  _token_fault_: { xml: runtimeError, json: runtimeErrorJson },
  main: {
    xml: () => MAIN_XML,
    json: () => MAIN_JSON,
    soap: () => soap('Server', 'The requested endpoint is not available.'),
  },
  _auth_failure_handler_: {
    xml: codeMessageDetailXml('ams', AMS),
    json: codeMessageDetailJson,
    soap: (v) => soap('Client', 'Authentication Failure', v.message),
  },
  _throttle_out_handler_: {
    xml: codeMessageDetailXml('amt', AMT, true),
    json: (v) =>
      v.nextAccessUtc === undefined
        ? codeMessageDetailJson(v)
        : `{"code":${jsonString(v.code)},"message":${jsonString(v.message)},"description":${jsonString(v.detail)},"nextAccessTime":${jsonString(v.nextAccessUtc)}}`,
    soap: (v) => soap('Server', v.message, v.detail),
  },
  _threat_fault_: { xml: codeMessageDetailXml('am', AM), json: codeMessageDetailJson },
  _api_blocked_sequence_: {
    xml: () => BLOCKED_XML,
    json: () => BLOCKED_JSON,
  },
};

/**
 * The body a built-in sequence sends: JSON, the `am:`/`ams:`/`amt:` XML, or a SOAP 1.1 fault
 * (JSON for the sequences that have no SOAP branch).
 *
 * @param name - the sequence
 * @param encoding - `json`, `xml` (its media type is the Accept value) or `soap`
 * @param values - the context values the sequence reads
 * @returns the body and its content type
 * @example
 * ```ts
 * builtinBody('_auth_failure_handler_', { id: 'json', mediaType: 'application/json' },
 *   { code: '900901', message: 'Invalid Credentials', detail: 'Invalid Credentials. Make sure …' }).body;
 * ```
 */
export function builtinBody(
  name: SequenceName,
  encoding: Encoding,
  values: SequenceValues,
): SequenceBody {
  const shape = SHAPES[name];
  if (encoding.id === 'soap' && shape.soap !== undefined) return shape.soap(values);
  if (encoding.id === 'json' || encoding.id === 'soap')
    return { contentType: JSON_TYPE, body: shape.json(values) };
  const mediaType = encoding.id === 'xml' ? encoding.mediaType : 'text/xml';
  return {
    contentType: XML_TYPES.get(mediaType) ?? `${mediaType}; charset=UTF-8`,
    body: shape.xml(values),
  };
}
