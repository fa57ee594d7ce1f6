/**
 * Reading AST Certificate Authority errors back (`{"code":51010,"name":…,"message":…}`) and
 * explaining their codes: subsystem + error code (KOBIL's "AST Certificate Authority Error
 * Codes (SubSystem 510)").
 *
 * @module
 */
import type { Catalog } from '../../catalog.js';
import type { FaultDetail } from '../../fault.js';
import { isObject } from '../../read/document.js';
import type { FaultDocument } from '../../read/document.js';
import { explainCatalog, isString, onlyKeys, readFault } from '../../read/fields.js';
import type { CodePart, Explanation, FaultOrigin, FaultReading } from '../../read/types.js';
import { decode } from './codes.js';
import type { AstCodeParts } from './codes.js';

const ORIGIN: FaultOrigin = Object.freeze({
  summary: 'the AST Certificate Authority (subsystem 510)',
});

function details(value: unknown): readonly FaultDetail[] | undefined | false {
  if (value === undefined) return undefined;
  if (!Array.isArray(value)) return false;
  const out: FaultDetail[] = [];
  for (const item of value) {
    if (!isObject(item) || !isString(item.pointer) || !isString(item.message)) return false;
    out.push(
      isString(item.keyword)
        ? { pointer: item.pointer, message: item.message, keyword: item.keyword }
        : { pointer: item.pointer, message: item.message },
    );
  }
  return out;
}

/** The subsystem and error parts of a full code. */
export function astParts(parts: AstCodeParts): CodePart[] {
  return [
    {
      name: 'subsystem',
      value: parts.subsystem,
      ...(parts.subsystem === 510 ? { meaning: 'AST Certificate Authority' } : {}),
    },
    { name: 'error', value: parts.error },
  ];
}

/**
 * Reads an AST error body: `code` a JSON number of subsystem 510 (or the catalogue's),
 * `name`, `message`, and optionally `correlationId` and `details`.
 *
 * @param document - the response body, read
 * @param catalog - the AST catalogue
 * @returns the fault, or `undefined`
 */
export function readAst(document: FaultDocument, catalog: Catalog): FaultReading | undefined {
  const body = document.json;
  if (
    !isObject(body) ||
    typeof body.code !== 'number' ||
    !isString(body.name) ||
    !isString(body.message)
  )
    return undefined;
  if (!onlyKeys(body, ['code', 'name', 'message', 'correlationId', 'details', 'debug']))
    return undefined;
  if (body.correlationId !== undefined && !isString(body.correlationId)) return undefined;
  const list = details(body.details);
  if (list === false) return undefined;
  const entry = catalog.get(body.code);
  if (entry === undefined && decode(body.code) === undefined) return undefined;
  const fault = readFault(document, catalog, {
    code: body.code,
    message: body.message,
    status: entry?.status ?? 500,
    ...(body.correlationId === undefined || body.correlationId === ''
      ? {}
      : { correlationId: body.correlationId }),
    ...(list === undefined ? {} : { details: list }),
  });
  const notes =
    entry !== undefined && entry.name !== body.name
      ? [`The body names the code ${body.name}; the catalogue calls ${body.code} ${entry.name}.`]
      : [];
  return { format: 'json', fault, origin: ORIGIN, notes };
}

/**
 * Explains an AST code or name: the catalogue entry and the code split into subsystem and
 * error code; a code of subsystem 510 the catalogue lacks is still split.
 *
 * @param query - e.g. `5104001`, `InvalidCsrSignature`
 * @param catalog - the AST catalogue
 * @returns the explanations
 */
export function explainAst(query: string, catalog: Catalog): Explanation[] {
  const found = explainCatalog(catalog, query, (entry) => {
    const parts = decode(Number(entry.code));
    return { origin: ORIGIN, ...(parts === undefined ? {} : { parts: astParts(parts) }) };
  });
  if (found.length > 0) return found;
  const parts = /^\d{4,15}$/.test(query) ? decode(Number(query)) : undefined;
  if (parts === undefined) return [];
  return [
    {
      dialect: 'ast',
      code: Number(query),
      origin: ORIGIN,
      check: [],
      parts: astParts(parts),
      notes: [
        'This code is not in the AST catalogue: its subsystem prefix is 510, the rest is the error code.',
      ],
    },
  ];
}
