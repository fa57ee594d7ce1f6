/**
 * Synapse transport error codes and the PassThrough arithmetic `code = base + protocolState`
 * (WSO2 API Manager's "Transport error codes" table; wso2/wso2-synapse `passthru/ErrorCodes.java`,
 * `ProtocolState.java`, `TargetErrorHandler.getErrorCode`). Only the pairs PassThrough sends
 * are codes (`passthrough.ts`).
 *
 * @module
 */
import type { CatalogEntry } from '../../catalog.js';
import { BASES, PASSTHROUGH, STATES, errorMessage, isSent } from './passthrough.js';
import type { ProtocolState, TransportBase } from './passthrough.js';

export { BASES, STATES } from './passthrough.js';
export type { ProtocolState, TransportBase } from './passthrough.js';

/**
 * One way to read a transport code: a base plus the protocol state it failed in.
 *
 * @example
 * ```ts
 * const candidates: readonly TransportCandidate[] = esb.decodeTransportCode(101507);
 * candidates.map((c) => `${c.base} + ${c.state}`); // every pair that sums to 101507
 * ```
 */
export interface TransportCandidate {
  readonly base: TransportBase;
  readonly baseCode: number;
  readonly state: ProtocolState;
  readonly stateOrdinal: number;
}

// Connect-phase failures (DeliveryAgent.errorConnecting) always pass REQUEST_READY.
const CONNECT_PHASE: ReadonlySet<number> = new Set([
  BASES.CONNECTION_FAILED,
  BASES.CONNECT_CANCEL,
  BASES.CONNECT_TIMEOUT,
]);
const BASE_NAMES = Object.keys(BASES) as TransportBase[];
const STATE_NAMES = Object.keys(STATES) as ProtocolState[];

/**
 * Whether a base is a connect-phase base (101503, 101507, 101508), whose state is always
 * REQUEST_READY.
 *
 * @param baseCode - a base code
 * @returns `true` for CONNECTION_FAILED, CONNECT_CANCEL and CONNECT_TIMEOUT
 * @example
 * ```ts
 * isConnectPhase(101507); // true
 * ```
 */
export function isConnectPhase(baseCode: number): boolean {
  return CONNECT_PHASE.has(baseCode);
}

/**
 * Resolves a base given by name or by number.
 *
 * @param base - `'CONNECTION_TIMEOUT'` or `101504`
 * @returns the name and the code
 * @throws TypeError when it is not one of the documented transport base codes
 * @example
 * ```ts
 * resolveBase(101504); // { name: 'CONNECTION_TIMEOUT', code: 101504 }
 * ```
 */
export function resolveBase(base: TransportBase | number): { name: TransportBase; code: number } {
  const name =
    typeof base === 'string'
      ? BASE_NAMES.find((n) => n === base)
      : BASE_NAMES.find((n) => BASES[n] === base);
  if (name === undefined) {
    throw new TypeError(
      `faultline: '${String(base)}' is not a transport base code (e.g. 'CONNECTION_TIMEOUT' or 101504)`,
    );
  }
  return { name, code: BASES[name] };
}

/**
 * Resolves a protocol state given by name or by ordinal.
 *
 * @param state - `'REQUEST_DONE'` or `3`
 * @returns the name and the ordinal
 * @throws TypeError when it is not one of REQUEST_READY (0) … CLOSED (8)
 * @example
 * ```ts
 * resolveState('REQUEST_DONE'); // { name: 'REQUEST_DONE', ordinal: 3 }
 * ```
 */
export function resolveState(state: ProtocolState | number): {
  name: ProtocolState;
  ordinal: number;
} {
  const name =
    typeof state === 'string'
      ? STATE_NAMES.find((n) => n === state)
      : STATE_NAMES.find((n) => STATES[n] === state);
  if (name === undefined) {
    throw new TypeError(
      `faultline: '${String(state)}' is not a protocol state (REQUEST_READY (0) … CLOSED (8))`,
    );
  }
  return { name, ordinal: STATES[name] };
}

/**
 * `TargetErrorHandler.getErrorCode`: the base plus the state's ordinal, for the pairs
 * PassThrough sends. Connect-phase bases (CONNECTION_FAILED, CONNECT_CANCEL, CONNECT_TIMEOUT)
 * and the NHTTP transport's codes only exist with REQUEST_READY; the other bases only in the
 * states PassThrough reports them in (a close in REQUEST_READY is a keep-alive close, not a
 * fault). Any other pair is a `TypeError`, not a code no gateway sends.
 *
 * @param base - a base by name or number
 * @param state - a state by name or ordinal; default REQUEST_READY
 * @returns the transport error code
 * @throws TypeError on an unknown base or state, or a pair PassThrough never sends
 * @example
 * ```ts
 * transportCode('CONNECTION_TIMEOUT', 'REQUEST_DONE'); // 101507
 * transportCode('SND_HTTP_ERROR', 'REQUEST_HEAD');    // 102511, the documentation's "Incomplete payload"
 * transportCode(101503); // 101503
 * ```
 */
export function transportCode(
  base: TransportBase | number,
  state: ProtocolState | number = 'REQUEST_READY',
): number {
  const b = resolveBase(base);
  const s = resolveState(state);
  if (!isSent(b.name, s.name)) {
    const rule = PASSTHROUGH[b.name];
    if (isConnectPhase(b.code)) {
      throw new TypeError(
        `faultline: ${b.name} is a connect-phase code; its state is always REQUEST_READY, not ${s.name}`,
      );
    }
    if (rule.states.length === 0) {
      throw new TypeError(
        `faultline: ${b.name} is the NHTTP transport's code and carries no state; its state is always REQUEST_READY, not ${s.name}`,
      );
    }
    throw new TypeError(
      `faultline: PassThrough sends ${b.name} only in ${rule.states.join(', ')}, not in ${s.name}`,
    );
  }
  return b.code + s.ordinal;
}

/**
 * Every (base, state) pair PassThrough sends whose sum is `code`, ordered by base. The
 * arithmetic is not reversible: 101507 is CONNECTION_TIMEOUT + REQUEST_DONE as well as
 * CONNECT_CANCEL + REQUEST_READY (and three more pairs). The NHTTP transport's codes
 * (101000, 101001, 101501, 101509, 101510) are no PassThrough pair: they are listed only as
 * the sums of other bases that PassThrough sends.
 *
 * @param code - a transport code, as a number or a string of digits (as JSON bodies carry it)
 * @returns the candidates; empty when no pair sums to `code`
 * @throws TypeError when `code` is not an integer
 * @example
 * ```ts
 * decodeTransportCode(101507).map((c) => `${c.base}+${c.state}`);
 * // includes 'CONNECTION_TIMEOUT+REQUEST_DONE' and 'CONNECT_CANCEL+REQUEST_READY'
 * decodeTransportCode(102511); // [SND_HTTP_ERROR + REQUEST_HEAD]
 * ```
 */
export function decodeTransportCode(code: number | string): readonly TransportCandidate[] {
  const value = typeof code === 'string' && /^\d{1,9}$/.test(code) ? Number(code) : code;
  if (typeof value !== 'number' || !Number.isSafeInteger(value)) {
    throw new TypeError(`faultline: '${String(code)}' is not a transport code`);
  }
  const found: TransportCandidate[] = [];
  for (const base of BASE_NAMES) {
    const stateOrdinal = value - BASES[base];
    const state = STATE_NAMES[stateOrdinal];
    if (stateOrdinal < 0 || state === undefined || !PASSTHROUGH[base].states.includes(state))
      continue;
    found.push(Object.freeze({ base, baseCode: BASES[base], state, stateOrdinal }));
  }
  return Object.freeze(found);
}

// The status the default `fault` sequence sends for them: CUSTOM_HTTP_SC is unset, so 500.
const TRANSPORT_STATUS = 500;
// The one base the documentation's table does not list.
const UNDOCUMENTED: TransportBase = 'SND_HTTP_ERROR';

/**
 * The documentation's "Detail" text of each base (WSO2 API Manager, "Error Handling",
 * "Transport error codes"), which `explain` and `decodeTransportCode` readers show; the
 * gateway itself sends Synapse's `ERROR_MESSAGE` (`passthrough.ts`).
 *
 * @example
 * ```ts
 * BASE_DETAILS.CONNECT_CANCEL; // 'Connection canceled'
 * ```
 */
export const BASE_DETAILS: Readonly<Record<TransportBase, string>> = {
  RCV_IO_ERROR_SENDING: 'Receiver input/output error sending',
  RCV_IO_ERROR_RECEIVING: 'Receiver input/output error receiving',
  SND_IO_ERROR_SENDING: 'Sender input/output error sending',
  SND_IO_ERROR_RECEIVING: 'Sender input/output error receiving',
  CONNECTION_FAILED: 'Connection failed',
  CONNECTION_TIMEOUT:
    'Connection timed out (no input was detected on this connection over the maximum period of inactivity)',
  CONNECTION_CLOSED: 'Connection closed',
  PROTOCOL_VIOLATION: 'NHTTP protocol violation',
  CONNECT_CANCEL: 'Connection canceled',
  CONNECT_TIMEOUT: 'Request to establish new connection timed out',
  SEND_ABORT: 'Send abort',
  RESPONSE_PROCESSING_FAILURE: 'Response processing failed',
  // Not in the table; the table's 102511 "Incomplete payload" is this base + REQUEST_HEAD.
  SND_HTTP_ERROR: 'Sender HTTP error or invalid connection state',
};

/**
 * What a base code means, for the catalogue and for faults of base + state.
 *
 * @param name - the base
 * @returns the description
 * @example
 * ```ts
 * baseDescription('CONNECT_CANCEL'); // '… a connect-phase code, always sent with REQUEST_READY (0).'
 * ```
 */
export function baseDescription(name: TransportBase): string {
  const rule = PASSTHROUGH[name];
  if (rule.states.length === 0) {
    return 'Synapse transport error of the NHTTP transport, sent as it is (no protocol state). PassThrough never sends it with this meaning; the same number may be another base plus a state (decodeTransportCode).';
  }
  const sent = isConnectPhase(BASES[name])
    ? 'a connect-phase code, always sent with REQUEST_READY (0)'
    : `sent in ${rule.states.join(', ')}`;
  return `Synapse transport error (${rule.source}). With the PassThrough transport the code sent is this base plus the protocol state the connection failed in; ${sent}.`;
}

/**
 * The transport table as catalogue entries: the message is what PassThrough sends for the
 * base (`Error in Sender`, `Error connecting to the back end`, `Send timeout`), the
 * documentation's "Detail" text is `documentedMessage`.
 *
 * @example
 * ```ts
 * TRANSPORT_ENTRIES.find((e) => e.code === 101504)?.message; // 'Send timeout'
 * ```
 */
export const TRANSPORT_ENTRIES: readonly (CatalogEntry<number> & {
  readonly documentedMessage?: string;
})[] = BASE_NAMES.map((name) => ({
  code: BASES[name],
  status: TRANSPORT_STATUS,
  name,
  message: errorMessage(name, 'REQUEST_READY'),
  description: baseDescription(name),
  ...(name === UNDOCUMENTED ? {} : { documentedMessage: BASE_DETAILS[name] }),
}));
