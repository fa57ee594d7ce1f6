/**
 * `defineCatalog`: a team's own codes as data — status, name, message template with typed
 * parameters, description, log level, exposure, retry hint — with typed factories.
 *
 * @module
 */
import { checkExtensions, makeCatalog } from './catalog.js';
import { genericText } from './locale.js';
import type { Catalog, CatalogEntry, LogLevel, RetryClass } from './catalog.js';
import { Fault, catalogueFault, checkStatus } from './fault.js';
import type { FaultHeaders } from './fault.js';
import { builtInDialect } from './dialects/registry.js';
import type { DialectName } from './dialects/registry.js';

/**
 * One code of a catalogue definition. The key is its name.
 *
 * @example
 * ```ts
 * const shipped: CodeDefinition = { status: 409, message: 'Order {id} was shipped on {date}', logLevel: 'info' };
 * defineCatalog({ codes: { OrderShipped: shipped } });
 * ```
 */
export interface CodeDefinition {
  /** The code sent to clients; default: the name. Numbers for numeric conventions (AST 51610). */
  readonly code?: string | number;
  /** The HTTP status; default: what the dialect's rule gives (X-Road: 500 for `Server.*`). */
  readonly status?: number;
  /** The message template; `{name}` marks a parameter, e.g. `Order {id} not found`. */
  readonly message: string;
  /** What the code means, for docs and `faultline explain`. */
  readonly description?: string;
  /** The level it is logged at; default: by status class. */
  readonly logLevel?: LogLevel;
  /** Whether the message may reach the client; default: true (catalogued faults are deliberate). */
  readonly expose?: boolean;
  /** Seconds after which a retry may succeed, sent as `Retry-After`. */
  readonly retryAfter?: number;
  /** Whether a client may retry: `no`, `yes`, or `idempotent` (only an idempotent request). */
  readonly retry?: RetryClass;
  /**
   * The message in other languages, by language tag; each must use exactly the template's
   * parameters (a compile-time error here, a `TypeError` for data).
   */
  readonly messages?: Readonly<Record<string, string>>;
  /** Clients read the message text, so `faultline catalog diff` treats changing it as breaking. */
  readonly clientsReadMessage?: boolean;
  /** Extension members problem+json bodies of this code carry (RFC 9457 §3.2). */
  readonly extensions?: Readonly<Record<string, unknown>>;
  /** The absolute URL of the code's documentation; problem+json sends it as `type`. */
  readonly docs?: string;
}

/**
 * A catalogue definition: the dialect its faults belong to, and its codes by name.
 *
 * @example
 * ```ts
 * const definition: CatalogDefinition = {
 *   dialect: 'problem',
 *   codes: { OrderNotFound: { status: 404, message: 'Order {id} not found' } },
 * };
 * const orders = defineCatalog(definition);
 * ```
 */
export interface CatalogDefinition {
  /** The dialect that renders these faults; default `problem`. */
  readonly dialect?: DialectName;
  readonly codes: Readonly<Record<string, CodeDefinition>>;
}

/**
 * The names of a template's `{parameters}`.
 *
 * @example
 * ```ts
 * type Names = TemplateParams<'Order {id} was shipped on {date}'>; // 'id' | 'date'
 * const name: Names = 'date';
 * ```
 */
export type TemplateParams<T extends string> = T extends `${string}{${infer P}}${infer Rest}`
  ? P | TemplateParams<Rest>
  : never;

/**
 * A translation checked against its source template: the translation's own type when both use
 * the same parameters, else a message type no string matches, so the compiler reports it.
 *
 * @example
 * ```ts
 * type Ok = SameParams<'Bestellung {id} fehlt', 'Order {id} not found'>; // the translation
 * type Bad = SameParams<'Bestellung fehlt', 'Order {id} not found'>; // an error message type
 * ```
 */
export type SameParams<T extends string, Source extends string> = [TemplateParams<T>] extends [
  TemplateParams<Source>,
]
  ? [TemplateParams<Source>] extends [TemplateParams<T>]
    ? T
    : `translation must use exactly the parameters of: ${Source}`
  : `translation must use exactly the parameters of: ${Source}`;

/**
 * The translations of a definition, each checked by {@link SameParams}.
 *
 * @example
 * ```ts
 * const definition = { codes: { A: { status: 404, message: 'Order {id}', messages: { de: 'Bestellung {id}' } } } } as const;
 * const checked: CheckedMessages<typeof definition> = definition;
 * ```
 */
export type CheckedMessages<D extends CatalogDefinition> = {
  readonly codes: {
    readonly [K in keyof D['codes']]: D['codes'][K] extends {
      readonly message: infer M extends string;
      readonly messages: infer T;
    }
      ? {
          readonly messages: {
            readonly [L in keyof T]: T[L] extends string ? SameParams<T[L], M> : never;
          };
        }
      : unknown;
  };
};

/**
 * The parameters argument of a code: required and typed when its template has parameters.
 *
 * @example
 * ```ts
 * type Args = ParamsArgument<'Order {id} not found'>; // [params: { readonly id: string | number | bigint | boolean }]
 * const args: Args = [{ id: 7 }];
 * ```
 */
export type ParamsArgument<T extends string> = [TemplateParams<T>] extends [never]
  ? [params?: Readonly<Record<string, never>>]
  : [params: { readonly [K in TemplateParams<T>]: string | number | bigint | boolean }];

/**
 * The arguments after a code's name: its parameters, then options; a code without parameters
 * takes its options directly too.
 *
 * @example
 * ```ts
 * type Args = FactoryArguments<'Down for maintenance'>; // [options?] | [params, options?]
 * const args: Args = [{ retryAfter: 600 }];
 * ```
 */
export type FactoryArguments<T extends string> = [TemplateParams<T>] extends [never]
  ? | [options?: DefinedFaultOptions]
    | [params: Readonly<Record<string, never>> | undefined, options?: DefinedFaultOptions]
  : [...ParamsArgument<T>, options?: DefinedFaultOptions];

/**
 * Per-fault options of a defined catalogue's factory.
 *
 * @example
 * ```ts
 * const options: DefinedFaultOptions = { cause: new Error('row missing'), headers: { 'cache-control': 'no-store' } };
 * throw orders.fault('OrderNotFound', { id: 7 }, options);
 * ```
 */
export interface DefinedFaultOptions {
  /** The error that caused this one (logged, never sent). */
  readonly cause?: unknown;
  /** Extra response headers. */
  readonly headers?: FaultHeaders;
  /** Extension members of this fault's problem+json body, over the code's own. */
  readonly extensions?: Readonly<Record<string, unknown>>;
  /** When a retry may succeed, over the code's `retryAfter`: seconds, or a time. */
  readonly retryAfter?: number | Date;
}

/**
 * A defined catalogue: its data and a typed factory.
 *
 * @example
 * ```ts
 * const orders: DefinedCatalog<{ codes: { OrderNotFound: { status: 404; message: 'Order {id} not found' } } }> =
 *   defineCatalog({ codes: { OrderNotFound: { status: 404, message: 'Order {id} not found' } } });
 * throw orders.fault('OrderNotFound', { id: 7 });
 * ```
 */
export interface DefinedCatalog<D extends CatalogDefinition> {
  /** The dialect that renders its faults. */
  readonly dialect: DialectName;
  /** The entries, for docs and for the handler's `catalogs` option. */
  readonly catalog: Catalog;
  /**
   * A fault of a code, its template filled from `params` (checked at compile time and at run
   * time: a missing parameter is a `TypeError`, never a `{name}` in a client's body).
   */
  fault<K extends keyof D['codes'] & string>(
    name: K,
    ...args: FactoryArguments<D['codes'][K]['message']>
  ): Fault;
}

const PLACEHOLDER = /\{([^{}]+)\}/g;

/**
 * Defines a team's own catalogue. Codes and names are unique; every entry is checked now, so a
 * bad status or a duplicate is a `TypeError` at start-up. The built-in catalogues are built by
 * the same `makeCatalog` underneath.
 *
 * @param definition - the dialect and the codes by name
 * @returns the catalogue and its typed factory
 * @throws TypeError for an unknown dialect, a duplicate code, a bad status, an empty template
 * @example
 * ```ts
 * const orders = defineCatalog({
 *   codes: {
 *     OrderNotFound: { status: 404, message: 'Order {id} not found' },
 *     OrderShipped: { status: 409, message: 'Order {id} was shipped on {date}', logLevel: 'warn' },
 *   },
 * });
 * throw orders.fault('OrderNotFound', { id: 7 });
 * ```
 */
export function defineCatalog<const D extends CatalogDefinition>(
  definition: D & CheckedMessages<D>,
): DefinedCatalog<D> {
  if (
    typeof definition !== 'object' ||
    definition === null ||
    typeof definition.codes !== 'object' ||
    definition.codes === null
  ) {
    throw new TypeError('faultline: defineCatalog needs { codes: { Name: { message, status? } } }');
  }
  const dialectName = definition.dialect ?? 'problem';
  const dialect = builtInDialect(dialectName);
  if (dialect === undefined)
    throw new TypeError(`faultline: defineCatalog: unknown dialect '${String(dialectName)}'`);

  const entries: CatalogEntry[] = [];
  const byName = new Map<
    string,
    { entry: CatalogEntry; definition: CodeDefinition; params: readonly string[] }
  >();
  for (const [name, code] of Object.entries(definition.codes)) {
    const where = `faultline: defineCatalog: ${name}`;
    if (typeof code !== 'object' || code === null)
      throw new TypeError(`${where} must be { message, status? }`);
    if (typeof code.message !== 'string' || code.message.trim() === '')
      throw new TypeError(`${where}.message must be a non-empty template`);
    const status = checkStatus(
      code.status ?? dialect.defaultStatus?.(code.code ?? name),
      `defineCatalog: ${name}.status`,
    );
    if (
      code.retryAfter !== undefined &&
      !(Number.isInteger(code.retryAfter) && code.retryAfter >= 0)
    ) {
      throw new TypeError(`${where}.retryAfter must be a whole number of seconds`);
    }
    if (code.clientsReadMessage !== undefined && typeof code.clientsReadMessage !== 'boolean')
      throw new TypeError(`${where}.clientsReadMessage must be true or false`);
    const entry: CatalogEntry = {
      code: code.code ?? name,
      status,
      name,
      // Hidden faults send the template's text before its first parameter, or the status text.
      message: genericText(code.message),
      ...(code.description === undefined ? {} : { description: code.description }),
      // The template itself, for docs and `faultline explain`: `{name}` marks a variable part.
      ...(/\{[^{}]+\}/.test(code.message)
        ? { examples: [{ message: code.message }], template: code.message }
        : {}),
      ...(code.logLevel === undefined ? {} : { logLevel: code.logLevel }),
      ...(code.clientsReadMessage === undefined
        ? {}
        : { clientsReadMessage: code.clientsReadMessage }),
      ...(code.extensions === undefined ? {} : { extensions: code.extensions }),
      ...(code.docs === undefined ? {} : { docs: code.docs }),
      ...(code.retry === undefined ? {} : { retry: code.retry }),
      ...(code.retryAfter === undefined ? {} : { retryAfter: code.retryAfter }),
      ...(code.messages === undefined ? {} : { messages: code.messages }),
    };
    entries.push(entry);
    byName.set(name, {
      entry,
      definition: code,
      params: [...new Set([...code.message.matchAll(PLACEHOLDER)].map((m) => m[1]!))],
    });
  }
  const catalog = makeCatalog(dialectName, entries); // rejects duplicate codes

  return Object.freeze({
    dialect: dialectName,
    catalog,
    fault(name: string, ...args: unknown[]): Fault {
      const known = byName.get(name);
      if (known === undefined)
        throw new TypeError(`faultline: '${name}' is not a code of this catalogue`);
      const [params, options] = (
        known.params.length === 0 && !isParams(args[0]) ? [undefined, args[0]] : args
      ) as [Readonly<Record<string, unknown>> | undefined, DefinedFaultOptions | undefined];
      // Parameters are the object's own: `{constructor}` must not find Object's.
      const param = (key: string): unknown =>
        params !== undefined && Object.hasOwn(params, key) ? params[key] : undefined;
      const missing = known.params.filter((p) => param(p) === undefined);
      if (missing.length > 0)
        throw new TypeError(`faultline: ${name} needs the parameter(s) ${missing.join(', ')}`);
      const message = known.definition.message.replace(PLACEHOLDER, (_m, key: string) =>
        String(param(key)),
      );
      const headers = { ...options?.headers };
      return catalogueFault({
        dialect: dialectName,
        code: known.entry.code,
        status: known.entry.status,
        message,
        name,
        description: known.entry.description,
        params: params === undefined ? undefined : { ...params },
        expose: known.definition.expose ?? true,
        headers: Object.keys(headers).length === 0 ? undefined : headers,
        cause: options?.cause,
        retry: known.definition.retry,
        retryAfter: options?.retryAfter ?? known.definition.retryAfter,
        extensions:
          options?.extensions === undefined
            ? undefined
            : checkExtensions(options.extensions, `${name} option extensions`),
      });
    },
  }) as DefinedCatalog<D>;
}

function isParams(value: unknown): boolean {
  return (
    typeof value === 'object' &&
    value !== null &&
    !('cause' in value) &&
    !('headers' in value) &&
    !('extensions' in value) &&
    !('retryAfter' in value)
  );
}
