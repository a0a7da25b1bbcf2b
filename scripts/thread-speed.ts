// Rough speed of threads and of the relaxed-SIMD module, 1 thread against 2 (or `--threads N`) in
// one process, runs interleaved so that a load change hits both sides alike:
//   npm run speed:threads [-- --rounds 15] [--only dispatch|gemm|steps]
// relaxed SIMD is measured where this Node has it (node --experimental-wasm-relaxed-simd on Node 20:
//   npm run speed:threads:relaxed).
// Prints the machine's load average before and after: on a shared machine the figures are noisy,
// and `npm run bench` (issue's --threads/--simd axes) is the measurement of record.
import { loadavg, cpus } from 'node:os';
import { parseArgs } from 'node:util';
import { Worker } from 'node:worker_threads';
import { createWasmBackend, type Backend } from '../src/core/backend.js';
import { relaxedSimdSupported } from '../src/core/modules.js';
import type { SimdName } from '../src/core/modules.js';
import { Network } from '../src/index.js';
import spec from '../bench/workloads.json' with { type: 'json' };

const { values } = parseArgs({ options: { rounds: { type: 'string', default: '15' }, threads: { type: 'string', default: '2' }, only: { type: 'string' } } });
const ROUNDS = Number(values.rounds), T = Number(values.threads);
const simds: SimdName[] = relaxedSimdSupported() ? ['plain', 'relaxed'] : ['plain'];
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[xs.length >> 1];

function fill(h: Float32Array, p: number, n: number, seed: number): void {
  let x = seed >>> 0;
  for (let i = 0; i < n; i++) {
    x = (Math.imul(x, 1103515245) + 12345) >>> 0;
    h[(p >> 2) + i] = x / 2 ** 32 - 0.5;
  }
}

/** time per call (ms) of `run` on each backend, interleaved, median and best over ROUNDS */
function race(runs: (() => void)[], reps: number): { median: number[]; best: number[] } {
  const t = runs.map(() => [] as number[]);
  for (const r of runs) r(); // warm-up
  for (let round = 0; round < ROUNDS; round++) {
    runs.forEach((r, i) => {
      const t0 = performance.now();
      for (let k = 0; k < reps; k++) r();
      t[i].push((performance.now() - t0) / reps);
    });
  }
  return { median: t.map(median), best: t.map((x) => Math.min(...x)) };
}

/**
 * How many cores this process gets right now: the work T busy workers do in 400 ms, over what
 * one does (T when the machine is otherwise idle; about 1 when other processes hold the rest).
 */
async function coresNow(): Promise<number> {
  const code = `const { parentPort } = require('node:worker_threads'); let x = 0, n = 0; const t0 = Date.now();
    while (Date.now() - t0 < 400) { for (let i = 0; i < 1e5; i++) x += Math.sqrt(i); n++; } parentPort.postMessage(n + (x < 0 ? 1 : 0));`;
  const work = async (k: number) => (await Promise.all(Array.from({ length: k }, () => new Promise<number>((resolve) => {
    new Worker(code, { eval: true }).once('message', resolve);
  })))).reduce((a, b) => a + b, 0);
  const one = await work(1);
  return (await work(T)) / one;
}

console.log(`node ${process.version}, ${cpus().length} cores (${cpus()[0]?.model}), load average ${loadavg().map((l) => l.toFixed(2)).join(' ')}`);
console.log(`cores this process gets now (${T} busy workers' work / 1 worker's): ${(await coresNow()).toFixed(2)}`);
console.log(`${ROUNDS} interleaved rounds; ratio = time on ${T} threads / time on 1 (median of rounds; best in brackets)\n`);

if (values.only === undefined || values.only === 'dispatch') {
  // a dispatch of two tiny parts (a 4 × 8 block each): the cost of waking the workers and waiting
  const be = await createWasmBackend({ simd: 'plain', threads: T });
  const pool = be.pool!, id = pool.id('gemm_nn_part');
  const a = be.base, b = a + 1024, c = b + 1024;
  be.reserve(c + 1024);
  const once = () => {
    pool.begin();
    for (let p = 0; p < T; p++) pool.part(id, 2, c, 0, a, b, 4 * T, 8, 4, 4 * p, 4 * p + 4, 0, 8, 1, 0);
    pool.run();
  };
  // the same with a worker taking the first part (the caller waits until one has): a round trip through a worker
  const viaWorker = () => {
    pool.begin();
    for (let p = 0; p < T; p++) pool.part(id, 2, c, 0, a, b, 4 * T, 8, 4, 4 * p, 4 * p + 4, 0, 8, 1, 0);
    pool.run(true);
  };
  const r = race([once, viaWorker], 2000);
  console.log(`dispatch of ${T} tiny parts (the workers spinning): ${(r.median[0] * 1e3).toFixed(1)} µs (${(r.best[0] * 1e3).toFixed(1)} best)`);
  console.log(`the same, a worker claiming the first part: ${(r.median[1] * 1e3).toFixed(1)} µs (${(r.best[1] * 1e3).toFixed(1)} best)`);
  be.dispose();
  // starting a pool: its supervisor thread, which starts the T − 1 workers
  const starts: number[] = [];
  for (let i = 0; i < ROUNDS; i++) {
    const t0 = performance.now();
    const started = await createWasmBackend({ simd: 'plain', threads: T });
    starts.push(performance.now() - t0);
    started.dispose();
    await started.pool!.terminated;
  }
  console.log(`start of a ${T}-thread backend (the pool's threads started): ${median(starts).toFixed(1)} ms (${Math.min(...starts).toFixed(1)} best)`);
  console.log('');
}

if (values.only !== 'steps' && values.only !== 'dispatch') {
  for (const simd of simds) {
    const bes: Backend[] = [await createWasmBackend({ simd, threads: 1 }), await createWasmBackend({ simd, threads: T })];
    for (const [form, M, N, K] of [['nn', 512, 512, 512], ['nn', 256, 256, 256], ['nn', 128, 256, 784], ['nt', 128, 784, 256], ['tn', 256, 256, 256]] as const) {
      const runs = bes.map((be) => {
        const a = be.base, b = a + M * K * 4 + 64, c = b + K * N * 4 + 64;
        const h = be.reserve(c + M * N * 4);
        fill(h, a, M * K, 1);
        fill(h, b, K * N, 2);
        const g = be.kernels[`gemm_${form}`];
        return () => g(c, a, b, M, N, K, 1, 0);
      });
      const r = race(runs, Math.max(1, Math.round(1e8 / (M * N * K))));
      const gf = (ms: number) => ((2 * M * N * K) / ms / 1e6).toFixed(1);
      console.log(`gemm_${form} ${M}×${N}×${K} ${simd}: 1 thread ${(r.median[0] * 1e3).toFixed(0)} µs (${gf(r.median[0])} GFLOP/s), ${T} threads ${(r.median[1] * 1e3).toFixed(0)} µs (${gf(r.median[1])} GFLOP/s): ratio ${(r.median[1] / r.median[0]).toFixed(2)} (${(r.best[1] / r.best[0]).toFixed(2)})`);
    }
    for (const be of bes) be.dispose();
  }
  console.log('');
}

if (values.only !== 'gemm' && values.only !== 'dispatch') {
  for (const w of spec.workloads) {
    const { layers, m } = w;
    const L = layers.length - 1;
    const activations = [...Array(L - 1).fill(w.hidden), w.output] as ('tanh' | 'sigmoid')[];
    const X = { rows: layers[0], cols: m, data: Float32Array.from({ length: layers[0] * m }, (_, i) => Math.sin(i * 0.71)) };
    const Y = { rows: layers[L], cols: m, data: Float32Array.from({ length: layers[L] * m }, (_, i) => (i % 3 === 0 ? 1 : 0)) };
    const flop = 6 * m * layers.slice(1).reduce((s, n, l) => s + n * layers[l], 0);
    const steps = Math.max(1, Math.round(3e9 / flop)); // about 60–120 ms of work per round: train()'s own cost per call (checking and copying X) spread thin
    for (const simd of simds) {
      const nets = [await Network.create({ layers, activations, seed: 1, simd, threads: 1 }), await Network.create({ layers, activations, seed: 1, simd, threads: T })];
      const r = race(nets.map((net) => () => net.train(X, Y, { iterations: steps, learningRate: 0.01 })), 1);
      const us = (ms: number) => ((ms / steps) * 1e3).toFixed(0);
      console.log(`${w.name} ${simd}: 1 thread ${us(r.median[0])} µs/step, ${T} threads (${nets[1].threads} ran) ${us(r.median[1])} µs/step: speedup ${(r.median[0] / r.median[1]).toFixed(2)}× (${(r.best[0] / r.best[1]).toFixed(2)}× best)`);
      for (const n of nets) n.dispose();
    }
  }
}
console.log(`\nload average after: ${loadavg().map((l) => l.toFixed(2)).join(' ')}; cores this process gets now: ${(await coresNow()).toFixed(2)}`);
