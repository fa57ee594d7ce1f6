/**
 * Extra folder: ESB answers through fault sequences; this file checks a team's own.
 *
 * Custom fault sequences: a `payloadFactory` template with `$1…$n` bound to context values, a
 * custom `HTTP_SC`, transport-header edits and an output `messageType`, validated once and
 * rendered the way Synapse does (WSO2 API Manager's "Error Handling", "Custom error messages").
 *
 * @module
 */
import { isHeaderName, isHeaderValue } from '../../../headers.js';
import { fillXml, renderPayload } from './template.js';
import { CONTEXT_VALUES } from './types.js';
import type { ContextValues, MessageType, ResolvedSequence, SequenceArg } from './types.js';
import { checkXmlTemplate } from './xml-json.js';

/**
 * A custom fault sequence. Without `format`, the sequence it replaces renders its own body and
 * only the status, headers and message type change.
 *
 * @example
 * ```ts
 * const convert: CustomSequence = {
 *   mediaType: 'json',
 *   format: '{"code":"$1","message":"$2"}',
 *   args: ['ERROR_CODE', 'ERROR_MESSAGE'],
 *   status: 555,
 * };
 * createFaultHandler({ dialect: 'esb', esb: { sequences: { convert }, use: { _auth_failure_handler_: 'convert' } } });
 * ```
 */
export interface CustomSequence {
  /** The `payloadFactory` media type. @default 'xml' (as in Synapse) */
  readonly mediaType?: 'xml' | 'json';
  /** The template; `$1…$n` are replaced by `args` (XML-escaped or JSON-escaped). */
  readonly format?: string;
  readonly args?: readonly SequenceArg[];
  /** `HTTP_SC`: any integer 100–999, e.g. 555. Default: the replaced sequence's status. */
  readonly status?: number;
  /** Transport headers: a string sets one, `null` removes one. */
  readonly headers?: Readonly<Record<string, string | null>>;
  /** The output type; an XML payload sent as JSON is converted as the gateway converts it. */
  readonly messageType?: MessageType;
}

const MESSAGE_TYPES: readonly string[] = ['application/json', 'application/xml', 'text/xml'];
// Request headers the gateway's sequences remove from the message: nothing to do on a response.
const REQUEST_ONLY = new Set(['authorization', 'host', 'accept', 'x-jwt-assertion']);
// Framing and type belong to the renderer and the handler (`messageType` chooses the type).
const RESERVED = new Set([
  'content-type',
  'content-length',
  'content-encoding',
  'content-language',
  'content-range',
  'transfer-encoding',
  'set-cookie',
  'connection',
  'x-content-type-options',
]);
const PLACEHOLDER = /\$(\d+)/g;
const MAX_FORMAT = 65536;

/**
 * Validates a custom sequence and freezes a copy.
 *
 * @param name - the sequence's name, for error messages
 * @param value - the sequence
 * @returns the resolved sequence
 * @throws TypeError naming the sequence and the problem
 * @example
 * ```ts
 * checkSequence('convert', { format: '<a>$1</a>', args: ['ERROR_CODE'], status: 555 });
 * ```
 */
export function checkSequence(name: string, value: CustomSequence): ResolvedSequence {
  const fail = (problem: string): never => {
    throw new TypeError(`faultline: esb sequence '${name}': ${problem}`);
  };
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    fail('must be an object or a Synapse <sequence> string');
  const mediaType = value.mediaType ?? 'xml';
  if (mediaType !== 'xml' && mediaType !== 'json') fail("mediaType must be 'xml' or 'json'");
  const args = value.args ?? [];
  if (!Array.isArray(args) || args.length > 100)
    fail('args must be an array of at most 100 context value names or { value } literals');
  for (const arg of args as readonly unknown[]) {
    const ok =
      (typeof arg === 'string' && (CONTEXT_VALUES as readonly string[]).includes(arg)) ||
      (typeof arg === 'object' &&
        arg !== null &&
        typeof (arg as { value?: unknown }).value === 'string');
    if (!ok)
      fail(
        `unknown argument ${JSON.stringify(arg) ?? String(arg)} (use ${CONTEXT_VALUES.join(', ')} or { value })`,
      );
  }
  const format = value.format;
  if (format !== undefined) {
    if (typeof format !== 'string' || format.trim() === '' || format.length > MAX_FORMAT)
      fail('format must be a non-empty string of at most 64 KiB');
    for (const match of (format as string).matchAll(PLACEHOLDER)) {
      const index = Number(match[1]);
      if (index < 1 || index > args.length)
        fail(`format uses $${match[1]} but there are ${args.length} args`);
    }
    // Escaping keeps text well-formed, but nothing can make `--` or a final `-` legal inside a
    // comment (or `?>` inside a processing instruction): a placeholder there is refused.
    if (mediaType === 'xml') {
      for (const [node] of (format as string).matchAll(/<!--[\s\S]*?-->|<\?[\s\S]*?\?>/g)) {
        const placeholder = /\$\d+/.exec(node);
        if (placeholder !== null) {
          fail(
            `format uses ${placeholder[0]} inside ${node.startsWith('<!--') ? 'an XML comment' : 'a processing instruction'}, where no text can be escaped; move it into an element`,
          );
        }
      }
    }
  }
  const status = value.status;
  // Any status the gateway could send, except those that cannot carry the fault's body (1xx,
  // 204, 205, 304): a client would never see the fault.
  if (
    status !== undefined &&
    (typeof status !== 'number' ||
      !Number.isInteger(status) ||
      status < 200 ||
      status > 999 ||
      NO_BODY.has(status))
  ) {
    fail('status must be an integer in 200-999 that carries a body (not 204, 205 or 304)');
  }
  const messageType = value.messageType;
  if (messageType !== undefined && !MESSAGE_TYPES.includes(messageType))
    fail(`messageType must be one of ${MESSAGE_TYPES.join(', ')}`);
  if (
    mediaType === 'json' &&
    messageType !== undefined &&
    messageType !== 'application/json' &&
    format !== undefined
  ) {
    fail('a json payload can only be sent as application/json');
  }
  const { set, remove } = checkHeaders(value.headers, fail);
  const resolved: ResolvedSequence = Object.freeze({
    name,
    mediaType,
    format,
    args: Object.freeze([...args]),
    status,
    set,
    remove,
    messageType,
  });
  if (typeof format === 'string') {
    // Trial runs prove the template stays well-formed whatever it is given: hostile text, and a
    // number (a JSON template writes it bare, e.g. ERROR_CODE 900901).
    try {
      for (const sample of ['a "b" <c> & \'d\' $1 x y', '900901']) {
        const values = Object.fromEntries(CONTEXT_VALUES.map((n) => [n, sample])) as ContextValues;
        if (mediaType === 'xml') checkXmlTemplate(fillXml(format, resolved.args, values));
        renderPayload(resolved, format, values);
      }
    } catch (error) {
      fail(
        `format is not ${mediaType === 'xml' ? 'well-formed XML' : 'valid JSON'} (${(error as Error).message})`,
      );
    }
  }
  return resolved;
}

// Statuses whose responses have no body.
const NO_BODY: ReadonlySet<number> = new Set([204, 205, 304]);

function checkHeaders(
  raw: unknown,
  fail: (problem: string) => never,
): { set: Readonly<Record<string, string>>; remove: readonly string[] } {
  const set: Record<string, string> = {};
  const remove: string[] = [];
  if (raw === undefined) return { set: Object.freeze(set), remove: Object.freeze(remove) };
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw))
    fail('headers must be an object of name → value (or null to remove)');
  for (const [key, value] of Object.entries(raw as Record<string, unknown>)) {
    const name = key.toLowerCase();
    if (!isHeaderName(name)) fail(`'${key}' is not a header name`);
    if (RESERVED.has(name))
      fail(`header '${key}' cannot be changed by a sequence (use messageType for the type)`);
    if (value === null) {
      if (!REQUEST_ONLY.has(name)) remove.push(name);
    } else if (typeof value !== 'string' || !isHeaderValue(value)) {
      fail(`header '${key}' must have a legal header value or null`);
    } else {
      set[name] = value;
    }
  }
  return { set: Object.freeze(set), remove: Object.freeze(remove) };
}
