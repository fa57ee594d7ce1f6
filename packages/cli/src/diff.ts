/**
 * `faultline catalog diff OLD NEW`: what changed between two versions of error catalogues, and
 * whether a client could break. An error catalogue is a contract: clients branch on codes and
 * statuses, fill in parameters, read messages and retry. The rules follow Google's AIP-193
 * (https://google.aip.dev/193): a code, its status and its name never change or disappear; its
 * parameters are never removed; its message changes only when no client reads it; a retry that
 * was allowed stays allowed.
 *
 * @module
 */
import { CatalogLoadError, readJsonFile } from './catalog.js';

/**
 * How a change affects clients: `breaking` (exit status 1), `added` (a new code or catalogue),
 * `changed` (a compatible change: a new parameter, a new text, a looser retry).
 *
 * @example
 * ```ts
 * const kind: ChangeKind = 'breaking';
 * ```
 */
export type ChangeKind = 'breaking' | 'added' | 'changed';

/**
 * One change between two catalogue versions.
 *
 * @example
 * ```ts
 * const change: CatalogChange = {
 *   kind: 'breaking',
 *   dialect: 'problem',
 *   code: 'OrderNotFound',
 *   what: 'status',
 *   text: 'status changed from 404 to 410',
 * };
 * ```
 */
export interface CatalogChange {
  readonly kind: ChangeKind;
  /** The catalogue's dialect. */
  readonly dialect: string;
  /** The code that changed; absent when a whole catalogue came or went. */
  readonly code?: string;
  /** The field that changed, e.g. `status`, `params`, `retry`, or `code` for a code that came or went. */
  readonly what: string;
  /** One sentence saying what changed. */
  readonly text: string;
}

/**
 * One entry of catalogue JSON: the fields the rules read; every other field is compared as data.
 *
 * @example
 * ```ts
 * const entry: CatalogueJsonEntry = { code: 'OrderNotFound', status: 404, name: 'OrderNotFound', template: 'Order {id} not found' };
 * ```
 */
export interface CatalogueJsonEntry {
  readonly code: string | number;
  readonly status?: unknown;
  readonly name?: unknown;
  readonly message?: unknown;
  readonly template?: unknown;
  readonly params?: unknown;
  readonly clientsReadMessage?: unknown;
  readonly retry?: unknown;
  readonly retryAfter?: unknown;
  readonly [field: string]: unknown;
}

/**
 * One catalogue as `faultline catalog --format json` writes it.
 *
 * @example
 * ```ts
 * const released: CatalogueJson = { dialect: 'problem', entries: [{ code: 'Gone', status: 410, name: 'Gone' }] };
 * ```
 */
export interface CatalogueJson {
  readonly dialect: string;
  readonly entries: readonly CatalogueJsonEntry[];
}

// How far a client may retry: each step down is a tightening.
const RETRY_RANK: Readonly<Record<string, number>> = { no: 0, idempotent: 1, yes: 2 };

const PLACEHOLDER = /\{([^{}]+)\}/g;

/**
 * The parameters of an entry: its `params`, or the `{name}` placeholders of its `template`.
 *
 * @example
 * ```ts
 * paramsOf({ code: 'OrderNotFound', template: 'Order {id} not found' }); // ['id']
 * ```
 */
export function paramsOf(entry: Readonly<Record<string, unknown>>): readonly string[] {
  if (Array.isArray(entry.params)) return entry.params.map(String);
  if (typeof entry.template !== 'string') return [];
  return [...new Set([...entry.template.matchAll(PLACEHOLDER)].map((m) => m[1]!))];
}

function same(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

function shown(value: unknown): string {
  return value === undefined ? 'none' : JSON.stringify(value);
}

function listed(names: readonly string[]): string {
  return names.map((n) => `{${n}}`).join(', ');
}

// The changes of one code present in both versions.
function entryChanges(
  dialect: string,
  before: CatalogueJsonEntry,
  after: CatalogueJsonEntry,
): CatalogChange[] {
  const code = String(before.code);
  const changes: CatalogChange[] = [];
  const add = (kind: ChangeKind, what: string, text: string) =>
    changes.push({ kind, dialect, code, what, text });

  if (!same(before.status, after.status))
    add(
      'breaking',
      'status',
      `status changed from ${shown(before.status)} to ${shown(after.status)}`,
    );
  if (!same(before.name, after.name))
    add('breaking', 'name', `name changed from ${shown(before.name)} to ${shown(after.name)}`);

  const oldParams = paramsOf(before);
  const newParams = paramsOf(after);
  const removed = oldParams.filter((p) => !newParams.includes(p));
  const added = newParams.filter((p) => !oldParams.includes(p));
  if (removed.length > 0) {
    add(
      'breaking',
      'params',
      added.length > 0
        ? `parameters renamed: ${listed(removed)} became ${listed(added)}`
        : `parameters removed: ${listed(removed)}`,
    );
  } else if (added.length > 0) {
    add('changed', 'params', `parameters added: ${listed(added)}`);
  }

  const readBefore = before.clientsReadMessage === true;
  for (const field of ['message', 'template'] as const) {
    if (same(before[field], after[field])) continue;
    add(
      readBefore ? 'breaking' : 'changed',
      field,
      `${field} changed from ${shown(before[field])} to ${shown(after[field])}` +
        (readBefore ? ' (clients read this message)' : ''),
    );
  }

  if (!same(before.retry, after.retry)) {
    const was = typeof before.retry === 'string' ? RETRY_RANK[before.retry] : undefined;
    const is = typeof after.retry === 'string' ? RETRY_RANK[after.retry] : undefined;
    // A retry that was allowed and is no longer, or no longer said, is a tightening.
    const tightened = was !== undefined && (is === undefined || is < was);
    add(
      tightened ? 'breaking' : 'changed',
      'retry',
      `retry changed from ${shown(before.retry)} to ${shown(after.retry)}` +
        (tightened ? ' (tightened)' : ''),
    );
  }

  const ruled = new Set(['code', 'status', 'name', 'message', 'template', 'params', 'retry']);
  const fields = [...new Set([...Object.keys(before), ...Object.keys(after)])].filter(
    (f) => !ruled.has(f),
  );
  for (const field of fields) {
    if (same(before[field], after[field])) continue;
    add(
      'changed',
      field,
      before[field] === undefined
        ? `${field} added: ${shown(after[field])}`
        : after[field] === undefined
          ? `${field} removed (was ${shown(before[field])})`
          : `${field} changed from ${shown(before[field])} to ${shown(after[field])}`,
    );
  }
  return changes;
}

/**
 * Every change from one version of catalogues to the next, breaking changes first, then codes
 * added, then compatible changes; within each, in the order of the catalogues as released, codes
 * added in their new order.
 *
 * @param before - the catalogues as released (what `faultline catalog --format json` wrote)
 * @param after - the catalogues now
 * @returns the changes; none when the two are the same
 * @example
 * ```ts
 * const changes = diffCatalogs(
 *   [{ dialect: 'problem', entries: [{ code: 'Gone', status: 404, name: 'Gone', message: 'Gone' }] }],
 *   [{ dialect: 'problem', entries: [{ code: 'Gone', status: 410, name: 'Gone', message: 'Gone' }] }],
 * );
 * changes[0]?.text; // 'status changed from 404 to 410'
 * ```
 */
export function diffCatalogs(
  before: readonly CatalogueJson[],
  after: readonly CatalogueJson[],
): CatalogChange[] {
  const changes: CatalogChange[] = [];
  const afterBy = new Map(after.map((c) => [c.dialect, c]));
  const beforeBy = new Map(before.map((c) => [c.dialect, c]));
  for (const old of before) {
    const now = afterBy.get(old.dialect);
    const nowBy = new Map((now?.entries ?? []).map((e) => [String(e.code), e]));
    for (const entry of old.entries) {
      const next = nowBy.get(String(entry.code));
      if (next === undefined) {
        changes.push({
          kind: 'breaking',
          dialect: old.dialect,
          code: String(entry.code),
          what: 'code',
          text: now === undefined ? 'removed with its catalogue' : 'code removed',
        });
      } else {
        changes.push(...entryChanges(old.dialect, entry, next));
      }
    }
  }
  for (const now of after) {
    const old = beforeBy.get(now.dialect);
    if (old === undefined) {
      changes.push({
        kind: 'added',
        dialect: now.dialect,
        what: 'catalogue',
        text: `catalogue added with ${now.entries.length} code${now.entries.length === 1 ? '' : 's'}`,
      });
      continue;
    }
    const oldCodes = new Set(old.entries.map((e) => String(e.code)));
    for (const entry of now.entries) {
      if (!oldCodes.has(String(entry.code))) {
        changes.push({
          kind: 'added',
          dialect: now.dialect,
          code: String(entry.code),
          what: 'code',
          text: `code added (status ${shown(entry.status)}, name ${shown(entry.name)})`,
        });
      }
    }
  }
  const order: readonly ChangeKind[] = ['breaking', 'added', 'changed'];
  return order.flatMap((kind) => changes.filter((c) => c.kind === kind));
}

function where(change: CatalogChange): string {
  return change.code === undefined ? change.dialect : `${change.dialect} ${change.code}`;
}

/**
 * The changes as text, one line each, and a closing count.
 *
 * @param changes - what {@link diffCatalogs} found
 * @returns the lines, ending in a newline
 * @example
 * ```ts
 * describeChanges([]); // 'No changes.\n'
 * ```
 */
export function describeChanges(changes: readonly CatalogChange[]): string {
  if (changes.length === 0) return 'No changes.\n';
  const width = Math.max(...changes.map((c) => c.kind.length));
  const lines = changes.map((c) => `${c.kind.padEnd(width)}  ${where(c)}: ${c.text}`);
  const breaking = changes.filter((c) => c.kind === 'breaking').length;
  lines.push(
    '',
    `${changes.length} change${changes.length === 1 ? '' : 's'}, ${breaking} breaking.`,
  );
  return `${lines.join('\n')}\n`;
}

function mdCode(value: string): string {
  // A backtick inside a code span would end it; a longer fence keeps it whole.
  return value.includes('`') ? `\`\` ${value} \`\`` : `\`${value}\``;
}

/**
 * The changes as a changelog section in Markdown: breaking changes, codes added, other changes.
 *
 * @param changes - what {@link diffCatalogs} found
 * @returns the section, ending in a newline
 * @example
 * ```ts
 * changelogSection([]); // '### Error codes\n\nNo changes.\n'
 * ```
 */
export function changelogSection(changes: readonly CatalogChange[]): string {
  const lines = ['### Error codes', ''];
  if (changes.length === 0) return `${lines.join('\n')}\nNo changes.\n`;
  const headings: Readonly<Record<ChangeKind, string>> = {
    breaking: '#### Breaking changes',
    added: '#### Added',
    changed: '#### Changed',
  };
  for (const kind of ['breaking', 'added', 'changed'] as const) {
    const some = changes.filter((c) => c.kind === kind);
    if (some.length === 0) continue;
    lines.push(headings[kind], '');
    for (const c of some) {
      const subject =
        c.code === undefined ? mdCode(c.dialect) : `${mdCode(c.dialect)} ${mdCode(c.code)}`;
      lines.push(`- ${subject}: ${c.text.replace(/([\\*_[\]<>|])/g, '\\$1')}`);
    }
    lines.push('');
  }
  return lines.join('\n');
}

/**
 * Reads catalogue JSON as `faultline catalog --format json` writes it: one `{ dialect, entries }`
 * or an array of them.
 *
 * @param path - the file
 * @returns the catalogues
 * @throws CatalogLoadError with a one-line reason
 * @example
 * ```ts
 * const released = readCatalogueJson('packages/core/catalogues/0.1.0.json');
 * ```
 */
export function readCatalogueJson(path: string): CatalogueJson[] {
  const data = readJsonFile(path);
  const list = Array.isArray(data) ? (data as unknown[]) : [data];
  const seen = new Set<string>();
  return list.map((item, i) => {
    const c = typeof item === 'object' && item !== null ? (item as Record<string, unknown>) : {};
    const entries = c.entries;
    if (
      typeof c.dialect !== 'string' ||
      !Array.isArray(entries) ||
      !entries.every(
        (e) =>
          typeof e === 'object' &&
          e !== null &&
          ['string', 'number'].includes(typeof (e as { code?: unknown }).code),
      )
    ) {
      throw new CatalogLoadError(
        `${path}: catalogue ${i + 1} is not { "dialect", "entries": [{ "code", … }] } (write it with faultline catalog --format json)`,
      );
    }
    if (seen.has(c.dialect))
      throw new CatalogLoadError(`${path}: the ${c.dialect} catalogue appears twice`);
    seen.add(c.dialect);
    return { dialect: c.dialect, entries: entries as CatalogueJsonEntry[] };
  });
}
