/**
 * RFC 9457 problem details: `application/problem+json` with `type`, `title`, `status`,
 * `detail`, `instance` (`urn:uuid:<correlation id>`) and the extension member `code`; the
 * default dialect when none is chosen.
 *
 * @module
 */
import { Fault, catalogueFault, checkStatus } from '../../fault.js';
import type { FaultDetail, FaultExtensions, FaultHeaders } from '../../fault.js';
import { checkExtensions } from '../../catalog.js';
import { reasonPhrase } from '../../status.js';
import type { FaultSpec } from '../contract.js';
import { readProblem } from './read.js';
import type { FaultDocument } from '../../read/document.js';
import type { FaultReading } from '../../read/types.js';
import { BODIES, ENCODINGS } from './schema.js';
import { defineDialect } from '../kit.js';
import { DIALECT, catalog, codeOf } from './catalog.js';
import { OPTION_KEYS, configure } from './runtime.js';

export type { ProblemBody, ProblemOptions } from './runtime.js';

/**
 * Options of {@link problem.fault}.
 *
 * @example
 * ```ts
 * const options: ProblemFaultOptions = { code: 'OrderNotFound', title: 'Order not found' };
 * throw problem.fault(404, 'Order 7 does not exist', options);
 * ```
 */
export interface ProblemFaultOptions {
  /** A stable code for the problem type, sent as the `code` member; default from the status. */
  readonly code?: string;
  /** A short summary of the problem type; default: the status's reason phrase. */
  readonly title?: string;
  /** A URI identifying the problem type; overrides the dialect's `typeBase`. */
  readonly type?: string;
  /** Whether `detail` may reach the client. @default true */
  readonly expose?: boolean;
  /** Validation problems, sent as `errors`. */
  readonly details?: readonly FaultDetail[];
  /** Extra response headers. */
  readonly headers?: FaultHeaders;
  /** The error that caused this one. */
  readonly cause?: unknown;
  /** Extension members of the body (RFC 9457 §3.2), e.g. `{ balance: 30 }`. */
  readonly extensions?: FaultExtensions;
  /** Whether a client may retry: `no`, `yes`, or `idempotent` (only an idempotent request). */
  readonly retry?: 'no' | 'yes' | 'idempotent';
  /** When a retry may succeed: seconds, or a time; sent as `Retry-After` and `retryAfter`. */
  readonly retryAfter?: number | Date;
}

/**
 * Builds a problem fault.
 *
 * @param status - the HTTP status, 400–599
 * @param detail - the occurrence-specific explanation
 * @param options - code, title, type, details, headers, cause, exposure
 * @returns the fault, ready to throw
 * @throws TypeError when the status is not an integer in 400–599
 * @example
 * ```ts
 * throw problem.fault(404, 'Order 7 does not exist', { code: 'OrderNotFound' });
 * ```
 */
function fault(status: number, detail?: string, options: ProblemFaultOptions = {}): Fault {
  checkStatus(status, 'problem.fault status');
  const code = options.code ?? codeOf(status);
  return catalogueFault({
    dialect: DIALECT,
    code,
    status,
    message: detail ?? catalog.get(code)?.message ?? reasonPhrase(status),
    name: code,
    expose: options.expose ?? true,
    details: options.details,
    headers: options.headers,
    cause: options.cause,
    retry: options.retry,
    retryAfter: options.retryAfter,
    extensions:
      options.extensions === undefined
        ? undefined
        : checkExtensions(options.extensions, 'problem.fault option extensions'),
    params:
      options.title === undefined && options.type === undefined
        ? undefined
        : {
            ...(options.title === undefined ? {} : { title: options.title }),
            ...(options.type === undefined ? {} : { type: options.type }),
          },
  });
}

/**
 * The RFC 9457 problem+json dialect, the default. Use it as `dialect: 'problem'` (or leave
 * `dialect` out), with options under `problem: { typeBase }`.
 *
 * @example
 * ```ts
 * throw problem.fault(409, 'Order 7 was already shipped', { code: 'OrderShipped' });
 * ```
 */
export const problem = defineDialect({
  id: DIALECT,
  optionKeys: OPTION_KEYS,
  catalog,
  configure,
  bodies: BODIES,
  encodings: ENCODINGS,
  /** Builds an RFC 9457 problem fault, e.g. `problem.fault(404, 'Order 7 does not exist')`. */
  fault,
  read: (document: FaultDocument): FaultReading | undefined =>
    readProblem(document, catalog, codeOf),
  /** A spec's code is a status (`404`) or a code with a catalogue status or a `status` (`{ code: 'OrderShipped', status: 409 }`). */
  make(spec: FaultSpec): Fault {
    const status =
      typeof spec.code === 'number' ? spec.code : (spec.status ?? catalog.get(spec.code)?.status);
    if (status === undefined) {
      throw new TypeError(`faultline: problem code '${String(spec.code)}' needs a status`);
    }
    return fault(status, spec.message, {
      ...(typeof spec.code === 'string' ? { code: spec.code } : {}),
      ...(spec.headers === undefined ? {} : { headers: spec.headers }),
      ...(spec.expose === undefined ? {} : { expose: spec.expose }),
      cause: spec.cause,
    });
  },
});
