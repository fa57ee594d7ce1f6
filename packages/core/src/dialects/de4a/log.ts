/**
 * Extra file: DE4A prescribes log and metrics lines as well as response bodies.
 *
 * DE4A log and metrics lines, byte for byte as DE4A's "Logs and error messages" writes them,
 * and `logTo`, the `onFault` hook that writes one such line per fault, its message code
 * numbered per log message as the connector numbers it (`./messages.ts`), and the log
 * messages of DE4A's documented tables and the connector's on request.
 *
 * @module
 */
import type { Fault } from '../../fault.js';
import type { FaultEvent } from '../../pipeline/report.js';
import { checkSyncFunction, ownOptions, safeGet, syncResult } from '../../safe.js';
import { reasonPhrase } from '../../status.js';
import { DE4A_CATALOG, layerLogLevel } from './catalog.js';
import { fillTemplate, isWellFormed, messageCode, parseCode } from './codes.js';
import type { De4aLevel, De4aParam } from './codes.js';
import { LOG_MESSAGES, faultLogNumber, logMessages } from './messages.js';
import type { De4aLogMessage } from './messages.js';

/**
 * The longest text of a log line or body, the IEM `Text` limit: a log line repeats the body's
 * text. The connector's `createError` cuts there (`substring(0, 4000)`), with no marker.
 */
const MAX_TEXT = 4000;

/**
 * A log line (DE4A's "Logs and error messages", "General structure").
 *
 * @example
 * ```ts
 * const line: De4aLogLine = { level: 'ERROR', messageCode: 'DRE05', participant: 'SGAD-ES', useCase: '1.1', text: 'Connection error with IDK' };
 * de4a.logLine(line);
 * ```
 */
export interface De4aLogLine {
  /** When the line is written; default: now. Rendered as ISO 8601 UTC with milliseconds. */
  readonly timestamp?: Date | string | number;
  /** `INFO`, `ERROR`, `WARN` or `DEBUG` (any case; `WARNING` is written `WARN`). */
  readonly level: De4aLevel | (string & {});
  /** The 5-character message code, e.g. `DTI07` (see `de4a.messageCode`), or a 4-digit log code of DE4A's documented tables, e.g. `0103`. */
  readonly messageCode: string;
  /** The logging participant: acronym + `-` + country code, e.g. `SGAD-ES`. */
  readonly participant: string;
  /** The pilot use case, e.g. `1.1`, written `[UC#1.1]` before the text. */
  readonly useCase?: string;
  /** The message, e.g. a filled template. */
  readonly text: string;
}

/**
 * A metrics line (DE4A's "Logs and error messages", "Complementary syntaxis for the logs to be
 * collected").
 *
 * @example
 * ```ts
 * const line: De4aMetricsLine = { level: 'ERROR', code: 10104, useCase: '1.1', origin: 'CONNECTOR DR', text: 'Timeout' };
 * de4a.metricsLine(line);
 * ```
 */
export interface De4aMetricsLine {
  /** The configurable prefix; `''` writes none. @default 'DE4A METRICS' */
  readonly prefix?: string;
  /** When the line is written; default: now. Rendered `YYYY-MM-DD HH:MM:SS:mmm` in UTC. */
  readonly timestamp?: Date | string | number;
  /** `DEBUG`, `INFO`, `WARNING` (or `WARN`), `ERROR` or `FATAL`, any case. */
  readonly level: string;
  /** The error or log code, e.g. `10104`, `'0103'`. */
  readonly code: number | string;
  /** The pilot use case, e.g. `1.1`; absent renders `[ ]`. */
  readonly useCase?: string;
  /** The entity the message originates from, e.g. `CONNECTOR DR`; absent renders `[ ]`. */
  readonly origin?: string;
  /** The entity the message targets, e.g. `CONNECTOR DT`; absent renders `[ ]`. */
  readonly destiny?: string;
  readonly text: string;
}

const LOG_LEVELS: Readonly<Record<string, string>> = {
  INFO: 'INFO',
  ERROR: 'ERROR',
  WARN: 'WARN',
  WARNING: 'WARN',
  DEBUG: 'DEBUG',
};
const METRICS_LEVELS: Readonly<Record<string, string>> = {
  DEBUG: 'DEBUG',
  INFO: 'INFO',
  WARN: 'WARNING',
  WARNING: 'WARNING',
  ERROR: 'ERROR',
  FATAL: 'FATAL',
};
// Anything a log reader could take for a line end or a terminal command, or that reorders
// what the reader sees: C0 controls but TAB, DEL, the C1 controls (NEL and CSI among them),
// the Unicode line and paragraph separators, and the bidirectional embeddings, overrides and
// isolates (U+202A–U+202E, U+2066–U+2069), which can make a forged line read as a real one.
// CRLF becomes one space.
const LINE_BREAKING =
  /\r\n|[\u0000-\u0008\u000A-\u001F\u007F-\u009F\u2028\u2029\u202A-\u202E\u2066-\u2069]/g;

/**
 * Makes a field safe for a one-line log: CR, LF, every other control character (C0 and C1),
 * the line and paragraph separators and the bidirectional controls become a space.
 *
 * @param text - any string
 * @returns the text on one line
 * @example
 * ```ts
 * oneLine('a\r\nb\nc'); // 'a b c'
 * ```
 */
export function oneLine(text: string): string {
  return text.replace(LINE_BREAKING, ' ');
}

function field(value: unknown, name: string): string {
  if (typeof value !== 'string') throw new TypeError(`faultline: de4a ${name} must be a string`);
  return oneLine(value);
}

function optionalField(value: unknown, name: string): string | undefined {
  return value === undefined ? undefined : field(value, name);
}

function toDate(value: Date | string | number | undefined): Date {
  const date =
    value === undefined ? new Date() : new Date(value instanceof Date ? value.getTime() : value);
  if (Number.isNaN(date.getTime())) {
    throw new TypeError(`faultline: de4a timestamp '${String(value)}' is not a valid date`);
  }
  return date;
}

function levelName(level: unknown, names: Readonly<Record<string, string>>): string {
  const name = typeof level === 'string' ? names[level.toUpperCase()] : undefined;
  if (name === undefined) {
    throw new TypeError(
      `faultline: de4a level '${String(level)}' must be one of ${Object.keys(names).join(', ')}`,
    );
  }
  return name;
}

const pad = (n: number, width = 2) => String(n).padStart(width, '0');

/**
 * One DE4A log line: `[timestamp] [level] [message code] [participant] [UC#use case] text`,
 * with no line end. Every field is put on one line first.
 *
 * @param line - the fields; `useCase` is optional
 * @returns the line
 * @throws TypeError on an invalid timestamp, level or message code, or a field that is not a string
 * @example
 * ```ts
 * logLine({ timestamp: '2021-08-16T19:01:33.803Z', level: 'ERROR', messageCode: 'DOE02',
 *   participant: 'MIZŠ-SI', useCase: '1.1', text: 'Evidence not available yet (delayed)' });
 * // '[2021-08-16T19:01:33.803Z] [ERROR] [DOE02] [MIZŠ-SI] [UC#1.1] Evidence not available yet (delayed)'
 * ```
 */
export function logLine(line: De4aLogLine): string {
  if (typeof line !== 'object' || line === null)
    throw new TypeError('faultline: de4a.logLine needs an object');
  const timestamp = toDate(line.timestamp).toISOString();
  const level = levelName(line.level, LOG_LEVELS);
  if (
    typeof line.messageCode !== 'string' ||
    !/^(?:[A-Z0-9]{2}[IEWD]\d{2}|\d{4})$/.test(line.messageCode)
  ) {
    throw new TypeError(
      `faultline: de4a message code '${String(line.messageCode)}' must look like DTI07 (or a log code such as 0103)`,
    );
  }
  const participant = field(line.participant, 'participant');
  const useCase = optionalField(line.useCase, 'useCase');
  const text = field(line.text, 'text');
  return (
    `[${timestamp}] [${level}] [${line.messageCode}] [${participant}]` +
    (useCase === undefined || useCase === '' ? '' : ` [UC#${useCase}]`) +
    ` ${text}`
  );
}

/**
 * One DE4A metrics line: `prefix - [YYYY-MM-DD HH:MM:SS:mmm] [level] [code] [UC#use case]
 * [origin] [destiny] text`, with no line end; an absent use case, origin or destiny is `[ ]`.
 *
 * @param line - the fields
 * @returns the line
 * @throws TypeError on an invalid timestamp, level or code, or a field that is not a string
 * @example
 * ```ts
 * metricsLine({ timestamp: '2021-07-13T14:15:51.657Z', level: 'INFO', code: 10104,
 *   origin: 'CONNECTOR DR', destiny: 'CONNECTOR DT', text: 'Connection error with CONNECTOR DT - …' });
 * // 'DE4A METRICS - [2021-07-13 14:15:51:657] [INFO] [10104] [ ] [CONNECTOR DR] [CONNECTOR DT] Connection error with CONNECTOR DT - …'
 * ```
 */
export function metricsLine(line: De4aMetricsLine): string {
  if (typeof line !== 'object' || line === null)
    throw new TypeError('faultline: de4a.metricsLine needs an object');
  const prefix = line.prefix === undefined ? 'DE4A METRICS' : field(line.prefix, 'prefix');
  const d = toDate(line.timestamp);
  const timestamp =
    `${pad(d.getUTCFullYear(), 4)}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())} ` +
    `${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}:${pad(d.getUTCMilliseconds(), 3)}`;
  const level = levelName(line.level, METRICS_LEVELS);
  const code = line.code;
  if (
    !(typeof code === 'number' && Number.isInteger(code) && code >= 0) &&
    !(typeof code === 'string' && code !== '')
  ) {
    throw new TypeError(
      `faultline: de4a metrics code '${String(code)}' must be a non-negative integer or a non-empty string`,
    );
  }
  const bracket = (value: string | undefined) =>
    value === undefined || value === '' ? '[ ]' : `[${value}]`;
  const useCase = optionalField(line.useCase, 'useCase');
  return (
    (prefix === '' ? '' : `${prefix} - `) +
    `[${timestamp}] [${level}] [${oneLine(String(code))}] ` +
    `${bracket(useCase === undefined || useCase === '' ? undefined : `UC#${useCase}`)} ` +
    `${bracket(optionalField(line.origin, 'origin'))} ${bracket(optionalField(line.destiny, 'destiny'))} ` +
    field(line.text, 'text')
  );
}

/**
 * Anything a line can be written to: a `fs.WriteStream`, `process.stdout`, `pino.destination()`.
 *
 * @example
 * ```ts
 * const lines: string[] = [];
 * const destination: De4aDestination = { write: (chunk) => lines.push(chunk) };
 * createFaultHandler({ dialect: de4a, onFault: de4a.logTo(destination, { participant: 'SGAD-ES' }) });
 * ```
 */
export interface De4aDestination {
  /** Writes one chunk: a whole line with its line end. */
  write(chunk: string): unknown;
}

/**
 * Options of {@link logTo}.
 *
 * @example
 * ```ts
 * const options: De4aLogToOptions = { participant: 'SGAD-ES', component: 'DR', useCase: '1.1' };
 * createFaultHandler({ dialect: de4a, onFault: de4a.logTo(process.stdout, options) });
 * ```
 */
export interface De4aLogToOptions {
  /** The logging participant, e.g. `SGAD-ES`; also the metrics origin by default. */
  readonly participant: string;
  /**
   * The component code of the message codes, two upper-case letters or digits (`DR`, `DT`,
   * `DO`, `DE`). `00` is the real connector's code for "no module".
   * @default '00'
   */
  readonly component?: string;
  /** Write log lines or metrics lines. @default 'log' */
  readonly format?: 'log' | 'metrics';
  /** The pilot use case of every line, or a function of the fault event. */
  readonly useCase?: string | ((event: FaultEvent) => string | undefined);
  /** The metrics prefix. @default 'DE4A METRICS' */
  readonly prefix?: string;
  /** The metrics origin. @default the participant */
  readonly origin?: string;
  /** The metrics destiny. @default the module of the fault's code, upper case (`IDK`, `DATA OWNER`), or `[ ]` for None */
  readonly destiny?: string;
  /** The time of a line. @default () => new Date() */
  readonly clock?: () => Date | number;
  /**
   * Which of DE4A's documented tables a 4-digit log code given to `message()` is looked up in (the
   * Connector's and the Authority Agent's reuse the same codes).
   * @default 'Connector'
   */
  readonly logMessages?: 'Connector' | 'Authority Agent';
}

/**
 * The hook `logTo` returns: an `onFault` function that also writes the log messages of DE4A's
 * documented tables and the connector's.
 *
 * @example
 * ```ts
 * const onFault: De4aLogHook = de4a.logTo(process.stdout, { participant: 'SGAD-ES', component: 'DT' });
 * onFault.message('DTI07', ['ResponseExtractMultiEvidenceType', 'id-1', 'sender', 'receiver', 'evidence']);
 * ```
 */
export interface De4aLogHook {
  (event: FaultEvent): void;
  /**
   * Writes one log message: `ref` is an `ELogMessage` name (`LOG_RES_EVIDENCE_DO_DT`), its
   * code when only one message has it (`DTI07`, `DOE02`), or a 4-digit code of the documented table
   * chosen by the `logMessages` option (`0108`). The parameters fill its template.
   *
   * @throws TypeError for an unknown or ambiguous message, or parameters that do not fit
   */
  message(ref: string, params?: readonly De4aParam[], options?: De4aMessageOptions): void;
}

/**
 * Options of one log message written by {@link De4aLogHook.message}.
 *
 * @example
 * ```ts
 * const options: De4aMessageOptions = { useCase: '1.1', origin: 'DATA EVALUATOR', destiny: 'CONNECTOR DR' };
 * de4a.logTo(process.stdout, { participant: 'SGAD-ES' }).message('0101', ['r-1', 'urn:x', 'de', 'do'], options);
 * ```
 */
export interface De4aMessageOptions {
  /** The pilot use case of this line; default: `logTo`'s `useCase` when it is a string. */
  readonly useCase?: string;
  /** The metrics origin of this line; default: `logTo`'s. */
  readonly origin?: string;
  /** The metrics destiny of this line; default: `logTo`'s, else none. */
  readonly destiny?: string;
}

/**
 * The DE4A level of a fault: `ERROR` for a 5xx and for the layers Internal failure,
 * Configuration and Business (DE4A's documentation logs its Business example at ERROR); `INFO`
 * for the pilot-process markers 40617/40618; `WARN` for the rest, a caller's mistakes
 * (Communications 4xx, as the real connector logs bad requests and unknown routes).
 *
 * @param fault - a resolved fault
 * @returns `ERROR`, `WARN` or `INFO`
 * @example
 * ```ts
 * faultLevel(de4a.fault(40515)); // 'ERROR'
 * ```
 */
export function faultLevel(fault: Fault): 'ERROR' | 'WARN' | 'INFO' {
  if (fault.status >= 500) return 'ERROR';
  const level = isWellFormed(fault.code)
    ? layerLogLevel(Number(String(fault.code).slice(0, 1)), Number(fault.code))
    : undefined;
  return level === 'error' ? 'ERROR' : level === 'info' ? 'INFO' : 'WARN';
}

/**
 * The IEM `Text` for `fault`: the message the handler allows, or the code's generic text when
 * that is blank (the IEM requires 1–4000 characters); cut to 4000 characters with no marker,
 * as the connector's `createError` cuts (never between the two halves of a surrogate pair).
 *
 * @param fault - the fault
 * @param message - the message the handler allows
 * @returns a non-empty text of at most 4000 characters
 * @example
 * ```ts
 * sendableText(de4a.fault(20006, ['DB', 'x']), ' '); // 'Error accessing/saving data'
 * ```
 */
export function sendableText(fault: Fault, message: string): string {
  if (message.trim() !== '') return cut(message);
  const entry = fault.dialect === 'de4a' ? DE4A_CATALOG.get(fault.code) : undefined;
  return cut(entry?.generic ?? reasonPhrase(fault.status));
}

// The first 4000 characters, with no marker; a pair the cut would split is left out whole.
function cut(text: string): string {
  if (text.length <= MAX_TEXT) return text;
  const last = text.charCodeAt(MAX_TEXT - 1);
  return text.slice(0, last >= 0xd800 && last <= 0xdbff ? MAX_TEXT - 1 : MAX_TEXT);
}

/**
 * The message code of a fault's log line: the logging component (or a business code's own
 * module), the line's level letter, and the number the connector gives that log message
 * (`10102` at ERROR from `DR` → `DRE05`, `40515` → `DOE02`).
 *
 * @param code - the fault's code
 * @param component - the logging component, e.g. `DR`
 * @param level - the line's level
 * @returns the 5-character message code
 * @throws TypeError on an invalid component or level
 * @example
 * ```ts
 * messageCodeOf(10102, 'DR', 'ERROR'); // 'DRE05'
 * messageCodeOf(40515, 'DR', 'ERROR'); // 'DOE02'
 * ```
 */
export function messageCodeOf(
  code: string | number,
  component: string,
  level: De4aLevel | (string & {}),
): string {
  const { component: own, number } = faultLogNumber(code, component);
  return messageCode({ component: own, level, template: number });
}

function closed(destination: object): boolean {
  return (
    safeGet(destination, 'destroyed') === true || safeGet(destination, 'writableEnded') === true
  );
}

/**
 * An `onFault` hook that writes one DE4A log line (or metrics line) per fault, with a line
 * end, in one `write` call. It never throws: a destination whose `write` throws loses the
 * line, and a stream that is ended or destroyed is not written to (that would make it emit
 * `error`). Asynchronous `error` events of a stream are its owner's to handle, as for any
 * Node stream. The text is the fault's own message (this is the server's log, where hidden
 * messages belong), cut to 4000 characters like the body's.
 *
 * @param destination - anything with `write(string)`
 * @param given - the options: participant, component, format and the metrics fields
 * @returns the hook, for the handler's `onFault`
 * @throws TypeError when the destination cannot be written to or an option is invalid
 * @example
 * ```ts
 * const onFault = logTo(fs.createWriteStream('de4a.log', { flags: 'a' }), { participant: 'SGAD-ES', component: 'DR' });
 * app.use(faultline({ dialect: de4a, onFault }));
 * // [2024-05-02T10:00:00.000Z] [WARN] [DRW05] [SGAD-ES] Arguments missing or invalid at /request - id
 * ```
 */
export function logTo(destination: De4aDestination, given: De4aLogToOptions): De4aLogHook {
  if (
    typeof destination !== 'object' ||
    destination === null ||
    typeof destination.write !== 'function'
  ) {
    throw new TypeError('faultline: de4a.logTo destination must have a write(string) method');
  }
  if (typeof given !== 'object' || given === null) {
    throw new TypeError('faultline: de4a.logTo options must be an object with a participant');
  }
  const options = ownOptions(given);
  const participant = options.participant;
  if (typeof participant !== 'string' || participant.trim() === '') {
    throw new TypeError(
      'faultline: de4a.logTo options.participant must be a non-empty string (e.g. SGAD-ES)',
    );
  }
  const component = options.component ?? '00';
  messageCode({ component, level: 'ERROR', template: 0 }); // validates the component now
  const format = options.format ?? 'log';
  if (format !== 'log' && format !== 'metrics') {
    throw new TypeError("faultline: de4a.logTo options.format must be 'log' or 'metrics'");
  }
  const useCase = options.useCase;
  if (useCase !== undefined && typeof useCase !== 'string' && typeof useCase !== 'function') {
    throw new TypeError('faultline: de4a.logTo options.useCase must be a string or a function');
  }
  if (typeof useCase === 'function') checkSyncFunction(useCase, 'de4a.logTo options.useCase');
  for (const name of ['prefix', 'origin', 'destiny'] as const) {
    if (options[name] !== undefined && typeof options[name] !== 'string') {
      throw new TypeError(`faultline: de4a.logTo options.${name} must be a string`);
    }
  }
  const clock = checkSyncFunction(options.clock, 'de4a.logTo options.clock') ?? (() => new Date());
  const table = options.logMessages ?? 'Connector';
  if (table !== 'Connector' && table !== 'Authority Agent') {
    throw new TypeError(
      "faultline: de4a.logTo options.logMessages must be 'Connector' or 'Authority Agent'",
    );
  }
  const { prefix, origin = participant, destiny } = options;

  const useCaseOf = (event: FaultEvent): string | undefined => {
    if (typeof useCase !== 'function') return useCase;
    try {
      const value = syncResult(useCase(event));
      return typeof value === 'string' ? value : undefined;
    } catch {
      return undefined; // a failing use-case function costs the field, not the line
    }
  };

  // One line in the chosen format; `route` gives the metrics origin and destiny.
  // A clock that returns a promise gives no time: the line is lost (logLine refuses it).
  const now = (): Date | number => syncResult(clock()) ?? Number.NaN;
  const lineOf = (
    level: string,
    code: string,
    messageCodeText: string,
    useCaseText: string | undefined,
    text: string,
    route: { origin: string; destiny?: string },
  ): string =>
    format === 'log'
      ? logLine({
          timestamp: now(),
          level,
          messageCode: messageCodeText,
          participant,
          useCase: useCaseText,
          text,
        })
      : metricsLine({
          ...(prefix === undefined ? {} : { prefix }),
          timestamp: now(),
          level,
          code,
          useCase: useCaseText,
          origin: route.origin,
          destiny: route.destiny,
          text,
        });
  const write = (line: () => string): void => {
    try {
      if (closed(destination)) return;
      destination.write(`${line()}\n`);
    } catch {
      // a log destination that fails must not break the response (the handler ignores hook
      // errors too, but a hook should not rely on it)
    }
  };

  const hook = function de4aLogLine(event: FaultEvent): void {
    write(() => {
      const fault = event.fault;
      const level = faultLevel(fault);
      const code = String(fault.code);
      return lineOf(
        level,
        code,
        messageCodeOf(code, component, level),
        useCaseOf(event),
        sendableText(fault, fault.message),
        {
          origin,
          destiny: destiny ?? moduleLabel(fault.code),
        },
      );
    });
  };
  const message = (
    ref: string,
    params: readonly De4aParam[] = [],
    extra: De4aMessageOptions = {},
  ): void => {
    const found = findMessage(ref, table);
    if (found.template === undefined) {
      throw new TypeError(
        `faultline: de4a log message ${ref} has no text in its source (${found.key ?? found.table})`,
      );
    }
    const text = fillTemplate(found.template, params);
    const useCaseText =
      extra.useCase === undefined
        ? typeof useCase === 'string'
          ? useCase
          : undefined
        : extra.useCase;
    const route = { origin: extra.origin ?? origin, destiny: extra.destiny ?? destiny };
    write(() => lineOf(found.level, found.code, found.code, useCaseText, cut(text), route));
  };
  return Object.assign(hook, { message });
}

// The log message `ref` names: an ELogMessage name, a code only one message has, or a 4-digit
// code of the documented `table`.
function findMessage(ref: string, table: 'Connector' | 'Authority Agent'): De4aLogMessage {
  if (typeof ref !== 'string')
    throw new TypeError('faultline: a de4a log message is named by a string');
  const byName = /^LOG_[A-Z_]+$/.test(ref) ? logMessagesNamed(ref) : undefined;
  const candidates =
    byName ??
    (/^\d{4}$/.test(ref) ? logMessages(ref).filter((m) => m.table === table) : logMessages(ref));
  const [first, second] = candidates;
  if (first === undefined) throw new TypeError(`faultline: '${ref}' is not a DE4A log message`);
  if (second !== undefined) {
    throw new TypeError(
      `faultline: the code ${ref} names several log messages (${candidates.map((m) => m.name ?? m.table).join(', ')}); name one`,
    );
  }
  return first;
}

function logMessagesNamed(name: string): readonly De4aLogMessage[] {
  return LOG_MESSAGES.filter((m) => m.name === name);
}

function moduleLabel(code: string | number): string | undefined {
  const module = parseCode(code)?.module;
  return module === undefined || module === 'None' ? undefined : module.toUpperCase();
}
