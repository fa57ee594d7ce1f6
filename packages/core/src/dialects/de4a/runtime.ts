/**
 * The configured DE4A dialect: its options, the connector's code for each kind of error (and
 * the dependency's Connection error), the Accept rule, and the IEM `ResponseErrorType` as XML
 * or JSON.
 *
 * @module
 */
import { escapeXml } from '../../encode/xml.js';
import { Fault } from '../../fault.js';
import type { RequestInfo } from '../../request.js';
import { optionNames, truncate } from '../../safe.js';
import { reasonPhrase } from '../../status.js';
import { byAccept, debugJsonMember, faultFor } from '../kit.js';
import { jsonString } from '../../encode/json.js';
import { networkFailure } from '../../pipeline/recognise/network.js';
import type { DialectRuntime, Rendered, ResolveContext } from '../contract.js';
import type { Problem, ProblemKind } from '../../pipeline/types.js';
import { MODULES, TEMPLATES, code, fillTemplate, parseCode } from './codes.js';
import type { De4aModule } from './codes.js';
import { sendableText } from './log.js';
import { COMMON_NS } from './read.js';
import { DIALECT, INTERNAL_CODE, catalog, internalEntry } from './catalog.js';
import { JSON_ENCODING, XML_ENCODING } from './schema.js';

/**
 * Options of the `de4a` dialect (`de4a: {...}` in the handler options).
 *
 * @example
 * ```ts
 * const options: De4aOptions = { json: false, dependency: 'Data Owner' };
 * createFaultHandler({ dialect: de4a, de4a: options });
 * ```
 */
export interface De4aOptions {
  /**
   * Answer JSON (`{"ack":false,"errors":[{"code":…,"text":…}]}`) to clients whose Accept
   * header lists `application/json` before any XML type. `false` always answers the IEM XML.
   * The JSON carries what the XML carries and nothing more (no correlation id: the IEM
   * schema has no place for it, and both encodings should tell a client the same).
   * @default true
   */
  readonly json?: boolean;
  /**
   * The module this service calls (a `de4a.MODULES` name or id other than `None`), e.g.
   * `'Data Owner'`. A failed call to it (refused, reset, not found, timed out; the `network`
   * built-in) is then answered as that module's Communications "Connection error" (`10503`),
   * 502 or 504 for a timeout, with a fixed cause that names no host. Unset, such a failure is
   * the connector's unexpected error (`99999`): no module can be guessed from a socket error.
   */
  readonly dependency?: De4aModule | number;
}

/** The names of the options above, for the warning on names the dialect does not read. */
export const OPTION_KEYS = optionNames<De4aOptions>({ json: true, dependency: true });

/** The IEM v2 response namespace (the root element's). */
const RESPONSE_NS = 'http://www.de4a.eu/2020/data/response/v2';
const XML_TYPE = 'application/xml;charset=UTF-8';
const JSON_TYPE = 'application/json;charset=UTF-8';
// The IEM `Code` is a string of 1-10 characters; these are the codes we can send as they are.
const SENDABLE_CODE = /^[A-Za-z0-9]{1,10}$/;
// The connector's code for an unexpected exception (ConnectorExceptionHandler).

const MAX_PATH = 256;

/**
 * The IEM v2 `ResponseErrorType` of one error, on one line and without an XML declaration
 * (optional in XML 1.0 for UTF-8, which the Content-Type states).
 */
function iemXml(codeText: string, text: string): string {
  return (
    `<ResponseMessage xmlns="${RESPONSE_NS}" xmlns:ct="${COMMON_NS}"><ct:Ack>false</ct:Ack>` +
    `<ct:Error><ct:Code>${escapeXml(codeText)}</ct:Code><ct:Text>${escapeXml(text)}</ct:Text></ct:Error>` +
    '</ResponseMessage>'
  );
}

const UNEXPECTED_TEXT = internalEntry?.generic ?? reasonPhrase(500);
const FALLBACK: Rendered = Object.freeze({
  status: 500,
  headers: Object.freeze({ 'content-type': XML_TYPE }),
  body: iemXml(String(INTERNAL_CODE), UNEXPECTED_TEXT),
});

// Which encoding the client asked for first: every Accept range in order, parameters
// dropped, lower case; ranges with q=0 are skipped, other q-values are ignored (as X-Road
// does). `application/json` → JSON; `application/xml`, `text/xml` or any `+xml` → XML; none → XML.
const acceptsJsonFirst = byAccept((accept): boolean => {
  if (accept === undefined) return false;
  for (const range of accept.split(',')) {
    const [type = '', ...parameters] = range.split(';').map((part) => part.trim().toLowerCase());
    if (parameters.some((p) => /^q\s*=\s*0(?:\.0{0,3})?$/.test(p))) continue;
    if (type === 'application/json') return true;
    if (type === 'application/xml' || type === 'text/xml' || type.endsWith('+xml')) return false;
  }
  return false;
});

// The path as the connector's messages quote it: the request target as the client sent it, up
// to `?` (not the routed path of request.ts's requestPath), cut to 256 characters.
function quotedPath(request: RequestInfo): string {
  const url = typeof request.url === 'string' ? request.url : '';
  const query = url.indexOf('?');
  return truncate((query === -1 ? url : url.slice(0, query)) || '/', MAX_PATH);
}

// The code for each kind of non-fault error: DE4A's two documented None-module Communications rows
// for a caller's mistakes, its first Internal failure row for everything else.
const CODE_BY_KIND: Readonly<Record<ProblemKind, number>> = {
  notFound: 10001,
  methodNotAllowed: 10001,
  badRequest: 10007,
  invalidBody: 10007,
  validation: 10007,
  unauthorized: 10007,
  forbidden: 10007,
  payloadTooLarge: 10007,
  unsupportedMediaType: 10007,
  tooManyRequests: 10007,
  clientError: 10007,
  internal: INTERNAL_CODE,
  serverError: INTERNAL_CODE,
};

interface DependencyRow {
  readonly code: number;
  readonly template: string;
  readonly description?: string;
}

// The module's Connection error (type 03 of the Communications layer) for `dependency`, and
// its Error on response (type 04) where the module has one.
function checkDependency(value: unknown):
  | {
      module: string;
      code: number;
      template: string;
      description?: string;
      response?: DependencyRow;
    }
  | undefined {
  if (value === undefined) return undefined;
  const info = typeof value === 'string' || typeof value === 'number' ? safeCode(value) : undefined;
  if (info === undefined || info.moduleId === 0) {
    throw new TypeError(
      `faultline: de4a.dependency must name a module other than None (${Object.keys(MODULES)
        .filter((m) => m !== 'None')
        .join(', ')}, or 1-7), got ${String(value)}`,
    );
  }
  const entry = catalog.get(info.code);
  const onResponse = catalog.get(info.code + 1);
  return {
    module: info.module,
    code: info.code,
    template: entry?.template ?? TEMPLATES[3].text,
    description: entry?.description,
    ...(onResponse?.template === undefined
      ? {}
      : {
          response: {
            code: info.code + 1,
            template: onResponse.template,
            description: onResponse.description,
          },
        }),
  };
}

function safeCode(
  module: string | number,
): { module: De4aModule; moduleId: number; code: number } | undefined {
  try {
    const value = code({ layer: 'Communications', module, type: 3 });
    const info = parseCode(value);
    return info === undefined
      ? undefined
      : { module: info.module, moduleId: info.moduleId, code: value };
  } catch {
    return undefined;
  }
}

// The connector's answer to an exception it did not expect: 99999 with `[ExceptionClass]
// message`, or its fixed text when there is no message (the text sent when it is hidden).
function unexpected(problem: Problem, context: ResolveContext): Fault {
  const name = problem.name === undefined || problem.name === '' ? undefined : problem.name;
  return faultFor(problem, context, {
    dialect: DIALECT,
    code: INTERNAL_CODE,
    status: problem.status >= 500 ? problem.status : 500,
    message:
      problem.message === ''
        ? UNEXPECTED_TEXT
        : name === undefined
          ? problem.message
          : `[${name}] ${problem.message}`,
    description: internalEntry?.description,
  });
}

export function configure(options: De4aOptions = {}): DialectRuntime {
  if (typeof options !== 'object' || options === null) {
    throw new TypeError('faultline: options.de4a must be an object');
  }
  const json = options.json ?? true;
  if (typeof json !== 'boolean') throw new TypeError('faultline: de4a.json must be a boolean');
  const dependency = checkDependency(options.dependency);

  const fromProblem = (problem: Problem, context: ResolveContext): Fault => {
    const answered = dependency?.response;
    if (
      dependency !== undefined &&
      answered !== undefined &&
      problem.upstream?.failure === 'failed'
    ) {
      // The module answered with an error: its "Error on response" row.
      const args = [dependency.module, `the module answered ${problem.upstream.status}`];
      return faultFor(problem, context, {
        dialect: DIALECT,
        code: answered.code,
        status: 502,
        message: fillTemplate(answered.template, args),
        description: answered.description,
        params: Object.freeze({ template: answered.template, args: Object.freeze(args) }),
        expose: true,
      });
    }
    const network =
      dependency === undefined || problem.kind !== 'internal' ? undefined : networkFailure(problem);
    if (dependency !== undefined && network !== undefined) {
      const args = [
        dependency.module,
        network === 'timeout' ? 'the call timed out' : 'the module could not be reached',
      ];
      return faultFor(problem, context, {
        dialect: DIALECT,
        code: dependency.code,
        status: network === 'timeout' ? 504 : 502,
        message: fillTemplate(dependency.template, args),
        description: dependency.description,
        params: Object.freeze({ template: dependency.template, args: Object.freeze(args) }),
        expose: true,
      });
    }
    const chosen = CODE_BY_KIND[problem.kind];
    if (chosen === INTERNAL_CODE) return unexpected(problem, context);
    const path = quotedPath(context.request);
    const cause = problem.message === '' ? reasonPhrase(problem.status) : problem.message;
    let status: number;
    let args: string[];
    let expose = problem.expose;
    if (chosen === 10001) {
      // The message names only the client's own request, so it is always shown.
      status = problem.kind === 'notFound' ? 404 : problem.status;
      args = [problem.kind === 'notFound' ? path : `${context.request.method ?? 'GET'} ${path}`];
      expose = true;
    } else {
      status = problem.status < 500 ? problem.status : 400;
      args = [path, cause];
    }
    const entry = catalog.get(chosen);
    const template = entry?.template ?? '';
    return faultFor(problem, context, {
      dialect: DIALECT,
      code: chosen,
      status,
      message: fillTemplate(template, args),
      description: entry?.description,
      params: Object.freeze({ template, args: Object.freeze(args) }),
      expose,
    });
  };

  return {
    id: DIALECT,
    catalog,
    fromProblem,
    adopt(thrown) {
      // A fault of another dialect, or one built by hand with a code the IEM `Code` cannot
      // carry, is not ours: the handler answers it as the DE4A fault of its status.
      return thrown.dialect === DIALECT && SENDABLE_CODE.test(String(thrown.code))
        ? thrown
        : undefined;
    },
    negotiate(request) {
      return json && acceptsJsonFirst(request) ? JSON_ENCODING : XML_ENCODING;
    },
    render(f, encoding, { message, debug }): Rendered {
      const codeText = String(f.code).slice(0, 10);
      const text = sendableText(f, message);
      if (encoding.id === 'json') {
        return {
          status: f.status,
          headers: { 'content-type': JSON_TYPE },
          body:
            `{"ack":false,"errors":[{"code":${jsonString(codeText)},"text":${jsonString(text)}}]` +
            `${debugJsonMember(debug)}}`,
        };
      }
      return {
        status: f.status,
        headers: { 'content-type': XML_TYPE },
        body: iemXml(codeText, text),
      };
    },
    fallback: FALLBACK,
  };
}
