/**
 * The problem catalogue: one code per error status that has a reason phrase (`NotFound`,
 * `TooManyRequests`), plus the two kinds of 400 frameworks report and clients want to tell
 * apart (`InvalidBody`, `ValidationFailed`).
 *
 * @module
 */
import { makeCatalog } from '../../catalog.js';
import type { CatalogEntry } from '../../catalog.js';
import { registeredPhrase } from '../../status.js';

/** The dialect's id, `problem`. */

export const DIALECT = 'problem';

// `Not Found` → `NotFound`, `URI Too Long` → `URITooLong`.
function pascal(phrase: string): string {
  return phrase
    .split(/[^A-Za-z0-9]+/)
    .filter((word) => word !== '')
    .map((word) => word[0]!.toUpperCase() + word.slice(1))
    .join('');
}

// One entry per error status that has a reason phrase, plus the two kinds of 400 that
// frameworks report and clients want to tell apart.
const entries: CatalogEntry<string>[] = [];
const codeByStatus = new Map<number, string>();
for (let status = 400; status <= 599; status++) {
  const phrase = registeredPhrase(status);
  if (phrase === undefined) continue;
  entries.push({ code: pascal(phrase), status, name: pascal(phrase), message: phrase });
  codeByStatus.set(status, pascal(phrase));
}
entries.push(
  {
    code: 'InvalidBody',
    status: 400,
    name: 'InvalidBody',
    message: 'The request body could not be parsed',
    description: 'The request body is not well-formed (invalid JSON or XML).',
  },
  {
    code: 'ValidationFailed',
    status: 400,
    name: 'ValidationFailed',
    message: 'The request is not valid',
    description:
      'The request failed schema validation; `errors` lists each problem with a JSON pointer.',
  },
);
export const catalog = makeCatalog<string>(DIALECT, entries);

/**
 * The code of a status: its reason phrase in Pascal case, or the generic code of its class.
 *
 * @example
 * ```ts
 * codeOf(404); // 'NotFound'
 * ```
 */
export function codeOf(status: number): string {
  return codeByStatus.get(status) ?? (status >= 500 ? 'InternalServerError' : 'BadRequest');
}
