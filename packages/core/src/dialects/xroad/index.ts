/**
 * X-Road Security Server proxy faults: REST JSON, REST XML and SOAP 1.1, byte for byte as
 * the security server of X-Road 7.5–7.8 sends them (nordic-institute/X-Road
 * `ClientRestMessageHandler.sendErrorResponse`, `SoapFault.createFaultXml`); older releases are
 * named profiles (`./profiles.ts`).
 *
 * @module
 */
import { Fault, catalogueFault, checkStatus } from '../../fault.js';
import type { FaultHeaders } from '../../fault.js';
import { reasonPhrase } from '../../status.js';
import type { FaultSpec } from '../contract.js';
import { XROAD_PROFILES } from './profiles.js';
import { XROAD_CODE as CODE_PATTERN } from './catalog.js';
import { DIALECT, catalog, entryOf } from './catalog.js';
import type { XRoadCatalogCode } from './catalog.js';
import { PREFIX, checkSide, qualify, restStatus, withPrefix } from './codes.js';
import type { XRoadSide } from './codes.js';
import { OPTION_KEYS, configure } from './runtime.js';
import { PROVIDER_ORIGIN, explainXRoad, originOf, readXRoad } from './read.js';
import type { FaultDocument } from '../../read/document.js';
import type { Explanation, FaultReading } from '../../read/types.js';
import { BODIES, ENCODINGS } from './schema.js';
import { defineDialect } from '../kit.js';

export type { XRoadCatalogCode } from './catalog.js';
export type { XRoadProfile } from './profiles.js';
export type { XRoadSide } from './codes.js';
export type { XRoadOptions } from './runtime.js';

/**
 * An X-Road code: one of the catalogue's, or any other well-formed code.
 *
 * @example
 * ```ts
 * const code: XRoadCode = 'Server.ServerProxy.ServiceFailed.Timeout'; // any well-formed code
 * throw xroad.fault(code, 'The service did not answer in time');
 * ```
 */
export type XRoadCode = XRoadCatalogCode | (string & {});

/**
 * Options of {@link xroad.fault}.
 *
 * @example
 * ```ts
 * const options: XRoadFaultOptions = { side: 'server', status: 503, headers: { 'retry-after': '30' } };
 * throw xroad.fault('ServiceUnavailable', 'Try again later', options);
 * ```
 */
export interface XRoadFaultOptions {
  /** Qualify an unprefixed code now instead of with the handler's `side`. */
  readonly side?: XRoadSide;
  /**
   * Whether the message may reach the client. Faults built here are deliberate, so their
   * message is sent even with status 500; pass `false` to send the catalogue's generic text.
   * @default true
   */
  readonly expose?: boolean;
  /** A REST status other than X-Road's rule (500 for `Server.*`, 400 otherwise). */
  readonly status?: number;
  /** Extra response headers. */
  readonly headers?: FaultHeaders;
  /** The error that caused this one. */
  readonly cause?: unknown;
  /** A known id for `detail`, e.g. when relaying an upstream security server's fault. */
  readonly correlationId?: string;
}

/**
 * Builds an X-Road fault. A code without a `Server.`/`Client.` prefix gets the side's prefix
 * (`UnknownService` → `Server.ServerProxy.UnknownService`) when the handler renders it, or
 * now when `options.side` is given. Without a message, the catalogue's text is used.
 *
 * @param code - e.g. `Server.ClientProxy.UnknownMember`, or `UnknownService`
 * @param message - the `message`/`faultString` text
 * @param options - side, exposure, status, headers, cause, correlation id
 * @returns the fault, ready to throw
 * @throws TypeError when the code is not a dotted identifier or an option is invalid
 * @example
 * ```ts
 * throw xroad.fault('Server.ClientProxy.UnknownMember', "Client 'SUBSYSTEM:EE/GOV/123/app' not found");
 * ```
 */
function fault(code: XRoadCode, message?: string, options: XRoadFaultOptions = {}): Fault {
  if (typeof code !== 'string' || code.length > 256 || !CODE_PATTERN.test(code)) {
    throw new TypeError(
      `faultline: '${String(code)}' is not an X-Road code (e.g. Server.ServerProxy.AccessDenied)`,
    );
  }
  if (message !== undefined && typeof message !== 'string') {
    throw new TypeError('faultline: an X-Road fault message must be a string');
  }
  if (options.status !== undefined) checkStatus(options.status, 'xroad.fault options.status');
  const final = options.side === undefined ? code : qualify(code, checkSide(options.side));
  const entry = entryOf(final);
  return catalogueFault({
    dialect: DIALECT,
    code: final,
    status: options.status ?? restStatus(final),
    message: message ?? entry?.message ?? reasonPhrase(restStatus(final)),
    name: entry?.name ?? final,
    description: entry?.description,
    expose: options.expose ?? true,
    headers: options.headers,
    cause: options.cause,
    correlationId: options.correlationId,
  });
}

/**
 * The X-Road dialect and its helpers. Use it as `dialect: 'xroad'` (or `dialect: xroad`),
 * with options under `xroad: { side, soapStatus, soap, profile }`.
 *
 * @example
 * ```ts
 * throw xroad.fault('Server.ServerProxy.UnknownService', 'Unknown service: SERVICE:EE/GOV/123/app/getPerson');
 * xroad.withPrefix('InternalError', 'ServiceFailed'); // 'ServiceFailed.InternalError'
 * ```
 */
export const xroad = defineDialect({
  id: DIALECT,
  optionKeys: OPTION_KEYS,
  catalog,
  configure,
  bodies: BODIES,
  encodings: ENCODINGS,
  /** Builds an X-Road fault, e.g. `xroad.fault('Server.ClientProxy.UnknownMember', 'Client not found')`. */
  fault,
  make: (spec: FaultSpec): Fault =>
    fault(String(spec.code), spec.message, {
      status: spec.status,
      headers: spec.headers,
      expose: spec.expose,
      cause: spec.cause,
    }),
  /** X-Road's `CodedException.withPrefix`: `withPrefix('InternalError', 'ServiceFailed')` is `'ServiceFailed.InternalError'`. */
  withPrefix,
  read: (document: FaultDocument): FaultReading | undefined => readXRoad(document, catalog),
  explain: (query: string): readonly Explanation[] => explainXRoad(query, catalog),
  /** A response relayed by a security server (`x-road-*` headers) without X-Road's structure is the provider's own error. */
  foreignOrigin: Object.freeze({
    origin: PROVIDER_ORIGIN,
    headerPrefix: 'x-road-',
    errorHeader: 'x-road-error',
  }),
  /** X-Road's REST status rule for codes of a catalogue of your own: 500 for `Server.*`, 400 for `Client.*`. */
  defaultStatus: (code: string | number): number => restStatus(String(code)),
  /** Who produced a fault of a code: `originOf('Server.ServerProxy.AccessDenied')?.component` is `3`. */
  originOf,
  /** The code prefix of each side (the same table as {@link PREFIXES}). */
  prefixes: PREFIX,
  /** The code prefix of each side: `PREFIXES.client` is `'Server.ClientProxy'`. */
  PREFIXES: PREFIX,
  /** Each named profile's differences from the default release (X-Road 7.5–7.8). */
  PROFILES: XROAD_PROFILES,
});
