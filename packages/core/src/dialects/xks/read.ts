/**
 * Reading XKS proxy errors back (`{"errorName": …, "errorMessage": …}`) and explaining their
 * names (the XKS proxy API specification v1.0.x, "Error codes").
 *
 * @module
 */
import type { Catalog } from '../../catalog.js';
import { isObject } from '../../read/document.js';
import type { FaultDocument } from '../../read/document.js';
import { explainCatalog, isString, onlyKeys, readFault } from '../../read/fields.js';
import type { Explanation, FaultOrigin, FaultReading } from '../../read/types.js';
import type { XksCatalogEntry } from './catalog.js';

const ORIGIN: FaultOrigin = Object.freeze({
  summary: 'the XKS proxy in front of the external key manager, answering AWS KMS',
  log: "the XKS proxy's own log; KMS reports the error to its caller as a KMS exception",
});

/**
 * Reads an XKS error body: exactly `errorName` (a name of the specification's table, or another
 * `…Exception`) and an optional `errorMessage`.
 *
 * @param document - the response body, read
 * @param catalog - the XKS catalogue
 * @returns the fault, or `undefined`
 */
export function readXks(document: FaultDocument, catalog: Catalog): FaultReading | undefined {
  const body = document.json;
  if (
    !isObject(body) ||
    !isString(body.errorName) ||
    !onlyKeys(body, ['errorName', 'errorMessage'])
  )
    return undefined;
  if (body.errorMessage !== undefined && !isString(body.errorMessage)) return undefined;
  const entry = catalog.get(body.errorName);
  if (entry === undefined && !/^[A-Z][A-Za-z]{0,120}Exception$/.test(body.errorName))
    return undefined;
  const fault = readFault(document, catalog, {
    code: body.errorName,
    message: body.errorMessage ?? entry?.message ?? '',
    status: entry?.status ?? 500,
  });
  const notes =
    entry === undefined
      ? [
          'This errorName is not in the XKS proxy specification: KMS treats it as an internal error.',
        ]
      : [];
  return { format: 'json', fault, origin: ORIGIN, notes };
}

/**
 * Explains an XKS error name (any case): status, scenario and the APIs it applies to.
 *
 * @param query - e.g. `KeyNotFoundException`
 * @param catalog - the XKS catalogue
 * @returns the explanations
 */
export function explainXks(query: string, catalog: Catalog): Explanation[] {
  return explainCatalog(catalog, query, (entry) => {
    const appliesTo = (entry as XksCatalogEntry).appliesTo;
    return {
      origin: ORIGIN,
      appliesTo,
      check: [
        `Sent for ${appliesTo.join(', ')}; KMS maps it to the exception it reports to its caller.`,
      ],
    };
  });
}
