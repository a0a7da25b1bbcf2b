// The workloads of bench/workloads.json, typed, with their data and activations: shared by the
// benchmark (bench.ts) and the soak run (soak.ts).
import { datasets, type Matrix } from '../src/index.js';
import { createRng } from '../src/util/rng.js';
import spec from './workloads.json' with { type: 'json' };

export interface Workload { name: string; layers: number[]; m: number; hidden: 'tanh'; output: 'sigmoid'; data: 'flower' | 'random'; learningRate: number; seed: number }

export const WORKLOADS = spec.workloads as Workload[];

export function workload(name: string): Workload {
  return WORKLOADS.find((w) => w.name === name)!;
}

/** The workload's X (n_x × m) and Y (n_y × m), by its data convention. */
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

/** Every hidden layer's activation, then the output's. */
export const workloadActivations = (w: Workload) => [...w.layers.slice(2).map(() => w.hidden), w.output];
