/**
 * Mapping rules: a service's own errors (`KeyDisabledError`, Prisma `P2025`, `ECONNREFUSED`,
 * a zod error) turned into a fault of the dialect, declared once as data.
 *
 * Lookups by class, code and name are map lookups, so a rule table of any size costs the same
 * per error; only predicates are tried in order.
 *
 * @module
 */
import { isFault } from '../fault.js';
import type { Fault, FaultHeaders } from '../fault.js';
import type { ErrorLike } from '../pipeline/types.js';
import { isUpstreamFault, upstreamInfo } from '../pipeline/upstream.js';
import type { UpstreamInfo } from '../pipeline/upstream.js';
import type { RequestInfo } from '../request.js';
import {
  checkSyncFunction,
  isNativeError,
  safeGet,
  safeInstanceOf,
  stringOrUndefined,
  syncResult,
} from '../safe.js';
import { builtInDialect } from '../dialects/registry.js';
import type { DialectName } from '../dialects/registry.js';
import type { Dialect, FaultSpec } from '../dialects/contract.js';

/**
 * Where a rule sends an error: a fault spec of the dialect, or a function that builds the fault.
 *
 * @example
 * ```ts
 * const toSpec: MappingTarget = { code: 'KeyNotFoundException', message: (error) => String(error) };
 * const toFault: MappingTarget = () => xks.fault('InvalidStateException', 'Key is disabled');
 * ```
 */
export type MappingTarget =
  | (Omit<FaultSpec, 'cause' | 'message'> & {
      /** The message, or a function of the error that makes it (never sent if it throws). */
      readonly message?: string | ((error: unknown) => string);
      /**
       * The dialect whose code this is (a built-in name, or a dialect value, yours too);
       * default: the dialect answering the request. A fault of another dialect is converted by
       * status, like any fault of another dialect.
       */
      readonly dialect?: DialectName | Dialect;
    })
  | ((error: unknown, request: RequestInfo) => Fault);

/**
 * What an `upstream` rule matches of an `UpstreamFault`: its dialect, its code and its HTTP
 * status, each when given (at least one).
 *
 * @example
 * ```ts
 * const denied: UpstreamMatch = { dialect: 'xroad', code: 'Server.ServerProxy.AccessDenied' };
 * ```
 */
export interface UpstreamMatch {
  /** The upstream's dialect, e.g. `xroad`. */
  readonly dialect?: string;
  /** The upstream's code, e.g. `Server.ServerProxy.AccessDenied`. */
  readonly code?: string | number;
  /** The HTTP status the upstream answered with. */
  readonly status?: number;
}

/**
 * What a rule matches: exactly one of `class`, `code`, `name`, `when` or `upstream`.
 *
 * @example
 * ```ts
 * const byClass: MappingMatch = { class: RangeError };
 * const byCode: MappingMatch = { code: 'ENOENT' };
 * const byPredicate: MappingMatch = { when: (error) => error instanceof Error && error.message.includes('timeout') };
 * ```
 */
export type MappingMatch =
  | { readonly class: abstract new (...args: never[]) => unknown }
  | { readonly code: string | number }
  | { readonly name: string }
  | { readonly when: (error: unknown, request: RequestInfo) => boolean }
  | { readonly upstream: UpstreamMatch };

/**
 * What a rule may say besides its match and target.
 *
 * @example
 * ```ts
 * const onlyThrown: MappingOptions = { wrapped: false };
 * ```
 */
export interface MappingOptions {
  /**
   * Whether the rule also matches an error wrapped in the thrown one: a link of its `cause`
   * chain or an error of an `AggregateError` (closest first, up to `limits.wrapped`). With
   * `false` the rule matches the thrown value only.
   * @default true
   */
  readonly wrapped?: boolean;
  /**
   * For an `UpstreamFault` the rule matches: forward the upstream's answer unchanged when it
   * already is a conforming fault of the caller's dialect (see the handler's `passthrough`);
   * otherwise `to` answers it, or, without `to`, the usual translation.
   */
  readonly passthrough?: boolean;
}

/**
 * One rule of the `mappings` option.
 *
 * @example
 * ```ts
 * const mappings: MappingRule[] = [
 *   { class: KeyDisabledError, to: { code: 'InvalidStateException' } },
 *   { code: 'P2025', to: { code: 'KeyNotFoundException', message: 'No such key' } },
 *   { when: (e) => e instanceof ZodError, to: (e) => xks.fault('ValidationException', String(e)) },
 * ];
 * ```
 */
export type MappingRule = MappingMatch &
  MappingOptions &
  ({ readonly to: MappingTarget } | { readonly to?: MappingTarget; readonly passthrough: true });

interface Compiled {
  readonly index: number;
  readonly rule: MappingRule;
  /** Whether the rule matches wrapped errors too. */
  readonly wrapped: boolean;
}

const MAX_CHAIN = 32;

/** A rule that matched, and the value it matched: the thrown one or one wrapped in it. */
export interface Matched {
  readonly rule: MappingRule;
  readonly value: unknown;
}

/** A compiled rule table: the rule an error matches, by the documented precedence. */
export interface MappingTable {
  /**
   * The rule for a thrown value: its nearest class in the prototype chain (the exact class
   * before its superclasses), then its `code`, then its `name`, then the first predicate that
   * holds. Code and name match only errors (values faultline trusts); class and predicate
   * match any value. When no rule matches the thrown value, the errors wrapped in it are
   * tried the same way, closest first: its `cause` chain and an `AggregateError`'s errors.
   * Never throws.
   */
  match(like: ErrorLike, request: RequestInfo): Matched | undefined;
  /** Builds the fault a rule gives the value it matched; `undefined` when the rule's function fails. */
  apply(
    matched: Matched,
    like: ErrorLike,
    request: RequestInfo,
    dialect: Dialect,
  ): Fault | undefined;
}

/**
 * Checks and compiles the `mappings` option once, when the handler is created. Every spec is
 * built once with the dialect it will use, so an unknown code or a bad status fails here.
 *
 * @param rules - the rules, in order
 * @param dialects - the dialects specs may be built with (the handler's)
 * @param maxWrapped - how many wrapped errors are tried after the thrown value (`limits.wrapped`)
 * @returns the table, or `undefined` when there are no rules
 * @throws TypeError naming the rule (`mappings[3]`) for a rule that is not exactly one match
 *   and a target, or whose spec a dialect rejects
 */
export function compileMappings(
  rules: unknown,
  dialects: readonly Dialect[],
  maxWrapped = 8,
): MappingTable | undefined {
  if (rules === undefined) return undefined;
  if (!Array.isArray(rules))
    throw new TypeError('faultline: options.mappings must be an array of rules');
  const byClass = new Map<unknown, Compiled>();
  const byCode = new Map<string | number, Compiled>();
  const byName = new Map<string, Compiled>();
  const predicates: Compiled[] = [];
  const upstreamRules: (Compiled & { readonly upstream: UpstreamMatch })[] = [];
  let anyWrapped = false;

  rules.forEach((rule: unknown, index) => {
    const where = `faultline: options.mappings[${index}]`;
    if (typeof rule !== 'object' || rule === null)
      throw new TypeError(`${where} must be a rule object`);
    const r = rule as Record<string, unknown>;
    const keys = ['class', 'code', 'name', 'when', 'upstream'].filter((k) => r[k] !== undefined);
    if (keys.length !== 1) {
      throw new TypeError(
        `${where} must match by exactly one of class, code, name, when or upstream (got ${keys.join(', ') || 'none'})`,
      );
    }
    if (r.passthrough !== undefined && typeof r.passthrough !== 'boolean')
      throw new TypeError(`${where}.passthrough must be a boolean`);
    if (r.to !== undefined || r.passthrough !== true) checkTarget(r.to, where, dialects);
    if (r.wrapped !== undefined && typeof r.wrapped !== 'boolean')
      throw new TypeError(`${where}.wrapped must be a boolean`);
    const compiled: Compiled = { index, rule: rule as MappingRule, wrapped: r.wrapped !== false };
    if (compiled.wrapped) anyWrapped = true;
    const first = <K>(map: Map<K, Compiled>, key: K) => {
      if (!map.has(key)) map.set(key, compiled); // the earlier rule wins
    };
    switch (keys[0]) {
      case 'class':
        if (typeof r.class !== 'function')
          throw new TypeError(`${where}.class must be a class (a constructor function)`);
        first(byClass, r.class);
        break;
      case 'code':
        if (typeof r.code !== 'string' && typeof r.code !== 'number')
          throw new TypeError(`${where}.code must be a string or a number`);
        first(byCode, r.code);
        break;
      case 'name':
        if (typeof r.name !== 'string' || r.name === '')
          throw new TypeError(`${where}.name must be a non-empty string`);
        first(byName, r.name);
        break;
      case 'upstream':
        upstreamRules.push({ ...compiled, upstream: checkUpstream(r.upstream, where) });
        break;
      default:
        checkSyncFunction(r.when, `${where.replace('faultline: ', '')}.when`);
        predicates.push(compiled);
    }
  });
  if (byClass.size + byCode.size + byName.size + predicates.length + upstreamRules.length === 0)
    return undefined;

  // The rule for one value: the thrown one (every rule), or a wrapped one (rules that allow it).
  const ruleFor = (
    value: unknown,
    trusted: boolean,
    code: string | number | undefined,
    name: string | undefined,
    request: RequestInfo,
    wrapped: boolean,
    upstream: UpstreamInfo | undefined,
  ): Compiled | undefined => {
    const allowed = (c: Compiled | undefined) =>
      c !== undefined && (!wrapped || c.wrapped) ? c : undefined;
    return (
      (upstream === undefined
        ? undefined
        : upstreamRules.find(
            (u) => (!wrapped || u.wrapped) && upstreamHolds(u.upstream, upstream),
          )) ??
      (byClass.size === 0 ? undefined : classRule(value, byClass, wrapped)) ??
      allowed(trusted && code !== undefined ? byCode.get(code) : undefined) ??
      allowed(trusted && name !== undefined ? byName.get(name) : undefined) ??
      predicates.find(
        (p) =>
          (!wrapped || p.wrapped) &&
          holds(p.rule as { when: (e: unknown, r: RequestInfo) => boolean }, value, request),
      )
    );
  };

  return {
    match(like, request) {
      const own = ruleFor(
        like.value,
        like.trusted,
        like.code,
        like.name,
        request,
        false,
        like.upstream,
      );
      if (own !== undefined) return { rule: own.rule, value: like.value };
      if (!anyWrapped) return undefined;
      for (const inner of wrappedErrors(like.value, maxWrapped)) {
        const trusted = isError(inner);
        const code = trusted ? safeGet(inner, 'code') : undefined;
        const hit = ruleFor(
          inner,
          trusted,
          typeof code === 'string' || typeof code === 'number' ? code : undefined,
          trusted ? stringOrUndefined(safeGet(inner, 'name')) : undefined,
          request,
          true,
          isUpstreamFault(inner) ? upstreamInfo(inner) : undefined,
        );
        if (hit !== undefined) return { rule: hit.rule, value: inner };
      }
      return undefined;
    },
    apply({ rule, value }, _like, request, dialect) {
      const to = rule.to;
      if (to === undefined) return undefined; // a passthrough rule whose upstream did not conform
      if (typeof to === 'function') {
        try {
          const made = syncResult(to(value, request));
          return isFault(made) ? made : undefined;
        } catch {
          return undefined;
        }
      }
      const own = to.dialect === undefined ? dialect : targetDialect(to.dialect, dialects);
      // The mapped error already has the stack worth logging: the fault need not capture one.
      const limit = Error.stackTraceLimit;
      Error.stackTraceLimit = 0;
      try {
        return own?.make?.(specOf(to, value));
      } catch {
        return undefined; // checked at creation; a spec that fails now falls back to the error itself
      } finally {
        Error.stackTraceLimit = limit;
      }
    },
  };
}

// Errors faultline reads `code` and `name` of: Errors of any realm, and DOMExceptions.
const isError = (value: unknown): value is object =>
  isNativeError(value) ||
  (typeof value === 'object' &&
    value !== null &&
    (safeInstanceOf(value, Error) || safeInstanceOf(value, DOMException)));

/**
 * The errors wrapped in a thrown value, closest first: its `cause` and, for an
 * `AggregateError`, its `errors`, then theirs, breadth first. At most `max` of them, each once
 * (cycles end), every read guarded.
 *
 * @param value - the thrown value
 * @param max - the most wrapped errors returned
 * @returns the wrapped errors, without the value itself
 */
export function wrappedErrors(value: unknown, max: number): unknown[] {
  const found: unknown[] = [];
  const seen = new Set<unknown>([value]);
  const queue: unknown[] = [value];
  for (let at = 0; at < queue.length && found.length < max; at++) {
    const current = queue[at];
    if (typeof current !== 'object' || current === null) continue;
    for (const inner of innerErrors(current, max - found.length)) {
      if (inner === undefined || inner === null || seen.has(inner)) continue;
      seen.add(inner);
      found.push(inner);
      queue.push(inner);
      if (found.length >= max) break;
    }
  }
  return found;
}

// One value's own wrapped errors: its cause, then an AggregateError's errors (at most `max`).
function innerErrors(value: object, max: number): unknown[] {
  const inner: unknown[] = [safeGet(value, 'cause')];
  if (safeInstanceOf(value, AggregateError) || safeGet(value, 'name') === 'AggregateError') {
    const errors = safeGet(value, 'errors');
    try {
      if (Array.isArray(errors)) inner.push(...errors.slice(0, max));
    } catch {
      // a revoked Proxy: no errors to read
    }
  }
  return inner;
}

// The nearest constructor in the value's prototype chain that has a rule. Reads are guarded:
// a Proxy's getPrototypeOf trap may throw. For a wrapped value, only rules that allow it.
function classRule(
  value: unknown,
  byClass: ReadonlyMap<unknown, Compiled>,
  wrapped: boolean,
): Compiled | undefined {
  if ((typeof value !== 'object' && typeof value !== 'function') || value === null)
    return undefined;
  let proto: unknown;
  try {
    proto = Object.getPrototypeOf(value);
  } catch {
    return undefined;
  }
  for (let depth = 0; depth < MAX_CHAIN && typeof proto === 'object' && proto !== null; depth++) {
    const hit = byClass.get(safeGet(proto, 'constructor'));
    if (hit !== undefined && (!wrapped || hit.wrapped)) return hit;
    try {
      proto = Object.getPrototypeOf(proto);
    } catch {
      return undefined;
    }
  }
  return undefined;
}

function upstreamHolds(match: UpstreamMatch, upstream: UpstreamInfo): boolean {
  return (
    (match.dialect === undefined || match.dialect === upstream.dialect) &&
    (match.code === undefined || match.code === upstream.code) &&
    (match.status === undefined || match.status === upstream.status)
  );
}

function checkUpstream(value: unknown, where: string): UpstreamMatch {
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    throw new TypeError(`${where}.upstream must be an object: { dialect, code, status }`);
  const { dialect, code, status } = value as Record<string, unknown>;
  if (dialect !== undefined && (typeof dialect !== 'string' || dialect === ''))
    throw new TypeError(`${where}.upstream.dialect must be a dialect name`);
  if (code !== undefined && typeof code !== 'string' && typeof code !== 'number')
    throw new TypeError(`${where}.upstream.code must be a string or a number`);
  if (status !== undefined && (typeof status !== 'number' || !Number.isInteger(status)))
    throw new TypeError(`${where}.upstream.status must be an integer`);
  if (dialect === undefined && code === undefined && status === undefined)
    throw new TypeError(`${where}.upstream must name a dialect, a code or a status`);
  return Object.freeze({
    ...(dialect === undefined ? {} : { dialect: dialect as string }),
    ...(code === undefined ? {} : { code: code as string | number }),
    ...(status === undefined ? {} : { status: status as number }),
  });
}

function holds(
  rule: { when: (e: unknown, r: RequestInfo) => boolean },
  value: unknown,
  request: RequestInfo,
): boolean {
  try {
    return syncResult(rule.when(value, request)) === true;
  } catch {
    return false; // a failing predicate does not match
  }
}

type SpecTarget = Exclude<MappingTarget, (...args: never[]) => unknown>;

function specOf(target: SpecTarget, error: unknown): FaultSpec {
  let message: string | undefined;
  if (typeof target.message === 'function') {
    try {
      const made = syncResult(target.message(error));
      message = typeof made === 'string' ? made : undefined;
    } catch {
      message = undefined;
    }
  } else {
    message = target.message;
  }
  // A rule that marks an upstream's answer exposable, and gives no message, shows the upstream's.
  if (message === undefined && target.expose === true && isUpstreamFault(error)) {
    const own = safeGet(error, 'message');
    if (typeof own === 'string') message = own;
  }
  return {
    code: target.code,
    ...(message === undefined ? {} : { message }),
    ...(target.params === undefined ? {} : { params: target.params }),
    ...(target.status === undefined ? {} : { status: target.status }),
    ...(target.headers === undefined ? {} : { headers: target.headers as FaultHeaders }),
    ...(target.expose === undefined ? {} : { expose: target.expose }),
    cause: error,
  };
}

// A target is a function, or a spec every dialect the handler may use can build.
function checkTarget(to: unknown, where: string, dialects: readonly Dialect[]): void {
  const name = where.replace('faultline: ', '');
  if (typeof to === 'function') {
    checkSyncFunction(to, `${name}.to`);
    return;
  }
  if (typeof to !== 'object' || to === null)
    throw new TypeError(`${where}.to must be a fault spec ({ code, … }) or a function`);
  const spec = to as SpecTarget;
  if (typeof spec.code !== 'string' && typeof spec.code !== 'number')
    throw new TypeError(`${where}.to.code must be a string or a number`);
  if (
    spec.message !== undefined &&
    typeof spec.message !== 'string' &&
    typeof spec.message !== 'function'
  ) {
    throw new TypeError(`${where}.to.message must be a string or a function`);
  }
  if (typeof spec.message === 'function') checkSyncFunction(spec.message, `${name}.to.message`);
  let builders = dialects;
  if (spec.dialect !== undefined) {
    const named = targetDialect(spec.dialect, dialects);
    if (named === undefined) {
      throw new TypeError(
        `${where}.to.dialect '${String(spec.dialect)}' is not a built-in dialect, one of the handler's or a dialect value`,
      );
    }
    builders = [named];
  }
  for (const dialect of builders) {
    if (dialect.make === undefined)
      throw new TypeError(
        `${where}: the ${dialect.id} dialect builds no faults from specs; map to a function`,
      );
    try {
      dialect.make(
        specOf(
          { ...spec, message: typeof spec.message === 'function' ? 'x' : spec.message },
          undefined,
        ),
      );
    } catch (error) {
      const why =
        error instanceof Error ? error.message.replace(/^faultline: /, '') : String(error);
      const hint =
        builders.length > 1
          ? ` (the rule applies to every dialect of options.dialect: name its dialect with to.dialect)`
          : '';
      throw new TypeError(`${where}.to: ${why}${hint}`);
    }
  }
}

// The dialect a target names: a dialect value, a built-in name, or the id of one of the
// handler's dialects (a dialect of your own).
function targetDialect(named: unknown, dialects: readonly Dialect[]): Dialect | undefined {
  if (
    typeof named === 'object' &&
    named !== null &&
    typeof (named as Dialect).configure === 'function'
  )
    return named as Dialect;
  if (typeof named !== 'string') return undefined;
  return builtInDialect(named) ?? dialects.find((d) => d.id === named);
}
