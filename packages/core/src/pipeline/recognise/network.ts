/**
 * Recognising a failed dependency call: the codes and names by which Node and undici report a
 * dependency that timed out or could not be reached, also inside `fetch`'s `cause`.
 *
 * @module
 */
import { safeGet } from '../../safe.js';
import type { Problem } from '../types.js';

// How Node and undici report a dependency that timed out or could not be reached.
const TIMEOUT_NAMES = new Set(['AbortError', 'TimeoutError']);
const TIMEOUT_CODES = new Set([
  'ETIMEDOUT',
  'ESOCKETTIMEDOUT',
  'ABORT_ERR',
  'UND_ERR_CONNECT_TIMEOUT',
  'UND_ERR_HEADERS_TIMEOUT',
  'UND_ERR_BODY_TIMEOUT',
]);
const UNREACHABLE_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EPIPE',
  'UND_ERR_SOCKET',
]);
const MAX_CAUSE_DEPTH = 5;

/**
 * Whether a problem is a failed dependency call: `timeout` (a timeout or an abort) or
 * `unreachable` (refused, reset, not found). `fetch` wraps the real error in `cause`
 * (`TypeError: fetch failed`), so the cause chain is searched a few levels down. Only trusted
 * errors count: a thrown `{ code: 'ECONNREFUSED' }` is not a network failure.
 */
export function networkFailure(problem: Problem): 'timeout' | 'unreachable' | undefined {
  if (problem.trusted !== true || problem.network === false) return undefined;
  const judge = (name: unknown, code: unknown) =>
    (typeof name === 'string' && TIMEOUT_NAMES.has(name)) || (typeof code === 'string' && TIMEOUT_CODES.has(code))
      ? 'timeout'
      : typeof code === 'string' && UNREACHABLE_CODES.has(code)
        ? 'unreachable'
        : undefined;
  const own = judge(problem.name, problem.code);
  if (own !== undefined) return own;
  let current: unknown = problem.cause;
  for (let depth = 0; depth < MAX_CAUSE_DEPTH && typeof current === 'object' && current !== null; depth++) {
    const found = depth === 0 ? undefined : judge(safeGet(current, 'name'), safeGet(current, 'code'));
    if (found !== undefined) return found;
    current = safeGet(current, 'cause');
  }
  return undefined;
}
