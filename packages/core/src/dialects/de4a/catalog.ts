/**
 * The DE4A catalogue: every coded row of DE4A's error tables (Connector, SSI Authority
 * Agent, final participants DE/DO "Business"), by full code, with its layer, module, type,
 * template and HTTP status; and `99999`, the connector's answer to an unexpected exception
 * (de4a-eu/de4a iteration 2, `ConnectorExceptionHandler.getGenericResponseError`).
 *
 * @module
 */
import { makeCatalog } from '../../catalog.js';
import type { Catalog, CatalogEntry, LogLevel } from '../../catalog.js';
import {
  AUTHORITY_AGENT_TEMPLATES,
  LAYERS,
  MODULES,
  TEMPLATES,
  layerStatus,
  paramCount,
  templateNumbered,
} from './codes.js';
import type { De4aLayer, De4aModule, De4aTemplate } from './codes.js';

/**
 * The table a catalogue row comes from: one of DE4A's, or `Connector exception handler`
 * for the connector's `99999`.
 */
export type De4aTable =
  'Connector' | 'Authority Agent' | 'Business' | 'Connector exception handler';

/**
 * One catalogue entry: a row of DE4A's tables, with the status and texts faultline sends.
 *
 * @example
 * ```ts
 * const entry: De4aCatalogEntry | undefined = de4a.catalog.get(10102);
 * entry?.layer; // 'Communications'
 * entry?.paramCount; // how many `{n}` the template takes
 * ```
 */
export interface De4aCatalogEntry extends CatalogEntry<number> {
  readonly layer: De4aLayer;
  readonly module: De4aModule;
  /** The error type, the code's last two digits. */
  readonly type: number;
  /** The documented template for this code (the same as `message`). */
  readonly template: string;
  /** How many parameters the template takes. */
  readonly paramCount: number;
  /** The text sent when the fault's own message is hidden; the template without its parameters. */
  readonly generic: string;
  /** Business rows: the documentation's "To be displayed" column (Y/N). */
  readonly displayed?: boolean;
  readonly table: De4aTable;
}

/**
 * The DE4A catalogue, with its entries typed.
 *
 * @example
 * ```ts
 * const catalog: De4aCatalog = de4a.catalog;
 * catalog.get(10102)?.template; // the documented template of 10102
 * ```
 */
export interface De4aCatalog extends Catalog<number> {
  readonly entries: readonly De4aCatalogEntry[];
  get(code: string | number): De4aCatalogEntry | undefined;
}

/** The dialect's id, `de4a`. */
export const DIALECT = 'de4a';
// The two business codes that mark a pilot process's start and end: events, not failures.
const INFO_CODES: ReadonlySet<number> = new Set([40617, 40618]);

/**
 * The level a DE4A fault is logged at: `error` for Internal failure, Configuration and
 * Business (DE4A's documentation logs its Business example, 40515, at ERROR), `info` for the pilot
 * process markers 40617/40618, and none of its own for Communications (the handler's level
 * for a 4xx applies; the real connector logs bad requests and unknown routes as warnings).
 *
 * @param layerId - the code's layer id, 1–4
 * @param code - the 5-digit code
 * @returns the level, or `undefined` for the handler's default
 * @example
 * ```ts
 * layerLogLevel(4, 40515); // 'error'
 * ```
 */
export function layerLogLevel(layerId: number, code: number): LogLevel | undefined {
  if (INFO_CODES.has(code)) return 'info';
  return layerId >= 2 ? 'error' : undefined;
}

// The table template a row's text is, looked up per code: the Authority Agent's own 17-20
// first, then the general one of the same number.
function templateOf(text: string, module: De4aModule, type: number): De4aTemplate | undefined {
  const own =
    module === 'Authority Agent' ? templateNumbered(AUTHORITY_AGENT_TEMPLATES, type) : undefined;
  const general = templateNumbered(TEMPLATES, type);
  if (own?.text === text) return own;
  return general?.text === text ? general : undefined;
}

function row(
  table: De4aTable,
  code: number,
  layer: De4aLayer,
  module: De4aModule,
  type: number,
  template: string,
  displayed?: 'Y' | 'N',
): De4aCatalogEntry {
  const layerId = LAYERS[layer];
  const known = templateOf(template, module, type);
  const params = known?.params ?? [];
  const description =
    `${layer} (${layerId}) / ${module} (${String(MODULES[module]).padStart(2, '0')}) / ` +
    `error type ${String(type).padStart(2, '0')}: ${template}` +
    params.map((p, i) => `; {${i}}: ${p}`).join('') +
    (displayed === undefined ? '' : `; to be displayed: ${displayed}`);
  const logLevel = layerLogLevel(layerId, code);
  return Object.freeze({
    code,
    // 10001 is DE4A's "service requested not found" of the component itself: the real
    // connector answers it with 404, as it does an unknown route.
    status: code === 10001 ? 404 : layerStatus(layerId),
    name: String(code),
    // The text sent for a hidden fault: the template without its parameters.
    message: known?.generic ?? template,
    description,
    ...(logLevel === undefined ? {} : { logLevel }),
    layer,
    module,
    type,
    template,
    paramCount: paramCount(template),
    generic: known?.generic ?? template,
    ...(displayed === undefined ? {} : { displayed: displayed === 'Y' }),
    table,
  });
}

/**
 * The connector's code for an exception it did not expect: not built from a layer, a module
 * and a type (its digits read as none of DE4A's), sent with 500 and the text `Internal
 * Connector Error`, or `[ExceptionClass] message` when the exception has a message.
 */
const UNEXPECTED: De4aCatalogEntry = Object.freeze({
  code: 99999,
  status: 500,
  name: '99999',
  message: 'Internal Connector Error',
  description:
    'An unexpected exception in the connector (ConnectorExceptionHandler.getGenericResponseError): ' +
    '"Internal Connector Error", or "[ExceptionClass] message" when the exception has a message; not a layer + module + type code',
  logLevel: 'error',
  layer: 'Internal failure',
  module: 'None',
  type: 99,
  template: 'Internal Connector Error',
  paramCount: 0,
  generic: 'Internal Connector Error',
  table: 'Connector exception handler',
});

const C = 'Communications';
const I = 'Internal failure';
const K = 'Configuration';
const B = 'Business';

/**
 * The catalogue rows in the documentation's order, then the connector's 99999. It lists 20005
 * twice (identical rows); it is kept once.
 *
 * @example
 * ```ts
 * DE4A_ENTRIES.find((e) => e.code === 40515)?.template; // 'Evidence not available yet (delayed)'
 * ```
 */
const DE4A_ENTRIES: readonly De4aCatalogEntry[] = Object.freeze([
  // Connector, "Error messages"
  row('Connector', 10001, C, 'None', 1, 'Service requested {0} not found'),
  row('Connector', 10007, C, 'None', 7, 'Scheme validation failed for {0} message - {1}'),
  row('Connector', 10101, C, 'IDK', 1, 'Service requested {0} not found'),
  row('Connector', 10102, C, 'IDK', 2, 'Arguments missing or invalid at {0} - {1}'),
  row('Connector', 10104, C, 'IDK', 4, 'Error on response from {0} - {1}'),
  row('Connector', 10103, C, 'IDK', 3, 'Connection error with {0} - {1}'),
  row('Connector', 10107, C, 'IDK', 7, 'Scheme validation failed for {0} message - {1}'),
  row('Connector', 10204, C, 'SMP', 4, 'Error on response from {0} - {1}'),
  row('Connector', 10201, C, 'SMP', 1, 'Service requested {0} not found'),
  row('Connector', 10203, C, 'SMP', 3, 'Connection error with {0} - {1}'),
  row('Connector', 10207, C, 'SMP', 7, 'Scheme validation failed for {0} message - {1}'),
  row('Connector', 10503, C, 'Data Owner', 3, 'Connection error with {0} - {1}'),
  row('Connector', 10501, C, 'Data Owner', 1, 'Service requested {0} not found'),
  row('Connector', 10506, C, 'Data Owner', 6, 'Error accessing/saving data on {0} - {1}'),
  row('Connector', 10504, C, 'Data Owner', 4, 'Error on response from {0} - {1}'),
  row('Connector', 10507, C, 'Data Owner', 7, 'Scheme validation failed for {0} message - {1}'),
  row('Connector', 10601, C, 'Data Evaluator', 1, 'Service requested {0} not found'),
  row('Connector', 10604, C, 'Data Evaluator', 4, 'Error on response from {0} - {1}'),
  row('Connector', 10603, C, 'Data Evaluator', 3, 'Connection error with {0} - {1}'),
  row('Connector', 10607, C, 'Data Evaluator', 7, 'Scheme validation failed for {0} message - {1}'),
  row('Connector', 10308, C, 'Connector DR', 8, 'Error occurred on AS4 Gateway to {0} - {1}'),
  row('Connector', 10408, C, 'Connector DT', 8, 'Error occurred on AS4 Gateway to {0} - {1}'),
  row('Connector', 20005, I, 'None', 5, 'Object conversion error on {0} - {1}'),
  row('Connector', 20006, I, 'None', 6, 'Error accessing/saving data on {0} - {1}'),
  row('Connector', 20008, I, 'None', 8, 'Error occurred on AS4 Gateway to {0} - {1}'),
  row('Connector', 30008, K, 'None', 8, 'Error occurred on AS4 Gateway to {0} - {1}'),
  // SSI Authority Agent, "Errors"
  row('Authority Agent', 10703, C, 'Authority Agent', 3, 'Connection error with {0} - {1}'),
  row('Authority Agent', 10704, C, 'Authority Agent', 4, 'Error on response from {0} - {1}'),
  row(
    'Authority Agent',
    10702,
    C,
    'Authority Agent',
    2,
    'Arguments missing or invalid at {0} - {1}',
  ),
  row('Authority Agent', 20705, I, 'Authority Agent', 5, 'Object conversion error on {0} - {1}'),
  row(
    'Authority Agent',
    20706,
    I,
    'Authority Agent',
    6,
    'Error accessing/saving data on {0} - {1}',
  ),
  row('Authority Agent', 20718, I, 'Authority Agent', 18, 'Error generating {0} key.'),
  row('Authority Agent', 20719, I, 'Authority Agent', 19, 'Error exporting JWK private key.'),
  row(
    'Authority Agent',
    20720,
    I,
    'Authority Agent',
    20,
    'Error importing DID document into Aries.',
  ),
  row('Authority Agent', 30717, K, 'Authority Agent', 17, 'Configuration error occurred on {0}'),
  // Final participants DE/DO, "Error warning and local logs to collect"
  row('Business', 40510, B, 'Data Owner', 10, 'Error extracting evidence', 'Y'),
  row('Business', 40515, B, 'Data Owner', 15, 'Evidence not available yet (delayed)', 'Y'),
  row('Business', 40511, B, 'Data Owner', 11, 'Error in identity matching', 'Y'),
  row('Business', 40512, B, 'Data Owner', 12, 'Unsuccessful completion of preview', 'Y'),
  row('Business', 40514, B, 'Data Owner', 14, 'Failed to re-establish user identity', 'Y'),
  row('Business', 40513, B, 'Data Owner', 13, 'Preview rejected by user', 'N'),
  row('Business', 40609, B, 'Data Evaluator', 9, 'Failed to establish user identity', 'Y'),
  row('Business', 40613, B, 'Data Evaluator', 13, 'Preview rejected by user', 'N'),
  row(
    'Business',
    40516,
    B,
    'Data Owner',
    16,
    'Unsuccessful generation of the canonical evidence',
    'N',
  ),
  row('Business', 40617, B, 'Data Evaluator', 17, 'DE4A pilot process started', 'N'),
  row('Business', 40618, B, 'Data Evaluator', 18, 'DE4A pilot process finished', 'N'),
  UNEXPECTED,
]);

/**
 * The frozen catalogue, looked up by code (`10102` or `'10102'`).
 *
 * @example
 * ```ts
 * DE4A_CATALOG.get(10102)?.status; // 400
 * ```
 */
export const DE4A_CATALOG = makeCatalog<number>(DIALECT, DE4A_ENTRIES) as De4aCatalog;

// The connector's code for an unexpected exception (ConnectorExceptionHandler).

/**
 * The code of the connector's answer to an exception it did not expect.
 *
 * @example
 * ```ts
 * catalog.get(INTERNAL_CODE)?.status; // 500
 * ```
 */
export const INTERNAL_CODE = 99999;

/**
 * The DE4A catalogue, as the dialect uses it.
 *
 * @example
 * ```ts
 * catalog.get(10102)?.template; // 'Arguments missing or invalid at {0} - {1}'
 * ```
 */
export const catalog = DE4A_CATALOG;

/** The entry of {@link INTERNAL_CODE}. */
export const internalEntry = catalog.get(INTERNAL_CODE);
