/**
 * AST Certificate Authority errors (KOBIL AST, subsystem 510): numeric codes made of the
 * subsystem's digits followed by the error code's (`510` ‖ `10` = `51010`), sent as one JSON
 * object (the codes of KOBIL's published list "AST Certificate Authority Error Codes (SubSystem
 * 510)"; the vendor documents no body, so its shape is faultline's own).
 *
 * @module
 */
import type { CatalogEntry } from '../../catalog.js';
import { Fault, catalogueFault, checkStatus } from '../../fault.js';
import type { FaultDetail, FaultHeaders } from '../../fault.js';
import { reasonPhrase } from '../../status.js';
import type { FaultSpec } from '../contract.js';
import { AST_SUBSYSTEM } from './catalog.js';
import type { AstCatalogCode, AstName } from './catalog.js';
import { DIALECT, byName, catalog } from './catalog.js';
import { code, decode, isPart } from './codes.js';
import { OPTION_KEYS, configure } from './runtime.js';
import { explainAst, readAst } from './read.js';
import type { FaultDocument } from '../../read/document.js';
import type { Explanation, FaultReading } from '../../read/types.js';
import { BODIES, ENCODINGS } from './schema.js';
import { defineDialect } from '../kit.js';

export { AST_ENTRIES, AST_SUBSYSTEM, AST_UNAUTHORIZED_CASES } from './catalog.js';
export type { AstCatalogCode, AstCatalogEntry, AstName } from './catalog.js';
export type { AstCodeParts } from './codes.js';
export type { AstOptions } from './runtime.js';

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

function checkDetails(value: unknown): readonly FaultDetail[] | undefined {
  if (value === undefined) return undefined;
  const shape =
    'faultline: ast.fault options.details must be an array of { pointer, message, keyword? } with string values';
  if (!Array.isArray(value)) throw new TypeError(shape);
  return Object.freeze(
    value.map((item: unknown) => {
      if (typeof item !== 'object' || item === null) throw new TypeError(shape);
      const { pointer, message, keyword } = item as Record<string, unknown>;
      if (
        typeof pointer !== 'string' ||
        typeof message !== 'string' ||
        (keyword !== undefined && typeof keyword !== 'string')
      ) {
        throw new TypeError(shape);
      }
      return Object.freeze(
        keyword === undefined ? { pointer, message } : { pointer, message, keyword },
      );
    }),
  );
}

// The catalogue entry of a name or code; codes outside it are the caller's own subsystem's.
function resolveCode(
  nameOrCode: unknown,
  options: AstFaultOptions,
): { code: number; status: number; name: string; entry?: CatalogEntry<number> } {
  if (typeof nameOrCode === 'string') {
    const entry = byName.get(nameOrCode);
    if (entry === undefined)
      throw new TypeError(`faultline: '${nameOrCode}' is not a name of the AST catalogue`);
    return { code: entry.code, status: entry.status, name: entry.name, entry };
  }
  if (!isPart(nameOrCode)) {
    throw new TypeError(
      `faultline: an AST fault needs a catalogue name or a positive integer code, got ${String(nameOrCode)}`,
    );
  }
  const entry = catalog.get(nameOrCode);
  if (entry !== undefined)
    return { code: entry.code, status: entry.status, name: entry.name, entry };
  if (String(nameOrCode).startsWith(String(AST_SUBSYSTEM))) {
    throw new TypeError(
      `faultline: ${nameOrCode} is not in the AST catalogue (subsystem ${AST_SUBSYSTEM} has only the catalogue's codes)`,
    );
  }
  if (options.status === undefined) {
    throw new TypeError(
      `faultline: AST code ${nameOrCode} is not in the catalogue; give options.status for a code of your own subsystem`,
    );
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
function fault(
  nameOrCode: AstName | AstCatalogCode | (number & {}),
  message?: string,
  options: AstFaultOptions = {},
): Fault {
  if (typeof options !== 'object' || options === null) {
    throw new TypeError('faultline: ast.fault options must be an object');
  }
  if (message !== undefined && typeof message !== 'string') {
    throw new TypeError('faultline: an AST fault message must be a string');
  }
  if (options.status !== undefined) checkStatus(options.status, 'ast.fault options.status');
  if (options.name !== undefined && (typeof options.name !== 'string' || options.name === '')) {
    throw new TypeError('faultline: ast.fault options.name must be a non-empty string');
  }
  if (options.expose !== undefined && typeof options.expose !== 'boolean') {
    throw new TypeError('faultline: ast.fault options.expose must be a boolean');
  }
  if (
    options.headers !== undefined &&
    (typeof options.headers !== 'object' ||
      options.headers === null ||
      Array.isArray(options.headers))
  ) {
    throw new TypeError('faultline: ast.fault options.headers must be an object');
  }
  const details = checkDetails(options.details);
  const resolved = resolveCode(nameOrCode, options);
  const { entry } = resolved;
  if (entry !== undefined && options.status !== undefined && options.status !== entry.status) {
    throw new TypeError(
      `faultline: the AST catalogue fixes the status of ${entry.code} ${entry.name} to ${entry.status}`,
    );
  }
  if (entry !== undefined && options.name !== undefined && options.name !== entry.name) {
    throw new TypeError(
      `faultline: the AST catalogue fixes the name of ${entry.code} to ${entry.name}`,
    );
  }
  return catalogueFault({
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
 * Errors that are not AST faults get the published list's generic codes: validation → `510400
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
export const ast = defineDialect({
  id: DIALECT,
  optionKeys: OPTION_KEYS,
  catalog,
  configure,
  bodies: BODIES,
  encodings: ENCODINGS,
  /** Builds an AST fault by catalogue name or full code, e.g. `ast.fault('InvalidCsrSignature')`. */
  fault,
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
  read: (document: FaultDocument): FaultReading | undefined => readAst(document, catalog),
  explain: (query: string): readonly Explanation[] => explainAst(query, catalog),
  /** The AST Certificate Authority's subsystem number (the same as {@link SUBSYSTEM}). */
  subsystem: AST_SUBSYSTEM,
  /** The AST Certificate Authority's subsystem number, `510`. */
  SUBSYSTEM: AST_SUBSYSTEM,
});
