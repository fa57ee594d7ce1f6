/**
 * The AST catalogue: every row of KOBIL's published error-code list "AST Certificate Authority
 * Error Codes (SubSystem 510)" (KOBIL's AST developer documentation), in its order. Each
 * entry's `code` is the full code, the subsystem's digits followed by the error code's (`510` ‖
 * `4001` = `5104001`); `error` is the error-code column alone, `message` the list's Details
 * text and `description` the heading of the table the row stands in.
 *
 * @module
 */
import { makeCatalog } from '../../catalog.js';
import type { CatalogEntry } from '../../catalog.js';

/**
 * The subsystem number of the AST Certificate Authority; every code of the catalogue starts
 * with its digits.
 *
 * @example
 * ```ts
 * ast.code(AST_SUBSYSTEM, 4001); // 5104001
 * ```
 */
export const AST_SUBSYSTEM = 510;

/**
 * One AST catalogue entry: a {@link CatalogEntry} that also keeps the error-code column.
 *
 * @example
 * ```ts
 * const entry = ast.catalog.get(51010) as AstCatalogEntry;
 * entry.name; // 'InvalidCsrSignature'
 * entry.error; // 10
 * ```
 */
export interface AstCatalogEntry extends CatalogEntry<number> {
  /** The error-code column of the published list, e.g. `10`, `4001`, `50021`. */
  readonly error: number;
}

const CERTIFICATE_REQUEST = 'Certificate Request (Error Codes 10-19)';
const CERTIFICATE_RETRIEVAL = 'Certificate Retrieval (Error Codes 20-29)';
const SDK_CONFIG = 'SDK Config Creation (Error Codes 30-39)';
const SIGNER_CREATION = 'Signer Creation and Use (Error Codes 40-44)';
const SIGNER_DELETION = 'Signer Deletion (Error Codes 45-49)';
const KEY_REGISTRATION = 'Public Key Registration (Error Codes 50-54)';
const KEY_RETRIEVAL = 'Public Key Retrieval (Error Codes 55-59)';
const SESSION_ENCRYPTION = 'Session Encryption (Error Codes 60-69)';
const BAD_REQUEST_CODES = 'Bad Request Codes (Error Codes 400 and 400x)';
const UNAUTHORIZED_CODES = 'Unauthorized Codes (Error Codes 401 and 401x)';
const FORBIDDEN_CODES = 'Forbidden / Bad Token Codes (Error Codes 403 and 403x)';
const NOT_FOUND = 'Not Found Codes (Error Codes 404 and 404x)';
const OIDC = 'OIDC Errors (Error Codes 100x)';
const GENERAL = 'General Error Codes (Error Codes 500, 503 and 500x)';
const CONFIGURATION = 'Configuration Errors (Error Codes 500xx)';

/**
 * The entries, in the published list's order.
 *
 * @example
 * ```ts
 * AST_ENTRIES.find((e) => e.name === 'MissingField')?.code; // 5104001
 * ```
 */
export const AST_ENTRIES = [
  // Certificate Request (Error Codes 10-19)
  {
    code: 51010,
    error: 10,
    status: 403,
    name: 'InvalidCsrSignature',
    message: "The provided CSR's signature wasn't valid",
    description: CERTIFICATE_REQUEST,
  },
  {
    code: 51011,
    error: 11,
    status: 400,
    name: 'UnsupportedKeyType',
    message: "The provided CSR's key algorithm isn't supported",
    description: CERTIFICATE_REQUEST,
  },
  {
    code: 51012,
    error: 12,
    status: 400,
    name: 'BadKey',
    message: "The provided CSR's key doesn't meet requirements",
    description: CERTIFICATE_REQUEST,
  },
  {
    code: 51013,
    error: 13,
    status: 400,
    name: 'UnsupportedAlgorithm',
    message: 'An algorithm (signature or digest) was unsupported',
    description: CERTIFICATE_REQUEST,
  },
  {
    code: 51014,
    error: 14,
    status: 403,
    name: 'BadProfile',
    message: "The requested certificate profile isn't allowed on the endpoint",
    description: CERTIFICATE_REQUEST,
  },
  {
    code: 51015,
    error: 15,
    status: 500,
    name: 'UnsupportedProfile',
    message: "The requested certificate profile isn't supported by the Issuer CA",
    description: CERTIFICATE_REQUEST,
  },
  // Certificate Retrieval (Error Codes 20-29)
  {
    code: 51020,
    error: 20,
    status: 409,
    name: 'NotYetSigned',
    message: 'The certificate was not yet signed',
    description: CERTIFICATE_RETRIEVAL,
  },
  {
    code: 51021,
    error: 21,
    status: 410,
    name: 'AlreadyDelivered',
    message: 'The certificate was already delivered and was evicted',
    description: CERTIFICATE_RETRIEVAL,
  },
  {
    code: 51022,
    error: 22,
    status: 410,
    name: 'IssuanceFailed',
    message: "The certificate couldn't be issued successfully",
    description: CERTIFICATE_RETRIEVAL,
  },
  // SDK Config Creation (Error Codes 30-39)
  {
    code: 51030,
    error: 30,
    status: 412,
    name: 'SignerNotYetIssued',
    message: "The signer certificate wasn't issued yet",
    description: SDK_CONFIG,
  },
  {
    code: 51031,
    error: 31,
    status: 500,
    name: 'SdkConfigSignError',
    message: 'There was an error signing the SDK config',
    description: SDK_CONFIG,
  },
  // Signer Creation and Use (Error Codes 40-44)
  {
    code: 51040,
    error: 40,
    status: 409,
    name: 'SignerAlreadyExists',
    message: 'A signer for the tenant already exists',
    description: SIGNER_CREATION,
  },
  {
    code: 51041,
    error: 41,
    status: 409,
    name: 'SignerRevoked',
    message: 'The requested signer was revoked and may not be used anymore',
    description: SIGNER_CREATION,
  },
  {
    code: 51042,
    error: 42,
    status: 409,
    name: 'SignerCreationConflict',
    message:
      'A conflicting signer was created by a concurrent operation. The caller may check the state of the signer via one of the GET APIs and retry if necessary.',
    description: SIGNER_CREATION,
  },
  // Signer Deletion (Error Codes 45-49)
  {
    code: 51045,
    error: 45,
    status: 409,
    name: 'SignerAlreadyInUse',
    message: "The signer was already used to issue a certificate and can't be deleted anymore",
    description: SIGNER_DELETION,
  },
  // Public Key Registration (Error Codes 50-54)
  {
    code: 51050,
    error: 50,
    status: 403,
    name: 'PasswordAuthMissing',
    message: "The access token's AMR did not imply that the user has a password",
    description: KEY_REGISTRATION,
  },
  {
    code: 51051,
    error: 51,
    status: 409,
    name: 'KeyAlreadyExists',
    message: 'A key with the same thumbprint is already registered',
    description: KEY_REGISTRATION,
  },
  // Public Key Retrieval (Error Codes 55-59)
  {
    code: 51055,
    error: 55,
    status: 410,
    name: 'KeyExpired',
    message: 'The key with the given kid and tenant expired and can no longer be used',
    description: KEY_RETRIEVAL,
  },
  // Session Encryption (Error Codes 60-69)
  {
    code: 51060,
    error: 60,
    status: 500,
    name: 'EncryptionError',
    message: 'An unexpected error occurred when encrypting a response',
    description: SESSION_ENCRYPTION,
  },
  {
    code: 51061,
    error: 61,
    status: 400,
    name: 'DecryptionError',
    message: 'An error occurred when decrypting a request',
    description: SESSION_ENCRYPTION,
  },
  // Bad Request Codes (Error Codes 400 and 400x)
  {
    code: 510400,
    error: 400,
    status: 400,
    name: 'BadRequest',
    message: 'An unspecified Bad Request error. Look for details in the message.',
    description: BAD_REQUEST_CODES,
  },
  {
    code: 5104001,
    error: 4001,
    status: 400,
    name: 'MissingField',
    message: 'A required field was missing in the request',
    description: BAD_REQUEST_CODES,
  },
  {
    code: 5104002,
    error: 4002,
    status: 400,
    name: 'MalformedField',
    message: 'A field in the request had a wrong format',
    description: BAD_REQUEST_CODES,
  },
  {
    code: 5104003,
    error: 4003,
    status: 400,
    name: 'BadPagination',
    message: 'Invalid pagination parameters',
    description: BAD_REQUEST_CODES,
  },
  {
    code: 5104004,
    error: 4004,
    status: 400,
    name: 'BadFilter',
    message: 'Invalid filter string',
    description: BAD_REQUEST_CODES,
  },
  {
    code: 5104005,
    error: 4005,
    status: 400,
    name: 'MalformedBody',
    message: "The request body was malformed and couldn't be parsed",
    description: BAD_REQUEST_CODES,
  },
  // Unauthorized Codes (Error Codes 401 and 401x)
  {
    code: 510401,
    error: 401,
    status: 401,
    name: 'Unauthorized',
    message: 'There was a problem authorizing the request, see below for details',
    description: UNAUTHORIZED_CODES,
  },
  {
    code: 5104011,
    error: 4011,
    status: 401,
    name: 'TlsClientAuthMissing',
    message: "The mTLS client certificate header was missing or didn't contain a certificate",
    description: UNAUTHORIZED_CODES,
  },
  // Forbidden / Bad Token Codes (Error Codes 403 and 403x)
  {
    code: 510403,
    error: 403,
    status: 403,
    name: 'Forbidden',
    message: 'The user has no permission to access the resource',
    description: FORBIDDEN_CODES,
  },
  {
    code: 5104031,
    error: 4031,
    status: 403,
    name: 'MissingUserId',
    message: 'The user ID is missing in the access token',
    description: FORBIDDEN_CODES,
  },
  {
    code: 5104032,
    error: 4032,
    status: 403,
    name: 'MissingUserName',
    message: 'The user name is missing in the access Token',
    description: FORBIDDEN_CODES,
  },
  {
    code: 5104033,
    error: 4033,
    status: 403,
    name: 'MissingClientId',
    message: 'The AST client ID is missing in the access token',
    description: FORBIDDEN_CODES,
  },
  {
    code: 5104036,
    error: 4036,
    status: 403,
    name: 'SessionKeyNotFound',
    message: 'The session key with the given ID was not found',
    description: FORBIDDEN_CODES,
  },
  {
    code: 5104037,
    error: 4037,
    status: 403,
    name: 'SessionKeyDecryptionFailed',
    message: 'The session key could not be decrypted',
    description: FORBIDDEN_CODES,
  },
  // Not Found Codes (Error Codes 404 and 404x)
  {
    code: 5104041,
    error: 4041,
    status: 404,
    name: 'SignerNotFound',
    message: 'A signer with the given ID does not exist',
    description: NOT_FOUND,
  },
  {
    code: 5104042,
    error: 4042,
    status: 404,
    name: 'CertificateNotFound',
    message: 'A certificate with the given ID does not exist',
    description: NOT_FOUND,
  },
  {
    code: 5104043,
    error: 4043,
    status: 404,
    name: 'SignerNotFoundForTenant',
    message: 'The requested signer for the given tenant does not exist',
    description: NOT_FOUND,
  },
  {
    code: 5104044,
    error: 4044,
    status: 404,
    name: 'IssuerSerialNotFound',
    message: 'The combination of issuer and serial was not found',
    description: NOT_FOUND,
  },
  {
    code: 5104045,
    error: 4045,
    status: 404,
    name: 'KeyNotFound',
    message: "The key with the given kid and tenant wasn't found",
    description: NOT_FOUND,
  },
  // OIDC Errors (Error Codes 100x)
  {
    code: 5101000,
    error: 1000,
    status: 500,
    name: 'GeneralError',
    message:
      'An unexpected error occurred while authenticating the request. See the log for details.',
    description: OIDC,
  },
  {
    code: 5101001,
    error: 1001,
    status: 500,
    name: 'IssuerNotConfigured',
    message:
      'The OIDC issuer is not configured. This is probably due to misconfiguration of api.security.openidConnect.baseUrl. See the log for details.',
    description: OIDC,
  },
  {
    code: 5101002,
    error: 1002,
    status: 404,
    name: 'RealmDoesNotExist',
    message:
      'The realm corresponding to the tenant ID in the request does not exist in the IDP. See the log for details.',
    description: OIDC,
  },
  {
    code: 5101003,
    error: 1003,
    status: 503,
    name: 'IdpUnavailable',
    message:
      'The IDP could not be reached for OIDC discovery. This may be a temporary error or due to misconfiguration. See the log for details.',
    description: OIDC,
  },
  {
    code: 5101004,
    error: 1004,
    status: 502,
    name: 'BadResponse',
    message: 'The IDP response could not be parsed. See the log for details.',
    description: OIDC,
  },
  {
    code: 5101005,
    error: 1005,
    status: 502,
    name: 'UnexpectedError',
    message:
      'The IDP returned an unexpected error response during OIDC Discovery. See the log for details.',
    description: OIDC,
  },
  {
    code: 5101006,
    error: 1006,
    status: 500,
    name: 'IssuerMismatch',
    message:
      "The issuer URL returned from OIDC Discovery doesn't match the expected one generated from the configuration. This is probably due to realm misconfiguration in the IDP. See the log for details.",
    description: OIDC,
  },
  {
    code: 5101007,
    error: 1007,
    status: 500,
    name: 'UnsupportedFlow',
    message:
      'The OIDC configuration returned from the IDP specified an unsupported flow. This probably due to realm misconfiguration in the IDP. See the log for details.',
    description: OIDC,
  },
  // General Error Codes (Error Codes 500, 503 and 500x)
  {
    code: 510500,
    error: 500,
    status: 500,
    name: 'InternalError',
    message: 'An unexpected error occurred',
    description: GENERAL,
  },
  {
    code: 5105001,
    error: 5001,
    status: 500,
    name: 'DbError',
    message: 'An unexpected error occurred during a database operation',
    description: GENERAL,
  },
  {
    code: 5105002,
    error: 5002,
    status: 500,
    name: 'KafkaError',
    message: 'An unexpected error occurred during a Kafka operation',
    description: GENERAL,
  },
  {
    code: 5105003,
    error: 5003,
    status: 500,
    name: 'SignerError',
    message: 'An unexpected error occurred during a certificate issuance operation',
    description: GENERAL,
  },
  {
    code: 510503,
    error: 503,
    status: 503,
    name: 'ServiceUnavailable',
    message: "The service's availability was disrupted, look for details in the message.",
    description: GENERAL,
  },
  // Configuration Errors (Error Codes 500xx)
  {
    code: 51050010,
    error: 50010,
    status: 500,
    name: 'UnknownTopicRoutingKey',
    message: 'An outbox item with an unknown topic routing key was encountered',
    description: CONFIGURATION,
  },
  {
    code: 51050020,
    error: 50020,
    status: 500,
    name: 'TrustStoreDoesNotExist',
    message: 'The trust store file does not exist',
    description: CONFIGURATION,
  },
  {
    code: 51050021,
    error: 50021,
    status: 500,
    name: 'TrustStoreRequired',
    message: 'A trust store was required for the configured SSL mode, but none was given',
    description: CONFIGURATION,
  },
] as const satisfies readonly AstCatalogEntry[];

/**
 * The name of an AST catalogue entry, e.g. `'InvalidCsrSignature'`.
 *
 * @example
 * ```ts
 * const name: AstName = 'InvalidCsrSignature';
 * throw ast.fault(name);
 * ```
 */
export type AstName = (typeof AST_ENTRIES)[number]['name'];

/**
 * The full code of an AST catalogue entry, e.g. `51010`.
 *
 * @example
 * ```ts
 * const code: AstCatalogCode = 51010; // InvalidCsrSignature
 * ast.fault(code);
 * ```
 */
export type AstCatalogCode = (typeof AST_ENTRIES)[number]['code'];

/**
 * The cases the published list gives under "Details about 510-401 Unauthorized": what the
 * generic `510401 Unauthorized` covers (nested notes flattened, in the list's order).
 *
 * @example
 * ```ts
 * AST_UNAUTHORIZED_CASES[0]; // 'The header was missing'
 * ```
 */
export const AST_UNAUTHORIZED_CASES: readonly string[] = Object.freeze([
  'The header was missing',
  'The token could not be decoded',
  'The token is from a different realm than the tenant in the request path',
  'The token was expired (exp), not yet valid (nbf) or issued in the future (iat)',
  "The token's issuer (iss) did not match the expected value discovered from the IdP",
  'This is most likely a realm configuration problem in Keycloak, such as not configuring the "Frontend URL" setting in the realm, which is required in a typical setup',
  'Failing to configure the Frontend URL will result in a mismatch between the issuer URL that was discovered by the service inside the cluster, and the issuer in the JWT issued for a client outside the cluster',
  'After changing the realm configuration, it is necessary to restart the service in order for it to rediscover the realm configuration',
  "The token's audience (aud) didn't include all required values specified in the service config (default: none)",
  "The token's signature did not match the public key discovered from the IdP",
]);

/** The dialect's id, `ast`. */
export const DIALECT = 'ast';

/**
 * The AST catalogue.
 *
 * @example
 * ```ts
 * catalog.get(51010)?.status; // 403
 * ```
 */
export const catalog = makeCatalog<number>(DIALECT, AST_ENTRIES);

/**
 * The entries by name.
 *
 * @example
 * ```ts
 * byName.get('InvalidCsrSignature')?.code; // 51010
 * ```
 */
export const byName = new Map<string, CatalogEntry<number>>(
  catalog.entries.map((e) => [e.name, e]),
);

/**
 * The entry of a name of the published list. It only ever looks up names of that list, so a
 * miss is a typo in faultline.
 *
 * @example
 * ```ts
 * entryNamed('BadRequest').code; // 510400
 * ```
 */
export function entryNamed(name: AstName): CatalogEntry<number> {
  const entry = byName.get(name);
  if (entry === undefined) throw new Error(`faultline: the AST catalogue lacks ${name}`);
  return entry;
}

/** The published list's entries the dialect answers with for errors that are not AST faults. */
export const BAD_REQUEST = entryNamed('BadRequest');
export const MISSING_FIELD = entryNamed('MissingField');
export const MALFORMED_BODY = entryNamed('MalformedBody');
export const UNAUTHORIZED = entryNamed('Unauthorized');
export const FORBIDDEN = entryNamed('Forbidden');
export const INTERNAL_ERROR = entryNamed('InternalError');
export const SERVICE_UNAVAILABLE = entryNamed('ServiceUnavailable');
