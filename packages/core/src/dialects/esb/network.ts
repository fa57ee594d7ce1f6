/**
 * Extra file: ESB turns Node network errors into transport codes, a job of its own.
 *
 * Transport faults: by the arithmetic (`esb.transportFault`) and from Node and undici network
 * errors read as Synapse transport failures (`esb.fromNetworkError`): which base code, in
 * which protocol state.
 *
 * @module
 */
import { Fault, catalogueFault, buildFault, checkStatus } from '../../fault.js';
import type { FaultHeaders } from '../../fault.js';
import { safeGet } from '../../safe.js';
import { causeLinks, codeEvent, nameEvent } from '../../pipeline/recognise/network.js';
import type { NetworkEvent } from '../../pipeline/recognise/network.js';
import { DIALECT, entryOf } from './catalog.js';
import { errorMessage, isSent } from './passthrough.js';
import {
  STATES,
  baseDescription,
  isConnectPhase,
  resolveBase,
  resolveState,
  transportCode,
} from './codes.js';
import type { ProtocolState, TransportBase, TransportCandidate } from './codes.js';

/** A network error read as a transport failure. */
export interface NetworkFailure extends TransportCandidate {
  /** The transport code: base + state. */
  readonly code: number;
}

interface Rule {
  readonly base: TransportBase;
  /** The state reached when the caller tracked none (connect-phase bases: always REQUEST_READY). */
  readonly state: ProtocolState;
}

const CONNECT_FAILED: Rule = { base: 'CONNECTION_FAILED', state: 'REQUEST_READY' };
const CANCELLED: Rule = { base: 'CONNECT_CANCEL', state: 'REQUEST_READY' };
const CONNECT_TIMEOUT: Rule = { base: 'CONNECT_TIMEOUT', state: 'REQUEST_READY' };
// A reset or an early close most often hits a request already written and waiting for its
// response head (a backend that crashed, or a reused keep-alive socket the backend closed):
// Synapse's TargetHandler is in REQUEST_DONE then.
const CLOSED: Rule = { base: 'CONNECTION_CLOSED', state: 'REQUEST_DONE' };

// What PassThrough reports for each network event; ETIMEDOUT depends on the syscall.
const BY_EVENT: Readonly<Partial<Record<NetworkEvent, Rule>>> = {
  refused: CONNECT_FAILED,
  connectTimeout: CONNECT_TIMEOUT,
  headersTimeout: { base: 'CONNECTION_TIMEOUT', state: 'REQUEST_DONE' },
  // PassThrough reports no socket timeout once the response head is in (TargetHandler.timeout
  // stops at REQUEST_DONE): the body read then fails as an I/O error in RESPONSE_BODY.
  bodyTimeout: { base: 'SND_IO_ERROR_SENDING', state: 'RESPONSE_BODY' },
  reset: CLOSED,
  closed: CLOSED,
  brokenPipe: { base: 'CONNECTION_CLOSED', state: 'REQUEST_BODY' },
  lengthMismatch: { base: 'PROTOCOL_VIOLATION', state: 'RESPONSE_BODY' },
  // llhttp's parse errors: the response head did not follow HTTP/1.1.
  protocol: { base: 'PROTOCOL_VIOLATION', state: 'RESPONSE_HEAD' },
  undiciAborted: CANCELLED,
  aborted: CANCELLED,
  signalTimeout: CANCELLED,
};
const MAX_DEPTH = 8;

// The rule of one link: its code first, else its DOMException name.
function ruleOf(value: object): Rule | undefined {
  const byCode = codeEvent(safeGet(value, 'code'));
  if (byCode === 'timeout') {
    // A connect() that timed out never sent anything; otherwise the socket idled after sending.
    return safeGet(value, 'syscall') === 'connect'
      ? CONNECT_TIMEOUT
      : { base: 'CONNECTION_TIMEOUT', state: 'REQUEST_DONE' };
  }
  const rule = byCode === undefined ? undefined : BY_EVENT[byCode];
  if (rule !== undefined) return rule;
  const byName = nameEvent(safeGet(value, 'name'));
  return byName === undefined ? undefined : BY_EVENT[byName];
}

// A state an error carries (`err.esbProtocolState`), by name or ordinal; anything else is ignored.
function carriedState(value: object): ProtocolState | undefined {
  const raw = safeGet(value, 'esbProtocolState');
  if (typeof raw !== 'string' && typeof raw !== 'number') return undefined;
  try {
    return resolveState(raw as ProtocolState).name;
  } catch {
    return undefined;
  }
}

/**
 * Reads an error and its `cause` chain (at most 8 links, cycles stopped) for a network
 * failure. Never throws on the error: every read is guarded. `fetch` throws
 * `TypeError('fetch failed')` with the socket error as its cause, so the chain is searched
 * from the top and the first known `code` (or DOMException `name`) wins.
 *
 * @param error - anything thrown
 * @param state - the protocol state the caller tracked; wins over `err.esbProtocolState`
 * @returns the failure, or `undefined` when no link is a known network error
 * @throws TypeError only when `state` is given and is not a protocol state
 * @example
 * ```ts
 * networkFailure(Object.assign(new Error('x'), { code: 'UND_ERR_HEADERS_TIMEOUT' }))?.code; // 101507
 * ```
 */
function networkFailure(
  error: unknown,
  state?: ProtocolState | number,
): NetworkFailure | undefined {
  const tracked = state === undefined ? undefined : resolveState(state).name;
  let rule: Rule | undefined;
  let carried: ProtocolState | undefined;
  for (const link of causeLinks(error, MAX_DEPTH)) {
    rule ??= ruleOf(link);
    carried ??= carriedState(link);
  }
  if (rule === undefined) return undefined;
  const base = resolveBase(rule.base);
  // A state PassThrough never sends the base in (a close in RESPONSE_DONE is a keep-alive
  // close) gives way to the one the error itself implies.
  const wanted = tracked ?? carried ?? rule.state;
  const reached: ProtocolState = isConnectPhase(base.code)
    ? 'REQUEST_READY'
    : isSent(base.name, wanted)
      ? wanted
      : rule.state;
  const stateOrdinal = STATES[reached];
  return Object.freeze({
    base: base.name,
    baseCode: base.code,
    state: reached,
    stateOrdinal,
    code: base.code + stateOrdinal,
  });
}

/**
 * Options of {@link transportFault}.
 *
 * @example
 * ```ts
 * const options: TransportFaultOptions = { status: 504, cause: new Error('socket hang up') };
 * throw esb.transportFault('CONNECTION_TIMEOUT', 'REQUEST_DONE', undefined, options);
 * ```
 */
export interface TransportFaultOptions {
  /** A status other than the `fault` sequence's 500, 400–599 (`CUSTOM_HTTP_SC`). */
  readonly status?: number;
  readonly headers?: FaultHeaders;
  readonly cause?: unknown;
}

/**
 * A fault with the transport code `base + state`, answered by the `fault` sequence with 500
 * (what the gateway sends: `CUSTOM_HTTP_SC` is unset for transport errors; 102511 keeps the
 * documentation's 400).
 *
 * @param base - a base by name or number
 * @param state - a state by name or ordinal, one PassThrough sends the base in
 * @param message - `ERROR_MESSAGE`; default: Synapse's (`Error in Sender`, `Error connecting to the back end`, `Send timeout`)
 * @param options - status, headers, cause
 * @returns the fault
 * @throws TypeError as {@link transportCode} does, or on an invalid option
 * @example
 * ```ts
 * throw esb.transportFault('CONNECTION_TIMEOUT', 'REQUEST_DONE'); // code 101507
 * ```
 */
export function transportFault(
  base: TransportBase | number,
  state: ProtocolState | number = 'REQUEST_READY',
  message?: string,
  options: TransportFaultOptions = {},
): Fault {
  const code = transportCode(base, state);
  if (message !== undefined && typeof message !== 'string')
    throw new TypeError('faultline: an ESB transport fault message must be a string');
  if (options.status !== undefined) checkStatus(options.status, 'esb.transportFault option status');
  const b = resolveBase(base);
  const s = resolveState(state).name;
  return catalogueFault({
    dialect: DIALECT,
    code,
    status: options.status ?? entryOf(code)?.status ?? 500,
    message: message ?? errorMessage(b.name, s),
    name: `${b.name}+${s}`,
    description: baseDescription(b.name),
    params: { sequence: 'fault', baseCode: b.code, stateOrdinal: code - b.code },
    expose: true,
    headers: options.headers,
    cause: options.cause,
  });
}

/**
 * The transport fault for a Node or undici network error (`fetch` failures, socket errors,
 * aborted or timed-out requests), or `undefined` when the error (and its cause chain) is not
 * one. The client gets Synapse's text for the failure, never the socket error's message (it
 * names internal hosts); the error is the fault's cause, for the log.
 *
 * @param error - anything thrown
 * @param state - the protocol state the caller tracked, e.g. `'RESPONSE_HEAD'`; an error may
 *   also carry it as `err.esbProtocolState`
 * @param correlationId - the id the fault carries (the handler's, when it builds the fault)
 * @returns the fault, without a stack of its own, or `undefined`
 * @throws TypeError only when `state` is given and is not a protocol state
 * @example
 * ```ts
 * try { await fetch(url, { signal: AbortSignal.timeout(5000) }); }
 * catch (err) { throw esb.fromNetworkError(err) ?? err; } // CONNECT_CANCEL, 101507
 * ```
 */
export function fromNetworkError(
  error: unknown,
  state?: ProtocolState | number,
  correlationId?: string,
): Fault | undefined {
  const failure = networkFailure(error, state);
  if (failure === undefined) return undefined;
  return buildFault(
    {
      dialect: DIALECT,
      code: failure.code,
      status: 500,
      message: errorMessage(failure.base, failure.state),
      name: `${failure.base}+${failure.state}`,
      description: baseDescription(failure.base),
      params: { sequence: 'fault', baseCode: failure.baseCode, stateOrdinal: failure.stateOrdinal },
      expose: true,
      cause: error,
      correlationId,
    },
    error,
  );
}
