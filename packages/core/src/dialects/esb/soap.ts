/**
 * Extra file: the gateway's SOAP writer (Axiom), unlike the shared encode/soap.ts.
 *
 * The SOAP 1.1 fault the gateway's `<makefault version="soap11">` sends: Synapse's
 * `FaultMediator` builds it with Axiom's SOAP 1.1 factory (prefix `soapenv`, no `<faultactor>`,
 * `<detail>` only when the sequence gives one) and Axiom writes it with its XML declaration
 * (wso2/wso2-synapse `mediators/transform/FaultMediator.java`; apache/ws-axiom 1.2.x
 * `soap/impl/llom/SOAPEnvelopeImpl.java`).
 *
 * @module
 */
import { SOAP11_NS } from '../../encode/soap.js';
import { escapeStaxText } from '../../encode/stax.js';

const HEAD = `<?xml version='1.0' encoding='UTF-8'?><soapenv:Envelope xmlns:soapenv="${SOAP11_NS}"><soapenv:Body><soapenv:Fault>`;
const TAIL = '</soapenv:Fault></soapenv:Body></soapenv:Envelope>';

/**
 * A SOAP 1.1 fault as the gateway writes it.
 *
 * @param faultcode - `Client` or `Server`, written as `soapenv:Client` / `soapenv:Server`
 * @param faultstring - the reason
 * @param detail - the text of `<detail>`, or `undefined` for none
 * @returns the envelope
 * @example
 * ```ts
 * makeFault('Client', 'Authentication Failure', 'Invalid Credentials');
 * // <?xml version='1.0' encoding='UTF-8'?><soapenv:Envelope …><soapenv:Body><soapenv:Fault>
 * // <faultcode>soapenv:Client</faultcode><faultstring>Authentication Failure</faultstring>
 * // <detail>Invalid Credentials</detail></soapenv:Fault></soapenv:Body></soapenv:Envelope>
 * ```
 */
export function makeFault(
  faultcode: 'Client' | 'Server',
  faultstring: string,
  detail?: string,
): string {
  return (
    `${HEAD}<faultcode>soapenv:${faultcode}</faultcode><faultstring>${escapeStaxText(faultstring)}</faultstring>` +
    `${detail === undefined ? '' : `<detail>${escapeStaxText(detail)}</detail>`}${TAIL}`
  );
}
