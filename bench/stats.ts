/**
 * Pure helpers of the benchmark: statistics, flop counts, argument parsing and the table.
 * No timing and no I/O here, so test/bench.test.ts checks them directly.
 */

/** The benchmark's implementations, in table order. */
export const IMPLS = ['wasm', 'js', 'tfjs-wasm', 'tfjs-cpu', 'numpy'] as const;
export type Impl = (typeof IMPLS)[number];

/** Median of a non-empty list (mean of the two middle values for an even count). */
export function median(xs: readonly number[]): number {
  if (xs.length === 0) throw new Error('median: xs must not be empty');
  const s = [...xs].sort((a, b) => a - b);
  const h = s.length >> 1;
  return s.length % 2 ? s[h] : (s[h - 1] + s[h]) / 2;
}

/**
 * Floating-point operations of one training step, 6·m·Σ_l n_{l-1}·n_l (bench/workloads.json):
 * per layer the forward product (2·m·n_{l-1}·n_l) and the two backward products dW and dA
 * (2 each), counted for every layer even where dA of the input is not formed.
 */
export function flopsPerStep(layers: readonly number[], m: number): number {
  let s = 0;
  for (let l = 1; l < layers.length; l++) s += layers[l - 1] * layers[l];
  return 6 * m * s;
}

/** Floating-point operations of one square product C = A·B of size n: 2·n³. */
export function gemmFlops(n: number): number {
  return 2 * n ** 3;
}

/** GFLOP/s of `flops` done in `seconds`. */
export function gflops(flops: number, seconds: number): number {
  return flops / seconds / 1e9;
}

/**
 * Steps per timed repeat: enough that one repeat lasts at least `minSeconds` given a measured
 * `secondsPerStep` (10% margin), at least 1.
 */
export function stepsFor(secondsPerStep: number, minSeconds: number): number {
  if (!(secondsPerStep > 0)) return 1;
  return Math.max(1, Math.ceil((minSeconds * 1.1) / secondsPerStep));
}

/** Relative difference |a − b| / max(|a|, |b|) (0 when both are 0). */
export function relDiff(a: number, b: number): number {
  const d = Math.max(Math.abs(a), Math.abs(b));
  return d === 0 ? 0 : Math.abs(a - b) / d;
}

/** Parses a comma list against the allowed names; throws naming the option on an unknown one. */
export function parseList<T extends string>(option: string, value: string | undefined, allowed: readonly T[], fallback: readonly T[]): T[] {
  if (value === undefined) return [...fallback];
  const names = value.split(',').map((s) => s.trim()).filter((s) => s !== '');
  const bad = names.filter((n) => !(allowed as readonly string[]).includes(n));
  if (bad.length > 0 || names.length === 0) {
    throw new Error(`bench: --${option} takes a comma list of ${allowed.join(', ')}; got '${value}'`);
  }
  return allowed.filter((a) => names.includes(a));
}

/** Parses --gemm: a comma list of sizes 1…4096, or 'none' for no GEMM; throws naming the option. */
export function parseSizes(option: string, value: string | undefined, fallback: readonly number[]): number[] {
  if (value === undefined) return [...fallback];
  if (value === 'none') return [];
  const sizes = value.split(',').map((s) => Number(s));
  if (sizes.some((n) => !Number.isInteger(n) || n < 1 || n > 4096)) {
    throw new Error(`bench: --${option} takes a comma list of sizes 1…4096, or 'none'; got '${value}'`);
  }
  return sizes;
}

/** Parses --threads: a comma list of thread counts 1…64, sorted, without repeats; throws naming the option. */
export function parseThreads(option: string, value: string | undefined, fallback: readonly number[]): number[] {
  if (value === undefined) return [...fallback];
  const n = value.split(',').map((s) => Number(s.trim()));
  if (n.length === 0 || n.some((t) => !Number.isInteger(t) || t < 1 || t > 64)) {
    throw new Error(`bench: --${option} takes a comma list of thread counts 1…64; got '${value}'`);
  }
  return [...new Set(n)].sort((a, b) => a - b);
}

/**
 * Theil–Sen slope of ys over xs: the median of the slopes of all pairs of points. Robust to a
 * one-time jump (V8 compiling late adds a step of ~20 kB to heapUsed once), unlike least squares.
 */
export function theilSen(xs: readonly number[], ys: readonly number[]): number {
  const slopes: number[] = [];
  for (let i = 0; i < xs.length; i++) {
    for (let j = i + 1; j < xs.length; j++) if (xs[j] !== xs[i]) slopes.push((ys[j] - ys[i]) / (xs[j] - xs[i]));
  }
  return slopes.length ? median(slopes) : 0;
}

/** A plain-text table: the first row is the header, numbers right-aligned. */
export function table(rows: readonly (readonly string[])[]): string {
  const widths = rows[0].map((_, c) => Math.max(...rows.map((r) => (r[c] ?? '').length)));
  const line = (r: readonly string[]) => r.map((cell, c) => (c === 0 ? cell.padEnd(widths[c]) : cell.padStart(widths[c]))).join('  ');
  return [line(rows[0]), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.slice(1).map(line)].join('\n');
}

/** A number with about 3 significant digits, for the table. */
export function fmt(x: number | undefined): string {
  if (x === undefined || !Number.isFinite(x)) return '—';
  const a = Math.abs(x);
  if (a >= 100) return x.toFixed(0);
  if (a >= 10) return x.toFixed(1);
  if (a >= 1) return x.toFixed(2);
  return x.toPrecision(2);
}
