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
import type { Dialect, FaultSpec } from '../contract.js';
import { DIALECT, catalog, fault } from './faults.js';
import type { EsbCode } from './faults.js';
import { fromNetworkError as networkFault, transportFault } from './network.js';
import type { Fault } from '../../fault.js';
import { parseSequence as parseSource } from './sequences/parse.js';
import type { CustomSequence } from './sequences/custom.js';
import { configure } from './runtime.js';
import type { EsbOptions } from './runtime.js';
import { BASES, STATES, decodeTransportCode, transportCode } from './codes.js';
import type { ProtocolState } from './codes.js';
import { explainEsb, readEsb } from './read.js';
import type { Explanation } from '../../read/types.js';
import { dialectSchemas } from '../../schemas.js';
import type { DialectSchemas, SchemaOptions } from '../../schemas.js';

export type { EsbCatalogCode, EsbCatalogEntry, SequenceName } from './catalog.js';
export type { ContextValue, CustomSequence, MessageType, SequenceArg } from './sequences/custom.js';
export type { EsbCode, EsbFaultOptions } from './faults.js';
export type { TransportFaultOptions } from './network.js';
export type { EsbOptions } from './runtime.js';
export type { EsbProfile } from './profiles.js';
export type { ProtocolState, TransportBase, TransportCandidate } from './codes.js';

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
 * Reads a Synapse `<sequence>` (such as the seed's `convert.xml`) into a custom sequence.
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
 * The schemas of this dialect's bodies: the JSON Schema (draft 2020-12) of its JSON bodies and
 * the XSDs of its XML bodies, shipped as `@faultline/core/schemas/*.xsd`.
 *
 * @param options - `catalogs`: your own catalogues, to make the code member an enum; `debug`
 * @returns `{ dialect, json, xml?, soap? }`
 * @example
 * ```ts
 * const { json } = esb.schema();
 * new Ajv2020().compile(json); // validates every JSON body the dialect renders
 * ```
 */
function schema(options?: SchemaOptions): DialectSchemas {
  return dialectSchemas(catalog, options);
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
export const esb = Object.freeze({
  id: DIALECT,
  catalog,
  /** Resolves the dialect options once into the runtime the handler uses. */
  configure,
  /** The JSON Schema (draft 2020-12) of the dialect's JSON bodies and the XSDs of its XML bodies. */
  schema,
  /** Builds an ESB fault by catalogue code, e.g. `esb.fault(900901)`. */
  fault,
  /** Builds a fault of this dialect from a dialect-neutral spec (a mapping target). */
  make: (spec: FaultSpec): Fault =>
    fault(spec.code as EsbCode, {
      ...(spec.message === undefined ? {} : { message: spec.message }),
      ...(spec.status === undefined ? {} : { status: spec.status }),
      ...(spec.headers === undefined ? {} : { headers: spec.headers }),
      ...(spec.expose === undefined ? {} : { expose: spec.expose }),
      cause: spec.cause,
    }),
  /** Reads a body in this dialect's convention back into its fault (`parseFault` uses it). */
  read: readEsb,
  /** Every catalogue entry a code or name matches, explained with the code's arithmetic (`explain` uses it). */
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
}) satisfies Dialect<EsbOptions>;
