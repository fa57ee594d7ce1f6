/**
 * Extra file: Synapse's PassThrough transport, its base codes, states and what it sends, which codes.ts and network.ts read.
 *
 * What Synapse's PassThrough transport actually sends for each transport base: the protocol
 * states it adds to the base, and the `ERROR_MESSAGE` it sets (wso2/wso2-synapse `f30492dc`,
 * `modules/transports/core/nhttp/.../transport/passthru/{TargetHandler,DeliveryAgent,
 * TargetErrorHandler}.java` and `modules/core/.../core/axis2/TimeoutHandler.java`). The
 * documentation's table texts stay in `codes.ts` for `explain` and `decodeTransportCode`.
 *
 * @module
 */
/**
 * The base codes of the documentation's transport table, by Synapse's `NhttpConstants` names,
 * and PassThrough's `SND_HTTP_ERROR` (= `SND_INVALID_STATE`, 102510).
 *
 * @example
 * ```ts
 * BASES.CONNECTION_TIMEOUT; // 101504
 * ```
 */
export const BASES = Object.freeze({
  RCV_IO_ERROR_SENDING: 101000,
  RCV_IO_ERROR_RECEIVING: 101001,
  SND_IO_ERROR_SENDING: 101500,
  SND_IO_ERROR_RECEIVING: 101501,
  CONNECTION_FAILED: 101503,
  CONNECTION_TIMEOUT: 101504,
  CONNECTION_CLOSED: 101505,
  PROTOCOL_VIOLATION: 101506,
  CONNECT_CANCEL: 101507,
  CONNECT_TIMEOUT: 101508,
  SEND_ABORT: 101509,
  RESPONSE_PROCESSING_FAILURE: 101510,
  SND_HTTP_ERROR: 102510,
} as const);

/**
 * The PassThrough `ProtocolState` ordinals of the documentation's table.
 *
 * @example
 * ```ts
 * STATES.REQUEST_DONE; // 3
 * ```
 */
export const STATES = Object.freeze({
  REQUEST_READY: 0,
  REQUEST_HEAD: 1,
  REQUEST_BODY: 2,
  REQUEST_DONE: 3,
  RESPONSE_HEAD: 4,
  RESPONSE_BODY: 5,
  RESPONSE_DONE: 6,
  CLOSING: 7,
  CLOSED: 8,
} as const);

/**
 * The name of a transport base code, e.g. `CONNECTION_TIMEOUT`.
 *
 * @example
 * ```ts
 * const base: TransportBase = 'CONNECTION_TIMEOUT';
 * throw esb.transportFault(base, 'REQUEST_DONE'); // code 101507
 * ```
 */
export type TransportBase = keyof typeof BASES;
/**
 * The name of a protocol state, e.g. `REQUEST_DONE`.
 *
 * @example
 * ```ts
 * const state: ProtocolState = 'REQUEST_DONE';
 * esb.transportCode('CONNECTION_TIMEOUT', state); // 101507
 * ```
 */
export type ProtocolState = keyof typeof STATES;

/** One base as PassThrough sends it. */
export interface PassThroughRule {
  /**
   * The states PassThrough adds to the base (`TargetErrorHandler.getErrorCode`); empty for the
   * NHTTP transport's codes, which PassThrough never sends and which carry no state.
   */
  readonly states: readonly ProtocolState[];
  /** The `ERROR_MESSAGE` the fault sequence sends in `description`. */
  readonly message: string;
  /** The message in particular states, where it is not {@link message}. */
  readonly messageIn?: Readonly<Partial<Record<ProtocolState, string>>>;
  /** The Synapse source that sends it. */
  readonly source: string;
}

/**
 * `TargetHandler`'s message for every failure on an established connection.
 *
 * @example
 * ```ts
 * PASSTHROUGH.CONNECTION_CLOSED.message === ERROR_IN_SENDER; // true
 * ```
 */
export const ERROR_IN_SENDER = 'Error in Sender';
const CONNECTING = 'Error connecting to the back end';
const EVERY: readonly ProtocolState[] = [
  'REQUEST_READY',
  'REQUEST_HEAD',
  'REQUEST_BODY',
  'REQUEST_DONE',
  'RESPONSE_HEAD',
  'RESPONSE_BODY',
  'RESPONSE_DONE',
  'CLOSING',
  'CLOSED',
];
// TargetHandler.exception reports every state but RESPONSE_DONE (the exchange is over then).
const BUT_DONE = EVERY.filter((s) => s !== 'RESPONSE_DONE');
const READY_ONLY: readonly ProtocolState[] = ['REQUEST_READY'];
const NHTTP = (message: string): PassThroughRule => ({
  states: [],
  message,
  source: 'NhttpConstants (the NHTTP transport; PassThrough never sends it)',
});

/**
 * Every base, as PassThrough sends it.
 *
 * @example
 * ```ts
 * PASSTHROUGH.CONNECTION_CLOSED.states; // ['REQUEST_HEAD', …, 'RESPONSE_BODY']
 * PASSTHROUGH.CONNECT_CANCEL.message;   // 'Error connecting to the back end'
 * ```
 */
export const PASSTHROUGH: Readonly<Record<TransportBase, PassThroughRule>> = Object.freeze({
  RCV_IO_ERROR_SENDING: NHTTP('Receiver input/output error sending'),
  RCV_IO_ERROR_RECEIVING: NHTTP('Receiver input/output error receiving'),
  SND_IO_ERROR_SENDING: {
    states: BUT_DONE,
    message: ERROR_IN_SENDER,
    source: 'TargetHandler (ErrorCodes.SND_IO_ERROR)',
  },
  SND_IO_ERROR_RECEIVING: NHTTP('Sender input/output error receiving'),
  CONNECTION_FAILED: {
    states: READY_ONLY,
    message: CONNECTING,
    source: 'DeliveryAgent.errorConnecting',
  },
  // The endpoint timeout (TimeoutHandler) and a full delivery queue are sent in REQUEST_READY;
  // TargetHandler.timeout reports a socket timeout only up to REQUEST_DONE.
  CONNECTION_TIMEOUT: {
    states: ['REQUEST_READY', 'REQUEST_HEAD', 'REQUEST_BODY', 'REQUEST_DONE'],
    message: ERROR_IN_SENDER,
    messageIn: { REQUEST_READY: 'Send timeout' },
    source: 'TimeoutHandler, TargetHandler.timeout',
  },
  // TargetHandler.closed: a close in REQUEST_READY or RESPONSE_DONE is a keep-alive close.
  CONNECTION_CLOSED: {
    states: ['REQUEST_HEAD', 'REQUEST_BODY', 'REQUEST_DONE', 'RESPONSE_HEAD', 'RESPONSE_BODY'],
    message: ERROR_IN_SENDER,
    source: 'TargetHandler.closed',
  },
  PROTOCOL_VIOLATION: {
    states: BUT_DONE,
    message: ERROR_IN_SENDER,
    source: 'TargetHandler.exception',
  },
  CONNECT_CANCEL: {
    states: READY_ONLY,
    message: CONNECTING,
    source: 'DeliveryAgent.errorConnecting',
  },
  CONNECT_TIMEOUT: {
    states: READY_ONLY,
    message: CONNECTING,
    source: 'DeliveryAgent.errorConnecting',
  },
  SEND_ABORT: NHTTP('Send abort'),
  RESPONSE_PROCESSING_FAILURE: NHTTP('Response processing failed'),
  // handleInvalidState reports whatever state the connection is in.
  SND_HTTP_ERROR: {
    states: EVERY,
    message: ERROR_IN_SENDER,
    source: 'TargetHandler (ErrorCodes.SND_HTTP_ERROR = SND_INVALID_STATE)',
  },
});

/**
 * Whether PassThrough sends a base with a state, or (for the NHTTP transport's codes) the
 * base as it is, in REQUEST_READY.
 *
 * @param base - a base
 * @param state - a state
 * @returns `true` when the pair is one a gateway sends
 * @example
 * ```ts
 * isSent('CONNECTION_CLOSED', 'REQUEST_READY'); // false: a keep-alive close
 * isSent('SEND_ABORT', 'REQUEST_READY');        // true: the NHTTP code as it is
 * ```
 */
export function isSent(base: TransportBase, state: ProtocolState): boolean {
  const rule = PASSTHROUGH[base];
  return rule.states.length === 0 ? state === 'REQUEST_READY' : rule.states.includes(state);
}

/**
 * The `ERROR_MESSAGE` a transport fault of a base in a state carries.
 *
 * @param base - a base
 * @param state - a state it is sent in
 * @returns Synapse's message, e.g. `Error in Sender`
 * @example
 * ```ts
 * errorMessage('CONNECTION_TIMEOUT', 'REQUEST_READY'); // 'Send timeout'
 * errorMessage('CONNECTION_TIMEOUT', 'REQUEST_DONE');  // 'Error in Sender'
 * ```
 */
export function errorMessage(base: TransportBase, state: ProtocolState): string {
  const rule = PASSTHROUGH[base];
  return rule.messageIn?.[state] ?? rule.message;
}
