/**
 * npm run bench: training steps per second of the wasm and js backends on the shared workloads
 * (bench/workloads.json). One step = forward + cost + backward + update, full batch. Both
 * backends start from the same data and parameters; repeats alternate between them; medians.
 *
 *   npm run bench -- [--quick] [--only wasm,js] [--json FILE]
 */
import { writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { Network, datasets, type BackendName, type Matrix } from '../src/index.js';
import { createRng } from '../src/rng.js';
import spec from './workloads.json' with { type: 'json' };

interface Workload { name: string; layers: number[]; m: number; hidden: 'tanh'; output: 'sigmoid'; data: 'flower' | 'random'; learningRate: number; seed: number }

const { values } = parseArgs({ options: { quick: { type: 'boolean' }, only: { type: 'string' }, json: { type: 'string' } } });
const impls = (values.only ?? 'wasm,js').split(',') as BackendName[];
const all = spec.workloads as Workload[];
const workloads = values.quick ? all.filter((w) => ['planar', 'mnist-shape'].includes(w.name)) : all;
const REPEATS = values.quick ? 3 : 5;
const MIN_SECONDS = 0.3;

function data(w: Workload): { X: Matrix; Y: Matrix } {
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

/** seconds per step, timing batches of steps until MIN_SECONDS have passed */
function timeSteps(net: Network, X: Matrix, Y: Matrix, lr: number, batch: number): { perStep: number; batch: number } {
  let steps = 0;
  const t0 = performance.now();
  let t = t0;
  while (t - t0 < MIN_SECONDS * 1000) {
    net.train(X, Y, { iterations: batch, learningRate: lr });
    steps += batch;
    t = performance.now();
  }
  return { perStep: (t - t0) / 1000 / steps, batch: Math.max(1, Math.round(0.05 / ((t - t0) / 1000 / steps))) };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const results: { workload: string; impl: string; stepsPerSec: number; msPerStep: number; gflops: number; firstCost: number }[] = [];

console.log(`wasm-mlp bench — node ${process.version}, ${cpus()[0]?.model ?? 'unknown cpu'} (${cpus().length} cores)`);
console.log(`protocol: warm-up, then ${REPEATS} alternating repeats of ≥ ${MIN_SECONDS} s per implementation; medians\n`);
for (const w of workloads) {
  const { X, Y } = data(w);
  const nets = await Promise.all(impls.map((backend) => Network.create({
    layers: w.layers, activations: [...w.layers.slice(2).map(() => w.hidden), w.output], backend, seed: w.seed,
  })));
  // every implementation starts from the same parameters: check the first cost agrees
  const first = nets.map((n) => n.train(X, Y, { iterations: 1, learningRate: w.learningRate }).costs[0]);
  if (first.some((c) => Math.abs(c - first[0]) > 1e-5 * first[0])) throw new Error(`${w.name}: first costs differ ${first}`);
  const batch = nets.map((n) => timeSteps(n, X, Y, w.learningRate, 1).batch); // warm-up, sizes the batches
  const times: number[][] = impls.map(() => []);
  for (let r = 0; r < REPEATS; r++) {
    nets.forEach((n, i) => times[i].push(timeSteps(n, X, Y, w.learningRate, batch[i]).perStep));
  }
  const flops = 6 * w.m * w.layers.slice(1).reduce((s, n, l) => s + n * w.layers[l], 0);
  impls.forEach((impl, i) => {
    const t = median(times[i]);
    results.push({ workload: w.name, impl, stepsPerSec: 1 / t, msPerStep: t * 1000, gflops: flops / t / 1e9, firstCost: first[i] });
  });
  nets.forEach((n) => n.dispose());
  const row = results.filter((r) => r.workload === w.name);
  const ratio = row.length === 2 ? `   wasm/js ${(row[0].stepsPerSec / row[1].stepsPerSec).toFixed(1)}×` : '';
  console.log(`${w.name.padEnd(12)} [${w.layers.join('-')}] m=${w.m}`.padEnd(48) +
    row.map((r) => `${r.impl} ${r.stepsPerSec.toFixed(0).padStart(7)} steps/s ${r.gflops.toFixed(2).padStart(6)} GFLOP/s`).join('   ') + ratio);
}
if (values.json) {
  writeFileSync(values.json, JSON.stringify({ node: process.version, cpu: cpus()[0]?.model, results }, null, 2));
  console.log(`\nwrote ${values.json}`);
}
