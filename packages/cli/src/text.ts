/**
 * Terminal output: colour only when the stream is a TTY (and `NO_COLOR` is unset), tables
 * with aligned columns, and wrapping of long paragraphs.
 *
 * @module
 */

/**
 * The styles the output uses; each returns its text unchanged when colour is off.
 *
 * @example
 * ```ts
 * const style = styles(false);
 * style.bold('Meaning'); // 'Meaning'
 * ```
 */
export interface Styles {
  /** Bold, for headings. */
  readonly bold: (text: string) => string;
  /** Dimmed, for labels. */
  readonly dim: (text: string) => string;
  /** Red, for what is not recognised. */
  readonly red: (text: string) => string;
  /** Green, for a recognised fault. */
  readonly green: (text: string) => string;
  /** Cyan, for emphasis. */
  readonly cyan: (text: string) => string;
}

const plain = (text: string) => text;
const sgr = (open: number, close: number) => (text: string) =>
  `\u001b[${open}m${text}\u001b[${close}m`;

/**
 * The styles for a stream: ANSI colours when `colour` is true, plain text otherwise.
 *
 * @param colour - whether to colour
 * @returns the styles
 * @example
 * ```ts
 * styles(true).red('x'); // '\u001b[31mx\u001b[39m'
 * ```
 */
export function styles(colour: boolean): Styles {
  if (!colour) return { bold: plain, dim: plain, red: plain, green: plain, cyan: plain };
  return {
    bold: sgr(1, 22),
    dim: sgr(2, 22),
    red: sgr(31, 39),
    green: sgr(32, 39),
    cyan: sgr(36, 39),
  };
}

// Control characters of a captured body must not drive the terminal.
const CONTROL = /[\u0000-\u0008\u000B-\u001F\u007F-\u009F]/g;

/**
 * Text from a captured response, made safe to print: control characters (ANSI escapes
 * included) become `�`.
 *
 * @param text - any text
 * @returns the text without control characters
 * @example
 * ```ts
 * printable('a\u001b[2Jb'); // 'a�[2Jb'
 * ```
 */
export function printable(text: string): string {
  return text.replace(CONTROL, '\uFFFD');
}

/**
 * Columns padded to the widest cell, two spaces apart; the last column is not padded.
 *
 * @param rows - the rows, the first being the header when `header` is true
 * @param style - the styles (the header is bold)
 * @param header - whether the first row is a header
 * @returns the lines
 * @example
 * ```ts
 * alignedTable([['code', 'status'], ['900901', '401']], styles(false), true);
 * // ['code    status', '900901  401']
 * ```
 */
export function alignedTable(
  rows: readonly (readonly string[])[],
  style: Styles,
  header = false,
): string[] {
  const widths: number[] = [];
  for (const row of rows)
    row.forEach((cell, i) => (widths[i] = Math.max(widths[i] ?? 0, [...cell].length)));
  return rows.map((row, r) => {
    const line = row
      .map((cell, i) =>
        i === row.length - 1 ? cell : cell + ' '.repeat((widths[i] ?? 0) - [...cell].length),
      )
      .join('  ')
      .trimEnd();
    return header && r === 0 ? style.bold(line) : line;
  });
}

/**
 * A paragraph wrapped at `width` columns, every line indented.
 *
 * @param text - the paragraph
 * @param indent - the indentation
 * @param width - the line width
 * @returns the lines
 * @example
 * ```ts
 * wrap('one two three', '  ', 9); // ['  one two', '  three']
 * ```
 */
export function wrap(text: string, indent: string, width = 100): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(/\s+/).filter((w) => w !== '')) {
    if (line !== '' && indent.length + line.length + 1 + word.length > width) {
      lines.push(indent + line);
      line = word;
    } else line = line === '' ? word : `${line} ${word}`;
  }
  if (line !== '') lines.push(indent + line);
  return lines;
}
