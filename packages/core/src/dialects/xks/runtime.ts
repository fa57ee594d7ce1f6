/**
 * The configured XKS dialect: its options, the name of a classified error, the specification's
 * applicability enforced per operation, and the one JSON body (or the 405 without one).
 *
 * @module
 */
import { Fault, buildFault } from '../../fault.js';
import { requestPath } from '../../request.js';
import type { RequestInfo } from '../../request.js';
import { optionNames, safeGet } from '../../safe.js';
import { faultFor } from '../kit.js';
import { jsonString } from '../../encode/json.js';
import { resolveProfile } from '../release-profile.js';
import type { DialectRuntime, Rendered, ResolveContext } from '../contract.js';
import type { Problem } from '../../pipeline/types.js';
import {
  CAUSE_DEPTH,
  causeLinks,
  codeEvent,
  nameEvent,
  readsNetwork,
} from '../../pipeline/recognise/network.js';
import type { NetworkEvent } from '../../pipeline/recognise/network.js';
import { XKS_OPERATIONS } from './catalog.js';
import type { XksErrorName, XksOperation } from './catalog.js';
import { XKS_DEFAULT, XKS_PROFILES } from './profiles.js';
import type { XksProfile } from './profiles.js';
import { DIALECT, INTERNAL, catalog } from './catalog.js';
import { checkPrefix, routeOfPath, sanitizeErrorMessage } from './codes.js';
import { JSON_ENCODING, MEDIA_TYPE } from './schema.js';
import type { XksRoute } from './codes.js';

/**
 * What to do with a fault the specification says does not apply to the request's operation (e.g.
 * `KeyNotFoundException` from `/health`): `warn` logs a warning and sends
 * `InternalException` (500); `strict` throws from the dialect, so the handler answers its
 * JSON fallback (meant for tests, to make the violation fail loudly); `lenient` sends the
 * fault as is.
 *
 * @example
 * ```ts
 * const policy: XksPolicy = 'strict'; // fail loudly in tests
 * createFaultHandler({ dialect: 'xks', xks: { policy } });
 * ```
 */
export type XksPolicy = 'warn' | 'strict' | 'lenient';

/**
 * Options of the `xks` dialect (`xks: {...}` in the handler options).
 *
 * @example
 * ```ts
 * const options: XksOptions = { pathPrefix: '/tenant-a', policy: 'strict' };
 * createFaultHandler({ dialect: 'xks', xks: options });
 * ```
 */
export interface XksOptions {
  /**
   * The optional path prefix before `/kms/xks/v1`, e.g. `/tenant-a` for
   * `https://host/tenant-a/kms/xks/v1`: `/`-separated non-empty segments of
   * `[A-Za-z0-9_-]`, at most 117 characters, so that the whole base path stays within the
   * 128 characters of KMS's `XksProxyUriPath`. Empty: any such prefix is accepted, so every
   * path containing the segments `/kms/xks/v1` is an XKS path.
   * @default ''
   */
  readonly pathPrefix?: string;
  /** See {@link XksPolicy}. @default 'warn' */
  readonly policy?: XksPolicy;
  /**
   * Names to accept on an operation beyond the specification's applicability. AWS's own XKS
   * test client and reference proxy answer a malformed GetHealthStatus request with
   * `ValidationException`, which the specification's table excludes:
   * `{ GetHealthStatus: ['ValidationException'] }` allows it.
   */
  readonly allow?: Readonly<Partial<Record<XksOperation, readonly XksErrorName[]>>>;
  /**
   * The release to reproduce when it is not the specification: `'aws-reference'` answers as
   * AWS's reference proxy does, which AWS's test client requires: ValidationException on
   * `/health` too, and bodies without `errorMessage` (`{"errorName":"KeyNotFoundException"}`).
   * Unset: the XKS proxy API specification v1.0.x.
   */
  readonly profile?: XksProfile;
}

/** The names of the options above, for the warning on names the dialect does not read. */
export const OPTION_KEYS = optionNames<XksOptions>({
  pathPrefix: true,
  policy: true,
  allow: true,
  profile: true,
});

const POLICIES: readonly XksPolicy[] = ['warn', 'strict', 'lenient'];
// The network events KMS should hear as a dependency that timed out or went away.
const TIMEOUT_EVENTS: ReadonlySet<NetworkEvent> = new Set<NetworkEvent>([
  'timeout',
  'reset',
  'aborted',
  'signalTimeout',
  'connectTimeout',
  'headersTimeout',
  'bodyTimeout',
]);

// Undici and fetch wrap the timeout in `cause` ("TypeError: fetch failed"): look a few levels down.
function isTimeout(problem: Problem): boolean {
  if (problem.upstream !== undefined) return problem.upstream.failure === 'timeout';
  if (!readsNetwork(problem)) return false;
  const timedOut = (name: unknown, code: unknown): boolean => {
    const byName = nameEvent(name);
    const byCode = codeEvent(code);
    return (
      (byName !== undefined && TIMEOUT_EVENTS.has(byName)) ||
      (byCode !== undefined && TIMEOUT_EVENTS.has(byCode))
    );
  };
  return (
    timedOut(problem.name, problem.code) ||
    causeLinks(problem.cause, CAUSE_DEPTH).some((link) =>
      timedOut(safeGet(link, 'name'), safeGet(link, 'code')),
    )
  );
}

// The name for a non-fault error; the status is the name's own except for the 405.
function nameFor(problem: Problem): XksErrorName {
  switch (problem.kind) {
    case 'notFound':
    case 'methodNotAllowed':
      return 'InvalidUriPathException';
    case 'unauthorized':
      return 'AuthenticationFailedException';
    case 'forbidden':
      return 'AccessDeniedException';
    case 'tooManyRequests':
      return 'ThrottlingException';
    case 'payloadTooLarge':
      return 'UnsupportedOperationException';
    case 'internal':
    case 'serverError':
      if (isTimeout(problem) || problem.status === 504) return 'DependencyTimeoutException';
      return problem.status === 501 ? 'UnsupportedOperationException' : 'InternalException';
    default:
      return 'ValidationException';
  }
}

/**
 * The answer when a fault cannot be rendered (or `strict` rejects one): KMS reports any
 * non-JSON error body as an uninterpretable proxy response, so even this one is XKS JSON.
 * It is the runtime's static `fallback`, sent by the handler as is (profile `aws-reference`
 * sends it without `errorMessage`).
 *
 * @example
 * ```ts
 * XKS_FALLBACK.body; // '{"errorName":"InternalException","errorMessage":"This is a generic server error. …"}'
 * ```
 */
export const XKS_FALLBACK: Rendered = fallbackOf(true);

function fallbackOf(errorMessage: boolean): Rendered {
  return Object.freeze({
    status: INTERNAL.status,
    headers: Object.freeze({ 'content-type': MEDIA_TYPE }),
    body: JSON.stringify(
      errorMessage
        ? { errorName: INTERNAL.name, errorMessage: INTERNAL.message }
        : { errorName: INTERNAL.name },
    ),
  });
}

// A wrong method: 405 with the fault's `Allow` and no body (no member of the spec's error body
// names it; AWS's reference proxy, an axum MethodRouter, sends none either).
const METHOD_NOT_ALLOWED: Rendered = Object.freeze({
  status: 405,
  headers: Object.freeze({}),
  body: '',
});

function checkAllow(
  allow: XksOptions['allow'],
  healthValidation: boolean,
): ReadonlyMap<XksOperation, ReadonlySet<string>> {
  const map = new Map<XksOperation, ReadonlySet<string>>();
  if (healthValidation) map.set('GetHealthStatus', new Set(['ValidationException']));
  if (allow === undefined) return map;
  if (typeof allow !== 'object' || allow === null || Array.isArray(allow)) {
    throw new TypeError('faultline: xks.allow must map operations to lists of error names');
  }
  for (const [operation, names] of Object.entries(allow)) {
    if (!(XKS_OPERATIONS as readonly string[]).includes(operation)) {
      throw new TypeError(`faultline: xks.allow names an unknown operation '${operation}'`);
    }
    if (
      !Array.isArray(names) ||
      !names.every((n) => typeof n === 'string' && catalog.get(n) !== undefined)
    ) {
      throw new TypeError(`faultline: xks.allow.${operation} must list XKS error names`);
    }
    map.set(
      operation as XksOperation,
      new Set([...(map.get(operation as XksOperation) ?? []), ...(names as readonly string[])]),
    );
  }
  return map;
}

/**
 * Resolves the dialect's options once.
 *
 * @param options - path prefix, policy, allowed names, release profile
 * @returns the runtime the handler uses
 * @throws TypeError naming the option that is invalid
 * @example
 * ```ts
 * const runtime = configure({ pathPrefix: '/tenant-a', policy: 'strict' });
 * ```
 */
export function configure(options: XksOptions = {}): DialectRuntime {
  // Only `undefined` means "default": an explicit null is a configuration mistake.
  const prefix = checkPrefix(
    options.pathPrefix === undefined ? '' : options.pathPrefix,
    'xks.pathPrefix',
  );
  const policy = options.policy === undefined ? 'warn' : options.policy;
  if (!POLICIES.includes(policy)) {
    throw new TypeError(`faultline: xks.policy must be one of ${POLICIES.join(', ')}`);
  }
  const release = resolveProfile(DIALECT, XKS_DEFAULT, XKS_PROFILES, options.profile);
  const allowed = checkAllow(options.allow, release.healthValidation);
  const withMessage = release.errorMessage;
  // On the path the framework routed, with its case rule (see RequestInfo.path).
  const routeOf = (request: RequestInfo): XksRoute | undefined => {
    if (typeof request.url !== 'string' && typeof request.path !== 'string') return undefined;
    const path = requestPath(request);
    return routeOfPath(request.caseInsensitivePath === true ? path.toLowerCase() : path, prefix);
  };

  // The specification's applicability column, enforced for requests on an XKS API path.
  const enforce = (f: Fault, context: ResolveContext, route: XksRoute | undefined): Fault => {
    const entry = catalog.get(f.code)!;
    if (
      route === undefined ||
      policy === 'lenient' ||
      entry.appliesTo.includes(route.operation) ||
      allowed.get(route.operation)?.has(entry.name) === true
    ) {
      return f;
    }
    const violation = `${entry.name} does not apply to ${route.operation} (it applies to ${entry.appliesTo.join(', ')})`;
    if (policy === 'strict') throw new TypeError(`faultline: xks ${violation}`);
    context.warn(`faultline: xks ${violation}; sent InternalException instead`, {
      errorName: entry.name,
      operation: route.operation,
    });
    return buildFault(
      {
        dialect: DIALECT,
        code: INTERNAL.name,
        status: INTERNAL.status,
        message: INTERNAL.message,
        name: INTERNAL.name,
        description: INTERNAL.description,
        params: { replaced: entry.name, operation: route.operation },
        cause: f,
        correlationId: context.correlationId,
      },
      f,
    );
  };

  const fromProblem = (problem: Problem, context: ResolveContext): Fault => {
    const { request } = context;
    const route = routeOf(request);
    const onApi = route !== undefined;
    const method = typeof request.method === 'string' ? request.method.toUpperCase() : undefined;
    const name = nameFor(problem);
    const wrongMethod =
      problem.kind === 'methodNotAllowed' ||
      (problem.kind === 'notFound' && onApi && method !== undefined && method !== 'POST');
    const entry = catalog.get(name)!;
    // On an API path the answer to a wrong method is the spec's 405: POST is the only method.
    const postOnly = wrongMethod && onApi;
    // Off the API a 405 stays one only with the Allow header RFC 9110 requires; else a 404.
    const is405 = postOnly || (wrongMethod && problem.headers?.['allow'] !== undefined);
    const built = faultFor(problem, context, {
      dialect: DIALECT,
      code: name,
      status: is405 ? 405 : entry.status,
      message: postOnly
        ? `${method ?? 'The method'} is not allowed: XKS proxy APIs accept POST only`
        : problem.message === ''
          ? entry.message
          : problem.message,
      name,
      description: entry.description,
      expose: postOnly || problem.expose,
      headers: postOnly ? { ...problem.headers, allow: 'POST' } : problem.headers,
    });
    return enforce(built, context, route);
  };

  return {
    id: DIALECT,
    catalog,
    fromProblem,
    adopt(thrown, context) {
      // A fault of another dialect, or one built by hand with a name outside the specification's
      // table, is not ours: the handler answers it as the XKS fault of its status.
      if (thrown.dialect !== DIALECT || catalog.get(thrown.code) === undefined) return undefined;
      return enforce(thrown, context, routeOf(context.request));
    },
    // KMS reads JSON only: XML Accept headers and SOAPAction change nothing.
    negotiate: () => JSON_ENCODING,
    render(f, _encoding, { message }): Rendered {
      if (f.status === 405) return METHOD_NOT_ALLOWED;
      const errorMessage = withMessage ? sanitizeErrorMessage(message) : '';
      // The wire format has exactly these two members; debug detail stays in the log.
      return {
        status: f.status,
        headers: { 'content-type': MEDIA_TYPE },
        body:
          errorMessage === ''
            ? `{"errorName":${jsonString(String(f.code))}}`
            : `{"errorName":${jsonString(String(f.code))},"errorMessage":${jsonString(errorMessage)}}`,
      };
    },
    fallback: withMessage ? XKS_FALLBACK : fallbackOf(false),
  };
}
