/**
 * Any SOAP 1.1 or 1.2 fault, whoever sent it: the reading `parseFault` falls back to when no
 * dialect claims a SOAP envelope.
 *
 * @module
 */
import { makeCatalog } from '../catalog.js';
import type { FaultDocument } from './document.js';
import { readFault, soapFault } from './fields.js';
import type { FaultReading } from './types.js';

const catalog = makeCatalog<string>('soap', []);
// SOAP 1.1's and 1.2's codes for the caller's mistakes; every other code is the server's.
const CLIENT_CODES: ReadonlySet<string> = new Set([
  'Client',
  'Sender',
  'VersionMismatch',
  'MustUnderstand',
  'DataEncodingUnknown',
]);

/**
 * Reads a SOAP 1.1 or 1.2 fault: the code as written (`SOAP-ENV:Server`), the fault string
 * or first reason text, the detail's text and the 1.2 subcodes as notes.
 *
 * @param document - the response body, read
 * @returns the fault, or `undefined` when the body is no SOAP fault
 */
export function readSoap(document: FaultDocument): FaultReading | undefined {
  const soap = document.xml === undefined ? undefined : soapFault(document.xml);
  if (soap === undefined) return undefined;
  const local = soap.code.slice(soap.code.indexOf(':') + 1);
  const fault = readFault(document, catalog, {
    code: soap.code,
    message: soap.reason,
    status: CLIENT_CODES.has(local) ? 400 : 500,
  });
  const detail = soap.detail?.text.trim() ?? '';
  const notes = [
    ...(soap.subcodes.length === 0 ? [] : [`Subcodes: ${soap.subcodes.join(' > ')}`]),
    ...(soap.actor === undefined || soap.actor === '' ? [] : [`Actor: ${soap.actor}`]),
    ...(detail === '' ? [] : [`Detail: ${detail}`]),
    ...(local === 'Server' || local === 'Client'
      ? [
          'A SOAP fault with a bare Server/Client code carries no convention code (an API gateway answers SOAP clients this way); the fault string is the message.',
        ]
      : []),
  ];
  return { format: soap.version === '1.1' ? 'soap11' : 'soap12', fault, notes };
}
