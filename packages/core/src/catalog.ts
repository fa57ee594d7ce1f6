/**
 * Catalogues: the data behind every dialect. One entry per code, with the status, the
 * name, the safe default message and what the convention's own documentation says of it.
 *
 * @module
 */

import { checkTranslations } from './locale.js';

/**
 * Log level names understood by pino-compatible loggers.
 *
 * @example
 * ```ts
 * const level: LogLevel = 'warn';
 * createFaultHandler({ dialect: 'problem', levels: { clientError: level } });
 * ```
 */
export type LogLevel = (typeof LOG_LEVELS)[number];

/**
 * Every log level, most severe first: the one list the handler checks its `levels` option
 * against and the Fastify adapter reads a logger's methods by.
 *
 * @example
 * ```ts
 * LOG_LEVELS.includes('warn'); // true
 * ```
 */
export const LOG_LEVELS = Object.freeze([
  'fatal',
  'error',
  'warn',
  'info',
  'debug',
  'trace',
] as const);

/**
 * Whether a client may retry a fault: `no`; `yes`; or `idempotent`, only when the request's
 * method is idempotent (RFC 9110 §9.2.2: GET, HEAD, OPTIONS, TRACE, PUT, DELETE).
 *
 * @example
 * ```ts
 * const retry: RetryClass = 'idempotent';
 * defineCatalog({ codes: { Busy: { status: 503, message: 'Busy', retry, retryAfter: 30 } } });
 * ```
 */
export type RetryClass = 'no' | 'yes' | 'idempotent';

/** The retry classes, for checks. */
export const RETRY_CLASSES: readonly RetryClass[] = Object.freeze(['no', 'yes', 'idempotent']);

/**
 * One documented message of a code, with what it means (the rows of the convention's error tables).
 *
 * @example
 * ```ts
 * const example: CatalogExample = {
 *   message: "Client '{name}' not found",
 *   description: 'The client subsystem is not registered in the global configuration.',
 * };
 * ```
 */
export interface CatalogExample {
  /** The message text as the real system sends it; `{name}` marks a variable part. */
  readonly message: string;
  /** What the message means and what to check. */
  readonly description?: string;
}

/**
 * One code of a catalogue.
 *
 * @example
 * ```ts
 * const entry: CatalogEntry | undefined = xks.catalog.get('KeyNotFoundException');
 * entry?.status; // 404
 * ```
 */
export interface CatalogEntry<C extends string | number = string | number> {
  /** The dialect-native code, e.g. `Server.ClientProxy.UnknownMember`, `51010`. */
  readonly code: C;
  /** The HTTP status the code is sent with. */
  readonly status: number;
  /** A symbolic name, e.g. `InvalidCsrSignature`; for X-Road the code without its side prefix. */
  readonly name: string;
  /** The safe, generic message sent when a fault of this code carries none or hides its own. */
  readonly message: string;
  /** What the code means, from the source document. */
  readonly description?: string;
  /** Documented messages of this code with their meaning. */
  readonly examples?: readonly CatalogExample[];
  /** Overrides the level the fault is logged at (default: `error` for 5xx, `info` for 4xx). */
  readonly logLevel?: LogLevel;
  /** The message template, `{name}` marking each parameter, where the code has one. */
  readonly template?: string;
  /**
   * Clients read the message (match or parse it), so changing it breaks them: `faultline
   * catalog diff` says so. Without it, clients are expected to branch on the code alone.
   */
  readonly clientsReadMessage?: boolean;
  /** Extension members problem+json bodies of this code carry (RFC 9457 §3.2). */
  readonly extensions?: Readonly<Record<string, unknown>>;
  /**
   * The absolute URL of the code's documentation, e.g. the anchor `faultline catalog --format
   * html` writes for it; problem+json sends it as `type`.
   */
  readonly docs?: string;
  /** Whether a client may retry (GovWay's retry classes); sent as problem's `retryable` member. */
  readonly retry?: RetryClass;
  /** Seconds after which a retry may succeed: `Retry-After`, and problem's `retryAfter` member. */
  readonly retryAfter?: number;
  /**
   * The message in other languages, by language tag (`{ de: '…', et: '…' }`): the handler picks
   * one by `Accept-Language`. Each uses exactly the parameters of `template` (else `message`).
   */
  readonly messages?: Readonly<Record<string, string>>;
}

/**
 * The members a problem+json body sets itself, which no extension may replace: RFC 9457's five
 * and faultline's `code`, `errors`, `correlationId`, `retryable`, `retryAfter` and `debug`.
 *
 * @example
 * ```ts
 * RESERVED_MEMBERS.includes('instance'); // true
 * ```
 */
export const RESERVED_MEMBERS: readonly string[] = Object.freeze([
  'type',
  'title',
  'status',
  'detail',
  'instance',
  'code',
  'errors',
  'correlationId',
  'retryable',
  'retryAfter',
  'debug',
]);

/**
 * Checks extension members: an object of JSON values (nested at most 8 deep) whose names are
 * none of {@link RESERVED_MEMBERS}.
 *
 * @param value - the members
 * @param where - what was given them, for the message
 * @returns the members, copied
 * @throws TypeError naming the member that is reserved or no JSON value
 * @example
 * ```ts
 * checkExtensions({ balance: 30 }, 'problem.fault option extensions'); // { balance: 30 }
 * ```
 */
export function checkExtensions(value: unknown, where: string): Readonly<Record<string, unknown>> {
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    throw new TypeError(`faultline: ${where} must be an object of members`);
  const copy: Record<string, unknown> = {};
  for (const [name, member] of Object.entries(value)) {
    if (RESERVED_MEMBERS.includes(name))
      throw new TypeError(`faultline: ${where}: '${name}' is a member faultline sets itself`);
    if (!isJson(member, 0))
      throw new TypeError(`faultline: ${where}: '${name}' must be a JSON value`);
    // A member named __proto__ is data, not the prototype.
    Object.defineProperty(copy, name, { value: member, enumerable: true, writable: true });
  }
  return Object.freeze(copy);
}

function isJson(value: unknown, depth: number): boolean {
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return true;
  if (typeof value === 'number') return Number.isFinite(value);
  if (typeof value !== 'object' || depth >= 8) return false;
  if (Array.isArray(value)) return value.every((v) => isJson(v, depth + 1));
  const proto = Object.getPrototypeOf(value) as unknown;
  if (proto !== Object.prototype && proto !== null) return false;
  return Object.values(value).every((v) => isJson(v, depth + 1));
}

/**
 * A read-only set of catalogue entries, looked up by code.
 *
 * @example
 * ```ts
 * const catalog: Catalog = xroad.catalog;
 * catalog.get('Server.ClientProxy.UnknownMember')?.status; // 500
 * ```
 */
export interface Catalog<C extends string | number = string | number> {
  /** The dialect the catalogue belongs to. */
  readonly dialect: string;
  /** Every entry, in the order the source document lists them. */
  readonly entries: readonly CatalogEntry<C>[];
  /** The entry of `code`, or `undefined`. */
  get(code: string | number): CatalogEntry<C> | undefined;
}

/**
 * Builds a frozen catalogue, rejecting duplicate codes and entries with a bad status.
 *
 * @param dialect - the dialect the codes belong to
 * @param entries - the entries, in documentation order
 * @returns the catalogue
 * @throws TypeError when a code is duplicated or a status is not an integer in 100–999
 * @example
 * ```ts
 * const cat = makeCatalog('mine', [{ code: 'E1', status: 400, name: 'E1', message: 'Bad' }]);
 * cat.get('E1')?.status; // 400
 * ```
 */
export function makeCatalog<C extends string | number>(
  dialect: string,
  entries: readonly CatalogEntry<C>[],
): Catalog<C> {
  const byCode = new Map<string, CatalogEntry<C>>();
  for (const entry of entries) {
    const key = String(entry.code);
    if (byCode.has(key)) {
      throw new TypeError(`faultline: catalogue '${dialect}' defines code '${key}' twice`);
    }
    if (!Number.isInteger(entry.status) || entry.status < 100 || entry.status > 999) {
      throw new TypeError(`faultline: catalogue '${dialect}' code '${key}' has an invalid status`);
    }
    if (entry.docs !== undefined && !isAbsoluteUrl(entry.docs))
      throw new TypeError(
        `faultline: catalogue '${dialect}' code '${key}' docs must be an absolute URL`,
      );
    if (entry.retry !== undefined && !RETRY_CLASSES.includes(entry.retry))
      throw new TypeError(
        `faultline: catalogue '${dialect}' code '${key}' retry must be one of ${RETRY_CLASSES.join(', ')}`,
      );
    if (
      entry.retryAfter !== undefined &&
      !(Number.isSafeInteger(entry.retryAfter) && entry.retryAfter >= 0)
    )
      throw new TypeError(
        `faultline: catalogue '${dialect}' code '${key}' retryAfter must be a whole number of seconds`,
      );
    const messages =
      entry.messages === undefined
        ? undefined
        : checkTranslations(
            entry.template ?? entry.message,
            entry.messages,
            `catalogue '${dialect}' code '${key}'`,
          );
    byCode.set(
      key,
      Object.freeze({
        ...entry,
        ...(messages === undefined ? {} : { messages }),
        ...(entry.extensions === undefined
          ? {}
          : {
              extensions: checkExtensions(
                entry.extensions,
                `catalogue '${dialect}' code '${key}' extensions`,
              ),
            }),
      }),
    );
  }
  const frozen = Object.freeze([...byCode.values()]);
  return Object.freeze({
    dialect,
    entries: frozen,
    get: (code: string | number) => byCode.get(String(code)),
  });
}

/** Whether a value is an absolute URL (a scheme and what follows), as a problem `type` must be. */
function isAbsoluteUrl(value: unknown): boolean {
  if (typeof value !== 'string' || !/^[a-z][a-z0-9+.-]*:/i.test(value)) return false;
  try {
    new URL(value);
    return true;
  } catch {
    return false;
  }
}
