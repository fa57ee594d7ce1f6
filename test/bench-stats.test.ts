/**
 * The arithmetic behind `pnpm bench` (bench/lib/stats.cjs): medians of runs, ratios, target
 * verdicts and the text table. No timing is measured here.
 */
import {
  formatNumber,
  median,
  pairedRatio,
  percentile,
  ratio,
  roundRatios,
  summarize,
  table,
  verdict,
  wrap,
} from '../bench/lib/stats.cjs';

describe('bench statistics', () => {
  it('should take the middle value, or the mean of the middle two, and ignore NaN', () => {
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(median([5, Number.NaN, 1, 3])).toBe(3);
    expect(median([])).toBeNaN();
  });

  it('should not reorder the runs it is given', () => {
    const runs = [3, 1, 2];
    median(runs);
    expect(runs).toEqual([3, 1, 2]);
  });

  it('should pick percentiles by nearest rank', () => {
    const values = Array.from({ length: 100 }, (_, i) => 100 - i); // 100 … 1
    expect(percentile(values, 50)).toBe(50);
    expect(percentile(values, 99)).toBe(99);
    expect(percentile(values, 100)).toBe(100);
    expect(percentile([7], 99)).toBe(7);
    expect(percentile([], 50)).toBeNaN();
  });

  it('should give ratios to two decimals, and NaN when a side is missing or zero', () => {
    expect(ratio(30_000, 20_000)).toBe(1.5);
    expect(ratio(2, 3)).toBe(0.67);
    expect(ratio(1, 0)).toBeNaN();
    expect(ratio(Number.NaN, 1)).toBeNaN();
  });

  it('should take paired ratios round by round, so that a slow round slows both sides alike', () => {
    // Rounds 2 and 3 ran on a busy machine; the per-round ratio stays 0.9.
    expect(pairedRatio([90, 45, 30], [100, 50, 33.33])).toBe(0.9);
    // The ratio of the medians would say 1.0 here; the rounds say otherwise.
    expect(pairedRatio([100, 60, 45], [100, 100, 50])).toBe(0.9);
    expect(pairedRatio([1, Number.NaN, 3], [1, 2, 0])).toBe(1);
    expect(pairedRatio([], [])).toBeNaN();
    expect(roundRatios([1, Number.NaN, 3], [2, 2, 0])).toEqual([0.5]);
  });

  it('should summarise runs field by field with medians', () => {
    const runs = [
      { rps: 100, p50: 1, p99: 9, cpuUsPerReq: 30 },
      { rps: 300, p50: 3, p99: 7, cpuUsPerReq: 10 },
      { rps: 200, p50: 2, p99: 8, cpuUsPerReq: 20 },
    ];
    expect(summarize(runs)).toEqual({ rps: 200, p50: 2, p99: 8, cpuUsPerReq: 20, runs: 3 });
  });

  it('should meet at-least targets from the threshold up and at-most targets from it down', () => {
    const atLeast = { name: 'a', kind: 'atLeast', threshold: 0.95 } as const;
    const atMost = { name: 'b', kind: 'atMost', threshold: 3 } as const;
    expect(verdict(atLeast, 0.95).met).toBe(true);
    expect(verdict(atLeast, 0.94).met).toBe(false);
    expect(verdict(atMost, 3).met).toBe(true);
    expect(verdict(atMost, 3.01).met).toBe(false);
    expect(verdict(atLeast, Number.NaN)).toMatchObject({ met: false, measured: NaN, name: 'a' });
  });

  it('should format numbers with separators and a dash for a missing one', () => {
    expect(formatNumber(31_234.4)).toBe('31,234');
    expect(formatNumber(1.234, 2)).toBe('1.23');
    expect(formatNumber(Number.NaN)).toBe('–');
  });

  it('should pad columns to their widest cell and right-align numeric ones', () => {
    const text = table(
      [{ title: 'variant' }, { title: 'req/s', align: 'right' }],
      [
        ['floor', '51,000'],
        ['faultline xroad JSON', '9'],
      ],
    );
    expect(text.split('\n')).toEqual([
      'variant                req/s',
      '--------------------  ------',
      'floor                 51,000',
      'faultline xroad JSON       9',
    ]);
  });

  it('should wrap text at spaces within the width, keeping a longer word whole', () => {
    expect(wrap('the quick  brown fox jumps', 10)).toEqual(['the quick', 'brown fox', 'jumps']);
    expect(wrap('a supercalifragilistic b', 5)).toEqual(['a', 'supercalifragilistic', 'b']);
    expect(wrap('', 10)).toEqual([]);
  });
});
