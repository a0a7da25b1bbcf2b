/**
 * npm run soak [-- --quick]: long runs on wasm that must stay flat. A benchmark, not a unit test:
 *   - planar 2-4-1 (m = 400) for 10⁶ steps and mnist-shape 784-128-10 (m = 256) for 10⁴ steps:
 *     the JS heap after gc() sampled through the run (Theil–Sen slope in bytes per step after a
 *     warm-up), the WebAssembly memory's size at every sample, every cost finite;
 *   - 10⁴ create / train / dispose cycles in one async loop that never yields: the resident size
 *     after gc() every 1000 cycles;
 *   - the largest network Network.create accepts (2^24 parameters) through its JSON text and back,
 *     with the longest float32 text, bit for bit.
 * --quick: 10⁵ planar steps, 10³ mnist-shape steps, 2000 cycles, the round trip at 2^22.
 * Prints one PASS/FAIL line per check; exit code 1 if any fails.
 */
import { cpus } from 'node:os';
import { parseArgs } from 'node:util';
import { Network } from '../src/index.js';
import { observeWasmMemory } from '../src/core/backend.js';
import { NETWORK_LIMITS } from '../src/core/architecture.js';
import { theilSen } from './stats.js';
import { workload, workloadActivations, workloadData } from './workload-data.js';

const { values: flags } = parseArgs({ options: { quick: { type: 'boolean' } }, strict: true });
const quick = Boolean(flags.quick);
const gc = (globalThis as { gc?: () => void }).gc;
if (!gc) throw new Error('run with node --expose-gc (npm run soak does)');
const collect = () => { gc(); gc(); };
const mib = (b: number) => `${(b / 2 ** 20).toFixed(1)} MiB`;

let failed = 0;
function check(pass: boolean, name: string, detail: string): void {
  if (!pass) failed++;
  console.log(`${pass ? 'PASS' : 'FAIL'} ${name}: ${detail}`);
}

/** Steps of one workload on wasm in chunks, sampling heap, wasm memory and costs after each chunk. */
async function soakSteps(name: string, steps: number, samples: number, warmup: number): Promise<void> {
  const w = workload(name);
  const { X, Y } = workloadData(w);
  let memory: WebAssembly.Memory | undefined;
  observeWasmMemory((m) => { memory = m; });
  const net = await Network.create({ layers: w.layers, activations: workloadActivations(w), backend: 'wasm', seed: w.seed });
  observeWasmMemory(undefined);
  const opts = { learningRate: w.learningRate };
  const t0 = performance.now();
  net.train(X, Y, { ...opts, iterations: warmup }); // V8 optimises train's loop and reserves the batch region
  const chunk = Math.round(steps / samples);
  const xs: number[] = [], heap: number[] = [], wasm: number[] = [];
  let first = NaN, last = NaN, allFinite = true;
  for (let i = 0; i <= samples; i++) {
    if (i > 0) {
      const { costs } = net.train(X, Y, { ...opts, iterations: chunk });
      for (const c of costs) if (!Number.isFinite(c)) allFinite = false;
      if (Number.isNaN(first)) first = costs[0];
      last = costs[costs.length - 1];
    }
    collect();
    xs.push(i * chunk);
    heap.push(process.memoryUsage().heapUsed);
    wasm.push(memory!.buffer.byteLength);
  }
  const seconds = (performance.now() - t0) / 1000;
  net.dispose();
  const slope = theilSen(xs, heap);
  const label = `${name} ${w.layers.join('-')}, ${samples * chunk} steps after ${warmup} warm-up (${seconds.toFixed(1)} s, ${Math.round((samples * chunk + warmup) / seconds)} steps/s)`;
  // anything retained per step costs ≥ 8 bytes (a double in a growing array): flat means a slope
  // well below that, 0.5 bytes/step, or — on a run of few steps, where one late allocation of JIT
  // code or feedback after the warm-up dominates the slope — less than 64 KiB in all
  const grew = heap[heap.length - 1] - heap[0];
  check(slope < 0.5 || grew < 64 * 1024, `JS heap, ${label}`,
    `slope ${slope.toFixed(3)} bytes/step (Theil–Sen over ${samples + 1} samples after gc()), heapUsed ${mib(heap[0])} → ${mib(heap[heap.length - 1])} (${grew >= 0 ? '+' : ''}${(grew / 1024).toFixed(1)} KiB)`);
  check(wasm.every((b) => b === wasm[0]), `wasm memory, ${name}`, `${wasm[0]} bytes at every sample (${[...new Set(wasm)].join(', ')})`);
  check(allFinite, `cost finite throughout, ${name}`, `cost ${first.toPrecision(6)} after the warm-up → ${last.toPrecision(6)} at the end`);
}

/** create / train / dispose in one async loop that never returns to the event loop. */
async function soakCycles(n: number): Promise<void> {
  const w = workload('planar');
  const { X, Y } = workloadData(w);
  const rss: number[] = [];
  const t0 = performance.now();
  for (let i = 1; i <= n; i++) {
    const net = await Network.create({ layers: w.layers, backend: 'wasm', seed: i });
    net.train(X, Y, { iterations: 5, learningRate: w.learningRate });
    net.dispose();
    if (i % 1000 === 0) {
      collect();
      rss.push(process.memoryUsage().rss);
    }
  }
  const seconds = (performance.now() - t0) / 1000;
  // the first 1000 cycles warm up (JIT, allocator pools); after them the resident size must stay
  // within allocator noise, 4 MiB (a memory kept per cycle grew it by ~14 kB a cycle, a
  // WebAssembly.validate per create by ~1 kB: 9 MiB over 10⁴ cycles)
  const growth = rss[rss.length - 1] - rss[0];
  check(growth < 4 * 2 ** 20, `${n} create/train/dispose cycles in one async loop (${seconds.toFixed(1)} s)`,
    `RSS after gc() every 1000 cycles: ${rss.map((r) => (r / 2 ** 20).toFixed(0)).join(', ')} MiB; growth after the first 1000: ${mib(growth)}`);
}

/** A network of `params` parameters, every one the longest float32 text, through JSON and back. */
async function roundTrip(params: number): Promise<void> {
  // [n − 1, n] has n·n parameters
  const n = Math.sqrt(params);
  const net = await Network.create({ layers: [n - 1, n], activations: ['linear'], backend: 'wasm' });
  const worst = -0.0000031230601962306537; // 25 characters, the most a float32 takes
  const [{ W, b }] = net.getParams();
  W.data.fill(worst);
  b.fill(worst);
  net.setParams([{ W, b }]);
  const t0 = performance.now();
  const text = JSON.stringify(net);
  const back = await Network.fromJSON(text, { backend: 'wasm' });
  const seconds = (performance.now() - t0) / 1000;
  const [p] = back.getParams();
  const same = p.W.data.every((x) => x === Math.fround(worst)) && p.b.every((x) => x === Math.fround(worst));
  check(same && back.paramCount === params, `model file round trip, ${params} parameters (create's limit is ${NETWORK_LIMITS.params})`,
    `text ${text.length} characters, toJSON + fromJSON ${seconds.toFixed(1)} s, every parameter back bit for bit: ${same}`);
  net.dispose();
  back.dispose();
}

console.log(`wasm-mlp soak${quick ? ' --quick' : ''}: Node ${process.version}, ${cpus()[0]?.model ?? 'unknown cpu'} × ${cpus().length}`);
const t0 = performance.now();
await soakSteps('planar', quick ? 100_000 : 1_000_000, 20, 20_000);
await soakSteps('mnist-shape', quick ? 1000 : 10_000, 10, quick ? 200 : 1000);
await soakCycles(quick ? 2000 : 10_000);
await roundTrip(quick ? 2 ** 22 : NETWORK_LIMITS.params);
console.log(`${failed === 0 ? 'all checks pass' : `${failed} check(s) FAIL`} (${((performance.now() - t0) / 1000).toFixed(0)} s)`);
process.exit(failed === 0 ? 0 : 1);
