/**
 * Extra folder: ESB answers through fault sequences; this file fills their templates.
 *
 * Filling a custom sequence's `payloadFactory` template: `$n` is argument n, XML-escaped in an
 * XML template and JSON-escaped (or a JSON literal) in a JSON one; an XML payload sent as
 * `application/json` is converted the way the gateway converts it.
 *
 * @module
 */
import { escapeXml } from '../../../encode/xml.js';
import type { ContextValues, MessageType, ResolvedSequence, SequenceArg } from './types.js';
import { xmlToJson } from './xml-json.js';

const PLACEHOLDER = /\$(\d+)/g;

// JSON templates: a placeholder inside a string literal gets the escaped text; one outside a
// string gets the value when it is a JSON literal, else a JSON string, so the body stays JSON.
const JSON_LITERAL = /^(?:-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?|true|false|null)$/;

function substituteJson(format: string, value: (index: number) => string): string {
  let out = '';
  let inString = false;
  for (let i = 0; i < format.length; i++) {
    const c = format[i] as string;
    if (inString && c === '\\') {
      out += format.slice(i, i + 2);
      i++;
      continue;
    }
    if (c === '"') inString = !inString;
    const digits = c === '$' ? /^\d+/.exec(format.slice(i + 1)) : null;
    if (digits === null) {
      out += c;
      continue;
    }
    const text = value(Number(digits[0]) - 1);
    out += inString
      ? JSON.stringify(text).slice(1, -1)
      : JSON_LITERAL.test(text)
        ? text
        : JSON.stringify(text);
    i += digits[0].length;
  }
  JSON.parse(out);
  return out;
}

// `$n` is argument n: a literal of the sequence's own, or a context value. Validation made
// sure every `$n` of the format has its argument.
function argReader(
  args: readonly SequenceArg[],
  context: ContextValues,
): (index: number) => string {
  return (index) => {
    const a = args[index] as SequenceArg;
    return typeof a === 'string' ? context[a] : a.value;
  };
}

/**
 * An XML template with every `$n` replaced by its argument's text, escaped (markup and
 * XML-invalid characters).
 *
 * @param format - the template
 * @param args - the sequence's arguments
 * @param context - the context values they read
 * @returns the filled template, trimmed
 * @example
 * ```ts
 * fillXml('<a>$1</a>', ['ERROR_MESSAGE'], { ...values, ERROR_MESSAGE: 'x < y' }); // '<a>x &lt; y</a>'
 * ```
 */
export function fillXml(
  format: string,
  args: readonly SequenceArg[],
  context: ContextValues,
): string {
  const arg = argReader(args, context);
  return format
    .trim()
    .replace(PLACEHOLDER, (_m, digits: string) => escapeXml(arg(Number(digits) - 1)));
}

/**
 * Fills a sequence's template and converts it to its output type.
 *
 * @param sequence - a resolved sequence
 * @param format - its format
 * @param context - the context values the arguments read
 * @returns the body and its media type
 * @throws Error when the result is not well-formed (only possible before validation)
 * @example
 * ```ts
 * renderPayload(convert, convert.format, { ...empty, ERROR_CODE: '900901', ERROR_MESSAGE: 'Invalid Credentials' }).body;
 * ```
 */
export function renderPayload(
  sequence: ResolvedSequence,
  format: string,
  context: ContextValues,
): { body: string; mediaType: MessageType } {
  if (sequence.mediaType === 'json') {
    return {
      body: substituteJson(format.trim(), argReader(sequence.args, context)),
      mediaType: 'application/json',
    };
  }
  const xml = fillXml(format, sequence.args, context);
  const mediaType = sequence.messageType ?? 'application/xml';
  return { body: mediaType === 'application/json' ? xmlToJson(xml) : xml, mediaType };
}
