/**
 * Reading the JSON bodies of the four XKS proxy APIs (spec v1.0.3, "API operations"): the
 * `requestMetadata` each API must carry, Base64 fields and their size limits. A body that does
 * not fit is a `ValidationException`; an algorithm the proxy does not implement is an
 * `UnsupportedOperationException`.
 *
 * @module
 */
import { xks } from '@faultline/core';
import type { XksOperation } from '@faultline/core';

/** The `requestMetadata` object: strings by field name, as KMS sends them. */
export interface RequestMetadata {
  readonly kmsRequestId: string;
  readonly kmsOperation: string;
  readonly awsPrincipalArn?: string;
  readonly kmsKeyArn?: string;
  readonly awsSourceVpc?: string;
  readonly awsSourceVpce?: string;
  readonly kmsViaService?: string;
}

/** The limits the spec sets: the proxy must handle at least these, and this one no more. */
export const LIMITS = Object.freeze({
  /** Plaintext of Encrypt, ciphertext of Decrypt. */
  data: 4300,
  /** `additionalAuthenticatedData`. */
  aad: 8192,
  /** `ciphertextMetadata`. */
  ciphertextMetadata: 20,
  /** Every ARN in `requestMetadata`. */
  arn: 2048,
});

// The fields each API must carry (spec: REQUIRED); kmsKeyArn is optional for GetKeyMetadata,
// which KMS calls from CreateKey before the key has an ARN.
const REQUIRED_METADATA: Readonly<Record<XksOperation, readonly (keyof RequestMetadata)[]>> = {
  GetKeyMetadata: ['awsPrincipalArn', 'kmsOperation', 'kmsRequestId'],
  Encrypt: ['awsPrincipalArn', 'kmsKeyArn', 'kmsOperation', 'kmsRequestId'],
  Decrypt: ['awsPrincipalArn', 'kmsKeyArn', 'kmsOperation', 'kmsRequestId'],
  GetHealthStatus: ['kmsOperation', 'kmsRequestId'],
};
const OPTIONAL_METADATA: readonly (keyof RequestMetadata)[] = [
  'awsPrincipalArn',
  'kmsKeyArn',
  'awsSourceVpc',
  'awsSourceVpce',
  'kmsViaService',
];
const STRICT_BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

function invalid(message: string): never {
  throw xks.fault('ValidationException', message);
}

/**
 * The body as an object.
 *
 * @param body - what Fastify parsed
 * @returns the body's members
 * @throws `ValidationException` when the body is not a JSON object
 * @example
 * ```ts
 * const fields = jsonObject(request.body);
 * ```
 */
export function jsonObject(body: unknown): Readonly<Record<string, unknown>> {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    invalid('The request body must be a JSON object');
  }
  return body as Record<string, unknown>;
}

/**
 * Reads `requestMetadata` for an API: its required fields must be non-empty strings, its
 * optional ones strings if present. Other members are accepted, since KMS may add fields
 * (spec, Appendix B), and `kmsOperation` is never checked against a list (spec: the proxy
 * must not reject an unknown one).
 *
 * @param body - the request body's members
 * @param operation - the API called
 * @returns the metadata
 * @throws `ValidationException` when it is missing or a field is missing or not a string
 * @example
 * ```ts
 * const metadata = requestMetadata(jsonObject(request.body), 'Encrypt');
 * ```
 */
export function requestMetadata(
  body: Readonly<Record<string, unknown>>,
  operation: XksOperation,
): RequestMetadata {
  const metadata = body.requestMetadata;
  if (typeof metadata !== 'object' || metadata === null || Array.isArray(metadata)) {
    invalid('requestMetadata is missing or not a JSON object');
  }
  const fields = metadata as Record<string, unknown>;
  const read: Record<string, string> = {};
  for (const name of new Set([...REQUIRED_METADATA[operation], ...OPTIONAL_METADATA])) {
    const value = fields[name];
    if (value === undefined && !REQUIRED_METADATA[operation].includes(name)) continue;
    if (value === undefined || value === '') invalid(`requestMetadata.${name} is required`);
    if (typeof value !== 'string') invalid(`requestMetadata.${name} must be a string`);
    if (name.endsWith('Arn') && value.length > LIMITS.arn) {
      invalid(`requestMetadata.${name} is longer than ${LIMITS.arn} characters`);
    }
    read[name] = value;
  }
  return read as unknown as RequestMetadata;
}

/**
 * Reads a Base64 field (RFC 4648 §4, with padding; the canonical encoding only).
 *
 * @param body - the request body's members
 * @param name - the field
 * @param limits - whether it is required, and its largest decoded size in bytes
 * @returns the decoded bytes, or `undefined` when an optional field is absent
 * @throws `ValidationException` when it is missing, not a string, not Base64, empty when
 *   required, or too long
 * @example
 * ```ts
 * const plaintext = base64Field(fields, 'plaintext', { required: true, maxBytes: LIMITS.data });
 * ```
 */
export function base64Field(
  body: Readonly<Record<string, unknown>>,
  name: string,
  limits: { readonly required: boolean; readonly maxBytes: number },
): Buffer | undefined {
  const value = body[name];
  if (value === undefined) {
    if (limits.required) invalid(`${name} is required`);
    return undefined;
  }
  if (typeof value !== 'string') invalid(`${name} must be a Base64 string`);
  if (value === '' && limits.required) invalid(`${name} must not be empty`);
  // Checked on the text first, so an oversized field is never decoded.
  if (value.length > 4 * Math.ceil(limits.maxBytes / 3))
    invalid(`${name} is longer than ${limits.maxBytes} bytes`);
  const bytes = Buffer.from(value, 'base64');
  // Node's decoder skips what it cannot read; a strict reading re-encodes to the same text.
  if (!STRICT_BASE64.test(value) || bytes.toString('base64') !== value)
    invalid(`${name} is not valid Base64`);
  if (bytes.length > limits.maxBytes) invalid(`${name} is longer than ${limits.maxBytes} bytes`);
  return bytes;
}

/**
 * Checks `encryptionAlgorithm`: v1 of the spec has `AES_GCM` only.
 *
 * @param body - the request body's members
 * @throws `ValidationException` when it is missing or not a string;
 *   `UnsupportedOperationException` for any other algorithm
 * @example
 * ```ts
 * encryptionAlgorithm(fields);
 * ```
 */
export function encryptionAlgorithm(body: Readonly<Record<string, unknown>>): void {
  const value = body.encryptionAlgorithm;
  if (value === undefined || value === '') invalid('encryptionAlgorithm is required');
  if (typeof value !== 'string') invalid('encryptionAlgorithm must be a string');
  if (value !== 'AES_GCM') {
    throw xks.fault(
      'UnsupportedOperationException',
      'encryptionAlgorithm is not supported: this proxy implements AES_GCM only',
    );
  }
}

/**
 * Reads `ciphertextDataIntegrityValueAlgorithm`, optional on Encrypt: v1 of the spec has
 * `SHA_256` only.
 *
 * @param body - the request body's members
 * @returns whether a CDIV was asked for
 * @throws `ValidationException` when it is not a string; `UnsupportedOperationException` for
 *   any other algorithm
 * @example
 * ```ts
 * if (cdivRequested(fields)) response.ciphertextDataIntegrityValue = cdiv(...);
 * ```
 */
export function cdivRequested(body: Readonly<Record<string, unknown>>): boolean {
  const value = body.ciphertextDataIntegrityValueAlgorithm;
  if (value === undefined) return false;
  if (typeof value !== 'string') invalid('ciphertextDataIntegrityValueAlgorithm must be a string');
  if (value !== 'SHA_256') {
    throw xks.fault(
      'UnsupportedOperationException',
      'ciphertextDataIntegrityValueAlgorithm is not supported: this proxy implements SHA_256 only',
    );
  }
  return true;
}
