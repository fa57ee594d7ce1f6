/**
 * X-Road Security Server proxy faults: REST JSON, REST XML and SOAP 1.1, byte for byte as
 * the security server of X-Road 7.5–7.8 sends them (nordic-institute/X-Road
 * `ClientRestMessageHandler.sendErrorResponse`, `SoapFault.createFaultXml`); older releases are
 * named profiles (`./profiles.ts`).
 *
 * @module
 */
import { makeCatalog } from '../../catalog.js';
import type { CatalogEntry } from '../../catalog.js';
import { SOAP11_NS, isSoapRequest } from '../../encode/soap.js';
import { Fault, copyFault, isErrorStatus } from '../../fault.js';
import type { FaultHeaders } from '../../fault.js';
import { classifyFault } from '../../pipeline/normalize.js';
import { requestPath } from '../../request.js';
import type { RequestInfo } from '../../request.js';
import { checkSyncFunction, syncResult } from '../../safe.js';
import { reasonPhrase } from '../../status.js';
import type {
  DebugInfo,
  Dialect,
  DialectRuntime,
  Encoding,
  Problem,
  ProblemKind,
  Rendered,
  ResolveContext,
  FaultSpec,
} from '../contract.js';
import { byAccept, networkFailure, problemFault, withCorrelationId } from '../kit.js';
import { resolveProfile } from '../release-profile.js';
import { XROAD_CODE as CODE_PATTERN, XROAD_ENTRIES } from './catalog.js';
import type { XRoadCatalogCode } from './catalog.js';
import { XROAD_DEFAULT, XROAD_PROFILES } from './profiles.js';
import type { XRoadProfile } from './profiles.js';
import { escapeRestXml, escapeSoapXml, jacksonString } from './write.js';
import { explainXRoad, readXRoad } from './read.js';
import type { FaultDocument } from '../../read/document.js';
import type { Explanation, FaultReading } from '../../read/types.js';
import { dialectSchemas } from '../../schemas.js';
import type { DialectSchemas, SchemaOptions } from '../../schemas.js';

export type { XRoadCatalogCode } from './catalog.js';
export type { XRoadProfile } from './profiles.js';

/**
 * An X-Road code: one of the catalogue's, or any other well-formed code.
 *
 * @example
 * ```ts
 * const code: XRoadCode = 'Server.ServerProxy.ServiceFailed.Timeout'; // any well-formed code
 * throw xroad.fault(code, 'The service did not answer in time');
 * ```
 */
export type XRoadCode = XRoadCatalogCode | (string & {});

/**
 * The Security Server role a service plays: client proxy (consumer) or server proxy (provider).
 *
 * @example
 * ```ts
 * const side: XRoadSide = 'client';
 * createFaultHandler({ dialect: 'xroad', xroad: { side } });
 * ```
 */
export type XRoadSide = 'client' | 'server';

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

/**
 * Options of {@link xroad.fault}.
 *
 * @example
 * ```ts
 * const options: XRoadFaultOptions = { side: 'server', status: 503, headers: { 'retry-after': '30' } };
 * throw xroad.fault('ServiceUnavailable', 'Try again later', options);
 * ```
 */
export interface XRoadFaultOptions {
  /** Qualify an unprefixed code now instead of with the handler's `side`. */
  readonly side?: XRoadSide;
  /**
   * Whether the message may reach the client. Faults built here are deliberate, so their
   * message is sent even with status 500; pass `false` to send the catalogue's generic text.
   * @default true
   */
  readonly expose?: boolean;
  /** A REST status other than X-Road's rule (500 for `Server.*`, 400 otherwise). */
  readonly status?: number;
  /** Extra response headers. */
  readonly headers?: FaultHeaders;
  /** The error that caused this one. */
  readonly cause?: unknown;
  /** A known id for `detail`, e.g. when relaying an upstream security server's fault. */
  readonly correlationId?: string;
}

const DIALECT = 'xroad';
const PREFIX: Readonly<Record<XRoadSide, string>> = {
  client: 'Server.ClientProxy',
  server: 'Server.ServerProxy',
};

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

const catalog = makeCatalog<string>(DIALECT, XROAD_ENTRIES);
// Unprefixed names (`UnknownService`) of `Server.*` entries, for default messages of codes
// that the side's prefix completes later.
const byName = new Map<string, CatalogEntry<string>>();
for (const entry of catalog.entries) {
  if (entry.code.startsWith('Server.') && !byName.has(entry.name)) byName.set(entry.name, entry);
}

function isQualified(code: string): boolean {
  return code.startsWith('Server.') || code.startsWith('Client.');
}

/**
 * X-Road's `CodedException.withPrefix`: joins the prefixes with `.` and prepends them unless
 * the code already starts with them.
 *
 * @param code - a code such as `InternalError`
 * @param prefixes - e.g. `'Server.ServerProxy'`, or `'ServiceFailed'`
 * @returns the prefixed code
 * @example
 * ```ts
 * withPrefix('InternalError', 'ServiceFailed'); // 'ServiceFailed.InternalError'
 * withPrefix('Server.ServerProxy.X', 'Server.ServerProxy'); // unchanged
 * ```
 */
function withPrefix(code: string, ...prefixes: string[]): string {
  const prefix = prefixes.join('.');
  return prefix === '' || code.startsWith(prefix) ? code : `${prefix}.${code}`;
}

/**
 * X-Road's REST status rule: 500 when the code starts with `Server.`, else 400. An unprefixed
 * code counts as `Server.*`: the side's prefix completes it.
 */
function restStatus(code: string): number {
  return code.startsWith('Client.') ? 400 : 500;
}

function entryOf(code: string): CatalogEntry<string> | undefined {
  return catalog.get(code) ?? (isQualified(code) ? undefined : byName.get(code));
}

/**
 * Builds an X-Road fault. A code without a `Server.`/`Client.` prefix gets the side's prefix
 * (`UnknownService` → `Server.ServerProxy.UnknownService`) when the handler renders it, or
 * now when `options.side` is given. Without a message, the catalogue's text is used.
 *
 * @param code - e.g. `Server.ClientProxy.UnknownMember`, or `UnknownService`
 * @param message - the `message`/`faultString` text
 * @param options - side, exposure, status, headers, cause, correlation id
 * @returns the fault, ready to throw
 * @throws TypeError when the code is not a dotted identifier or an option is invalid
 * @example
 * ```ts
 * throw xroad.fault('Server.ClientProxy.UnknownMember', "Client 'SUBSYSTEM:EE/GOV/123/app' not found");
 * ```
 */
function fault(code: XRoadCode, message?: string, options: XRoadFaultOptions = {}): Fault {
  if (typeof code !== 'string' || code.length > 256 || !CODE_PATTERN.test(code)) {
    throw new TypeError(`faultline: '${String(code)}' is not an X-Road code (e.g. Server.ServerProxy.AccessDenied)`);
  }
  if (message !== undefined && typeof message !== 'string') {
    throw new TypeError('faultline: an X-Road fault message must be a string');
  }
  if (options.status !== undefined && !isErrorStatus(options.status)) {
    throw new TypeError(`faultline: status ${String(options.status)} is not an integer in 400-599`);
  }
  const final = options.side === undefined ? code : qualify(code, checkSide(options.side));
  const entry = entryOf(final);
  return new Fault({
    dialect: DIALECT,
    code: final,
    status: options.status ?? restStatus(final),
    message: message ?? entry?.message ?? reasonPhrase(restStatus(final)),
    name: entry?.name ?? final,
    description: entry?.description,
    expose: options.expose ?? true,
    headers: options.headers,
    cause: options.cause,
    correlationId: options.correlationId,
  });
}

function qualify(code: string, side: XRoadSide): string {
  return isQualified(code) ? code : withPrefix(code, PREFIX[side]);
}

function checkSide(side: unknown): XRoadSide {
  if (side !== 'client' && side !== 'server') {
    throw new TypeError(`faultline: xroad side must be 'client' or 'server', got '${String(side)}'`);
  }
  return side;
}

const JSON_ENCODING: Encoding = { id: 'json', mediaType: 'application/json' };
const XML_TEXT: Encoding = { id: 'xml', mediaType: 'text/xml' };
const XML_APPLICATION: Encoding = { id: 'xml', mediaType: 'application/xml' };
const SOAP_ENCODING: Encoding = { id: 'soap', mediaType: 'text/xml' };
// REST XML keeps its charset in every release; REST JSON's Content-Type is the release's.
const XML_TYPE = new Map<Encoding, string>([XML_TEXT, XML_APPLICATION].map((encoding) => [encoding, `${encoding.mediaType};charset=utf-8`]));
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
    throw new TypeError('faultline: xroad.soap must be a predicate or an array of path prefixes starting with /');
  }
  const prefixes = [...option];
  const lower = prefixes.map((p) => p.toLowerCase());
  // On the path the framework routed, with its case rule (see RequestInfo.path).
  return (request) => {
    const insensitive = request.caseInsensitivePath === true;
    const path = insensitive ? requestPath(request).toLowerCase() : requestPath(request);
    return (insensitive ? lower : prefixes).some((p) => path === p || path.startsWith(p.endsWith('/') ? p : `${p}/`));
  };
}

// An element of the REST XML error as the JDK transformer writes it: `<message/>` when empty.
function restXmlElement(name: string, text: string): string {
  return text === '' ? `<${name}/>` : `<${name}>${escapeRestXml(text)}</${name}>`;
}

// The `debug: true` element, escaped as the body around it is.
function debugXml(debug: DebugInfo | undefined, ns: string, escape: (text: string) => string): string {
  if (debug === undefined) return '';
  const causes = debug.causes.map((c) => `<cause>${escape(c)}</cause>`).join('');
  return `<debug${ns}><stack>${escape(debug.stack ?? '')}</stack>${causes}</debug>`;
}

// The `debug: true` member of a JSON body, its strings written as the body's are.
function debugMember(debug: DebugInfo): string {
  const stack = debug.stack === undefined ? '' : `"stack":${jacksonString(debug.stack)},`;
  return `,"debug":{${stack}"causes":[${debug.causes.map(jacksonString).join(',')}]}`;
}

function configure(options: XRoadOptions = {}): DialectRuntime {
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
    const code = CLIENT_CODE[problem.kind] ?? (networkFailure(problem) === undefined ? internalCode : networkCode);
    const entry = catalog.get(code);
    return problemFault(problem, context, {
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
      // go into X-Road-Error), is answered as the X-Road fault of its status.
      if (thrown.dialect !== DIALECT || !CODE_PATTERN.test(code)) {
        return fromProblem(classifyFault(thrown), context);
      }
      const final = qualify(code, side);
      if (final === code) return withCorrelationId(thrown, context);
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

/**
 * The schemas of this dialect's bodies: the JSON Schema (draft 2020-12) of its JSON bodies and
 * the XSDs of its XML bodies, shipped as `@faultline/core/schemas/*.xsd`.
 *
 * @param options - `catalogs`: your own catalogues, to make the code member an enum; `debug`
 * @returns `{ dialect, json, xml?, soap? }`
 * @example
 * ```ts
 * const { json } = xroad.schema();
 * new Ajv2020().compile(json); // validates every JSON body the dialect renders
 * ```
 */
function schema(options?: SchemaOptions): DialectSchemas {
  return dialectSchemas(catalog, options);
}

/**
 * The X-Road dialect and its helpers. Use it as `dialect: 'xroad'` (or `dialect: xroad`),
 * with options under `xroad: { side, soapStatus, soap, profile }`.
 *
 * @example
 * ```ts
 * throw xroad.fault('Server.ServerProxy.UnknownService', 'Unknown service: SERVICE:EE/GOV/123/app/getPerson');
 * xroad.withPrefix('InternalError', 'ServiceFailed'); // 'ServiceFailed.InternalError'
 * ```
 */
export const xroad = Object.freeze({
  id: DIALECT,
  catalog,
  /** Resolves the dialect options once into the runtime the handler uses. */
  configure,
  /** The JSON Schema (draft 2020-12) of the dialect's JSON bodies and the XSDs of its XML bodies. */
  schema,
  /** Builds an X-Road fault, e.g. `xroad.fault('Server.ClientProxy.UnknownMember', 'Client not found')`. */
  fault,
  /** Builds a fault of this dialect from a dialect-neutral spec (a mapping target). */
  make: (spec: FaultSpec): Fault =>
    fault(String(spec.code), spec.message, {
      status: spec.status,
      headers: spec.headers,
      expose: spec.expose,
      cause: spec.cause,
    }),
  /** X-Road's `CodedException.withPrefix`: `withPrefix('InternalError', 'ServiceFailed')` is `'ServiceFailed.InternalError'`. */
  withPrefix,
  /** Reads a body in this dialect's convention back into its fault (`parseFault` uses it). */
  read: (document: FaultDocument): FaultReading | undefined => readXRoad(document, catalog),
  /** Every catalogue entry a code or name matches, explained with the code's arithmetic (`explain` uses it). */
  explain: (query: string): readonly Explanation[] => explainXRoad(query, catalog),
  /** The code prefix of each side. */
  prefixes: PREFIX,
  /** Each named profile's differences from the default release (X-Road 7.5–7.8). */
  PROFILES: XROAD_PROFILES,
}) satisfies Dialect<XRoadOptions>;
