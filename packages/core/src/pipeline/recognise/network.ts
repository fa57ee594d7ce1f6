/**
 * Recognising a failed dependency call: the one table of the codes (and DOMException names) by
 * which Node and undici report what happened to a call, also inside `fetch`'s `cause`. Each
 * dialect maps the event to its own answer: X-Road's NetworkError, XKS's
 * DependencyTimeoutException, an ESB transport code, a problem 502 or 504.
 *
 * @module
 */
import { causes, safeGet } from '../../safe.js';
import type { Problem } from '../types.js';

/**
 * What happened to a dependency call, as an error's `code` or `name` tells it.
 *
 * @example
 * ```ts
 * const event: NetworkEvent = NETWORK_CODES.ECONNREFUSED; // 'refused'
 * ```
 */
export type NetworkEvent =
  /** Never connected: refused, no such host, no route (`ECONNREFUSED`, `ENOTFOUND`, `EAI_AGAIN`, …). */
  | 'refused'
  /** The peer reset the connection (`ECONNRESET`). */
  | 'reset'
  /** undici's socket closed under the request (`UND_ERR_SOCKET`). */
  | 'closed'
  /** Written to a closed socket (`EPIPE`). */
  | 'brokenPipe'
  /** A connect or an idle socket timed out (`ETIMEDOUT`; its `syscall` says which). */
  | 'timeout'
  /** The `request` library's socket timeout (`ESOCKETTIMEDOUT`). */
  | 'socketTimeout'
  /** undici's connect timeout (`UND_ERR_CONNECT_TIMEOUT`). */
  | 'connectTimeout'
  /** undici waited too long for the response head (`UND_ERR_HEADERS_TIMEOUT`). */
  | 'headersTimeout'
  /** undici waited too long for the response body (`UND_ERR_BODY_TIMEOUT`). */
  | 'bodyTimeout'
  /** An AbortSignal ended the call (`ABORT_ERR`, `AbortError`). */
  | 'aborted'
  /** `AbortSignal.timeout` ended the call (`TimeoutError`). */
  | 'signalTimeout'
  /** undici aborted the request (`UND_ERR_ABORTED`). */
  | 'undiciAborted'
  /** The body was shorter or longer than its Content-Length (`UND_ERR_RES_CONTENT_LENGTH_MISMATCH`). */
  | 'lengthMismatch'
  /** llhttp could not parse the response (`HPE_*`). */
  | 'protocol';

/**
 * Node's and undici's error codes, by the event they report.
 *
 * @example
 * ```ts
 * NETWORK_CODES.UND_ERR_HEADERS_TIMEOUT; // 'headersTimeout'
 * ```
 */
export const NETWORK_CODES: Readonly<Record<string, NetworkEvent>> = Object.freeze({
  ECONNREFUSED: 'refused',
  ENOTFOUND: 'refused',
  EAI_AGAIN: 'refused',
  EHOSTUNREACH: 'refused',
  ENETUNREACH: 'refused',
  ECONNRESET: 'reset',
  UND_ERR_SOCKET: 'closed',
  EPIPE: 'brokenPipe',
  ETIMEDOUT: 'timeout',
  ESOCKETTIMEDOUT: 'socketTimeout',
  UND_ERR_CONNECT_TIMEOUT: 'connectTimeout',
  UND_ERR_HEADERS_TIMEOUT: 'headersTimeout',
  UND_ERR_BODY_TIMEOUT: 'bodyTimeout',
  ABORT_ERR: 'aborted',
  UND_ERR_ABORTED: 'undiciAborted',
  UND_ERR_RES_CONTENT_LENGTH_MISMATCH: 'lengthMismatch',
});

/**
 * DOMException names (their `code` is a number) of `fetch` with an aborted or timed-out signal.
 *
 * @example
 * ```ts
 * NETWORK_NAMES.TimeoutError; // 'signalTimeout'
 * ```
 */
export const NETWORK_NAMES: Readonly<Record<string, NetworkEvent>> = Object.freeze({
  AbortError: 'aborted',
  TimeoutError: 'signalTimeout',
});

/**
 * The event an error `code` reports, or `undefined`.
 *
 * @example
 * ```ts
 * codeEvent('HPE_INVALID_CONSTANT'); // 'protocol'
 * ```
 */
export function codeEvent(code: unknown): NetworkEvent | undefined {
  if (typeof code !== 'string') return undefined;
  if (Object.hasOwn(NETWORK_CODES, code)) return NETWORK_CODES[code];
  return code.startsWith('HPE_') ? 'protocol' : undefined;
}

/**
 * The event an error `name` reports, or `undefined`.
 *
 * @example
 * ```ts
 * nameEvent('AbortError'); // 'aborted'
 * ```
 */
export function nameEvent(name: unknown): NetworkEvent | undefined {
  return typeof name === 'string' && Object.hasOwn(NETWORK_NAMES, name)
    ? NETWORK_NAMES[name]
    : undefined;
}

/**
 * The links of an error's cause chain that are objects: `fetch` throws
 * `TypeError('fetch failed')` with the socket error as its cause.
 *
 * @example
 * ```ts
 * causeLinks(new TypeError('fetch failed', { cause: refused }), 5); // [the TypeError, refused]
 * ```
 */
export function causeLinks(value: unknown, max: number): object[] {
  return causes(value, max).filter(
    (link): link is object => typeof link === 'object' && link !== null,
  );
}

/**
 * Whether a problem may be read as a failed dependency call at all: only trusted errors count
 * (a thrown `{ code: 'ECONNREFUSED' }` is not one), and not with the `network` built-in off.
 *
 * @example
 * ```ts
 * readsNetwork({ kind: 'internal', status: 500, message: '', expose: false, cause: err, trusted: true }); // true
 * ```
 */
export function readsNetwork(problem: Problem): boolean {
  return problem.trusted === true && problem.network !== false;
}

const TIMEOUTS: ReadonlySet<NetworkEvent> = new Set<NetworkEvent>([
  'timeout',
  'socketTimeout',
  'connectTimeout',
  'headersTimeout',
  'bodyTimeout',
  'aborted',
  'signalTimeout',
]);
const UNREACHABLE: ReadonlySet<NetworkEvent> = new Set<NetworkEvent>([
  'refused',
  'reset',
  'closed',
  'brokenPipe',
]);
/** How many links of a cause chain are searched for a network failure: `fetch` nests it one or two deep. */
export const CAUSE_DEPTH = 5;

// One link's verdict: a timeout by its name or its code, else unreachable by its code.
function judge(name: unknown, code: unknown): 'timeout' | 'unreachable' | undefined {
  const byCode = codeEvent(code);
  const byName = nameEvent(name);
  if (
    (byName !== undefined && TIMEOUTS.has(byName)) ||
    (byCode !== undefined && TIMEOUTS.has(byCode))
  )
    return 'timeout';
  return byCode !== undefined && UNREACHABLE.has(byCode) ? 'unreachable' : undefined;
}

/**
 * Whether a problem is a failed dependency call: `timeout` (a timeout or an abort) or
 * `unreachable` (refused, reset, not found), by the error itself or the first link of its
 * cause chain (a few levels down) that says either.
 *
 * @example
 * ```ts
 * networkFailure(problem); // 'unreachable' for an ECONNREFUSED error
 * ```
 */
export function networkFailure(problem: Problem): 'timeout' | 'unreachable' | undefined {
  // An upstream that answered has been reached: only its timeout counts as one.
  if (problem.upstream !== undefined)
    return problem.upstream.failure === 'timeout' ? 'timeout' : undefined;
  if (!readsNetwork(problem)) return undefined;
  const own = judge(problem.name, problem.code);
  if (own !== undefined) return own;
  for (const link of causeLinks(problem.cause, CAUSE_DEPTH).slice(1)) {
    const found = judge(safeGet(link, 'name'), safeGet(link, 'code'));
    if (found !== undefined) return found;
  }
  return undefined;
}
