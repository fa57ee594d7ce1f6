/**
 * The dialect kit: `defineDialect`, which every dialect is built with (the six built-in ones
 * and a team's own), and the small pieces dialects share: decisions on the Accept header, the
 * `debug` member of JSON bodies, and the fault of a classified error.
 *
 * @module
 */
import type { Catalog } from '../catalog.js';
import { Fault, catalogueFault, buildFault, isErrorStatus, isFault } from '../fault.js';
import type { FaultDetail, FaultHeaders, FaultInit } from '../fault.js';
import { isHeaderName, listHeader } from '../headers.js';
import type { RequestInfo } from '../request.js';
import type { Problem } from '../pipeline/types.js';
import type { FaultDocument } from '../read/document.js';
import type { Explanation, FaultReading } from '../read/types.js';
import { reasonPhrase } from '../status.js';
import type {
  DebugInfo,
  Dialect,
  DialectRuntime,
  Encoding,
  EncodingExample,
  FaultSpec,
  ForeignOrigin,
  RenderContext,
  Rendered,
  ResolveContext,
} from './contract.js';
import { schemasOf } from './schema-kit.js';
import type { DialectBodies, DialectSchemas, SchemaOptions } from './schema-kit.js';

/**
 * A decision taken on a request's `Accept` header alone, remembered per distinct header: it is
 * taken for every fault, and a service sees few distinct headers. At most `max` headers of up
 * to 1024 characters are kept, first in first out; others are decided afresh each time.
 */
export function byAccept<T>(
  decide: (accept: string | undefined) => T,
  max = 128,
): (request: RequestInfo) => T {
  const known = new Map<string, T>();
  const none = decide(undefined);
  return (request) => {
    const accept = listHeader(request.headers, 'accept');
    if (accept === undefined) return none;
    const cached = known.get(accept);
    if (cached !== undefined) return cached;
    const decided = decide(accept);
    if (accept.length <= 1024) {
      if (known.size >= max) known.delete(known.keys().next().value as string);
      known.set(accept, decided);
    }
    return decided;
  };
}

/** The `debug` member JSON bodies carry with `debug: true` (spread it last), else nothing. */
export function debugJson(debug: DebugInfo | undefined): {
  debug?: { stack: string | undefined; causes: readonly string[] };
} {
  return debug === undefined ? {} : { debug: { stack: debug.stack, causes: debug.causes } };
}

/**
 * The `debug` member of a JSON body written as a template: `,"debug":{…}` with `debug: true`,
 * else nothing. The same bytes as spreading {@link debugJson} last into the serialised object.
 */
export function debugJsonMember(debug: DebugInfo | undefined): string {
  return debug === undefined
    ? ''
    : `,"debug":${JSON.stringify({ stack: debug.stack, causes: debug.causes })}`;
}

/**
 * A dialect's fault for a problem: the problem's exposure, headers and validation details
 * (which `fields` may override), its cause (whose stack the fault reports) and the context's
 * correlation id. No stack is captured.
 *
 * @example
 * ```ts
 * faultFor(problem, context, { dialect: 'xroad', code: 'Client.NotFound', status: 400, message: problem.message });
 * ```
 */
export function faultFor(
  problem: Problem,
  context: ResolveContext,
  fields: Omit<FaultInit, 'cause' | 'correlationId'>,
): Fault {
  // Field by field rather than spread: this runs for every fault that is not thrown as one.
  return buildFault(
    {
      dialect: fields.dialect,
      code: fields.code,
      status: fields.status,
      message: fields.message,
      name: fields.name,
      description: fields.description,
      params: fields.params,
      expose: Object.hasOwn(fields, 'expose') ? fields.expose : problem.expose,
      headers: Object.hasOwn(fields, 'headers') ? fields.headers : problem.headers,
      details: Object.hasOwn(fields, 'details') ? fields.details : problem.details,
      cause: problem.cause,
      correlationId: context.correlationId,
    },
    problem.cause,
  );
}

/**
 * The fields of a dialect's fault for a classified error, as a dialect of your own may return
 * them from `fromProblem` instead of a built fault: the code, and whatever differs from the
 * catalogue entry of the code (status, name, text) and from the problem (exposure, headers,
 * validation details).
 *
 * @example
 * ```ts
 * const fields: FaultFields = { code: 'NotFound', status: 404, message: 'no Route matched with those values' };
 * ```
 */
export interface FaultFields {
  readonly code: string | number;
  /** Default: the catalogue entry's status, else the problem's. */
  readonly status?: number;
  /** Default: the problem's message, else the catalogue entry's. */
  readonly message?: string;
  /** Default: the catalogue entry's name. */
  readonly name?: string;
  readonly description?: string;
  readonly params?: Readonly<Record<string, unknown>>;
  /** Default: the problem's. */
  readonly expose?: boolean;
  /** Default: the problem's. */
  readonly headers?: FaultHeaders;
  /** Default: the problem's. */
  readonly details?: readonly FaultDetail[];
}

/**
 * How a dialect answers, when it takes no options: the members of a {@link DialectRuntime}
 * given directly to {@link defineDialect}.
 *
 * @example
 * ```ts
 * const parts: RuntimeParts = {
 *   fromProblem: (problem) => ({ code: problem.status >= 500 ? 'InternalError' : 'BadRequest' }),
 *   negotiate: () => ({ id: 'json', mediaType: 'application/json' }),
 *   render: (fault, _encoding, { message }) => ({ status: fault.status, headers: { 'content-type': 'application/json' }, body: JSON.stringify({ message }) }),
 * };
 * ```
 */
export interface RuntimeParts {
  /** The dialect's fault for a classified non-fault error (or another dialect's fault): a fault, or its fields. */
  fromProblem(problem: Problem, context: ResolveContext): Fault | FaultFields;
  /** A thrown fault of this dialect in final form, or `undefined` when it is not the dialect's. Default: faults whose `dialect` is the id. */
  adopt?(fault: Fault, context: ResolveContext): Fault | undefined;
  /** The encoding to answer a request in. Never fails: there is always a default. */
  negotiate(request: RequestInfo): Encoding;
  /** The response for a fault in an encoding. */
  render(fault: Fault, encoding: Encoding, context: RenderContext): Rendered;
  /** A fixed response for when rendering fails, for clients that cannot take `text/plain`. */
  readonly fallback?: Rendered;
  /** Headers only the dialect sets (lower-case); an error cannot set them. */
  readonly ownHeaders?: readonly string[];
  /** Whether a fault's explicit empty message is sent empty. */
  readonly keepsEmptyMessage?: boolean;
}

/**
 * The parts of a dialect, as {@link defineDialect} takes them: its id and catalogue; how it
 * answers, either as `configure(options)` returning a runtime (a dialect with options) or as
 * the runtime's members themselves ({@link RuntimeParts}); and optionally how it reads its
 * bodies back (`read`, `explain`), builds faults from mapping rules (`make`), describes its
 * bodies (`bodies`, `encodings`), and more. Any other member is kept on the dialect value
 * (factories, code arithmetic, tables).
 *
 * @example
 * ```ts
 * const parts: DialectParts = { id: 'kong', catalog: kongCatalog, fromProblem, negotiate, render };
 * ```
 */
export type DialectParts = {
  /** The dialect's id: the `dialect` of its faults and the handler option its options sit under. */
  readonly id: string;
  /** Its catalogue: every code it sends (`makeCatalog(id, entries)` or `defineCatalog`). */
  readonly catalog: Catalog;
  make?(spec: FaultSpec): Fault;
  read?(document: FaultDocument): FaultReading | undefined;
  explain?(query: string): readonly Explanation[];
  readonly bodies?: DialectBodies;
  readonly encodings?: readonly EncodingExample[];
  readonly foreignOrigin?: ForeignOrigin;
  defaultStatus?(code: string | number): number | undefined;
  /**
   * The names of the options the dialect reads under its id. When given, any other name there
   * is reported once as a warning when a handler is created (a misspelt option is not silently
   * ignored).
   */
  readonly optionKeys?: readonly string[];
} & (
  | { configure(options?: never): DialectRuntime }
  | (RuntimeParts & { readonly configure?: undefined })
);

/**
 * Options of the `fault` factory {@link defineDialect} gives a dialect that has none of its own.
 *
 * @example
 * ```ts
 * const options: DialectFaultOptions = { status: 404, headers: { 'x-kong-request-id': 'a1' } };
 * throw kong.fault('NotFound', 'no Route matched with those values', options);
 * ```
 */
export interface DialectFaultOptions {
  /** A status other than the catalogue's. */
  readonly status?: number;
  readonly headers?: FaultHeaders;
  /** Whether the message may reach the client. @default true */
  readonly expose?: boolean;
  readonly details?: readonly FaultDetail[];
  readonly cause?: unknown;
  /** A known id, e.g. one read back from a response. */
  readonly correlationId?: string;
}

type RuntimeKeys = keyof RuntimeParts;
type OptionsOf<P> = P extends { configure(options?: infer O): DialectRuntime } ? O : undefined;
type Present<P, K extends keyof Dialect> = Pick<
  Required<Dialect<OptionsOf<P>>>,
  Extract<keyof P, K>
>;

/**
 * The value {@link defineDialect} returns: the parts given (without the runtime's members),
 * `configure`, `make` and `schema`, frozen; and a `fault` factory when the parts have none.
 *
 * @example
 * ```ts
 * const kong: DefinedDialect<typeof parts> = defineDialect(parts);
 * kong.schema().json;
 * ```
 */
export type DefinedDialect<P extends DialectParts> = Readonly<
  Omit<
    P,
    | RuntimeKeys
    | 'configure'
    | 'make'
    | 'read'
    | 'explain'
    | 'bodies'
    | 'encodings'
    | 'foreignOrigin'
    | 'defaultStatus'
  > &
    Pick<Dialect<OptionsOf<P>>, 'configure'> &
    Present<P, 'read' | 'explain' | 'bodies' | 'encodings' | 'foreignOrigin' | 'defaultStatus'> & {
      /** Builds a fault of this dialect from a dialect-neutral spec (a mapping target). */
      make(spec: FaultSpec): Fault;
      /**
       * The JSON Schema (draft 2020-12) of the dialect's JSON bodies and the XSDs of its XML bodies.
       *
       * @param options - your own catalogues (codes as an enum), `debug`
       * @throws TypeError when the dialect describes no bodies
       */
      schema(options?: SchemaOptions): DialectSchemas;
    } & (P extends { fault: unknown }
      ? unknown
      : {
          /** Builds a fault of a catalogue code, e.g. `kong.fault('NotFound', 'no Route matched')`. */
          fault(code: string | number, message?: string, options?: DialectFaultOptions): Fault;
        })
>;

const ID = /^[A-Za-z][A-Za-z0-9_-]{0,63}$/;
const OPTIONAL_FUNCTIONS = ['make', 'read', 'explain', 'defaultStatus', 'adopt'] as const;

function partError(id: unknown, part: string, what: string): TypeError {
  const name = typeof id === 'string' && ID.test(id) ? `'${id}'` : 'a dialect';
  return new TypeError(`faultline: defineDialect ${name}: ${part} ${what}`);
}

// Every part checked once, when the dialect is defined: a mistake names its part.
function checkParts(parts: DialectParts): void {
  if (typeof parts !== 'object' || parts === null)
    throw new TypeError(
      "faultline: defineDialect needs the dialect's parts: { id, catalog, fromProblem, negotiate, render } or { id, catalog, configure }",
    );
  const p = parts as unknown as Record<string, unknown>;
  const fail = (part: string, what: string): never => {
    throw partError(p.id, part, what);
  };
  if (typeof p.id !== 'string' || !ID.test(p.id))
    fail('id', "must be a name of letters, digits, - and _, starting with a letter (e.g. 'kong')");
  const catalog = p.catalog as Catalog | undefined;
  if (
    typeof catalog !== 'object' ||
    catalog === null ||
    typeof catalog.get !== 'function' ||
    !Array.isArray(catalog.entries)
  ) {
    fail('catalog', 'must be a catalogue (makeCatalog(id, entries) or defineCatalog(...).catalog)');
  }
  if (catalog!.dialect !== p.id)
    fail(
      'catalog',
      `belongs to the dialect '${String(catalog!.dialect)}', not to '${String(p.id)}'`,
    );
  const direct = ['fromProblem', 'negotiate', 'render'].filter((k) => p[k] !== undefined);
  if (p.configure !== undefined) {
    if (typeof p.configure !== 'function')
      fail('configure', 'must be a function of the options that returns the runtime');
    if (direct.length > 0)
      fail(
        direct[0]!,
        'is given with configure: give configure, or fromProblem, negotiate and render',
      );
  } else {
    for (const k of ['fromProblem', 'negotiate', 'render'])
      if (typeof p[k] !== 'function') fail(k, 'must be a function');
  }
  for (const k of OPTIONAL_FUNCTIONS)
    if (p[k] !== undefined && typeof p[k] !== 'function') fail(k, 'must be a function');
  checkFallback(p.fallback, fail);
  if (
    p.ownHeaders !== undefined &&
    !(
      Array.isArray(p.ownHeaders) &&
      p.ownHeaders.every((h) => typeof h === 'string' && isHeaderName(h) && h === h.toLowerCase())
    )
  ) {
    fail('ownHeaders', 'must be a list of lower-case header names');
  }
  if (p.keepsEmptyMessage !== undefined && typeof p.keepsEmptyMessage !== 'boolean')
    fail('keepsEmptyMessage', 'must be a boolean');
  if (
    p.optionKeys !== undefined &&
    !(Array.isArray(p.optionKeys) && p.optionKeys.every((key) => typeof key === 'string'))
  )
    fail('optionKeys', 'must be a list of option names');
  checkBodies(p.bodies, fail);
  checkEncodings(p.encodings, fail);
  const foreign = p.foreignOrigin as ForeignOrigin | undefined;
  if (
    foreign !== undefined &&
    (typeof foreign !== 'object' ||
      foreign === null ||
      typeof foreign.origin !== 'object' ||
      foreign.origin === null ||
      typeof foreign.origin.summary !== 'string')
  ) {
    fail('foreignOrigin', 'must be { origin: { summary }, headerPrefix?, errorHeader? }');
  }
}

function checkFallback(value: unknown, fail: (part: string, what: string) => never): void {
  if (value === undefined) return;
  const r = value as Rendered;
  const headersOk =
    typeof r?.headers === 'object' &&
    r.headers !== null &&
    Object.values(r.headers).every((v) => typeof v === 'string');
  if (
    typeof value !== 'object' ||
    value === null ||
    !isErrorStatus(r.status) ||
    !headersOk ||
    typeof r.body !== 'string'
  ) {
    fail('fallback', 'must be { status: 400-599, headers: { name: value }, body: string }');
  }
}

function checkBodies(value: unknown, fail: (part: string, what: string) => never): void {
  if (value === undefined) return;
  const b = value as DialectBodies;
  if (typeof value !== 'object' || value === null || typeof b.json !== 'function')
    fail('bodies', 'must be { json(catalog, options, pin), xml?, soap? }');
  for (const k of ['xml', 'soap'] as const) {
    const ref = b[k];
    if (
      ref !== undefined &&
      (typeof ref !== 'object' ||
        ref === null ||
        typeof ref.file !== 'string' ||
        typeof ref.root !== 'string')
    ) {
      fail(`bodies.${k}`, 'must be an XSD reference { file, specifier, namespace, root }');
    }
  }
}

function checkEncodings(value: unknown, fail: (part: string, what: string) => never): void {
  if (value === undefined) return;
  if (!Array.isArray(value))
    fail('encodings', 'must be a list of { encoding: { id, mediaType }, request }');
  (value as unknown[]).forEach((item, i) => {
    const e = item as EncodingExample;
    const ok =
      typeof e === 'object' &&
      e !== null &&
      typeof e.encoding?.id === 'string' &&
      typeof e.encoding.mediaType === 'string' &&
      typeof e.request === 'object' &&
      e.request !== null &&
      (e.options === undefined || (typeof e.options === 'object' && e.options !== null));
    if (!ok) fail(`encodings[${i}]`, 'must be { encoding: { id, mediaType }, request, options? }');
  });
}

// A fault of a classified error from the fields a dialect of your own gives.
function fieldsFault(
  id: string,
  catalog: Catalog,
  problem: Problem,
  context: ResolveContext,
  result: Fault | FaultFields,
): Fault {
  if (isFault(result)) return result;
  if (
    typeof result !== 'object' ||
    result === null ||
    (typeof result.code !== 'string' && typeof result.code !== 'number')
  ) {
    throw new TypeError(
      `faultline: the ${id} dialect's fromProblem must return a fault or { code, … }`,
    );
  }
  const entry = catalog.get(result.code);
  const status = result.status ?? entry?.status ?? problem.status;
  const fields: Omit<FaultInit, 'cause' | 'correlationId'> = {
    dialect: id,
    code: result.code,
    status,
    message:
      result.message ??
      (problem.message === '' ? (entry?.message ?? reasonPhrase(status)) : problem.message),
    name: result.name ?? entry?.name,
    description: result.description ?? entry?.description,
    params: result.params,
    ...(result.expose === undefined ? {} : { expose: result.expose }),
    ...(result.headers === undefined ? {} : { headers: result.headers }),
    ...(result.details === undefined ? {} : { details: result.details }),
  };
  return faultFor(problem, context, fields);
}

// The runtime of a dialect given as its runtime's members: one for every handler, frozen.
function runtimeOf(id: string, catalog: Catalog, parts: RuntimeParts): DialectRuntime {
  const { fromProblem, adopt, negotiate, render } = parts;
  return Object.freeze({
    id,
    catalog,
    ...(parts.ownHeaders === undefined ? {} : { ownHeaders: Object.freeze([...parts.ownHeaders]) }),
    ...(parts.keepsEmptyMessage === undefined
      ? {}
      : { keepsEmptyMessage: parts.keepsEmptyMessage }),
    ...(parts.fallback === undefined ? {} : { fallback: parts.fallback }),
    fromProblem: (problem: Problem, context: ResolveContext) =>
      fieldsFault(id, catalog, problem, context, fromProblem(problem, context)),
    adopt:
      adopt === undefined
        ? (fault: Fault) => (fault.dialect === id ? fault : undefined)
        : (fault: Fault, context: ResolveContext) => adopt(fault, context),
    negotiate: (request: RequestInfo) => negotiate(request),
    render: (fault: Fault, encoding: Encoding, context: RenderContext) =>
      render(fault, encoding, context),
  });
}

// The factory a dialect of your own gets: a fault of a catalogue code.
function catalogFault(
  id: string,
  catalog: Catalog,
): (code: string | number, message?: string, options?: DialectFaultOptions) => Fault {
  return (code, message, options = {}) => {
    const entry = catalog.get(code);
    if (entry === undefined)
      throw new TypeError(`faultline: '${String(code)}' is not a code of the ${id} catalogue`);
    if (message !== undefined && typeof message !== 'string')
      throw new TypeError(`faultline: a ${id} fault message must be a string`);
    if (typeof options !== 'object' || options === null)
      throw new TypeError(`faultline: ${id}.fault options must be an object`);
    return catalogueFault({
      dialect: id,
      code: entry.code,
      status: options.status ?? entry.status,
      message: message ?? entry.message,
      name: entry.name,
      description: entry.description,
      expose: options.expose ?? true,
      headers: options.headers,
      details: options.details,
      cause: options.cause,
      correlationId: options.correlationId,
    });
  };
}

/**
 * Defines a dialect: the way to add a convention faultline does not ship (a company's own
 * error format, another gateway's). The value works everywhere a built-in dialect does: both
 * adapters, mapping rules (`to: { dialect }`), dialects by route prefix, `parseFault` and
 * `explain` (with `read` and `explain`), `schema()`, `dialectSchemas` and `openApiResponses`
 * (with `bodies` and `encodings`). The six built-in dialects are built with it.
 *
 * Every part is checked now, so a mistake is a `TypeError` at start-up that names the part.
 * A dialect without `configure` takes no options; its `fromProblem` may return the fault's
 * fields (`{ code, status?, message? }`) and is given a fault of its own for every other
 * dialect's fault; without `make` and `fault`, both build faults of catalogue codes.
 *
 * @param parts - id, catalogue, how a classified error becomes its fault, negotiation,
 *   rendering; optionally reading back, schemas, encodings, and members of your own
 * @returns the dialect, frozen
 * @throws TypeError naming the part that is missing or malformed
 * @example
 * ```ts
 * const kong = defineDialect({
 *   id: 'kong',
 *   catalog: makeCatalog('kong', [{ code: 'NotFound', status: 404, name: 'NotFound', message: 'Not found' }]),
 *   fromProblem: (problem) => ({ code: problem.status === 404 ? 'NotFound' : 'InternalError' }),
 *   negotiate: () => ({ id: 'json', mediaType: 'application/json' }),
 *   render: (fault, _encoding, { message }) => ({
 *     status: fault.status,
 *     headers: { 'content-type': 'application/json; charset=utf-8' },
 *     body: JSON.stringify({ message, request_id: fault.correlationId }),
 *   }),
 * });
 * createFaultHandler({ dialect: kong });
 * ```
 */
export function defineDialect<const P extends DialectParts>(parts: P): DefinedDialect<P> {
  checkParts(parts);
  const { id, catalog } = parts;
  const direct =
    parts.configure === undefined ? runtimeOf(id, catalog, parts as RuntimeParts) : undefined;
  const fault = catalogFault(id, catalog);
  const bodies = parts.bodies;
  const value: Record<string, unknown> = {};
  const runtimeKeys: readonly string[] = [
    'fromProblem',
    'adopt',
    'negotiate',
    'render',
    'fallback',
    'ownHeaders',
    'keepsEmptyMessage',
  ];
  for (const key of Object.keys(parts)) {
    if (direct === undefined || !runtimeKeys.includes(key))
      value[key] = (parts as Record<string, unknown>)[key];
  }
  if (direct !== undefined) value.configure = () => direct;
  if ((parts as { fault?: unknown }).fault === undefined) value.fault = fault;
  if (parts.make === undefined) {
    value.make = (spec: FaultSpec): Fault =>
      fault(spec.code, spec.message, {
        ...(spec.status === undefined ? {} : { status: spec.status }),
        ...(spec.headers === undefined ? {} : { headers: spec.headers }),
        ...(spec.expose === undefined ? {} : { expose: spec.expose }),
        cause: spec.cause,
      });
  }
  value.schema = (options?: SchemaOptions): DialectSchemas => {
    if (bodies === undefined) throw new TypeError(`faultline: no schemas for dialect '${id}'`);
    return schemasOf(id, catalog, bodies, options);
  };
  return Object.freeze(value) as DefinedDialect<P>;
}
