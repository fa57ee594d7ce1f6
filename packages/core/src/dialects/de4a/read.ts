/**
 * Reading DE4A IEM `ResponseErrorType` bodies back (XML, and faultline's JSON rendering) and
 * explaining DE4A codes: layer + module + error type, and 5-character message codes
 * (seed `002`, `wire-formats.md` Part 2 §4).
 *
 * @module
 */
import { child, isObject } from '../../interpret/document.js';
import type { FaultDocument } from '../../interpret/document.js';
import { explainEntry, isString, onlyKeys, readFault } from '../../interpret/shared.js';
import type { CodePart, Explanation, FaultOrigin, FaultReading } from '../../interpret/types.js';
import type { De4aCatalog } from './catalog.js';
import { AUTHORITY_AGENT_TEMPLATES, TEMPLATES, layerStatus, parseCode, templateNumbered } from './codes.js';
import type { De4aCodeInfo } from './codes.js';

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
const OLD_MODULES = ['NONE', 'IDK', 'SMP', 'CONNECTOR_DR', 'CONNECTOR_DT', 'DATA_OWNER', 'DATA_EVALUATOR', 'AS4', 'MOR', 'IAL'] as const;
// The current connector's message codes: module + level letter + family.
const MESSAGE_CODE = /^([A-Z0-9]{2})([IEWD])(\d{2})$/;
const LEVEL_NAMES: Readonly<Record<string, string>> = { I: 'INFO', E: 'ERROR', W: 'WARNING', D: 'DEBUG' };
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

const ORIGIN: FaultOrigin = Object.freeze({ summary: 'a DE4A component (connector, Data Owner or Data Evaluator)' });

function codeValue(text: string): string | number {
  return /^[1-9]\d{0,9}$/.test(text) && Number.isSafeInteger(Number(text)) ? Number(text) : text;
}

function errorsOfXml(root: NonNullable<FaultDocument['xml']>): { code: string; text: string }[] | undefined {
  const ack = child(root, 'Ack', COMMON_NS);
  if (ack === undefined || ack.text.trim() !== 'false') return undefined;
  const errors = root.children.filter((c) => c.local === 'Error' && c.ns === COMMON_NS);
  const out = errors.map((e) => ({ code: child(e, 'Code', COMMON_NS)?.text.trim() ?? '', text: child(e, 'Text', COMMON_NS)?.text ?? '' }));
  return out.length > 0 && out.every((e) => e.code !== '') ? out : undefined;
}

function errorsOfJson(body: unknown): { code: string; text: string }[] | undefined {
  if (!isObject(body) || body.ack !== false || !Array.isArray(body.errors) || !onlyKeys(body, ['ack', 'errors', 'debug'])) return undefined;
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
  const errors = document.format === 'xml' && document.xml !== undefined ? errorsOfXml(document.xml) : errorsOfJson(document.json);
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
  const own = info.module === 'Authority Agent' ? templateNumbered(AUTHORITY_AGENT_TEMPLATES, info.type) : undefined;
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
 * and status), or a 5-character message code such as `DRE05` (component + level + template).
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
        check: [`Template: ${entry.template} (the ${entry.table} table)`],
      }),
    ];
  }
  if (info !== undefined) {
    const status = layerStatus(info.layerId);
    return [{ dialect: 'de4a', code: Number(query), status, origin: ORIGIN, check: [], parts: codeParts(info), notes: ['This code is not in the seed tables: it is read from its digits.', ...notes(query)] }];
  }
  const message = MESSAGE_CODE.exec(query);
  if (message === null) return [];
  const [, component = '', letter = '', family = ''] = message;
  const template = templateNumbered(TEMPLATES, Number(family));
  return [
    {
      dialect: 'de4a',
      code: query,
      name: 'message code',
      origin: ORIGIN,
      check: template === undefined ? [] : [`Template ${Number(family)}: ${template.text}`],
      parts: [
        { name: 'component', value: component, ...(COMPONENTS[component] === undefined ? {} : { meaning: COMPONENTS[component] }) },
        { name: 'level', value: letter, meaning: LEVEL_NAMES[letter] ?? letter },
        { name: 'template', value: family, ...(template === undefined ? {} : { meaning: template.generic }) },
      ],
      notes: ['A 5-character message code of a log line: component + level letter + template number.'],
    },
  ];
}
