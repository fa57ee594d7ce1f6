/**
 * Extra folder: ESB answers through fault sequences; this file reads their Synapse XML.
 *
 * `parseSequence`: a Synapse `<sequence>` such as the `convert.xml` of WSO2's "Error Handling",
 * read into a {@link CustomSequence}. Only what decides the response is understood; a mediator
 * that would change it in ways faultline cannot reproduce (`filter`, `switch`, `makefault`, a
 * payload XPath) is refused rather than ignored.
 *
 * @module
 */
import { XMLValidator } from 'fast-xml-parser';
import { checkSequence } from './custom.js';
import { CONTEXT_VALUES } from './types.js';
import type { CustomSequence } from './custom.js';
import type { ContextValue, MessageType, SequenceArg } from './types.js';
import { decodeXml, orderedXmlParser as parser } from './xml-json.js';

type XmlNode = Record<string, unknown>;
interface Element {
  readonly tag: string;
  readonly attrs: Readonly<Record<string, string>>;
  readonly children: readonly XmlNode[];
}

const MAX_SOURCE = 1024 * 1024;
// Mediators that only log, send or route to the CORS handler: no effect on the fault's bytes.
const NO_OPS = new Set(['log', 'send', 'drop', 'respond', 'description']);
// Properties of the gateway's stock sequences that do not change the response faultline sends.
const IGNORED: ReadonlySet<string> = new Set([
  'default:RESPONSE',
  'axis2:NO_ENTITY_BODY:remove',
  'axis2:ContentType:remove',
]);

function local(qname: string): string {
  return qname.slice(qname.indexOf(':') + 1);
}

function elements(nodes: readonly XmlNode[]): Element[] {
  const out: Element[] = [];
  for (const node of nodes) {
    const tag = Object.keys(node).find((k) => k !== ':@' && k !== '#text' && k !== '#cdata');
    if (tag === undefined) continue;
    const raw = (node[':@'] as Record<string, string> | undefined) ?? {};
    const attrs = Object.fromEntries(Object.entries(raw).map(([k, v]) => [k, decodeXml(v)]));
    out.push({ tag: local(tag), attrs, children: (node[tag] as XmlNode[] | undefined) ?? [] });
  }
  return out;
}

function text(children: readonly XmlNode[]): string {
  return children
    .map((c) =>
      '#text' in c
        ? decodeXml(String(c['#text']))
        : '#cdata' in c
          ? String((c['#cdata'] as XmlNode[])[0]?.['#text'] ?? '')
          : '',
    )
    .join('');
}

// The inner markup of the first <format> after the payloadFactory, exactly as written.
function formatMarkup(source: string): string {
  const token =
    /<!--[\s\S]*?-->|<!\[CDATA\[[\s\S]*?\]\]>|<\?[\s\S]*?\?>|<(\/?)([A-Za-z_][\w.:-]*)(?:[^>"']|"[^"]*"|'[^']*')*?(\/?)>/g;
  let seenFactory = false;
  let start = -1;
  let depth = 0;
  for (const m of source.matchAll(token)) {
    const [whole, closing, qname, selfClosing] = m;
    if (qname === undefined) continue;
    const name = local(qname);
    if (start === -1) {
      if (!seenFactory) seenFactory = name === 'payloadFactory' && closing === '';
      else if (name === 'format' && closing === '') {
        if (selfClosing === '/') return '';
        start = (m.index ?? 0) + whole.length;
        depth = 1;
      }
      continue;
    }
    if (selfClosing === '/') continue;
    depth += closing === '/' ? -1 : 1;
    if (depth === 0) return source.slice(start, m.index);
  }
  return '';
}

function expressionValue(expression: string, fail: (p: string) => never): ContextValue {
  const m =
    /^\s*(?:\$(?:ctx|axis2):([A-Z_]+)|get-property\(\s*(?:'(?:axis2|default)'\s*,\s*)?'([A-Z_]+)'\s*\))\s*$/.exec(
      expression,
    );
  const name = m?.[1] ?? m?.[2];
  if (name === undefined || !(CONTEXT_VALUES as readonly string[]).includes(name)) {
    return fail(
      `unsupported expression '${expression}' (use $ctx:NAME with ${CONTEXT_VALUES.join(', ')})`,
    );
  }
  return name as ContextValue;
}

/**
 * Reads a Synapse `<sequence>`: its `payloadFactory` (media type, format, args), the
 * `HTTP_SC` and `messageType` axis2 properties, and transport-scope properties (set or
 * remove headers). `RESPONSE`, `NO_ENTITY_BODY`/`ContentType` removal, `<header name="To"
 * action="remove"/>`, `log`, `send`, `drop` and `<sequence key="_cors_request_handler_"/>`
 * are accepted and change nothing.
 *
 * @param xml - the sequence's source, e.g. the documentation's `convert.xml` verbatim
 * @param label - the name error messages use; default: the sequence's `name` attribute
 * @returns the custom sequence, validated
 * @throws TypeError naming the sequence and what is not supported
 * @example
 * ```ts
 * const convert = esb.parseSequence(fs.readFileSync('convert.xml', 'utf8'));
 * createFaultHandler({ dialect: esb, esb: { sequences: { convert }, use: { _auth_failure_handler_: 'convert' } } });
 * ```
 */
export function parseSequence(xml: string, label?: string): CustomSequence {
  let name = label ?? '<sequence>';
  const fail = (problem: string): never => {
    throw new TypeError(`faultline: esb sequence '${name}': ${problem}`);
  };
  if (typeof xml !== 'string' || xml.length > MAX_SOURCE)
    return fail('the source must be a string of at most 1 MiB');
  if (/<!DOCTYPE/i.test(xml)) return fail('a DOCTYPE is not allowed');
  const valid = XMLValidator.validate(xml);
  if (valid !== true) return fail(`not well-formed XML: ${valid.err.msg} (line ${valid.err.line})`);
  let root: Element | undefined;
  try {
    root = elements(parser.parse(xml) as XmlNode[])[0];
  } catch (error) {
    return fail(`not well-formed XML: ${error instanceof Error ? error.message : 'invalid'}`);
  }
  if (root === undefined || root.tag !== 'sequence')
    return fail('the root element must be <sequence>');
  name = label ?? root.attrs.name ?? name;

  let payload: Pick<CustomSequence, 'mediaType' | 'format' | 'args'> | undefined;
  let status: number | undefined;
  let messageType: string | undefined;
  const headers: Record<string, string | null> = {};
  for (const el of elements(root.children)) {
    if (NO_OPS.has(el.tag)) continue;
    if (el.tag === 'header' && el.attrs.action === 'remove') continue;
    if (el.tag === 'sequence' && el.attrs.key === '_cors_request_handler_') continue;
    if (el.tag === 'payloadFactory') {
      if (payload !== undefined) fail('more than one <payloadFactory>');
      const mediaType = el.attrs['media-type'] ?? 'xml';
      if (mediaType !== 'xml' && mediaType !== 'json')
        fail(`unsupported payloadFactory media-type '${mediaType}'`);
      if ((el.attrs['template-type'] ?? 'default') !== 'default')
        fail('only the default payloadFactory template type is supported');
      const parts = elements(el.children);
      const format = parts.find((p) => p.tag === 'format');
      if (format === undefined) return fail('the <payloadFactory> has no <format>');
      const args = elements(parts.find((p) => p.tag === 'args')?.children ?? []);
      payload = {
        mediaType: mediaType as 'xml' | 'json',
        format: mediaType === 'json' ? text(format.children) : formatMarkup(xml),
        args: args.map((arg): SequenceArg => {
          if (arg.tag !== 'arg') return fail(`unexpected <${arg.tag}> in <args>`);
          return arg.attrs.value !== undefined
            ? { value: arg.attrs.value }
            : expressionValue(arg.attrs.expression ?? '', fail);
        }),
      };
      continue;
    }
    if (el.tag !== 'property') return fail(`unsupported mediator <${el.tag}>`);
    const { name: prop = '', value, expression, scope = 'default', action = 'set' } = el.attrs;
    if (IGNORED.has(`${scope}:${prop}`) || IGNORED.has(`${scope}:${prop}:${action}`)) continue;
    if (expression !== undefined)
      fail(`property '${prop}': expressions are not supported, give a value`);
    if (scope === 'transport') {
      if (action === 'remove') headers[prop] = null;
      else if (value !== undefined) headers[prop] = value;
      else fail(`property '${prop}' has no value`);
    } else if (
      scope === 'axis2' &&
      prop === 'HTTP_SC' &&
      action === 'set' &&
      value !== undefined &&
      /^\d{3}$/.test(value.trim())
    ) {
      status = Number(value.trim());
    } else if (
      scope === 'axis2' &&
      (prop === 'messageType' || prop === 'ContentType') &&
      action === 'set' &&
      value !== undefined
    ) {
      messageType = value.trim();
    } else {
      fail(`unsupported property '${prop}' (scope ${scope}, action ${action})`);
    }
  }
  const sequence: CustomSequence = {
    ...payload,
    ...(status === undefined ? {} : { status }),
    ...(Object.keys(headers).length === 0 ? {} : { headers: Object.freeze(headers) }),
    ...(messageType === undefined ? {} : { messageType: messageType as MessageType }),
  };
  checkSequence(name, sequence);
  return Object.freeze(sequence);
}
