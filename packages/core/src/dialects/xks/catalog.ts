/**
 * The XKS proxy catalogue: the twelve error names of the error-code table of the XKS proxy API
 * specification v1.0.x (aws/aws-kms-xksproxy-api-spec `xks_proxy_api_spec.md`, "Error codes"),
 * each with its HTTP status, its error scenario and the XKS proxy APIs it may be sent for.
 *
 * @module
 */
import { makeCatalog } from '../../catalog.js';
import type { Catalog, CatalogEntry } from '../../catalog.js';

/**
 * The four XKS proxy APIs, in the specification's order.
 *
 * @example
 * ```ts
 * XKS_OPERATIONS.includes('Encrypt'); // true
 * ```
 */
export const XKS_OPERATIONS = Object.freeze([
  'GetKeyMetadata',
  'Encrypt',
  'Decrypt',
  'GetHealthStatus',
] as const);

/**
 * One of the four XKS proxy APIs.
 *
 * @example
 * ```ts
 * const route = xks.operationOf('/kms/xks/v1/keys/k-1/encrypt');
 * const operation: XksOperation | undefined = route?.operation; // 'Encrypt'
 * ```
 */
export type XksOperation = (typeof XKS_OPERATIONS)[number];

/**
 * An `errorName` of the specification's error-code table.
 *
 * @example
 * ```ts
 * const name: XksErrorName = 'KeyNotFoundException';
 * throw xks.fault(name, 'Key k-1 is not known');
 * ```
 */
export type XksErrorName =
  | 'ValidationException'
  | 'InvalidStateException'
  | 'InvalidCiphertextException'
  | 'InvalidKeyUsageException'
  | 'AuthenticationFailedException'
  | 'AccessDeniedException'
  | 'KeyNotFoundException'
  | 'InvalidUriPathException'
  | 'ThrottlingException'
  | 'InternalException'
  | 'UnsupportedOperationException'
  | 'DependencyTimeoutException';

/**
 * A catalogue entry with the specification's "XKS Proxy APIs" column as data.
 *
 * @example
 * ```ts
 * const entry: XksCatalogEntry | undefined = xks.catalog.get('InvalidCiphertextException');
 * entry?.appliesTo; // ['Decrypt']
 * ```
 */
export interface XksCatalogEntry extends CatalogEntry<XksErrorName> {
  /** The operations the error may be sent for; any other use is a contract violation. */
  readonly appliesTo: readonly XksOperation[];
}

// The specification's "ALL" and "ALL except GetHealthStatus".
const ALL: readonly XksOperation[] = XKS_OPERATIONS;
const ALL_EXCEPT_HEALTH: readonly XksOperation[] = Object.freeze([
  'GetKeyMetadata',
  'Encrypt',
  'Decrypt',
] as const);

// The scenario is both the safe default message and the description: it is what the
// specification says.
function entry(
  name: XksErrorName,
  status: number,
  appliesTo: readonly XksOperation[],
  scenario: string,
): XksCatalogEntry {
  return Object.freeze({
    code: name,
    status,
    name,
    message: scenario,
    description: scenario,
    appliesTo: Object.freeze([...appliesTo]),
  });
}

/**
 * The twelve entries, in the specification table's order, with its scenario text verbatim.
 *
 * @example
 * ```ts
 * XKS_ENTRIES.find((e) => e.name === 'InvalidCiphertextException')?.appliesTo; // ['Decrypt']
 * ```
 */
export const XKS_ENTRIES: readonly XksCatalogEntry[] = Object.freeze([
  entry(
    'ValidationException',
    400,
    ALL_EXCEPT_HEALTH,
    'The request was rejected because one or more input parameters are invalid.',
  ),
  entry(
    'InvalidStateException',
    400,
    ALL,
    'The request was rejected because the specified external key or key store is disabled, deactivated, or blocked.',
  ),
  entry(
    'InvalidCiphertextException',
    400,
    ['Decrypt'],
    'The request was rejected because the specified ciphertext, initialization vector, additional authenticated data, or authentication tag is corrupted, missing, or otherwise invalid.',
  ),
  entry(
    'InvalidKeyUsageException',
    400,
    ['Encrypt', 'Decrypt'],
    'The request was rejected because the specified key does not support the requested operation.',
  ),
  entry(
    'AuthenticationFailedException',
    401,
    ALL,
    'The request was rejected due to an invalid AWS SigV4 signature.',
  ),
  entry(
    'AccessDeniedException',
    403,
    ALL_EXCEPT_HEALTH,
    'The request was rejected because the operation is not authorized based on request metadata.',
  ),
  entry(
    'KeyNotFoundException',
    404,
    ALL_EXCEPT_HEALTH,
    'The request was rejected because the specified external key is not found.',
  ),
  entry(
    'InvalidUriPathException',
    404,
    ALL,
    'The request was rejected because the specified URI path is not valid.',
  ),
  entry(
    'ThrottlingException',
    429,
    ALL,
    'The request was rejected because the request rate is too high. The proxy may send this either because it is unable to keep up or the caller exceeded its request quota.',
  ),
  entry(
    'InternalException',
    500,
    ALL,
    'This is a generic server error. For example, this exception is thrown due to failure of the backing key manager or failure of a dependency layer.',
  ),
  entry(
    'UnsupportedOperationException',
    501,
    ALL,
    'The request was rejected because the specified cryptographic operation is not implemented, or if a parameter value exceeded the maximum size currently supported by a specific implementation beyond the minimum size required by this API specification.',
  ),
  entry(
    'DependencyTimeoutException',
    503,
    ALL,
    'The XKS proxy timed out while trying to access a dependency layer to fulfill the request.',
  ),
]);

/**
 * The catalogue, whose entries carry {@link XksCatalogEntry.appliesTo}.
 *
 * @example
 * ```ts
 * const catalog: XksCatalog = xks.catalog;
 * catalog.get('KeyNotFoundException')?.appliesTo; // the operations it may be sent for
 * ```
 */
export interface XksCatalog extends Catalog<XksErrorName> {
  readonly entries: readonly XksCatalogEntry[];
  get(code: string | number): XksCatalogEntry | undefined;
}

/** The dialect's id, `xks`. */
export const DIALECT = 'xks';

/**
 * The XKS catalogue, whose entries carry their operations.
 *
 * @example
 * ```ts
 * catalog.get('KeyNotFoundException')?.appliesTo; // ['GetKeyMetadata', 'Encrypt', 'Decrypt']
 * ```
 */

// makeCatalog copies every field of an entry, `appliesTo` included.
export const catalog = makeCatalog<XksErrorName>(DIALECT, XKS_ENTRIES) as XksCatalog;

/** The catch-all `InternalException`, the answer to anything unexpected. */

export const INTERNAL = catalog.get('InternalException')!;
