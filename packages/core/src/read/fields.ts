/**
 * Pieces every dialect's reader and explainer uses: building the fault a body carries,
 * reading a SOAP fault envelope, and explaining a catalogue entry.
 *
 * @module
 */
import type { Catalog, CatalogEntry } from '../catalog.js';
import { buildFault, isErrorStatus } from '../fault.js';
import type { Fault, FaultDetail } from '../fault.js';
import { SOAP11_NS } from '../encode/soap.js';
import { child } from './document.js';
import type { FaultDocument, XmlElement } from './document.js';
import type { CodePart, Explanation, FaultOrigin } from './types.js';

/** The SOAP 1.2 envelope namespace. */
export const SOAP12_NS = 'http://www.w3.org/2003/05/soap-envelope';

/** What a reader found in a body. */
export interface ReadFields {
  readonly code: string | number;
  readonly message: string;
  /** The status the convention gives the code when the response's own is unknown or not an error. */
  readonly status: number;
  readonly correlationId?: string;
  readonly details?: readonly FaultDetail[];
  readonly params?: Readonly<Record<string, unknown>>;
  readonly headers?: Readonly<Record<string, string>>;
}

/**
 * The fault a body carries: the response's status when it is an error status (a SOAP fault
 * sent with 200 keeps the convention's), the catalogue's name and description. No stack.
 *
 * @param document - the document read
 * @param catalog - the dialect's catalogue
 * @param fields - what the body says
 * @returns the fault, exposed (its message was on the wire)
 */
export function readFault(document: FaultDocument, catalog: Catalog, fields: ReadFields): Fault {
  const entry = catalog.get(fields.code);
  return buildFault({
    dialect: catalog.dialect,
    code: fields.code,
    status: isErrorStatus(document.status)
      ? document.status
      : isErrorStatus(fields.status)
        ? fields.status
        : 500,
    message: fields.message,
    name: entry?.name ?? String(fields.code),
    description: entry?.description,
    expose: true,
    correlationId: fields.correlationId,
    details: fields.details,
    params: fields.params,
    headers: fields.headers,
  });
}

/** A SOAP fault, 1.1 or 1.2, as its elements give it. */
export interface SoapFaultParts {
  readonly version: '1.1' | '1.2';
  /** `faultcode` (1.1) or `Code/Value` (1.2), as written, e.g. `SOAP-ENV:Server`. */
  readonly code: string;
  /** 1.2: the `Subcode/Value`s, outermost first. */
  readonly subcodes: readonly string[];
  /** `faultstring` (1.1) or the first `Reason/Text` (1.2). */
  readonly reason: string;
  /** `faultactor` (1.1) or `Role` (1.2). */
  readonly actor?: string;
  /** `detail` (1.1) or `Detail` (1.2). */
  readonly detail?: XmlElement;
}

/**
 * The fault of a SOAP 1.1 or 1.2 envelope whose body is a single `Fault`; `undefined` for
 * anything else.
 *
 * @param root - the document's root element
 * @returns the fault's parts
 */
export function soapFault(root: XmlElement): SoapFaultParts | undefined {
  if (root.local !== 'Envelope' || (root.ns !== SOAP11_NS && root.ns !== SOAP12_NS))
    return undefined;
  const ns = root.ns;
  const fault = child(root, 'Body', ns)?.children.find((c) => c.local === 'Fault' && c.ns === ns);
  if (fault === undefined) return undefined;
  if (ns === SOAP11_NS) {
    // The 1.1 fault's own children are unqualified.
    const code = child(fault, 'faultcode', '')?.text.trim();
    if (code === undefined || code === '') return undefined;
    return {
      version: '1.1',
      code,
      subcodes: [],
      reason: child(fault, 'faultstring', '')?.text ?? '',
      actor: child(fault, 'faultactor', '')?.text,
      detail: child(fault, 'detail', ''),
    };
  }
  const codeElement = child(fault, 'Code', ns);
  const code = codeElement === undefined ? undefined : child(codeElement, 'Value', ns)?.text.trim();
  if (codeElement === undefined || code === undefined || code === '') return undefined;
  const subcodes: string[] = [];
  for (
    let sub = child(codeElement, 'Subcode', ns);
    sub !== undefined && subcodes.length < 16;
    sub = child(sub, 'Subcode', ns)
  ) {
    subcodes.push(child(sub, 'Value', ns)?.text.trim() ?? '');
  }
  const reason = child(fault, 'Reason', ns);
  return {
    version: '1.2',
    code,
    subcodes,
    reason: (reason === undefined ? undefined : child(reason, 'Text', ns)?.text) ?? '',
    actor: child(fault, 'Role', ns)?.text,
    detail: child(fault, 'Detail', ns),
  };
}

/** Whether a value is a string. */
export function isString(value: unknown): value is string {
  return typeof value === 'string';
}

/** Whether an object has no members other than `allowed`. */
export function onlyKeys(value: Record<string, unknown>, allowed: readonly string[]): boolean {
  return Object.keys(value).every((key) => allowed.includes(key));
}

/** What an explanation of a catalogue entry adds to its entry. */
export interface ExplainExtra {
  readonly origin?: FaultOrigin;
  readonly parts?: readonly CodePart[];
  readonly candidates?: readonly (readonly CodePart[])[];
  readonly notes?: readonly string[];
  readonly appliesTo?: readonly string[];
  readonly check?: readonly string[];
}

/**
 * The explanation of a catalogue entry: status, name, message, meaning, and one item to
 * check per documented message.
 *
 * @param dialect - the dialect
 * @param entry - the entry
 * @param extra - origin, arithmetic and notes
 * @returns the explanation
 */
export function explainEntry(
  dialect: string,
  entry: CatalogEntry,
  extra: ExplainExtra = {},
): Explanation {
  const check = [
    ...(entry.examples ?? []).map((e) =>
      e.description === undefined ? `"${e.message}"` : `"${e.message}": ${e.description}`,
    ),
    ...(extra.check ?? []),
  ];
  return {
    dialect,
    code: entry.code,
    status: entry.status,
    name: entry.name,
    message: entry.message,
    ...(entry.description === undefined ? {} : { meaning: entry.description }),
    ...(extra.origin === undefined ? {} : { origin: extra.origin }),
    check,
    ...(entry.examples === undefined ? {} : { examples: entry.examples }),
    ...(extra.appliesTo === undefined ? {} : { appliesTo: extra.appliesTo }),
    ...(extra.parts === undefined ? {} : { parts: extra.parts }),
    ...(extra.candidates === undefined ? {} : { candidates: extra.candidates }),
    ...(extra.notes === undefined || extra.notes.length === 0 ? {} : { notes: extra.notes }),
    entry,
  };
}

/**
 * Every entry of a catalogue whose code or name is `query` (names compared without case),
 * explained. The explanation any catalogue gets, a team's own included.
 *
 * @param catalog - the catalogue
 * @param query - a code or a name
 * @param extra - what to add to each entry's explanation
 * @returns the explanations, in catalogue order
 */
export function explainCatalog(
  catalog: Catalog,
  query: string,
  extra: (entry: CatalogEntry) => ExplainExtra = () => ({}),
): Explanation[] {
  const lower = query.toLowerCase();
  return catalog.entries
    .filter((entry) => String(entry.code) === query || entry.name.toLowerCase() === lower)
    .map((entry) => explainEntry(catalog.dialect, entry, extra(entry)));
}
