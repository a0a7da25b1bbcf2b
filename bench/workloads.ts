/**
 * The shared workloads (bench/workload-data.ts: bench/workloads.json typed, with their data) and
 * what else the benchmarks start from: the initial parameters of one wasm-mlp Network initialised
 * with the workload's seed, and the GEMM operands. Used by the Node bench and the browser bench.
 */
import { Network, type LayerParams } from '../src/index.js';
import { createRng } from '../src/util/rng.js';
import { WORKLOADS, workloadActivations, type Workload } from './workload-data.js';
import spec from './workloads.json' with { type: 'json' };

export { workloadData, type Workload } from './workload-data.js';
export const allWorkloads = WORKLOADS;
export const workloadNames = WORKLOADS.map((w) => w.name);
export const activationsOf = workloadActivations;
export const gemmSpec = spec.gemm;

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
