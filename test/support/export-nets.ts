/**
 * Networks and inputs for the export tests: every architecture drawn from a seed, with random
 * weights at a scale that keeps each layer's pre-activations of order 1 (so no activation is
 * saturated everywhere) and random biases (init() leaves b = 0, which would hide a lost bias).
 */
import { Network, type Activation, type BackendName } from '../../src/index.js';
import { createRng } from '../../src/util/rng.js';
import { G64 } from './reference.js';

export const HIDDEN: readonly Activation[] = ['sigmoid', 'tanh', 'relu', 'leakyRelu'];
export const OUTPUTS: readonly Activation[] = ['sigmoid', 'softmax', 'linear'];
export const WIDTHS = [1, 3, 17, 33] as const;

export interface Arch { layers: number[]; activations: Activation[] }

/**
 * depth (layers after the input) 1–4, hidden layers `width` wide; the input and output sizes are
 * other widths of the list (so no weight matrix is square by accident): n_x the next width, n_y
 * the one after (at least 2 for softmax).
 */
export function archOf(depth: number, width: number, hidden: Activation, output: Activation): Arch {
  const k = WIDTHS.indexOf(width as (typeof WIDTHS)[number]);
  const nx = WIDTHS[(k + 1) % WIDTHS.length];
  let ny: number = WIDTHS[(k + 2) % WIDTHS.length];
  if (output === 'softmax') ny = Math.max(2, ny);
  return {
    layers: [nx, ...Array.from({ length: depth - 1 }, () => width), ny],
    activations: [...Array.from({ length: depth - 1 }, () => hidden), output],
  };
}

/** A network with random W (randn·√(2/n_in)) and b (uniform in [−0.5, 0.5]) from `seed`. */
export async function randomNetwork(arch: Arch, backend: BackendName, seed: number): Promise<Network> {
  const net = await Network.create({ ...arch, backend, seed });
  net.init({ scheme: 'he' });
  const rng = createRng(seed + 1000);
  net.setParams(net.getParams().map(({ W }) => ({ W, b: Float32Array.from({ length: W.rows }, () => rng.uniform() - 0.5) })));
  return net;
}

/** m examples of n features, uniform in [−2, 2]: one ROW per example (ONNX's and TF.js's layout). */
export function randomRows(m: number, n: number, seed: number): Float32Array {
  const rng = createRng(seed);
  return Float32Array.from({ length: m * n }, () => 4 * rng.uniform() - 2);
}

/** (m × n) rows → the library's (n × m) columns. */
export function rowsToColumns(rows: Float32Array, m: number, n: number): { rows: number; cols: number; data: Float32Array } {
  const data = new Float32Array(m * n);
  for (let j = 0; j < m; j++) for (let i = 0; i < n; i++) data[i * m + j] = rows[j * n + i];
  return { rows: n, cols: m, data };
}

/** The library's (n × m) result as m rows of n, the layout the engines return. */
export function columnsToRows(M: { rows: number; cols: number; data: ArrayLike<number> }): Float32Array {
  const out = new Float32Array(M.rows * M.cols);
  for (let i = 0; i < M.rows; i++) for (let j = 0; j < M.cols; j++) out[j * M.rows + i] = M.data[i * M.cols + j];
  return out;
}

/** Largest elementwise |a − b| / max(|a|, |b|) (0 where both are 0), with where it happens. */
export function maxRelDiff(a: ArrayLike<number>, b: ArrayLike<number>): { rel: number; at: number; a: number; b: number } {
  let worst = { rel: 0, at: -1, a: 0, b: 0 };
  for (let i = 0; i < a.length; i++) {
    const scale = Math.max(Math.abs(a[i]), Math.abs(b[i]));
    const rel = scale === 0 ? 0 : Math.abs(a[i] - b[i]) / scale;
    if (!(rel <= worst.rel)) worst = { rel, at: i, a: a[i], b: b[i] };
  }
  return worst;
}

/**
 * The scale of the terms behind each output (n_y × m, as predictProba), in float64:
 * M_0 = |x|, M_l = |W_l|·max(|a_{l−1}|, M_{l−1}) + |b_l|. Every float32 rounding in layer l is
 * relative to the terms |W_l|·|a_{l−1}| and |b_l| it sums, and an error from an earlier layer
 * reaches z_l through |W_l| (each hidden activation has slope ≤ 1), so two float32 evaluations
 * of a network with different summation orders differ by a small multiple of 2⁻²⁴·M_L at the
 * output's logits, however much the sums cancel.
 */
export function termScale(net: Network, X: { rows: number; cols: number; data: Float32Array }): Float64Array {
  const m = X.cols;
  let a = Float64Array.from(X.data); // a_{l−1}, float64
  let M = Float64Array.from(X.data, Math.abs); // M_{l−1}
  net.getParams().forEach(({ W, b }, l) => {
    const g = G64[net.activations[l]];
    const aNext = new Float64Array(W.rows * m);
    const MNext = new Float64Array(W.rows * m);
    for (let j = 0; j < W.rows; j++) {
      for (let c = 0; c < m; c++) {
        let z = b[j], s = Math.abs(b[j]);
        for (let k = 0; k < W.cols; k++) {
          const w = W.data[j * W.cols + k], x = a[k * m + c];
          z += w * x;
          s += Math.abs(w) * Math.max(Math.abs(x), M[k * m + c]);
        }
        aNext[j * m + c] = g(z);
        MNext[j * m + c] = s;
      }
    }
    a = aNext;
    M = MNext;
  });
  return M;
}
