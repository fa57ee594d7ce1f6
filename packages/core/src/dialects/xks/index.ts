/**
 * AWS KMS External Key Store (XKS) proxy errors: `{"errorName":"…","errorMessage":"…"}` as
 * `application/json`, the twelve names of the XKS proxy API specification's "Error codes" table
 * (aws/aws-kms-xksproxy-api-spec `xks_proxy_api_spec.md`) and their applicability to the four
 * XKS proxy APIs; a wrong method is 405 with `Allow: POST` and no body. AWS's reference proxy is
 * profile `aws-reference` (`./profiles.ts`).
 *
 * @module
 */
import { Fault, catalogueFault } from '../../fault.js';
import type { FaultHeaders } from '../../fault.js';
import type { FaultSpec } from '../contract.js';
import { XKS_OPERATIONS } from './catalog.js';
import type { XksErrorName } from './catalog.js';
import { XKS_PROFILES } from './profiles.js';
import { DIALECT, catalog } from './catalog.js';
import { isUnderPrefix, operationOf, sanitizeErrorMessage } from './codes.js';
import { OPTION_KEYS, configure } from './runtime.js';
import { explainXks, readXks } from './read.js';
import type { FaultDocument } from '../../read/document.js';
import type { Explanation, FaultReading } from '../../read/types.js';
import { BODIES, ENCODINGS } from './schema.js';
import { defineDialect } from '../kit.js';

export { XKS_ENTRIES, XKS_OPERATIONS } from './catalog.js';
export type { XksCatalog, XksCatalogEntry, XksErrorName, XksOperation } from './catalog.js';
export type { XksProfile } from './profiles.js';
export { MAX_ERROR_MESSAGE, isUnderPrefix, operationOf, sanitizeErrorMessage } from './codes.js';
export type { XksRoute } from './codes.js';
export { XKS_FALLBACK } from './runtime.js';
export type { XksOptions, XksPolicy } from './runtime.js';

/**
 * Options of {@link xks.fault}.
 *
 * @example
 * ```ts
 * const options: XksFaultOptions = { headers: { 'retry-after': '1' } };
 * throw xks.fault('ThrottlingException', 'Too many requests', options);
 * ```
 */
export interface XksFaultOptions {
  /**
   * Whether `errorMessage` may carry the given message. Faults built here are deliberate, so
   * it is sent even with a 5xx status; pass `false` to send the specification's scenario text.
   * @default true
   */
  readonly expose?: boolean;
  /** Extra response headers, e.g. `retry-after` with a `ThrottlingException`. */
  readonly headers?: FaultHeaders;
  /** The error that caused this one (logged, never sent). */
  readonly cause?: unknown;
}

/**
 * Builds an XKS fault. Its status is the specification's for the name; without a message the
 * specification's scenario text is sent.
 *
 * @param name - one of the twelve error names of the specification's error-code table
 * @param message - the `errorMessage` (sanitised to printable ASCII under 512 characters when sent)
 * @param options - exposure, headers, cause
 * @returns the fault, ready to throw
 * @throws TypeError when `name` is not one of the twelve or `message` is not a string
 * @example
 * ```ts
 * throw xks.fault('KeyNotFoundException', 'No external key k-1');
 * ```
 */
function fault(name: XksErrorName, message?: string, options: XksFaultOptions = {}): Fault {
  const entry = typeof name === 'string' ? catalog.get(name) : undefined;
  if (entry === undefined) {
    throw new TypeError(
      `faultline: '${String(name)}' is not an XKS error name (one of ${catalog.entries.map((e) => e.name).join(', ')})`,
    );
  }
  if (message !== undefined && typeof message !== 'string') {
    throw new TypeError('faultline: an XKS fault message must be a string');
  }
  return catalogueFault({
    dialect: DIALECT,
    code: entry.name,
    status: entry.status,
    message: message ?? entry.message,
    name: entry.name,
    description: entry.description,
    expose: options.expose ?? true,
    headers: options.headers,
    cause: options.cause,
  });
}

/**
 * The XKS proxy dialect and its helpers. Use it as `dialect: xks`, with options under
 * `xks: { pathPrefix, policy, allow, profile }`.
 *
 * @example
 * ```ts
 * const handler = createFaultHandler({ dialect: xks, xks: { pathPrefix: '/tenant-a' } });
 * throw xks.fault('InvalidCiphertextException', 'The authentication tag does not match');
 * xks.operationOf('/tenant-a/kms/xks/v1/keys/k1/encrypt', '/tenant-a'); // { operation: 'Encrypt', keyId: 'k1' }
 * ```
 */
export const xks = defineDialect({
  id: DIALECT,
  optionKeys: OPTION_KEYS,
  catalog,
  configure,
  bodies: BODIES,
  encodings: ENCODINGS,
  /** Builds an XKS fault by error name, e.g. `xks.fault('KeyNotFoundException', 'Key k-1 is not known')`. */
  fault,
  /** XKS statuses are the specification's: a spec with a `status` is a `TypeError`. */
  make(spec: FaultSpec): Fault {
    if (spec.status !== undefined)
      throw new TypeError(
        'faultline: XKS statuses are fixed by the XKS proxy API specification; drop the status',
      );
    if (typeof spec.code !== 'string' || catalog.get(spec.code) === undefined) {
      throw new TypeError(`faultline: '${String(spec.code)}' is not an XKS error name`);
    }
    return fault(spec.code as XksErrorName, spec.message, {
      ...(spec.headers === undefined ? {} : { headers: spec.headers }),
      ...(spec.expose === undefined ? {} : { expose: spec.expose }),
      cause: spec.cause,
    });
  },
  /** The XKS proxy API a path names (`health`, `metadata`, `encrypt`, `decrypt`), or `undefined`. */
  operationOf,
  read: (document: FaultDocument): FaultReading | undefined => readXks(document, catalog),
  explain: (query: string): readonly Explanation[] => explainXks(query, catalog),
  /** Whether a path is under the XKS base path `[prefix]/kms/xks/v1`. */
  isUnderPrefix,
  /** Makes a text fit for `errorMessage`: printable ASCII only, cut to the maximum length. */
  sanitizeErrorMessage,
  /** The four XKS proxy APIs. */
  OPERATIONS: XKS_OPERATIONS,
  /** Each named profile's differences from the default (the XKS proxy API specification v1.0.x). */
  PROFILES: XKS_PROFILES,
});
