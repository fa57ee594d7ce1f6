/**
 * The configured X-Road dialect: its options, the fault of a classified error, the Accept
 * rule of `ClientRestMessageHandler`, and the REST JSON, REST XML and SOAP 1.1 renderers.
 *
 * @module
 */
import { SOAP11_NS, isSoapRequest } from '../../encode/soap.js';
import { Fault, copyFault } from '../../fault.js';
import { requestPath } from '../../request.js';
import type { RequestInfo } from '../../request.js';
import { checkSyncFunction, optionNames, syncResult } from '../../safe.js';
import type { DebugInfo, DialectRuntime, Encoding, Rendered, ResolveContext } from '../contract.js';
import type { Problem, ProblemKind } from '../../pipeline/types.js';
import { byAccept, faultFor } from '../kit.js';
import { networkFailure } from '../../pipeline/recognise/network.js';
import { resolveProfile } from '../release-profile.js';
import { XROAD_DEFAULT, XROAD_PROFILES } from './profiles.js';
import type { XRoadProfile } from './profiles.js';
import { escapeRestXml, escapeSoapXml, jacksonString } from './write.js';
import { XROAD_CODE as CODE_PATTERN } from './catalog.js';
import { DIALECT, catalog } from './catalog.js';
import { PREFIX, checkSide, qualify, restStatus } from './codes.js';
import { JSON_ENCODING, SOAP_ENCODING, XML_APPLICATION, XML_TEXT } from './schema.js';
import type { XRoadSide } from './codes.js';

/**
 * Options of the `xroad` dialect (`xroad: {...}` in the handler options).
 *
 * @example
 * ```ts
 * const options: XRoadOptions = { side: 'client', soapStatus: 500, soap: ['/soap'] };
 * createFaultHandler({ dialect: 'xroad', xroad: options });
 * ```
 */
export interface XRoadOptions {
  /**
   * The role this service plays; it picks the prefix of unprefixed codes and of the
   * internal-error fallback: `server` → `Server.ServerProxy.*`, `client` →
   * `Server.ClientProxy.*`.
   * @default 'server'
   */
  readonly side?: XRoadSide;
  /**
   * The HTTP status of SOAP faults. The security server sends 200; WS-I Basic Profile
   * clients expect 500.
   * @default 200
   */
  readonly soapStatus?: 200 | 500;
  /**
   * Requests always answered with a SOAP fault, whatever their headers: path prefixes
   * (e.g. `['/soap']`) or a predicate. Requests with a `SOAPAction` header or a `text/xml`
   * SOAP 1.1 envelope body are SOAP requests anyway.
   */
  readonly soap?: readonly string[] | ((request: RequestInfo) => boolean);
  /**
   * The release to reproduce when it is not the newest: `'7.4'` sends REST JSON as
   * `application/json;charset=utf-8`, as X-Road 7.4 and earlier did. Unset: X-Road 7.5–7.8.
   */
  readonly profile?: XRoadProfile;
}

/** The names of the options above, for the warning on names the dialect does not read. */
export const OPTION_KEYS = optionNames<XRoadOptions>({
  side: true,
  soapStatus: true,
  soap: true,
  profile: true,
});

// The codes faultline gives a caller's mistakes that the framework or service reports.
const CLIENT_CODE: Readonly<Record<ProblemKind, string | undefined>> = {
  internal: undefined,
  serverError: undefined,
  badRequest: 'Client.BadRequest',
  validation: 'Client.BadRequest',
  payloadTooLarge: 'Client.BadRequest',
  tooManyRequests: 'Client.BadRequest',
  clientError: 'Client.BadRequest',
  invalidBody: 'Client.InvalidBody',
  notFound: 'Client.NotFound',
  unsupportedMediaType: 'Client.InvalidContentType',
  methodNotAllowed: 'Client.InvalidHttpMethod',
  unauthorized: 'Client.AccessDenied',
  forbidden: 'Client.AccessDenied',
};

// REST XML keeps its charset in every release; REST JSON's Content-Type is the release's.
const XML_TYPE = new Map<Encoding, string>(
  [XML_TEXT, XML_APPLICATION].map((encoding) => [encoding, `${encoding.mediaType};charset=utf-8`]),
);
const SOAP_HEAD =
  '<?xml version="1.0" encoding="UTF-8"?>' +
  `<SOAP-ENV:Envelope xmlns:SOAP-ENV="${SOAP11_NS}"><SOAP-ENV:Body><SOAP-ENV:Fault>`;
const SOAP_TAIL = '</SOAP-ENV:Fault></SOAP-ENV:Body></SOAP-ENV:Envelope>';
const REST_XML_DECLARATION = '<?xml version="1.0" encoding="UTF-8" standalone="no"?>';

/**
 * X-Road's Accept rule (`ClientRestMessageHandler.decideErrorResponseContentType`): split
 * every Accept value on `,`, drop parameters, lower-case; the first that is `text/xml`,
 * `application/xml` or `text/*` selects XML (`text/*` as `text/xml`); otherwise JSON.
 * q-values are ignored on purpose: `application/json, application/xml` gives XML.
 */
const restEncoding = byAccept((accept): Encoding => {
  if (accept !== undefined) {
    for (const range of accept.split(',')) {
      const semi = range.indexOf(';');
      const type = (semi === -1 ? range : range.slice(0, semi)).trim().toLowerCase();
      if (type === 'text/xml' || type === 'text/*') return XML_TEXT;
      if (type === 'application/xml') return XML_APPLICATION;
    }
  }
  return JSON_ENCODING;
});

function soapMatcher(option: XRoadOptions['soap']): (request: RequestInfo) => boolean {
  if (option === undefined) return () => false;
  if (typeof option === 'function') {
    checkSyncFunction(option, 'xroad.soap');
    return (request) => {
      try {
        return syncResult(option(request)) === true;
      } catch {
        return false; // a failing predicate must not cost the fault: answer REST
      }
    };
  }
  if (!Array.isArray(option) || !option.every((p) => typeof p === 'string' && p.startsWith('/'))) {
    throw new TypeError(
      'faultline: xroad.soap must be a predicate or an array of path prefixes starting with /',
    );
  }
  const prefixes = [...option];
  const lower = prefixes.map((p) => p.toLowerCase());
  // On the path the framework routed, with its case rule (see RequestInfo.path).
  return (request) => {
    const insensitive = request.caseInsensitivePath === true;
    const path = insensitive ? requestPath(request).toLowerCase() : requestPath(request);
    return (insensitive ? lower : prefixes).some(
      (p) => path === p || path.startsWith(p.endsWith('/') ? p : `${p}/`),
    );
  };
}

// An element of the REST XML error as the JDK transformer writes it: `<message/>` when empty.
function restXmlElement(name: string, text: string): string {
  return text === '' ? `<${name}/>` : `<${name}>${escapeRestXml(text)}</${name}>`;
}

// The `debug: true` element, escaped as the body around it is.
function debugXml(
  debug: DebugInfo | undefined,
  ns: string,
  escape: (text: string) => string,
): string {
  if (debug === undefined) return '';
  const causes = debug.causes.map((c) => `<cause>${escape(c)}</cause>`).join('');
  return `<debug${ns}><stack>${escape(debug.stack ?? '')}</stack>${causes}</debug>`;
}

// The `debug: true` member of a JSON body, its strings written as the body's are.
function debugMember(debug: DebugInfo): string {
  const stack = debug.stack === undefined ? '' : `"stack":${jacksonString(debug.stack)},`;
  return `,"debug":{${stack}"causes":[${debug.causes.map(jacksonString).join(',')}]}`;
}

/**
 * Resolves the dialect's options once.
 *
 * @param options - side, SOAP status, SOAP routes, release profile
 * @returns the runtime the handler uses
 * @throws TypeError naming the option that is invalid
 * @example
 * ```ts
 * const runtime = configure({ side: 'client' });
 * ```
 */
export function configure(options: XRoadOptions = {}): DialectRuntime {
  const side = checkSide(options.side ?? 'server');
  const soapStatus = options.soapStatus ?? 200;
  if (soapStatus !== 200 && soapStatus !== 500) {
    throw new TypeError('faultline: xroad.soapStatus must be 200 or 500');
  }
  const isSoapRoute = soapMatcher(options.soap);
  const release = resolveProfile(DIALECT, XROAD_DEFAULT, XROAD_PROFILES, options.profile);
  const jsonType = release.jsonType;
  const internalCode = `${PREFIX[side]}.ServiceFailed.InternalError`;
  const networkCode = `${PREFIX[side]}.NetworkError`;

  const fromProblem = (problem: Problem, context: ResolveContext): Fault => {
    // A dependency that timed out or could not be reached is X-Road's NetworkError.
    const code =
      CLIENT_CODE[problem.kind] ??
      (networkFailure(problem) === undefined ? internalCode : networkCode);
    const entry = catalog.get(code);
    return faultFor(problem, context, {
      dialect: DIALECT,
      code,
      status: restStatus(code),
      // An empty message stays empty; the handler sends the catalogue's text when it is hidden.
      message: problem.message,
      name: entry?.name,
      description: entry?.description,
    });
  };

  return {
    id: DIALECT,
    catalog,
    ownHeaders: ['x-road-error', 'soapaction'],
    keepsEmptyMessage: true,
    fromProblem,
    adopt(thrown, context) {
      const code = String(thrown.code);
      // A fault of another dialect, or one built by hand with a malformed code (which could not
      // go into X-Road-Error), is not ours: the handler answers it as the X-Road fault of its status.
      if (thrown.dialect !== DIALECT || !CODE_PATTERN.test(code)) return undefined;
      const final = qualify(code, side);
      if (final === code) return thrown;
      const entry = catalog.get(final);
      return copyFault(thrown, {
        code: final,
        name: entry?.name ?? final,
        description: entry?.description,
        correlationId: context.correlationId,
      });
    },
    negotiate(request) {
      return isSoapRequest(request) || isSoapRoute(request) ? SOAP_ENCODING : restEncoding(request);
    },
    render(f, encoding, { message, debug }): Rendered {
      const code = String(f.code);
      const detail = f.correlationId ?? '';
      if (encoding.id === 'soap') {
        // `faultcode` is a dotted code (adopt and fromProblem see to it): it needs no escaping,
        // and escaping leaves such a code as it is.
        return {
          status: soapStatus,
          headers: { 'content-type': 'text/xml;charset=utf-8', soapaction: '' },
          body:
            `${SOAP_HEAD}<faultcode>${escapeSoapXml(code)}</faultcode><faultstring>${escapeSoapXml(message)}</faultstring>` +
            `<faultactor></faultactor><detail><faultDetail xmlns="">${escapeSoapXml(detail)}</faultDetail>` +
            `${debugXml(debug, ' xmlns=""', escapeSoapXml)}</detail>${SOAP_TAIL}`,
        };
      }
      const xmlType = XML_TYPE.get(encoding);
      if (xmlType !== undefined) {
        return {
          status: f.status,
          headers: { 'content-type': xmlType, 'x-road-error': code },
          body:
            `${REST_XML_DECLARATION}<error><type>${escapeRestXml(code)}</type>${restXmlElement('message', message)}` +
            `${restXmlElement('detail', detail)}${debugXml(debug, '', escapeRestXml)}</error>`,
        };
      }
      return {
        status: f.status,
        headers: { 'content-type': jsonType, 'x-road-error': code },
        body:
          `{"type":${jacksonString(code)},"message":${jacksonString(message)},"detail":${jacksonString(detail)}` +
          `${debug === undefined ? '' : debugMember(debug)}}`,
      };
    },
  };
}
