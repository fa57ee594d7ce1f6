/**
 * The configured AST dialect: its options, the published generic code of each kind of error, and
 * the one JSON body.
 *
 * @module
 */
import type { CatalogEntry } from '../../catalog.js';
import { Fault, copyFault } from '../../fault.js';
import { debugJson, faultFor } from '../kit.js';
import { networkFailure } from '../../pipeline/recognise/network.js';
import type { DialectRuntime, Rendered, ResolveContext } from '../contract.js';
import type { Problem, ProblemKind } from '../../pipeline/types.js';
import type { AstCatalogCode, AstName } from './catalog.js';
import {
  BAD_REQUEST,
  DIALECT,
  FORBIDDEN,
  INTERNAL_ERROR,
  MALFORMED_BODY,
  MISSING_FIELD,
  SERVICE_UNAVAILABLE,
  UNAUTHORIZED,
  byName,
  catalog,
  entryNamed,
} from './catalog.js';
import { isPart } from './codes.js';
import { JSON_ENCODING, MEDIA_TYPE } from './schema.js';
import { optionNames } from '../../safe.js';

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
   * clients can quote it. By default the body is exactly `{"code","name","message"}`
   * (plus `details`).
   * @default false
   */
  readonly correlationId?: boolean;
  /**
   * The catalogue entry (name or code, with status 404) that answers not-found errors that
   * name no resource: unknown routes and plain 404 errors. The published "404 and 404x" table has
   * no generic 404 code, so this picks one of its specific codes.
   * @default 'SignerNotFound'
   */
  readonly notFound?: AstName | AstCatalogCode;
}

/** The names of the options above, for the warning on names the dialect does not read. */
export const OPTION_KEYS = optionNames<AstOptions>({ correlationId: true, notFound: true });

const FALLBACK_BODY = JSON.stringify({
  code: INTERNAL_ERROR.code,
  name: INTERNAL_ERROR.name,
  message: INTERNAL_ERROR.message,
});

// A fault's code as a number: hand-built faults may carry it as a string of digits.
function numericCode(value: string | number): number | undefined {
  if (isPart(value)) return value;
  if (typeof value === 'string' && /^[1-9][0-9]{0,15}$/.test(value) && isPart(Number(value)))
    return Number(value);
  return undefined;
}

// The published list's generic code of each kind; the four kinds left out depend on the problem
// or the options. 405, 413, 415 and other 4xx have no code of their own: the list's
// "unspecified Bad Request" carries them, with the error's message in `message`.
const ENTRY_BY_KIND: Readonly<
  Record<
    Exclude<ProblemKind, 'validation' | 'badRequest' | 'notFound' | 'serverError'>,
    CatalogEntry<number>
  >
> = {
  invalidBody: MALFORMED_BODY,
  unauthorized: UNAUTHORIZED,
  forbidden: FORBIDDEN,
  internal: INTERNAL_ERROR,
  // 503 + Retry-After makes clients back off and retry; the published list has no 429 code.
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
    return details.length > 0 && details.every((d) => d.keyword === 'required')
      ? MISSING_FIELD
      : BAD_REQUEST;
  }
  if (kind === 'notFound') return notFound;
  if (kind === 'serverError') return problem.status === 503 ? SERVICE_UNAVAILABLE : INTERNAL_ERROR;
  // A dependency that could not be reached or timed out disrupts the service: 510503.
  if (kind === 'internal' && networkFailure(problem) !== undefined) return SERVICE_UNAVAILABLE;
  return ENTRY_BY_KIND[kind];
}

function checkNotFound(value: unknown): CatalogEntry<number> {
  if (value === undefined) return entryNamed('SignerNotFound');
  const entry =
    typeof value === 'string'
      ? byName.get(value)
      : typeof value === 'number'
        ? catalog.get(value)
        : undefined;
  if (entry === undefined || entry.status !== 404) {
    throw new TypeError(
      `faultline: ast.notFound must be the name or code of a catalogue entry with status 404 (e.g. 'KeyNotFound'), got ${String(value)}`,
    );
  }
  return entry;
}

/**
 * Resolves the dialect's options once.
 *
 * @param options - whether bodies carry the correlation id, the not-found entry
 * @returns the runtime the handler uses
 * @throws TypeError naming the option that is invalid
 * @example
 * ```ts
 * const runtime = configure({ correlationId: true });
 * ```
 */
export function configure(options: AstOptions = {}): DialectRuntime {
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
    return faultFor(problem, context, {
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
      // Another dialect's fault, or a hand-built one whose code is no number: not ours.
      if (full === undefined) return undefined;
      const entry = catalog.get(full);
      if (entry === undefined) {
        return thrown.code === full
          ? thrown
          : copyFault(thrown, { code: full, correlationId: context.correlationId });
      }
      if (
        thrown.code === entry.code &&
        thrown.status === entry.status &&
        thrown.name === entry.name
      )
        return thrown;
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
          : {
              details: f.details.map((d) => ({
                pointer: d.pointer,
                message: d.message,
                ...(d.keyword === undefined ? {} : { keyword: d.keyword }),
              })),
            }),
        ...debugJson(debug),
      };
      return {
        status: f.status,
        headers: { 'content-type': MEDIA_TYPE },
        body: JSON.stringify(body),
      };
    },
    // AST clients read errors as JSON, never text/plain: the generic 500 when rendering fails.
    fallback: Object.freeze({
      status: INTERNAL_ERROR.status,
      headers: Object.freeze({ 'content-type': MEDIA_TYPE }),
      body: FALLBACK_BODY,
    }),
  };
}
