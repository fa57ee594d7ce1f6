/**
 * Building ESB faults: by code (`esb.fault`), by transport arithmetic (`esb.transportFault`)
 * and from a Node network error (`esb.fromNetworkError`), plus reading back what a fault
 * carries for its sequence.
 *
 * @module
 */
import { makeCatalog } from '../../catalog.js';
import { Fault, isErrorStatus } from '../../fault.js';
import type { FaultHeaders } from '../../fault.js';
import { reasonPhrase } from '../../status.js';
import { ESB_ENTRIES, SEQUENCE_NAMES } from './catalog.js';
import type { EsbCatalogCode, EsbCatalogEntry, SequenceName } from './catalog.js';
import { SEQUENCE_DEFAULTS } from './sequences/builtin.js';

/** The dialect's id, `esb`. */
export const DIALECT = 'esb';

/**
 * The ESB catalogue: the seed's codes and the transport codes.
 *
 * @example
 * ```ts
 * catalog.get(900805)?.status; // 429
 * ```
 */
export const catalog = makeCatalog<number>(DIALECT, ESB_ENTRIES);
const entries: ReadonlyMap<number, EsbCatalogEntry> = new Map(ESB_ENTRIES.map((e) => [e.code, e]));

/**
 * An ESB code: one of the catalogue's, or any other non-negative integer (`ERROR_CODE`).
 *
 * @example
 * ```ts
 * const code: EsbCode = 900901; // or a code of your own, e.g. 900950
 * throw esb.fault(code);
 * ```
 */
export type EsbCode = EsbCatalogCode | (number & {});

/**
 * Options of {@link fault}.
 *
 * @example
 * ```ts
 * const options: EsbFaultOptions = { nextAccessTime: new Date(Date.now() + 60_000) };
 * throw esb.fault(900800, options); // quota exceeded, with Retry-After
 * ```
 */
export interface EsbFaultOptions {
  /** `ERROR_MESSAGE`; default: the catalogue's (the gateway constant). */
  readonly message?: string;
  /** `ERROR_DETAIL`, the `description` of auth and throttling bodies; default: the gateway's text. */
  readonly description?: string;
  /** When the client may call again: `Retry-After` and, for quota codes, `nextAccessTime`. */
  readonly nextAccessTime?: Date;
  /** Extra response headers. */
  readonly headers?: FaultHeaders;
  /** The error that caused this one. */
  readonly cause?: unknown;
  /** Whether the message may reach the client. Faults built here are deliberate. @default true */
  readonly expose?: boolean;
  /** `CUSTOM_HTTP_SC`: a status other than the catalogue's, 400–599. */
  readonly status?: number;
  /** The sequence that answers, instead of the code's own (e.g. `_production_key_error_`). */
  readonly sequence?: SequenceName;
}

/** What an ESB fault carries in `params` for its sequence (a type alias: it is a `Record`). */
export type EsbParams = {
  readonly sequence?: SequenceName;
  readonly detail?: string;
  readonly nextAccessTime?: number;
  readonly baseCode?: number;
  readonly stateOrdinal?: number;
};

/**
 * The catalogue entry of a code, with the gateway's data.
 *
 * @param code - an ESB code
 * @returns the entry, or `undefined`
 * @example
 * ```ts
 * entryOf(900901)?.extra; // 'Make sure you have provided the correct security credentials'
 * ```
 */
export function entryOf(code: number): EsbCatalogEntry | undefined {
  return entries.get(code);
}

function isSequenceName(value: unknown): value is SequenceName {
  return (SEQUENCE_NAMES as readonly unknown[]).includes(value);
}

/**
 * The sequence data of a fault's `params`, each field checked (a fault may be built by hand).
 *
 * @param fault - any fault
 * @returns the valid fields
 * @example
 * ```ts
 * paramsOf(esb.transportFault(101504, 3)); // { sequence: 'fault', baseCode: 101504, stateOrdinal: 3 }
 * ```
 */
export function paramsOf(fault: Fault): EsbParams {
  const p = fault.params;
  if (p === undefined || typeof p !== 'object') return {};
  const num = (v: unknown) => (typeof v === 'number' && Number.isFinite(v) ? v : undefined);
  return {
    ...(isSequenceName(p.sequence) ? { sequence: p.sequence } : {}),
    ...(typeof p.detail === 'string' ? { detail: p.detail } : {}),
    ...(num(p.nextAccessTime) === undefined ? {} : { nextAccessTime: num(p.nextAccessTime) }),
    ...(num(p.baseCode) === undefined ? {} : { baseCode: num(p.baseCode) }),
    ...(num(p.stateOrdinal) === undefined ? {} : { stateOrdinal: num(p.stateOrdinal) }),
  };
}

function checkOptions(options: EsbFaultOptions): void {
  const bad = (name: string, what: string) => new TypeError(`faultline: esb.fault option ${name} must be ${what}`);
  if (typeof options !== 'object' || options === null) throw new TypeError('faultline: esb.fault options must be an object');
  if (options.message !== undefined && typeof options.message !== 'string') throw bad('message', 'a string');
  if (options.description !== undefined && typeof options.description !== 'string') throw bad('description', 'a string');
  if (options.expose !== undefined && typeof options.expose !== 'boolean') throw bad('expose', 'a boolean');
  if (options.status !== undefined && !isErrorStatus(options.status)) throw bad('status', 'an integer in 400-599');
  if (options.sequence !== undefined && !isSequenceName(options.sequence)) throw bad('sequence', `one of ${SEQUENCE_NAMES.join(', ')}`);
  const next = options.nextAccessTime;
  if (next !== undefined && Number.isNaN(timeOf(next))) throw bad('nextAccessTime', 'a valid Date');
}

// The time of a Date, from this realm or another (a vm context); NaN for anything else.
function timeOf(value: unknown): number {
  try {
    return Date.prototype.getTime.call(value);
  } catch {
    return NaN;
  }
}

/**
 * Builds an ESB fault. The catalogue gives the status, the message (the gateway's constant)
 * and the sequence; an explicit `sequence` brings its own code defaults (e.g.
 * `_production_key_error_` sends 403 with "Production key offered to the API with no
 * production endpoint", `_resource_mismatch_handler_` sends 404 with "No matching resource found
 * for given API Request").
 *
 * @param code - e.g. `900901`, `101507`, or any other non-negative integer
 * @param options - message, description, next access time, headers, cause, exposure, status, sequence
 * @returns the fault, ready to throw
 * @throws TypeError when the code is not a non-negative integer or an option is invalid
 * @example
 * ```ts
 * throw esb.fault(900901);
 * throw esb.fault(900800, { nextAccessTime: new Date(Date.now() + 60_000) });
 * throw esb.fault(404, { sequence: '_resource_mismatch_handler_' }); // the API has no such resource
 * throw esb.fault(405); // the resource has no such method
 * ```
 */
export function fault(code: EsbCode, options: EsbFaultOptions = {}): Fault {
  if (typeof code !== 'number' || !Number.isSafeInteger(code) || code < 0) {
    throw new TypeError(`faultline: '${String(code)}' is not an ESB error code (e.g. 900901)`);
  }
  checkOptions(options);
  const entry = entryOf(code);
  const own = options.sequence === undefined ? undefined : SEQUENCE_DEFAULTS[options.sequence];
  const fixed = own?.code === undefined ? undefined : own;
  const sequence = options.sequence ?? entry?.sequence ?? 'fault';
  const status = options.status ?? fixed?.status ?? entry?.status ?? SEQUENCE_DEFAULTS[sequence].status;
  const params: EsbParams = {
    ...(options.sequence === undefined ? {} : { sequence: options.sequence }),
    ...(options.description === undefined ? {} : { detail: options.description }),
    ...(options.nextAccessTime === undefined ? {} : { nextAccessTime: timeOf(options.nextAccessTime) }),
  };
  return new Fault({
    dialect: DIALECT,
    code,
    status,
    message: options.message ?? fixed?.message ?? own?.messages?.[code] ?? entry?.message ?? reasonPhrase(status),
    name: entry?.name ?? String(code),
    description: options.description ?? entry?.description,
    params: Object.keys(params).length === 0 ? undefined : params,
    expose: options.expose ?? true,
    headers: options.headers,
    cause: options.cause,
  });
}
