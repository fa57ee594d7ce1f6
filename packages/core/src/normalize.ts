/**
 * Step 1 of the pipeline: read any thrown value safely into plain data, and classify the
 * errors that are not faults (step 2 for them).
 */
import { types } from 'node:util';
import { Fault, buildFault, isErrorStatus, isFault } from './fault.js';
import type { FaultDetail, FaultHeaders } from './fault.js';
import { sanitizeHeaders } from './headers.js';
import { safeGet, safeInstanceOf, stringOrUndefined, truncate } from './safe.js';
import { errorStatus, toStatus } from './status.js';
import { ALL_BUILTINS } from './builtins.js';
import type { Builtins } from './builtins.js';
import type { Problem, ProblemKind } from './dialects/types.js';
import { DEFAULT_LIMITS, boundedDetails, restDetail } from './limits.js';

// util.types.isNativeError never throws and never runs user code, even for Proxies.
const { isNativeError } = types;

/** The longest message, in UTF-16 units, that is kept from a thrown error. */
export const MAX_MESSAGE = DEFAULT_LIMITS.message;

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
 */
export function normalize(value: unknown, trustObjects = false, builtins: Builtins = ALL_BUILTINS, maxDetails: number = DEFAULT_LIMITS.details): ErrorLike {
  if (typeof value !== 'object' || value === null) {
    return { value, trusted: false };
  }
  if (isFault(value)) {
    const fault = ownFault(value, maxDetails);
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
  const bounded = message === undefined ? undefined : truncate(message, MAX_MESSAGE);
  if (!trustObjects && !isNativeError(value) && !safeInstanceOf(value, Error) && !safeInstanceOf(value, DOMException)) {
    // Not an Error: only its message is read, for the log. `isNativeError` also recognises
    // errors from another realm (a vm context, a test runner), where `instanceof Error` fails;
    // DOMException (what fetch and AbortSignal throw) is not a native error but counts as one.
    return { value, trusted: false, message: bounded };
  }
  const fields = errorFields(value);
  const rawCode = fields.code;
  const code = typeof rawCode === 'string' || typeof rawCode === 'number' ? rawCode : undefined;
  const framework = frameworkKind(code, stringOrUndefined(fields.type), builtins);
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
  const library = libraryValidation(value, name, fields.ajv, builtins, maxDetails);
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
  try {
    const v = value as Record<string, unknown>;
    return {
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
    return {
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
  maxDetails: number,
): LibraryValidation | undefined {
  try {
    const aggregate = builtins.aggregate && name === 'AggregateError' ? aggregateValidation(value, maxDetails) : undefined;
    if (aggregate !== undefined) return aggregate;
    const zodIssues = builtins.zod && name === 'ZodError' ? safeGet(value, 'issues') : undefined;
    const ajvErrors = builtins.ajv && ajv === true ? safeGet(value, 'errors') : undefined;
    let details: FaultDetail[];
    if (Array.isArray(zodIssues)) details = zodDetails(zodIssues, maxDetails);
    else if (Array.isArray(ajvErrors)) details = validationDetails(ajvErrors, undefined, maxDetails);
    else return undefined;
    const summary = details.map((d) => (d.pointer === '' ? d.message : `${d.pointer.slice(1)}: ${d.message}`)).join('; ');
    return { validation: details, message: truncate(summary === '' ? 'The input is not valid' : summary, MAX_MESSAGE) };
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
function aggregateValidation(value: object, maxDetails: number): LibraryValidation | undefined {
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
  const message = truncate(details.map((d) => d.message).join('; '), MAX_MESSAGE);
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
function ownFault(value: object, maxDetails: number): Fault {
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
      message: message === undefined ? '' : truncate(message, MAX_MESSAGE),
      name: stringOrUndefined(read('name')),
      description: stringOrUndefined(read('description')),
      details: readDetails(read('details'), maxDetails),
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

// Framework errors by code (Fastify) and by `type` (Express body-parser).
const KIND_BY_CODE: Readonly<Record<string, ProblemKind>> = {
  FST_ERR_NOT_FOUND: 'notFound',
  FST_ERR_VALIDATION: 'validation',
  FST_ERR_CTP_INVALID_JSON_BODY: 'invalidBody',
  FST_ERR_CTP_EMPTY_JSON_BODY: 'invalidBody',
  FST_ERR_CTP_BODY_TOO_LARGE: 'payloadTooLarge',
  FST_ERR_CTP_INVALID_MEDIA_TYPE: 'unsupportedMediaType',
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: 'badRequest',
  FST_ERR_BAD_URL: 'badRequest',
};
const KIND_BY_TYPE: Readonly<Record<string, ProblemKind>> = {
  'entity.parse.failed': 'invalidBody',
  'entity.too.large': 'payloadTooLarge',
  'parameters.too.many': 'payloadTooLarge',
  'encoding.unsupported': 'unsupportedMediaType',
  'charset.unsupported': 'unsupportedMediaType',
  'request.aborted': 'badRequest',
  'request.size.invalid': 'badRequest',
  'entity.verify.failed': 'forbidden',
};
// Framework messages differ between Express and Fastify and name parser internals; the
// client gets one text per kind (the original stays in the log).
const FRAMEWORK_MESSAGE: Readonly<Partial<Record<ProblemKind, string>>> = {
  invalidBody: 'The request body could not be parsed',
  payloadTooLarge: 'The request body is too large',
  unsupportedMediaType: 'The request content type or encoding is not supported',
};
// The framework error a code or body-parser `type` names, when its recogniser is on.
function frameworkKind(code: string | number | undefined, type: string | undefined, builtins: Builtins): ProblemKind | undefined {
  if (code === ROUTE_NOT_FOUND) return 'notFound';
  const byCode = builtins.fastify && typeof code === 'string' && Object.hasOwn(KIND_BY_CODE, code) ? KIND_BY_CODE[code] : undefined;
  const byType = builtins.bodyParser && type !== undefined && Object.hasOwn(KIND_BY_TYPE, type) ? KIND_BY_TYPE[type] : undefined;
  return byCode ?? byType;
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
  const canonical = like.framework;
  const problem: { -readonly [K in keyof Problem]: Problem[K] } = {
    kind,
    status,
    message:
      (canonical === undefined ? undefined : FRAMEWORK_MESSAGE[canonical]) ??
      (like.trusted ? like.message : undefined) ??
      '',
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
