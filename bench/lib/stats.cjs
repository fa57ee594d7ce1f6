// The arithmetic of `pnpm bench`: medians of runs, ratios, target verdicts and the text table.
// CommonJS so that the ES-module bench scripts and the jest tests can both load it.
'use strict';

/** The median of numbers (the mean of the middle two for an even count); NaN for none. */
function median(values) {
  const sorted = values
    .filter((v) => typeof v === 'number' && !Number.isNaN(v))
    .sort((a, b) => a - b);
  if (sorted.length === 0) return Number.NaN;
  const middle = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

/** The p-th percentile (0–100) of numbers by nearest rank; NaN for none. */
function percentile(values, p) {
  if (values.length === 0) return Number.NaN;
  const sorted = Float64Array.from(values).sort();
  const rank = Math.min(sorted.length, Math.max(1, Math.ceil((p / 100) * sorted.length)));
  return sorted[rank - 1];
}

/** `value / reference`, rounded to 2 decimals; NaN when either is missing or the reference is 0. */
function ratio(value, reference) {
  if (!Number.isFinite(value) || !Number.isFinite(reference) || reference === 0) return Number.NaN;
  return Math.round((value / reference) * 100) / 100;
}

/**
 * The ratio of two measurements taken side by side in several rounds: the median of the
 * per-round ratios `a[i] / b[i]`, rounded to 2 decimals. Each round's two figures were taken
 * moments apart, so a shared machine's drift between rounds cancels out. NaN without a pair.
 */
function pairedRatio(a, b) {
  return ratio(median(roundRatios(a, b)), 1);
}

/** The per-round ratios `a[i] / b[i]` behind {@link pairedRatio}, rounds without a pair left out. */
function roundRatios(a, b) {
  const ratios = [];
  for (let i = 0; i < Math.min(a.length, b.length); i++) {
    if (Number.isFinite(a[i]) && Number.isFinite(b[i]) && b[i] !== 0) ratios.push(a[i] / b[i]);
  }
  return ratios;
}

/**
 * The medians of a variant's runs. Each run is `{ rps, p50, p99, cpuUsPerReq }`.
 *
 * @returns {{ rps: number, p50: number, p99: number, cpuUsPerReq: number, runs: number }}
 */
function summarize(runs) {
  const of = (key) => median(runs.map((run) => run[key]));
  return {
    rps: of('rps'),
    p50: of('p50'),
    p99: of('p99'),
    cpuUsPerReq: of('cpuUsPerReq'),
    runs: runs.length,
  };
}

/**
 * A target's verdict. `atLeast` targets are met when `measured >= threshold`, `atMost` ones
 * when `measured <= threshold`. A missing measurement is a miss.
 */
function verdict(target, measured) {
  const met =
    Number.isFinite(measured) &&
    (target.kind === 'atMost' ? measured <= target.threshold : measured >= target.threshold);
  return { ...target, measured, met };
}

/** Formats a number for the table: thousands separators for big ones, `decimals` for small ones, '–' for NaN. */
function formatNumber(value, decimals = 0) {
  if (!Number.isFinite(value)) return '–';
  return value.toLocaleString('en-US', {
    minimumFractionDigits: decimals,
    maximumFractionDigits: decimals,
  });
}

/**
 * A plain-text table: a header row, a rule, then the rows; columns are padded to their widest
 * cell, numbers (cells of `align: 'right'` columns) right-aligned.
 *
 * @param {{ title: string, align?: 'left' | 'right' }[]} columns
 * @param {string[][]} rows
 */
function table(columns, rows) {
  const widths = columns.map((c, i) =>
    Math.max(c.title.length, ...rows.map((r) => String(r[i] ?? '').length)),
  );
  const line = (cells) =>
    cells
      .map((cell, i) =>
        columns[i].align === 'right'
          ? String(cell).padStart(widths[i])
          : String(cell).padEnd(widths[i]),
      )
      .join('  ')
      .trimEnd();
  return [
    line(columns.map((c) => c.title)),
    widths.map((w) => '-'.repeat(w)).join('  '),
    ...rows.map(line),
  ].join('\n');
}

/** Breaks text into lines of at most `width` characters at spaces (a longer word stays whole). */
function wrap(text, width) {
  const lines = [];
  let line = '';
  for (const word of text.split(/\s+/).filter(Boolean)) {
    if (line !== '' && line.length + 1 + word.length > width) {
      lines.push(line);
      line = word;
    } else {
      line = line === '' ? word : `${line} ${word}`;
    }
  }
  if (line !== '') lines.push(line);
  return lines;
}

module.exports = {
  median,
  percentile,
  ratio,
  pairedRatio,
  roundRatios,
  summarize,
  verdict,
  formatNumber,
  table,
  wrap,
};
