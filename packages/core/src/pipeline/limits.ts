/**
 * Output limits: how much of a message, of validation details and of a cause chain a fault
 * response and its log entry carry, and how much of an `Accept` header negotiation reads. Each
 * cut is marked, so a reader knows something was left out.
 *
 * @module
 */
import { copyFault } from '../fault.js';
import type { Fault, FaultDetail } from '../fault.js';
import type { RequestInfo } from '../request.js';
import { truncate } from '../safe.js';

/**
 * The `limits` handler option; every limit is a positive integer.
 *
 * @example
 * ```ts
 * createFaultHandler({ dialect: 'problem', limits: { message: 1024, details: 20, causes: 4 } });
 * ```
 */
export interface FaultLimits {
  /**
   * Characters of a message kept, from the thrown error to the body and the log entry (the one
   * limit on a message; DE4A and XKS cut further, as their conventions require); longer ones
   * end in `… [truncated]`. @default 4096
   */
  readonly message?: number;
  /** Validation details a client is sent; the rest are summed up in one last detail. @default 100 */
  readonly details?: number;
  /** Errors of a `cause` chain logged (and shown with `debug`). @default 8 */
  readonly causes?: number;
  /**
   * Errors wrapped in a thrown one (its `cause` chain, an `AggregateError`'s errors) that
   * mapping rules are tried on, closest first, when none matches the thrown value. @default 8
   */
  readonly wrapped?: number;
  /** Characters of the `Accept` header read to choose the encoding (Node's own limit for all headers is 16 KiB). @default 16384 */
  readonly accept?: number;
}

/** The limits in force, every one set. */
export type ResolvedLimits = Required<FaultLimits>;

/** The limits `normalize` applies: the message's length and the number of details. */
export type NormalizeLimits = Pick<ResolvedLimits, 'message' | 'details'>;

/**
 * The limits when none are given.
 *
 * @example
 * ```ts
 * DEFAULT_LIMITS.details; // 100
 * ```
 */
export const DEFAULT_LIMITS: ResolvedLimits = Object.freeze({
  message: 4096,
  details: 100,
  causes: 8,
  wrapped: 8,
  accept: 16384,
});

/**
 * Checks the `limits` option once, when the handler is created.
 *
 * @param value - the option
 * @returns the limits in force
 * @throws TypeError naming a limit that is not a positive integer, or an unknown one
 */
export function checkLimits(value: unknown): ResolvedLimits {
  if (value === undefined) return DEFAULT_LIMITS;
  if (typeof value !== 'object' || value === null)
    throw new TypeError('faultline: limits must be an object');
  const limits: Record<string, number> = { ...DEFAULT_LIMITS };
  for (const [name, limit] of Object.entries(value)) {
    if (!Object.hasOwn(DEFAULT_LIMITS, name)) {
      throw new TypeError(
        `faultline: limits.${name} is not a limit (${Object.keys(DEFAULT_LIMITS).join(', ')})`,
      );
    }
    if (limit === undefined) continue;
    if (typeof limit !== 'number' || !Number.isSafeInteger(limit) || limit < 1) {
      throw new TypeError(`faultline: limits.${name} must be a positive integer`);
    }
    limits[name] = limit;
  }
  return Object.freeze(limits) as ResolvedLimits;
}

/**
 * The detail that stands for the ones left out.
 *
 * @param left - how many were left out
 * @returns `{ pointer: '', message: '… 12 more problems not shown' }`
 */
export function restDetail(left: number): FaultDetail {
  return { pointer: '', message: `… ${left} more problems not shown` };
}

/**
 * At most `max` details read from a list of problems: all of them when they fit, else the
 * first `max - 1` and a {@link restDetail}. Items `read` turns down are skipped.
 *
 * @param items - the problems, as a library reports them
 * @param max - the most details to keep
 * @param read - one problem as a detail, or `undefined` to skip it
 * @returns the details
 */
export function boundedDetails(
  items: readonly unknown[],
  max: number,
  read: (item: unknown) => FaultDetail | undefined,
): FaultDetail[] {
  const over = items.length > max;
  const taken = over ? items.slice(0, max - 1) : items;
  const details: FaultDetail[] = [];
  for (const item of taken) {
    const detail = read(item);
    if (detail !== undefined) details.push(detail);
  }
  if (over) details.push(restDetail(items.length - taken.length));
  return details;
}

// The longest pointer and message of one detail, and of its keyword: what every recogniser
// keeps of a library's problems, applied to the details a fault was built with too.
const MAX_DETAIL_TEXT = 512;
const MAX_KEYWORD = 64;

const isBounded = (d: FaultDetail): boolean =>
  d.pointer.length <= MAX_DETAIL_TEXT &&
  d.message.length <= MAX_DETAIL_TEXT &&
  (d.keyword === undefined || d.keyword.length <= MAX_KEYWORD);

function boundedDetail(d: FaultDetail): FaultDetail {
  if (isBounded(d)) return d;
  return {
    pointer: truncate(d.pointer, MAX_DETAIL_TEXT),
    message: truncate(d.message, MAX_DETAIL_TEXT),
    ...(d.keyword === undefined ? {} : { keyword: truncate(d.keyword, MAX_KEYWORD) }),
  };
}

/**
 * The fault with at most `max` validation details, each of bounded length (512 characters of
 * pointer and of message, 64 of keyword, cuts marked): the first `max - 1`, then one detail
 * that says how many were left out.
 *
 * @param fault - the fault
 * @param max - the most details to send
 * @returns the fault itself when it is within the limits, else a copy
 */
export function limitDetails(fault: Fault, max: number): Fault {
  const details = fault.details;
  if (details === undefined || (details.length <= max && details.every(isBounded))) return fault;
  const kept = details.slice(0, details.length <= max ? max : max - 1).map(boundedDetail);
  if (kept.length < details.length) kept.push(restDetail(details.length - kept.length));
  return copyFault(fault, { details: Object.freeze(kept) });
}

/**
 * The request with its `Accept` header cut to `max` characters, at the last complete media
 * range: hostile headers cost negotiation no more than this.
 *
 * @param request - the request
 * @param max - the characters to read
 * @returns the request itself when its header is within the limit, else a copy
 */
export function boundedAccept(request: RequestInfo, max: number): RequestInfo {
  const headers = request.headers;
  const accept = headers?.accept;
  const text =
    typeof accept === 'string' ? accept : Array.isArray(accept) ? accept.join(',') : undefined;
  if (text === undefined || text.length <= max) return request;
  const head = text.slice(0, max);
  const comma = head.lastIndexOf(',');
  return { ...request, headers: { ...headers, accept: comma === -1 ? '' : head.slice(0, comma) } };
}
