/**
 * Recognising validation errors: Fastify's `validation` (ajv), zod's `ZodError`, ajv's
 * `ValidationError` and an `AggregateError` of client errors, each read into the one shape of
 * validation details. Values from the input are never copied.
 *
 * @module
 */
import type { FaultDetail } from '../../fault.js';
import { isNativeError, safeGet, stringOrUndefined, truncate } from '../../safe.js';
import { toStatus } from '../../status.js';
import { boundedDetails, restDetail } from '../limits.js';
import type { NormalizeLimits } from '../limits.js';
import type { Builtins } from './index.js';

/**
 * Validation errors of zod (`ZodError`: `issues` with `path`, `message`, `code`) and ajv
 * (`Ajv.ValidationError`: `ajv: true`, `errors` with `instancePath`, `message`, `keyword`), read
 * into the one validation shape. Their own messages are long (zod's is JSON), so the message
 * becomes a summary of the problems. Values from the input are never copied.
 */
export function libraryValidation(
  value: object,
  name: string | undefined,
  ajv: unknown,
  builtins: Builtins,
  { details: maxDetails, message: maxMessage }: NormalizeLimits,
): LibraryValidation | undefined {
  try {
    const aggregate =
      builtins.aggregate && name === 'AggregateError'
        ? aggregateValidation(value, maxDetails, maxMessage)
        : undefined;
    if (aggregate !== undefined) return aggregate;
    const zodIssues = builtins.zod && name === 'ZodError' ? safeGet(value, 'issues') : undefined;
    const ajvErrors = builtins.ajv && ajv === true ? safeGet(value, 'errors') : undefined;
    let details: FaultDetail[];
    if (Array.isArray(zodIssues)) details = zodDetails(zodIssues, maxDetails);
    else if (Array.isArray(ajvErrors))
      details = validationDetails(ajvErrors, undefined, maxDetails);
    else return undefined;
    const summary = details
      .map((d) => (d.pointer === '' ? d.message : `${d.pointer.slice(1)}: ${d.message}`))
      .join('; ');
    return {
      validation: details,
      message: truncate(summary === '' ? 'The input is not valid' : summary, maxMessage),
    };
  } catch {
    return undefined; // a Proxy or an array with throwing getters
  }
}

/** Validation problems read from a library's error, and the message that sums them up. */
export interface LibraryValidation {
  readonly validation: readonly FaultDetail[];
  readonly message: string;
}

// An AggregateError whose every member is an Error with a 4xx status is the caller's mistakes,
// one detail each; any other AggregateError is left to the usual answer (its status, or 500).
function aggregateValidation(
  value: object,
  maxDetails: number,
  maxMessage: number,
): LibraryValidation | undefined {
  if (toStatus(value) !== undefined) return undefined;
  const members = safeGet(value, 'errors');
  if (!Array.isArray(members) || members.length === 0) return undefined;
  const details: FaultDetail[] = [];
  const over = members.length > maxDetails;
  for (const member of members.slice(0, over ? maxDetails - 1 : maxDetails)) {
    if (typeof member !== 'object' || member === null || !isNativeError(member)) return undefined;
    const status = toStatus(member);
    if (status === undefined || status >= 500) return undefined;
    const code = safeGet(member, 'code');
    details.push({
      pointer: '',
      message: truncate(stringOrUndefined(safeGet(member, 'message')) ?? 'is invalid', 512),
      ...(typeof code === 'string' ? { keyword: truncate(code, 64) } : {}),
    });
  }
  const message = truncate(details.map((d) => d.message).join('; '), maxMessage);
  if (over) details.push(restDetail(members.length - details.length));
  return { validation: details, message };
}

// zod issues: `path` segments, `message`, `code`.
function zodDetails(issues: readonly unknown[], maxDetails: number): FaultDetail[] {
  return boundedDetails(issues, maxDetails, (item) => {
    if (typeof item !== 'object' || item === null) return undefined;
    const path = safeGet(item, 'path');
    const pointer = Array.isArray(path)
      ? path.map((segment) => `/${escapePointer(String(segment))}`).join('')
      : '';
    const keyword = stringOrUndefined(safeGet(item, 'code'));
    return {
      pointer: truncate(pointer, 512),
      message: truncate(stringOrUndefined(safeGet(item, 'message')) ?? 'is invalid', 512),
      ...(keyword === undefined ? {} : { keyword: truncate(keyword, 64) }),
    };
  });
}

// Fastify's `validation` (ajv errors): keep the pointer, message and keyword, never the
// `params` values, which echo the input.
export function readValidation(
  raw: unknown,
  context: unknown,
  maxDetails: number,
): readonly FaultDetail[] | undefined {
  try {
    return Array.isArray(raw) ? validationDetails(raw, context, maxDetails) : undefined;
  } catch {
    return undefined; // a Proxy or an array with throwing getters
  }
}

export function validationDetails(
  raw: readonly unknown[],
  context: unknown,
  maxDetails: number,
): FaultDetail[] {
  const prefix = typeof context === 'string' && /^[a-z]{1,20}$/.test(context) ? `/${context}` : '';
  return boundedDetails(raw, maxDetails, (item) => {
    if (typeof item !== 'object' || item === null) return undefined;
    const path = stringOrUndefined(safeGet(item, 'instancePath')) ?? '';
    const params = safeGet(item, 'params');
    const missing =
      typeof params === 'object' && params !== null
        ? stringOrUndefined(safeGet(params, 'missingProperty'))
        : undefined;
    const keyword = stringOrUndefined(safeGet(item, 'keyword'));
    return {
      pointer: truncate(
        prefix + path + (missing === undefined ? '' : `/${escapePointer(missing)}`),
        512,
      ),
      message: truncate(stringOrUndefined(safeGet(item, 'message')) ?? 'is invalid', 512),
      ...(keyword === undefined ? {} : { keyword: truncate(keyword, 64) }),
    };
  });
}

export function escapePointer(segment: string): string {
  return segment.replace(/~/g, '~0').replace(/\//g, '~1');
}
