/**
 * How closely another engine's float32 evaluation of an exported network must match
 * net.predictProba: 1e-5 relative, i.e. about 170 units of float32's last place (2⁻²⁴ ≈ 6e-8).
 *
 * Why that holds: the engines compute the same float32 operations in different orders (ONNX
 * Runtime's packed GEMM with fused multiply-adds, TF.js's matMul, our SIMD tiles or plain loops)
 * and with different approximations of tanh, sigmoid and exp (ours within 2–4 ulp, theirs of
 * similar accuracy). Each sum of K ≤ 33 products is within (K + 1)·2⁻²⁴ ≈ 2e-6 of its terms'
 * size in any order, over at most 4 layers, and each hidden activation has slope ≤ 1, so the
 * differences stay well below 1e-5 of the size of what an output is computed from. Two cases
 * where an output is small against that size get the size itself as the scale:
 * - a linear output that is a cancelling sum: its scale is M (test/support/export-nets.ts,
 *   termScale), the size of the terms behind it through every layer;
 * - a probability (sigmoid or softmax output) below 0.05: ONNX Runtime evaluates Sigmoid to an
 *   absolute accuracy of about 2⁻²⁴ (measured: 6e-8 off at outputs near 1e-5, a relative 6e-3),
 *   not a relative one, so below 0.05 the bound is the absolute 1e-5 · 0.05 = 5e-7.
 */
import type { Activation, Network } from '../../src/index.js';
import { columnsToRows, rowsToColumns, termScale } from './export-nets.js';

export const REL_TOL = 1e-5;
/** probabilities below this are compared absolutely (see above) */
export const PROBABILITY_FLOOR = 0.05;

/** |a − b| / (REL_TOL · max(|b|, scale)): at most 1 when a matches b; `termScale` is M for linear outputs. */
export function mismatch(a: number, b: number, output: Activation, termScale: number): number {
  const scale = output === 'linear' ? termScale : PROBABILITY_FLOOR;
  return Math.abs(a - b) / (REL_TOL * Math.max(Math.abs(b), scale));
}

export interface Comparison {
  /** the largest mismatch() over all outputs (≤ 1 passes) */
  worst: number;
  /** one line per output that does not match (at most 5) */
  failures: string[];
}

/** Compares an engine's outputs (m rows of n_y) on `xRows` (m rows of n_x) with net.predictProba. */
export function compareWithNetwork(net: Network, xRows: Float32Array, m: number, engineRows: ArrayLike<number>, label: string): Comparison {
  const nx = net.layers[0], ny = net.layers[net.layers.length - 1];
  const X = rowsToColumns(xRows, m, nx);
  const expected = columnsToRows(net.predictProba(X));
  const M = columnsToRows({ rows: ny, cols: m, data: termScale(net, X) });
  const out = net.activations[net.activations.length - 1];
  const result: Comparison = { worst: 0, failures: [] };
  if (engineRows.length !== expected.length) {
    result.failures.push(`${label}: ${engineRows.length} outputs, expected ${expected.length}`);
    result.worst = Infinity;
    return result;
  }
  for (let i = 0; i < expected.length; i++) {
    const r = mismatch(engineRows[i], expected[i], out, M[i]);
    if (!(r <= result.worst)) result.worst = r;
    if (!(r <= 1) && result.failures.length < 5) {
      result.failures.push(`${label}: example ${Math.floor(i / ny)} output ${i % ny}: engine ${engineRows[i]}, predictProba ${expected[i]} (scale M ${M[i]})`);
    }
  }
  return result;
}
