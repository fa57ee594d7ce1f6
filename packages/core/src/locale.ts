/**
 * Languages: reading `Accept-Language` (RFC 9110 §12.5.4) and choosing a message's language by
 * RFC 4647 §3.4 lookup; checking that a translation uses exactly its source's parameters.
 *
 * @module
 */

// A language tag as BCP 47 spells it, loosely: subtags of 1–8 letters or digits.
const TAG = /^[A-Za-z]{1,8}(?:-[A-Za-z0-9]{1,8})*$/;

/**
 * Whether a value is a language tag such as `et`, `de-CH` or `zh-Hant-TW`.
 *
 * @example
 * ```ts
 * isLanguageTag('de-CH'); // true
 * ```
 */
export function isLanguageTag(value: unknown): value is string {
  return typeof value === 'string' && TAG.test(value);
}

// At most this many ranges are read from one header: a client needs a few.
const MAX_RANGES = 32;

/**
 * The language ranges of an `Accept-Language` value, most preferred first (stable for equal
 * weights); ranges with `q=0`, the wildcard and malformed ones left out.
 *
 * @param header - the header value, e.g. `de-CH, de;q=0.9, en;q=0.5`
 * @returns the ranges, e.g. `['de-CH', 'de', 'en']`
 * @example
 * ```ts
 * languageRanges('et;q=0.8, de'); // ['de', 'et']
 * ```
 */
export function languageRanges(header: string | undefined): string[] {
  if (header === undefined || header === '') return [];
  const weighted: { range: string; q: number; i: number }[] = [];
  for (const [i, part] of header.split(',').slice(0, MAX_RANGES).entries()) {
    const [range = '', ...params] = part.split(';').map((p) => p.trim());
    if (!isLanguageTag(range)) continue;
    let q = 1;
    for (const param of params) {
      const m = /^q\s*=\s*(0(?:\.\d{0,3})?|1(?:\.0{0,3})?)$/i.exec(param);
      if (m !== null) q = Number(m[1]);
    }
    if (q > 0) weighted.push({ range, q, i });
  }
  return weighted.sort((a, b) => b.q - a.q || a.i - b.i).map((w) => w.range);
}

/**
 * RFC 4647 §3.4 lookup: for each range in order, the available tag equal to it, else to it
 * with its last subtag cut off (a single-letter subtag before it too), and so on.
 *
 * @param ranges - the client's ranges, most preferred first
 * @param available - the tags there are messages in
 * @returns the tag as `available` spells it, or `undefined` when none matches
 * @example
 * ```ts
 * lookupLanguage(['de-CH-1996'], ['en', 'de']); // 'de'
 * ```
 */
export function lookupLanguage(
  ranges: readonly string[],
  available: readonly string[],
): string | undefined {
  const byLower = new Map(available.map((tag) => [tag.toLowerCase(), tag]));
  for (const range of ranges) {
    let candidate = range.toLowerCase();
    for (;;) {
      const found = byLower.get(candidate);
      if (found !== undefined) return found;
      const cut = candidate.lastIndexOf('-');
      if (cut === -1) break;
      candidate = candidate.slice(0, cut);
      // A singleton (x, u, …) never ends a lookup tag: cut it with what follows.
      if (/-[a-z0-9]$/.test(candidate)) candidate = candidate.slice(0, -2);
    }
  }
  return undefined;
}

const PLACEHOLDER = /\{([^{}]+)\}/g;

/**
 * The `{parameter}` names of a message template, each once, sorted.
 *
 * @example
 * ```ts
 * parametersOf('Order {id} was shipped on {date}'); // ['date', 'id']
 * ```
 */
export function parametersOf(template: string): string[] {
  return [...new Set([...template.matchAll(PLACEHOLDER)].map((m) => m[1]!))].sort();
}

/**
 * Checks translations of a message: each keyed by a language tag, a non-empty text, and using
 * exactly the source's parameters, no more and no fewer.
 *
 * @param source - the source message or template
 * @param messages - the translations by language tag
 * @param where - what they belong to, for the message
 * @returns the translations, copied and frozen
 * @throws TypeError naming the language whose translation is wrong
 * @example
 * ```ts
 * checkTranslations('Order {id} not found', { de: 'Bestellung {id} nicht gefunden' }, 'OrderNotFound');
 * ```
 */
export function checkTranslations(
  source: string,
  messages: unknown,
  where: string,
): Readonly<Record<string, string>> {
  if (typeof messages !== 'object' || messages === null || Array.isArray(messages))
    throw new TypeError(`faultline: ${where} messages must be an object of texts by language`);
  const expected = parametersOf(source).join(', ');
  const copy: Record<string, string> = {};
  for (const [tag, text] of Object.entries(messages)) {
    if (!isLanguageTag(tag))
      throw new TypeError(`faultline: ${where} messages: '${tag}' is not a language tag`);
    if (typeof text !== 'string' || text.trim() === '')
      throw new TypeError(`faultline: ${where} messages.${tag} must be a non-empty text`);
    const got = parametersOf(text).join(', ');
    if (got !== expected) {
      throw new TypeError(
        `faultline: ${where} messages.${tag} must use exactly the parameters of its source ` +
          `(${expected === '' ? 'none' : `{${expected.split(', ').join('}, {')}}`}), not ${got === '' ? 'none' : `{${got.split(', ').join('}, {')}}`}`,
      );
    }
    copy[tag] = text;
  }
  return Object.freeze(copy);
}

/**
 * A template filled from parameters; `undefined` when one is missing.
 *
 * @example
 * ```ts
 * fillTemplate('Bestellung {id} nicht gefunden', { id: 7 }); // 'Bestellung 7 nicht gefunden'
 * ```
 */
export function fillTemplate(
  template: string,
  params: Readonly<Record<string, unknown>> | undefined,
): string | undefined {
  let missing = false;
  const text = template.replace(PLACEHOLDER, (_m, key: string) => {
    const value = params !== undefined && Object.hasOwn(params, key) ? params[key] : undefined;
    if (value === undefined) missing = true;
    return String(value);
  });
  return missing ? undefined : text;
}

/**
 * The text sent for a hidden fault of a template: the template before its first parameter, or
 * the template without its parameters when that is empty.
 *
 * @example
 * ```ts
 * genericText('Ledger {name} is inconsistent'); // 'Ledger'
 * ```
 */
export function genericText(template: string): string {
  const cut = template
    .split('{', 1)[0]!
    .trim()
    .replace(/[\s:,-]+$/, '');
  return cut === '' ? template.replace(PLACEHOLDER, '').replace(/\s+/g, ' ').trim() : cut;
}
