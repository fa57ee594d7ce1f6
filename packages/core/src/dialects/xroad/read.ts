/**
 * Reading X-Road Security Server faults back (REST JSON, REST XML, SOAP 1.1) and explaining
 * X-Road codes: which Security Server produced them, and where its operator looks (X-Road's
 * "How to interpret Security Server proxy error messages").
 *
 * @module
 */
import type { Catalog } from '../../catalog.js';
import { child, isObject } from '../../read/document.js';
import type { FaultDocument } from '../../read/document.js';
import { explainEntry, isString, onlyKeys, readFault, soapFault } from '../../read/fields.js';
import type { CodePart, Explanation, FaultOrigin, FaultReading } from '../../read/types.js';
import { XROAD_CODE as CODE } from './catalog.js';

const PROXY_LOG = '/var/log/xroad/proxy.log';

/**
 * X-Road's numbering of the message flow ("How to interpret Security Server proxy error
 * messages"): the component behind each side.
 *
 * @example
 * ```ts
 * XROAD_COMPONENTS[2]; // 'the consumer-side Security Server (client proxy)'
 * ```
 */
export const XROAD_COMPONENTS = Object.freeze({
  1: 'the service consumer',
  2: 'the consumer-side Security Server (client proxy)',
  3: 'the provider-side Security Server (server proxy)',
  4: "the service provider's information system",
} as const);

/**
 * The origin of a fault the service provider sent itself: a response that passed through
 * X-Road without X-Road's structure or its `X-Road-Error` header.
 *
 * @example
 * ```ts
 * PROVIDER_ORIGIN.component; // 4
 * ```
 */
export const PROVIDER_ORIGIN: FaultOrigin = Object.freeze({
  component: 4,
  summary: `${XROAD_COMPONENTS[4]} (4): the error does not have the Security Server's structure, so the provider produced it`,
});

// The parts of a code after its side's prefix (`ErrorCodes.java`, `translateException`).
const SEGMENTS: Readonly<Record<string, string>> = {
  ServiceFailed: 'the call to the service, or to the other Security Server, failed',
  LoggingFailed: 'writing the message log failed',
  CannotCreateSignature: 'the message could not be signed',
  Signer: 'reported by the signer',
  NetworkError:
    'a network connection could not be made (unknown host, socket or unresolved address)',
  IOError: 'an I/O error on a connection',
  IncorrectCertificate: 'a certificate is not valid',
  InvalidSoap: 'the SOAP message is not valid',
  InvalidXml: 'the XML is not well-formed',
  MimeParsingFailed: 'the MIME message could not be parsed',
  InternalError: 'an unexpected error inside the Security Server or the service',
  HttpError: 'the service answered with an HTTP error',
  MissingBody: 'the SOAP message has no body',
  MissingHeaderField: 'a required SOAP header field is missing',
  TimestamperFailed: 'the time-stamping service could not be reached or failed',
  TokenNotActive: 'the signing token is not active (not logged in)',
};

/**
 * Who produced a fault of an X-Road code: the client proxy, the server proxy, the signer, or
 * the consumer-side Security Server rejecting the caller's request (`Client.*`).
 *
 * @param code - an X-Road code
 * @returns the origin, or `undefined` when the code's prefix says nothing
 * @example
 * ```ts
 * originOf('Server.ServerProxy.AccessDenied')?.component; // 3
 * ```
 */
export function originOf(code: string): FaultOrigin | undefined {
  if (code.startsWith('Server.ClientProxy.')) {
    return {
      component: 2,
      summary: `${XROAD_COMPONENTS[2]} (2): codes starting with "Server.ClientProxy" originate in the consumer side client proxy`,
      log: `the proxy application log ${PROXY_LOG} of the consumer-side Security Server (2)`,
    };
  }
  if (code.startsWith('Server.ServerProxy.')) {
    return {
      component: 3,
      summary: `${XROAD_COMPONENTS[3]} (3): codes starting with "Server.ServerProxy" originate in the provider side server proxy`,
      log: `the proxy application log ${PROXY_LOG} of the provider-side Security Server (3)`,
    };
  }
  if (code.startsWith('Client.')) {
    return {
      component: 2,
      summary: `${XROAD_COMPONENTS[2]} (2), rejecting the request as the service consumer's mistake: "Client" codes mean the request does not conform to the protocol`,
      log: `the proxy application log ${PROXY_LOG} of the consumer-side Security Server (2)`,
    };
  }
  if (code.startsWith('Signer.')) {
    return {
      summary: "a Security Server's signer, which holds the signing keys",
      log: `the signer log /var/log/xroad/signer.log of that Security Server`,
    };
  }
  return undefined;
}

// `Server.ClientProxy.ServiceFailed.InternalError` → side, then each segment with its meaning.
function partsOf(code: string): CodePart[] {
  const segments = code.split('.');
  const sided =
    segments[0] === 'Server' && (segments[1] === 'ClientProxy' || segments[1] === 'ServerProxy');
  const parts: CodePart[] = [];
  if (sided) {
    parts.push({
      name: 'side',
      value: `Server.${segments[1]}`,
      meaning: segments[1] === 'ClientProxy' ? XROAD_COMPONENTS[2] : XROAD_COMPONENTS[3],
    });
  } else if (segments[0] === 'Client') {
    parts.push({ name: 'side', value: 'Client', meaning: "the service consumer's request" });
  }
  for (const segment of segments.slice(sided ? 2 : segments[0] === 'Client' ? 1 : 0)) {
    const meaning = SEGMENTS[segment];
    parts.push(
      meaning === undefined
        ? { name: 'segment', value: segment }
        : { name: 'segment', value: segment, meaning },
    );
  }
  return parts;
}

function detailNote(origin: FaultOrigin | undefined, id: string | undefined): string[] {
  if (id === undefined || id === '') return [];
  return origin?.log === undefined
    ? [`The detail ${id} is the id the Security Server logged this error with.`]
    : [`Search ${origin.log} for ${id}: the detail is the id the error was logged with.`];
}

/**
 * Reads an X-Road fault: `{type,message,detail}`, `<error><type/><message/><detail/></error>`
 * or a SOAP 1.1 fault whose code is an X-Road code, pretty-printed or not.
 *
 * @param document - the response body, read
 * @param catalog - the X-Road catalogue
 * @returns the fault and who produced it, or `undefined`
 */
export function readXRoad(document: FaultDocument, catalog: Catalog): FaultReading | undefined {
  let found:
    | {
        code: string;
        message: string;
        detail: string | undefined;
        format: 'json' | 'xml' | 'soap11';
      }
    | undefined;
  if (document.format === 'json') {
    const body = document.json;
    if (
      !isObject(body) ||
      !isString(body.type) ||
      !isString(body.message) ||
      !onlyKeys(body, ['type', 'message', 'detail', 'debug'])
    )
      return undefined;
    if (body.detail !== undefined && !isString(body.detail)) return undefined;
    found = { code: body.type, message: body.message, detail: body.detail, format: 'json' };
  } else if (document.xml !== undefined) {
    const root = document.xml;
    if (root.local === 'error' && root.ns === '') {
      const type = child(root, 'type', '');
      const message = child(root, 'message', '');
      if (type === undefined || message === undefined) return undefined;
      found = {
        code: type.text.trim(),
        message: message.text,
        detail: child(root, 'detail', '')?.text.trim(),
        format: 'xml',
      };
    } else {
      const soap = soapFault(root);
      // Generic SOAP codes are qualified names (`SOAP-ENV:Server`); X-Road's are dotted and unprefixed.
      if (
        soap === undefined ||
        soap.version !== '1.1' ||
        !soap.code.includes('.') ||
        soap.code.includes(':')
      )
        return undefined;
      const detail = soap.detail === undefined ? undefined : child(soap.detail, 'faultDetail');
      found = {
        code: soap.code,
        message: soap.reason,
        detail: detail?.text.trim(),
        format: 'soap11',
      };
    }
  }
  if (found === undefined || !CODE.test(found.code)) return undefined;
  const origin = originOf(found.code);
  const fault = readFault(document, catalog, {
    code: found.code,
    message: found.message,
    // A SOAP fault is sent with 200: the REST rule gives the status it stands for.
    status: found.code.startsWith('Client.') ? 400 : 500,
    correlationId: found.detail === '' ? undefined : found.detail,
  });
  const header = document.headers['x-road-error'];
  const notes = [
    ...detailNote(origin, found.detail),
    ...(found.format !== 'soap11' && header !== undefined && header !== found.code
      ? [`The X-Road-Error header says ${header}, the body ${found.code}.`]
      : []),
  ];
  return { format: found.format, fault, ...(origin === undefined ? {} : { origin }), notes };
}

/**
 * Explains an X-Road code or name: the catalogue's entries (a name such as
 * `SslAuthenticationFailed` matches both sides), or, for a well-formed code the catalogue
 * lacks, its side and segments.
 *
 * @param query - e.g. `Server.ClientProxy.SslAuthenticationFailed`, `AccessDenied`
 * @param catalog - the X-Road catalogue
 * @returns the explanations
 */
export function explainXRoad(query: string, catalog: Catalog): Explanation[] {
  const lower = query.toLowerCase();
  const extra = (code: string) => {
    const origin = originOf(code);
    return {
      ...(origin === undefined ? {} : { origin }),
      parts: partsOf(code),
      check:
        origin?.log === undefined
          ? []
          : [`The fault's detail is a unique id: search ${origin.log} for it.`],
    };
  };
  const matches = catalog.entries.filter(
    (e) =>
      e.code === query || e.name.toLowerCase() === lower || String(e.code).toLowerCase() === lower,
  );
  if (matches.length > 0)
    return matches.map((entry) => explainEntry('xroad', entry, extra(String(entry.code))));
  if (!CODE.test(query) || originOf(query) === undefined) return [];
  const { check, origin, parts } = extra(query);
  return [
    {
      dialect: 'xroad',
      code: query,
      status: query.startsWith('Client.') ? 400 : 500,
      name: query.split('.').pop() ?? query,
      ...(origin === undefined ? {} : { origin }),
      check,
      parts,
      notes: ['This code is not in the catalogue: its prefix tells where it originated.'],
    },
  ];
}
