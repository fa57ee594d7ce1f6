/**
 * The handler's options: their type, and the checks that turn a bad one into a `TypeError`
 * that names it, when the handler is created.
 *
 * @module
 */
import { checkTranslations, isLanguageTag } from '../locale.js';
import type { Catalog, LogLevel } from '../catalog.js';
import { LOG_LEVELS } from '../catalog.js';
import { isEchoHeaderName, isHeaderName } from '../headers.js';
import type { FaultEvent, FaultTelemetry } from '../pipeline/report.js';
import { checkBuiltins } from '../pipeline/recognise/index.js';
import type { BuiltinName, Builtins } from '../pipeline/recognise/index.js';
import { checkLimits } from '../pipeline/limits.js';
import type { FaultLimits, ResolvedLimits } from '../pipeline/limits.js';
import type { FaultLogger, RequestInfo } from '../request.js';
import { checkSyncFunction, optionNames, ownOptions } from '../safe.js';
import { warnOnce } from '../warn.js';
import { captureFactoryStacks } from '../fault.js';
import { DIALECTS } from '../dialects/registry.js';
import type { DialectOptionsByName } from '../dialects/registry.js';
import { compileMappings } from './mappings.js';
import type { MappingRule, MappingTable } from './mappings.js';
import { compileSelection } from './select.js';
import type { DialectOption, DialectSelection, Selected } from './select.js';

/**
 * Options of {@link createFaultHandler} and of both adapters. Each built-in dialect's own
 * options go under its name (`xroad: { side }`, `esb: { profile }`, …; see
 * {@link DialectOptionsByName}); a dialect of your own (`defineDialect`) reads its options from
 * the member named by its id.
 *
 * @example
 * ```ts
 * const options: FaultHandlerOptions = {
 *   dialect: 'xroad',
 *   xroad: { side: 'client' },
 *   mappings: [{ code: 'ENOENT', to: { code: 'Server.ServerProxy.UnknownService' } }],
 *   debug: process.env.NODE_ENV !== 'production',
 * };
 * const handler = createFaultHandler(options);
 * ```
 */
export interface FaultHandlerOptions extends DialectOptionsByName {
  /**
   * The convention to answer in: a built-in name or a dialect value; or dialects by route
   * prefix (`{ '/kms/xks/v1': 'xks', '/soap': 'xroad', '*': 'problem' }`, longest prefix
   * first); or a function of the request that returns one.
   * @default 'problem'
   */
  readonly dialect?: DialectOption;
  /**
   * Rules that turn the service's own errors into faults, by class, `code`, `name` or
   * predicate (see `MappingRule`). Checked when the handler is created.
   */
  readonly mappings?: readonly MappingRule[];
  /**
   * Catalogues of your own (`defineCatalog(...).catalog`), so that the handler knows their
   * codes' log levels and the generic text it sends when it hides a message.
   */
  readonly catalogs?: readonly Catalog[];
  /**
   * Send the real message of hidden faults, the stack and the cause chain to the client.
   * Only this option turns it on; `NODE_ENV` plays no part.
   * @default false
   */
  readonly debug?: boolean;
  /**
   * Make faults built by catalogue factories (`xroad.fault`, `esb.fault`, a `defineCatalog`
   * factory, …) capture stack frames. By default they carry none, since an expected fault's
   * frames are read by nobody and capturing them costs more than answering it; `debug: true`
   * turns capture on too. Faults are built before a handler sees them, so this holds for the
   * whole process once any handler asks for it. Other errors keep their stacks either way.
   * @default false
   */
  readonly captureStack?: boolean;
  /**
   * A pino-compatible logger (`logger.error(obj, msg)`); `false` turns logging off. Default:
   * the request's own logger when the adapter has one (Fastify's `request.log`), else one
   * JSON line per fault on stderr.
   */
  readonly logger?: FaultLogger | false;
  /** The levels faults are logged at, by status class. @default { clientError: 'info', serverError: 'error' } */
  readonly levels?: { readonly clientError?: LogLevel; readonly serverError?: LogLevel };
  /**
   * The correlation id of a request: a function that makes it, or where to take it from —
   * `{ header: 'x-request-id' }` (the first of several names that carries a safe token),
   * `{ header: 'traceparent' }` (the W3C trace id), `{ requestId: true }` (Fastify's
   * `request.id`). Anything missing or unsafe falls back to a random UUID v4.
   * @default a random UUID v4
   */
  readonly correlationId?: ((request: RequestInfo) => string) | CorrelationSource;
  /** A response header that echoes the correlation id, e.g. `x-correlation-id`. */
  readonly correlationHeader?: string;
  /**
   * Called once per fault after it was logged, for metrics and tracing. It may be async; an
   * error it throws or a promise it rejects is logged as a warning and changes nothing.
   */
  readonly onFault?: (event: FaultEvent) => void | PromiseLike<void>;
  /**
   * A telemetry integration (`openTelemetry()` from `@faultline/opentelemetry`, or one of your
   * own): a correlation id when the `correlationId` option gives none, fields for the log event,
   * and an observer called with every fault in the request's context.
   */
  readonly telemetry?: FaultTelemetry;
  /**
   * Read `status`, `message`, `expose` and `headers` from thrown objects that are not `Error`s
   * (`throw { statusCode: 404, message: 'x' }`). Off by default: such values are answered as
   * internal errors and only their type is logged.
   * @default false
   */
  readonly trustObjects?: boolean;
  /**
   * Switch built-in recognisers off by name, e.g. `{ zod: false, network: false }`: the
   * errors they would claim get the usual answer. Every one is on by default.
   * @default every built-in on
   */
  readonly builtins?: Partial<Record<BuiltinName, boolean>>;
  /**
   * How much of a message (characters), of validation details and of a cause chain a response
   * and its log entry carry, and how much of an `Accept` header is read. Cuts are marked.
   * @default { message: 4096, details: 100, causes: 8, wrapped: 8, accept: 16384 }
   */
  readonly limits?: FaultLimits;
  /**
   * Forward an `UpstreamFault` unchanged (status, body and the convention's headers) when its
   * body is a conforming fault of the dialect answering the request; anything else is
   * translated. A mapping rule's own `passthrough` wins for the upstream faults it matches.
   * @default false
   */
  readonly passthrough?: boolean;
  /**
   * Localised messages: the language of the catalogues' own messages (`source`, default
   * `en`), the one sent when `Accept-Language` matches none (`default`, default the source's),
   * and translations of any dialect's codes (`translations: { xroad: { code: { de, et } } }`),
   * which must use exactly the parameters of the code's message.
   */
  readonly locales?: LocaleOptions;
}

/**
 * The `locales` option.
 *
 * @example
 * ```ts
 * const locales: LocaleOptions = {
 *   default: 'et',
 *   translations: { xroad: { 'Server.ServerProxy.AccessDenied': { et: 'Päring ei ole lubatud' } } },
 * };
 * createFaultHandler({ dialect: 'xroad', locales });
 * ```
 */
export interface LocaleOptions {
  /** The language of the catalogues' messages. @default 'en' */
  readonly source?: string;
  /** The language sent when the request's `Accept-Language` matches none. @default source */
  readonly default?: string;
  /** Messages by dialect, code and language tag, over the catalogue entries' own `messages`. */
  readonly translations?: Readonly<
    Record<string, Readonly<Record<string, Readonly<Record<string, string>>>>>
  >;
}

/** The `locales` option resolved: translations by dialect and code, checked. */
export interface ResolvedLocales {
  readonly source: string;
  readonly default: string;
  readonly translations: ReadonlyMap<string, ReadonlyMap<string, Readonly<Record<string, string>>>>;
}

/**
 * The handler options, checked and resolved once: every value the handler reads, derived and
 * frozen. `limits.message` is the one limit on a message, from the thrown error to the body.
 */
export interface ResolvedOptions {
  /** The dialects, configured with their options. */
  readonly selection: DialectSelection;
  readonly mappings: MappingTable | undefined;
  readonly catalogs: readonly Catalog[];
  readonly debug: boolean;
  readonly trustObjects: boolean;
  readonly builtins: Builtins;
  /** The logger given, `false` for none, or `undefined` for the request's own or stderr. */
  readonly logger: FaultLogger | false | undefined;
  readonly levels: Readonly<{ clientError: LogLevel; serverError: LogLevel }>;
  readonly correlationId: ((request: RequestInfo) => string) | undefined;
  readonly correlationHeader: string | undefined;
  readonly onFault: ((event: FaultEvent) => void | PromiseLike<void>) | undefined;
  readonly telemetry: FaultTelemetry | undefined;
  readonly limits: ResolvedLimits;
  readonly passthrough: boolean;
  readonly locales: ResolvedLocales;
}

/**
 * Checks every option once, in a fixed order, and resolves them into one frozen object. The
 * caller's object is read for its own properties only and never changed.
 *
 * @param given - the options as passed to `createFaultHandler` or an adapter
 * @returns the resolved options
 * @throws TypeError naming the first option that is invalid
 * @example
 * ```ts
 * resolveOptions({ dialect: 'xroad', limits: { message: 10_000 } }).limits.message; // 10000
 * ```
 */
export function resolveOptions(given: FaultHandlerOptions): ResolvedOptions {
  if (typeof given !== 'object' || given === null) {
    throw new TypeError('faultline: options must be an object');
  }
  // Own properties only: a key another module added to Object.prototype is no option.
  const options = handlerOptions(given);
  const selection = compileSelection(options.dialect, (id) => dialectOptions(options, id));
  const limits = checkLimits(options.limits);
  const mappings = compileMappings(
    options.mappings,
    selection.all.map((selected) => selected.dialect),
    limits.wrapped,
  );
  const catalogs = checkCatalogs(options.catalogs);
  const debug = checkBoolean(options.debug, 'debug');
  const captureStack = checkBoolean(options.captureStack, 'captureStack');
  const trustObjects = checkBoolean(options.trustObjects, 'trustObjects');
  const builtins = checkBuiltins(options.builtins);
  const logger = checkLogger(options.logger);
  const levels = Object.freeze({
    clientError: checkLevel(options.levels?.clientError ?? 'info', 'levels.clientError'),
    serverError: checkLevel(options.levels?.serverError ?? 'error', 'levels.serverError'),
  });
  const correlationId = correlationSource(options.correlationId);
  const correlationHeader = checkEchoHeader(options.correlationHeader, selection.all);
  const onFault = checkFunction(options.onFault, 'onFault');
  const telemetry = checkTelemetry(options.telemetry);
  const passthrough = checkBoolean(options.passthrough, 'passthrough');
  const locales = checkLocales(options.locales, [
    ...selection.all.map((selected) => selected.runtime.catalog),
    ...catalogs,
  ]);
  warnUnknownOptions(options, selection.all);
  // Last, once every option is known to be valid: a handler that fails to build changes nothing.
  if (captureStack || debug) captureFactoryStacks();
  return Object.freeze({
    locales,
    selection,
    mappings,
    catalogs,
    debug,
    trustObjects,
    builtins,
    logger,
    levels,
    correlationId,
    correlationHeader,
    onFault,
    telemetry,
    limits,
    passthrough,
  });
}

// The options with own properties only, copied; the values that are objects of their own
// (a logger, catalogues) are kept as they are.
function handlerOptions(given: FaultHandlerOptions): FaultHandlerOptions {
  const copy = Object.create(null) as Record<string, unknown>;
  for (const key of Object.keys(given)) {
    const value = (given as Record<string, unknown>)[key];
    copy[key] =
      key === 'logger' || key === 'catalogs' || key === 'telemetry' ? value : ownOptions(value);
  }
  return copy as FaultHandlerOptions;
}

// The handler's own options: no dialect may take one of their names as its id, since its
// options sit under its id (the adapters' own options, such as Fastify's notFound, too). The
// compiler keeps the list whole: a new option of FaultHandlerOptions must be named here.
const OWN_OPTIONS: ReadonlySet<string> = new Set([
  ...optionNames<Omit<FaultHandlerOptions, keyof DialectOptionsByName>>({
    dialect: true,
    mappings: true,
    catalogs: true,
    debug: true,
    captureStack: true,
    logger: true,
    levels: true,
    correlationId: true,
    correlationHeader: true,
    onFault: true,
    telemetry: true,
    trustObjects: true,
    builtins: true,
    limits: true,
    passthrough: true,
    locales: true,
  }),
  'notFound',
  'statusPages',
]);

// Names the frameworks put beside a plugin's own options (Fastify's `register`); not ours to
// warn about.
const FRAMEWORK_OPTIONS: ReadonlySet<string> = new Set(['prefix', 'logLevel', 'logSerializers']);
const LEVEL_OPTIONS: ReadonlySet<string> = new Set(
  optionNames<NonNullable<FaultHandlerOptions['levels']>>({ clientError: true, serverError: true }),
);

// An option name nothing reads is most likely a misspelt one: it is reported once, as a
// warning, and otherwise ignored, as it always was. Dialects that list their option names
// (`optionKeys`) have the names under their id checked too.
function warnUnknownOptions(options: FaultHandlerOptions, dialects: readonly Selected[]): void {
  const record = options as unknown as Record<string, unknown>;
  const ids = new Map<string, readonly string[] | undefined>();
  for (const [name, dialect] of Object.entries(DIALECTS)) ids.set(name, dialect.optionKeys);
  for (const { dialect } of dialects) ids.set(dialect.id, dialect.optionKeys);
  for (const key of Object.keys(record)) {
    if (OWN_OPTIONS.has(key) || FRAMEWORK_OPTIONS.has(key)) continue;
    if (!ids.has(key)) {
      warnOnce(
        'FAULTLINE_UNKNOWN_OPTION',
        `faultline: options.${key} is not an option and is ignored (options: ${[...OWN_OPTIONS, ...ids.keys()].join(', ')})`,
      );
      continue;
    }
    const known = ids.get(key);
    if (known !== undefined) warnUnknownMembers(record[key], `options.${key}`, new Set(known));
  }
  warnUnknownMembers(record.levels, 'options.levels', LEVEL_OPTIONS);
}

function warnUnknownMembers(value: unknown, where: string, known: ReadonlySet<string>): void {
  if (typeof value !== 'object' || value === null) return;
  for (const key of Object.keys(value)) {
    if (!known.has(key)) {
      warnOnce(
        'FAULTLINE_UNKNOWN_OPTION',
        `faultline: ${where}.${key} is not an option and is ignored (${where}: ${[...known].join(', ')})`,
      );
    }
  }
}

// A dialect's options live under its id (`xroad: {...}`); they must be an object if given.
function dialectOptions(options: FaultHandlerOptions, id: string): unknown {
  if (OWN_OPTIONS.has(id)) {
    throw new TypeError(
      `faultline: a dialect cannot be called '${id}': its options would sit under the handler option of that name`,
    );
  }
  const value = (options as unknown as Record<string, unknown>)[id];
  if (
    value !== undefined &&
    (typeof value !== 'object' || value === null || Array.isArray(value))
  ) {
    throw new TypeError(`faultline: options.${id} must be an object`);
  }
  return value;
}

/**
 * Where the correlation id comes from, when no function makes it.
 *
 * @example
 * ```ts
 * const correlationId: CorrelationSource = { header: ['x-request-id', 'traceparent'] };
 * createFaultHandler({ dialect: 'xroad', correlationId });
 * ```
 */
export interface CorrelationSource {
  /** Request headers to take it from, first match wins; `traceparent` gives the W3C trace id. */
  readonly header?: string | readonly string[];
  /** Take the framework's request id (Fastify's `request.id`). */
  readonly requestId?: boolean;
}

// Ids reach a response body and maybe a header: only plain tokens of visible ASCII are taken.
export const SAFE_ID = /^[A-Za-z0-9._:@-]{1,128}$/;

// W3C Trace Context: version, trace id, parent id, flags, all lower-case hex; a later version
// may append fields after a dash.
const TRACEPARENT = /^([0-9a-f]{2})-([0-9a-f]{32})-([0-9a-f]{16})-[0-9a-f]{2}(-.*)?$/;

/**
 * The trace id of a `traceparent` header, when the header is valid as W3C Trace Context
 * requires: not version `ff`, nothing appended to version `00`, neither the trace id nor the
 * parent id all zeros.
 */
function traceIdOf(header: string): string | undefined {
  const match = TRACEPARENT.exec(header);
  if (match === null) return undefined;
  const [, version, traceId, parentId, rest] = match;
  if (version === 'ff' || (version === '00' && rest !== undefined)) return undefined;
  if (/^0+$/.test(traceId as string) || /^0+$/.test(parentId as string)) return undefined;
  return traceId;
}

function correlationSource(option: unknown): ((request: RequestInfo) => string) | undefined {
  if (option === undefined || typeof option === 'function') {
    return checkSyncFunction(
      option as ((request: RequestInfo) => string) | undefined,
      'options.correlationId',
    );
  }
  if (typeof option !== 'object' || option === null || Array.isArray(option)) {
    throw new TypeError(
      'faultline: options.correlationId must be a function or { header, requestId }',
    );
  }
  const { header, requestId } = option as CorrelationSource;
  const names = header === undefined ? [] : typeof header === 'string' ? [header] : header;
  if (!Array.isArray(names) || !names.every((n) => typeof n === 'string' && isHeaderName(n))) {
    throw new TypeError(
      'faultline: options.correlationId.header must be a header name or a list of them',
    );
  }
  if (requestId !== undefined && typeof requestId !== 'boolean') {
    throw new TypeError('faultline: options.correlationId.requestId must be a boolean');
  }
  const lower = names.map((n) => n.toLowerCase());
  return (request) => {
    for (const name of lower) {
      const value = request.headers?.[name];
      const text = typeof value === 'string' ? value.trim() : undefined;
      if (text === undefined) continue;
      const id = name === 'traceparent' ? traceIdOf(text) : text;
      if (id !== undefined && SAFE_ID.test(id)) return id;
    }
    if (requestId === true && typeof request.id === 'string' && SAFE_ID.test(request.id))
      return request.id;
    return '';
  };
}

// The echo header must be a header of its own: not framing, not hop-by-hop, not one faultline
// or a dialect writes (their value would be replaced, or the response broken).
function checkEchoHeader(value: unknown, dialects: readonly Selected[]): string | undefined {
  if (value === undefined) return undefined;
  const name = typeof value === 'string' ? value.toLowerCase() : undefined;
  if (
    name === undefined ||
    !isEchoHeaderName(name) ||
    dialects.some(({ runtime }) => runtime.ownHeaders?.includes(name))
  ) {
    throw new TypeError(
      `faultline: options.correlationHeader must be a header name of its own such as x-correlation-id (got ${typeof value === 'string' ? `'${value}'` : typeof value}: framing, hop-by-hop and the headers faultline writes are refused)`,
    );
  }
  return name;
}

function checkCatalogs(value: unknown): readonly Catalog[] {
  if (value === undefined) return [];
  if (
    !Array.isArray(value) ||
    !value.every(
      (c) => typeof c === 'object' && c !== null && typeof (c as Catalog).get === 'function',
    )
  ) {
    throw new TypeError(
      'faultline: options.catalogs must be a list of catalogues (defineCatalog(...).catalog)',
    );
  }
  return value as readonly Catalog[];
}

function checkBoolean(value: unknown, name: string): boolean {
  if (value !== undefined && typeof value !== 'boolean') {
    throw new TypeError(`faultline: options.${name} must be a boolean`);
  }
  return value === true;
}

function checkLogger(logger: unknown): FaultLogger | false | undefined {
  if (logger === undefined || logger === false) return logger;
  if (
    typeof logger !== 'object' ||
    logger === null ||
    typeof (logger as FaultLogger).error !== 'function'
  ) {
    throw new TypeError(
      'faultline: options.logger must be a pino-compatible logger (with an error method) or false',
    );
  }
  return logger as FaultLogger;
}

// The integration's members are read once, here: each must be a synchronous function if given.
function checkTelemetry(value: unknown): FaultTelemetry | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new TypeError(
      'faultline: options.telemetry must be an object with correlationId, logFields or onFault',
    );
  }
  const given = value as FaultTelemetry;
  const telemetry: { -readonly [K in keyof FaultTelemetry]: FaultTelemetry[K] } = {};
  for (const name of ['correlationId', 'logFields', 'onFault'] as const) {
    const member = checkSyncFunction(given[name], `options.telemetry.${name}`);
    if (member !== undefined) Object.assign(telemetry, { [name]: member.bind(given) });
  }
  return Object.freeze(telemetry);
}

function checkLevel(level: unknown, name: string): LogLevel {
  if (!LOG_LEVELS.includes(level as LogLevel)) {
    throw new TypeError(`faultline: options.${name} must be one of ${LOG_LEVELS.join(', ')}`);
  }
  return level as LogLevel;
}

export function checkFunction<F>(value: F | undefined, name: string): F | undefined {
  if (value !== undefined && typeof value !== 'function') {
    throw new TypeError(`faultline: options.${name} must be a function`);
  }
  return value;
}

function checkLocales(value: unknown, catalogs: readonly Catalog[]): ResolvedLocales {
  if (value === undefined)
    return Object.freeze({ source: 'en', default: 'en', translations: new Map() });
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    throw new TypeError('faultline: options.locales must be an object');
  const given = value as LocaleOptions;
  const tag = (v: unknown, name: string): string => {
    if (!isLanguageTag(v))
      throw new TypeError(`faultline: options.locales.${name} must be a language tag such as 'en'`);
    return v;
  };
  const source = given.source === undefined ? 'en' : tag(given.source, 'source');
  const fallback = given.default === undefined ? source : tag(given.default, 'default');
  const translations = new Map<string, Map<string, Readonly<Record<string, string>>>>();
  const table = given.translations ?? {};
  if (typeof table !== 'object' || table === null)
    throw new TypeError('faultline: options.locales.translations must be an object by dialect');
  for (const [dialect, codes] of Object.entries(table)) {
    const mine = catalogs.filter((c) => c.dialect === dialect);
    if (mine.length === 0)
      throw new TypeError(
        `faultline: options.locales.translations.${dialect}: no dialect or catalogue of that name is in use`,
      );
    const byCode = new Map<string, Readonly<Record<string, string>>>();
    for (const [code, messages] of Object.entries(codes ?? {})) {
      const entry = mine.map((c) => c.get(code)).find((e) => e !== undefined);
      if (entry === undefined)
        throw new TypeError(
          `faultline: options.locales.translations.${dialect}: '${code}' is no code of its catalogue`,
        );
      byCode.set(
        code,
        checkTranslations(
          entry.template ?? entry.message,
          messages,
          `options.locales.translations.${dialect} '${code}'`,
        ),
      );
    }
    translations.set(dialect, byCode);
  }
  return Object.freeze({ source, default: fallback, translations });
}
