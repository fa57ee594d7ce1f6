/**
 * `createFaultHandler`: the whole pipeline behind one pure function,
 * `handle(thrown, request) → { status, headers, body, fault }`.
 *
 * @module
 */
import type { CatalogEntry } from '../catalog.js';
import { buildFault, copyFault, isErrorStatus, stackOf } from '../fault.js';
import { parseFault } from '../parse-fault.js';
import type { Fault } from '../fault.js';
import { headerCheck, listHeader, retryAfterValue, sanitizeHeaders } from '../headers.js';
import { fillTemplate, genericText, languageRanges, lookupLanguage } from '../locale.js';
import { normalize } from '../pipeline/normalize.js';
import { classify, classifyFault } from '../pipeline/classify.js';
import type { Builtins } from '../pipeline/recognise/index.js';
import type { ErrorLike } from '../pipeline/types.js';
import { causeChain, emit, logEvent, loggedError, stderrLogger } from '../pipeline/report.js';
import type { FaultEvent, FaultLogEvent, UpstreamLogEvent } from '../pipeline/report.js';
import type { UpstreamInfo } from '../pipeline/upstream.js';
import type { FaultLogger, RequestInfo } from '../request.js';
import { reasonPhrase } from '../status.js';
import { boundedAccept, limitDetails } from '../pipeline/limits.js';
import type { ResolvedLimits } from '../pipeline/limits.js';
import { isThenable, syncResult, truncate } from '../safe.js';
import { uuid } from '../uuid.js';
import type { RenderContext, ResolveContext, RetryHint } from '../dialects/contract.js';
import type { Selected } from './select.js';
import type { Matched } from './mappings.js';
import { SAFE_ID, resolveOptions } from './options.js';
import type { FaultHandlerOptions } from './options.js';
import { FALLBACK_BODY, FALLBACK_RESPONSE } from './types.js';
import type { FaultHandler, FaultResponse } from './types.js';

// A resolved fault, and whether it was deliberate (thrown as a fault, or mapped by a rule).
interface Resolved {
  readonly fault: Fault;
  readonly deliberate: boolean;
}

// What marks a body as carrying server internals: a `debug` member or element, as faultline
// writes with `debug: true`, or a V8 stack frame.
const DEBUG_TEXT = /"debug"\s*:|<debug[\s>]|\n\s+at \S|\(\/[^()\n]*:\d+:\d+\)|node_modules/;

/**
 * Creates the pipeline that turns anything thrown into a dialect's error response. Options
 * are validated here, once: a bad option is a `TypeError` naming it, not a surprise at
 * request time.
 *
 * @param given - the dialect and its options, logging, debug, correlation ids
 * @returns the handler
 * @throws TypeError on an unknown dialect or an invalid option
 * @example
 * ```ts
 * const handler = createFaultHandler({ dialect: 'xroad', xroad: { side: 'client' } });
 * const { status, headers, body } = handler.handle(new Error('boom'), { method: 'GET', url: '/r1/x' });
 * // 500, x-road-error: Server.ClientProxy.ServiceFailed.InternalError
 * ```
 */
export function createFaultHandler(given: FaultHandlerOptions = {}): FaultHandler {
  const {
    selection,
    mappings,
    catalogs: ownCatalogs,
    debug,
    trustObjects,
    builtins,
    logger: configuredLogger,
    levels,
    correlationId: makeId,
    correlationHeader: echoHeader,
    onFault,
    telemetry,
    limits,
    passthrough,
    locales,
  } = resolveOptions(given);
  // Whether anyone hears of a fault besides the logger: only then is its duration measured.
  const observed = onFault !== undefined || telemetry?.onFault !== undefined;
  // The entry of a fault's code: the dialect's catalogue first, then the user's for that dialect.
  const entryOf = (runtime: Selected['runtime'], fault: Fault): CatalogEntry | undefined =>
    runtime.catalog.get(fault.code) ??
    ownCatalogs
      .find((c) => c.dialect === fault.dialect && c.get(fault.code) !== undefined)
      ?.get(fault.code);
  const legalHeader = headerCheck();

  // An id from a function or from a thrown fault reaches a body and maybe a header: it must be
  // a plain token, like one taken from a request header; anything else gets a random id.
  const correlationIdFor = (request: RequestInfo, own?: string): string => {
    if (own !== undefined && SAFE_ID.test(own)) return own;
    if (makeId !== undefined) {
      try {
        const id = syncResult(makeId(request));
        if (typeof id === 'string' && SAFE_ID.test(id)) return id;
      } catch {
        // a failing id generator must not cost the response: use a random id
      }
    }
    if (telemetry?.correlationId !== undefined) {
      try {
        const id = telemetry.correlationId(request);
        if (typeof id === 'string' && SAFE_ID.test(id)) return id;
      } catch {
        // the same: a random id rather than no answer
      }
    }
    return uuid();
  };

  const loggerFor = (request: RequestInfo): FaultLogger | false =>
    configuredLogger ?? request.log ?? stderrLogger;

  // Step 2: the user's mappings first, then thrown faults, then everything else classified.
  // One fault built per error: the dialect attaches the correlation id as it builds it.
  // `matched`: the rule the error matches, looked up once per fault by the caller.
  const resolve = (
    like: ErrorLike,
    request: RequestInfo,
    { dialect, runtime }: Selected,
    matched: Matched | undefined,
  ): Resolved => {
    const mapped =
      matched === undefined ? undefined : mappings?.apply(matched, like, request, dialect);
    const own = mapped ?? like.fault;
    const correlationId = correlationIdFor(request, own?.correlationId);
    const context: ResolveContext = {
      request,
      correlationId,
      warn(message, data) {
        const logger = loggerFor(request);
        if (logger !== false)
          emit(logger, 'warn', { correlationId, dialect: runtime.id, ...data }, message);
      },
    };
    // A fault whose code no convention could carry (hand-built, over-long) keeps only its status.
    const fault =
      own === undefined
        ? runtime.fromProblem(classify(like, request.statusCode), context)
        : isCarriedCode(own.code)
          ? (runtime.adopt(own, context) ?? runtime.fromProblem(classifyFault(own), context))
          : runtime.fromProblem(classifyFault(own), context);
    return {
      fault: fault.correlationId === correlationId ? fault : copyFault(fault, { correlationId }),
      deliberate: own !== undefined,
    };
  };

  const log = (
    { fault, deliberate }: Resolved,
    like: ErrorLike,
    request: RequestInfo,
    { runtime }: Selected,
    started: number,
    extra?: Partial<FaultLogEvent>,
    message?: string,
  ) => {
    // Faults the service throws or maps are deliberate; so are errors carrying a 4xx status and
    // an upstream's fault answered as a client fault (the caller's own mistake, relayed).
    // Everything else (unmapped errors, 5xx) is unexpected: its stack is logged and onFault hears so.
    const logger = loggerFor(request);
    if (logger === false && !observed) return; // nobody listens: nothing to build
    const expected =
      deliberate ||
      (fault.status < 500 && (like.status !== undefined || like.upstream !== undefined));
    const entry = entryOf(runtime, fault);
    const level =
      entry?.logLevel ?? (fault.status >= 500 ? levels.serverError : levels.clientError);
    if (logger !== false) {
      // The telemetry's fields come first: they add to the event and replace none of its own.
      const event = {
        ...traceFields(fault, request, logger),
        ...logEvent(fault, request, loggedError(like, !expected || debug, limits), logger),
        ...(like.upstream === undefined ? undefined : { upstream: upstreamEvent(like.upstream) }),
        ...extra,
      };
      emit(
        logger,
        level,
        event,
        message ?? truncate(like.message ?? fault.message, limits.message),
      );
    }
    if (!observed) return;
    // Hooks are for observation: a failing one is logged and changes nothing, even when it
    // is async and rejects later.
    const failed = (hook: string) => (failure: unknown) => {
      if (logger !== false) {
        emit(
          logger,
          'warn',
          {
            correlationId: fault.correlationId,
            hookError: loggedError(safeNormalize(failure, false, limits), true, limits),
          },
          `faultline: the ${hook} hook failed`,
        );
      }
    };
    const event: FaultEvent = {
      fault,
      error: like.value,
      request,
      expected,
      level,
      catalogued: entry !== undefined,
      httpStatus: extra?.httpStatus ?? fault.status,
      durationMs: performance.now() - started,
    };
    if (telemetry?.onFault !== undefined) {
      try {
        telemetry.onFault(event);
      } catch (failure) {
        failed('telemetry.onFault')(failure);
      }
    }
    if (onFault !== undefined) {
      try {
        const result: unknown = onFault(event);
        if (isThenable(result)) void Promise.resolve(result).then(undefined, failed('onFault'));
      } catch (failure) {
        failed('onFault')(failure);
      }
    }
  };

  // The telemetry's fields for a log event (trace and span ids); a failing source adds none.
  const traceFields = (
    fault: Fault,
    request: RequestInfo,
    logger: FaultLogger,
  ): Readonly<Record<string, unknown>> | undefined => {
    if (telemetry?.logFields === undefined) return undefined;
    try {
      const fields = telemetry.logFields(fault, request);
      return typeof fields === 'object' && fields !== null ? fields : undefined;
    } catch (failure) {
      emit(
        logger,
        'warn',
        {
          correlationId: fault.correlationId,
          hookError: loggedError(safeNormalize(failure, false, limits), true, limits),
        },
        'faultline: the telemetry.logFields hook failed',
      );
      return undefined;
    }
  };

  // The catalogue's text in the request's language: only where the text sent is the
  // catalogue's (its message, its template filled, or its generic text for a hidden fault) and
  // the code has translations; an application's own message is sent as given.
  const localise = (
    fault: Fault,
    entry: CatalogEntry | undefined,
    generic: boolean,
    request: RequestInfo,
  ): { readonly text: string | undefined; readonly language: string } | undefined => {
    if (entry === undefined) return undefined;
    const own = locales.translations.get(fault.dialect)?.get(String(fault.code));
    const messages = own === undefined ? entry.messages : { ...entry.messages, ...own };
    if (messages === undefined) return undefined;
    const template = entry.template;
    const kind = generic
      ? 'generic'
      : fault.message === entry.message
        ? 'text'
        : template !== undefined && fillTemplate(template, fault.params) === fault.message
          ? 'template'
          : undefined;
    if (kind === undefined) return undefined;
    const available = [locales.source, ...Object.keys(messages)];
    const header = listHeader(request.headers, 'accept-language')?.slice(0, MAX_ACCEPT_LANGUAGE);
    const language =
      lookupLanguage(languageRanges(header), available) ??
      lookupLanguage([locales.default], available) ??
      locales.source;
    const translation = messages[language];
    if (translation === undefined) return { text: undefined, language };
    const text =
      kind === 'text'
        ? translation
        : kind === 'template'
          ? fillTemplate(translation, fault.params)
          : template === undefined
            ? translation
            : genericText(translation);
    return { text, language };
  };

  const render = (
    fault: Fault,
    like: ErrorLike,
    request: RequestInfo,
    { runtime }: Selected,
  ): FaultResponse => {
    const hidden = !fault.expose && !debug;
    const entry = entryOf(runtime, fault);
    const generic = hidden || (fault.message === '' && runtime.keepsEmptyMessage !== true);
    const localised = localise(fault, entry, generic, request);
    const message = truncate(
      localised?.text ?? (generic ? (entry?.message ?? reasonPhrase(fault.status)) : fault.message),
      limits.message,
    );
    const context: RenderContext = debug
      ? {
          request,
          message,
          entry,
          debug: {
            stack: stackOf(like.value) ?? fault.stack,
            causes: causeChain(like.value, limits.causes),
          },
        }
      : // `debug` is an own property even when off: an inherited one must not switch it on.
        { request, message, entry, debug: undefined };
    const retry = retryHint(fault, entry, request);
    if (retry !== undefined) (context as { retry?: RetryHint }).retry = retry;
    const rendered = runtime.render(
      limitDetails(fault, limits.details),
      runtime.negotiate(boundedAccept(request, limits.accept)),
      context,
    );
    // Errors are not cached, and their encoding may depend on Accept; a fault may say otherwise.
    const headers: Record<string, string> = { 'cache-control': 'no-store', vary: 'Accept' };
    const own = fault.headers === undefined ? undefined : sanitizeHeaders(fault.headers);
    if (own !== undefined) {
      for (const name of Object.keys(own)) {
        if (!runtime.ownHeaders?.includes(name)) headers[name] = own[name] as string;
      }
    }
    // The hint's Retry-After, unless the fault set its own or the dialect writes the header.
    if (
      retry?.after !== undefined &&
      headers['retry-after'] === undefined &&
      runtime.ownHeaders?.includes('retry-after') !== true
    ) {
      headers['retry-after'] = retryAfterValue(retry.after);
    }
    const renderedHeaders = rendered.headers;
    for (const name of Object.keys(renderedHeaders)) {
      const value = renderedHeaders[name];
      if (typeof value === 'string' && legalHeader(name, value))
        headers[name.toLowerCase()] = value;
    }
    if (localised !== undefined) {
      // The text depends on Accept-Language as well: caches must tell the answers apart.
      headers['content-language'] = localised.language;
      headers.vary = 'Accept, Accept-Language';
    }
    headers['x-content-type-options'] = 'nosniff';
    if (
      echoHeader !== undefined &&
      fault.correlationId !== undefined &&
      SAFE_ID.test(fault.correlationId)
    ) {
      headers[echoHeader] = fault.correlationId;
    }
    headers['content-length'] = String(Buffer.byteLength(rendered.body));
    return { status: rendered.status, headers, body: rendered.body, fault };
  };

  // An upstream's answer forwarded as it came, when the handler or its rule asks for it and
  // the body is a fault of the answering dialect that its reader recognises.
  const forward = (
    like: ErrorLike,
    upstream: UpstreamInfo,
    request: RequestInfo,
    selected: Selected,
    matched: Matched | undefined,
  ): { resolved: Resolved; response: FaultResponse } | undefined => {
    // A rule that matches decides: its own passthrough, else forwarding only when it maps
    // nothing (a rule with `to` maps the fault, whatever the handler's default).
    const rule = matched?.rule;
    const wanted =
      rule === undefined
        ? passthrough
        : (rule.passthrough ?? (rule.to === undefined && passthrough));
    const raw = upstream.response;
    if (!wanted || raw === undefined || raw.body === undefined) return undefined;
    // A body with a debug member or stack frames (an upstream running with debug on) is no
    // body to send a client while this handler's debug is off: it is translated instead.
    if (!debug && DEBUG_TEXT.test(raw.body)) return undefined;
    if (upstream.dialect !== selected.runtime.id) return undefined;
    const contentType = raw.headers['content-type'];
    const parsed = parseFault(raw.body, contentType, {
      status: raw.status,
      headers: raw.headers,
      dialects: [selected.dialect],
    });
    if (!parsed.recognised || parsed.dialect !== selected.runtime.id) return undefined;
    const soap = parsed.format === 'soap11' || parsed.format === 'soap12';
    if (!isErrorStatus(raw.status) && !(soap && raw.status === 200)) return undefined;
    // The answer is the caller's as much as a rendered one: never cached, and told apart by
    // Accept (and by Accept-Language when the upstream's text is in a language it names).
    const headers: Record<string, string> = { 'cache-control': 'no-store', vary: 'Accept' };
    for (const name of FORWARDED_HEADERS) {
      const value = raw.headers[name];
      if (value !== undefined && legalHeader(name, value)) headers[name] = value;
    }
    for (const name of selected.runtime.ownHeaders ?? []) {
      const value = raw.headers[name];
      if (value !== undefined && legalHeader(name, value)) headers[name] = value;
    }
    if (headers['content-type'] === undefined) return undefined;
    if (headers['content-language'] !== undefined) headers.vary = 'Accept, Accept-Language';
    headers['x-content-type-options'] = 'nosniff';
    const correlationId = correlationIdFor(request, upstream.correlationId);
    if (echoHeader !== undefined) headers[echoHeader] = correlationId;
    headers['content-length'] = String(Buffer.byteLength(raw.body));
    const fault = copyFault(parsed.fault, { correlationId, cause: like.value });
    return {
      resolved: { fault, deliberate: raw.status < 500 },
      response: { status: raw.status, headers, body: raw.body, fault },
    };
  };

  return Object.freeze({
    dialect: selection.fallback.runtime.id,
    handle(thrown: unknown, request: RequestInfo = {}): FaultResponse {
      const started = observed ? performance.now() : 0;
      const like = safeNormalize(thrown, trustObjects, limits, builtins);
      const selected = selection.select(request);
      let resolved: Resolved | undefined;
      try {
        const matched = mappings?.match(like, request);
        const forwarded =
          like.upstream === undefined
            ? undefined
            : forward(like, like.upstream, request, selected, matched);
        if (forwarded !== undefined) {
          const extra = { passthrough: true as const };
          log(forwarded.resolved, like, request, selected, started, extra);
          return forwarded.response;
        }
        resolved = resolve(like, request, selected, matched);
        const response = render(resolved.fault, like, request, selected);
        const extra =
          response.status === resolved.fault.status ? undefined : { httpStatus: response.status };
        log(resolved, like, request, selected, started, extra);
        return response;
      } catch (failure) {
        return fallback(like, request, selected, resolved?.fault, failure, started);
      }
    },
    report(thrown: unknown, request: RequestInfo = {}): Fault {
      const started = observed ? performance.now() : 0;
      const like = safeNormalize(thrown, trustObjects, limits, builtins);
      const selected = selection.select(request);
      let resolved: Resolved;
      try {
        resolved = resolve(like, request, selected, mappings?.match(like, request));
      } catch {
        resolved = {
          fault: internalFault(selected.runtime.id, correlationIdFor(request), like.value),
          deliberate: false,
        };
      }
      log(resolved, like, request, selected, started, { responseStarted: true });
      return resolved.fault;
    },
    reportSendError(thrown: unknown, fault: Fault, request: RequestInfo = {}): void {
      const logger = loggerFor(request);
      if (logger === false) return;
      try {
        const event = {
          ...traceFields(fault, request, logger),
          ...logEvent(
            fault,
            request,
            loggedError(safeNormalize(thrown, false, limits), true, limits),
            logger,
          ),
          sendError: true as const,
        };
        emit(logger, 'error', event, 'faultline could not send the fault as rendered');
      } catch {
        // logging is best effort here: the fault itself was logged before it was sent
      }
    },
  });

  // The dialect failed: answer a fixed text/plain 500 (or the dialect's own fixed answer), and
  // report it as any fault is reported, once: logged with the thrown error and the failure, the
  // telemetry and onFault told.
  function fallback(
    like: ErrorLike,
    request: RequestInfo,
    selected: Selected,
    resolved: Fault | undefined,
    failure: unknown,
    started: number,
  ): FaultResponse {
    const { runtime } = selected;
    const fault = internalFault(
      runtime.id,
      resolved?.correlationId ?? correlationIdFor(request),
      like.value,
    );
    const own = runtime.fallback;
    const response: FaultResponse =
      own === undefined
        ? { ...FALLBACK_RESPONSE, fault }
        : {
            status: own.status,
            headers: {
              ...own.headers,
              'x-content-type-options': 'nosniff',
              'content-length': String(Buffer.byteLength(own.body)),
            },
            body: own.body,
            fault,
          };
    try {
      const formatterError = loggedError(safeNormalize(failure, false, limits), true, limits);
      log(
        { fault, deliberate: false },
        like,
        request,
        selected,
        started,
        response.status === fault.status
          ? { formatterError }
          : { formatterError, httpStatus: response.status },
        `faultline could not render a ${runtime.id} fault`,
      );
    } catch {
      // reporting is best effort here: the fixed answer goes out whatever happens
    }
    return response;
  }
}

// The headers of an upstream's answer that passthrough forwards, beside the dialect's own.
const FORWARDED_HEADERS = ['content-type', 'content-language', 'retry-after'] as const;

// The upstream's side of a log event: its dialect, code, status and its own correlation id,
// beside the caller's.
function upstreamEvent(upstream: UpstreamInfo): UpstreamLogEvent {
  return {
    status: upstream.status,
    ...(upstream.dialect === undefined ? {} : { dialect: upstream.dialect }),
    ...(upstream.code === undefined
      ? {}
      : { code: typeof upstream.code === 'string' ? truncate(upstream.code, 256) : upstream.code }),
    ...(upstream.correlationId === undefined ? {} : { correlationId: upstream.correlationId }),
  };
}

function safeNormalize(
  thrown: unknown,
  trustObjects: boolean,
  limits: ResolvedLimits,
  builtins?: Builtins,
): ErrorLike {
  try {
    return normalize(thrown, trustObjects, builtins, limits);
  } catch {
    return { value: thrown, trusted: false };
  }
}

// The longest code a fault may carry: every convention's codes are short identifiers, and a
// code is sent in headers (X-Road-Error) that have their own limits.
const MAX_CODE = 256;

function isCarriedCode(code: string | number): boolean {
  return typeof code === 'number' || code.length <= MAX_CODE;
}

function internalFault(dialect: string, correlationId: string, cause: unknown): Fault {
  return buildFault(
    {
      dialect,
      code: 'InternalError',
      status: 500,
      message: FALLBACK_BODY,
      expose: false,
      cause,
      correlationId,
    },
    cause,
  );
}

// More of an Accept-Language header than any client needs is not read.
const MAX_ACCEPT_LANGUAGE = 1024;

// RFC 9110 §9.2.2: the methods whose repetition has the effect of one request.
const IDEMPOTENT = new Set(['GET', 'HEAD', 'OPTIONS', 'TRACE', 'PUT', 'DELETE']);

// The retry hint for one request: the fault's class and time over the entry's.
function retryHint(
  fault: Fault,
  entry: CatalogEntry | undefined,
  request: RequestInfo,
): RetryHint | undefined {
  const retry = fault.retry ?? entry?.retry;
  const after = fault.retryAfter ?? entry?.retryAfter;
  if (retry === undefined && after === undefined) return undefined;
  const retryable =
    retry === undefined
      ? undefined
      : retry === 'yes' ||
        (retry === 'idempotent' && IDEMPOTENT.has((request.method ?? 'GET').toUpperCase()));
  return retryable === false
    ? { retryable }
    : { ...(retryable === undefined ? {} : { retryable }), after };
}
