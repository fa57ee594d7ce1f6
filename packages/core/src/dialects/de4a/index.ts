/**
 * DE4A: 5-digit connector codes (layer + module + error type), the IEM v2
 * `ResponseErrorType` body as the DE4A connector of iteration 2 sends it (de4a-eu/de4a
 * `de4a-connector/.../error/handler/ConnectorExceptionHandler.java`: an unexpected exception is
 * 99999, text cut at 4000 characters), and the seed's log and metrics lines with message codes
 * numbered per log message (de4a-eu/de4a-commons `ELogMessage`).
 *
 * ```ts
 * throw de4a.fault({ layer: 'Communications', module: 'IDK', type: 2 }, ['/request', 'id']);
 * // 400 <ResponseMessage …><ct:Ack>false</ct:Ack><ct:Error><ct:Code>10102</ct:Code>
 * //     <ct:Text>Arguments missing or invalid at /request - id</ct:Text></ct:Error></ResponseMessage>
 * ```
 *
 * @module
 */
import { escapeXml } from '../../encode/xml.js';
import { Fault, copyFault, isErrorStatus } from '../../fault.js';
import type { FaultHeaders } from '../../fault.js';
import { classifyFault } from '../../pipeline/normalize.js';
import type { RequestInfo } from '../../request.js';
import { truncate } from '../../safe.js';
import { reasonPhrase } from '../../status.js';
import { byAccept, debugJson, networkFailure, problemFault, withCorrelationId } from '../kit.js';
import type { Dialect, DialectRuntime, Encoding, FaultSpec, Problem, ProblemKind, Rendered, ResolveContext } from '../contract.js';
import { DE4A_CATALOG } from './catalog.js';
import {
  AUTHORITY_AGENT_TEMPLATES,
  LAYERS,
  LEVEL_LETTERS,
  LOG_TYPES,
  MODULES,
  SEVERITIES,
  TEMPLATES,
  code,
  fillTemplate,
  isWellFormed,
  layerStatus,
  messageCode,
  parseCode,
} from './codes.js';
import type { De4aCodeInfo, De4aCodeParts, De4aModule, De4aParam } from './codes.js';
import { logLine, logTo, messageCodeOf, metricsLine, sendableText } from './log.js';
import { FAMILIES, LOG_MESSAGES, logMessages } from './messages.js';
import { COMMON_NS, explainDe4a, readDe4a } from './read.js';
import type { FaultDocument } from '../../read/document.js';
import type { Explanation, FaultReading } from '../../read/types.js';
import { dialectSchemas } from '../../schemas.js';
import type { DialectSchemas, SchemaOptions } from '../../schemas.js';

export type { De4aCatalog, De4aCatalogEntry, De4aTable } from './catalog.js';
export type {
  De4aCodeInfo,
  De4aCodeParts,
  De4aLayer,
  De4aLevel,
  De4aMessageCodeParts,
  De4aModule,
  De4aParam,
  De4aTemplate,
} from './codes.js';
export type { De4aDestination, De4aLogHook, De4aLogLine, De4aLogToOptions, De4aMessageOptions, De4aMetricsLine } from './log.js';
export type { De4aFamily, De4aLogMessage, De4aLogTable } from './messages.js';

/**
 * Options of the `de4a` dialect (`de4a: {...}` in the handler options).
 *
 * @example
 * ```ts
 * const options: De4aOptions = { json: false, dependency: 'Data Owner' };
 * createFaultHandler({ dialect: de4a, de4a: options });
 * ```
 */
export interface De4aOptions {
  /**
   * Answer JSON (`{"ack":false,"errors":[{"code":…,"text":…}]}`) to clients whose Accept
   * header lists `application/json` before any XML type. `false` always answers the IEM XML.
   * The JSON carries what the XML carries and nothing more (no correlation id: the IEM
   * schema has no place for it, and both encodings should tell a client the same).
   * @default true
   */
  readonly json?: boolean;
  /**
   * The module this service calls (a `de4a.MODULES` name or id other than `None`), e.g.
   * `'Data Owner'`. A failed call to it (refused, reset, not found, timed out; the `network`
   * built-in) is then answered as that module's Communications "Connection error" (`10503`),
   * 502 or 504 for a timeout, with a fixed cause that names no host. Unset, such a failure is
   * the connector's unexpected error (`99999`): no module can be guessed from a socket error.
   */
  readonly dependency?: De4aModule | number;
}

/**
 * Options of {@link de4a.fault}.
 *
 * @example
 * ```ts
 * const options: De4aFaultOptions = { headers: { 'retry-after': '30' } };
 * throw de4a.fault(10102, ['/request', 'id'], options);
 * ```
 */
export interface De4aFaultOptions {
  /**
   * The template of a well-formed code that is not in the catalogue (a team's own module or
   * type), e.g. `de4a.TEMPLATES[3].text`. Catalogue codes always use the seed's template.
   */
  readonly template?: string;
  /** A status other than the code's (Internal failure, Configuration 500; others 400; 10001 404). */
  readonly status?: number;
  /**
   * Whether the message may reach the client. Faults built here are deliberate, so their
   * message is sent even with a 500; `false` sends the template's text without parameters.
   * @default true
   */
  readonly expose?: boolean;
  /** Extra response headers. */
  readonly headers?: FaultHeaders;
  /** The error that caused this one. */
  readonly cause?: unknown;
  /** A known correlation id, e.g. an upstream request id. */
  readonly correlationId?: string;
}

const DIALECT = 'de4a';
/** The IEM v2 response namespace (the root element's). */
const RESPONSE_NS = 'http://www.de4a.eu/2020/data/response/v2';
const XML_ENCODING: Encoding = { id: 'xml', mediaType: 'application/xml' };
const JSON_ENCODING: Encoding = { id: 'json', mediaType: 'application/json' };
const XML_TYPE = 'application/xml;charset=UTF-8';
const JSON_TYPE = 'application/json;charset=UTF-8';
// The IEM `Code` is a string of 1-10 characters; these are the codes we can send as they are.
const SENDABLE_CODE = /^[A-Za-z0-9]{1,10}$/;
// The connector's code for an unexpected exception (ConnectorExceptionHandler).
const INTERNAL_CODE = 99999;
const MAX_PATH = 256;

const catalog = DE4A_CATALOG;

/**
 * The IEM v2 `ResponseErrorType` of one error, on one line and without an XML declaration
 * (optional in XML 1.0 for UTF-8, which the Content-Type states).
 */
function iemXml(codeText: string, text: string): string {
  return (
    `<ResponseMessage xmlns="${RESPONSE_NS}" xmlns:ct="${COMMON_NS}"><ct:Ack>false</ct:Ack>` +
    `<ct:Error><ct:Code>${escapeXml(codeText)}</ct:Code><ct:Text>${escapeXml(text)}</ct:Text></ct:Error>` +
    '</ResponseMessage>'
  );
}

const internalEntry = catalog.get(INTERNAL_CODE);
const UNEXPECTED_TEXT = internalEntry?.generic ?? reasonPhrase(500);
const FALLBACK: Rendered = Object.freeze({
  status: 500,
  headers: Object.freeze({ 'content-type': XML_TYPE }),
  body: iemXml(String(INTERNAL_CODE), UNEXPECTED_TEXT),
});

function resolveCode(codeOrParts: unknown): number {
  if (typeof codeOrParts === 'object' && codeOrParts !== null) return code(codeOrParts as De4aCodeParts);
  if (typeof codeOrParts === 'string' && /^\d{5}$/.test(codeOrParts)) return Number(codeOrParts);
  if (typeof codeOrParts === 'number' && Number.isInteger(codeOrParts)) return codeOrParts;
  throw new TypeError(`faultline: '${String(codeOrParts)}' is not a DE4A code (e.g. 10102 or { layer, module, type })`);
}

/**
 * Builds a DE4A fault from a code and the parameters of its template. The catalogue gives
 * the template and the status; a well-formed code outside it needs `options.template`.
 *
 * @param codeOrParts - a 5-digit code (`10102`, `'10102'`) or its parts
 * @param params - the template's `{0}`, `{1}`, … values, exactly as many as it takes
 * @param options - template (codes outside the catalogue), status, exposure, headers, cause
 * @returns the fault, ready to throw
 * @throws TypeError for an unknown or malformed code, missing or extra parameters, or a bad option
 * @example
 * ```ts
 * throw de4a.fault({ layer: 'Communications', module: 'IDK', type: 2 }, ['/request', 'id']);
 * // code 10102, status 400, 'Arguments missing or invalid at /request - id'
 * throw de4a.fault(40515); // 'Evidence not available yet (delayed)'
 * throw de4a.fault(10805, ['MOR', 'bad JSON'], { template: de4a.TEMPLATES[5].text });
 * ```
 */
function fault(
  codeOrParts: number | string | De4aCodeParts,
  params: readonly De4aParam[] = [],
  options: De4aFaultOptions = {},
): Fault {
  const numeric = resolveCode(codeOrParts);
  const entry = catalog.get(numeric);
  let template: string;
  if (entry !== undefined) {
    if (options.template !== undefined) {
      throw new TypeError(
        `faultline: DE4A code ${numeric} has the seed's template '${entry.template}'; options.template is for codes outside the catalogue`,
      );
    }
    template = entry.template;
  } else {
    if (!isWellFormed(numeric)) {
      throw new TypeError(`faultline: ${numeric} is not a DE4A code (layer 1-4, module 00-99, type 01-99)`);
    }
    if (typeof options.template !== 'string' || options.template.trim() === '') {
      throw new TypeError(`faultline: DE4A code ${numeric} is not in the catalogue: give its options.template`);
    }
    template = options.template;
  }
  if (options.status !== undefined && !isErrorStatus(options.status)) {
    throw new TypeError(`faultline: status ${String(options.status)} is not an integer in 400-599`);
  }
  if (options.expose !== undefined && typeof options.expose !== 'boolean') {
    throw new TypeError('faultline: de4a.fault options.expose must be a boolean');
  }
  const message = fillTemplate(template, params);
  return new Fault({
    dialect: DIALECT,
    code: numeric,
    status: options.status ?? entry?.status ?? layerStatus(Math.floor(numeric / 10000)),
    message,
    description: entry?.description,
    params: Object.freeze({ template, args: Object.freeze([...params]) }),
    expose: options.expose ?? true,
    headers: options.headers,
    cause: options.cause,
    correlationId: options.correlationId,
  });
}

/**
 * The parts of a 5-digit code of the seed's tables, with its template when the code is in
 * the catalogue; `undefined` for anything malformed. The inverse of {@link code}.
 *
 * @param value - a code, `10102` or `'10102'`
 * @returns the layer, module, type (names and numbers) and template
 * @example
 * ```ts
 * decode(10102);
 * // { layer: 'Communications', layerId: 1, module: 'IDK', moduleId: 1, type: 2,
 * //   template: 'Arguments missing or invalid at {0} - {1}' }
 * decode(50102); // undefined
 * ```
 */
function decode(value: number | string): De4aCodeInfo | undefined {
  const info = parseCode(value);
  if (info === undefined) return undefined;
  const entry = catalog.get(code(info));
  return Object.freeze(entry === undefined ? info : { ...info, template: entry.template });
}

// Which encoding the client asked for first: every Accept range in order, parameters
// dropped, lower case; ranges with q=0 are skipped, other q-values are ignored (as X-Road
// does). `application/json` → JSON; `application/xml`, `text/xml` or any `+xml` → XML; none → XML.
const acceptsJsonFirst = byAccept((accept): boolean => {
  if (accept === undefined) return false;
  for (const range of accept.split(',')) {
    const [type = '', ...parameters] = range.split(';').map((part) => part.trim().toLowerCase());
    if (parameters.some((p) => /^q\s*=\s*0(?:\.0{0,3})?$/.test(p))) continue;
    if (type === 'application/json') return true;
    if (type === 'application/xml' || type === 'text/xml' || type.endsWith('+xml')) return false;
  }
  return false;
});

function requestPath(request: RequestInfo): string {
  const url = typeof request.url === 'string' ? request.url : '';
  return truncate(url.split('?', 1)[0] || '/', MAX_PATH);
}

// The code for each kind of non-fault error: the seed's two None-module Communications rows
// for a caller's mistakes, its first Internal failure row for everything else.
const CODE_BY_KIND: Readonly<Record<ProblemKind, number>> = {
  notFound: 10001,
  methodNotAllowed: 10001,
  badRequest: 10007,
  invalidBody: 10007,
  validation: 10007,
  unauthorized: 10007,
  forbidden: 10007,
  payloadTooLarge: 10007,
  unsupportedMediaType: 10007,
  tooManyRequests: 10007,
  clientError: 10007,
  internal: INTERNAL_CODE,
  serverError: INTERNAL_CODE,
};

// The module's Connection error (type 03 of the Communications layer) for `dependency`.
function checkDependency(value: unknown): { module: string; code: number; template: string; description?: string } | undefined {
  if (value === undefined) return undefined;
  const info = typeof value === 'string' || typeof value === 'number' ? safeCode(value) : undefined;
  if (info === undefined || info.moduleId === 0) {
    throw new TypeError(
      `faultline: de4a.dependency must name a module other than None (${Object.keys(MODULES).filter((m) => m !== 'None').join(', ')}, or 1-7), got ${String(value)}`,
    );
  }
  const entry = catalog.get(info.code);
  return { module: info.module, code: info.code, template: entry?.template ?? TEMPLATES[3].text, description: entry?.description };
}

function safeCode(module: string | number): { module: De4aModule; moduleId: number; code: number } | undefined {
  try {
    const value = code({ layer: 'Communications', module, type: 3 });
    const info = parseCode(value);
    return info === undefined ? undefined : { module: info.module, moduleId: info.moduleId, code: value };
  } catch {
    return undefined;
  }
}

// The connector's answer to an exception it did not expect: 99999 with `[ExceptionClass]
// message`, or its fixed text when there is no message (the text sent when it is hidden).
function unexpected(problem: Problem, context: ResolveContext): Fault {
  const name = problem.name === undefined || problem.name === '' ? undefined : problem.name;
  return problemFault(problem, context, {
    dialect: DIALECT,
    code: INTERNAL_CODE,
    status: problem.status >= 500 ? problem.status : 500,
    message: problem.message === '' ? UNEXPECTED_TEXT : name === undefined ? problem.message : `[${name}] ${problem.message}`,
    description: internalEntry?.description,
  });
}

function configure(options: De4aOptions = {}): DialectRuntime {
  if (typeof options !== 'object' || options === null) {
    throw new TypeError('faultline: options.de4a must be an object');
  }
  const json = options.json ?? true;
  if (typeof json !== 'boolean') throw new TypeError('faultline: de4a.json must be a boolean');
  const dependency = checkDependency(options.dependency);

  const fromProblem = (problem: Problem, context: ResolveContext): Fault => {
    const network = dependency === undefined || problem.kind !== 'internal' ? undefined : networkFailure(problem);
    if (dependency !== undefined && network !== undefined) {
      const args = [dependency.module, network === 'timeout' ? 'the call timed out' : 'the module could not be reached'];
      return problemFault(problem, context, {
        dialect: DIALECT,
        code: dependency.code,
        status: network === 'timeout' ? 504 : 502,
        message: fillTemplate(dependency.template, args),
        description: dependency.description,
        params: Object.freeze({ template: dependency.template, args: Object.freeze(args) }),
        expose: true,
      });
    }
    const chosen = CODE_BY_KIND[problem.kind];
    if (chosen === INTERNAL_CODE) return unexpected(problem, context);
    const path = requestPath(context.request);
    const cause = problem.message === '' ? reasonPhrase(problem.status) : problem.message;
    let status: number;
    let args: string[];
    let expose = problem.expose;
    if (chosen === 10001) {
      // The message names only the client's own request, so it is always shown.
      status = problem.kind === 'notFound' ? 404 : problem.status;
      args = [problem.kind === 'notFound' ? path : `${context.request.method ?? 'GET'} ${path}`];
      expose = true;
    } else {
      status = problem.status < 500 ? problem.status : 400;
      args = [path, cause];
    }
    const entry = catalog.get(chosen);
    const template = entry?.template ?? '';
    return problemFault(problem, context, {
      dialect: DIALECT,
      code: chosen,
      status,
      message: fillTemplate(template, args),
      description: entry?.description,
      params: Object.freeze({ template, args: Object.freeze(args) }),
      expose,
    });
  };

  return {
    id: DIALECT,
    catalog,
    fromProblem,
    adopt(thrown, context) {
      // A fault of another dialect, or one built by hand with a code the IEM `Code` cannot
      // carry, is answered as the DE4A fault of its status.
      return thrown.dialect === DIALECT && SENDABLE_CODE.test(String(thrown.code))
        ? withCorrelationId(thrown, context)
        : fromProblem(classifyFault(thrown), context);
    },
    negotiate(request) {
      return json && acceptsJsonFirst(request) ? JSON_ENCODING : XML_ENCODING;
    },
    render(f, encoding, { message, debug }): Rendered {
      const codeText = String(f.code).slice(0, 10);
      const text = sendableText(f, message);
      if (encoding.id === 'json') {
        return {
          status: f.status,
          headers: { 'content-type': JSON_TYPE },
          body: JSON.stringify({ ack: false, errors: [{ code: codeText, text }], ...debugJson(debug) }),
        };
      }
      return { status: f.status, headers: { 'content-type': XML_TYPE }, body: iemXml(codeText, text) };
    },
    fallback: FALLBACK,
  };
}

// A spec's params fill the code's template; its message, if any, replaces the filled text.
function make(spec: FaultSpec): Fault {
  const built = fault(spec.code, spec.params ?? [], {
    ...(spec.status === undefined ? {} : { status: spec.status }),
    ...(spec.headers === undefined ? {} : { headers: spec.headers }),
    ...(spec.expose === undefined ? {} : { expose: spec.expose }),
    cause: spec.cause,
  });
  return spec.message === undefined ? built : copyFault(built, { message: spec.message });
}

/**
 * The schemas of this dialect's bodies: the JSON Schema (draft 2020-12) of its JSON bodies and
 * the XSDs of its XML bodies, shipped as `@faultline/core/schemas/*.xsd`.
 *
 * @param options - `catalogs`: your own catalogues, to make the code member an enum; `debug`
 * @returns `{ dialect, json, xml?, soap? }`
 * @example
 * ```ts
 * const { json } = de4a.schema();
 * new Ajv2020().compile(json); // validates every JSON body the dialect renders
 * ```
 */
function schema(options?: SchemaOptions): DialectSchemas {
  return dialectSchemas(catalog, options);
}

/**
 * The DE4A dialect and its helpers: code arithmetic, templates, message codes, log and
 * metrics lines. Use it as `dialect: de4a`, with options under `de4a: { json }`.
 *
 * @example
 * ```ts
 * de4a.code({ layer: 'Communications', module: 'IDK', type: 2 }); // 10102
 * de4a.messageCode({ component: 'DR', level: 'ERROR', template: 5 }); // 'DRE05'
 * const handler = createFaultHandler({ dialect: de4a, onFault: de4a.logTo(process.stdout, { participant: 'SGAD-ES' }) });
 * ```
 */
export const de4a = Object.freeze({
  id: DIALECT,
  catalog,
  /** Resolves the dialect options once into the runtime the handler uses. */
  configure,
  /** The JSON Schema (draft 2020-12) of the dialect's JSON bodies and the XSDs of its XML bodies. */
  schema,
  /** Builds a DE4A fault from a code (or its parts) and the parameters of its template. */
  fault,
  /** Builds a fault of this dialect from a dialect-neutral spec (a mapping target). */
  make,
  /** Reads a body in this dialect's convention back into its fault (`parseFault` uses it). */
  read: (document: FaultDocument): FaultReading | undefined => readDe4a(document, catalog),
  /** Every catalogue entry a code or name matches, explained with the code's arithmetic (`explain` uses it). */
  explain: (query: string): readonly Explanation[] => explainDe4a(query, catalog),
  /** The 5-digit code of layer, module and type, e.g. `10102`. */
  code,
  /** The parts of a 5-digit code, or `undefined` for anything malformed. */
  decode,
  /** The 5-character message code of a log line, e.g. `'DRE05'`. */
  messageCode,
  /** The message code of a fault's log line, numbered per log message: `messageCodeOf(10102, 'DR', 'ERROR')` is `'DRE05'`. */
  messageCodeOf,
  /** Every log message with a code (`DTI07`, `0108`): de4a-commons' ELogMessage and the seed's tables. */
  logMessages,
  /** Fills a template's `{0}`, `{1}`, … with the parameters, in one pass. */
  fillTemplate,
  /** One DE4A log line, without a line end. */
  logLine,
  /** One DE4A metrics line, without a line end. */
  metricsLine,
  /** An `onFault` hook that writes one DE4A log line per fault to a stream. */
  logTo,
  LAYERS,
  MODULES,
  LOG_TYPES,
  SEVERITIES,
  LEVEL_LETTERS,
  TEMPLATES,
  AUTHORITY_AGENT_TEMPLATES,
  /** The connector's error families (iteration 2): their number in a message code and the seed's error type. */
  FAMILIES,
  /** Every log message of de4a-commons' ELogMessage and of the seed's Connector and Authority Agent tables. */
  LOG_MESSAGES,
}) satisfies Dialect<De4aOptions>;
