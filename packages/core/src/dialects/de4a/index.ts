/**
 * DE4A: 5-digit connector codes (layer + module + error type), the IEM v2
 * `ResponseErrorType` body as the DE4A connector of iteration 2 sends it (de4a-eu/de4a
 * `de4a-connector/.../error/handler/ConnectorExceptionHandler.java`: an unexpected exception is
 * 99999, text cut at 4000 characters), and DE4A's log and metrics lines with message codes
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
import { Fault, catalogueFault, copyFault, checkStatus } from '../../fault.js';
import type { FaultHeaders } from '../../fault.js';
import type { FaultSpec } from '../contract.js';
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
import type { De4aCodeInfo, De4aCodeParts, De4aParam } from './codes.js';
import { logLine, logTo, messageCodeOf, metricsLine } from './log.js';
import { FAMILIES, LOG_MESSAGES, logMessages } from './messages.js';
import { explainDe4a, readDe4a } from './read.js';
import type { FaultDocument } from '../../read/document.js';
import type { Explanation, FaultReading } from '../../read/types.js';
import { BODIES, ENCODINGS } from './schema.js';
import { defineDialect } from '../kit.js';
import { DIALECT, catalog } from './catalog.js';
import { OPTION_KEYS, configure } from './runtime.js';

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
export type {
  De4aDestination,
  De4aLogHook,
  De4aLogLine,
  De4aLogToOptions,
  De4aMessageOptions,
  De4aMetricsLine,
} from './log.js';
export type { De4aFamily, De4aLogMessage, De4aLogTable } from './messages.js';

export type { De4aOptions } from './runtime.js';

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
   * type), e.g. `de4a.TEMPLATES[3].text`. Catalogue codes always use the catalogue's template.
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

function resolveCode(codeOrParts: unknown): number {
  if (typeof codeOrParts === 'object' && codeOrParts !== null)
    return code(codeOrParts as De4aCodeParts);
  if (typeof codeOrParts === 'string' && /^\d{5}$/.test(codeOrParts)) return Number(codeOrParts);
  if (typeof codeOrParts === 'number' && Number.isInteger(codeOrParts)) return codeOrParts;
  throw new TypeError(
    `faultline: '${String(codeOrParts)}' is not a DE4A code (e.g. 10102 or { layer, module, type })`,
  );
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
        `faultline: DE4A code ${numeric} has the catalogue's template '${entry.template}'; options.template is for codes outside the catalogue`,
      );
    }
    template = entry.template;
  } else {
    if (!isWellFormed(numeric)) {
      throw new TypeError(
        `faultline: ${numeric} is not a DE4A code (layer 1-4, module 00-99, type 01-99)`,
      );
    }
    if (typeof options.template !== 'string' || options.template.trim() === '') {
      throw new TypeError(
        `faultline: DE4A code ${numeric} is not in the catalogue: give its options.template`,
      );
    }
    template = options.template;
  }
  if (options.status !== undefined) checkStatus(options.status, 'de4a.fault options.status');
  if (options.expose !== undefined && typeof options.expose !== 'boolean') {
    throw new TypeError('faultline: de4a.fault options.expose must be a boolean');
  }
  const message = fillTemplate(template, params);
  return catalogueFault({
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
 * The parts of a 5-digit code of DE4A's tables, with its template when the code is in
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
export const de4a = defineDialect({
  id: DIALECT,
  optionKeys: OPTION_KEYS,
  catalog,
  configure,
  bodies: BODIES,
  encodings: ENCODINGS,
  /** Builds a DE4A fault from a code (or its parts) and the parameters of its template. */
  fault,
  make,
  read: (document: FaultDocument): FaultReading | undefined => readDe4a(document, catalog),
  explain: (query: string): readonly Explanation[] => explainDe4a(query, catalog),
  /** The 5-digit code of layer, module and type, e.g. `10102`. */
  code,
  /** The parts of a 5-digit code, or `undefined` for anything malformed. */
  decode,
  /** The 5-character message code of a log line, e.g. `'DRE05'`. */
  messageCode,
  /** The message code of a fault's log line, numbered per log message: `messageCodeOf(10102, 'DR', 'ERROR')` is `'DRE05'`. */
  messageCodeOf,
  /** Every log message with a code (`DTI07`, `0108`): de4a-commons' ELogMessage and DE4A's documented tables. */
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
  /** The connector's error families (iteration 2): their number in a message code and DE4A's documented error type. */
  FAMILIES,
  /** Every log message of de4a-commons' ELogMessage and of DE4A's documented Connector and Authority Agent tables. */
  LOG_MESSAGES,
});
