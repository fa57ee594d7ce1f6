/**
 * Catalogues: the data behind every dialect. One entry per code, with the status, the
 * name, the safe default message and the documentation the seed tables give.
 *
 * @module
 */

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
 * One documented message of a code, with what it means (the seed tables' rows).
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
    byCode.set(key, Object.freeze({ ...entry }));
  }
  const frozen = Object.freeze([...byCode.values()]);
  return Object.freeze({
    dialect,
    entries: frozen,
    get: (code: string | number) => byCode.get(String(code)),
  });
}
