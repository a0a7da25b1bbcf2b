/**
 * The bench's resource checks: JS heap growth per step, wasm memory growth after the first step at
 * a batch size, and the time of Network.create (see README "Speed").
 */
import { PerformanceObserver, performance } from 'node:perf_hooks';
import { observeWasmMemory } from '../src/core/backend.js';
import { Network, type Matrix } from '../src/index.js';
import { median, theilSen } from './stats.js';
import { activationsOf, allWorkloads, workloadData } from './workloads.js';

export interface Check { name: string; pass: boolean | null; value: number; unit: string; detail: string }
const gc = (globalThis as { gc?: () => void }).gc;

/** (c) Network.create on wasm in this fresh process: the first (compiles the module) and the median of the rest. */
export async function checkCreate(): Promise<Check[]> {
  const times: number[] = [];
  for (let i = 0; i < 21; i++) {
    const t0 = performance.now();
    const net = await Network.create({ layers: [2, 4, 1], backend: 'wasm', seed: 1 });
    times.push(performance.now() - t0);
    net.dispose();
  }
  const rest = median(times.slice(1));
  return [
    { name: 'create: first Network.create (wasm, includes module compile)', pass: null, value: times[0], unit: 'ms', detail: 'informational' },
    { name: 'create: instantiate + Network.create, median of 20 more', pass: rest <= 10, value: rest, unit: 'ms', detail: 'target ≤ 10 ms' },
  ];
}

/**
 * (b) wasm memory over 1000 steps after the first step at a batch size, on planar (fits the first
 * page) and planar-wide (its first step grows the memory to ~1 MB); (a) JS heap after gc() over
 * 10 000 planar steps on wasm.
 */
export async function checkMemory(): Promise<Check[]> {
  const checks: Check[] = [];
  for (const name of ['planar-wide', 'planar']) {
    const w = allWorkloads.find((x) => x.name === name)!;
    const { X, Y } = workloadData(w);
    let memory: WebAssembly.Memory | undefined;
    observeWasmMemory((m) => { memory = m; });
    const net = await Network.create({ layers: w.layers, activations: activationsOf(w), backend: 'wasm', seed: w.seed });
    observeWasmMemory(undefined);
    const initial = memory?.buffer.byteLength ?? NaN;
    net.train(X, Y, { iterations: 1, learningRate: w.learningRate }); // reserves the batch region for this m
    const before = memory?.buffer.byteLength ?? NaN;
    net.train(X, Y, { iterations: 1000, learningRate: w.learningRate });
    const after = memory?.buffer.byteLength ?? NaN;
    checks.push({
      name: `wasm memory growth after the first step (${name}, 1000 steps)`, pass: memory ? after === before : null, value: after - before, unit: 'bytes',
      detail: memory ? `${initial} bytes at creation, ${before} after step 1, ${after} after 1000 more` : 'no wasm memory found (backend fell back to js?)',
    });
    if (name === 'planar-wide') { net.dispose(); continue; }
    checks.push(...await heapCheck(net, X, Y, w.learningRate));
    net.dispose();
  }
  return checks;
}

async function heapCheck(net: Network, X: Matrix, Y: Matrix, learningRate: number): Promise<Check[]> {
  const checks: Check[] = [];
  const opts = { iterations: 1, learningRate };
  // (a) retained JS heap per step, from gc()'d samples every 1000 steps
  if (!gc) {
    checks.push({ name: 'JS heap growth per step (planar, wasm)', pass: null, value: NaN, unit: 'bytes/step', detail: 'skipped: run node with --expose-gc' });
  } else {
    // warm-up: V8 optimises train's loop within the first ~10 000 steps, a one-time ~40 kB of
    // code and feedback on the heap (measured); after that the heap must stay flat
    net.train(X, Y, { ...opts, iterations: 20000 });
    const xs: number[] = [], ys: number[] = [];
    for (let i = 0; i <= 10; i++) {
      if (i > 0) net.train(X, Y, { ...opts, iterations: 1000 });
      gc();
      gc();
      xs.push(i * 1000);
      ys.push(process.memoryUsage().heapUsed);
    }
    const perStep = theilSen(xs, ys);
    // anything retained per step costs ≥ 8 bytes per step (one double in a growing array; any
    // object ≥ 16); the threshold 4 bytes/step tolerates a one-time 40 kB of late JIT code
    checks.push({
      name: 'JS heap growth per step (planar, wasm, 10 000 steps after 20 000 warm-up, gc() before each sample)', pass: perStep < 4, value: perStep, unit: 'bytes/step',
      detail: `heapUsed ${ys[0]} → ${ys[ys.length - 1]} bytes (deltas ${ys.map((y) => y - ys[0]).join(' ')}), Theil–Sen slope; pass if < 4 bytes/step`,
    });
    // informational: garbage collections while 10 000 steps run in one train call
    gc();
    let gcs = 0;
    const obs = new PerformanceObserver((list) => { gcs += list.getEntries().length; });
    obs.observe({ entryTypes: ['gc'] });
    net.train(X, Y, { ...opts, iterations: 10000 });
    await new Promise((r) => setTimeout(r, 50));
    obs.disconnect();
    checks.push({ name: 'garbage collections during one 10 000-step train call', pass: null, value: gcs, unit: 'GCs', detail: 'informational (train returns a Float64Array of the 10 000 costs)' });
  }
  return checks;
}
