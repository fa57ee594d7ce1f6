/**
 * Reading ESB / API gateway faults back (the sequences' JSON and `am:`/`ams:`/`amt:` XML,
 * and the converted `{"fault":{…}}` form of the documentation's custom sequence) and explaining
 * gateway and transport codes (WSO2 API Manager's "Error Handling").
 *
 * @module
 */
import { isObject } from '../../read/document.js';
import type { FaultDocument, XmlElement } from '../../read/document.js';
import { explainCatalog, isString, onlyKeys, readFault } from '../../read/fields.js';
import type { CodePart, Explanation, FaultOrigin, FaultReading } from '../../read/types.js';
import type { EsbCatalogEntry } from './catalog.js';
import { catalog, entryOf } from './catalog.js';
import { AM, AMS, AMT, parseNextAccessUtc } from './sequences/builtin.js';
import { errorMessage } from './passthrough.js';
import { BASE_DETAILS, decodeTransportCode, isConnectPhase } from './codes.js';
import type { TransportCandidate } from './codes.js';

const NAMESPACES: ReadonlySet<string> = new Set([AM, AMS, AMT]);
const ORIGIN: FaultOrigin = Object.freeze({
  summary: 'the API gateway (ESB), in one of its fault sequences',
  log: "the gateway's wso2carbon.log, at the time of the request",
});

type Members = Record<string, unknown>;

// The members of `<am:fault>`: each child's text, by local name.
function xmlMembers(root: XmlElement): Members | undefined {
  if (root.local !== 'fault' || !NAMESPACES.has(root.ns)) return undefined;
  const members: Members = {};
  for (const c of root.children) members[c.local] = c.text;
  return members;
}

function jsonMembers(body: unknown): Members | undefined {
  if (!isObject(body)) return undefined;
  // The documentation's custom sequence (`convert.xml`): the XML fault converted to JSON, under
  // `fault`.
  const inner = Object.keys(body).length === 1 && isObject(body.fault) ? body.fault : body;
  return inner;
}

/**
 * Reads a gateway fault: `code` (a number, or digits as a string) with `message` and
 * `description` (auth, throttling, threat), the "Status report" form (`message` "Runtime
 * Error", the error's message in `description`), or the blocked-API form.
 *
 * @param document - the response body, read
 * @returns the fault, or `undefined`
 */
export function readEsb(document: FaultDocument): FaultReading | undefined {
  const members =
    document.format === 'xml' && document.xml !== undefined
      ? xmlMembers(document.xml)
      : jsonMembers(document.json);
  if (
    members === undefined ||
    !onlyKeys(members, ['code', 'type', 'message', 'description', 'nextAccessTime'])
  )
    return undefined;
  const { code: rawCode, type, message, description } = members;
  const codeText = typeof rawCode === 'number' ? String(rawCode) : rawCode;
  if (!isString(codeText) || !/^\d{1,9}$/.test(codeText) || !isString(description))
    return undefined;
  if ((type !== undefined && !isString(type)) || (message !== undefined && !isString(message)))
    return undefined;
  const code = Number(codeText);
  const entry = entryOf(code);
  let text: string;
  let detail: string | undefined;
  if (type === 'Status report' && message === 'Runtime Error') text = description;
  else if (type === 'Status report' && code === 404 && message !== undefined)
    text = message; // the `main` sequence
  else if (type === 'API blocked' && message === undefined) text = type;
  else if (message !== undefined && type === undefined) {
    text = message;
    detail = description;
  } else return undefined;
  const next = isString(members.nextAccessTime)
    ? parseNextAccessUtc(members.nextAccessTime)
    : undefined;
  const params = {
    ...(detail === undefined ? {} : { detail }),
    ...(next === undefined ? {} : { nextAccessTime: next }),
  };
  const fault = readFault(document, catalog, {
    code,
    message: text,
    status: entry?.status ?? 500,
    ...(Object.keys(params).length === 0 ? {} : { params }),
  });
  const notes = [
    ...(detail === undefined || detail === text ? [] : [`Description: ${detail}`]),
    ...(next === undefined
      ? []
      : [`The client may call again after ${new Date(next).toISOString()}.`]),
    ...(document.headers['retry-after'] === undefined
      ? []
      : [`Retry-After: ${document.headers['retry-after']}`]),
  ];
  return { format: document.format, fault, origin: ORIGIN, notes };
}

function candidateParts(candidate: TransportCandidate): CodePart[] {
  return [
    {
      name: 'base',
      value: candidate.baseCode,
      meaning: `${candidate.base}: ${BASE_DETAILS[candidate.base]}`,
    },
    { name: 'state', value: candidate.stateOrdinal, meaning: candidate.state },
  ];
}

/**
 * Explains a gateway code (the documentation's tables, by code or name) or a transport code:
 * every (base, protocol state) pair PassThrough sends that adds up to it, as the same number
 * can be several, with the documentation's text of each base and the message the gateway sends.
 *
 * @param query - e.g. `900901`, `API_AUTH_INVALID_CREDENTIALS`, `101507`
 * @returns the explanations
 */
export function explainEsb(query: string): Explanation[] {
  const code = /^\d{1,9}$/.test(query) ? Number(query) : undefined;
  const candidates =
    code === undefined || code < 101000 || code > 102999 ? [] : decodeTransportCode(code);
  const transport =
    candidates.length === 0
      ? {}
      : {
          candidates: candidates.map(candidateParts),
          notes: [
            candidates.length === 1
              ? `Transport code: ${candidates[0]?.base} (${candidates[0]?.baseCode}) + ${candidates[0]?.state} (${candidates[0]?.stateOrdinal}).`
              : `Transport code: ${candidates.length} (base, state) pairs add up to ${code}; the gateway log's BASE_ERROR_CODE and PROTOCOL_STATE_ON_FAILURE tell which.`,
            ...(candidates.some((c) => isConnectPhase(c.baseCode))
              ? [
                  'Connect-phase bases (101503, 101507, 101508) are always sent with REQUEST_READY (0).',
                ]
              : []),
            `The gateway's description (Synapse's ERROR_MESSAGE): ${candidates.map((c) => `${c.base} + ${c.state}: "${errorMessage(c.base, c.state)}"`).join('; ')}.`,
          ],
        };
  const extra = (entry: EsbCatalogEntry) => ({
    origin: ORIGIN,
    check: [
      ...(entry.example === undefined ? [] : [`Typical cause: ${entry.example}`]),
      ...(entry.sequence === undefined ? [] : [`Answered by the ${entry.sequence} sequence.`]),
    ],
    ...(entry.code === code ? transport : {}),
  });
  const found = explainCatalog(catalog, query, (e) => extra(e as EsbCatalogEntry));
  if (found.length > 0) return found;
  if (candidates.length === 0 || code === undefined) return [];
  return [
    {
      dialect: 'esb',
      code,
      status: 500,
      name: 'transport error',
      origin: ORIGIN,
      check: [],
      ...transport,
    },
  ];
}
