/**
 * DE4A log and metrics lines, byte for byte as the seed writes them, and `logTo`, the
 * `onFault` hook that writes one such line per fault.
 *
 * @module
 */
import type { Fault } from '../../fault.js';
import type { FaultEvent } from '../../handler.js';
import { checkSyncFunction, ownOptions, safeGet, syncResult, truncate } from '../../safe.js';
import { reasonPhrase } from '../../status.js';
import { DE4A_CATALOG, layerLogLevel } from './catalog.js';
import { isWellFormed, messageCode, parseCode } from './codes.js';
import type { De4aLevel } from './codes.js';

/** The longest text of a log line or body, the IEM `Text` limit: a log line repeats the body's text. */
const MAX_TEXT = 4000;

/**
 * A log line (seed, "General structure").
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
  /** The 5-character message code, e.g. `DTI07` (see `de4a.messageCode`). */
  readonly messageCode: string;
  /** The logging participant: acronym + `-` + country code, e.g. `SGAD-ES`. */
  readonly participant: string;
  /** The pilot use case, e.g. `1.1`, written `[UC#1.1]` before the text. */
  readonly useCase?: string;
  /** The message, e.g. a filled template. */
  readonly text: string;
}

/**
 * A metrics line (seed, "Complementary syntaxis for the logs to be collected").
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

const LOG_LEVELS: Readonly<Record<string, string>> = { INFO: 'INFO', ERROR: 'ERROR', WARN: 'WARN', WARNING: 'WARN', DEBUG: 'DEBUG' };
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
const LINE_BREAKING = /\r\n|[\u0000-\u0008\u000A-\u001F\u007F-\u009F\u2028\u2029\u202A-\u202E\u2066-\u2069]/g;

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
  const date = value === undefined ? new Date() : new Date(value instanceof Date ? value.getTime() : value);
  if (Number.isNaN(date.getTime())) {
    throw new TypeError(`faultline: de4a timestamp '${String(value)}' is not a valid date`);
  }
  return date;
}

function levelName(level: unknown, names: Readonly<Record<string, string>>): string {
  const name = typeof level === 'string' ? names[level.toUpperCase()] : undefined;
  if (name === undefined) {
    throw new TypeError(`faultline: de4a level '${String(level)}' must be one of ${Object.keys(names).join(', ')}`);
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
  if (typeof line !== 'object' || line === null) throw new TypeError('faultline: de4a.logLine needs an object');
  const timestamp = toDate(line.timestamp).toISOString();
  const level = levelName(line.level, LOG_LEVELS);
  if (typeof line.messageCode !== 'string' || !/^[A-Z0-9]{2}[IEWD]\d{2}$/.test(line.messageCode)) {
    throw new TypeError(`faultline: de4a message code '${String(line.messageCode)}' must look like DTI07`);
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
  if (typeof line !== 'object' || line === null) throw new TypeError('faultline: de4a.metricsLine needs an object');
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
    throw new TypeError(`faultline: de4a metrics code '${String(code)}' must be a non-negative integer or a non-empty string`);
  }
  const bracket = (value: string | undefined) => (value === undefined || value === '' ? '[ ]' : `[${value}]`);
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
}

/**
 * The DE4A level of a fault: `ERROR` for a 5xx and for the layers Internal failure,
 * Configuration and Business (the seed logs its Business example at ERROR); `INFO` for the
 * pilot-process markers 40617/40618; `WARN` for the rest, a caller's mistakes
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
 * that is blank (the IEM requires 1–4000 characters); cut to 4000 characters.
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
  const entry = fault.dialect === 'de4a' ? DE4A_CATALOG.get(fault.code) : undefined;
  const text = message.trim() === '' ? (entry?.generic ?? reasonPhrase(fault.status)) : message;
  return truncate(text, MAX_TEXT);
}

// The template number of a message code: a 5-digit code's type, a message code's digits.
function templateNumber(code: string | number): number {
  const text = String(code);
  if (isWellFormed(text)) return Number(text.slice(3));
  const match = /^[A-Z0-9]{2}[IEWD](\d\d)$/.exec(text);
  return match === null ? 0 : Number(match[1]);
}

function closed(destination: object): boolean {
  return safeGet(destination, 'destroyed') === true || safeGet(destination, 'writableEnded') === true;
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
 * @param options - participant, component, format and the metrics fields
 * @returns the hook, for the handler's `onFault`
 * @throws TypeError when the destination cannot be written to or an option is invalid
 * @example
 * ```ts
 * const onFault = logTo(fs.createWriteStream('de4a.log', { flags: 'a' }), { participant: 'SGAD-ES', component: 'DR' });
 * app.use(faultline({ dialect: de4a, onFault }));
 * // [2024-05-02T10:00:00.000Z] [WARN] [DRW02] [SGAD-ES] Arguments missing or invalid at /request - id
 * ```
 */
export function logTo(destination: De4aDestination, given: De4aLogToOptions): (event: FaultEvent) => void {
  if (typeof destination !== 'object' || destination === null || typeof destination.write !== 'function') {
    throw new TypeError('faultline: de4a.logTo destination must have a write(string) method');
  }
  if (typeof given !== 'object' || given === null) {
    throw new TypeError('faultline: de4a.logTo options must be an object with a participant');
  }
  const options = ownOptions(given);
  const participant = options.participant;
  if (typeof participant !== 'string' || participant.trim() === '') {
    throw new TypeError('faultline: de4a.logTo options.participant must be a non-empty string (e.g. SGAD-ES)');
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

  return function de4aLogLine(event: FaultEvent): void {
    try {
      if (closed(destination)) return;
      const fault = event.fault;
      const level = faultLevel(fault);
      const text = sendableText(fault, fault.message);
      const timestamp = syncResult(clock()) ?? new Date(Number.NaN);
      const line =
        format === 'log'
          ? logLine({
              timestamp,
              level,
              messageCode: messageCode({ component, level, template: templateNumber(fault.code) }),
              participant,
              useCase: useCaseOf(event),
              text,
            })
          : metricsLine({
              ...(prefix === undefined ? {} : { prefix }),
              timestamp,
              level,
              code: String(fault.code),
              useCase: useCaseOf(event),
              origin,
              destiny: destiny ?? moduleLabel(fault.code),
              text,
            });
      destination.write(`${line}\n`);
    } catch {
      // a log destination that fails must not break the response (the handler ignores hook
      // errors too, but a hook should not rely on it)
    }
  };
}

function moduleLabel(code: string | number): string | undefined {
  const module = parseCode(code)?.module;
  return module === undefined || module === 'None' ? undefined : module.toUpperCase();
}
