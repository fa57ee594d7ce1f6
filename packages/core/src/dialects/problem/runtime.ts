/**
 * The configured problem dialect: its options, the status and code of a classified error, and
 * the RFC 9457 body.
 *
 * @module
 */
import { Fault } from '../../fault.js';
import { RESERVED_MEMBERS } from '../../catalog.js';
import type { CatalogEntry } from '../../catalog.js';
import type { RequestInfo } from '../../request.js';
import { reasonPhrase } from '../../status.js';
import { jsonString, jsonStrings } from '../../encode/json.js';
import { retryAfterValue } from '../../headers.js';
import { debugJson, faultFor } from '../kit.js';
import { networkFailure } from '../../pipeline/recognise/network.js';
import type { DialectRuntime, ResolveContext } from '../contract.js';
import type { Problem, ProblemKind } from '../../pipeline/types.js';
import { DIALECT, catalog, codeOf } from './catalog.js';
import { JSON_ENCODING, MEDIA_TYPE } from './schema.js';
import { optionNames } from '../../safe.js';

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
  /**
   * What `instance` is: `urn` (the default), `urn:uuid:<correlation id>`; or `path`, the path
   * of the request that failed (its query left out, as it may carry secrets), with the
   * correlation id in the extension member `correlationId`.
   */
  readonly instance?: 'urn' | 'path';
  /**
   * Called for every body with a copy of it, the fault and the request; returns the body to
   * send (or changes the copy and returns nothing). Extension members it adds, changes or
   * removes are sent; the members faultline sets itself (`RESERVED_MEMBERS`) keep their values.
   * A hook that throws, or returns what JSON cannot carry, gets the handler's fallback 500,
   * logged with the failure.
   */
  readonly customize?: (
    body: ProblemBody,
    fault: Fault,
    request: RequestInfo,
  ) => Readonly<Record<string, unknown>> | undefined | void;
}

/**
 * A problem+json body as the `customize` hook gets it: RFC 9457's members, faultline's `code`,
 * and any extension members.
 *
 * @example
 * ```ts
 * const customize = (body: ProblemBody) => ({ ...body, region: 'eu-1' });
 * createFaultHandler({ dialect: 'problem', problem: { customize } });
 * ```
 */
export interface ProblemBody {
  readonly type: string;
  readonly title: string;
  readonly status: number;
  readonly detail: string;
  readonly instance: string;
  readonly code: string;
  readonly [member: string]: unknown;
}

/** The names of the options above, for the warning on names the dialect does not read. */
export const OPTION_KEYS = optionNames<ProblemOptions>({
  typeBase: true,
  instance: true,
  customize: true,
});

const CODE_BY_KIND: Readonly<Partial<Record<ProblemKind, string>>> = {
  invalidBody: 'InvalidBody',
  validation: 'ValidationFailed',
};

/**
 * Resolves the dialect's options once.
 *
 * @param options - the URI prefix of `type`
 * @returns the runtime the handler uses
 * @throws TypeError naming the option that is invalid
 * @example
 * ```ts
 * const runtime = configure({ typeBase: 'https://errors.example.com/' });
 * ```
 */
export function configure(options: ProblemOptions = {}): DialectRuntime {
  const typeBase = options.typeBase;
  if (typeBase !== undefined && (typeof typeBase !== 'string' || typeBase === '')) {
    throw new TypeError('faultline: problem.typeBase must be a non-empty URI prefix');
  }
  const instanceMode = options.instance ?? 'urn';
  if (instanceMode !== 'urn' && instanceMode !== 'path')
    throw new TypeError("faultline: problem.instance must be 'urn' or 'path'");
  const customize = options.customize;
  if (customize !== undefined && typeof customize !== 'function')
    throw new TypeError('faultline: problem.customize must be a function (body, fault, request)');
  // The catalogue's codes, messages and problem types, quoted once.
  const constants = jsonStrings([
    'about:blank',
    ...catalog.entries.flatMap((e) =>
      typeBase === undefined ? [e.code, e.message] : [e.code, e.message, `${typeBase}${e.code}`],
    ),
  ]);
  const quote = (text: string): string => constants.get(text) ?? jsonString(text);
  const fromProblem = (p: Problem, context: ResolveContext): Fault => {
    // A dependency that timed out is a 504, one that could not be reached a 502.
    const network = p.kind === 'internal' ? networkFailure(p) : undefined;
    const status = network === 'timeout' ? 504 : network === 'unreachable' ? 502 : p.status;
    const code = CODE_BY_KIND[p.kind] ?? codeOf(status);
    return faultFor(p, context, {
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
    adopt: (thrown) => (thrown.dialect === DIALECT ? thrown : undefined),
    negotiate: () => JSON_ENCODING,
    render(f, _encoding, { message, debug, entry, request, retry }) {
      const params = f.params as { title?: unknown; type?: unknown } | undefined;
      const code = String(f.code);
      const ownType = typeof params?.type === 'string' ? params.type : undefined;
      // A code's documentation link is its problem type: the fault's own type wins over it.
      const docs = ownType === undefined ? entry?.docs : undefined;
      const type =
        ownType ?? docs ?? (typeBase === undefined ? 'about:blank' : `${typeBase}${code}`);
      const title =
        typeof params?.title === 'string'
          ? params.title
          : docs !== undefined
            ? // A template's text before its first parameter is no summary: the reason phrase is.
              entry?.template === undefined
              ? (entry?.message ?? reasonPhrase(f.status))
              : reasonPhrase(f.status)
            : type === 'about:blank'
              ? reasonPhrase(f.status)
              : (catalog.get(code)?.message ?? reasonPhrase(f.status));
      const byPath = instanceMode === 'path';
      const instance = byPath ? pathOf(request) : `urn:uuid:${f.correlationId ?? ''}`;
      const extensions = entry?.extensions ?? f.extensions;
      if (
        f.details === undefined &&
        debug === undefined &&
        extensions === undefined &&
        customize === undefined &&
        retry === undefined &&
        !byPath
      ) {
        // The common case as a template: the same bytes as JSON.stringify of the object below.
        return {
          status: f.status,
          headers: { 'content-type': MEDIA_TYPE },
          body:
            `{"type":${quote(type)},"title":${quote(title)},"status":${f.status},"detail":${quote(message)},` +
            `"instance":${jsonString(instance)},"code":${quote(code)}}`,
        };
      }
      const body: Record<string, unknown> = {
        type,
        title,
        status: f.status,
        detail: message,
        instance,
        code,
        ...(f.details === undefined
          ? {}
          : {
              errors: f.details.map((d) => ({
                detail: d.message,
                pointer: `#${d.pointer}`,
                ...(d.keyword === undefined ? {} : { keyword: d.keyword }),
              })),
            }),
        ...(byPath ? { correlationId: f.correlationId ?? '' } : {}),
        ...(retry?.retryable === undefined ? {} : { retryable: retry.retryable }),
        ...(retry?.after === undefined
          ? {}
          : {
              retryAfter:
                typeof retry.after === 'number' ? retry.after : retryAfterValue(retry.after),
            }),
      };
      // The entry's members first, the thrown fault's over them, then the hook's.
      addMembers(body, entry?.extensions);
      if (f.extensions !== entry?.extensions) addMembers(body, f.extensions);
      if (customize !== undefined) {
        const copy = { ...body };
        const result = customize(copy as ProblemBody, f, request);
        const given = (typeof result === 'object' && result !== null ? result : copy) as Record<
          string,
          unknown
        >;
        for (const name of Object.keys(body)) {
          if (!RESERVED_MEMBERS.includes(name) && !Object.hasOwn(given, name)) delete body[name];
        }
        addMembers(body, given);
      }
      const debugMembers = debugJson(debug);
      if (debugMembers.debug !== undefined) body.debug = debugMembers.debug;
      return {
        status: f.status,
        headers: { 'content-type': MEDIA_TYPE },
        body: JSON.stringify(body),
      };
    },
  };
}

// Extension members onto a body: reserved names keep faultline's values; a member named
// `__proto__` is data, not the prototype.
function addMembers(
  body: Record<string, unknown>,
  members: CatalogEntry['extensions'] | undefined,
): void {
  if (members === undefined) return;
  for (const name of Object.keys(members)) {
    if (RESERVED_MEMBERS.includes(name)) continue;
    Object.defineProperty(body, name, {
      value: members[name],
      enumerable: true,
      writable: true,
      configurable: true,
    });
  }
}

// The path of the request that failed, without its query or fragment.
function pathOf(request: RequestInfo): string {
  const target = request.url ?? request.path ?? '/';
  const end = target.search(/[?#]/);
  return end === -1 ? target : target.slice(0, end);
}
