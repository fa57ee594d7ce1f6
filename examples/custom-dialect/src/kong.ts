/**
 * Kong Gateway's error convention as a faultline dialect, defined with `defineDialect`: the
 * bodies `kong.response.error(status, message)` sends (Kong 3.x, Kong/kong
 * `kong/pdk/response.lua` and the templates of `kong/tools/http.lua`): `{"message","request_id"}`
 * as pretty-printed JSON by default, or XML, HTML or plain text by the request's Accept header,
 * chosen as Kong's `get_response_type` chooses (the highest q wins, the first among equals;
 * `type/*` by its type, anything unknown JSON).
 *
 * Where this dialect differs from the gateway, for safety: Kong formats the message into its
 * templates unescaped, so a `"` or a `<` in a message breaks the body; here JSON, XML and HTML
 * escape it, and plain text turns line breaks into spaces so that no message can forge a
 * `request_id:` line.
 *
 * @module
 */
import { defineDialect, escapeXml, makeCatalog } from '@faultline/core';
import type {
  Encoding,
  FaultDocument,
  FaultReading,
  ProblemKind,
  RequestInfo,
} from '@faultline/core';

const ID = 'kong';

/**
 * The messages Kong itself sends: its router, its key-auth and rate-limiting plugins, and the
 * PDK's text for each status (`get_http_error_message`).
 */
export const catalog = makeCatalog(ID, [
  { code: 'BadRequest', status: 400, name: 'BadRequest', message: 'Bad request' },
  {
    code: 'NoApiKey',
    status: 401,
    name: 'NoApiKey',
    message: 'No API key found in request',
    description: 'key-auth: the request carries no API key.',
  },
  {
    code: 'InvalidCredentials',
    status: 401,
    name: 'InvalidCredentials',
    message: 'Invalid authentication credentials',
    description: 'key-auth: no consumer has this API key.',
  },
  { code: 'Forbidden', status: 403, name: 'Forbidden', message: 'Forbidden' },
  {
    code: 'NoRouteMatched',
    status: 404,
    name: 'NoRouteMatched',
    message: 'no Route matched with those values',
    description: "Kong's router found no route for the request.",
  },
  { code: 'NotFound', status: 404, name: 'NotFound', message: 'Not found' },
  {
    code: 'MethodNotAllowed',
    status: 405,
    name: 'MethodNotAllowed',
    message: 'Method not allowed',
  },
  { code: 'PayloadTooLarge', status: 413, name: 'PayloadTooLarge', message: 'Payload too large' },
  {
    code: 'UnsupportedMediaType',
    status: 415,
    name: 'UnsupportedMediaType',
    message: 'Unsupported media type',
  },
  {
    code: 'RateLimited',
    status: 429,
    name: 'RateLimited',
    message: 'API rate limit exceeded',
    description: 'rate-limiting: the consumer used up its quota.',
  },
  {
    code: 'UnexpectedError',
    status: 500,
    name: 'UnexpectedError',
    message: 'An unexpected error occurred',
  },
  {
    code: 'BadGateway',
    status: 502,
    name: 'BadGateway',
    message: 'An invalid response was received from the upstream server',
  },
  {
    code: 'ServiceUnavailable',
    status: 503,
    name: 'ServiceUnavailable',
    message: 'The upstream server is currently unavailable',
  },
  {
    code: 'GatewayTimeout',
    status: 504,
    name: 'GatewayTimeout',
    message: 'The upstream server is timing out',
  },
]);

// Kong's MIME_TYPES: what each type (or `type/*`) of an Accept value answers in.
const JSON_ENCODING: Encoding = { id: 'json', mediaType: 'application/json; charset=utf-8' };
const BY_TYPE: Readonly<Record<string, Encoding>> = {
  'application/json': JSON_ENCODING,
  'text/html': { id: 'html', mediaType: 'text/html; charset=utf-8' },
  'text/plain': { id: 'plain', mediaType: 'text/plain; charset=utf-8' },
  'application/xml': { id: 'xml', mediaType: 'application/xml; charset=utf-8' },
  'application/*': JSON_ENCODING,
  'text/*': { id: 'plain', mediaType: 'text/plain; charset=utf-8' },
  '*/*': JSON_ENCODING,
};

// One Accept value: a media range, then parameters, `q` among them (Kong's pattern, case-insensitive).
const RANGE = /^((?:[a-z0-9][a-z0-9\-!#$&^_+.]+|\*)\/(?:[a-z0-9][a-z0-9\-!#$&^_+.]+|\*))/i;
const PARAMETER =
  /\s*;\s*(?:q=(1(?:\.0{0,3})?|0(?:\.\d{0,3})?)|[a-z0-9][a-z0-9\-!#$&^_+.]+(?:=[^;]*)?)/iy;

/**
 * Kong's `get_response_type`: every Accept value in order; the one with the highest q (1 when
 * absent) decides, the first among equals; an unknown type answers JSON, as does no Accept.
 */
export function negotiate(request: RequestInfo): Encoding {
  const raw = request.headers?.accept;
  const accept = Array.isArray(raw) ? raw.join(',') : typeof raw === 'string' ? raw : undefined;
  let chosen = JSON_ENCODING;
  let best = 0;
  for (const value of accept?.split(',') ?? []) {
    const text = value.trim();
    const range = RANGE.exec(text);
    if (range === null) continue;
    let q = 1;
    PARAMETER.lastIndex = range[0].length;
    for (let p = PARAMETER.exec(text); p !== null; p = PARAMETER.exec(text))
      if (p[1] !== undefined) q = Number(p[1]);
    if (q > best) {
      best = q;
      // The lookup is exact, as Kong's: `Text/HTML` is an unknown type.
      const [type = '', subtype = ''] = range[1]!.split('/');
      chosen = BY_TYPE[subtype === '*' ? `${type}/*` : range[1]!] ?? JSON_ENCODING;
    }
  }
  return chosen;
}

// The text of a JSON string without its quotes.
const jsonText = (text: string): string => JSON.stringify(text).slice(1, -1);

// Kong's templates (kong/tools/http.lua ERROR_TEMPLATES), each text escaped for its format.
const TEMPLATES: Readonly<Record<string, (message: string, id: string) => string>> = {
  json: (m, id) => `{\n  "message":"${jsonText(m)}",\n  "request_id":"${jsonText(id)}"\n}`,
  xml: (m, id) =>
    `<?xml version="1.0" encoding="UTF-8"?>\n<error>\n  <message>${escapeXml(m)}</message>\n  <requestid>${escapeXml(id)}</requestid>\n</error>\n`,
  html: (m, id) =>
    '<!doctype html>\n<html>\n  <head>\n    <meta charset="utf-8">\n    <title>Error</title>\n  </head>\n  <body>\n' +
    `    <h1>Error</h1>\n    <p>${escapeXml(m)}.</p>\n    <p>request_id: ${escapeXml(id)}</p>\n  </body>\n</html>\n`,
  plain: (m, id) => `${m.replace(/[\r\n]+/g, ' ')}\nrequest_id: ${id.replace(/[\r\n]+/g, ' ')}\n`,
};

// The code of each kind of error faultline classifies; server errors by their status.
const CODE_BY_KIND: Readonly<Partial<Record<ProblemKind, string>>> = {
  badRequest: 'BadRequest',
  invalidBody: 'BadRequest',
  validation: 'BadRequest',
  clientError: 'BadRequest',
  unauthorized: 'InvalidCredentials',
  forbidden: 'Forbidden',
  notFound: 'NotFound',
  methodNotAllowed: 'MethodNotAllowed',
  payloadTooLarge: 'PayloadTooLarge',
  unsupportedMediaType: 'UnsupportedMediaType',
  tooManyRequests: 'RateLimited',
};
const CODE_BY_STATUS: Readonly<Record<number, string>> = {
  502: 'BadGateway',
  503: 'ServiceUnavailable',
  504: 'GatewayTimeout',
};

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

// The message and request id of a body Kong sent: JSON `{message, request_id}` or XML
// `<error><message/><requestid/></error>`.
function fieldsOf(document: FaultDocument): { message: unknown; requestId: unknown } | undefined {
  if (document.format === 'json') {
    const body = document.json;
    if (!isObject(body) || Object.keys(body).sort().join() !== 'message,request_id')
      return undefined;
    return { message: body.message, requestId: body.request_id };
  }
  const root = document.xml;
  if (
    root?.local !== 'error' ||
    root.ns !== '' ||
    root.children.map((c) => c.local).join() !== 'message,requestid'
  )
    return undefined;
  return { message: root.children[0]!.text, requestId: root.children[1]!.text };
}

// A body Kong sent, read back into its fault: the catalogue entry its status and text name,
// else the generic code of its status class.
function read(document: FaultDocument): FaultReading | undefined {
  const fields = fieldsOf(document);
  if (
    fields === undefined ||
    typeof fields.message !== 'string' ||
    typeof fields.requestId !== 'string'
  )
    return undefined;
  const { message, requestId } = fields;
  const status =
    document.status !== undefined && document.status >= 400 && document.status <= 599
      ? document.status
      : 500;
  const entry = catalog.entries.find((e) => e.message === message && e.status === status);
  const code = entry?.code ?? (status >= 500 ? 'UnexpectedError' : 'BadRequest');
  return {
    format: document.format,
    fault: kong.fault(code, message, {
      status,
      ...(requestId === '' ? {} : { correlationId: requestId }),
    }),
    origin: { summary: 'Kong Gateway, or a service behind it that answers as Kong does' },
  };
}

/**
 * Kong Gateway's error convention. Use it as `dialect: kong`, in either adapter, in routes
 * (`{ '/internal': 'problem', '*': kong }`) and in mapping rules (`to: { dialect: kong, code }`).
 */
export const kong = defineDialect({
  id: ID,
  catalog,
  fromProblem(problem) {
    // Kong's router answers a request no route matches with its own words, not the path.
    if (
      problem.kind === 'notFound' &&
      problem.status === 404 &&
      problem.message.startsWith('No route for ')
    ) {
      return { code: 'NoRouteMatched', message: 'no Route matched with those values' };
    }
    return {
      code: CODE_BY_KIND[problem.kind] ?? CODE_BY_STATUS[problem.status] ?? 'UnexpectedError',
    };
  },
  negotiate,
  render(fault, encoding, { message }) {
    const template = TEMPLATES[encoding.id] ?? TEMPLATES.json!;
    return {
      status: fault.status,
      headers: { 'content-type': encoding.mediaType },
      body: template(message, fault.correlationId ?? ''),
    };
  },
  read,
  bodies: {
    json: () => ({
      type: 'object',
      // The body has these two members, debug or not: debug detail stays in the log.
      properties: { message: { type: 'string' }, request_id: { type: 'string' } },
      required: ['message', 'request_id'],
      additionalProperties: false,
    }),
  },
  encodings: [
    { encoding: JSON_ENCODING, request: { headers: { accept: 'application/json' } } },
    { encoding: BY_TYPE['application/xml']!, request: { headers: { accept: 'application/xml' } } },
    { encoding: BY_TYPE['text/html']!, request: { headers: { accept: 'text/html' } } },
    { encoding: BY_TYPE['text/plain']!, request: { headers: { accept: 'text/plain' } } },
  ],
});
