/**
 * Step 1 of the pipeline: read any thrown value safely into plain data (`ErrorLike`). The
 * recognisers (`./recognise/`) name the framework and validation errors among them.
 *
 * @module
 */
import { Fault, buildFault, isFault } from '../fault.js';
import type { FaultDetail } from '../fault.js';
import { sanitizeHeaders } from '../headers.js';
import { isNativeError, safeGet, safeInstanceOf, stringOrUndefined, truncate } from '../safe.js';
import { errorStatus, toStatus } from '../status.js';
import { ALL_BUILTINS } from './recognise/index.js';
import type { Builtins } from './recognise/index.js';
import { BODY_UNDECODABLE, STATUS_PAGE, frameworkError } from './recognise/framework.js';
import { libraryValidation, readValidation } from './recognise/validation.js';
import { DEFAULT_LIMITS, boundedDetails } from './limits.js';
import type { NormalizeLimits } from './limits.js';
import type { ErrorLike } from './types.js';
import { isUpstreamFault, upstreamInfo } from './upstream.js';

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
  if (isUpstreamFault(value)) {
    // The upstream's answer: its status is the upstream's, not one asked of the caller.
    const upstream = upstreamInfo(value);
    return {
      value,
      trusted: true,
      name: 'UpstreamFault',
      message: bounded,
      ...(upstream.code === undefined ? {} : { code: upstream.code }),
      upstream,
    };
  }
  if (
    !trustObjects &&
    !isNativeError(value) &&
    !safeInstanceOf(value, Error) &&
    !safeInstanceOf(value, DOMException)
  ) {
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
  const known =
    named === BODY_UNDECODABLE && !isClientStatus(errorStatus(fields.status, fields.statusCode))
      ? undefined
      : named;
  const framework = known?.kind;
  // Without `httpErrors`, only the errors a recogniser claims keep their status.
  const reads = builtins.httpErrors || framework !== undefined || code === STATUS_PAGE;
  const boom = builtins.httpErrors && fields.isBoom === true ? safeGet(value, 'output') : undefined;
  const boomOutput = typeof boom === 'object' && boom !== null ? boom : undefined;
  const status = reads
    ? (errorStatus(fields.status, fields.statusCode) ??
      (boomOutput === undefined ? undefined : toStatus(boomOutput)))
    : undefined;
  const expose = status === undefined ? undefined : fields.expose;
  const name = stringOrUndefined(fields.name);
  const validation = builtins.fastify
    ? readValidation(fields.validation, fields.validationContext, maxDetails)
    : undefined;
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
  return prototypePolluted() && inheritsPollution(fields) ? unpolluted(value, fields) : fields;
}

// Whether Object.prototype has an enumerable property of its own, as a key other code assigned
// to it (`Object.prototype.statusCode = 400`) has: its built-in members are not enumerable. A
// few nanoseconds, so the field-by-field check below runs only then.
function prototypePolluted(): boolean {
  for (const _ in Object.prototype) return true;
  return false;
}

const FIELD_NAMES: readonly (keyof ErrorFields)[] = [
  'code',
  'type',
  'isBoom',
  'status',
  'statusCode',
  'expose',
  'name',
  'headers',
  'validation',
  'validationContext',
  'ajv',
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
    if (
      clean[key] !== undefined &&
      Object.hasOwn(base, key) &&
      clean[key] === base[key] &&
      !ownsBelowObject(value, key)
    ) {
      clean[key] = undefined;
    }
  }
  return clean;
}

// Whether `key` is defined on the value or on a prototype of its own (its class), before
// Object.prototype.
function ownsBelowObject(value: object, key: string): boolean {
  try {
    for (
      let at: object | null = value, depth = 0;
      at !== null && at !== Object.prototype && depth < 32;
      depth++
    ) {
      if (Object.hasOwn(at, key)) return true;
      at = Object.getPrototypeOf(at) as object | null;
    }
  } catch {
    // a Proxy's trap threw: treat the value as inherited
  }
  return false;
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
      return {
        pointer: truncate(pointer, 512),
        message: truncate(message, 512),
        ...(keyword === undefined ? {} : { keyword: truncate(keyword, 64) }),
      };
    });
  } catch {
    return undefined;
  }
}

const isClientStatus = (status: number | undefined): boolean =>
  status !== undefined && status < 500;
