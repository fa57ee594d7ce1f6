// Types of ./stats.cjs, for the tests.
export interface Run {
  readonly rps: number;
  readonly p50: number;
  readonly p99: number;
  readonly cpuUsPerReq: number;
}
export interface Summary extends Run {
  readonly runs: number;
}
export interface Target {
  readonly name: string;
  readonly kind: 'atLeast' | 'atMost';
  readonly threshold: number;
  readonly [key: string]: unknown;
}
export interface Verdict extends Target {
  readonly measured: number;
  readonly met: boolean;
}
export interface Column {
  readonly title: string;
  readonly align?: 'left' | 'right';
}
export function median(values: readonly number[]): number;
export function percentile(values: ArrayLike<number>, p: number): number;
export function ratio(value: number, reference: number): number;
export function pairedRatio(a: readonly number[], b: readonly number[]): number;
export function roundRatios(a: readonly number[], b: readonly number[]): number[];
export function summarize(runs: readonly Run[]): Summary;
export function verdict(target: Target, measured: number): Verdict;
export function formatNumber(value: number, decimals?: number): string;
export function table(columns: readonly Column[], rows: readonly (readonly string[])[]): string;
export function wrap(text: string, width: number): string[];
