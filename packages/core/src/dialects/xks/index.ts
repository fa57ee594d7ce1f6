/**
 * AWS KMS External Key Store (XKS) proxy errors: `{"errorName":"…","errorMessage":"…"}` as
 * `application/json`, the twelve names of the XKS proxy API specification's "Error codes" table
 * (aws/aws-kms-xksproxy-api-spec `xks_proxy_api_spec.md`) and their applicability to the four
 * XKS proxy APIs; a wrong method is 405 with `Allow: POST` and no body. AWS's reference proxy is
 * profile `aws-reference` (`./profiles.ts`).
 *
 * @module
 */
import { makeCatalog } from '../../catalog.js';
import type { Catalog } from '../../catalog.js';
import { Fault, buildFault } from '../../fault.js';
import type { FaultHeaders } from '../../fault.js';
import { classifyFault } from '../../pipeline/normalize.js';
import { requestPath } from '../../request.js';
import type { RequestInfo } from '../../request.js';
import { safeGet } from '../../safe.js';
import { problemFault, withCorrelationId } from '../kit.js';
import { resolveProfile } from '../release-profile.js';
import type { Dialect, DialectRuntime, Encoding, FaultSpec, Problem, Rendered, ResolveContext } from '../contract.js';
import { XKS_ENTRIES, XKS_OPERATIONS } from './catalog.js';
import type { XksCatalogEntry, XksErrorName, XksOperation } from './catalog.js';
import { XKS_DEFAULT, XKS_PROFILES } from './profiles.js';
import type { XksProfile } from './profiles.js';
import { explainXks, readXks } from './read.js';
import type { FaultDocument } from '../../read/document.js';
import type { Explanation, FaultReading } from '../../read/types.js';
import { dialectSchemas } from '../../schemas.js';
import type { DialectSchemas, SchemaOptions } from '../../schemas.js';

export { XKS_ENTRIES, XKS_OPERATIONS } from './catalog.js';
export type { XksCatalogEntry, XksErrorName, XksOperation } from './catalog.js';
export type { XksProfile } from './profiles.js';

/**
 * What to do with a fault the seed says does not apply to the request's operation (e.g.
 * `KeyNotFoundException` from `/health`): `warn` logs a warning and sends
 * `InternalException` (500); `strict` throws from the dialect, so the handler answers its
 * JSON fallback (meant for tests, to make the violation fail loudly); `lenient` sends the
 * fault as is.
 *
 * @example
 * ```ts
 * const policy: XksPolicy = 'strict'; // fail loudly in tests
 * createFaultHandler({ dialect: 'xks', xks: { policy } });
 * ```
 */
export type XksPolicy = 'warn' | 'strict' | 'lenient';

/**
 * Options of the `xks` dialect (`xks: {...}` in the handler options).
 *
 * @example
 * ```ts
 * const options: XksOptions = { pathPrefix: '/tenant-a', policy: 'strict' };
 * createFaultHandler({ dialect: 'xks', xks: options });
 * ```
 */
export interface XksOptions {
  /**
   * The optional path prefix before `/kms/xks/v1`, e.g. `/tenant-a` for
   * `https://host/tenant-a/kms/xks/v1`: `/`-separated non-empty segments of
   * `[A-Za-z0-9_-]`, at most 117 characters, so that the whole base path stays within the
   * 128 characters of KMS's `XksProxyUriPath`. Empty: any such prefix is accepted, so every
   * path containing the segments `/kms/xks/v1` is an XKS path.
   * @default ''
   */
  readonly pathPrefix?: string;
  /** See {@link XksPolicy}. @default 'warn' */
  readonly policy?: XksPolicy;
  /**
   * Names to accept on an operation beyond the seed's applicability. AWS's own XKS test client
   * and reference proxy answer a malformed GetHealthStatus request with `ValidationException`,
   * which the seed's table excludes: `{ GetHealthStatus: ['ValidationException'] }` allows it.
   */
  readonly allow?: Readonly<Partial<Record<XksOperation, readonly XksErrorName[]>>>;
  /**
   * The release to reproduce when it is not the specification: `'aws-reference'` answers as
   * AWS's reference proxy does, which AWS's test client requires: ValidationException on
   * `/health` too, and bodies without `errorMessage` (`{"errorName":"KeyNotFoundException"}`).
   * Unset: the XKS proxy API specification v1.0.x.
   */
  readonly profile?: XksProfile;
}

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
   * it is sent even with a 5xx status; pass `false` to send the seed's scenario text.
   * @default true
   */
  readonly expose?: boolean;
  /** Extra response headers, e.g. `retry-after` with a `ThrottlingException`. */
  readonly headers?: FaultHeaders;
  /** The error that caused this one (logged, never sent). */
  readonly cause?: unknown;
}

/**
 * An XKS API request recognised from its path.
 *
 * @example
 * ```ts
 * const route: XksRoute | undefined = xks.operationOf('/kms/xks/v1/keys/k-1/metadata');
 * // { operation: 'GetKeyMetadata', keyId: 'k-1' }
 * ```
 */
export interface XksRoute {
  readonly operation: XksOperation;
  /** The `externalKeyId` path segment; absent for `GetHealthStatus`. */
  readonly keyId?: string;
}

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

const DIALECT = 'xks';
const MEDIA_TYPE = 'application/json';
const JSON_ENCODING: Encoding = Object.freeze({ id: 'json', mediaType: MEDIA_TYPE });
const BASE = '/kms/xks/v1';
/**
 * The longest `errorMessage` sent: the spec ("Error codes") wants it under 512 characters.
 *
 * @example
 * ```ts
 * sanitizeErrorMessage('x'.repeat(600)).length === MAX_ERROR_MESSAGE; // true
 * ```
 */
export const MAX_ERROR_MESSAGE = 511;
// XksProxyUriPath (prefix + `/kms/xks/v1`) is at most 128 characters of [A-Za-z0-9/_-].
const MAX_PREFIX = 128 - BASE.length;
const PREFIX_PATTERN = /^(?:\/[A-Za-z0-9_-]+)*$/;
const KEY_ROUTE = /^\/keys\/([A-Za-z0-9._-]{1,128})\/(metadata|encrypt|decrypt)$/;
const OPERATION_BY_SEGMENT: Readonly<Record<string, XksOperation>> = {
  metadata: 'GetKeyMetadata',
  encrypt: 'Encrypt',
  decrypt: 'Decrypt',
};
const POLICIES: readonly XksPolicy[] = ['warn', 'strict', 'lenient'];
// Node and undici report a dependency that timed out or went away by these names and codes.
const TIMEOUT_NAMES = new Set(['AbortError', 'TimeoutError']);
const TIMEOUT_CODES = new Set([
  'ETIMEDOUT',
  'ECONNRESET',
  'ABORT_ERR',
  'UND_ERR_CONNECT_TIMEOUT',
  'UND_ERR_HEADERS_TIMEOUT',
  'UND_ERR_BODY_TIMEOUT',
]);
const MAX_CAUSE_DEPTH = 5;

// makeCatalog copies every field of an entry, `appliesTo` included.
const catalog = makeCatalog<XksErrorName>(DIALECT, XKS_ENTRIES) as XksCatalog;
const INTERNAL = catalog.get('InternalException')!;

/**
 * Makes a message fit for `errorMessage`: every character outside printable ASCII
 * (0x20–0x7E) becomes `?` (one `?` per code point, so a surrogate pair gives one and a lone
 * surrogate gives one), then the text is cut to `MAX_ERROR_MESSAGE` (511) characters.
 * Replacing rather than dropping keeps the shape of the text readable in CloudWatch.
 *
 * @param text - any message
 * @returns printable ASCII, at most 511 characters
 * @example
 * ```ts
 * sanitizeErrorMessage('Schlüssel\n1'); // 'Schl?ssel?1'
 * ```
 */
export function sanitizeErrorMessage(text: string): string {
  // Each code point becomes one character, so 2 × 511 UTF-16 units always suffice.
  return text.slice(0, 2 * MAX_ERROR_MESSAGE).replace(/[^\x20-\x7E]/gu, '?').slice(0, MAX_ERROR_MESSAGE);
}

function checkPrefix(prefix: unknown, name: string): string {
  if (typeof prefix !== 'string' || prefix.length > MAX_PREFIX || !PREFIX_PATTERN.test(prefix)) {
    throw new TypeError(
      `faultline: ${name} must be '' or a path such as '/tenant-a' of [A-Za-z0-9/_-] segments, at most ${MAX_PREFIX} characters`,
    );
  }
  return prefix;
}

// The part of `path` after `[prefix]/kms/xks/v1`, or undefined when the path is not under it.
// Without a prefix, the first `/kms/xks/v1` segment run preceded by a valid prefix counts.
function restOf(path: string, prefix: string): string | undefined {
  const end = path.search(/[?#]/);
  const bare = end === -1 ? path : path.slice(0, end);
  const boundary = (at: number) => at === bare.length || bare[at] === '/';
  if (prefix !== '') {
    const base = prefix + BASE;
    return bare.startsWith(base) && boundary(base.length) ? bare.slice(base.length) : undefined;
  }
  for (let at = bare.indexOf(BASE); at !== -1; at = bare.indexOf(BASE, at + 1)) {
    if (at > MAX_PREFIX) return undefined;
    if (boundary(at + BASE.length) && PREFIX_PATTERN.test(bare.slice(0, at))) return bare.slice(at + BASE.length);
  }
  return undefined;
}

/**
 * Recognises an XKS proxy API request from its path: `[prefix]/kms/xks/v1/health` and
 * `[prefix]/kms/xks/v1/keys/{externalKeyId}/metadata|encrypt|decrypt`, with `externalKeyId`
 * of 1–128 characters `[A-Za-z0-9._-]`. The query string is ignored; anything else (a
 * trailing `/`, another case, a percent-encoded key id) is not an API path.
 *
 * @param path - the request target, e.g. `req.originalUrl`
 * @param prefix - the path prefix before `/kms/xks/v1`; `''` (default) accepts any
 * @returns the operation and key id, or `undefined`
 * @throws TypeError when `prefix` is not a valid XKS path prefix
 * @example
 * ```ts
 * operationOf('/tenant/kms/xks/v1/keys/k-1/decrypt?x=1'); // { operation: 'Decrypt', keyId: 'k-1' }
 * operationOf('/kms/xks/v1/health', '/tenant');            // undefined
 * ```
 */
export function operationOf(path: string, prefix = ''): XksRoute | undefined {
  const base = checkPrefix(prefix, 'prefix');
  const rest = typeof path === 'string' ? restOf(path, base) : undefined;
  if (rest === '/health') return { operation: 'GetHealthStatus' };
  const match = rest === undefined ? null : KEY_ROUTE.exec(rest);
  if (match === null) return undefined;
  return { operation: OPERATION_BY_SEGMENT[match[2]!]!, keyId: match[1]! };
}

/**
 * Whether a path is under the XKS base path `[prefix]/kms/xks/v1` (the base itself
 * included), whether or not it names an API.
 *
 * @param path - the request target
 * @param prefix - the path prefix before `/kms/xks/v1`; `''` (default) accepts any
 * @returns `true` for `/kms/xks/v1`, `/kms/xks/v1/nope`, `/p/kms/xks/v1/health`, …
 * @throws TypeError when `prefix` is not a valid XKS path prefix
 * @example
 * ```ts
 * isUnderPrefix('/kms/xks/v1/keys'); // true
 * isUnderPrefix('/kms/xks/v10');     // false
 * ```
 */
export function isUnderPrefix(path: string, prefix = ''): boolean {
  const base = checkPrefix(prefix, 'prefix');
  return typeof path === 'string' && restOf(path, base) !== undefined;
}

/**
 * Builds an XKS fault. Its status is the seed's for the name; without a message the seed's
 * scenario text is sent.
 *
 * @param name - one of the twelve error names of the seed table
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
  return new Fault({
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

// Undici and fetch wrap the timeout in `cause` ("TypeError: fetch failed"): look a few levels down.
function isTimeout(problem: Problem): boolean {
  if (problem.trusted !== true || problem.network === false) return false;
  if (problem.name !== undefined && TIMEOUT_NAMES.has(problem.name)) return true;
  if (typeof problem.code === 'string' && TIMEOUT_CODES.has(problem.code)) return true;
  let current: unknown = problem.cause;
  for (let depth = 0; depth < MAX_CAUSE_DEPTH && typeof current === 'object' && current !== null; depth++) {
    const name = safeGet(current, 'name');
    const code = safeGet(current, 'code');
    if ((typeof name === 'string' && TIMEOUT_NAMES.has(name)) || (typeof code === 'string' && TIMEOUT_CODES.has(code))) {
      return true;
    }
    current = safeGet(current, 'cause');
  }
  return false;
}

// The name for a non-fault error; the status is the name's own except for the 405.
function nameFor(problem: Problem): XksErrorName {
  switch (problem.kind) {
    case 'notFound':
    case 'methodNotAllowed':
      return 'InvalidUriPathException';
    case 'unauthorized':
      return 'AuthenticationFailedException';
    case 'forbidden':
      return 'AccessDeniedException';
    case 'tooManyRequests':
      return 'ThrottlingException';
    case 'payloadTooLarge':
      return 'UnsupportedOperationException';
    case 'internal':
    case 'serverError':
      if (isTimeout(problem) || problem.status === 504) return 'DependencyTimeoutException';
      return problem.status === 501 ? 'UnsupportedOperationException' : 'InternalException';
    default:
      return 'ValidationException';
  }
}

/**
 * The answer when a fault cannot be rendered (or `strict` rejects one): KMS reports any
 * non-JSON error body as an uninterpretable proxy response, so even this one is XKS JSON.
 * It is the runtime's static `fallback`, sent by the handler as is (profile `aws-reference`
 * sends it without `errorMessage`).
 *
 * @example
 * ```ts
 * XKS_FALLBACK.body; // '{"errorName":"InternalException","errorMessage":"This is a generic server error. …"}'
 * ```
 */
export const XKS_FALLBACK: Rendered = fallbackOf(true);

function fallbackOf(errorMessage: boolean): Rendered {
  return Object.freeze({
    status: INTERNAL.status,
    headers: Object.freeze({ 'content-type': MEDIA_TYPE }),
    body: JSON.stringify(errorMessage ? { errorName: INTERNAL.name, errorMessage: INTERNAL.message } : { errorName: INTERNAL.name }),
  });
}

// A wrong method: 405 with the fault's `Allow` and no body (no member of the spec's error body
// names it; AWS's reference proxy, an axum MethodRouter, sends none either).
const METHOD_NOT_ALLOWED: Rendered = Object.freeze({ status: 405, headers: Object.freeze({}), body: '' });

function checkAllow(allow: XksOptions['allow'], healthValidation: boolean): ReadonlyMap<XksOperation, ReadonlySet<string>> {
  const map = new Map<XksOperation, ReadonlySet<string>>();
  if (healthValidation) map.set('GetHealthStatus', new Set(['ValidationException']));
  if (allow === undefined) return map;
  if (typeof allow !== 'object' || allow === null || Array.isArray(allow)) {
    throw new TypeError('faultline: xks.allow must map operations to lists of error names');
  }
  for (const [operation, names] of Object.entries(allow)) {
    if (!(XKS_OPERATIONS as readonly string[]).includes(operation)) {
      throw new TypeError(`faultline: xks.allow names an unknown operation '${operation}'`);
    }
    if (!Array.isArray(names) || !names.every((n) => typeof n === 'string' && catalog.get(n) !== undefined)) {
      throw new TypeError(`faultline: xks.allow.${operation} must list XKS error names`);
    }
    map.set(operation as XksOperation, new Set([...(map.get(operation as XksOperation) ?? []), ...(names as readonly string[])]));
  }
  return map;
}

function configure(options: XksOptions = {}): DialectRuntime {
  // Only `undefined` means "default": an explicit null is a configuration mistake.
  const prefix = checkPrefix(options.pathPrefix === undefined ? '' : options.pathPrefix, 'xks.pathPrefix');
  const policy = options.policy === undefined ? 'warn' : options.policy;
  if (!POLICIES.includes(policy)) {
    throw new TypeError(`faultline: xks.policy must be one of ${POLICIES.join(', ')}`);
  }
  const release = resolveProfile(DIALECT, XKS_DEFAULT, XKS_PROFILES, options.profile);
  const allowed = checkAllow(options.allow, release.healthValidation);
  const withMessage = release.errorMessage;
  // On the path the framework routed, with its case rule (see RequestInfo.path).
  const routeOf = (request: RequestInfo): XksRoute | undefined => {
    if (typeof request.url !== 'string' && typeof request.path !== 'string') return undefined;
    const path = requestPath(request);
    return operationOf(request.caseInsensitivePath === true ? path.toLowerCase() : path, prefix);
  };

  // The seed's applicability column, enforced for requests on an XKS API path.
  const enforce = (f: Fault, context: ResolveContext): Fault => {
    const route = routeOf(context.request);
    const entry = catalog.get(f.code)!;
    if (
      route === undefined ||
      policy === 'lenient' ||
      entry.appliesTo.includes(route.operation) ||
      allowed.get(route.operation)?.has(entry.name) === true
    ) {
      return withCorrelationId(f, context);
    }
    const violation = `${entry.name} does not apply to ${route.operation} (seed: ${entry.appliesTo.join(', ')})`;
    if (policy === 'strict') throw new TypeError(`faultline: xks ${violation}`);
    context.warn(`faultline: xks ${violation}; sent InternalException instead`, {
      errorName: entry.name,
      operation: route.operation,
    });
    return buildFault(
      {
        dialect: DIALECT,
        code: INTERNAL.name,
        status: INTERNAL.status,
        message: INTERNAL.message,
        name: INTERNAL.name,
        description: INTERNAL.description,
        params: { replaced: entry.name, operation: route.operation },
        cause: f,
        correlationId: context.correlationId,
      },
      f,
    );
  };

  const fromProblem = (problem: Problem, context: ResolveContext): Fault => {
    const { request } = context;
    const onApi = routeOf(request) !== undefined;
    const method = typeof request.method === 'string' ? request.method.toUpperCase() : undefined;
    const name = nameFor(problem);
    const wrongMethod =
      problem.kind === 'methodNotAllowed' ||
      (problem.kind === 'notFound' && onApi && method !== undefined && method !== 'POST');
    const entry = catalog.get(name)!;
    // On an API path the answer to a wrong method is the spec's 405: POST is the only method.
    const postOnly = wrongMethod && onApi;
    // Off the API a 405 stays one only with the Allow header RFC 9110 requires; else a 404.
    const is405 = postOnly || (wrongMethod && problem.headers?.['allow'] !== undefined);
    const built = problemFault(problem, context, {
      dialect: DIALECT,
      code: name,
      status: is405 ? 405 : entry.status,
      message: postOnly
        ? `${method ?? 'The method'} is not allowed: XKS proxy APIs accept POST only`
        : problem.message === ''
          ? entry.message
          : problem.message,
      name,
      description: entry.description,
      expose: postOnly || problem.expose,
      headers: postOnly ? { ...problem.headers, allow: 'POST' } : problem.headers,
    });
    return enforce(built, context);
  };

  return {
    id: DIALECT,
    catalog,
    fromProblem,
    adopt(thrown, context) {
      // A fault of another dialect, or one built by hand with a name outside the seed table,
      // is answered as the XKS fault of its status.
      if (thrown.dialect !== DIALECT || catalog.get(thrown.code) === undefined) {
        return fromProblem(classifyFault(thrown), context);
      }
      return enforce(thrown, context);
    },
    // KMS reads JSON only: XML Accept headers and SOAPAction change nothing.
    negotiate: () => JSON_ENCODING,
    render(f, _encoding, { message }): Rendered {
      if (f.status === 405) return METHOD_NOT_ALLOWED;
      const errorMessage = withMessage ? sanitizeErrorMessage(message) : '';
      // The wire format has exactly these two members; debug detail stays in the log.
      const body = { errorName: String(f.code), ...(errorMessage === '' ? {} : { errorMessage }) };
      return { status: f.status, headers: { 'content-type': MEDIA_TYPE }, body: JSON.stringify(body) };
    },
    fallback: withMessage ? XKS_FALLBACK : fallbackOf(false),
  };
}

/**
 * The schemas of this dialect's bodies: the JSON Schema (draft 2020-12) of its JSON bodies and
 * the XSDs of its XML bodies, shipped as `@faultline/core/schemas/*.xsd`.
 *
 * @param options - `catalogs`: your own catalogues, to make the code member an enum; `debug`
 * @returns `{ dialect, json, xml?, soap? }`
 * @example
 * ```ts
 * const { json } = xks.schema();
 * new Ajv2020().compile(json); // validates every JSON body the dialect renders
 * ```
 */
function schema(options?: SchemaOptions): DialectSchemas {
  return dialectSchemas(catalog, options);
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
export const xks = Object.freeze({
  id: DIALECT,
  catalog,
  /** Resolves the dialect options once into the runtime the handler uses. */
  configure,
  /** The JSON Schema (draft 2020-12) of the dialect's JSON bodies and the XSDs of its XML bodies. */
  schema,
  /** Builds an XKS fault by error name, e.g. `xks.fault('KeyNotFoundException', 'Key k-1 is not known')`. */
  fault,
  /** XKS statuses are the seed's: a spec with a `status` is a `TypeError`. */
  make(spec: FaultSpec): Fault {
    if (spec.status !== undefined) throw new TypeError('faultline: XKS statuses are fixed by the seed; drop the status');
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
  /** Reads a body in this dialect's convention back into its fault (`parseFault` uses it). */
  read: (document: FaultDocument): FaultReading | undefined => readXks(document, catalog),
  /** Every catalogue entry a code or name matches, explained with the code's arithmetic (`explain` uses it). */
  explain: (query: string): readonly Explanation[] => explainXks(query, catalog),
  /** Whether a path is under the XKS base path `[prefix]/kms/xks/v1`. */
  isUnderPrefix,
  /** Makes a text fit for `errorMessage`: printable ASCII only, cut to the maximum length. */
  sanitizeErrorMessage,
  /** The four XKS proxy APIs. */
  OPERATIONS: XKS_OPERATIONS,
  /** Each named profile's differences from the default (the XKS proxy API specification v1.0.x). */
  PROFILES: XKS_PROFILES,
}) satisfies Dialect<XksOptions>;
