/**
 * SOAP 1.1: the fault envelope and the detection of SOAP requests.
 */
import { firstHeader } from '../headers.js';
import type { RequestInfo } from '../request.js';
import { escapeXml } from './xml.js';

/** The SOAP 1.1 envelope namespace. */
export const SOAP11_NS = 'http://schemas.xmlsoap.org/soap/envelope/';

/** The parts of a SOAP 1.1 fault. `detail` is already-serialised XML (trusted markup). */
export interface Soap11Fault {
  readonly faultcode: string;
  readonly faultstring: string;
  readonly faultactor?: string;
  readonly detailXml?: string;
}

/**
 * A SOAP 1.1 fault envelope on one line, prefix `SOAP-ENV`, the way X-Road's
 * `SoapFault.createFaultXml` writes it: `<faultactor>` always present (empty by default) and
 * `<detail>` only when there is detail content. Every text field is escaped, `faultcode`
 * included.
 */
export function soap11Fault(fault: Soap11Fault): string {
  return (
    '<?xml version="1.0" encoding="UTF-8"?>' +
    `<SOAP-ENV:Envelope xmlns:SOAP-ENV="${SOAP11_NS}"><SOAP-ENV:Body><SOAP-ENV:Fault>` +
    `<faultcode>${escapeXml(fault.faultcode)}</faultcode>` +
    `<faultstring>${escapeXml(fault.faultstring)}</faultstring>` +
    `<faultactor>${escapeXml(fault.faultactor ?? '')}</faultactor>` +
    (fault.detailXml === undefined ? '' : `<detail>${fault.detailXml}</detail>`) +
    '</SOAP-ENV:Fault></SOAP-ENV:Body></SOAP-ENV:Envelope>'
  );
}

// An XML prolog, comments and whitespace, then the `Envelope` start tag with any prefix. A
// comment body cannot contain `-->` (`-(?!->)`), so the pattern is unambiguous and runs in
// linear time on hostile input such as `<!----><!---->…`.
const ENVELOPE_START =
  /^\uFEFF?\s*(?:<\?xml[^>]{0,200}\?>\s*)?(?:<!--(?:[^-]|-(?!->)){0,2000}-->\s*)*<(?:([A-Za-z_][\w.-]{0,64}):)?Envelope([\s/][^>]{0,2000})?>/;

/**
 * Whether a request is a SOAP 1.1 request: it carries a `SOAPAction` header (even an empty
 * one), or its `text/xml` body, already read as a string or Buffer, has a SOAP 1.1
 * `Envelope` as its root element.
 */
export function isSoapRequest(request: RequestInfo): boolean {
  const headers = request.headers;
  if (headers === undefined) return false;
  if (firstHeader(headers, 'soapaction') !== undefined) return true;
  const contentType = firstHeader(headers, 'content-type');
  if (contentType === undefined || !/^\s*text\/xml\s*(?:;|$)/i.test(contentType)) return false;
  const body = request.body;
  const head =
    typeof body === 'string'
      ? body.slice(0, 4096)
      : Buffer.isBuffer(body)
        ? body.subarray(0, 4096).toString('utf8')
        : undefined;
  const start = head === undefined ? null : ENVELOPE_START.exec(head);
  return start !== null && declaresSoap11(start[2] ?? '', start[1]);
}

// Whether the start tag's attributes bind the element's prefix (or the default namespace)
// to the SOAP 1.1 envelope namespace.
function declaresSoap11(attributes: string, prefix: string | undefined): boolean {
  const name = prefix === undefined ? 'xmlns' : `xmlns:${prefix}`;
  for (const match of attributes.matchAll(/([\w:.-]{1,128})\s*=\s*(?:"([^"]*)"|'([^']*)')/g)) {
    if (match[1] === name) return (match[2] ?? match[3]) === SOAP11_NS;
  }
  return false;
}
