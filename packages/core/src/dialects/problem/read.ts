/**
 * Reading RFC 9457 problem details back, faultline's extension members (`code`, `errors`,
 * `instance` as `urn:uuid:<correlation id>`) included.
 *
 * @module
 */
import type { Catalog } from '../../catalog.js';
import { isErrorStatus } from '../../fault.js';
import type { FaultDetail } from '../../fault.js';
import { isObject } from '../../read/document.js';
import type { FaultDocument } from '../../read/document.js';
import { isString, readFault } from '../../read/fields.js';
import type { FaultReading } from '../../read/types.js';

const UUID_URN = /^urn:uuid:(.+)$/i;

function errorsOf(value: unknown): FaultDetail[] | undefined {
  if (!Array.isArray(value)) return undefined;
  const out: FaultDetail[] = [];
  for (const item of value) {
    if (!isObject(item) || !isString(item.detail)) continue;
    const pointer = isString(item.pointer) ? item.pointer.replace(/^#/, '') : '';
    out.push(
      isString(item.keyword)
        ? { pointer, message: item.detail, keyword: item.keyword }
        : { pointer, message: item.detail },
    );
  }
  return out;
}

/**
 * Reads a problem details object: any JSON object labelled `application/problem+json`, or
 * one with RFC 9457's `title` and `status` members. The code is the `code` extension member,
 * else the status's name (`NotFound`).
 *
 * @param document - the response body, read
 * @param catalog - the problem catalogue
 * @param codeOf - the dialect's code of a status
 * @returns the fault, or `undefined`
 */
export function readProblem(
  document: FaultDocument,
  catalog: Catalog,
  codeOf: (status: number) => string,
): FaultReading | undefined {
  const body = document.json;
  if (!isObject(body)) return undefined;
  const labelled = document.mediaType === 'application/problem+json';
  if (!labelled && !(isString(body.title) && typeof body.status === 'number')) return undefined;
  for (const member of ['type', 'title', 'detail', 'instance'] as const) {
    if (body[member] !== undefined && !isString(body[member])) return undefined;
  }
  const status = isErrorStatus(body.status)
    ? body.status
    : isErrorStatus(document.status)
      ? document.status
      : 500;
  const code = isString(body.code) && body.code !== '' ? body.code : codeOf(status);
  const instance = isString(body.instance) ? UUID_URN.exec(body.instance)?.[1] : undefined;
  const type = isString(body.type) && body.type !== 'about:blank' ? body.type : undefined;
  const title = isString(body.title) ? body.title : undefined;
  const details = errorsOf(body.errors);
  const fault = readFault({ ...document, status }, catalog, {
    code,
    message: isString(body.detail) ? body.detail : (title ?? ''),
    status,
    ...(instance === undefined || instance === '' ? {} : { correlationId: instance }),
    ...(details === undefined ? {} : { details }),
    ...(type === undefined && title === undefined
      ? {}
      : {
          params: {
            ...(title === undefined ? {} : { title }),
            ...(type === undefined ? {} : { type }),
          },
        }),
  });
  const notes = [
    ...(isString(body.instance) && instance === undefined
      ? [`The instance ${body.instance} identifies this occurrence.`]
      : []),
    ...(isErrorStatus(document.status) &&
    isErrorStatus(body.status) &&
    document.status !== body.status
      ? [`The body says status ${body.status}, the response was sent with ${document.status}.`]
      : []),
  ];
  return { format: 'json', fault, notes };
}
