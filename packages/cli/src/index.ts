/**
 * The `faultline` command: explain any code of the conventions faultline speaks, read a
 * captured fault response back, and render catalogues as tables.
 *
 * ```sh
 * faultline explain 101507
 * curl -si https://gateway.example/api | faultline parse -
 * faultline translate response.txt --to problem
 * faultline catalog xks --format html > xks-errors.html
 * faultline catalog diff released.json current.json --format md
 * ```
 *
 * @module
 */
import { readFileSync } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import {
  DIALECTS,
  createFaultHandler,
  explain,
  faultFromResponse,
  parseFault,
} from '@faultline/core';
import type { Catalog, ParsedFault } from '@faultline/core';
import { BUILT_IN, CatalogLoadError, loadCatalogs, renderCatalogs } from './catalog.js';
import type { CatalogFormat } from './catalog.js';
import { describeExplanation, describeParsed } from './describe.js';
import { changelogSection, describeChanges, diffCatalogs, readCatalogueJson } from './diff.js';
import { splitResponse } from './http.js';
import { printable, styles } from './text.js';

export { BUILT_IN, CatalogLoadError, anchorsOf, loadCatalogs, renderCatalogs } from './catalog.js';
export type { CatalogFormat, RenderOptions } from './catalog.js';
export {
  changelogSection,
  describeChanges,
  diffCatalogs,
  paramsOf,
  readCatalogueJson,
} from './diff.js';
export type { CatalogChange, CatalogueJson, CatalogueJsonEntry, ChangeKind } from './diff.js';
export { splitResponse } from './http.js';
export type { Captured } from './http.js';
export { describeExplanation, describeParsed } from './describe.js';
export { alignedTable, printable, styles, wrap } from './text.js';
export type { Styles } from './text.js';

/**
 * The streams and environment the command runs with (`process`'s by default).
 *
 * @example
 * ```ts
 * const io: CliIo = { stdout: process.stdout, stderr: process.stderr, stdin: process.stdin, env: process.env, cwd: process.cwd() };
 * ```
 */
export interface CliIo {
  /** Where results go; colour only when it is a TTY. */
  readonly stdout: {
    /** Writes text. */
    write(text: string): unknown;
    readonly isTTY?: boolean;
  };
  /** Where one-line mistakes go. */
  readonly stderr: {
    /** Writes text. */
    write(text: string): unknown;
    readonly isTTY?: boolean;
  };
  readonly stdin?: AsyncIterable<string | Uint8Array> & { readonly isTTY?: boolean };
  readonly env?: Readonly<Record<string, string | undefined>>;
  readonly cwd?: string;
}

/**
 * Exit statuses: 0 done, 1 nothing found (no dialect knows the code, the response is no
 * recognised fault) or a breaking catalogue change, 2 bad usage or unreadable input.
 *
 * @example
 * ```ts
 * process.exitCode = await run(['explain', 'x']); // EXIT.NOT_FOUND when nothing matches
 * ```
 */
export const EXIT = Object.freeze({ OK: 0, NOT_FOUND: 1, BREAKING: 1, USAGE: 2 } as const);

/**
 * The text `faultline --help` prints.
 *
 * @example
 * ```ts
 * USAGE.startsWith('Usage: faultline'); // true
 * ```
 */
export const USAGE = `Usage: faultline <command> [options]

Commands:
  explain <code|name>            What a code means, in every dialect that knows it: status,
                                 meaning, origin, what to check, and the code's arithmetic.
                                 e.g. 101507, 10102, 5104001, KeyNotFoundException,
                                 Server.ClientProxy.SslAuthenticationFailed
  parse [file|-]                 Read a captured error response (a body, or a whole HTTP
                                 response as curl -i prints it) and say what it is.
                                 Reads standard input when the file is - or missing.
  translate [file|-] --to <d>    Read a captured fault, detect its dialect and print the
                                 response a service answering in dialect <d> sends for it,
                                 with the code mapping applied. e.g. --to problem,
                                 --to esb --accept application/xml
  catalog <dialect|file>...      Catalogues as tables: xroad, xks, esb, de4a, ast, problem,
                                 or your own (a .js/.mjs module exporting defineCatalog(...)
                                 results, or a .json definition).
  catalog diff <old> <new>       Every change between two catalogue JSON files (as catalog
                                 --format json writes them). Exit status 1 when a change
                                 breaks clients: a code removed, a status or name changed,
                                 parameters removed or renamed, a message changed that
                                 clients read, a retry tightened.

Options:
  --json                         explain, parse: machine-readable output
  --format md|json|html          catalog: the output format (default md)
  --base-url <url>               catalog, html and md: the URL the page is served at; each
                                 code links to its anchor there (<url>#<code>), the URL a
                                 catalogue entry's docs or problem's typeBase can name
  --format text|md|json          catalog diff: the output format (default text; md is a
                                 changelog section)
  --catalog <file>               explain, parse: also look codes up in your own catalogue
  --content-type <type>          parse: the body's Content-Type, when the capture has no headers
  --status <code>                parse: the response status, when the capture has no status line
  --via xroad                    parse, translate: the response came through X-Road
  --to <dialect>                 translate: the caller's dialect (xroad, xks, esb, de4a, ast, problem)
  --accept <type>                translate: the caller's Accept header
  --expose                       translate: the upstream's message may reach the caller
  -h, --help                     this text
  -v, --version                  the version

Exit status: 0 done, 1 nothing found, not a recognised fault or a breaking change, 2 bad
usage or input.
`;

const MAX_INPUT = 2 * 1024 * 1024;

/** A mistake in the command line or the input: printed as one line, exit status 2. */
class UsageError extends Error {}

const OPTIONS = {
  json: { type: 'boolean' },
  format: { type: 'string' },
  'base-url': { type: 'string' },
  catalog: { type: 'string', multiple: true },
  'content-type': { type: 'string' },
  status: { type: 'string' },
  via: { type: 'string' },
  to: { type: 'string' },
  accept: { type: 'string' },
  expose: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
  version: { type: 'boolean', short: 'v' },
} as const;

type Values = ReturnType<
  typeof parseArgs<{ options: typeof OPTIONS; allowPositionals: true; strict: true }>
>['values'];

function parseCommandLine(args: readonly string[]): { values: Values; positionals: string[] } {
  try {
    return parseArgs({ args: [...args], options: OPTIONS, allowPositionals: true, strict: true });
  } catch (error) {
    // Node's messages run over several lines and name internals; keep the first sentence.
    const message =
      error instanceof Error
        ? (error.message.split('\n', 1)[0] ?? '').replace(/\. To specify.*$/, '')
        : String(error);
    throw new UsageError(message);
  }
}

function only(command: string, values: Values, allowed: readonly (keyof Values)[]): void {
  for (const key of Object.keys(values) as (keyof Values)[]) {
    if (
      values[key] !== undefined &&
      !allowed.includes(key) &&
      key !== 'help' &&
      key !== 'version'
    ) {
      throw new UsageError(`faultline ${command} does not take --${key}`);
    }
  }
}

async function userCatalogs(values: Values, cwd: string): Promise<Catalog[]> {
  const found: Catalog[] = [];
  for (const file of values.catalog ?? []) found.push(...(await loadCatalogs(file, cwd)));
  return found;
}

async function readInput(file: string | undefined, io: CliIo): Promise<string> {
  if (file === undefined || file === '-') {
    if (io.stdin === undefined || (file === undefined && io.stdin.isTTY === true)) {
      throw new UsageError(
        'faultline parse needs a file, or a response on standard input (faultline parse - < response.txt)',
      );
    }
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of io.stdin) {
      const bytes = typeof chunk === 'string' ? Buffer.from(chunk) : Buffer.from(chunk);
      size += bytes.length;
      if (size > MAX_INPUT) throw new UsageError(`the input is larger than ${MAX_INPUT} bytes`);
      chunks.push(bytes);
    }
    return Buffer.concat(chunks).toString('utf8');
  }
  try {
    const info = await stat(file);
    if (!info.isFile()) throw new UsageError(`${file} is not a file`);
    if (info.size > MAX_INPUT) throw new UsageError(`${file} is larger than ${MAX_INPUT} bytes`);
    return await readFile(file, 'utf8');
  } catch (error) {
    if (error instanceof UsageError) throw error;
    const code = (error as { code?: unknown }).code;
    throw new UsageError(
      code === 'ENOENT' ? `${file}: no such file` : `cannot read ${file}: ${String(code ?? error)}`,
    );
  }
}

function statusOption(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  if (!/^[1-5]\d\d$/.test(value))
    throw new UsageError(`--status must be an HTTP status such as 500, got '${value}'`);
  return Number(value);
}

function faultJson(result: ParsedFault): unknown {
  if (!result.recognised) return result;
  const f = result.fault;
  return {
    ...result,
    fault: {
      dialect: f.dialect,
      code: f.code,
      name: f.name,
      status: f.status,
      message: f.message,
      ...(f.correlationId === undefined ? {} : { correlationId: f.correlationId }),
      ...(f.description === undefined ? {} : { description: f.description }),
      ...(f.details === undefined ? {} : { details: f.details }),
      ...(f.params === undefined ? {} : { params: f.params }),
    },
  };
}

async function commandExplain(
  positionals: string[],
  values: Values,
  io: CliIo,
  cwd: string,
  out: (text: string) => void,
): Promise<number> {
  only('explain', values, ['json', 'catalog']);
  const query = positionals.join(' ').trim();
  if (query === '')
    throw new UsageError('faultline explain needs a code or a name, e.g. faultline explain 101507');
  const found = explain(query, { catalogs: await userCatalogs(values, cwd) });
  if (values.json === true) {
    out(`${JSON.stringify(found, null, 2)}\n`);
    return found.length === 0 ? EXIT.NOT_FOUND : EXIT.OK;
  }
  if (found.length === 0) {
    io.stderr.write(`faultline: no dialect knows '${query}'\n`);
    return EXIT.NOT_FOUND;
  }
  const style = styles(colour(io.stdout, io.env));
  out(`${found.map((e) => describeExplanation(e, style).join('\n')).join('\n\n')}\n`);
  return EXIT.OK;
}

async function commandParse(
  positionals: string[],
  values: Values,
  io: CliIo,
  cwd: string,
  out: (text: string) => void,
): Promise<number> {
  only('parse', values, ['json', 'catalog', 'content-type', 'status', 'via']);
  if (positionals.length > 1)
    throw new UsageError('faultline parse reads one file (or - for standard input)');
  if (values.via !== undefined && values.via !== 'xroad')
    throw new UsageError(`--via takes xroad, got '${values.via}'`);
  const status = statusOption(values.status);
  const captured = splitResponse(await readInput(positionals[0], io));
  const result = parseFault(
    captured.body,
    values['content-type'] ?? captured.headers['content-type'],
    {
      headers: captured.headers,
      ...((status ?? captured.status) === undefined ? {} : { status: status ?? captured.status }),
      ...(values.via === 'xroad' ? { via: 'xroad' as const } : {}),
      catalogs: await userCatalogs(values, cwd),
    },
  );
  if (values.json === true) out(`${JSON.stringify(faultJson(result), null, 2)}\n`);
  else out(`${describeParsed(result, styles(colour(io.stdout, io.env))).join('\n')}\n`);
  return result.recognised ? EXIT.OK : EXIT.NOT_FOUND;
}

async function commandTranslate(
  positionals: string[],
  values: Values,
  io: CliIo,
  cwd: string,
  out: (text: string) => void,
): Promise<number> {
  only('translate', values, [
    'json',
    'catalog',
    'content-type',
    'status',
    'via',
    'to',
    'accept',
    'expose',
  ]);
  const to = values.to;
  if (to === undefined || !Object.hasOwn(DIALECTS, to))
    throw new UsageError(
      `faultline translate needs --to with a dialect (${Object.keys(DIALECTS).join(', ')})`,
    );
  if (positionals.length > 1)
    throw new UsageError('faultline translate reads one file (or - for standard input)');
  if (values.via !== undefined && values.via !== 'xroad')
    throw new UsageError(`--via takes xroad, got '${values.via}'`);
  const captured = splitResponse(await readInput(positionals[0], io));
  const contentType = values['content-type'] ?? captured.headers['content-type'];
  const headers = {
    ...captured.headers,
    ...(contentType === undefined ? {} : { 'content-type': contentType }),
  };
  const catalogs = await userCatalogs(values, cwd);
  const via = values.via === 'xroad' ? { via: 'xroad' as const } : {};
  // A body without a status line is answered with its convention's status (500 for no fault).
  const given = statusOption(values.status) ?? captured.status;
  const read = parseFault(captured.body, contentType, { headers, catalogs, ...via });
  const status = given ?? (read.recognised ? read.fault.status : 500);
  const upstream = await faultFromResponse(
    { status, headers, body: captured.body },
    { expose: values.expose === true, catalogs, ...via },
  );
  if (upstream === undefined) {
    io.stderr.write(`faultline: a ${status} response that is no fault: nothing to translate\n`);
    return EXIT.NOT_FOUND;
  }
  const handler = createFaultHandler({
    dialect: to as keyof typeof DIALECTS,
    logger: false,
    correlationId: () => upstream.correlationId ?? '',
  });
  const response = handler.handle(upstream, {
    method: 'GET',
    url: '/',
    headers: values.accept === undefined ? {} : { accept: values.accept },
  });
  const from =
    upstream.dialect === undefined
      ? { status: upstream.status, reason: upstream.message }
      : {
          dialect: upstream.dialect,
          code: upstream.code,
          status: upstream.status,
          ...(upstream.correlationId === undefined
            ? {}
            : { correlationId: upstream.correlationId }),
        };
  const into = {
    dialect: response.fault.dialect,
    code: response.fault.code,
    status: response.status,
    correlationId: response.fault.correlationId,
  };
  if (values.json === true) {
    out(
      `${JSON.stringify({ from, to: into, response: { status: response.status, headers: response.headers, body: response.body } }, null, 2)}\n`,
    );
    return EXIT.OK;
  }
  const side = (f: { dialect?: unknown; code?: unknown; status: number }) =>
    f.dialect === undefined
      ? `no fault (${String(upstream.message)})`
      : `${String(f.dialect)} ${String(f.code)} (${f.status})`;
  const lines = [
    `${side(from)} -> ${side(into)}`,
    '',
    `HTTP/1.1 ${response.status}`,
    ...Object.entries(response.headers).map(([name, value]) => `${name}: ${value}`),
    '',
    printable(response.body),
  ];
  out(`${lines.join('\n')}\n`);
  return EXIT.OK;
}

async function commandCatalog(
  positionals: string[],
  values: Values,
  cwd: string,
  out: (text: string) => void,
): Promise<number> {
  only('catalog', values, ['format', 'base-url']);
  if (positionals[0] === 'diff') return commandDiff(positionals.slice(1), values, cwd, out);
  const format = values.format ?? 'md';
  if (format !== 'md' && format !== 'json' && format !== 'html')
    throw new UsageError(`--format takes md, json or html, got '${format}'`);
  if (positionals.length === 0) {
    throw new UsageError(
      `faultline catalog needs a dialect (${Object.keys(BUILT_IN).join(', ')}) or catalogue file`,
    );
  }
  const baseUrl = values['base-url'];
  if (baseUrl !== undefined) {
    if (format === 'json') throw new UsageError('--base-url is for --format html or md');
    if (!URL.canParse(baseUrl))
      throw new UsageError(`--base-url must be an absolute URL, got '${baseUrl}'`);
  }
  const catalogs: Catalog[] = [];
  for (const source of positionals) catalogs.push(...(await loadCatalogs(source, cwd)));
  out(renderCatalogs(catalogs, format as CatalogFormat, baseUrl === undefined ? {} : { baseUrl }));
  return EXIT.OK;
}

function commandDiff(
  positionals: string[],
  values: Values,
  cwd: string,
  out: (text: string) => void,
): number {
  if (values['base-url'] !== undefined)
    throw new UsageError('faultline catalog diff does not take --base-url');
  const format = values.format ?? 'text';
  if (format !== 'text' && format !== 'md' && format !== 'json')
    throw new UsageError(`catalog diff: --format takes text, md or json, got '${format}'`);
  if (positionals.length !== 2)
    throw new UsageError('faultline catalog diff needs two catalogue JSON files: OLD NEW');
  const changes = diffCatalogs(
    readCatalogueJson(resolve(cwd, positionals[0] ?? '')),
    readCatalogueJson(resolve(cwd, positionals[1] ?? '')),
  );
  if (format === 'json') out(`${JSON.stringify(changes, null, 2)}\n`);
  else out(format === 'md' ? changelogSection(changes) : describeChanges(changes));
  return changes.some((c) => c.kind === 'breaking') ? EXIT.BREAKING : EXIT.OK;
}

function colour(stream: CliIo['stdout'], env: CliIo['env']): boolean {
  return stream.isTTY === true && (env?.NO_COLOR ?? '') === '' && env?.TERM !== 'dumb';
}

function version(): string {
  const manifest = JSON.parse(
    readFileSync(new URL('../../package.json', import.meta.url), 'utf8'),
  ) as { version?: unknown };
  return String(manifest.version);
}

/**
 * Runs the command line `args` (without `node` and the script) and returns the exit status.
 * Never throws: mistakes are one line on standard error.
 *
 * @param args - e.g. `['explain', '101507']`
 * @param io - the streams, environment and working directory; default `process`'s
 * @returns 0 done, 1 nothing found, 2 bad usage or input
 * @example
 * ```ts
 * import { run } from '@faultline/cli';
 * process.exitCode = await run(['explain', '10102']);
 * ```
 */
export async function run(
  args: readonly string[],
  io: CliIo = {
    stdout: process.stdout,
    stderr: process.stderr,
    stdin: process.stdin,
    env: process.env,
  },
): Promise<number> {
  const cwd = io.cwd ?? process.cwd();
  const out = (text: string) => void io.stdout.write(text);
  try {
    const { values, positionals } = parseCommandLine(args);
    const [command, ...rest] = positionals;
    if (values.version === true) {
      out(`${version()}\n`);
      return EXIT.OK;
    }
    if (values.help === true || command === 'help') {
      out(USAGE);
      return EXIT.OK;
    }
    switch (command) {
      case 'explain':
        return await commandExplain(rest, values, io, cwd, out);
      case 'parse':
        return await commandParse(rest, values, io, cwd, out);
      case 'translate':
        return await commandTranslate(rest, values, io, cwd, out);
      case 'catalog':
        return await commandCatalog(rest, values, cwd, out);
      case undefined:
        throw new UsageError(
          'a command is missing: explain, parse, translate or catalog (faultline --help)',
        );
      default:
        throw new UsageError(
          `unknown command '${command}': explain, parse, translate or catalog (faultline --help)`,
        );
    }
  } catch (error) {
    if (error instanceof UsageError || error instanceof CatalogLoadError) {
      io.stderr.write(`faultline: ${error.message}\n`);
      return EXIT.USAGE;
    }
    io.stderr.write(
      `faultline: unexpected failure: ${error instanceof Error ? error.message.split('\n', 1)[0] : String(error)}\n`,
    );
    return EXIT.USAGE;
  }
}
