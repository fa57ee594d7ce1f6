/**
 * Which dialect answers a request: one for the whole application, one per route prefix, or
 * one chosen by a function of the request. Every dialect is configured once, when the handler
 * is created.
 *
 * @module
 */
import { DIALECTS, builtInDialect } from '../dialects/registry.js';
import type { DialectName } from '../dialects/registry.js';
import type { Dialect, DialectRuntime } from '../dialects/contract.js';
import { requestPath } from '../request.js';
import type { RequestInfo } from '../request.js';
import { checkSyncFunction, syncResult } from '../safe.js';
import { warnOnce } from '../warn.js';

/**
 * A dialect: a built-in name or a dialect value.
 *
 * @example
 * ```ts
 * const choice: DialectChoice = 'xks'; // or a dialect value: xks
 * createFaultHandler({ dialect: choice });
 * ```
 */
export type DialectChoice = DialectName | Dialect;

/**
 * Dialects by route prefix, e.g. `{ '/kms/xks/v1': 'xks', '/soap': 'xroad', '*': 'problem' }`.
 * The longest matching prefix wins; `*` answers every other request (default `problem`). A
 * prefix matches its own path and the paths below it (`/soap` matches `/soap` and `/soap/x`,
 * not `/soapy`); a trailing `/*` is allowed and means the same.
 *
 * @example
 * ```ts
 * const dialect: DialectRoutes = { '/kms/xks/v1': 'xks', '/soap': 'xroad', '*': 'problem' };
 * createFaultHandler({ dialect });
 * ```
 */
export type DialectRoutes = Readonly<Record<string, DialectChoice>>;

/**
 * The `dialect` option: one dialect, dialects by route prefix, or a function of the request.
 *
 * @example
 * ```ts
 * const dialect: DialectOption = (request) => (request.url?.startsWith('/soap') ? 'xroad' : 'problem');
 * createFaultHandler({ dialect });
 * ```
 */
export type DialectOption =
  DialectChoice | DialectRoutes | ((request: RequestInfo) => DialectChoice);

/** A configured dialect. */
export interface Selected {
  readonly dialect: Dialect;
  readonly runtime: DialectRuntime;
}

/** The dialects a handler may answer in, and the one for a request. */
export interface DialectSelection {
  /** The dialect of requests nothing else claims. */
  readonly fallback: Selected;
  /** Every dialect the handler may answer in. */
  readonly all: readonly Selected[];
  /** The dialect for a request; never throws. */
  select(request: RequestInfo): Selected;
}

const isDialect = (value: unknown): value is Dialect =>
  typeof value === 'object' && value !== null && typeof (value as Dialect).configure === 'function';

/**
 * Configures the dialects of the `dialect` option.
 *
 * @param option - the option's value (default `problem`)
 * @param optionsFor - the options of a dialect id (`options.xroad` …)
 * @returns the selection
 * @throws TypeError for an unknown dialect name, a route key that is not a prefix or `*`, or a
 *   dialect whose options are invalid
 */
export function compileSelection(
  option: unknown,
  optionsFor: (id: string) => unknown,
): DialectSelection {
  const configured = new Map<Dialect, Selected>();
  const configure = (choice: unknown, where: string): Selected => {
    const dialect =
      typeof choice === 'string' ? builtInDialect(choice) : isDialect(choice) ? choice : undefined;
    if (dialect === undefined) {
      throw new TypeError(
        typeof choice === 'string'
          ? `faultline: unknown dialect '${choice}' (built in: ${Object.keys(DIALECTS).join(', ')})`
          : `faultline: ${where} must be a dialect name such as 'xroad' or a dialect value`,
      );
    }
    let selected = configured.get(dialect);
    if (selected === undefined) {
      selected = { dialect, runtime: dialect.configure(optionsFor(dialect.id) as never) };
      configured.set(dialect, selected);
    }
    return selected;
  };

  const choice = option ?? 'problem';
  if (typeof choice === 'function') {
    // Any built-in may be chosen per request: configure them all now, so their options fail now.
    const fallback = configure('problem', 'options.dialect');
    for (const name of Object.keys(DIALECTS)) configure(name, 'options.dialect');
    const pick = checkSyncFunction(
      choice as (request: RequestInfo) => unknown,
      'options.dialect',
    ) as (request: RequestInfo) => unknown;
    return {
      fallback,
      get all() {
        return [...configured.values()];
      },
      select(request) {
        let chosen: unknown;
        try {
          chosen = syncResult(pick(request));
          return configure(chosen, 'options.dialect(request)');
        } catch {
          // A failing or wrong choice must not cost the fault: it is answered in the fallback,
          // and the first time each wrong name is seen it is reported.
          warnOnce('FAULTLINE_UNKNOWN_DIALECT', wrongChoice(chosen, fallback.dialect.id));
          return fallback;
        }
      },
    };
  }
  if (typeof choice === 'string' || isDialect(choice)) {
    const only = configure(choice, 'options.dialect');
    return { fallback: only, all: [only], select: () => only };
  }
  if (typeof choice !== 'object' || choice === null || Array.isArray(choice)) {
    throw new TypeError(
      "faultline: options.dialect must be a dialect name such as 'xroad', a dialect value, routes or a function",
    );
  }
  const routes: { prefix: string; lower: string; selected: Selected }[] = [];
  let fallback: Selected | undefined;
  for (const [key, value] of Object.entries(choice)) {
    const where = `options.dialect['${key}']`;
    if (key === '*') {
      fallback = configure(value, where);
      continue;
    }
    const prefix = key.endsWith('/*') ? key.slice(0, -2) : key.replace(/\/+$/, '');
    if (!key.startsWith('/') || prefix.includes('*') || prefix.includes('?')) {
      throw new TypeError(
        `faultline: ${where}: a route key is a path prefix starting with / (or '*' for the rest)`,
      );
    }
    routes.push({ prefix, lower: prefix.toLowerCase(), selected: configure(value, where) });
  }
  routes.sort((a, b) => b.prefix.length - a.prefix.length);
  const rest = fallback ?? configure('problem', "options.dialect['*']");
  return {
    fallback: rest,
    all: [...configured.values()],
    // On the path the framework routed, with its case rule: the dialect answers for the route
    // that ran.
    select(request) {
      const insensitive = request.caseInsensitivePath === true;
      const path = insensitive ? requestPath(request).toLowerCase() : requestPath(request);
      for (const route of routes) {
        const prefix = insensitive ? route.lower : route.prefix;
        if (prefix === '' || path === prefix || path.startsWith(`${prefix}/`))
          return route.selected;
      }
      return rest;
    },
  };
}

// The warning for a chooser's wrong answer: the name (quoted, cut at 64 characters, since it
// may come from a request) or the kind of value.
function wrongChoice(chosen: unknown, fallback: string): string {
  const what =
    typeof chosen === 'string'
      ? `returned the unknown dialect ${JSON.stringify(chosen.slice(0, 64))} (built in: ${Object.keys(DIALECTS).join(', ')})`
      : chosen === undefined
        ? 'threw or returned nothing'
        : `returned a ${typeof chosen}, not a dialect name or value`;
  return `faultline: options.dialect(request) ${what}; such requests are answered in '${fallback}'`;
}
