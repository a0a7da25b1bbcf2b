/**
 * The shared workloads (bench/workloads.json) as data every implementation starts from: X and Y
 * by the workload's conventions, and the initial parameters of one wasm-mlp Network initialised
 * with the workload's seed. Used by the Node bench and the browser bench alike.
 */
import { Network, datasets, type LayerParams, type Matrix } from '../src/index.js';
import { createRng } from '../src/util/rng.js';
import spec from './workloads.json' with { type: 'json' };

export interface Workload { name: string; layers: number[]; m: number; hidden: 'tanh'; output: 'sigmoid'; data: 'flower' | 'random'; learningRate: number; seed: number }

export const allWorkloads = spec.workloads as Workload[];
export const workloadNames = allWorkloads.map((w) => w.name);
export const gemmSpec = spec.gemm;

export function workloadData(w: Workload): { X: Matrix; Y: Matrix } {
  if (w.data === 'flower') return datasets.flower({ m: w.m, seed: w.seed });
  const rng = createRng(w.seed);
  const nX = w.layers[0], nY = w.layers[w.layers.length - 1];
  const X = { rows: nX, cols: w.m, data: Float32Array.from({ length: nX * w.m }, () => rng.normal()) };
  const Y = { rows: nY, cols: w.m, data: new Float32Array(nY * w.m) };
  for (let j = 0; j < w.m; j++) {
    if (nY === 1) Y.data[j] = rng.uniform() < 0.5 ? 1 : 0;
    else Y.data[Math.floor(rng.uniform() * nY) * w.m + j] = 1; // one-hot column
  }
  return { X, Y };
}

export const activationsOf = (w: Workload) => [...w.layers.slice(2).map(() => w.hidden), w.output];

/** The initial parameters of every implementation: a wasm-mlp Network init with the workload's seed. */
export async function initialParams(w: Workload): Promise<LayerParams[]> {
  const net = await Network.create({ layers: w.layers, activations: activationsOf(w), backend: 'wasm', seed: w.seed });
  const p = net.getParams();
  net.dispose();
  return p;
}

/** Square float32 operands A and B of a GEMM of size n, from the spec's seed. */
export function gemmOperands(n: number): { A: Float32Array; B: Float32Array } {
  const rng = createRng(spec.gemm.seed + n);
  const A = Float32Array.from({ length: n * n }, () => rng.normal());
  const B = Float32Array.from({ length: n * n }, () => rng.normal());
  return { A, B };
}
