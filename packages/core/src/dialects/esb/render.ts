/**
 * Extra file: ESB renders through sequences, built-in or custom, not one body.
 *
 * Rendering an ESB fault: the sequence that answers it (built-in or custom), the context
 * values it reads, and the headers the gateway's handlers add (`WWW-Authenticate`,
 * `Retry-After`) before the sequence runs.
 *
 * @module
 */
import { retryAfterValue } from '../../headers.js';
import type { Fault, FaultHeaders } from '../../fault.js';
import type { DebugInfo, Encoding, RenderContext, Rendered } from '../contract.js';
import { QUOTA, SEQUENCE_NAMES, entryOf } from './catalog.js';
import type { EsbCatalogEntry, SequenceName } from './catalog.js';
import type { ResolvedSequence } from './sequences/types.js';
import { renderPayload } from './sequences/template.js';
import type { ContextValues } from './sequences/types.js';
import type { SequenceValues } from './sequences/builtin.js';
import { SEQUENCE_DEFAULTS, builtinBody, nextAccessUtc } from './sequences/builtin.js';
import { JSON_ENCODING } from './schema.js';

/** What an ESB fault carries in `params` for its sequence (a type alias: it is a `Record`). */
export type EsbParams = {
  readonly sequence?: SequenceName;
  readonly detail?: string;
  readonly nextAccessTime?: number;
  readonly baseCode?: number;
  readonly stateOrdinal?: number;
};

/**
 * Whether a value names a built-in sequence.
 *
 * @example
 * ```ts
 * isSequenceName('_auth_failure_handler_'); // true
 * ```
 */
export function isSequenceName(value: unknown): value is SequenceName {
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
  if (p === undefined || typeof p !== 'object') return NO_PARAMS;
  // Field by field rather than spread: this runs for every fault rendered.
  const params: {
    sequence?: SequenceName;
    detail?: string;
    nextAccessTime?: number;
    baseCode?: number;
    stateOrdinal?: number;
  } = {};
  if (isSequenceName(p.sequence)) params.sequence = p.sequence;
  if (typeof p.detail === 'string') params.detail = p.detail;
  if (isNumber(p.nextAccessTime)) params.nextAccessTime = p.nextAccessTime;
  if (isNumber(p.baseCode)) params.baseCode = p.baseCode;
  if (isNumber(p.stateOrdinal)) params.stateOrdinal = p.stateOrdinal;
  return params;
}

const NO_PARAMS: EsbParams = Object.freeze({});

function isNumber(value: unknown): value is number {
  return typeof value === 'number' && Number.isFinite(value);
}

/** What the configured runtime hands the renderer. */
export interface RenderSettings {
  /** The `WWW-Authenticate` value of 401 auth failures, or `undefined` for none. */
  readonly challenge: string | undefined;
  /** The custom sequence that replaces each built-in one. */
  readonly custom: ReadonlyMap<SequenceName, ResolvedSequence>;
  /** Headers the dialect owns: the handler leaves them to the renderer. */
  readonly ownHeaders: readonly string[];
  /** The fault's own headers, sanitised. */
  readonly ownFaultHeaders: FaultHeaders | undefined;
}

// The `ERROR_DETAIL` a sequence reads; the error's own description only when its message may show.
function detailOf(
  entry: EsbCatalogEntry | undefined,
  params: EsbParams,
  message: string,
  hidden: boolean,
): { text: string; own: boolean } {
  if (params.detail !== undefined && !hidden) return { text: params.detail, own: true };
  if (entry?.extra !== undefined)
    return { text: `${entry.exception ?? message}. ${entry.extra}`, own: false };
  return { text: entry?.detail ?? message, own: false };
}

// Synapse's ERROR_EXCEPTION is the Java exception; here the thrown error and its causes, in debug only.
function exceptionOf(debug: DebugInfo | undefined): string {
  if (debug === undefined) return '';
  return [debug.stack?.split('\n', 1)[0], ...debug.causes]
    .filter((s) => s !== undefined && s !== '')
    .join('; caused by: ');
}

function validTime(ms: number | undefined): Date | undefined {
  if (ms === undefined) return undefined;
  const date = new Date(ms);
  return Number.isNaN(date.getTime()) ? undefined : date;
}

// A custom sequence of `fault` also answers the sequences that end in `<sequence key="fault"/>`.
function customOf(
  name: SequenceName,
  custom: ReadonlyMap<SequenceName, ResolvedSequence>,
): ResolvedSequence | undefined {
  return (
    custom.get(name) ??
    (SEQUENCE_DEFAULTS[name].delegatesToFault === true ? custom.get('fault') : undefined)
  );
}

function encodingOf(sequence: ResolvedSequence, negotiated: Encoding): Encoding {
  const type = sequence.messageType;
  if (type === undefined) return negotiated;
  return type === 'application/json' ? JSON_ENCODING : { id: 'xml', mediaType: type };
}

/**
 * Renders a fault as the gateway's sequence for it would.
 *
 * @param fault - an ESB fault (its `params` may carry the sequence, description, next access time)
 * @param encoding - the negotiated encoding
 * @param context - the message the exposure policy allows, the request, debug data
 * @param settings - the runtime's challenge, custom sequences and header ownership
 * @returns status, headers and body
 * @example
 * ```ts
 * renderFault(esb.fault(900901), { id: 'json', mediaType: 'application/json' },
 *   { message: 'Invalid Credentials', request: {} }, settings).status; // 401
 * ```
 */
export function renderFault(
  fault: Fault,
  encoding: Encoding,
  context: RenderContext,
  settings: RenderSettings,
): Rendered {
  // `adopt` and `fromProblem` only hand on ESB faults, whose codes are integers.
  const entry = entryOf(Number(fault.code));
  const params = paramsOf(fault);
  const sequence = params.sequence ?? entry?.sequence ?? 'fault';
  const hidden = !fault.expose && context.debug === undefined;
  const detail = detailOf(entry, params, context.message, hidden);
  // The fault's own next access time, else the retry hint's (seconds from now, or a time).
  const hinted = context.retry?.after;
  const next =
    validTime(params.nextAccessTime) ??
    (hinted === undefined
      ? undefined
      : typeof hinted === 'number'
        ? new Date(Date.now() + hinted * 1000)
        : hinted);
  // Only the quota throttle-outs carry the time in the body; every throttle-out gets Retry-After.
  const quota = entry === undefined ? fault.status === 429 : entry.detail === QUOTA;
  const nextUtc =
    next !== undefined && quota && sequence === '_throttle_out_handler_'
      ? nextAccessUtc(next)
      : undefined;
  const description =
    nextUtc !== undefined && !detail.own
      ? `${detail.text} .You can access API after ${nextUtc}`
      : detail.text;
  const values: SequenceValues =
    nextUtc === undefined
      ? { code: String(fault.code), message: context.message, detail: description }
      : {
          code: String(fault.code),
          message: context.message,
          detail: description,
          nextAccessUtc: nextUtc,
        };

  const custom = customOf(sequence, settings.custom);
  const headers: Record<string, string> = {};
  // A custom sequence answering auth failures sends the headers it sets, as the documentation's
  // convert example shows (no challenge): the default challenge is the built-in sequence's.
  if (
    sequence === '_auth_failure_handler_' &&
    fault.status === 401 &&
    settings.challenge !== undefined &&
    custom === undefined
  ) {
    headers['www-authenticate'] = settings.challenge;
  }
  if (sequence === '_throttle_out_handler_' && next !== undefined)
    headers['retry-after'] = next.toUTCString();
  else if (hinted !== undefined) headers['retry-after'] = retryAfterValue(hinted);
  for (const name of settings.ownHeaders) {
    const value = settings.ownFaultHeaders?.[name];
    if (value !== undefined) headers[name] = value;
  }

  if (custom === undefined) {
    const { contentType, body } = builtinBody(sequence, encoding, values);
    headers['content-type'] = contentType;
    return { status: fault.status, headers, body };
  }
  for (const [name, value] of Object.entries(custom.set)) headers[name] = value;
  for (const name of custom.remove) delete headers[name];
  const status = custom.status ?? fault.status;
  const format = custom.format;
  if (format === undefined) {
    const { contentType, body } = builtinBody(sequence, encodingOf(custom, encoding), values);
    return { status, headers: { ...headers, 'content-type': contentType }, body };
  }
  const known: ContextValues = {
    ERROR_CODE: values.code,
    ERROR_MESSAGE: values.message,
    ERROR_DETAIL: values.detail,
    ERROR_EXCEPTION: exceptionOf(context.debug),
    HTTP_SC: String(fault.status),
    NEXT_ACCESS_TIME: next === undefined ? '' : String(next.getTime()),
    NEXT_ACCESS_UTC_TIME: next === undefined ? '' : nextAccessUtc(next),
    BASE_ERROR_CODE: params.baseCode === undefined ? '' : String(params.baseCode),
    PROTOCOL_STATE_ON_FAILURE: params.stateOrdinal === undefined ? '' : String(params.stateOrdinal),
    HTTP_METHOD: context.request.method ?? '',
  };
  const { body, mediaType } = renderPayload(custom, format, known);
  return { status, headers: { ...headers, 'content-type': `${mediaType}; charset=UTF-8` }, body };
}
