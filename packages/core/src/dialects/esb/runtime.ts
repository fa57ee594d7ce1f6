/**
 * The configured ESB dialect: options, fault resolution, negotiation and rendering.
 *
 * @module
 */
import { copyFault } from '../../fault.js';
import type { Fault, FaultHeaders } from '../../fault.js';
import { isSoapRequest } from '../../encode/soap.js';
import { isHeaderValue, listHeader, sanitizeHeaders } from '../../headers.js';
import { reasonPhrase } from '../../status.js';
import type { RequestInfo } from '../../request.js';
import type { DialectRuntime, Encoding, Rendered, ResolveContext } from '../contract.js';
import type { Problem, ProblemKind } from '../../pipeline/types.js';
import { faultFor } from '../kit.js';
import { SEQUENCE_NAMES } from './catalog.js';
import type { SequenceName } from './catalog.js';
import { checkSequence } from './sequences/custom.js';
import type { CustomSequence } from './sequences/custom.js';
import type { ResolvedSequence } from './sequences/types.js';
import { DIALECT, catalog, entryOf } from './catalog.js';
import { fromNetworkError, transportFault } from './network.js';
import { readsNetwork } from '../../pipeline/recognise/network.js';
import { parseSequence } from './sequences/parse.js';
import { challengeOf, releaseOf } from './profiles.js';
import type { EsbProfile, Release } from './profiles.js';
import { renderFault } from './render.js';
import type { EsbParams } from './render.js';
import { JSON_ENCODING, SOAP_ENCODING, XML_APPLICATION, XML_TEXT } from './schema.js';
import { optionNames } from '../../safe.js';

/**
 * Options of the `esb` dialect (`esb: {...}` in the handler options).
 *
 * @example
 * ```ts
 * const options: EsbOptions = { realm: 'Orders API' }; // the realm of the WWW-Authenticate challenge
 * createFaultHandler({ dialect: 'esb', esb: options });
 * createFaultHandler({ dialect: 'esb', esb: { profile: 'apim-3.2' } }); // WSO2 API Manager 3.2.0
 * ```
 */
export interface EsbOptions {
  /** A release other than the newest 4.x gateway, whose differences the dialect then sends. @default none: WSO2 API Manager 4.x */
  readonly profile?: EsbProfile;
  /** Custom sequences by name: a {@link CustomSequence} or a Synapse `<sequence>` source. A name of a built-in sequence replaces it. */
  readonly sequences?: Readonly<Record<string, CustomSequence | string>>;
  /** Built-in sequence → custom sequence that answers instead, e.g. `{ _auth_failure_handler_: 'convert' }`. */
  readonly use?: Readonly<Partial<Record<SequenceName, string>>>;
  /** The realm of the default `WWW-Authenticate` challenge. @default 'WSO2 API Manager' */
  readonly realm?: string;
  /** The whole challenge before `error="invalid_token"` (e.g. `OAuth2 realm="x"`), or `false` for no header. */
  readonly challenge?: string | false;
}

/** The names of the options above, for the warning on names the dialect does not read. */
export const OPTION_KEYS = optionNames<EsbOptions>({
  profile: true,
  sequences: true,
  use: true,
  realm: true,
  challenge: true,
});

const OPTION_NAMES = new Set(['profile', 'sequences', 'use', 'realm', 'challenge']);
const SEQUENCE_KEY = /^[A-Za-z0-9_.-]{1,128}$/;
const XML_ENCODINGS: ReadonlyMap<string, Encoding> = new Map([
  ['application/xml', XML_APPLICATION],
  ['text/xml', XML_TEXT],
]);

function optionError(name: string, what: string): TypeError {
  return new TypeError(`faultline: options.esb.${name} ${what}`);
}

function checkChallenge(options: EsbOptions, release: Release): string | undefined {
  if (options.realm !== undefined && options.challenge !== undefined)
    throw optionError('realm', 'and options.esb.challenge cannot both be given');
  if (options.challenge === false) return undefined;
  if (options.challenge !== undefined) {
    if (
      typeof options.challenge !== 'string' ||
      options.challenge.trim() === '' ||
      !isHeaderValue(options.challenge)
    ) {
      throw optionError('challenge', 'must be a non-empty header value or false');
    }
    return challengeOf(release, options.challenge, '');
  }
  const realm = options.realm ?? 'WSO2 API Manager';
  if (typeof realm !== 'string' || !/^[\x20\x21\x23-\x5b\x5d-\x7e]{1,256}$/.test(realm)) {
    throw optionError('realm', 'must be 1-256 printable ASCII characters without " or \\');
  }
  return challengeOf(release, undefined, realm);
}

function checkSequences(options: EsbOptions): Map<SequenceName, ResolvedSequence> {
  const defined = new Map<string, ResolvedSequence>();
  const raw = options.sequences ?? {};
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw))
    throw optionError('sequences', 'must be an object of name → sequence');
  for (const [name, value] of Object.entries(raw)) {
    if (!SEQUENCE_KEY.test(name))
      throw optionError('sequences', `has an invalid sequence name '${name}'`);
    defined.set(
      name,
      checkSequence(name, typeof value === 'string' ? parseSequence(value, name) : value),
    );
  }
  const active = new Map<SequenceName, ResolvedSequence>();
  for (const name of SEQUENCE_NAMES) {
    const own = defined.get(name);
    if (own !== undefined) active.set(name, own);
  }
  const use = options.use ?? {};
  if (typeof use !== 'object' || use === null || Array.isArray(use))
    throw optionError('use', 'must be an object of built-in sequence → custom sequence name');
  for (const [builtin, custom] of Object.entries(use)) {
    if (!(SEQUENCE_NAMES as readonly string[]).includes(builtin)) {
      throw optionError(
        'use',
        `names '${builtin}', which is not a built-in sequence (${SEQUENCE_NAMES.join(', ')})`,
      );
    }
    const sequence = typeof custom === 'string' ? defined.get(custom) : undefined;
    if (sequence === undefined)
      throw optionError(
        `use.${builtin}`,
        `names '${String(custom)}', which is not in options.esb.sequences`,
      );
    active.set(builtin as SequenceName, sequence);
  }
  return active;
}

// A caller's mistake that the framework or the service reports, as the gateway would answer it.
const CODE_BY_KIND: Readonly<Partial<Record<ProblemKind, number>>> = {
  unauthorized: 900901,
  forbidden: 900908,
  tooManyRequests: 900800,
  notFound: 404,
  methodNotAllowed: 405,
  validation: 400,
  badRequest: 400,
  invalidBody: 400,
};

// A Retry-After a 429 error carried (HTTP-date or delta-seconds) becomes the next access time,
// sent as the gateway sends it; the error's other headers stay.
function nextAccess(
  headers: FaultHeaders,
): { next: number; rest: FaultHeaders | undefined } | undefined {
  const value = headers['retry-after']?.trim() ?? '';
  const next = /^\d{1,9}$/.test(value) ? Date.now() + Number(value) * 1000 : Date.parse(value);
  if (Number.isNaN(next)) return undefined;
  const rest = Object.entries(headers).filter(([name]) => name !== 'retry-after');
  return { next, rest: rest.length === 0 ? undefined : Object.fromEntries(rest) };
}

/**
 * Resolves the dialect's options once.
 *
 * @param options - the release profile, custom sequences, their use, the `WWW-Authenticate` challenge
 * @returns the runtime
 * @throws TypeError naming the option (or the custom sequence) that is invalid, or the profiles that exist
 * @example
 * ```ts
 * const runtime = configure({ sequences: { convert: convertXml }, use: { _auth_failure_handler_: 'convert' } });
 * configure({ profile: 'apim-3.2' }); // WSO2 API Manager 3.2.0's XML bodies and challenge
 * ```
 */
export function configure(options: EsbOptions = {}): DialectRuntime {
  if (typeof options !== 'object' || options === null)
    throw new TypeError('faultline: options.esb must be an object');
  for (const key of Object.keys(options)) {
    if (!OPTION_NAMES.has(key))
      throw optionError(key, `is not an option (${[...OPTION_NAMES].join(', ')})`);
  }
  const release = releaseOf(options.profile);
  const challenge = checkChallenge(options, release);
  const custom = checkSequences(options);
  const own = new Set(['www-authenticate', 'retry-after']);
  for (const sequence of custom.values()) {
    for (const name of [...Object.keys(sequence.set), ...sequence.remove]) own.add(name);
  }
  const ownHeaders = Object.freeze([...own]);
  // The status the release sends for a code, where it differs from the documentation's.
  const statusOf = (code: number, documented: number): number =>
    release.statuses[code] ?? documented;
  const restEncoding: (request: RequestInfo) => Encoding = release.xmlOnAccept
    ? (request) =>
        XML_ENCODINGS.get(listHeader(request.headers, 'accept')?.trim() ?? '') ?? JSON_ENCODING
    : () => JSON_ENCODING;

  const fromProblem = (problem: Problem, context: ResolveContext): Fault => {
    if (problem.upstream !== undefined) {
      // The backend answered a failure: a timeout while the gateway waited for the response,
      // else an HTTP error status in the response head it received.
      const upstream =
        problem.upstream.failure === 'timeout'
          ? transportFault('CONNECTION_TIMEOUT', 'REQUEST_DONE')
          : transportFault('SND_HTTP_ERROR', 'RESPONSE_HEAD');
      return copyFault(upstream, { cause: problem.cause, correlationId: context.correlationId });
    }
    if (readsNetwork(problem) && (problem.kind === 'internal' || problem.kind === 'serverError')) {
      const network = fromNetworkError(problem.cause, undefined, context.correlationId);
      if (network !== undefined) return network;
    }
    const code = CODE_BY_KIND[problem.kind] ?? problem.status;
    const entry = entryOf(code);
    const status = entry === undefined ? problem.status : statusOf(code, entry.status);
    const own =
      problem.message !== '' && problem.message !== reasonPhrase(problem.status)
        ? problem.message
        : undefined;
    // Catalogued codes keep the gateway's message; the error's own text becomes the description.
    const message = entry === undefined ? (own ?? reasonPhrase(status)) : entry.message;
    const retry =
      code === 900800 && problem.headers !== undefined ? nextAccess(problem.headers) : undefined;
    const headers = retry === undefined ? problem.headers : retry.rest;
    const next = retry?.next;
    // Field by field rather than spread: this runs for every error that is not a fault.
    const detail = entry !== undefined && own !== undefined ? own : undefined;
    const params: EsbParams | undefined =
      detail === undefined
        ? next === undefined
          ? undefined
          : { nextAccessTime: next }
        : next === undefined
          ? { detail }
          : { detail, nextAccessTime: next };
    return faultFor(problem, context, {
      dialect: DIALECT,
      code,
      status,
      message,
      name: entry?.name ?? String(code),
      description: entry?.description,
      params,
      headers,
    });
  };

  return {
    id: DIALECT,
    catalog,
    ownHeaders,
    fromProblem,
    adopt(thrown, context) {
      const valid =
        typeof thrown.code === 'number' && Number.isSafeInteger(thrown.code) && thrown.code >= 0;
      if (thrown.dialect !== DIALECT || !valid) return undefined;
      // A fault at its code's documented status gets the status the release sends instead.
      const sent = release.statuses[thrown.code as number];
      if (sent !== undefined && thrown.status === entryOf(thrown.code as number)?.status) {
        return copyFault(thrown, { status: sent, correlationId: context.correlationId });
      }
      return thrown;
    },
    negotiate(request) {
      return isSoapRequest(request) ? SOAP_ENCODING : restEncoding(request);
    },
    render(f, encoding, context): Rendered {
      return renderFault(f, encoding, context, {
        challenge,
        custom,
        ownHeaders,
        ownFaultHeaders: sanitizeHeaders(f.headers),
      });
    },
    fallback: {
      status: 500,
      headers: { 'content-type': 'application/json; charset=UTF-8' },
      body: '{"code":"500","type":"Status report","message":"Runtime Error","description":"Internal Server Error"}',
    },
  };
}
