/**
 * Step 1 of the pipeline: read any thrown value safely into plain data, and classify the
 * errors that are not faults (step 2 for them).
 */
import { types } from 'node:util';
import { Fault, buildFault, isErrorStatus, isFault } from '../fault.js';
import type { FaultDetail, FaultHeaders } from '../fault.js';
import { sanitizeHeaders } from '../headers.js';
import { safeGet, safeInstanceOf, stringOrUndefined, truncate } from '../safe.js';
import { errorStatus, toStatus } from '../status.js';
import { ALL_BUILTINS } from './recognise/index.js';
import type { Builtins } from './recognise/index.js';
import type { Problem, ProblemKind } from '../dialects/contract.js';
import { DEFAULT_LIMITS, boundedDetails, restDetail } from './limits.js';
import type { ResolvedLimits } from './limits.js';

// util.types.isNativeError never throws and never runs user code, even for Proxies.
const { isNativeError } = types;

/** The longest message, in UTF-16 units, that is kept from a thrown error by default (`limits.message`). */
export const MAX_MESSAGE = DEFAULT_LIMITS.message;

/** The limits `normalize` applies: the message's length and the number of details. */
export type NormalizeLimits = Pick<ResolvedLimits, 'message' | 'details'>;

/** A thrown value, read once and safely. */
export interface ErrorLike {
  /** The thrown value itself. */
  readonly value: unknown;
  /** The value when it is a fault (of this install or rebuilt from another). */
  readonly fault?: Fault;
  /** Whether the value's status, message and headers are read (Errors; objects if configured). */
  readonly trusted: boolean;
  readonly name?: string;
  readonly message?: string;
  readonly code?: string | number;
  /** A valid error status the value carries (`status`, then `statusCode`, then Boom's). */
  readonly status?: number;
  readonly expose?: boolean;
  readonly headers?: FaultHeaders;
  /** The framework error it is (Fastify's codes, body-parser's `type`, an unknown route). */
  readonly framework?: ProblemKind;
  /** The fixed text a client gets for that framework error instead of the library's message. */
  readonly frameworkText?: string;
  /** Validation problems (Fastify, zod, ajv, an AggregateError of client errors). */
  readonly validation?: readonly FaultDetail[];
  /** `false` when the `network` built-in is off: the value is not read as a failed dependency call. */
  readonly network?: false;
}

/**
 * Reads a thrown value. Never throws, whatever the value: `null`, Symbols, BigInts,
 * Proxies with throwing traps, objects whose getters throw.
 *
 * @param value - anything that was thrown
 * @param trustObjects - read status, message and headers from non-Error objects too
 * @param builtins - the built-in recognisers that are on
 * @param limits - the longest message kept and the most details read (`limits` option)
 */
export function normalize(
  value: unknown,
  trustObjects = false,
  builtins: Builtins = ALL_BUILTINS,
  limits: NormalizeLimits = DEFAULT_LIMITS,
): ErrorLike {
  if (typeof value !== 'object' || value === null) {
    return { value, trusted: false };
  }
  const maxDetails = limits.details;
  const maxMessage = limits.message;
  if (isFault(value)) {
    const fault = ownFault(value, limits);
    return {
      value,
      fault,
      trusted: true,
      name: fault.name,
      message: fault.message,
      status: fault.status,
    };
  }
  const message = stringOrUndefined(safeGet(value, 'message'));
  const bounded = message === undefined ? undefined : truncate(message, maxMessage);
  if (!trustObjects && !isNativeError(value) && !safeInstanceOf(value, Error) && !safeInstanceOf(value, DOMException)) {
    // Not an Error: only its message is read, for the log. `isNativeError` also recognises
    // errors from another realm (a vm context, a test runner), where `instanceof Error` fails;
    // DOMException (what fetch and AbortSignal throw) is not a native error but counts as one.
    return { value, trusted: false, message: bounded };
  }
  const fields = errorFields(value);
  const rawCode = fields.code;
  const code = typeof rawCode === 'string' || typeof rawCode === 'number' ? rawCode : undefined;
  const named = frameworkError(code, stringOrUndefined(fields.type), builtins);
  // A zlib error is body-parser's only when body-parser gave it its 400; thrown by the
  // application's own code, it is an internal error like any other.
  const known = named === BODY_UNDECODABLE && !isClientStatus(errorStatus(fields.status, fields.statusCode)) ? undefined : named;
  const framework = known?.kind;
  // Without `httpErrors`, only the errors a recogniser claims keep their status.
  const reads = builtins.httpErrors || framework !== undefined;
  const boom = builtins.httpErrors && fields.isBoom === true ? safeGet(value, 'output') : undefined;
  const boomOutput = typeof boom === 'object' && boom !== null ? boom : undefined;
  const status = reads
    ? (errorStatus(fields.status, fields.statusCode) ?? (boomOutput === undefined ? undefined : toStatus(boomOutput)))
    : undefined;
  const expose = status === undefined ? undefined : fields.expose;
  const name = stringOrUndefined(fields.name);
  const validation = builtins.fastify ? readValidation(fields.validation, fields.validationContext, maxDetails) : undefined;
  // zod, ajv and AggregateError problems, when the value is one, replace message and validation.
  const library = libraryValidation(value, name, fields.ajv, builtins, limits);
  const like: { -readonly [K in keyof ErrorLike]: ErrorLike[K] } = {
    value,
    trusted: true,
    name,
    message: library === undefined ? bounded : library.message,
    code,
    status,
    expose: typeof expose === 'boolean' ? expose : undefined,
    headers:
      status === undefined
        ? undefined
        : sanitizeHeaders(fields.headers ?? safeGet(boomOutput ?? {}, 'headers')),
    framework,
    frameworkText: known?.text,
    validation: library === undefined ? validation : library.validation,
  };
  if (!builtins.network) like.network = false;
  return like;
}

/** The properties of an Error that normalize reads, each read once. */
interface ErrorFields {
  readonly code: unknown;
  readonly type: unknown;
  readonly isBoom: unknown;
  readonly status: unknown;
  readonly statusCode: unknown;
  readonly expose: unknown;
  readonly name: unknown;
  readonly headers: unknown;
  readonly validation: unknown;
  readonly validationContext: unknown;
  readonly ajv: unknown;
}

// Plain reads in one guarded block, so that every read site sees one kind of error and stays
// fast. Should a getter or a Proxy trap throw, the fields are read again one by one, each
// guarded, and a throwing one is undefined.
function errorFields(value: object): ErrorFields {
  let fields: ErrorFields;
  try {
    const v = value as Record<string, unknown>;
    fields = {
      code: v.code,
      type: v.type,
      isBoom: v.isBoom,
      status: v.status,
      statusCode: v.statusCode,
      expose: v.expose,
      name: v.name,
      headers: v.headers,
      validation: v.validation,
      validationContext: v.validationContext,
      ajv: v.ajv,
    };
  } catch {
    fields = {
      code: safeGet(value, 'code'),
      type: safeGet(value, 'type'),
      isBoom: safeGet(value, 'isBoom'),
      status: safeGet(value, 'status'),
      statusCode: safeGet(value, 'statusCode'),
      expose: safeGet(value, 'expose'),
      name: safeGet(value, 'name'),
      headers: safeGet(value, 'headers'),
      validation: safeGet(value, 'validation'),
      validationContext: safeGet(value, 'validationContext'),
      ajv: safeGet(value, 'ajv'),
    };
  }
  return inheritsPollution(fields) ? unpolluted(value, fields) : fields;
}

const FIELD_NAMES: readonly (keyof ErrorFields)[] = [
  'code', 'type', 'isBoom', 'status', 'statusCode', 'expose', 'name', 'headers', 'validation', 'validationContext', 'ajv',
];

// Whether a field holds a value that Object.prototype itself carries, because other code put it
// there (`Object.prototype.statusCode = 400`): every error would inherit it. Only fields that
// hold a value are looked up, so a plain error costs a lookup or two.
function inheritsPollution(fields: ErrorFields): boolean {
  for (const key of FIELD_NAMES) {
    if (fields[key] !== undefined && Object.hasOwn(Object.prototype, key)) return true;
  }
  return false;
}

// The fields without the values an error only inherits from Object.prototype.
function unpolluted(value: object, fields: ErrorFields): ErrorFields {
  const clean: { -readonly [K in keyof ErrorFields]: unknown } = { ...fields };
  const base = Object.prototype as unknown as Record<string, unknown>;
  for (const key of FIELD_NAMES) {
    if (clean[key] !== undefined && Object.hasOwn(base, key) && clean[key] === base[key] && !ownsBelowObject(value, key)) {
      clean[key] = undefined;
    }
  }
  return clean;
}

// Whether `key` is defined on the value or on a prototype of its own (its class), before
// Object.prototype.
function ownsBelowObject(value: object, key: string): boolean {
  try {
    for (let at: object | null = value, depth = 0; at !== null && at !== Object.prototype && depth < 32; depth++) {
      if (Object.hasOwn(at, key)) return true;
      at = Object.getPrototypeOf(at) as object | null;
    }
  } catch {
    // a Proxy's trap threw: treat the value as inherited
  }
  return false;
}

/**
 * Validation errors of zod (`ZodError`: `issues` with `path`, `message`, `code`) and ajv
 * (`Ajv.ValidationError`: `ajv: true`, `errors` with `instancePath`, `message`, `keyword`), read
 * into the one validation shape. Their own messages are long (zod's is JSON), so the message
 * becomes a summary of the problems. Values from the input are never copied.
 */
function libraryValidation(
  value: object,
  name: string | undefined,
  ajv: unknown,
  builtins: Builtins,
  { details: maxDetails, message: maxMessage }: NormalizeLimits,
): LibraryValidation | undefined {
  try {
    const aggregate = builtins.aggregate && name === 'AggregateError' ? aggregateValidation(value, maxDetails, maxMessage) : undefined;
    if (aggregate !== undefined) return aggregate;
    const zodIssues = builtins.zod && name === 'ZodError' ? safeGet(value, 'issues') : undefined;
    const ajvErrors = builtins.ajv && ajv === true ? safeGet(value, 'errors') : undefined;
    let details: FaultDetail[];
    if (Array.isArray(zodIssues)) details = zodDetails(zodIssues, maxDetails);
    else if (Array.isArray(ajvErrors)) details = validationDetails(ajvErrors, undefined, maxDetails);
    else return undefined;
    const summary = details.map((d) => (d.pointer === '' ? d.message : `${d.pointer.slice(1)}: ${d.message}`)).join('; ');
    return { validation: details, message: truncate(summary === '' ? 'The input is not valid' : summary, maxMessage) };
  } catch {
    return undefined; // a Proxy or an array with throwing getters
  }
}

/** Validation problems read from a library's error, and the message that sums them up. */
interface LibraryValidation {
  readonly validation: readonly FaultDetail[];
  readonly message: string;
}

// An AggregateError whose every member is an Error with a 4xx status is the caller's mistakes,
// one detail each; any other AggregateError is left to the usual answer (its status, or 500).
function aggregateValidation(value: object, maxDetails: number, maxMessage: number): LibraryValidation | undefined {
  if (toStatus(value) !== undefined) return undefined;
  const members = safeGet(value, 'errors');
  if (!Array.isArray(members) || members.length === 0) return undefined;
  const details: FaultDetail[] = [];
  const over = members.length > maxDetails;
  for (const member of members.slice(0, over ? maxDetails - 1 : maxDetails)) {
    if (typeof member !== 'object' || member === null || !isNativeError(member)) return undefined;
    const status = toStatus(member);
    if (status === undefined || status >= 500) return undefined;
    const code = safeGet(member, 'code');
    details.push({
      pointer: '',
      message: truncate(stringOrUndefined(safeGet(member, 'message')) ?? 'is invalid', 512),
      ...(typeof code === 'string' ? { keyword: truncate(code, 64) } : {}),
    });
  }
  const message = truncate(details.map((d) => d.message).join('; '), maxMessage);
  if (over) details.push(restDetail(members.length - details.length));
  return { validation: details, message };
}

// zod issues: `path` segments, `message`, `code`.
function zodDetails(issues: readonly unknown[], maxDetails: number): FaultDetail[] {
  return boundedDetails(issues, maxDetails, (item) => {
    if (typeof item !== 'object' || item === null) return undefined;
    const path = safeGet(item, 'path');
    const pointer = Array.isArray(path) ? path.map((segment) => `/${escapePointer(String(segment))}`).join('') : '';
    const keyword = stringOrUndefined(safeGet(item, 'code'));
    return {
      pointer: truncate(pointer, 512),
      message: truncate(stringOrUndefined(safeGet(item, 'message')) ?? 'is invalid', 512),
      ...(keyword === undefined ? {} : { keyword: truncate(keyword, 64) }),
    };
  });
}

// A fault from another install of faultline is rebuilt from guarded reads of its fields.
function ownFault(value: object, limits: NormalizeLimits): Fault {
  try {
    if (Object.prototype.isPrototypeOf.call(Fault.prototype, value)) return value as Fault;
  } catch {
    // a Proxy: rebuild below
  }
  const read = (key: PropertyKey) => safeGet(value, key);
  const code = read('code');
  const message = stringOrUndefined(read('message'));
  return buildFault(
    {
      dialect: stringOrUndefined(read('dialect')) ?? 'unknown',
      code: typeof code === 'string' || typeof code === 'number' ? code : 'unknown',
      status: toStatus(value) ?? 500,
      message: message === undefined ? '' : truncate(message, limits.message),
      name: stringOrUndefined(read('name')),
      description: stringOrUndefined(read('description')),
      details: readDetails(read('details'), limits.details),
      expose: read('expose') === true,
      headers: sanitizeHeaders(read('headers')),
      cause: read('cause'),
      correlationId: stringOrUndefined(read('correlationId')),
    },
    { stack: stringOrUndefined(read('stack')) },
  );
}

// Fastify's `validation` (ajv errors): keep the pointer, message and keyword, never the
// `params` values, which echo the input.
function readValidation(raw: unknown, context: unknown, maxDetails: number): readonly FaultDetail[] | undefined {
  try {
    return Array.isArray(raw) ? validationDetails(raw, context, maxDetails) : undefined;
  } catch {
    return undefined; // a Proxy or an array with throwing getters
  }
}

function validationDetails(raw: readonly unknown[], context: unknown, maxDetails: number): FaultDetail[] {
  const prefix = typeof context === 'string' && /^[a-z]{1,20}$/.test(context) ? `/${context}` : '';
  return boundedDetails(raw, maxDetails, (item) => {
    if (typeof item !== 'object' || item === null) return undefined;
    const path = stringOrUndefined(safeGet(item, 'instancePath')) ?? '';
    const params = safeGet(item, 'params');
    const missing =
      typeof params === 'object' && params !== null
        ? stringOrUndefined(safeGet(params, 'missingProperty'))
        : undefined;
    const keyword = stringOrUndefined(safeGet(item, 'keyword'));
    return {
      pointer: truncate(prefix + path + (missing === undefined ? '' : `/${escapePointer(missing)}`), 512),
      message: truncate(stringOrUndefined(safeGet(item, 'message')) ?? 'is invalid', 512),
      ...(keyword === undefined ? {} : { keyword: truncate(keyword, 64) }),
    };
  });
}

// The `details` of a fault from another install: the same shape, re-read defensively.
function readDetails(raw: unknown, maxDetails: number): readonly FaultDetail[] | undefined {
  try {
    if (!Array.isArray(raw)) return undefined;
    return boundedDetails(raw, maxDetails, (item) => {
      if (typeof item !== 'object' || item === null) return undefined;
      const pointer = stringOrUndefined(safeGet(item, 'pointer'));
      const message = stringOrUndefined(safeGet(item, 'message'));
      const keyword = stringOrUndefined(safeGet(item, 'keyword'));
      if (pointer === undefined || message === undefined) return undefined;
      return { pointer: truncate(pointer, 512), message: truncate(message, 512), ...(keyword === undefined ? {} : { keyword: truncate(keyword, 64) }) };
    });
  } catch {
    return undefined;
  }
}

function escapePointer(segment: string): string {
  return segment.replace(/~/g, '~0').replace(/\//g, '~1');
}

/**
 * The code faultline's not-found helpers give their 404 error.
 *
 * @example
 * ```ts
 * const fault = createFaultHandler({ dialect: 'problem' }).handle(routeNotFound('GET', '/nope')).fault;
 * fault.status; // 404; the thrown error's code is ROUTE_NOT_FOUND
 * ```
 */
export const ROUTE_NOT_FOUND = 'FAULTLINE_ROUTE_NOT_FOUND';

/**
 * The error the adapters raise for a request no route matches. It reflects the method and
 * path (cut to 256 characters); every encoding escapes them.
 *
 * @param method - the request method
 * @param url - the request target; the query string is dropped
 * @returns a 404 error that every dialect renders as its not-found fault
 * @example
 * ```ts
 * routeNotFound('GET', '/x?token=1').message; // 'No route for GET /x'
 * ```
 */
export function routeNotFound(method: string | undefined, url: string | undefined): Error {
  const path = truncate((url ?? '/').split('?', 1)[0] ?? '/', 256);
  return Object.assign(stacklessError(`No route for ${method ?? 'GET'} ${path}`), {
    status: 404,
    expose: true,
    code: ROUTE_NOT_FOUND,
  });
}

// An Error whose stack names no frames: the frames would be faultline's own and say nothing,
// and capturing them is the dearest step of answering a flood of requests for unknown routes.
function stacklessError(message: string): Error {
  const limit = Error.stackTraceLimit;
  Error.stackTraceLimit = 0;
  try {
    return new Error(message);
  } finally {
    Error.stackTraceLimit = limit;
  }
}

/** A framework or library error faultline knows: its kind, and the one text a client gets for it. */
interface KnownError {
  readonly kind: ProblemKind;
  /** `undefined` where the error's own message is the client's (an unknown route's path, validation). */
  readonly text?: string;
}

// Library messages name parser internals, differ between Express and Fastify, and may carry
// what an application put in them (body-parser's `verify` error: a signature, a key id); the
// client gets one fixed text per kind of error, and the original goes to the log.
const BODY_UNREADABLE: KnownError = { kind: 'invalidBody', text: 'The request body could not be parsed' };
const BODY_UNDECODABLE: KnownError = { kind: 'invalidBody', text: 'The request body could not be decoded' };
const TOO_LARGE: KnownError = { kind: 'payloadTooLarge', text: 'The request body is too large' };
const UNSUPPORTED: KnownError = { kind: 'unsupportedMediaType', text: 'The request content type or encoding is not supported' };
const LENGTH_MISMATCH: KnownError = { kind: 'badRequest', text: 'The request body does not match its Content-Length' };

// Fastify's errors by code.
const BY_CODE: Readonly<Record<string, KnownError>> = {
  FST_ERR_NOT_FOUND: { kind: 'notFound', text: 'Not Found' },
  FST_ERR_VALIDATION: { kind: 'validation' },
  FST_ERR_CTP_INVALID_JSON_BODY: BODY_UNREADABLE,
  FST_ERR_CTP_EMPTY_JSON_BODY: BODY_UNREADABLE,
  FST_ERR_CTP_BODY_TOO_LARGE: TOO_LARGE,
  FST_ERR_CTP_INVALID_MEDIA_TYPE: UNSUPPORTED,
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: LENGTH_MISMATCH,
  FST_ERR_BAD_URL: { kind: 'badRequest', text: 'The request URL is not valid' },
};
// Express body-parser's (and raw-body's) errors by `type`.
const BY_TYPE: Readonly<Record<string, KnownError>> = {
  'entity.parse.failed': BODY_UNREADABLE,
  'entity.too.large': TOO_LARGE,
  'parameters.too.many': TOO_LARGE,
  'encoding.unsupported': UNSUPPORTED,
  'charset.unsupported': UNSUPPORTED,
  'request.aborted': { kind: 'badRequest', text: 'The request was aborted before its body was read' },
  'request.size.invalid': LENGTH_MISMATCH,
  'entity.verify.failed': { kind: 'forbidden', text: 'The request body failed verification' },
};
// zlib's errors, which body-parser passes on with status 400 when a gzip, deflate or brotli
// body cannot be inflated ("incorrect header check").
const ZLIB_CODE = /^(?:Z_[A-Z_]+|ERR__ERROR_[A-Z0-9_]+)$/;
const ROUTE: KnownError = { kind: 'notFound' };

const isClientStatus = (status: number | undefined): boolean => status !== undefined && status < 500;

// The framework error a code or body-parser `type` names, when its recogniser is on.
function frameworkError(code: string | number | undefined, type: string | undefined, builtins: Builtins): KnownError | undefined {
  if (code === ROUTE_NOT_FOUND) return ROUTE;
  if (typeof code === 'string' && builtins.fastify && Object.hasOwn(BY_CODE, code)) return BY_CODE[code];
  if (!builtins.bodyParser) return undefined;
  if (type !== undefined && Object.hasOwn(BY_TYPE, type)) return BY_TYPE[type];
  return typeof code === 'string' && ZLIB_CODE.test(code) ? BODY_UNDECODABLE : undefined;
}

const KIND_BY_STATUS: Readonly<Record<number, ProblemKind>> = {
  400: 'badRequest',
  401: 'unauthorized',
  403: 'forbidden',
  404: 'notFound',
  405: 'methodNotAllowed',
  413: 'payloadTooLarge',
  415: 'unsupportedMediaType',
  422: 'validation',
  429: 'tooManyRequests',
};

/**
 * Classifies an error that is not a fault. The status is the error's own (4xx/5xx only),
 * else `fallbackStatus` when that is an error status (the response's status, as Express's
 * finalhandler does), else 500. The message is exposed only when the error says so
 * (`expose`) or carries a 4xx status itself.
 *
 * @param like - the normalised error
 * @param fallbackStatus - the response's status before the error, if any
 * @returns the problem the dialect turns into its fault
 */
export function classify(like: ErrorLike, fallbackStatus?: number): Problem {
  const own = like.trusted ? like.status : undefined;
  // A validation error without a status of its own (zod, ajv) is the caller's: 400.
  const status = own ?? (like.validation !== undefined ? 400 : isErrorStatus(fallbackStatus) ? fallbackStatus : 500);
  const kind: ProblemKind =
    like.framework ??
    (like.validation !== undefined ? 'validation' : undefined) ??
    KIND_BY_STATUS[status] ??
    (own === undefined ? 'internal' : status >= 500 ? 'serverError' : 'clientError');
  const problem: { -readonly [K in keyof Problem]: Problem[K] } = {
    kind,
    status,
    message: like.frameworkText ?? (like.trusted ? like.message : undefined) ?? '',
    expose: like.trusted && (like.expose ?? (status < 500 && (own !== undefined || like.validation !== undefined))),
    // Assigned rather than spread in: this runs for every error that is not a fault.
    headers: like.headers,
    details: like.validation,
    cause: like.value,
    trusted: like.trusted,
    network: like.network,
  };
  // Only trusted values carry their name and code, and untrusted ones not even the key.
  if (like.trusted && like.name !== undefined) problem.name = like.name;
  if (like.trusted && like.code !== undefined) problem.code = like.code;
  return problem;
}

/** A fault of another dialect, as a problem the handler's dialect turns into its own fault. */
export function classifyFault(fault: Fault): Problem {
  return {
    kind: KIND_BY_STATUS[fault.status] ?? (fault.status >= 500 ? 'serverError' : 'clientError'),
    status: fault.status,
    message: fault.message,
    expose: fault.expose,
    ...(fault.headers === undefined ? {} : { headers: fault.headers }),
    ...(fault.details === undefined ? {} : { details: fault.details }),
    cause: fault,
    trusted: true,
  };
}
