/**
 * Reading DE4A IEM `ResponseErrorType` bodies back (XML, and faultline's JSON rendering) and
 * explaining DE4A codes: layer + module + error type, the connector's 99999, 5-character
 * message codes numbered per log message (`DRE05`, `DOE02`, `DTI07`) and the documented 4-digit
 * log codes (DE4A's "Logs and error messages"; de4a-eu/de4a iteration 2, de4a-eu/de4a-commons
 * `ELogMessage`).
 *
 * @module
 */
import { child, isObject } from '../../read/document.js';
import type { FaultDocument } from '../../read/document.js';
import { explainEntry, isString, onlyKeys, readFault } from '../../read/fields.js';
import type { CodePart, Explanation, FaultOrigin, FaultReading } from '../../read/types.js';
import type { De4aCatalog } from './catalog.js';
import {
  AUTHORITY_AGENT_TEMPLATES,
  TEMPLATES,
  layerStatus,
  parseCode,
  templateNumbered,
} from './codes.js';
import type { De4aCodeInfo } from './codes.js';
import {
  FAMILIES,
  faultLogMessage,
  familyOfNumber,
  familyOfType,
  logMessages,
} from './messages.js';
import type { De4aLogMessage } from './messages.js';

/** The IEM v2 common types namespace (`Ack`, `Error`, `Code`, `Text`). */
export const COMMON_NS = 'http://www.de4a.eu/2020/commons/type/v2';

// The old connector's numbering (before May 2022): the layer's ordinal, then the module, then
// the old family numbers.
const OLD_LAYERS = ['Communications', 'Internal failure', 'Configuration'] as const;
const OLD_FAMILIES = [
  'SERVICE_NOT_FOUND',
  'MISSING_REQUIRED_ARGUMENTS',
  'CONNECTION_ERROR',
  'ERROR_RESPONSE',
  'CONVERSION_ERROR',
  'SAVING_DATA_ERROR',
  'SCHEMA_VALIDATION_FAILED',
  'AS4_ERROR_COMMUNICATION',
] as const;
const OLD_MODULES = [
  'NONE',
  'IDK',
  'SMP',
  'CONNECTOR_DR',
  'CONNECTOR_DT',
  'DATA_OWNER',
  'DATA_EVALUATOR',
  'AS4',
  'MOR',
  'IAL',
] as const;
// The current connector's message codes: module + level letter + family.
const MESSAGE_CODE = /^([A-Z0-9]{2})([IEWD])(\d{2})$/;
const LEVEL_NAMES: Readonly<Record<string, string>> = {
  I: 'INFO',
  E: 'ERROR',
  W: 'WARNING',
  D: 'DEBUG',
};
const COMPONENTS: Readonly<Record<string, string>> = {
  '01': 'IDK',
  '02': 'SMP',
  DR: 'Connector DR',
  DT: 'Connector DT',
  DO: 'Data Owner',
  DE: 'Data Evaluator',
  AS: 'AS4 gateway',
  '08': 'MOR',
  '09': 'IAL',
  '00': 'None',
};

const ORIGIN: FaultOrigin = Object.freeze({
  summary: 'a DE4A component (connector, Data Owner or Data Evaluator)',
});

function codeValue(text: string): string | number {
  return /^[1-9]\d{0,9}$/.test(text) && Number.isSafeInteger(Number(text)) ? Number(text) : text;
}

function errorsOfXml(
  root: NonNullable<FaultDocument['xml']>,
): { code: string; text: string }[] | undefined {
  const ack = child(root, 'Ack', COMMON_NS);
  if (ack === undefined || ack.text.trim() !== 'false') return undefined;
  const errors = root.children.filter((c) => c.local === 'Error' && c.ns === COMMON_NS);
  const out = errors.map((e) => ({
    code: child(e, 'Code', COMMON_NS)?.text.trim() ?? '',
    text: child(e, 'Text', COMMON_NS)?.text ?? '',
  }));
  return out.length > 0 && out.every((e) => e.code !== '') ? out : undefined;
}

function errorsOfJson(body: unknown): { code: string; text: string }[] | undefined {
  if (
    !isObject(body) ||
    body.ack !== false ||
    !Array.isArray(body.errors) ||
    !onlyKeys(body, ['ack', 'errors', 'debug'])
  )
    return undefined;
  const out: { code: string; text: string }[] = [];
  for (const item of body.errors) {
    if (!isObject(item) || !isString(item.code) || !isString(item.text)) return undefined;
    out.push({ code: item.code, text: item.text });
  }
  return out.length > 0 ? out : undefined;
}

/**
 * Reads a DE4A error response: an IEM message whose `ct:Ack` is `false` with one or more
 * `ct:Error` (`ct:Code`, `ct:Text`), or `{"ack":false,"errors":[{"code","text"}]}`.
 *
 * @param document - the response body, read
 * @param catalog - the DE4A catalogue
 * @returns the first error as the fault (the others in `notes`), or `undefined`
 */
export function readDe4a(document: FaultDocument, catalog: De4aCatalog): FaultReading | undefined {
  const errors =
    document.format === 'xml' && document.xml !== undefined
      ? errorsOfXml(document.xml)
      : errorsOfJson(document.json);
  const first = errors?.[0];
  if (errors === undefined || first === undefined) return undefined;
  const code = codeValue(first.code);
  const info = parseCode(code);
  const fault = readFault(document, catalog, {
    code,
    message: first.text,
    status: catalog.get(code)?.status ?? (info === undefined ? 500 : layerStatus(info.layerId)),
  });
  const notes = errors.slice(1).map((e) => `Also reported: ${e.code} ${e.text}`);
  return { format: document.format, fault, origin: ORIGIN, notes };
}

function codeParts(info: De4aCodeInfo): CodePart[] {
  return [
    { name: 'layer', value: info.layerId, meaning: info.layer },
    { name: 'module', value: String(info.moduleId).padStart(2, '0'), meaning: info.module },
    { name: 'type', value: String(info.type).padStart(2, '0'), ...(templateMeaning(info) ?? {}) },
  ];
}

function templateMeaning(info: De4aCodeInfo): { meaning: string } | undefined {
  const own =
    info.module === 'Authority Agent'
      ? templateNumbered(AUTHORITY_AGENT_TEMPLATES, info.type)
      : undefined;
  const template = own ?? templateNumbered(TEMPLATES, info.type);
  return template === undefined ? undefined : { meaning: template.generic };
}

// How the pre-2022 connector would have meant the same digits, when they fit its tables.
function oldScheme(text: string): string | undefined {
  if (!/^\d{5}$/.test(text)) return undefined;
  const layer = OLD_LAYERS[Number(text[0])];
  const module = OLD_MODULES[Number(text.slice(1, 3))];
  const family = OLD_FAMILIES[Number(text.slice(3, 5)) - 1];
  if (layer === undefined || module === undefined || family === undefined) return undefined;
  return `Connectors before May 2022 built codes from the layer's ordinal: there ${text} means ${layer} + ${module} + ${family}.`;
}

/**
 * Explains a DE4A code: a 5-digit code (layer + module + type, with the catalogue's template
 * and status), the connector's 99999, a 5-character message code such as `DRE05` (component +
 * level letter + the number of its log message) or a 4-digit log code of DE4A's documented tables.
 *
 * @param query - e.g. `10102`, `DRE05`
 * @param catalog - the DE4A catalogue
 * @returns the explanations
 */
export function explainDe4a(query: string, catalog: De4aCatalog): Explanation[] {
  const notes = (text: string) => {
    const old = oldScheme(text);
    return old === undefined ? [] : [old];
  };
  const entry = catalog.get(query);
  const info = parseCode(query);
  if (entry !== undefined) {
    const parsed = parseCode(entry.code);
    return [
      explainEntry('de4a', entry, {
        origin: ORIGIN,
        ...(parsed === undefined ? {} : { parts: codeParts(parsed) }),
        check: [
          `Template: ${entry.template} (the ${entry.table} table)`,
          ...logCodeCheck(entry.code, entry.type),
        ],
      }),
    ];
  }
  if (info !== undefined) {
    const status = layerStatus(info.layerId);
    return [
      {
        dialect: 'de4a',
        code: Number(query),
        status,
        origin: ORIGIN,
        check: [],
        parts: codeParts(info),
        notes: [
          'This code is not in the DE4A tables: it is read from its digits.',
          ...notes(query),
        ],
      },
    ];
  }
  if (/^\d{4}$/.test(query))
    return logMessages(query).map((m) =>
      explainLogMessage(m, [
        `A 4-digit log code of DE4A's documented ${m.table} table: log type ${query.slice(0, 2)} (${m.type ?? '?'}), message ${query.slice(2)}.`,
      ]),
    );
  const message = MESSAGE_CODE.exec(query);
  if (message === null) return [];
  const [, component = '', letter = '', digits = ''] = message;
  const parts: CodePart[] = [
    {
      name: 'component',
      value: component,
      ...(COMPONENTS[component] === undefined ? {} : { meaning: COMPONENTS[component] }),
    },
    { name: 'level', value: letter, meaning: LEVEL_NAMES[letter] ?? letter },
  ];
  const found = logMessages(query).map((m) =>
    explainLogMessage(
      m,
      [
        'A 5-character message code: component + level letter + the number de4a-commons ELogMessage gives this log message.',
      ],
      parts,
    ),
  );
  // An error's code: the connector's error family (an error it logs or answers with), or a
  // WARN line faultline writes for a caller's mistake with the same number.
  const family = letter === 'E' || letter === 'W' ? familyOfNumber(Number(digits)) : undefined;
  if (family !== undefined) {
    const template = templateNumbered(TEMPLATES, FAMILIES[family].type);
    found.push({
      dialect: 'de4a',
      code: query,
      name: family,
      origin: ORIGIN,
      check:
        template === undefined
          ? []
          : [
              `Template ${String(FAMILIES[family].type).padStart(2, '0')} of DE4A's documentation: ${template.text}`,
            ],
      parts: [
        ...parts,
        { name: 'number', value: digits, meaning: `${family} (${template?.generic ?? family})` },
      ],
      notes: [
        "A 5-character message code: component + level letter + the number of the connector's error family (EFamilyErrorType, iteration 2).",
      ],
    });
  }
  return found;
}

function explainLogMessage(
  m: De4aLogMessage,
  notes: readonly string[],
  parts?: readonly CodePart[],
): Explanation {
  return {
    dialect: 'de4a',
    code: m.code,
    name: m.name ?? `${m.table} log message`,
    origin: ORIGIN,
    check: [
      ...(m.template === undefined
        ? [`No text: the connector's message bundle has no ${m.key ?? 'key'} entry.`]
        : [`Text: ${m.template}`]),
      ...m.params.map((p, i) => `{${i}}: ${p}`),
      ...(m.faultCode === undefined ? [] : [`The same event as error code ${m.faultCode}.`]),
    ],
    ...(parts === undefined
      ? {}
      : {
          parts: [
            ...parts,
            { name: 'number', value: m.code.slice(3), meaning: m.template ?? m.name ?? m.code },
          ],
        }),
    notes: [...notes, `Logged at ${m.level}${m.key === undefined ? '' : `; bundle key ${m.key}`}.`],
  };
}

// The message code a code's log lines carry, for explaining a 5-digit code.
function logCodeCheck(code: number, type: number): string[] {
  const business = faultLogMessage(code);
  if (business !== undefined)
    return [
      `Its log lines carry the message code ${business.code} (${business.name ?? business.table}).`,
    ];
  const family = familyOfType(type);
  if (family === undefined) return [];
  const number = String(FAMILIES[family].number).padStart(2, '0');
  return [
    `Its log lines carry the message code <component><level letter>${number}, e.g. DRE${number} (${family}).`,
  ];
}
