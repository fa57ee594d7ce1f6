/**
 * AST Certificate Authority errors (KOBIL AST, subsystem 510): numeric codes made of the
 * subsystem's digits followed by the error code's (`510` ‖ `10` = `51010`), sent as one JSON
 * object (seed `001`, `wire-formats.md` Part 1 "AST certificate authority").
 *
 * @module
 */
import { makeCatalog } from '../../catalog.js';
import type { CatalogEntry } from '../../catalog.js';
import { Fault, copyFault, isErrorStatus } from '../../fault.js';
import type { FaultDetail, FaultHeaders } from '../../fault.js';
import { classifyFault } from '../../pipeline/normalize.js';
import { reasonPhrase } from '../../status.js';
import { debugJson, networkFailure, problemFault, withCorrelationId } from '../kit.js';
import type {
  Dialect,
  DialectRuntime,
  Encoding,
  Problem,
  ProblemKind,
  Rendered,
  ResolveContext,
  FaultSpec,
} from '../contract.js';
import { AST_ENTRIES, AST_SUBSYSTEM } from './catalog.js';
import type { AstCatalogCode, AstName } from './catalog.js';
import { explainAst, readAst } from './read.js';
import type { FaultDocument } from '../../read/document.js';
import type { Explanation, FaultReading } from '../../read/types.js';
import { dialectSchemas } from '../../schemas.js';
import type { DialectSchemas, SchemaOptions } from '../../schemas.js';

export { AST_ENTRIES, AST_SUBSYSTEM, AST_UNAUTHORIZED_CASES } from './catalog.js';
export type { AstCatalogCode, AstCatalogEntry, AstName } from './catalog.js';

/**
 * Options of the `ast` dialect (`ast: {...}` in the handler options).
 *
 * @example
 * ```ts
 * const ast: AstOptions = { correlationId: true, notFound: 'SignerNotFound' };
 * createFaultHandler({ dialect: 'ast', ast });
 * ```
 */
export interface AstOptions {
  /**
   * Send the fault's correlation id as the `correlationId` member, after `message`, so that
   * clients can quote it. By default the body is exactly wire-formats' `{"code","name","message"}`
   * (plus `details`).
   * @default false
   */
  readonly correlationId?: boolean;
  /**
   * The catalogue entry (name or code, with status 404) that answers not-found errors that
   * name no resource: unknown routes and plain 404 errors. The seed's "404 and 404x" table has
   * no generic 404 code, so this picks one of its specific codes.
   * @default 'SignerNotFound'
   */
  readonly notFound?: AstName | AstCatalogCode;
}

/**
 * Options of {@link ast.fault}.
 *
 * @example
 * ```ts
 * const options: AstFaultOptions = { details: [{ pointer: '/csr', message: 'signature does not verify' }] };
 * throw ast.fault('InvalidCsrSignature', 'The CSR signature is invalid', options);
 * ```
 */
export interface AstFaultOptions {
  /** Validation problems, sent as `details`. */
  readonly details?: readonly FaultDetail[];
  /** Extra response headers. */
  readonly headers?: FaultHeaders;
  /** The error that caused this one (logged, sent only with `debug`). */
  readonly cause?: unknown;
  /**
   * Whether the message may reach the client. Faults built here are deliberate, so their
   * message is sent even with a 5xx status; pass `false` to send the catalogue's text.
   * @default true
   */
  readonly expose?: boolean;
  /**
   * The HTTP status of a code outside the catalogue (a team's own subsystem, e.g. 516).
   * Catalogue codes keep the catalogue's status; giving another one is a `TypeError`.
   */
  readonly status?: number;
  /** The `name` of a code outside the catalogue. @default String(code) */
  readonly name?: string;
}

/**
 * A full code split into its parts, as {@link ast.decode} returns it.
 *
 * @example
 * ```ts
 * const parts: AstCodeParts | undefined = ast.decode(5104001); // { subsystem: 510, error: 4001 }
 * ```
 */
export interface AstCodeParts {
  readonly subsystem: number;
  readonly error: number;
}

const DIALECT = 'ast';
const MEDIA_TYPE = 'application/json;charset=utf-8';
const JSON_ENCODING: Encoding = { id: 'json', mediaType: 'application/json' };

const catalog = makeCatalog<number>(DIALECT, AST_ENTRIES);
const byName = new Map<string, CatalogEntry<number>>(catalog.entries.map((e) => [e.name, e]));

// `entryNamed` only ever looks up names of the seed table, so a miss is a typo here.
function entryNamed(name: AstName): CatalogEntry<number> {
  const entry = byName.get(name);
  if (entry === undefined) throw new Error(`faultline: the AST catalogue lacks ${name}`);
  return entry;
}

const BAD_REQUEST = entryNamed('BadRequest');
const MISSING_FIELD = entryNamed('MissingField');
const MALFORMED_BODY = entryNamed('MalformedBody');
const UNAUTHORIZED = entryNamed('Unauthorized');
const FORBIDDEN = entryNamed('Forbidden');
const INTERNAL_ERROR = entryNamed('InternalError');
const SERVICE_UNAVAILABLE = entryNamed('ServiceUnavailable');

const FALLBACK_BODY = JSON.stringify({ code: INTERNAL_ERROR.code, name: INTERNAL_ERROR.name, message: INTERNAL_ERROR.message });

function isPart(value: unknown): value is number {
  return typeof value === 'number' && Number.isSafeInteger(value) && value > 0;
}

/**
 * Joins a subsystem and an error code into a full code: the subsystem's decimal digits
 * followed by the error code's.
 *
 * @param subsystem - a positive integer, e.g. `510`
 * @param error - a positive integer, e.g. `4001`
 * @returns the full code, e.g. `5104001`
 * @throws TypeError when either part is not a positive integer or the result is not a safe integer
 * @example
 * ```ts
 * ast.code(510, 10);    // 51010
 * ast.code(510, 50021); // 51050021
 * ```
 */
function code(subsystem: number, error: number): number {
  if (!isPart(subsystem)) {
    throw new TypeError(`faultline: an AST subsystem must be a positive integer, got ${String(subsystem)}`);
  }
  if (!isPart(error)) {
    throw new TypeError(`faultline: an AST error code must be a positive integer, got ${String(error)}`);
  }
  const full = Number(`${subsystem}${error}`);
  if (!Number.isSafeInteger(full)) {
    throw new TypeError(`faultline: AST code ${subsystem}‖${error} is too long for a JSON number`);
  }
  return full;
}

/**
 * Splits a full code into subsystem and error code, the inverse of {@link ast.code}. A value
 * that is no such code (not a positive integer, other leading digits, nothing or a leading
 * zero after them) gives `undefined`: decode is meant for codes read from the wire.
 *
 * @param full - a full code, e.g. `5104001`
 * @param [subsystem=510] - the subsystem whose codes to recognise
 * @returns `{ subsystem, error }`, or `undefined`
 * @throws TypeError when `subsystem` is not a positive integer
 * @example
 * ```ts
 * ast.decode(5104001);     // { subsystem: 510, error: 4001 }
 * ast.decode(51610, 516);  // { subsystem: 516, error: 10 }
 * ast.decode(51610);       // undefined
 * ```
 */
function decode(full: number, subsystem: number = AST_SUBSYSTEM): AstCodeParts | undefined {
  if (!isPart(subsystem)) {
    throw new TypeError(`faultline: an AST subsystem must be a positive integer, got ${String(subsystem)}`);
  }
  if (!isPart(full)) return undefined;
  const digits = String(full);
  const prefix = String(subsystem);
  const rest = digits.slice(prefix.length);
  // A leading zero would not survive `code`, so such a split is not a round trip.
  if (!digits.startsWith(prefix) || rest === '' || rest.startsWith('0')) return undefined;
  return { subsystem, error: Number(rest) };
}

function checkDetails(value: unknown): readonly FaultDetail[] | undefined {
  if (value === undefined) return undefined;
  const shape = 'faultline: ast.fault options.details must be an array of { pointer, message, keyword? } with string values';
  if (!Array.isArray(value)) throw new TypeError(shape);
  return Object.freeze(
    value.map((item: unknown) => {
      if (typeof item !== 'object' || item === null) throw new TypeError(shape);
      const { pointer, message, keyword } = item as Record<string, unknown>;
      if (typeof pointer !== 'string' || typeof message !== 'string' || (keyword !== undefined && typeof keyword !== 'string')) {
        throw new TypeError(shape);
      }
      return Object.freeze(keyword === undefined ? { pointer, message } : { pointer, message, keyword });
    }),
  );
}

// The catalogue entry of a name or code; codes outside it are the caller's own subsystem's.
function resolveCode(nameOrCode: unknown, options: AstFaultOptions): { code: number; status: number; name: string; entry?: CatalogEntry<number> } {
  if (typeof nameOrCode === 'string') {
    const entry = byName.get(nameOrCode);
    if (entry === undefined) throw new TypeError(`faultline: '${nameOrCode}' is not a name of the AST catalogue`);
    return { code: entry.code, status: entry.status, name: entry.name, entry };
  }
  if (!isPart(nameOrCode)) {
    throw new TypeError(`faultline: an AST fault needs a catalogue name or a positive integer code, got ${String(nameOrCode)}`);
  }
  const entry = catalog.get(nameOrCode);
  if (entry !== undefined) return { code: entry.code, status: entry.status, name: entry.name, entry };
  if (String(nameOrCode).startsWith(String(AST_SUBSYSTEM))) {
    throw new TypeError(`faultline: ${nameOrCode} is not in the AST catalogue (subsystem ${AST_SUBSYSTEM} has only the seed's codes)`);
  }
  if (options.status === undefined) {
    throw new TypeError(`faultline: AST code ${nameOrCode} is not in the catalogue; give options.status for a code of your own subsystem`);
  }
  return { code: nameOrCode, status: options.status, name: options.name ?? String(nameOrCode) };
}

/**
 * Builds an AST fault by catalogue name or full code. Status and default message come from
 * the catalogue. A code of another subsystem (e.g. a team's own 516 codes) is accepted as a
 * full number when `options.status` is given; its name defaults to the code's digits.
 *
 * @param nameOrCode - a catalogue name (`'InvalidCsrSignature'`) or a full code (`51010`)
 * @param message - the `message` text; default: the catalogue's Details text
 * @param options - details, headers, cause, exposure; status and name for own codes
 * @returns the fault, ready to throw
 * @throws TypeError for an unknown name or code, a bad message or an invalid option
 * @example
 * ```ts
 * throw ast.fault('InvalidCsrSignature');
 * throw ast.fault(5104001, 'subject is required', { details: [{ pointer: '/body/subject', message: 'is required', keyword: 'required' }] });
 * throw ast.fault(51610, 'The TMS is locked by a different client', { status: 409, name: 'Locked' });
 * ```
 */
function fault(nameOrCode: AstName | AstCatalogCode | (number & {}), message?: string, options: AstFaultOptions = {}): Fault {
  if (typeof options !== 'object' || options === null) {
    throw new TypeError('faultline: ast.fault options must be an object');
  }
  if (message !== undefined && typeof message !== 'string') {
    throw new TypeError('faultline: an AST fault message must be a string');
  }
  if (options.status !== undefined && !isErrorStatus(options.status)) {
    throw new TypeError(`faultline: ast.fault options.status ${String(options.status)} is not an integer in 400-599`);
  }
  if (options.name !== undefined && (typeof options.name !== 'string' || options.name === '')) {
    throw new TypeError('faultline: ast.fault options.name must be a non-empty string');
  }
  if (options.expose !== undefined && typeof options.expose !== 'boolean') {
    throw new TypeError('faultline: ast.fault options.expose must be a boolean');
  }
  if (options.headers !== undefined && (typeof options.headers !== 'object' || options.headers === null || Array.isArray(options.headers))) {
    throw new TypeError('faultline: ast.fault options.headers must be an object');
  }
  const details = checkDetails(options.details);
  const resolved = resolveCode(nameOrCode, options);
  const { entry } = resolved;
  if (entry !== undefined && options.status !== undefined && options.status !== entry.status) {
    throw new TypeError(`faultline: the AST catalogue fixes the status of ${entry.code} ${entry.name} to ${entry.status}`);
  }
  if (entry !== undefined && options.name !== undefined && options.name !== entry.name) {
    throw new TypeError(`faultline: the AST catalogue fixes the name of ${entry.code} to ${entry.name}`);
  }
  return new Fault({
    dialect: DIALECT,
    code: resolved.code,
    status: resolved.status,
    message: message ?? entry?.message ?? reasonPhrase(resolved.status),
    name: resolved.name,
    description: entry?.description,
    expose: options.expose ?? true,
    details,
    headers: options.headers,
    cause: options.cause,
  });
}

// A fault's code as a number: hand-built faults may carry it as a string of digits.
function numericCode(value: string | number): number | undefined {
  if (isPart(value)) return value;
  if (typeof value === 'string' && /^[1-9][0-9]{0,15}$/.test(value) && isPart(Number(value))) return Number(value);
  return undefined;
}

// The seed's generic code of each kind; the four kinds left out depend on the problem or the
// options. 405, 413, 415 and other 4xx have no code of their own: the seed's "unspecified Bad
// Request" carries them, with the error's message in `message`.
const ENTRY_BY_KIND: Readonly<Record<Exclude<ProblemKind, 'validation' | 'badRequest' | 'notFound' | 'serverError'>, CatalogEntry<number>>> = {
  invalidBody: MALFORMED_BODY,
  unauthorized: UNAUTHORIZED,
  forbidden: FORBIDDEN,
  internal: INTERNAL_ERROR,
  // 503 + Retry-After makes clients back off and retry; the seed has no 429 code.
  tooManyRequests: SERVICE_UNAVAILABLE,
  methodNotAllowed: BAD_REQUEST,
  payloadTooLarge: BAD_REQUEST,
  unsupportedMediaType: BAD_REQUEST,
  clientError: BAD_REQUEST,
};

function entryFor(problem: Problem, notFound: CatalogEntry<number>): CatalogEntry<number> {
  const { kind } = problem;
  if (kind === 'validation' || kind === 'badRequest') {
    const details = problem.details ?? [];
    // Only when every problem is a missing property does the specific code tell the truth.
    return details.length > 0 && details.every((d) => d.keyword === 'required') ? MISSING_FIELD : BAD_REQUEST;
  }
  if (kind === 'notFound') return notFound;
  if (kind === 'serverError') return problem.status === 503 ? SERVICE_UNAVAILABLE : INTERNAL_ERROR;
  // A dependency that could not be reached or timed out disrupts the service: 510503.
  if (kind === 'internal' && networkFailure(problem) !== undefined) return SERVICE_UNAVAILABLE;
  return ENTRY_BY_KIND[kind];
}

function checkNotFound(value: unknown): CatalogEntry<number> {
  if (value === undefined) return entryNamed('SignerNotFound');
  const entry = typeof value === 'string' ? byName.get(value) : typeof value === 'number' ? catalog.get(value) : undefined;
  if (entry === undefined || entry.status !== 404) {
    throw new TypeError(`faultline: ast.notFound must be the name or code of a catalogue entry with status 404 (e.g. 'KeyNotFound'), got ${String(value)}`);
  }
  return entry;
}

function configure(options: AstOptions = {}): DialectRuntime {
  if (typeof options !== 'object' || options === null) {
    throw new TypeError('faultline: options.ast must be an object');
  }
  if (options.correlationId !== undefined && typeof options.correlationId !== 'boolean') {
    throw new TypeError('faultline: ast.correlationId must be a boolean');
  }
  const sendId = options.correlationId ?? false;
  const notFound = checkNotFound(options.notFound);

  const fromProblem = (problem: Problem, context: ResolveContext): Fault => {
    const entry = entryFor(problem, notFound);
    return problemFault(problem, context, {
      dialect: DIALECT,
      code: entry.code,
      status: entry.status,
      message: problem.message === '' ? entry.message : problem.message,
      name: entry.name,
      description: entry.description,
    });
  };

  return {
    id: DIALECT,
    catalog,
    fromProblem,
    adopt(thrown, context) {
      const full = thrown.dialect === DIALECT ? numericCode(thrown.code) : undefined;
      // Another dialect's fault, or a hand-built one whose code is no number: the fault of its status.
      if (full === undefined) return fromProblem(classifyFault(thrown), context);
      const entry = catalog.get(full);
      if (entry === undefined) {
        return thrown.code === full ? withCorrelationId(thrown, context) : copyFault(thrown, { code: full, correlationId: context.correlationId });
      }
      if (thrown.code === entry.code && thrown.status === entry.status && thrown.name === entry.name) {
        return withCorrelationId(thrown, context);
      }
      // A hand-built fault of a catalogue code: the catalogue's status and name win.
      return copyFault(thrown, {
        code: entry.code,
        status: entry.status,
        name: entry.name,
        description: entry.description,
        correlationId: context.correlationId,
      });
    },
    negotiate: () => JSON_ENCODING,
    render(f, _encoding, { message, debug }): Rendered {
      // The body shape is project-defined (the vendor documents none): `code` a JSON number,
      // then `name`, `message`, the correlation id to quote, and `details` only when present.
      const body = {
        code: f.code,
        name: f.name,
        message,
        ...(sendId ? { correlationId: f.correlationId ?? '' } : {}),
        ...(f.details === undefined
          ? {}
          : { details: f.details.map((d) => ({ pointer: d.pointer, message: d.message, ...(d.keyword === undefined ? {} : { keyword: d.keyword }) })) }),
        ...debugJson(debug),
      };
      return { status: f.status, headers: { 'content-type': MEDIA_TYPE }, body: JSON.stringify(body) };
    },
    // AST clients read errors as JSON, never text/plain: the generic 500 when rendering fails.
    fallback: Object.freeze({
      status: INTERNAL_ERROR.status,
      headers: Object.freeze({ 'content-type': MEDIA_TYPE }),
      body: FALLBACK_BODY,
    }),
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
 * const { json } = ast.schema();
 * new Ajv2020().compile(json); // validates every JSON body the dialect renders
 * ```
 */
function schema(options?: SchemaOptions): DialectSchemas {
  return dialectSchemas(catalog, options);
}

/**
 * The AST Certificate Authority dialect (KOBIL AST, subsystem 510) and its code arithmetic.
 * Use it as `dialect: ast`, with options under `ast: { correlationId, notFound }`.
 *
 * Every response is `application/json;charset=utf-8`:
 * `{"code":51010,"name":"InvalidCsrSignature","message":"The provided CSR's signature wasn't valid"}`
 * — `code` a JSON number, then `name` and `message`; `correlationId` (the id that is logged,
 * so clients can quote it) only with `ast: { correlationId: true }`; `details`
 * (`[{"pointer","message","keyword"?}]`) only for validation problems. The vendor documents
 * no body, so this shape is faultline's own.
 *
 * Errors that are not AST faults get the seed's generic codes: validation → `510400
 * BadRequest` (`5104001 MissingField` when every problem is a missing property), unparsable
 * body → `5104005 MalformedBody`, 401 → `510401 Unauthorized`, 403 → `510403 Forbidden`,
 * 404 → the `notFound` option's entry, 503 and 429 → `510503 ServiceUnavailable`, anything
 * else unexpected → `510500 InternalError`. Statuses always come from the catalogue.
 *
 * @example
 * ```ts
 * const handler = createFaultHandler({ dialect: ast });
 * handler.handle(ast.fault('InvalidCsrSignature')).status; // 403
 * ast.code(510, 4001);  // 5104001
 * ast.decode(51050021); // { subsystem: 510, error: 50021 }
 * ```
 */
export const ast = Object.freeze({
  id: DIALECT,
  catalog,
  /** Resolves the dialect options once into the runtime the handler uses. */
  configure,
  /** The JSON Schema (draft 2020-12) of the dialect's JSON bodies and the XSDs of its XML bodies. */
  schema,
  /** Builds an AST fault by catalogue name or full code, e.g. `ast.fault('InvalidCsrSignature')`. */
  fault,
  /** Builds a fault of this dialect from a dialect-neutral spec (a mapping target). */
  make: (spec: FaultSpec): Fault =>
    fault(spec.code as AstName, spec.message, {
      ...(spec.status === undefined ? {} : { status: spec.status }),
      ...(spec.headers === undefined ? {} : { headers: spec.headers }),
      ...(spec.expose === undefined ? {} : { expose: spec.expose }),
      cause: spec.cause,
    }),
  /** Joins a subsystem and an error code: `ast.code(510, 4001)` is `5104001`. */
  code,
  /** Splits a full code into subsystem and error code, or `undefined`. */
  decode,
  /** Reads a body in this dialect's convention back into its fault (`parseFault` uses it). */
  read: (document: FaultDocument): FaultReading | undefined => readAst(document, catalog, (full) => decode(full)),
  /** Every catalogue entry a code or name matches, explained with the code's arithmetic (`explain` uses it). */
  explain: (query: string): readonly Explanation[] => explainAst(query, catalog, (full) => decode(full)),
  /** The AST Certificate Authority's subsystem number. */
  subsystem: AST_SUBSYSTEM,
}) satisfies Dialect<AstOptions>;
