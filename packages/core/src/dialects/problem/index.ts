/**
 * RFC 9457 problem details: `application/problem+json` with `type`, `title`, `status`,
 * `detail`, `instance` (`urn:uuid:<correlation id>`) and the extension member `code`; the
 * default dialect when none is chosen.
 *
 * @module
 */
import { getReasonPhrase } from 'http-status-codes';
import { makeCatalog } from '../../catalog.js';
import type { CatalogEntry } from '../../catalog.js';
import { Fault, isErrorStatus } from '../../fault.js';
import type { FaultDetail, FaultHeaders } from '../../fault.js';
import { classifyFault } from '../../pipeline/normalize.js';
import { reasonPhrase } from '../../status.js';
import { jsonString } from '../../encode/json.js';
import { debugJson, networkFailure, problemFault, withCorrelationId } from '../kit.js';
import type { Dialect, DialectRuntime, Encoding, FaultSpec, Problem, ProblemKind, ResolveContext } from '../contract.js';
import { readProblem } from './read.js';
import type { FaultDocument } from '../../read/document.js';
import type { FaultReading } from '../../read/types.js';
import { dialectSchemas } from '../../schemas.js';
import type { DialectSchemas, SchemaOptions } from '../../schemas.js';

/**
 * Options of the `problem` dialect (`problem: {...}` in the handler options).
 *
 * @example
 * ```ts
 * const options: ProblemOptions = { typeBase: 'https://errors.example.com/' };
 * createFaultHandler({ dialect: 'problem', problem: options });
 * ```
 */
export interface ProblemOptions {
  /**
   * A URI prefix for `type`: a fault with code `NotFound` gets `type` `<typeBase>NotFound`.
   * Without it, `type` is `about:blank` and `title` is the status's reason phrase, as RFC 9457
   * §4.2.1 asks.
   */
  readonly typeBase?: string;
}

/**
 * Options of {@link problem.fault}.
 *
 * @example
 * ```ts
 * const options: ProblemFaultOptions = { code: 'OrderNotFound', title: 'Order not found' };
 * throw problem.fault(404, 'Order 7 does not exist', options);
 * ```
 */
export interface ProblemFaultOptions {
  /** A stable code for the problem type, sent as the `code` member; default from the status. */
  readonly code?: string;
  /** A short summary of the problem type; default: the status's reason phrase. */
  readonly title?: string;
  /** A URI identifying the problem type; overrides the dialect's `typeBase`. */
  readonly type?: string;
  /** Whether `detail` may reach the client. @default true */
  readonly expose?: boolean;
  /** Validation problems, sent as `errors`. */
  readonly details?: readonly FaultDetail[];
  /** Extra response headers. */
  readonly headers?: FaultHeaders;
  /** The error that caused this one. */
  readonly cause?: unknown;
}

const DIALECT = 'problem';
const MEDIA_TYPE = 'application/problem+json';
const JSON_ENCODING: Encoding = { id: 'json', mediaType: MEDIA_TYPE };

// `Not Found` → `NotFound`, `Request-URI Too Long` → `RequestURITooLong`.
function pascal(phrase: string): string {
  return phrase
    .split(/[^A-Za-z0-9]+/)
    .filter((word) => word !== '')
    .map((word) => word[0]!.toUpperCase() + word.slice(1))
    .join('');
}

// One entry per error status that has a reason phrase, plus the two kinds of 400 that
// frameworks report and clients want to tell apart.
const entries: CatalogEntry<string>[] = [];
const codeByStatus = new Map<number, string>();
for (let status = 400; status <= 599; status++) {
  let phrase: string;
  try {
    phrase = getReasonPhrase(status);
  } catch {
    continue;
  }
  entries.push({ code: pascal(phrase), status, name: pascal(phrase), message: phrase });
  codeByStatus.set(status, pascal(phrase));
}
entries.push(
  { code: 'InvalidBody', status: 400, name: 'InvalidBody', message: 'The request body could not be parsed', description: 'The request body is not well-formed (invalid JSON or XML).' },
  { code: 'ValidationFailed', status: 400, name: 'ValidationFailed', message: 'The request is not valid', description: 'The request failed schema validation; `errors` lists each problem with a JSON pointer.' },
);
const catalog = makeCatalog<string>(DIALECT, entries);

const CODE_BY_KIND: Readonly<Partial<Record<ProblemKind, string>>> = {
  invalidBody: 'InvalidBody',
  validation: 'ValidationFailed',
};

function codeOf(status: number): string {
  return codeByStatus.get(status) ?? (status >= 500 ? 'InternalServerError' : 'BadRequest');
}

/**
 * Builds a problem fault.
 *
 * @param status - the HTTP status, 400–599
 * @param detail - the occurrence-specific explanation
 * @param options - code, title, type, details, headers, cause, exposure
 * @returns the fault, ready to throw
 * @throws TypeError when the status is not an integer in 400–599
 * @example
 * ```ts
 * throw problem.fault(404, 'Order 7 does not exist', { code: 'OrderNotFound' });
 * ```
 */
function fault(status: number, detail?: string, options: ProblemFaultOptions = {}): Fault {
  if (!isErrorStatus(status)) {
    throw new TypeError(`faultline: status ${String(status)} is not an integer in 400-599`);
  }
  const code = options.code ?? codeOf(status);
  return new Fault({
    dialect: DIALECT,
    code,
    status,
    message: detail ?? catalog.get(code)?.message ?? reasonPhrase(status),
    name: code,
    expose: options.expose ?? true,
    details: options.details,
    headers: options.headers,
    cause: options.cause,
    params:
      options.title === undefined && options.type === undefined
        ? undefined
        : { ...(options.title === undefined ? {} : { title: options.title }), ...(options.type === undefined ? {} : { type: options.type }) },
  });
}

function configure(options: ProblemOptions = {}): DialectRuntime {
  const typeBase = options.typeBase;
  if (typeBase !== undefined && (typeof typeBase !== 'string' || typeBase === '')) {
    throw new TypeError('faultline: problem.typeBase must be a non-empty URI prefix');
  }
  const fromProblem = (p: Problem, context: ResolveContext): Fault => {
    // A dependency that timed out is a 504, one that could not be reached a 502.
    const network = p.kind === 'internal' ? networkFailure(p) : undefined;
    const status = network === 'timeout' ? 504 : network === 'unreachable' ? 502 : p.status;
    const code = CODE_BY_KIND[p.kind] ?? codeOf(status);
    return problemFault(p, context, {
      dialect: DIALECT,
      code,
      status,
      message: p.message === '' ? (catalog.get(code)?.message ?? reasonPhrase(status)) : p.message,
      name: code,
    });
  };
  return {
    id: DIALECT,
    catalog,
    fromProblem,
    adopt: (thrown, context) =>
      thrown.dialect === DIALECT ? withCorrelationId(thrown, context) : fromProblem(classifyFault(thrown), context),
    negotiate: () => JSON_ENCODING,
    render(f, _encoding, { message, debug }) {
      const params = f.params as { title?: unknown; type?: unknown } | undefined;
      const code = String(f.code);
      const ownType = typeof params?.type === 'string' ? params.type : undefined;
      const type = ownType ?? (typeBase === undefined ? 'about:blank' : `${typeBase}${code}`);
      const title =
        typeof params?.title === 'string'
          ? params.title
          : type === 'about:blank'
            ? reasonPhrase(f.status)
            : (catalog.get(code)?.message ?? reasonPhrase(f.status));
      const instance = `urn:uuid:${f.correlationId ?? ''}`;
      if (f.details === undefined && debug === undefined) {
        // The common case as a template: the same bytes as JSON.stringify of the object below.
        return {
          status: f.status,
          headers: { 'content-type': MEDIA_TYPE },
          body:
            `{"type":${jsonString(type)},"title":${jsonString(title)},"status":${f.status},"detail":${jsonString(message)},` +
            `"instance":${jsonString(instance)},"code":${jsonString(code)}}`,
        };
      }
      const body = {
        type,
        title,
        status: f.status,
        detail: message,
        instance,
        code,
        ...(f.details === undefined
          ? {}
          : { errors: f.details.map((d) => ({ detail: d.message, pointer: `#${d.pointer}`, ...(d.keyword === undefined ? {} : { keyword: d.keyword }) })) }),
        ...debugJson(debug),
      };
      return { status: f.status, headers: { 'content-type': MEDIA_TYPE }, body: JSON.stringify(body) };
    },
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
 * const { json } = problem.schema();
 * new Ajv2020().compile(json); // validates every JSON body the dialect renders
 * ```
 */
function schema(options?: SchemaOptions): DialectSchemas {
  return dialectSchemas(catalog, options);
}

/**
 * The RFC 9457 problem+json dialect, the default. Use it as `dialect: 'problem'` (or leave
 * `dialect` out), with options under `problem: { typeBase }`.
 *
 * @example
 * ```ts
 * throw problem.fault(409, 'Order 7 was already shipped', { code: 'OrderShipped' });
 * ```
 */
export const problem = Object.freeze({
  id: DIALECT,
  catalog,
  /** Resolves the dialect options once into the runtime the handler uses. */
  configure,
  /** The JSON Schema (draft 2020-12) of the dialect's JSON bodies and the XSDs of its XML bodies. */
  schema,
  /** Builds an RFC 9457 problem fault, e.g. `problem.fault(404, 'Order 7 does not exist')`. */
  fault,
  /** Reads a body in this dialect's convention back into its fault (`parseFault` uses it). */
  read: (document: FaultDocument): FaultReading | undefined => readProblem(document, catalog, codeOf),
  /** A spec's code is a status (`404`) or a code with a catalogue status or a `status` (`{ code: 'OrderShipped', status: 409 }`). */
  make(spec: FaultSpec): Fault {
    const status = typeof spec.code === 'number' ? spec.code : (spec.status ?? catalog.get(spec.code)?.status);
    if (status === undefined) {
      throw new TypeError(`faultline: problem code '${String(spec.code)}' needs a status`);
    }
    return fault(status, spec.message, {
      ...(typeof spec.code === 'string' ? { code: spec.code } : {}),
      ...(spec.headers === undefined ? {} : { headers: spec.headers }),
      ...(spec.expose === undefined ? {} : { expose: spec.expose }),
      cause: spec.cause,
    });
  },
}) satisfies Dialect<ProblemOptions>;
