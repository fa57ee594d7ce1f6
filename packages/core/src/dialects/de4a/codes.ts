/**
 * DE4A code arithmetic (DE4A's "Logs and error messages", "Structure definition"): the layer,
 * module and type tables, 5-digit error codes, 5-character message codes and `{n}` message
 * templates.
 *
 * @module
 */

/**
 * DE4A's layer table: where a message comes from.
 *
 * @example
 * ```ts
 * LAYERS['Internal failure']; // 2
 * ```
 */
export const LAYERS = Object.freeze({
  Communications: 1,
  'Internal failure': 2,
  Configuration: 3,
  Business: 4,
} as const);

/**
 * DE4A's module table, with the Authority Agent (07) of its "SSI Authority Agent"
 * section. `None` is a message that occurs inside the component itself.
 *
 * @example
 * ```ts
 * MODULES['Connector DR']; // 3
 * ```
 */
export const MODULES = Object.freeze({
  IDK: 1,
  SMP: 2,
  'Connector DR': 3,
  'Connector DT': 4,
  'Data Owner': 5,
  'Data Evaluator': 6,
  'Authority Agent': 7,
  None: 0,
} as const);

/**
 * DE4A's log type table (Connector log messages only: metrics and Kafka).
 *
 * @example
 * ```ts
 * LOG_TYPES.AS4; // 3
 * ```
 */
export const LOG_TYPES = Object.freeze({ Services: 1, Client: 2, AS4: 3 } as const);

/**
 * DE4A's severity table.
 *
 * @example
 * ```ts
 * SEVERITIES.WARNING; // 3
 * ```
 */
export const SEVERITIES = Object.freeze({ DEBUG: 1, INFO: 2, WARNING: 3 } as const);

/**
 * The level letter of a message code, by level name (`WARNING` is the metrics lines' name
 * of `WARN`).
 *
 * @example
 * ```ts
 * LEVEL_LETTERS.ERROR; // 'E'
 * ```
 */
export const LEVEL_LETTERS = Object.freeze({
  INFO: 'I',
  ERROR: 'E',
  WARN: 'W',
  WARNING: 'W',
  DEBUG: 'D',
} as const);

/**
 * A layer name of `de4a.LAYERS`.
 *
 * @example
 * ```ts
 * const layer: De4aLayer = 'Communications';
 * de4a.code({ layer, module: 'IDK', type: 2 }); // 10102
 * ```
 */
export type De4aLayer = keyof typeof LAYERS;
/**
 * A module name of `de4a.MODULES`.
 *
 * @example
 * ```ts
 * const module: De4aModule = 'Data Owner';
 * createFaultHandler({ dialect: de4a, de4a: { dependency: module } });
 * ```
 */
export type De4aModule = keyof typeof MODULES;
/**
 * A level name of `de4a.LEVEL_LETTERS`.
 *
 * @example
 * ```ts
 * const level: De4aLevel = 'ERROR';
 * de4a.messageCode({ component: 'DR', level, template: 5 }); // 'DRE05'
 * ```
 */
export type De4aLevel = keyof typeof LEVEL_LETTERS;

/**
 * One message template of DE4A's documentation: its text and what each `{n}` stands for.
 *
 * @example
 * ```ts
 * const template: De4aTemplate | undefined = de4a.TEMPLATES[3];
 * template?.params; // what each `{n}` stands for
 * ```
 */
export interface De4aTemplate {
  /** The template, e.g. `Connection error with {0} - {1}`. */
  readonly text: string;
  /** What `{0}`, `{1}`, … stand for, from the documentation's "Parameters" column. */
  readonly params: readonly string[];
  /**
   * faultline's text without the parameters, sent instead of the template when a fault's
   * own message is hidden (a 5xx that is not exposed): a body never shows `{1}`.
   */
  readonly generic: string;
}

const MODULE_AND_CAUSE = ['Module name', 'Inherited error message'] as const;

/**
 * DE4A's general error-message templates 01–18 ("Error messages"), by number.
 *
 * @example
 * ```ts
 * TEMPLATES[2].text; // 'Arguments missing or invalid at {0} - {1}'
 * ```
 */
export const TEMPLATES = Object.freeze({
  1: template(
    'Service requested {0} not found',
    ['REST service requested'],
    'Service requested not found',
  ),
  2: template(
    'Arguments missing or invalid at {0} - {1}',
    ['Service requested', 'Missing arguments'],
    'Arguments missing or invalid',
  ),
  3: template('Connection error with {0} - {1}', MODULE_AND_CAUSE, 'Connection error'),
  4: template('Error on response from {0} - {1}', MODULE_AND_CAUSE, 'Error on response'),
  5: template('Object conversion error on {0} - {1}', MODULE_AND_CAUSE, 'Object conversion error'),
  6: template(
    'Error accessing/saving data on {0} - {1}',
    MODULE_AND_CAUSE,
    'Error accessing/saving data',
  ),
  7: template(
    'Scheme validation failed for {0} message - {1}',
    ['Message type', 'Inherited error message'],
    'Scheme validation failed',
  ),
  8: template(
    'Error occurred on AS4 Gateway to {0} - {1}',
    MODULE_AND_CAUSE,
    'Error occurred on AS4 Gateway',
  ),
  9: template('Failed to establish user identity'),
  10: template('Error extracting evidence'),
  11: template('Error in identity matching'),
  12: template('Unsuccessful completion of preview'),
  13: template('Preview rejected by user'),
  14: template('Failed to re-establish user identity'),
  15: template('Evidence not available yet (delayed)'),
  16: template('Unsuccessful generation of the canonical evidence'),
  17: template('DE4A pilot process started'),
  18: template('DE4A pilot process finished'),
});

/**
 * The Authority Agent's own templates 17–20 (DE4A's "SSI Authority Agent" errors). Their
 * numbers clash with the general 17 and 18, so templates are looked up per code, never per
 * number alone. The documentation gives no parameter names for them.
 *
 * @example
 * ```ts
 * AUTHORITY_AGENT_TEMPLATES[17].text; // 'Configuration error occurred on {0}'
 * ```
 */
export const AUTHORITY_AGENT_TEMPLATES = Object.freeze({
  17: template('Configuration error occurred on {0}', [], 'Configuration error occurred'),
  18: template('Error generating {0} key.', [], 'Error generating key.'),
  19: template('Error exporting JWK private key.'),
  20: template('Error importing DID document into Aries.'),
});

/**
 * The template of a type number in one of the tables above, or `undefined`.
 *
 * @param table - {@link TEMPLATES} or {@link AUTHORITY_AGENT_TEMPLATES}
 * @param type - the type number
 * @returns the template
 * @example
 * ```ts
 * templateNumbered(TEMPLATES, 3)?.generic; // 'Connection error'
 * ```
 */
export function templateNumbered(table: object, type: number): De4aTemplate | undefined {
  return Object.hasOwn(table, type)
    ? (table as Readonly<Record<number, De4aTemplate>>)[type]
    : undefined;
}

// A frozen template; without parameters its generic text is the template itself.
function template(text: string, params: readonly string[] = [], generic = text): De4aTemplate {
  return Object.freeze({ text, params: Object.freeze([...params]), generic });
}

/**
 * The parts of a 5-digit code; names or numbers, e.g. `{ layer: 'Communications', module: 'IDK', type: 2 }`.
 *
 * @example
 * ```ts
 * const parts: De4aCodeParts = { layer: 'Communications', module: 'IDK', type: 2 };
 * de4a.code(parts); // 10102
 * ```
 */
export interface De4aCodeParts {
  /** A `de4a.LAYERS` name (any case) or id 1–4. */
  readonly layer: De4aLayer | number | (string & {});
  /** A `de4a.MODULES` name (any case) or id 0–7 (`'03'` works too). */
  readonly module: De4aModule | number | (string & {});
  /** The error type, 1–20 (`'02'` works too). */
  readonly type: number | string;
}

/**
 * A decoded 5-digit code.
 *
 * @example
 * ```ts
 * const info: De4aCodeInfo | undefined = de4a.decode(10102);
 * info?.module; // 'IDK'
 * info?.type; // 2
 * ```
 */
export interface De4aCodeInfo {
  readonly layer: De4aLayer;
  readonly layerId: number;
  readonly module: De4aModule;
  readonly moduleId: number;
  readonly type: number;
  /** The code's template, when the code is in the catalogue. */
  readonly template?: string;
}

const MAX_TYPE = 20;
const LAYER_BY_ID = new Map<number, De4aLayer>(
  Object.entries(LAYERS).map(([name, id]) => [id, name as De4aLayer]),
);
const MODULE_BY_ID = new Map<number, De4aModule>(
  Object.entries(MODULES).map(([name, id]) => [id, name as De4aModule]),
);
const LAYER_BY_NAME = new Map<string, De4aLayer>(
  Object.keys(LAYERS).map((name) => [name.toLowerCase(), name as De4aLayer]),
);
const MODULE_BY_NAME = new Map<string, De4aModule>(
  Object.keys(MODULES).map((name) => [name.toLowerCase(), name as De4aModule]),
);

// A name in any case, or an id as a number or a string of one or two digits.
function lookup<N>(value: unknown, byName: Map<string, N>, byId: Map<number, N>): N | undefined {
  if (typeof value === 'number') return Number.isInteger(value) ? byId.get(value) : undefined;
  if (typeof value !== 'string') return undefined;
  if (/^\d{1,2}$/.test(value)) return byId.get(Number(value));
  return byName.get(value.trim().toLowerCase());
}

function typeNumber(value: unknown): number | undefined {
  const n = typeof value === 'string' && /^\d{1,2}$/.test(value) ? Number(value) : value;
  return typeof n === 'number' && Number.isInteger(n) && n >= 1 && n <= MAX_TYPE ? n : undefined;
}

/**
 * The 5-digit code of a layer, a module and an error type: layer id (1 digit) + module
 * (2 digits) + type (2 digits).
 *
 * @param parts - names (any case) or numbers
 * @returns the code, e.g. `10102`
 * @throws TypeError naming the unknown layer, module or type
 * @example
 * ```ts
 * code({ layer: 'Communications', module: 'IDK', type: 2 }); // 10102
 * code({ layer: 2, module: 'Authority Agent', type: 5 }); // 20705
 * ```
 */
export function code(parts: De4aCodeParts): number {
  if (typeof parts !== 'object' || parts === null) {
    throw new TypeError('faultline: de4a.code needs { layer, module, type }');
  }
  const layer = lookup(parts.layer, LAYER_BY_NAME, LAYER_BY_ID);
  if (layer === undefined) {
    throw new TypeError(
      `faultline: de4a layer '${String(parts.layer)}' is unknown (${Object.keys(LAYERS).join(', ')}, or 1-4)`,
    );
  }
  const module = lookup(parts.module, MODULE_BY_NAME, MODULE_BY_ID);
  if (module === undefined) {
    throw new TypeError(
      `faultline: de4a module '${String(parts.module)}' is unknown (${Object.keys(MODULES).join(', ')}, or 0-7)`,
    );
  }
  const type = typeNumber(parts.type);
  if (type === undefined) {
    throw new TypeError(
      `faultline: de4a error type '${String(parts.type)}' is not an integer in 1-${MAX_TYPE}`,
    );
  }
  return LAYERS[layer] * 10000 + MODULES[module] * 100 + type;
}

/**
 * The parts of a 5-digit code of DE4A's tables; `undefined` for anything else (another
 * length, layer 0 or 5–9, an unknown module, type 00 or above 20). Never throws.
 *
 * @param value - a code as a number or a string, e.g. `10102` or `'10102'`
 * @returns the layer, module and type, without a template
 * @example
 * ```ts
 * parseCode(20705); // { layer: 'Internal failure', layerId: 2, module: 'Authority Agent', moduleId: 7, type: 5 }
 * ```
 */
export function parseCode(value: unknown): De4aCodeInfo | undefined {
  const text = typeof value === 'number' && Number.isInteger(value) ? String(value) : value;
  if (typeof text !== 'string' || !/^\d{5}$/.test(text)) return undefined;
  const layerId = Number(text.slice(0, 1));
  const moduleId = Number(text.slice(1, 3));
  const type = Number(text.slice(3, 5));
  const layer = LAYER_BY_ID.get(layerId);
  const module = MODULE_BY_ID.get(moduleId);
  if (layer === undefined || module === undefined || type < 1 || type > MAX_TYPE) return undefined;
  return { layer, layerId, module, moduleId, type };
}

/**
 * Whether a code has the 5-digit shape of a team's own code: layer 1–4, any two-digit
 * module, type 01–99. Such codes need an explicit template.
 *
 * @param value - a code as a number or a string
 * @returns `true` for a well-formed code, in the catalogue or not
 * @example
 * ```ts
 * isWellFormed(10805); // true (module 08 is not DE4A's, but the shape is)
 * isWellFormed(50101); // false
 * ```
 */
export function isWellFormed(value: unknown): boolean {
  const text = typeof value === 'number' && Number.isInteger(value) ? String(value) : value;
  return typeof text === 'string' && /^[1-4]\d\d(?:0[1-9]|[1-9]\d)$/.test(text);
}

/**
 * The HTTP status of a layer: Internal failure and Configuration 500, else 400.
 *
 * @param layerId - the layer id, 1–4
 * @returns 500 or 400
 * @example
 * ```ts
 * layerStatus(LAYERS.Configuration); // 500
 * ```
 */
export function layerStatus(layerId: number): number {
  return layerId === 2 || layerId === 3 ? 500 : 400;
}

/**
 * The level letter of a level name, any case; `undefined` for an unknown level.
 *
 * @param level - `INFO`, `ERROR`, `WARN`, `WARNING` or `DEBUG`
 * @returns `I`, `E`, `W` or `D`
 * @example
 * ```ts
 * levelLetter('warning'); // 'W'
 * ```
 */
function levelLetter(level: unknown): 'I' | 'E' | 'W' | 'D' | undefined {
  if (typeof level !== 'string') return undefined;
  const name = level.toUpperCase();
  return Object.hasOwn(LEVEL_LETTERS, name) ? LEVEL_LETTERS[name as De4aLevel] : undefined;
}

/**
 * The parts of a 5-character message code.
 *
 * @example
 * ```ts
 * const parts: De4aMessageCodeParts = { component: 'DR', level: 'ERROR', template: 5 };
 * de4a.messageCode(parts); // 'DRE05'
 * ```
 */
export interface De4aMessageCodeParts {
  /** The component code, two upper-case letters or digits, e.g. `DR`, `DT`, `DO`, `DE`. */
  readonly component: string;
  /** `INFO`, `ERROR`, `WARN`/`WARNING` or `DEBUG`, any case. */
  readonly level: De4aLevel | (string & {});
  /** The template number, 0–99. */
  readonly template: number;
}

/**
 * The 5-character message code of a log line: component (2) + level letter (1) + template
 * number (2 digits).
 *
 * @param parts - component, level and template number
 * @returns the message code, e.g. `DRE05`
 * @throws TypeError naming the invalid part
 * @example
 * ```ts
 * messageCode({ component: 'DR', level: 'ERROR', template: 5 }); // 'DRE05'
 * messageCode({ component: 'DT', level: 'INFO', template: 7 }); // 'DTI07'
 * ```
 */
export function messageCode(parts: De4aMessageCodeParts): string {
  if (typeof parts !== 'object' || parts === null) {
    throw new TypeError('faultline: de4a.messageCode needs { component, level, template }');
  }
  const { component, level, template } = parts;
  if (typeof component !== 'string' || !/^[A-Z0-9]{2}$/.test(component)) {
    throw new TypeError(
      `faultline: de4a message code component '${String(component)}' must be two upper-case letters or digits (e.g. DR)`,
    );
  }
  const letter = levelLetter(level);
  if (letter === undefined) {
    throw new TypeError(
      `faultline: de4a message code level '${String(level)}' must be INFO, ERROR, WARN, WARNING or DEBUG`,
    );
  }
  if (
    typeof template !== 'number' ||
    !Number.isInteger(template) ||
    template < 0 ||
    template > 99
  ) {
    throw new TypeError(
      `faultline: de4a message code template '${String(template)}' must be an integer in 0-99`,
    );
  }
  return `${component}${letter}${String(template).padStart(2, '0')}`;
}

/**
 * A template parameter: anything with an unambiguous text form.
 *
 * @example
 * ```ts
 * const params: De4aParam[] = ['/request', 'id'];
 * throw de4a.fault(10102, params);
 * ```
 */
export type De4aParam = string | number | bigint | boolean;

// A placeholder is `{n}` with 1-3 ASCII digits. The number of the one whose `{` is at `at`, or
// -1 when none starts there; it ends at the first `}` after `at`.
function placeholderAt(template: string, at: number): number {
  let n = 0;
  for (let i = at + 1; i < template.length && i <= at + 4; i++) {
    const c = template.charCodeAt(i);
    if (c === 0x7d) return i > at + 1 ? n : -1;
    if (c < 0x30 || c > 0x39 || i === at + 4) return -1;
    n = n * 10 + c - 0x30;
  }
  return -1;
}

/**
 * How many parameters a template takes: its highest `{n}` plus one.
 *
 * @param template - e.g. `Connection error with {0} - {1}`
 * @returns the count, 0 for a template without placeholders
 * @example
 * ```ts
 * paramCount('Error generating {0} key.'); // 1
 * ```
 */
export function paramCount(template: string): number {
  let count = 0;
  for (let at = template.indexOf('{'); at !== -1; at = template.indexOf('{', at + 1)) {
    const n = placeholderAt(template, at);
    if (n >= count) count = n + 1;
  }
  return count;
}

/**
 * Fills a template's `{n}` with the parameters, in one pass (a parameter that contains
 * `{1}` stays as it is).
 *
 * @param template - e.g. `Arguments missing or invalid at {0} - {1}`
 * @param params - exactly as many as the template takes
 * @returns the message
 * @throws TypeError when a parameter is missing, extra or not a string, number, bigint or boolean
 * @example
 * ```ts
 * fillTemplate('Arguments missing or invalid at {0} - {1}', ['/request', 'id']);
 * // 'Arguments missing or invalid at /request - id'
 * ```
 */
export function fillTemplate(template: string, params: readonly De4aParam[]): string {
  if (!Array.isArray(params)) {
    throw new TypeError('faultline: de4a template parameters must be an array');
  }
  const expected = paramCount(template);
  if (params.length !== expected) {
    throw new TypeError(
      `faultline: de4a template '${template}' takes ${expected} parameter(s), got ${params.length}`,
    );
  }
  for (let i = 0; i < params.length; i++) {
    const param: unknown = params[i];
    if (
      typeof param !== 'string' &&
      typeof param !== 'bigint' &&
      typeof param !== 'boolean' &&
      !(typeof param === 'number' && Number.isFinite(param))
    ) {
      throw new TypeError(
        `faultline: de4a template parameter {${i}} must be a string, a finite number, a bigint or a boolean`,
      );
    }
  }
  let filled = '';
  let from = 0;
  for (let at = template.indexOf('{'); at !== -1; at = template.indexOf('{', at + 1)) {
    const n = placeholderAt(template, at);
    if (n === -1) continue;
    filled += template.slice(from, at) + String(params[n]);
    from = template.indexOf('}', at) + 1;
    at = from - 1;
  }
  return from === 0 ? template : filled + template.slice(from);
}
