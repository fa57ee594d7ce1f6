/**
 * What reading a fault back gives: the fault, where it came from, and what its code means.
 *
 * @module
 */
import type { CatalogEntry, CatalogExample } from '../catalog.js';
import type { Fault } from '../fault.js';

/**
 * The shape a fault was read from: a JSON body, an XML body, or a SOAP 1.1 / 1.2 fault
 * envelope.
 *
 * @example
 * ```ts
 * const format: FaultFormat = parseFault(body).recognised ? 'soap11' : 'json';
 * ```
 */
export type FaultFormat = 'json' | 'xml' | 'soap11' | 'soap12';

/**
 * One part of a code's arithmetic, e.g. the layer of a DE4A code or the base of an ESB
 * transport code.
 *
 * @example
 * ```ts
 * const layer: CodePart = { name: 'layer', value: 1, meaning: 'Communications' };
 * ```
 */
export interface CodePart {
  /** The part's name, e.g. `layer`, `module`, `type`, `subsystem`, `base`, `state`. */
  readonly name: string;
  /** Its value, e.g. `1`, `'01'`, `101504`. */
  readonly value: string | number;
  /** What the value stands for, e.g. `Communications`, `CONNECTION_TIMEOUT`. */
  readonly meaning?: string;
}

/**
 * Which component of the message flow produced a fault, and where its operator finds more.
 *
 * @example
 * ```ts
 * const origin: FaultOrigin = {
 *   component: 2,
 *   summary: 'the consumer-side Security Server (client proxy)',
 *   log: 'the proxy application log /var/log/xroad/proxy.log of the consumer-side Security Server (2)',
 * };
 * ```
 */
export interface FaultOrigin {
  /**
   * X-Road's numbering of the message flow: 1 service consumer, 2 consumer-side Security
   * Server (client proxy), 3 provider-side Security Server (server proxy), 4 service provider.
   */
  readonly component?: 1 | 2 | 3 | 4;
  /** Who produced the fault, in words. */
  readonly summary: string;
  /** Where more detail is logged, when the convention says. */
  readonly log?: string;
}

/**
 * What a code means: its catalogue entry in one dialect, where faults of it come from, what
 * to check, and the arithmetic the code is made of.
 *
 * @example
 * ```ts
 * const [first] = explain('Server.ClientProxy.SslAuthenticationFailed');
 * first?.origin?.component; // 2
 * first?.check[0]; // X-Road's advice for the first documented message
 * ```
 */
export interface Explanation {
  /** The dialect whose code this is. */
  readonly dialect: string;
  /** The code, as the dialect writes it. */
  readonly code: string | number;
  /** The HTTP status the code is sent with, when the dialect fixes one. */
  readonly status?: number;
  /** The code's symbolic name. */
  readonly name?: string;
  /** The catalogue's generic message. */
  readonly message?: string;
  /** What the code means (the source document's description). */
  readonly meaning?: string;
  /** Where faults with this code come from. */
  readonly origin?: FaultOrigin;
  /** What to check, one item per situation the source document describes. */
  readonly check: readonly string[];
  /** The documented messages of the code, with their meaning. */
  readonly examples?: readonly CatalogExample[];
  /** XKS: the proxy APIs the error applies to. */
  readonly appliesTo?: readonly string[];
  /** The code's arithmetic, e.g. DE4A layer + module + type. */
  readonly parts?: readonly CodePart[];
  /** ESB transport codes: every (base, state) pair that adds up to the code. */
  readonly candidates?: readonly (readonly CodePart[])[];
  /** Anything else worth knowing about the code. */
  readonly notes?: readonly string[];
  /** The catalogue entry, when the code is in the catalogue. */
  readonly entry?: CatalogEntry;
}

/**
 * What a dialect reads from a body in its own convention (see {@link Dialect.read}).
 *
 * @example
 * ```ts
 * const reading: FaultReading = { format: 'json', fault: xks.fault('KeyNotFoundException') };
 * ```
 */
export interface FaultReading {
  /** The shape the fault was read from. */
  readonly format: FaultFormat;
  /** The fault, as the dialect would build it: code, message, status, correlation id. */
  readonly fault: Fault;
  /** Who produced it, when the body tells. */
  readonly origin?: FaultOrigin;
  /** What else the body says, e.g. a throttled client's next access time. */
  readonly notes?: readonly string[];
}

/**
 * A body `parseFault` recognised: the fault it carries, the dialect and shape, and what the
 * code means.
 *
 * @example
 * ```ts
 * const result = parseFault('{"errorName":"KeyNotFoundException"}', 'application/json');
 * if (result.recognised) result.fault.status; // 400
 * ```
 */
export interface RecognisedFault {
  readonly recognised: true;
  /** The dialect, e.g. `xroad`. */
  readonly dialect: string;
  /** The shape it was read from. */
  readonly format: FaultFormat;
  /** The fault: code, status, message, correlation id, catalogue name and description. */
  readonly fault: Fault;
  /** The code's catalogue entry, when it is in the dialect's catalogue. */
  readonly entry?: CatalogEntry;
  /** Who produced the fault. */
  readonly origin?: FaultOrigin;
  /** What the code means, what to check, and its arithmetic. */
  readonly explanation?: Explanation;
  /** Anything else the body or the response says. */
  readonly notes: readonly string[];
}

/**
 * A body `parseFault` could not read as a fault of any dialect, with the reason.
 *
 * @example
 * ```ts
 * const result = parseFault('<html>oops</html>', 'text/html');
 * if (!result.recognised) console.log(result.reason);
 * ```
 */
export interface UnrecognisedFault {
  readonly recognised: false;
  /** Why, in one line, e.g. `the body is not valid JSON`. */
  readonly reason: string;
  /**
   * Who produced the response anyway, when the context tells: an X-Road response without
   * `X-Road-Error` is the service provider's own error.
   */
  readonly origin?: FaultOrigin;
}

/**
 * What {@link parseFault} returns: a recognised fault, or the reason it is none.
 *
 * @example
 * ```ts
 * const result: ParsedFault = parseFault(text, contentType);
 * console.log(result.recognised ? result.fault.code : result.reason);
 * ```
 */
export type ParsedFault = RecognisedFault | UnrecognisedFault;
