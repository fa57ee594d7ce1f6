/**
 * `faultline catalog`: a catalogue as the tables the source documents show — Markdown, JSON
 * or a standalone HTML page — with each dialect's own columns (XKS applicability, ESB
 * sequence, DE4A layer/module/type, AST subsystem and error code, X-Road origin).
 *
 * @module
 */
import { readFileSync } from 'node:fs';
import { extname, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { DIALECTS, defineCatalog, escapeXml, makeCatalog, xks, xroad } from '@faultline/core';
import type { Catalog, CatalogEntry, CatalogDefinition } from '@faultline/core';

/**
 * The built-in dialects' catalogues, by dialect name.
 *
 * @example
 * ```ts
 * BUILT_IN.xks?.entries.length; // 12
 * ```
 */
export const BUILT_IN: Readonly<Record<string, Catalog>> = Object.freeze(
  Object.fromEntries(
    Object.values(DIALECTS).map((dialect) => [dialect.id, dialect.catalog as Catalog]),
  ),
);

/**
 * The formats `faultline catalog` writes.
 *
 * @example
 * ```ts
 * const format: CatalogFormat = 'html';
 * renderCatalogs([BUILT_IN.ast!], format);
 * ```
 */
export type CatalogFormat = 'md' | 'json' | 'html';

/**
 * A catalogue that cannot be loaded: the message is one line for the user.
 *
 * @example
 * ```ts
 * try {
 *   await loadCatalogs('./nope.mjs', process.cwd());
 * } catch (error) {
 *   if (error instanceof CatalogLoadError) console.error(`faultline: ${error.message}`);
 * }
 * ```
 */
export class CatalogLoadError extends Error {
  override readonly name = 'CatalogLoadError';
}

interface Column {
  readonly title: string;
  readonly cell: (entry: CatalogEntry) => string;
}

type Extra = CatalogEntry &
  Partial<
    Record<
      'appliesTo' | 'sequence' | 'example' | 'layer' | 'module' | 'type' | 'template' | 'error',
      unknown
    >
  >;

// The specification's "XKS Proxy APIs" column: ALL, ALL except GetHealthStatus, or the list.
function applicability(value: unknown): string {
  if (!Array.isArray(value)) return '';
  if (xks.OPERATIONS.every((op) => value.includes(op))) return 'ALL';
  if (value.length === 3 && !value.includes('GetHealthStatus')) return 'ALL except GetHealthStatus';
  return value.join(', ');
}

// X-Road's origin column: the Security Server proxy (2 or 3) that sends the code, or the
// request itself for `Client.*` codes.
function xroadOrigin(code: string): string {
  const component = xroad.originOf(code)?.component;
  if (component === undefined) return '';
  return code.startsWith('Client.')
    ? 'request (client)'
    : `${component === 2 ? 'client' : 'server'} proxy (${component})`;
}

function has(entries: readonly CatalogEntry[], key: keyof Extra): boolean {
  return entries.some((e) => (e as Extra)[key] !== undefined);
}

function text(value: unknown): string {
  return value === undefined || value === null ? '' : String(value);
}

/**
 * The columns of a catalogue's table: code, status, name, message, description, and the
 * dialect's own data where its entries carry it.
 */
function columns(catalog: Catalog): Column[] {
  const entries = catalog.entries;
  const extra = (
    title: string,
    key: keyof Extra,
    format: (v: unknown) => string = text,
  ): Column[] => (has(entries, key) ? [{ title, cell: (e) => format((e as Extra)[key]) }] : []);
  return [
    ...(has(entries, 'error')
      ? [
          {
            title: 'Subsystem',
            cell: (e: CatalogEntry) =>
              String(e.code).slice(0, String(e.code).length - String((e as Extra).error).length),
          },
        ]
      : []),
    ...extra('Error code', 'error'),
    { title: 'Code', cell: (e) => String(e.code) },
    { title: 'Status', cell: (e) => String(e.status) },
    { title: 'Name', cell: (e) => e.name },
    // The conventions' tables list the documented messages (X-Road) or templates; else the generic text.
    {
      title: 'Message',
      cell: (e) =>
        e.examples === undefined || e.examples.length === 0
          ? e.message
          : e.examples.map((x) => x.message).join('\n'),
    },
    // The XKS table's scenario is both message and description: one column is enough.
    ...(entries.some((e) => e.description !== undefined && e.description !== e.message)
      ? [{ title: 'Description', cell: (e: CatalogEntry) => e.description ?? '' }]
      : []),
    ...(catalog.dialect === xroad.id
      ? [{ title: 'Origin', cell: (e: CatalogEntry) => xroadOrigin(String(e.code)) }]
      : []),
    ...extra('XKS Proxy APIs', 'appliesTo', applicability),
    ...extra('Layer', 'layer'),
    ...extra('Module', 'module'),
    ...extra('Type', 'type'),
    ...extra('Sequence', 'sequence'),
    ...extra('Example', 'example'),
    ...(entries.some((e) => e.docs !== undefined)
      ? [{ title: 'Documentation', cell: (e: CatalogEntry) => e.docs ?? '' }]
      : []),
  ];
}

function mdCell(value: string): string {
  return value.replace(/\\/g, '\\\\').replace(/\|/g, '\\|').replace(/\r?\n/g, '<br>');
}

/**
 * Options of {@link renderCatalogs}.
 *
 * @example
 * ```ts
 * const options: RenderOptions = { baseUrl: 'https://errors.example.com/orders.html' };
 * ```
 */
export interface RenderOptions {
  /**
   * The URL the page will be served at: each code links to its anchor there
   * (`<baseUrl>#<code>`), the URL a catalogue entry's `docs` or problem's `typeBase` names.
   */
  readonly baseUrl?: string;
}

/**
 * The anchor of each code on a page: the code itself, or `<dialect>-<code>` when a catalogue
 * rendered earlier on the same page has taken it.
 *
 * @example
 * ```ts
 * anchorsOf([BUILT_IN.xks!]).get(BUILT_IN.xks!.entries[0]!); // 'ValidationException'
 * ```
 */
export function anchorsOf(catalogs: readonly Catalog[]): Map<CatalogEntry, string> {
  const taken = new Set<string>();
  const anchors = new Map<CatalogEntry, string>();
  for (const catalog of catalogs) {
    for (const entry of catalog.entries) {
      const plain = String(entry.code).replace(/\s+/g, '-');
      const anchor = taken.has(plain) ? `${catalog.dialect}-${plain}` : plain;
      taken.add(anchor);
      anchors.set(entry, anchor);
    }
  }
  return anchors;
}

function link(baseUrl: string, anchor: string): string {
  return `${baseUrl}#${encodeURIComponent(anchor)}`;
}

function markdown(
  catalog: Catalog,
  anchors: ReadonlyMap<CatalogEntry, string>,
  baseUrl: string | undefined,
): string {
  const cols = columns(catalog);
  const cell = (e: CatalogEntry, c: Column): string => {
    const text = mdCell(c.cell(e));
    if (baseUrl === undefined || c.title !== 'Code') return text;
    const anchor = anchors.get(e) ?? String(e.code);
    return `<a id="${escapeXml(anchor)}"></a>[${text}](${link(baseUrl, anchor)})`;
  };
  const rows = [
    cols.map((c) => c.title),
    ...catalog.entries.map((e) => cols.map((c) => cell(e, c))),
  ];
  const widths = cols.map((_, i) => Math.max(3, ...rows.map((r) => [...(r[i] ?? '')].length)));
  const line = (cells: readonly string[]) =>
    `| ${cells.map((cell, i) => cell + ' '.repeat((widths[i] ?? 0) - [...cell].length)).join(' | ')} |`;
  return [
    `## The ${catalog.dialect} catalogue`,
    '',
    line(rows[0] ?? []),
    `| ${widths.map((w) => '-'.repeat(w)).join(' | ')} |`,
    ...rows.slice(1).map(line),
    '',
  ].join('\n');
}

function html(catalogs: readonly Catalog[], baseUrl: string | undefined): string {
  const anchors = anchorsOf(catalogs);
  const tables = catalogs.map((catalog) => {
    const cols = columns(catalog);
    const head = cols.map((c) => `<th>${escapeXml(c.title)}</th>`).join('');
    const body = catalog.entries
      .map((e) => {
        const anchor = anchors.get(e) ?? String(e.code);
        const cells = cols.map((c) => {
          const text = escapeXml(c.cell(e)).replace(/\n/g, '<br>');
          return c.title === 'Code' && baseUrl !== undefined
            ? `<td><a href="${escapeXml(link(baseUrl, anchor))}">${text}</a></td>`
            : `<td>${text}</td>`;
        });
        return `<tr id="${escapeXml(anchor)}">${cells.join('')}</tr>`;
      })
      .join('\n');
    return `<h2>The ${escapeXml(catalog.dialect)} catalogue</h2>\n<table>\n<thead><tr>${head}</tr></thead>\n<tbody>\n${body}\n</tbody>\n</table>`;
  });
  return [
    '<!DOCTYPE html>',
    '<html lang="en">',
    '<head>',
    '<meta charset="utf-8">',
    `<title>${escapeXml(catalogs.map((c) => c.dialect).join(', '))} error codes</title>`,
    '<style>body{font-family:system-ui,sans-serif;margin:2rem}table{border-collapse:collapse}th,td{border:1px solid #ccc;padding:.3rem .5rem;text-align:left;vertical-align:top}th{background:#f4f4f4}tr:target{background:#fff3c4}</style>',
    '</head>',
    '<body>',
    ...tables,
    '</body>',
    '</html>',
    '',
  ].join('\n');
}

/**
 * Renders catalogues in a format.
 *
 * @param catalogs - the catalogues
 * @param format - `md`, `json` or `html`
 * @param options - the URL the page is served at, for links to each code's anchor
 * @returns the document
 * @example
 * ```ts
 * renderCatalogs([BUILT_IN.xks!], 'md').startsWith('## The xks catalogue'); // true
 * ```
 */
export function renderCatalogs(
  catalogs: readonly Catalog[],
  format: CatalogFormat,
  options: RenderOptions = {},
): string {
  if (format === 'json') {
    const data = catalogs.map((c) => ({ dialect: c.dialect, entries: c.entries }));
    return `${JSON.stringify(data.length === 1 ? data[0] : data, null, 2)}\n`;
  }
  if (format === 'html') return html(catalogs, options.baseUrl);
  const anchors = anchorsOf(catalogs);
  return catalogs.map((c) => markdown(c, anchors, options.baseUrl)).join('\n');
}

function isCatalog(value: unknown): value is Catalog {
  if (typeof value !== 'object' || value === null) return false;
  const c = value as Partial<Catalog>;
  return typeof c.dialect === 'string' && Array.isArray(c.entries) && typeof c.get === 'function';
}

// A catalogue, a `defineCatalog` result (its `.catalog`), or neither.
function catalogOf(value: unknown): Catalog | undefined {
  if (isCatalog(value)) return value;
  const inner =
    typeof value === 'object' && value !== null
      ? (value as { catalog?: unknown }).catalog
      : undefined;
  return isCatalog(inner) ? inner : undefined;
}

/**
 * The JSON a file holds.
 *
 * @param path - the file
 * @returns the parsed value
 * @throws CatalogLoadError `cannot read <path>: <reason>` when the file is missing or not JSON
 * @example
 * ```ts
 * readJsonFile('packages/core/catalogues/0.1.0.json');
 * ```
 */
export function readJsonFile(path: string): unknown {
  try {
    return JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new CatalogLoadError(
      `cannot read ${path}: ${error instanceof Error ? error.message : String(error)}`,
    );
  }
}

function fromJson(path: string): Catalog[] {
  const data = readJsonFile(path);
  const object = typeof data === 'object' && data !== null ? (data as Record<string, unknown>) : {};
  try {
    if (typeof object.codes === 'object')
      return [defineCatalog(object as unknown as CatalogDefinition).catalog];
    if (Array.isArray(object.entries))
      return [
        makeCatalog(
          typeof object.dialect === 'string' ? object.dialect : 'custom',
          object.entries as CatalogEntry[],
        ),
      ];
  } catch (error) {
    throw new CatalogLoadError(
      `${path}: ${error instanceof Error ? error.message.replace(/^faultline: /, '') : String(error)}`,
    );
  }
  throw new CatalogLoadError(
    `${path} is neither a defineCatalog definition ({ "codes": … }) nor a catalogue ({ "dialect", "entries": […] })`,
  );
}

/**
 * The catalogues a name or file gives: a built-in dialect's, every catalogue a JavaScript
 * module exports (`defineCatalog(...)` results or catalogues, the default export first), or a
 * JSON file holding a `defineCatalog` definition or `{ dialect, entries }`.
 *
 * @param source - a dialect name or a path
 * @param cwd - the directory relative paths start from
 * @returns the catalogues
 * @throws CatalogLoadError with a one-line reason
 * @example
 * ```ts
 * const [catalog] = await loadCatalogs('./dist/errors.js', process.cwd());
 * ```
 */
export async function loadCatalogs(source: string, cwd: string): Promise<Catalog[]> {
  const builtIn = Object.hasOwn(BUILT_IN, source) ? BUILT_IN[source] : undefined;
  if (builtIn !== undefined) return [builtIn];
  const path = resolve(cwd, source);
  const ext = extname(path).toLowerCase();
  if (ext === '.json') return fromJson(path);
  if (!['.js', '.mjs', '.cjs'].includes(ext)) {
    throw new CatalogLoadError(
      `'${source}' is not a dialect (${Object.keys(BUILT_IN).join(', ')}) or a .js, .mjs, .cjs or .json file`,
    );
  }
  let module: Record<string, unknown>;
  try {
    module = (await import(pathToFileURL(path).href)) as Record<string, unknown>;
  } catch (error) {
    const reason = error instanceof Error ? error.message.split('\n', 1)[0] : String(error);
    throw new CatalogLoadError(`cannot load ${source}: ${reason}`);
  }
  const found: Catalog[] = [];
  for (const value of [
    module.default,
    ...Object.entries(module)
      .filter(([k]) => k !== 'default')
      .map(([, v]) => v),
  ]) {
    const catalog = catalogOf(value);
    if (catalog !== undefined && !found.includes(catalog)) found.push(catalog);
  }
  if (found.length === 0)
    throw new CatalogLoadError(
      `${source} exports no catalogue (export a defineCatalog(...) result)`,
    );
  return found;
}
