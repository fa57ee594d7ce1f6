/**
 * How `faultline explain` and `faultline parse` print an explanation and a parsed fault.
 *
 * @module
 */
import type { CodePart, Explanation, FaultOrigin, ParsedFault } from '@faultline/core';
import { alignedTable, printable, wrap } from './text.js';
import type { Styles } from './text.js';

const LABEL = 17;
const FORMAT_NAMES: Readonly<Record<string, string>> = {
  json: 'JSON',
  xml: 'XML',
  soap11: 'SOAP 1.1 fault',
  soap12: 'SOAP 1.2 fault',
};

function field(label: string, value: string, style: Styles): string[] {
  const [first = '', ...rest] = wrap(printable(value), ' '.repeat(LABEL + 2));
  return [`  ${style.dim(label.padEnd(LABEL))}${first.trimStart()}`, ...rest];
}

function list(label: string, items: readonly string[], style: Styles): string[] {
  if (items.length === 0) return [];
  return [
    `  ${style.dim(label)}`,
    ...items.flatMap((item) =>
      wrap(printable(item), '      ').map((line, i) =>
        i === 0 ? `    - ${line.trimStart()}` : line,
      ),
    ),
  ];
}

function partsTable(label: string, parts: readonly CodePart[], style: Styles): string[] {
  if (parts.length === 0) return [];
  const rows = parts.map((p) => [p.name, String(p.value), p.meaning ?? '']);
  return [
    `  ${style.dim(label)}`,
    ...alignedTable(rows, style).map((line) => `    ${printable(line)}`),
  ];
}

function originLines(origin: FaultOrigin | undefined, style: Styles): string[] {
  if (origin === undefined) return [];
  return [
    ...field('Origin', origin.summary, style),
    ...(origin.log === undefined ? [] : field('Log', origin.log, style)),
  ];
}

/**
 * The lines of one explanation: a heading (dialect, code, name, status), then message,
 * meaning, origin, what to check, applicability, arithmetic and notes.
 *
 * @param e - the explanation
 * @param style - the styles
 * @param within - set when printed under a parsed fault: no heading, no origin (the fault's own is shown)
 * @returns the lines
 * @example
 * ```ts
 * describeExplanation(explain('900901')[0]!, styles(false))[0]; // 'esb 900901  API_AUTH_INVALID_CREDENTIALS  HTTP 401'
 * ```
 */
export function describeExplanation(e: Explanation, style: Styles, within = false): string[] {
  const heading = [
    `${e.dialect} ${style.bold(String(e.code))}`,
    e.name === String(e.code) ? undefined : e.name,
    e.status === undefined ? undefined : `HTTP ${e.status}`,
  ].filter((s) => s !== undefined);
  const candidates = e.candidates ?? [];
  return [
    ...(within ? [] : [printable(heading.join('  '))]),
    ...(e.message === undefined
      ? []
      : field(within ? 'Generic message' : 'Message', e.message, style)),
    ...(e.meaning === undefined ? [] : field('Meaning', e.meaning, style)),
    ...(within ? [] : originLines(e.origin, style)),
    ...(e.appliesTo === undefined ? [] : field('Applies to', e.appliesTo.join(', '), style)),
    ...list('Check', e.check, style),
    ...partsTable('Parts', e.parts ?? [], style),
    ...(candidates.length === 0
      ? []
      : [
          `  ${style.dim(`Candidates (${candidates.length}): base + state`)}`,
          ...alignedTable(
            // `101504 + 3  REQUEST_DONE  CONNECTION_TIMEOUT: …`: the long base text goes last.
            candidates.map((c) => [
              c.map((p) => String(p.value)).join(' + '),
              ...c.map((p) => p.meaning ?? '').reverse(),
            ]),
            style,
          ).map((line) => `    ${line}`),
        ]),
    ...list('Notes', e.notes ?? [], style),
  ];
}

/**
 * The lines of a parse result: what was recognised and the fault's fields, or the reason.
 *
 * @param result - what `parseFault` returned
 * @param style - the styles
 * @returns the lines
 * @example
 * ```ts
 * describeParsed(parseFault('{"errorName":"KeyNotFoundException"}'), styles(false))[0];
 * // 'xks fault (JSON), HTTP 404'
 * ```
 */
export function describeParsed(result: ParsedFault, style: Styles): string[] {
  if (!result.recognised) {
    return [
      style.red(`Not a recognised fault: ${printable(result.reason)}`),
      ...originLines(result.origin, style),
    ];
  }
  const { fault } = result;
  const lines = [
    style.green(
      `${result.dialect} fault (${FORMAT_NAMES[result.format] ?? result.format}), HTTP ${fault.status}`,
    ),
    ...field(
      'Code',
      fault.name === String(fault.code)
        ? String(fault.code)
        : `${String(fault.code)} (${fault.name})`,
      style,
    ),
    ...field('Message', fault.message, style),
    ...(fault.correlationId === undefined
      ? []
      : field('Correlation id', fault.correlationId, style)),
    ...(fault.details === undefined
      ? []
      : list(
          'Details',
          fault.details.map((d) => `${d.pointer === '' ? '(body)' : d.pointer}: ${d.message}`),
          style,
        )),
    ...originLines(result.origin, style),
    ...list('Notes', result.notes, style),
  ];
  const e = result.explanation;
  if (e === undefined) return lines;
  return [...lines, '', style.bold('What the code means'), ...describeExplanation(e, style, true)];
}
