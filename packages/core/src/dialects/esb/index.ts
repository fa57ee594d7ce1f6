/**
 * ESB / API gateway faults, byte for byte as WSO2 API Manager 4.x's gateway sends them
 * (wso2/product-apim sequences, wso2/carbon-apimgt gateway handlers, wso2/wso2-synapse's
 * PassThrough transport and mediators), with older releases as profiles: gateway error codes
 * with their documented statuses, the named fault sequences and their JSON, SOAP and (3.x) XML
 * bodies, custom sequences with custom statuses, and the transport-code arithmetic
 * `code = base + protocolState`.
 *
 * @module
 */
import type { FaultSpec } from '../contract.js';
import { Fault, catalogueFault, checkStatus } from '../../fault.js';
import type { FaultHeaders } from '../../fault.js';
import { reasonPhrase } from '../../status.js';
import { DIALECT, catalog, entryOf, SEQUENCE_NAMES } from './catalog.js';
import type { EsbCatalogCode, SequenceName } from './catalog.js';
import { SEQUENCE_DEFAULTS } from './sequences/builtin.js';
import { isSequenceName } from './render.js';
import type { EsbParams } from './render.js';
import { fromNetworkError as networkFault, transportFault } from './network.js';
import { parseSequence as parseSource } from './sequences/parse.js';
import type { CustomSequence } from './sequences/custom.js';
import { OPTION_KEYS, configure } from './runtime.js';
import { BASES, STATES, decodeTransportCode, transportCode } from './codes.js';
import type { ProtocolState } from './codes.js';
import { explainEsb, readEsb } from './read.js';
import type { Explanation } from '../../read/types.js';
import { BODIES, ENCODINGS } from './schema.js';
import { defineDialect } from '../kit.js';

export type { EsbCatalogCode, EsbCatalogEntry, SequenceName } from './catalog.js';
export type { CustomSequence } from './sequences/custom.js';
export type { ContextValue, MessageType, SequenceArg } from './sequences/types.js';
export type { TransportFaultOptions } from './network.js';
export type { EsbOptions } from './runtime.js';
export type { EsbProfile } from './profiles.js';
export type { ProtocolState, TransportBase, TransportCandidate } from './codes.js';

/**
 * An ESB code: one of the catalogue's, or any other non-negative integer (`ERROR_CODE`).
 *
 * @example
 * ```ts
 * const code: EsbCode = 900901; // or a code of your own, e.g. 900950
 * throw esb.fault(code);
 * ```
 */
export type EsbCode = EsbCatalogCode | (number & {});

/**
 * Options of {@link fault}.
 *
 * @example
 * ```ts
 * const options: EsbFaultOptions = { nextAccessTime: new Date(Date.now() + 60_000) };
 * throw esb.fault(900800, options); // quota exceeded, with Retry-After
 * ```
 */
export interface EsbFaultOptions {
  /** `ERROR_MESSAGE`; default: the catalogue's (the gateway constant). */
  readonly message?: string;
  /** `ERROR_DETAIL`, the `description` of auth and throttling bodies; default: the gateway's text. */
  readonly description?: string;
  /** When the client may call again: `Retry-After` and, for quota codes, `nextAccessTime`. */
  readonly nextAccessTime?: Date;
  /** Extra response headers. */
  readonly headers?: FaultHeaders;
  /** The error that caused this one. */
  readonly cause?: unknown;
  /** Whether the message may reach the client. Faults built here are deliberate. @default true */
  readonly expose?: boolean;
  /** `CUSTOM_HTTP_SC`: a status other than the catalogue's, 400–599. */
  readonly status?: number;
  /** The sequence that answers, instead of the code's own (e.g. `_production_key_error_`). */
  readonly sequence?: SequenceName;
}

function checkOptions(options: EsbFaultOptions): void {
  const bad = (name: string, what: string) =>
    new TypeError(`faultline: esb.fault option ${name} must be ${what}`);
  if (typeof options !== 'object' || options === null)
    throw new TypeError('faultline: esb.fault options must be an object');
  if (options.message !== undefined && typeof options.message !== 'string')
    throw bad('message', 'a string');
  if (options.description !== undefined && typeof options.description !== 'string')
    throw bad('description', 'a string');
  if (options.expose !== undefined && typeof options.expose !== 'boolean')
    throw bad('expose', 'a boolean');
  if (options.status !== undefined) checkStatus(options.status, 'esb.fault option status');
  if (options.sequence !== undefined && !isSequenceName(options.sequence))
    throw bad('sequence', `one of ${SEQUENCE_NAMES.join(', ')}`);
  const next = options.nextAccessTime;
  if (next !== undefined && Number.isNaN(timeOf(next))) throw bad('nextAccessTime', 'a valid Date');
}

// The time of a Date, from this realm or another (a vm context); NaN for anything else.
function timeOf(value: unknown): number {
  try {
    return Date.prototype.getTime.call(value);
  } catch {
    return NaN;
  }
}

/**
 * Builds an ESB fault. The catalogue gives the status, the message (the gateway's constant)
 * and the sequence; an explicit `sequence` brings its own code defaults (e.g.
 * `_production_key_error_` sends 403 with "Production key offered to the API with no
 * production endpoint", `_resource_mismatch_handler_` sends 404 with "No matching resource found
 * for given API Request").
 *
 * The message comes second, as in every dialect's factory, or as `options.message`: most ESB
 * faults send the gateway's constant text, so the form without it is the common one.
 *
 * @param code - e.g. `900901`, `101507`, or any other non-negative integer
 * @param options - message, description, next access time, headers, cause, exposure, status, sequence
 * @returns the fault, ready to throw
 * @throws TypeError when the code is not a non-negative integer or an option is invalid
 * @example
 * ```ts
 * throw esb.fault(900901);
 * throw esb.fault(900901, 'Invalid Credentials', { description: 'The access token expired' });
 * throw esb.fault(900800, { nextAccessTime: new Date(Date.now() + 60_000) });
 * throw esb.fault(404, { sequence: '_resource_mismatch_handler_' }); // the API has no such resource
 * throw esb.fault(405); // the resource has no such method
 * ```
 */
function fault(code: EsbCode, options?: EsbFaultOptions): Fault;
/**
 * Builds an ESB fault with its own `ERROR_MESSAGE` instead of the catalogue's.
 *
 * @param code - e.g. `900901`, `101507`, or any other non-negative integer
 * @param message - `ERROR_MESSAGE`, instead of the catalogue's
 * @param options - description, next access time, headers, cause, exposure, status, sequence
 * @returns the fault, ready to throw
 * @throws TypeError when the code is not a non-negative integer or an option is invalid
 */
function fault(code: EsbCode, message: string | undefined, options?: EsbFaultOptions): Fault;
function fault(
  code: EsbCode,
  second?: EsbFaultOptions | string,
  third: EsbFaultOptions = {},
): Fault {
  if (
    typeof second === 'string' &&
    typeof third === 'object' &&
    third !== null &&
    third.message !== undefined
  ) {
    throw new TypeError(
      'faultline: esb.fault takes the message once: as the second argument or as options.message',
    );
  }
  const options: EsbFaultOptions =
    typeof second === 'string'
      ? { ...third, message: second }
      : second === undefined
        ? third
        : second;
  if (typeof code !== 'number' || !Number.isSafeInteger(code) || code < 0) {
    throw new TypeError(`faultline: '${String(code)}' is not an ESB error code (e.g. 900901)`);
  }
  checkOptions(options);
  const entry = entryOf(code);
  const own = options.sequence === undefined ? undefined : SEQUENCE_DEFAULTS[options.sequence];
  const fixed = own?.code === undefined ? undefined : own;
  const sequence = options.sequence ?? entry?.sequence ?? 'fault';
  const status =
    options.status ?? fixed?.status ?? entry?.status ?? SEQUENCE_DEFAULTS[sequence].status;
  const params: EsbParams = {
    ...(options.sequence === undefined ? {} : { sequence: options.sequence }),
    ...(options.description === undefined ? {} : { detail: options.description }),
    ...(options.nextAccessTime === undefined
      ? {}
      : { nextAccessTime: timeOf(options.nextAccessTime) }),
  };
  return catalogueFault({
    dialect: DIALECT,
    code,
    status,
    message:
      options.message ??
      fixed?.message ??
      own?.messages?.[code] ??
      entry?.message ??
      reasonPhrase(status),
    name: entry?.name ?? String(code),
    description: options.description ?? entry?.description,
    params: Object.keys(params).length === 0 ? undefined : params,
    expose: options.expose ?? true,
    headers: options.headers,
    cause: options.cause,
  });
}

/**
 * The transport fault for a Node or undici network error, or `undefined` when it is not one.
 *
 * @param error - anything thrown, e.g. what `fetch` rejected with
 * @param state - the protocol state the caller tracked (wins over `err.esbProtocolState`)
 * @returns the fault, or `undefined`
 * @throws TypeError only when `state` is not a protocol state
 * @example
 * ```ts
 * esb.fromNetworkError(err, 'RESPONSE_HEAD')?.code; // e.g. 101509 for ECONNRESET
 * ```
 */
function fromNetworkError(error: unknown, state?: ProtocolState | number): Fault | undefined {
  return networkFault(error, state);
}

/**
 * Reads a Synapse `<sequence>` (such as the `convert.xml` example of WSO2's "Error Handling"
 * documentation) into a custom sequence.
 *
 * @param xml - the sequence's source
 * @returns the custom sequence, validated and frozen
 * @throws TypeError naming the sequence and what is not supported
 * @example
 * ```ts
 * esb.parseSequence(convertXml).status; // 555
 * ```
 */
function parseSequence(xml: string): CustomSequence {
  return parseSource(xml);
}

/**
 * The ESB dialect and its helpers. Use it as `dialect: esb` with options under
 * `esb: { profile, sequences, use, realm, challenge }`.
 *
 * @example
 * ```ts
 * throw esb.fault(900901);                                        // 401, _auth_failure_handler_
 * throw esb.transportFault('CONNECTION_TIMEOUT', 'REQUEST_DONE'); // code 101507
 * esb.decodeTransportCode(101507);                                // every (base, state) pair
 * createFaultHandler({ dialect: esb, esb: { sequences: { convert: convertXml }, use: { _auth_failure_handler_: 'convert' } } });
 * createFaultHandler({ dialect: esb, esb: { profile: 'apim-3.2' } }); // WSO2 API Manager 3.2.0
 * ```
 */
export const esb = defineDialect({
  id: DIALECT,
  optionKeys: OPTION_KEYS,
  catalog,
  configure,
  bodies: BODIES,
  encodings: ENCODINGS,
  /** Builds an ESB fault by catalogue code, e.g. `esb.fault(900901)`. */
  fault,
  make: (spec: FaultSpec): Fault =>
    fault(spec.code as EsbCode, {
      ...(spec.message === undefined ? {} : { message: spec.message }),
      ...(spec.status === undefined ? {} : { status: spec.status }),
      ...(spec.headers === undefined ? {} : { headers: spec.headers }),
      ...(spec.expose === undefined ? {} : { expose: spec.expose }),
      cause: spec.cause,
    }),
  read: readEsb,
  explain: (query: string): readonly Explanation[] => explainEsb(query),
  /** A transport code: base plus state ordinal, e.g. `esb.transportCode('CONNECTION_TIMEOUT', 'REQUEST_DONE')` is `101507`. */
  transportCode,
  /** A fault with the transport code `base + state`, answered with 500. */
  transportFault,
  /** Every (base, state) pair whose sum is the transport code. */
  decodeTransportCode,
  /** The transport fault for a Node or undici network error, or `undefined` when it is not one. */
  fromNetworkError,
  /** Reads a Synapse `<sequence>` into a custom sequence (`esb: { sequences }`). */
  parseSequence,
  BASES,
  STATES,
});
