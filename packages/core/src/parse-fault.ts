/**
 * The reverse direction: reading an error response back into its fault (`parseFault`) and
 * explaining any code across dialects (`explain`).
 *
 * @module
 */
import type { Catalog } from './catalog.js';
import { copyFault } from './fault.js';
import { DIALECTS, builtInDialect } from './dialects/registry.js';
import type { DialectName } from './dialects/registry.js';
import type { Dialect, ForeignOrigin } from './dialects/contract.js';
import { MAX_BODY_BYTES, readDocument } from './read/document.js';
import type { FaultDocument } from './read/document.js';
import { explainCatalog, explainEntry } from './read/fields.js';
import { readSoap } from './read/soap.js';
import type { Explanation, FaultReading, ParsedFault, UnrecognisedFault } from './read/types.js';

// The order dialects are tried in: the registry's, the most specific structures first.
const READ_ORDER: readonly Dialect[] = Object.values(DIALECTS);

/**
 * Options of {@link parseFault}: what else is known about the response.
 *
 * @example
 * ```ts
 * const options: ParseFaultOptions = { status: 500, headers: { 'x-road-error': 'Server.ServerProxy.AccessDenied' } };
 * ```
 */
export interface ParseFaultOptions {
  /** The response's HTTP status; a fault's status is its convention's when this is absent or not 4xx/5xx. */
  readonly status?: number;
  /** The response headers (any case); `content-type` is read from here when not given apart. */
  readonly headers?: Readonly<Record<string, string | readonly string[] | undefined>>;
  /**
   * The convention whose infrastructure the response came through (a built-in dialect that
   * knows where foreign errors come from: `'xroad'`): a body without its structure then comes
   * from elsewhere (X-Road: the service provider's own error, component 4). The
   * infrastructure's own headers (any `x-road-*` header) say the same.
   */
  readonly via?: {
    [K in DialectName]: (typeof DIALECTS)[K] extends { readonly foreignOrigin: object } ? K : never;
  }[DialectName];
  /** Catalogues of a team's own codes (`defineCatalog(...).catalog`), for codes the dialects lack. */
  readonly catalogs?: readonly Catalog[];
  /** The dialects to try, in order; default: every built-in one. */
  readonly dialects?: readonly (DialectName | Dialect)[];
}

/**
 * Options of {@link explain}.
 *
 * @example
 * ```ts
 * explain('OrderNotFound', { catalogs: [orders.catalog] });
 * ```
 */
export interface ExplainOptions {
  /** Catalogues of a team's own codes to explain as well. */
  readonly catalogs?: readonly Catalog[];
  /** The dialects to ask; default: every built-in one. */
  readonly dialects?: readonly (DialectName | Dialect)[];
}

function dialectsOf(list: readonly (DialectName | Dialect)[] | undefined): Dialect[] {
  if (list === undefined) return [...READ_ORDER];
  return list.map((d) => {
    const dialect = typeof d === 'string' ? builtInDialect(d) : d;
    if (dialect === undefined) throw new TypeError(`faultline: unknown dialect '${String(d)}'`);
    return dialect;
  });
}

function lowerHeaders(headers: ParseFaultOptions['headers']): Record<string, string> {
  const out: Record<string, string> = {};
  if (headers === undefined || headers === null || typeof headers !== 'object') return out;
  for (const [name, value] of Object.entries(headers)) {
    const text =
      typeof value === 'string' ? value : Array.isArray(value) ? value.join(', ') : undefined;
    if (text !== undefined) out[name.toLowerCase()] = text;
  }
  return out;
}

function bodyText(body: unknown): string | undefined {
  if (typeof body === 'string') return body;
  if (body instanceof Uint8Array) return new TextDecoder('utf-8').decode(body);
  return undefined;
}

// The convention the response came through, when a dialect says where foreign errors come from:
// the one `via` names, else one whose infrastructure's headers the response carries.
function viaOf(
  options: ParseFaultOptions,
  headers: Readonly<Record<string, string>>,
  dialects: readonly Dialect[],
): { readonly id: string; readonly foreign: ForeignOrigin } | undefined {
  const candidates = [...dialects, ...READ_ORDER];
  const named =
    options.via === undefined ? undefined : candidates.find((d) => d.id === options.via);
  const names = Object.keys(headers);
  const found =
    named ??
    candidates.find((d) => {
      const prefix = d.foreignOrigin?.headerPrefix;
      return prefix !== undefined && names.some((name) => name.startsWith(prefix));
    });
  return found?.foreignOrigin === undefined
    ? undefined
    : { id: found.id, foreign: found.foreignOrigin };
}

function tryRead(dialect: Dialect, document: FaultDocument): FaultReading | undefined {
  try {
    return dialect.read?.(document);
  } catch {
    return undefined; // a reader that fails has not recognised the body
  }
}

function explanationOf(
  dialect: Dialect | undefined,
  code: string | number,
): Explanation | undefined {
  if (dialect === undefined) return undefined;
  try {
    const all =
      dialect.explain === undefined
        ? explainCatalog(dialect.catalog, String(code))
        : dialect.explain(String(code));
    return all.find((e) => String(e.code) === String(code)) ?? all[0];
  } catch {
    return undefined;
  }
}

/**
 * Reads an error response back into its fault: detects the dialect (X-Road REST JSON/XML and
 * SOAP, XKS, ESB JSON/XML and the converted `{"fault":{…}}` form, DE4A, AST, problem+json,
 * and any SOAP 1.1/1.2 fault) and returns the fault with its code, message, status and
 * correlation id, its catalogue entry, who produced it and what its code means. Never throws:
 * anything else gives `{ recognised: false, reason }`.
 *
 * For X-Road, `origin` says which Security Server produced the fault (`Server.ClientProxy.*`:
 * the consumer side, `Server.ServerProxy.*`: the provider side) and that the `detail` id is
 * the key to that server's proxy log; a response that came through X-Road without X-Road's
 * structure is the service provider's own error.
 *
 * @param body - the response body, as text or bytes (UTF-8); at most 1 MiB is read
 * @param contentType - the response's `Content-Type`, if known
 * @param options - status, headers, whether it came through X-Road, a team's catalogues
 * @returns the recognised fault, or the reason it is none
 * @example
 * ```ts
 * const result = parseFault(
 *   '{"type":"Server.ClientProxy.SslAuthenticationFailed","message":"…","detail":"2ea02d93-e0b8-4e2b-8c6e-fac20f53a3e3"}',
 *   'application/json',
 * );
 * if (result.recognised) {
 *   result.fault.code;          // 'Server.ClientProxy.SslAuthenticationFailed'
 *   result.fault.correlationId; // '2ea02d93-e0b8-4e2b-8c6e-fac20f53a3e3'
 *   result.origin?.component;   // 2: the consumer-side Security Server
 * }
 * ```
 */
export function parseFault(
  body: string | Uint8Array,
  contentType?: string,
  options: ParseFaultOptions = {},
): ParsedFault {
  try {
    return parse(body, contentType, options ?? {});
  } catch (error) {
    // A dialect list naming an unknown dialect is the caller's mistake worth saying; nothing else escapes.
    return {
      recognised: false,
      reason: error instanceof TypeError ? error.message : 'the body could not be read',
    };
  }
}

function parse(body: unknown, contentType: unknown, options: ParseFaultOptions): ParsedFault {
  const headers = lowerHeaders(options.headers);
  const dialects = dialectsOf(options.dialects);
  const via = viaOf(options, headers, dialects);
  const ownError =
    via?.foreign.errorHeader === undefined ? false : headers[via.foreign.errorHeader] !== undefined;
  const unrecognised = (reason: string): UnrecognisedFault =>
    via !== undefined && !ownError
      ? { recognised: false, reason, origin: via.foreign.origin }
      : { recognised: false, reason };

  const text = bodyText(body);
  if (text === undefined) return unrecognised('the body is not text or bytes');
  if (text.length > MAX_BODY_BYTES || Buffer.byteLength(text, 'utf8') > MAX_BODY_BYTES) {
    return unrecognised(`the body is larger than ${MAX_BODY_BYTES} bytes`);
  }
  const document = readDocument(text, {
    contentType: typeof contentType === 'string' ? contentType : headers['content-type'],
    ...(typeof options.status === 'number' ? { status: options.status } : {}),
    headers,
  });
  if (typeof document === 'string') return unrecognised(document);

  let dialect: Dialect | undefined;
  let reading: FaultReading | undefined;
  for (const candidate of dialects) {
    reading = tryRead(candidate, document);
    if (reading !== undefined) {
      dialect = candidate;
      break;
    }
  }
  reading ??= readSoap(document);
  if (reading === undefined) {
    return unrecognised(
      `the ${document.format === 'json' ? 'JSON' : 'XML'} body has the structure of no known fault`,
    );
  }

  let fault = reading.fault;
  let entry = dialect?.catalog.get(fault.code);
  if (entry === undefined) {
    entry = options.catalogs
      ?.find((c) => c.dialect === fault.dialect && c.get(fault.code) !== undefined)
      ?.get(fault.code);
    if (entry !== undefined)
      fault = copyFault(fault, { name: entry.name, description: entry.description });
  }
  const explanation =
    explanationOf(dialect, fault.code) ??
    (entry === undefined ? undefined : explainEntry(fault.dialect, entry));
  const origin =
    via !== undefined && fault.dialect !== via.id ? via.foreign.origin : reading.origin;
  return {
    recognised: true,
    dialect: fault.dialect,
    format: reading.format,
    fault,
    ...(entry === undefined ? {} : { entry }),
    ...(origin === undefined ? {} : { origin }),
    ...(explanation === undefined ? {} : { explanation }),
    notes: reading.notes ?? [],
  };
}

/**
 * Explains a code or a name across every dialect: each catalogue entry it matches, with its
 * status, meaning, origin and what to check, plus the code's arithmetic (DE4A layer + module
 * + type, AST subsystem + error, every ESB transport base + state that adds up to it, X-Road
 * side and segments). Never throws for a query; an empty list means no dialect knows it.
 *
 * @param query - e.g. `101507`, `10102`, `5104001`, `Server.ClientProxy.SslAuthenticationFailed`, `KeyNotFoundException`
 * @param options - a team's catalogues, the dialects to ask
 * @returns the explanations, dialect by dialect
 * @throws TypeError only when `options.dialects` names an unknown dialect
 * @example
 * ```ts
 * for (const e of explain(101507)) {
 *   console.log(e.dialect, e.code, e.name, e.candidates?.length); // esb 101507 CONNECT_CANCEL 3
 * }
 * ```
 */
export function explain(query: string | number, options: ExplainOptions = {}): Explanation[] {
  const text = String(query).trim();
  if (text === '' || text.length > 256) return [];
  const found: Explanation[] = [];
  for (const dialect of dialectsOf(options.dialects)) {
    try {
      found.push(
        ...(dialect.explain === undefined
          ? explainCatalog(dialect.catalog, text)
          : dialect.explain(text)),
      );
    } catch {
      // a dialect that cannot explain the query has nothing to say about it
    }
  }
  for (const catalog of options.catalogs ?? []) found.push(...explainCatalog(catalog, text));
  return found;
}
