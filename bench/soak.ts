/**
 * npm run soak [-- --quick]: long runs on wasm that must stay flat. A benchmark, not a unit test:
 *   - planar 2-4-1 (m = 400) for 10⁶ steps and mnist-shape 784-128-10 (m = 256) for 10⁴ steps, on
 *     1 and 2 threads, on the plain-SIMD module and (where the engine runs it: Node 20 with
 *     --experimental-wasm-relaxed-simd, `npm run soak:relaxed`) the relaxed one: the JS heap
 *     after gc() sampled through the run (Theil–Sen slope in bytes per step after a warm-up), the
 *     WebAssembly memory's size at every sample, every cost finite;
 *   - 10⁴ create / train / dispose cycles in one async loop that never yields: the resident size
 *     after gc() every 1000 cycles; and 10⁴ cycles on 2 threads (that loop yields: a pool's start
 *     waits for its workers' messages): the resident size likewise, and the process's threads
 *     (Linux's /proc/self/status) back to their count before the loop — no worker left behind;
 *   - the largest network Network.create accepts (2^24 parameters) through its JSON text and back,
 *     with the longest float32 text, bit for bit.
 * --quick: 10⁵ planar steps, 10³ mnist-shape steps, 2000 cycles (500 on threads), the round trip at 2^22.
 * Prints one PASS/FAIL line per check; exit code 1 if any fails.
 */
import { cpus } from 'node:os';
import { parseArgs } from 'node:util';
import { Network } from '../src/index.js';
import { observeWasmMemory } from '../src/core/backend.js';
import { NETWORK_LIMITS } from '../src/core/architecture.js';
import { relaxedSimdSupported } from '../src/core/modules.js';
import type { SimdName } from '../src/core/modules.js';
import { liveThreads, threadsDownTo } from '../test/support/threads.js';
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

/** Short train() calls after the warm-up's long one (see soakSteps). */
const WARMUP_CALLS = 100;

/** How a soak runs: the module and the thread count. */
interface Exec { simd: SimdName; threads: number }
const execName = (e: Exec) => `${e.simd} SIMD, ${e.threads} thread${e.threads > 1 ? 's' : ''}`;

/** A network on exactly this module and thread count, or a FAIL line and undefined (a step down would soak the wrong thing). */
async function networkOn(e: Exec, options: Omit<Parameters<typeof Network.create>[0], 'simd' | 'threads'>, what: string): Promise<Network | undefined> {
  const net = await Network.create({ ...options, backend: 'wasm', ...e });
  if (net.simd === e.simd && net.threads === e.threads) return net;
  check(false, `${what} on ${execName(e)}`, `got ${net.simd} SIMD on ${net.threads} threads: ${net.notes.join('; ')}`);
  net.dispose();
  return undefined;
}

/** Steps of one workload on wasm in chunks, sampling heap, wasm memory and costs after each chunk. */
async function soakSteps(name: string, steps: number, samples: number, warmup: number, e: Exec): Promise<void> {
  const w = workload(name);
  const { X, Y } = workloadData(w);
  let memory: WebAssembly.Memory | undefined;
  observeWasmMemory((m) => { memory = m; });
  const net = await networkOn(e, { layers: w.layers, activations: workloadActivations(w), seed: w.seed }, name);
  observeWasmMemory(undefined);
  if (net === undefined) return;
  const opts = { learningRate: w.learningRate };
  const t0 = performance.now();
  net.train(X, Y, { ...opts, iterations: warmup }); // V8 optimises train's loop and reserves the batch region
  // and train()'s once-per-call code, which V8 keeps compiling for its first tens of calls
  // (measured: planar's heap after gc() grew ~100 KiB over the first 50 calls, then stayed flat)
  for (let i = 0; i < WARMUP_CALLS; i++) net.train(X, Y, { ...opts, iterations: 10 });
  const chunk = Math.round(steps / samples);
  const xs: number[] = [], heap: number[] = [], wasm: number[] = [], rss: number[] = [];
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
    const mem = process.memoryUsage();
    heap.push(mem.heapUsed);
    rss.push(mem.rss);
    wasm.push(memory!.buffer.byteLength);
  }
  const seconds = (performance.now() - t0) / 1000;
  net.dispose();
  const slope = theilSen(xs, heap);
  const label = `${name} ${w.layers.join('-')} on ${execName(e)}, ${samples * chunk} steps after ${warmup + 10 * WARMUP_CALLS} warm-up (${seconds.toFixed(1)} s, ${Math.round((samples * chunk + warmup + 10 * WARMUP_CALLS) / seconds)} steps/s)`;
  // anything retained per step costs ≥ 8 bytes (a double in a growing array): flat means a slope
  // well below that, 0.5 bytes/step, or — on a run of few steps, where one late allocation of JIT
  // code or feedback after the warm-up dominates the slope — less than 64 KiB in all
  const grew = heap[heap.length - 1] - heap[0];
  check(slope < 0.5 || grew < 64 * 1024, `JS heap, ${label}`,
    `slope ${slope.toFixed(3)} bytes/step (Theil–Sen over ${samples + 1} samples after gc()), heapUsed ${mib(heap[0])} → ${mib(heap[heap.length - 1])} (${grew >= 0 ? '+' : ''}${(grew / 1024).toFixed(1)} KiB)`);
  check(wasm.every((b) => b === wasm[0]), `wasm memory, ${name} on ${execName(e)}`,
    `${wasm[0]} bytes at every sample (${[...new Set(wasm)].join(', ')}); process RSS ${mib(rss[0])} → ${mib(rss[rss.length - 1])}`);
  check(allFinite, `cost finite throughout, ${name} on ${execName(e)}`, `cost ${first.toPrecision(6)} after the warm-up → ${last.toPrecision(6)} at the end`);
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

/**
 * create({ threads: 2 }) / train / dispose cycles: the resident size after gc() every 1000 (every
 * n/10) cycles, and the process's threads before and after. Each create starts a worker and
 * waits for its message, so this loop yields to the event loop once per cycle.
 */
async function soakThreadCycles(n: number, simd: SimdName): Promise<void> {
  const w = workload('planar');
  const { X, Y } = workloadData(w);
  const e = { simd, threads: 2 };
  const cycle = async (seed: number) => {
    const net = await networkOn(e, { layers: w.layers, seed }, 'create/train/dispose cycles');
    if (net === undefined) return false;
    net.train(X, Y, { iterations: 5, learningRate: w.learningRate });
    net.dispose();
    return true;
  };
  // one cycle first, so that what stays for the process's life (the module file's compile, libuv's
  // file-system threads) is there before the count; then the count once its worker has ended
  if (!(await cycle(0))) return;
  const before = await settledThreads();
  const every = Math.max(1, Math.round(n / 10));
  const at: number[] = [], rss: number[] = [], heap: number[] = [], threads: number[] = [];
  let most = before;
  const t0 = performance.now();
  for (let i = 1; i <= n; i++) {
    if (!(await cycle(i))) return;
    most = Math.max(most, liveThreads());
    if (i % every === 0) {
      collect();
      const m = process.memoryUsage();
      at.push(i);
      rss.push(m.rss);
      heap.push(m.heapUsed);
      threads.push(liveThreads());
    }
  }
  const seconds = (performance.now() - t0) / 1000;
  const after = await threadsDownTo(before);
  // Flat means slopes (Theil–Sen, over the samples after the first) far below what anything kept
  // per cycle costs: a worker is megabytes and a shared memory 2 MiB, a thousand times the RSS
  // bound of 2 KiB a cycle (below it the resident size moves by megabytes as threads come and go:
  // 78–119 MiB across the samples of one run). In the JS heap, a MessagePort with its listeners
  // that Node kept in the main thread for a worker whose exit message was lost costs ~1.2 KB:
  // every cycle kept one while a closed pool's supervisor was terminated at once, and one pool in
  // twenty (≈ 95 bytes a cycle) while it exited as soon as its workers had; since it waits for the
  // main thread to have read their exits (pool.ts), none (33 bytes a cycle over 10⁴ cycles: V8
  // compiling code as the loop warms up), under the bound of 256. (A run of few cycles, --quick's 500,
  // sees V8 still compiling the create path, ~0.2 MiB over them: there 512 KiB in all is flat.)
  const rssSlope = theilSen(at.slice(1), rss.slice(1)), heapSlope = theilSen(at.slice(1), heap.slice(1));
  const heapGrew = heap[heap.length - 1] - heap[1];
  check(rssSlope < 2048 && (heapSlope < 256 || heapGrew < 512 * 1024), `${n} create({ threads: 2 })/train/dispose cycles on ${simd} SIMD (${seconds.toFixed(1)} s, ${(1000 * seconds / n).toFixed(1)} ms a cycle)`,
    `after gc() every ${every} cycles, RSS ${rss.map((r) => (r / 2 ** 20).toFixed(0)).join(', ')} MiB (slope after the first ${rssSlope.toFixed(0)} bytes/cycle), `
    + `heapUsed ${heap.map((r) => (r / 2 ** 20).toFixed(1)).join(', ')} MiB (slope ${heapSlope.toFixed(1)} bytes/cycle, ${(heapGrew / 1024).toFixed(0)} KiB after the first)`);
  check(after <= before, `no worker left behind after ${n} cycles on 2 threads`,
    `process threads (/proc/self/status) ${before} before the loop, ${after} after it (at most ${most} during it; sampled every ${every} cycles: ${threads.join(', ')})`);
}

/** The thread count once it has not changed for 500 ms (a disposed pool's workers have exited). */
async function settledThreads(): Promise<number> {
  let n = liveThreads();
  for (let still = 0; still < 25;) {
    await new Promise((r) => setTimeout(r, 20));
    const now = liveThreads();
    still = now === n ? still + 1 : 0;
    n = now;
  }
  return n;
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
// the modules this engine runs (relaxed SIMD: Node 20 with --experimental-wasm-relaxed-simd), each on 1 and 2 threads
const simds: SimdName[] = relaxedSimdSupported() ? ['plain', 'relaxed'] : ['plain'];
if (simds.length === 1) console.log('(relaxed SIMD: this engine has none; npm run soak:relaxed runs Node with --experimental-wasm-relaxed-simd)');
const execs: Exec[] = simds.flatMap((simd) => [1, 2].map((threads) => ({ simd, threads })));
for (const e of execs) await soakSteps('planar', quick ? 100_000 : 1_000_000, 20, 20_000, e);
for (const e of execs) await soakSteps('mnist-shape', quick ? 1000 : 10_000, 10, quick ? 200 : 1000, e);
await soakCycles(quick ? 2000 : 10_000);
for (const simd of simds) await soakThreadCycles(quick ? 500 : 10_000, simd);
await roundTrip(quick ? 2 ** 22 : NETWORK_LIMITS.params);
console.log(`${failed === 0 ? 'all checks pass' : `${failed} check(s) FAIL`} (${((performance.now() - t0) / 1000).toFixed(0)} s)`);
process.exit(failed === 0 ? 0 : 1);
