/**
 * npm run bench: wasm-mlp's two backends against TensorFlow.js 4.22 (wasm and cpu backends) on the
 * shared workloads (bench/workloads.json), square GEMM against this machine's WASM SIMD peak,
 * and the resource checks (JS heap, wasm memory, creation time). See README "Speed".
 *
 *   npm run bench -- [--quick] [--only wasm,js,tfjs-wasm,tfjs-cpu] [--workloads planar,deep]
 *                    [--gemm 128,512 | --gemm none] [--no-checks] [--json FILE]
 *
 * Protocol: every implementation starts from the same data and parameters; step 1's cost must
 * agree (relative 1e-4) or the run aborts; warm-up and calibration; then REPEATS timed repeats
 * per implementation, alternating round-robin, each ≥ MIN_SECONDS (or one step when a step is
 * longer); medians.
 */
import { writeFileSync } from 'node:fs';
import { cpus, platform, release } from 'node:os';
import { performance } from 'node:perf_hooks';
import { PerformanceObserver } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import * as backendModule from '../src/core/backend.js';
import { createJsBackend, createWasmBackend, observeWasmMemory, type Backend } from '../src/core/backend.js';
import { Network, type LayerParams, type Matrix } from '../src/index.js';
import { createRng } from '../src/util/rng.js';
import peakBytes from '../build/peak.wasm';
import { relaxedSimdSupported } from './relaxed.js';
import { IMPLS, fmt, flopsPerStep, gemmFlops, gflops, median, parseList, parseSizes, relDiff, stepsFor, theilSen, table, type Impl } from './stats.js';
import { TF_FORMS, TfGemm, TfNet, initTf, tfTensorCount, useTf, type TfBackend, type TfForm, type TfInfo } from './tfjs.js';
import spec from './workloads.json' with { type: 'json' };
import { WORKLOADS, workloadActivations, workloadData, type Workload } from './workload-data.js';


const REPEATS = 5;
const MIN_SECONDS = 0.3;
/** An implementation whose single step would make its REPEATS repeats take longer than this is skipped. */
const MAX_SECONDS_PER_IMPL = 90;
/** step-1 costs must agree to this relative difference (float32 sums of up to 10·m terms in different orders: ~1e-6) */
const COST_TOLERANCE = 1e-4;

/** A bad flag prints one line and exits with code 2. */
function usage<T>(f: () => T): T {
  try {
    return f();
  } catch (e) {
    console.error((e as Error).message);
    process.exit(2);
  }
}
const { values } = usage(() => parseArgs({
  options: {
    quick: { type: 'boolean' }, only: { type: 'string' }, workloads: { type: 'string' }, gemm: { type: 'string' },
    json: { type: 'string' }, 'no-checks': { type: 'boolean' },
  },
}));
const allWorkloads = WORKLOADS;
const workloadNames = allWorkloads.map((w) => w.name);
const QUICK_WORKLOADS = ['planar', 'mnist-shape'];
const QUICK_GEMM = [128, 512];
const impls = usage(() => parseList('only', values.only, IMPLS, IMPLS));
const workloads = usage(() => parseList('workloads', values.workloads, workloadNames, values.quick ? QUICK_WORKLOADS : workloadNames))
  .map((n) => allWorkloads.find((w) => w.name === n)!);
const gemmSizes = usage(() => parseSizes('gemm', values.gemm, values.quick ? QUICK_GEMM : spec.gemm.sizes));
const tfImpls = impls.filter((i) => i.startsWith('tfjs-'));
const tfBackendOf = (impl: Impl): TfBackend => (impl === 'tfjs-wasm' ? 'wasm' : 'cpu');

// ---------------------------------------------------------------------------------------------
// round-robin timing

/** The peak loops time alongside the products (see peakLoops). */
type PeakLoop = 'peak-12' | 'peak-24' | 'peak-madd';
/** One implementation being timed: run(k) does k steps (or k products, or k peak-loop chunks). */
interface Runner { impl: Impl | PeakLoop; before?(): Promise<void>; run(k: number): void }
interface Timing { impl: Impl | PeakLoop; perStep: number[]; stepsPerRepeat: number; skipped?: string }

function timeOnce(r: Runner, k: number): number {
  const t0 = performance.now();
  r.run(k);
  return (performance.now() - t0) / 1000;
}

/** Warm-up and calibration of each runner, then REPEATS alternating repeats of ≥ MIN_SECONDS. */
async function roundRobin(runners: Runner[]): Promise<Timing[]> {
  const timings: Timing[] = [];
  for (const r of runners) {
    await r.before?.();
    // warm-up: double k until one call lasts ≥ 0.1 s (one call when a step is slower than that)
    let k = 1, t = timeOnce(r, k);
    while (t < 0.1) { k *= 2; t = timeOnce(r, k); }
    const perStep = t / k;
    const timing: Timing = { impl: r.impl, perStep: [], stepsPerRepeat: stepsFor(perStep, MIN_SECONDS) };
    if (perStep * REPEATS > MAX_SECONDS_PER_IMPL) timing.skipped = `one step takes ${perStep.toFixed(1)} s: ${REPEATS} repeats would exceed ${MAX_SECONDS_PER_IMPL} s`;
    timings.push(timing);
  }
  for (let rep = 0; rep < REPEATS; rep++) {
    for (const [i, r] of runners.entries()) {
      const tm = timings[i];
      if (tm.skipped) continue;
      await r.before?.();
      let steps = 0;
      const t0 = performance.now();
      do { r.run(tm.stepsPerRepeat); steps += tm.stepsPerRepeat; } while (performance.now() - t0 < MIN_SECONDS * 1000);
      tm.perStep.push((performance.now() - t0) / 1000 / steps);
    }
  }
  return timings;
}

// ---------------------------------------------------------------------------------------------
// data, parameters, and the implementations of one workload

const data = workloadData;
const activationsOf = workloadActivations;

/** The initial parameters of every implementation: a wasm-mlp Network init with the workload's seed. */
async function initialParams(w: Workload): Promise<LayerParams[]> {
  const net = await Network.create({ layers: w.layers, activations: activationsOf(w), backend: 'wasm', seed: w.seed });
  const p = net.getParams();
  net.dispose();
  return p;
}

interface StepImpl { impl: Impl; step1(): number; run(k: number): void; before?(): Promise<void>; dispose(): void; tf?: TfNet }

async function makeImpl(impl: Impl, w: Workload, params: LayerParams[], X: Matrix, Y: Matrix): Promise<StepImpl> {
  const lr = w.learningRate;
  if (impl === 'wasm' || impl === 'js') {
    const net = await Network.create({ layers: w.layers, activations: activationsOf(w), backend: impl, seed: w.seed });
    if (net.backend !== impl) throw new Error(`bench: backend '${impl}' is not available here (got '${net.backend}')`);
    net.setParams(params);
    return {
      impl,
      step1: () => net.train(X, Y, { iterations: 1, learningRate: lr }).costs[0],
      run: (k) => { net.train(X, Y, { iterations: k, learningRate: lr }); },
      dispose: () => net.dispose(),
    };
  }
  const backend = tfBackendOf(impl);
  await useTf(backend);
  const tfNet = new TfNet(backend, params, X, Y);
  return {
    impl, tf: tfNet,
    before: () => useTf(backend),
    step1: () => tfNet.step(lr),
    run: (k) => { for (let i = 0; i < k; i++) tfNet.step(lr); },
    dispose: () => tfNet.dispose(),
  };
}

/**
 * Times both transpose forms of a TF.js step and keeps the faster: per form one untimed warm-up
 * step (the first steps of a backend can take 100× longer), then steps for ≥ 0.2 s, or a single
 * step when it is slower (tfjs-cpu on wide costs four steps here, not minutes).
 */
async function chooseTfForm(s: StepImpl, lr: number): Promise<Record<TfForm, number>> {
  const t = {} as Record<TfForm, number>;
  await s.before!();
  for (const form of TF_FORMS) {
    s.tf!.form = form;
    s.tf!.step(lr);
    let steps = 0;
    const t0 = performance.now();
    do { s.tf!.step(lr); steps++; } while (performance.now() - t0 < 200);
    t[form] = (performance.now() - t0) / 1000 / steps;
  }
  s.tf!.form = t.explicit <= t.flags ? 'explicit' : 'flags';
  return t;
}

// ---------------------------------------------------------------------------------------------
// peak, GEMM

interface PeakExports {
  peak_loop_12(iterations: number, seed: number): number; peak_loop_24(iterations: number, seed: number): number;
  peak_loop_madd(iterations: number, seed: number): number; FLOPS_PER_ITERATION_MADD: WebAssembly.Global;
  FLOPS_PER_ITERATION_12: WebAssembly.Global; FLOPS_PER_ITERATION_24: WebAssembly.Global;
}

/**
 * The register multiply-add loops (bench/assembly/peak.ts) as round-robin runners: one "step" is
 * PEAK_CHUNK loop iterations. They run in every GEMM round-robin, so the peak a product is
 * compared with was measured in the same time window (the machine is shared: load moves both
 * alike). The peak is the largest median of the three loops (12 chains, 24 chains, and the
 * GEMM-shaped loop whose products are off the chains).
 */
const PEAK_CHUNK = 1 << 15;
const peakExports = new WebAssembly.Instance(new WebAssembly.Module(peakBytes), { env: { abort() { throw new Error('peak: abort'); } } }).exports as unknown as PeakExports;
const peakLoops: { runner: Runner; flopsPerStep: number; samples: number[] }[] = [
  { runner: { impl: 'peak-12', run: (k) => { peakExports.peak_loop_12(k * PEAK_CHUNK, 0.999); } }, flopsPerStep: PEAK_CHUNK * (peakExports.FLOPS_PER_ITERATION_12.value as number), samples: [] },
  { runner: { impl: 'peak-24', run: (k) => { peakExports.peak_loop_24(k * PEAK_CHUNK, 0.999); } }, flopsPerStep: PEAK_CHUNK * (peakExports.FLOPS_PER_ITERATION_24.value as number), samples: [] },
  { runner: { impl: 'peak-madd', run: (k) => { peakExports.peak_loop_madd(k * PEAK_CHUNK, 0.999); } }, flopsPerStep: PEAK_CHUNK * (peakExports.FLOPS_PER_ITERATION_MADD.value as number), samples: [] },
];
/** The peak of one round-robin's timings (the first three): the largest median; samples join the run's totals. */
function peakOf(timings: Timing[]): number {
  return Math.max(...peakLoops.map((p, i) => {
    const g = timings[i].perStep.map((s) => gflops(p.flopsPerStep, s));
    p.samples.push(...g);
    return median(g);
  }));
}

/** C = A·B through a backend's gemm_nn kernel on its own memory (byte offsets). */
function backendGemm(be: Backend, n: number, A: Float32Array, B: Float32Array) {
  const bytes = n * n * 4;
  const a = Math.ceil(be.base / 64) * 64, b = a + Math.ceil(bytes / 64) * 64, c = b + Math.ceil(bytes / 64) * 64;
  let heap = be.reserve(c + bytes);
  heap.set(A, a >> 2);
  heap.set(B, b >> 2);
  return {
    run(k: number) { for (let i = 0; i < k; i++) be.kernels.gemm_nn(c, a, b, n, n, n, 1, 0); },
    result(): Float32Array { be.kernels.gemm_nn(c, a, b, n, n, n, 1, 0); heap = be.reserve(c + bytes); return heap.slice(c >> 2, (c >> 2) + n * n); },
  };
}

// ---------------------------------------------------------------------------------------------
// resource checks

interface Check { name: string; pass: boolean | null; value: number; unit: string; detail: string }
const gc = (globalThis as { gc?: () => void }).gc;

/** (c) Network.create on wasm in this fresh process: the first (compiles the module) and the median of the rest. */
async function checkCreate(): Promise<Check[]> {
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
async function checkMemory(): Promise<Check[]> {
  const checks: Check[] = [];
  for (const name of ['planar-wide', 'planar']) {
    const w = allWorkloads.find((x) => x.name === name)!;
    const { X, Y } = data(w);
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

// ---------------------------------------------------------------------------------------------
// main

const line = (s = '') => console.log(s);
const started = performance.now();
const cpu = cpus()[0]?.model ?? 'unknown cpu';
const relaxed = relaxedSimdSupported();
// if the library grows a relaxed-SIMD module it can export a flag; read it without depending on it
const libRelaxed = Reflect.get(backendModule, 'relaxedSimd') as unknown;
const relaxedUsed = typeof libRelaxed === 'function' ? Boolean((libRelaxed as () => unknown)()) : libRelaxed === true;
line(`wasm-mlp bench — ${cpu}, ${cpus().length} cores, ${platform()} ${release()}, node ${process.version}`);
line(`relaxed SIMD: ${relaxed ? 'supported' : 'not supported'} by this engine; used: ${relaxedUsed ? 'yes' : 'no'}`);

const checks: Check[] = [];
if (!values['no-checks']) checks.push(...await checkCreate()); // first, while the process is fresh

let tfInfo: TfInfo | undefined;
if (tfImpls.length > 0) {
  tfInfo = await initTf();
  line(`TensorFlow.js ${tfInfo.version} (backends ${tfImpls.map(tfBackendOf).join(', ')}); tfjs-backend-wasm ${tfInfo.wasmVersion}: SIMD ${tfInfo.wasmSimd ? 'used' : 'NOT used'}, ${tfInfo.wasmThreads} thread${tfInfo.wasmThreads === 1 ? '' : 's'}`);
}
line(`protocol: warm-up, then ${REPEATS} repeats per implementation alternating round-robin, each ≥ ${MIN_SECONDS} s (or one step when longer); medians`);
line(`implementations: ${impls.join(', ')}; workloads: ${workloads.map((w) => w.name).join(', ') || 'none'}; GEMM: ${gemmSizes.join(', ') || 'none'}`);
line();

interface Result { workload: string; layers: number[]; m: number; impl: Impl; stepsPerSec: number; msPerStep: number; gflops: number; repeats: number; stepsPerRepeat: number; firstCost: number; tfForm?: TfForm; tfFormMsPerStep?: Record<TfForm, number> }
const results: Result[] = [];
const skipped: { workload: string; impl: Impl; reason: string }[] = [];
const notes: string[] = [];

for (const w of workloads) {
  const { X, Y } = data(w);
  const params = await initialParams(w);
  const tensors0 = tfImpls.length ? tfTensorCount() : 0;
  const steps: StepImpl[] = [];
  for (const impl of impls) steps.push(await makeImpl(impl, w, params, X, Y));
  // step 1 from identical parameters: every implementation must report the same cost
  const first: number[] = [];
  for (const s of steps) { await s.before?.(); first.push(s.step1()); }
  const bad = first.findIndex((c) => !(relDiff(c, first[0]) <= COST_TOLERANCE));
  if (bad >= 0) {
    console.error(`bench: ${w.name}: step-1 costs disagree (relative tolerance ${COST_TOLERANCE}): ` + impls.map((im, i) => `${im} ${first[i]}`).join(', '));
    process.exit(1);
  }
  const forms = new Map<Impl, Record<TfForm, number>>();
  for (const s of steps) if (s.tf) forms.set(s.impl, await chooseTfForm(s, w.learningRate));
  const timings = await roundRobin(steps);
  const flops = flopsPerStep(w.layers, w.m);
  for (const [i, tm] of timings.entries()) {
    const s = steps[i];
    if (tm.skipped) { skipped.push({ workload: w.name, impl: s.impl, reason: tm.skipped }); continue; }
    const t = median(tm.perStep);
    if (tm.stepsPerRepeat === 1 && t > MIN_SECONDS) notes.push(`${w.name}/${tm.impl}: one step takes ${t.toFixed(2)} s, so each of its ${REPEATS} repeats is a single step`);
    results.push({
      workload: w.name, layers: w.layers, m: w.m, impl: s.impl, stepsPerSec: 1 / t, msPerStep: t * 1000, gflops: gflops(flops, t),
      repeats: tm.perStep.length, stepsPerRepeat: tm.stepsPerRepeat, firstCost: first[i],
      ...(s.tf ? { tfForm: s.tf.form, tfFormMsPerStep: { flags: forms.get(s.impl)!.flags * 1000, explicit: forms.get(s.impl)!.explicit * 1000 } } : {}),
    });
  }
  for (const s of steps) s.dispose();
  // every step ran in tf.tidy: after disposing the networks no TF.js tensor may be left over
  if (tfImpls.length && tfTensorCount() !== tensors0) notes.push(`${w.name}: ${tfTensorCount() - tensors0} TF.js tensors leaked`);
  const row = (impl: Impl) => results.find((r) => r.workload === w.name && r.impl === impl);
  line(`${w.name} [${w.layers.join('-')}] m=${w.m}: ` + impls.map((im) => `${im} ${fmt(row(im)?.stepsPerSec)} steps/s`).join(', '));
}

// peak and GEMM: the peak loop runs in every GEMM round-robin (alone when there is no GEMM)
interface GemmResult { n: number; impl: Impl; gflops: number; fractionOfPeak: number; peakGflops: number; msPerProduct: number; repeats: number }
const gemm: GemmResult[] = [];
if (gemmSizes.length === 0) peakOf(await roundRobin(peakLoops.map((p) => p.runner)));
for (const n of gemmSizes) {
  const rng = createRng(spec.gemm.seed + n);
  const A = Float32Array.from({ length: n * n }, () => rng.normal());
  const B = Float32Array.from({ length: n * n }, () => rng.normal());
  const runners: (Runner & { impl: Impl; result(): Float32Array; dispose?(): void })[] = [];
  for (const impl of impls) {
    if (impl === 'wasm') runners.push({ impl, ...backendGemm(await createWasmBackend(), n, A, B) });
    else if (impl === 'js') runners.push({ impl, ...backendGemm(createJsBackend(), n, A, B) });
    else {
      const backend = tfBackendOf(impl);
      await useTf(backend);
      const g = new TfGemm(backend, n, A, B);
      runners.push({ impl, before: () => useTf(backend), run: (k) => g.run(k), result: () => g.result(), dispose: () => g.dispose() });
    }
  }
  // every implementation computes the same product: max |C − C_first| ≤ 1e-3·max |C| (summation
  // order alone moves a float32 sum of n ≤ 1024 products by ~1e-5 of its scale; this catches wrong results)
  const outs: Float32Array[] = [];
  for (const r of runners) { await r.before?.(); outs.push(r.result()); }
  const scale = outs[0].reduce((mx, v) => Math.max(mx, Math.abs(v)), 0);
  for (const [i, o] of outs.entries()) {
    const err = o.reduce((mx, v, j) => Math.max(mx, Math.abs(v - outs[0][j])), 0);
    if (!(err <= 1e-3 * scale)) { console.error(`bench: GEMM ${n}: ${runners[i].impl} differs from ${runners[0].impl} by ${err} (scale ${scale})`); process.exit(1); }
  }
  const timings = await roundRobin([...peakLoops.map((p) => p.runner), ...runners]);
  const peakHere = peakOf(timings);
  for (const tm of timings.slice(peakLoops.length)) {
    const impl = tm.impl as Impl;
    if (tm.skipped) { skipped.push({ workload: `gemm-${n}`, impl, reason: tm.skipped }); continue; }
    const t = median(tm.perStep);
    const g = gflops(gemmFlops(n), t);
    gemm.push({ n, impl, gflops: g, fractionOfPeak: g / peakHere, peakGflops: peakHere, msPerProduct: t * 1000, repeats: tm.perStep.length });
  }
  for (const r of runners) r.dispose?.();
  line(`GEMM ${n}: ` + gemm.filter((g) => g.n === n).map((g) => `${g.impl} ${fmt(g.gflops)} GFLOP/s`).join(', ') + `; peak ${fmt(peakHere)} GFLOP/s`);
}
const loopStats = peakLoops.map((p) => ({ loop: p.runner.impl, median: median(p.samples), max: Math.max(...p.samples), samples: p.samples }));
const peak = { median: Math.max(...loopStats.map((l) => l.median)), loops: loopStats };
line(`WASM SIMD peak (f32x4 mul+add loops, medians of all repeats): ${loopStats.map((l) => `${l.loop} ${fmt(l.median)} GFLOP/s (best ${fmt(l.max)})`).join(', ')} → peak ${fmt(peak.median)} GFLOP/s`);

if (!values['no-checks']) checks.push(...await checkMemory());

// ---------------------------------------------------------------------------------------------
// report

line();
const ratioImpls = impls.filter((i) => i !== 'wasm');
const header = ['workload', 'layers', 'm', 'impl', 'steps/s', 'ms/step', 'GFLOP/s', 'TF.js form'];
const rows: string[][] = [header];
for (const w of workloads) {
  for (const r of results.filter((x) => x.workload === w.name)) {
    rows.push([r.impl === impls[0] ? w.name : '', r.impl === impls[0] ? w.layers.join('-') : '', r.impl === impls[0] ? String(w.m) : '', r.impl,
      fmt(r.stepsPerSec), fmt(r.msPerStep), fmt(r.gflops), r.tfForm ?? '']);
  }
}
line(table(rows));

const ratios: Record<string, string | number>[] = [];
if (impls.includes('wasm') && ratioImpls.length > 0) {
  line();
  const rrows: string[][] = [['workload', ...ratioImpls.map((i) => `wasm/${i}`)]];
  for (const w of workloads) {
    const wasm = results.find((r) => r.workload === w.name && r.impl === 'wasm');
    const entry: Record<string, string | number> = { workload: w.name };
    const cells = ratioImpls.map((i) => {
      const o = results.find((r) => r.workload === w.name && r.impl === i);
      if (!wasm || !o) return '—';
      entry[`wasm/${i}`] = wasm.stepsPerSec / o.stepsPerSec;
      return `${fmt(wasm.stepsPerSec / o.stepsPerSec)}×`;
    });
    ratios.push(entry);
    rrows.push([w.name, ...cells]);
  }
  line('speed ratios (steps/s, same run):');
  line(table(rrows));
}

if (gemm.length > 0) {
  line();
  const grows: string[][] = [['GEMM n', ...impls.map((i) => `${i} GFLOP/s`), ...impls.map((i) => `${i} /peak`)]];
  for (const n of gemmSizes) {
    const g = (i: Impl) => gemm.find((x) => x.n === n && x.impl === i);
    grows.push([String(n), ...impls.map((i) => fmt(g(i)?.gflops)), ...impls.map((i) => (g(i) ? `${(g(i)!.fractionOfPeak * 100).toFixed(0)}%` : '—'))]);
  }
  line(`square GEMM C = A·B (2n³ flop); /peak = fraction of the peak measured in the same round-robin (whole run: ${fmt(peak.median)} GFLOP/s):`);
  line(table(grows));
}

if (checks.length > 0) {
  line();
  line('resource checks:');
  for (const c of checks) line(`${c.pass === null ? 'INFO' : c.pass ? 'PASS' : 'FAIL'}  ${c.name}: ${fmt(c.value)} ${c.unit} (${c.detail})`);
}

// the speed and resource targets, checked against this run
interface Target { target: string; value: number | null; pass: boolean | null }
const targets: Target[] = [];
const ratioOf = (wl: string, impl: Impl) => {
  const e = ratios.find((r) => r.workload === wl)?.[`wasm/${impl}`];
  return typeof e === 'number' ? e : null;
};
for (const [impl, wl, min] of [['js', 'planar', 5], ['js', 'mnist-shape', 10], ['js', 'wide', 10], ['js', 'deep', 10],
  ['tfjs-wasm', 'planar', 20], ['tfjs-wasm', 'mnist-shape', 1], ['tfjs-wasm', 'wide', 1], ['tfjs-wasm', 'deep', 1]] as [Impl, string, number][]) {
  const v = ratioOf(wl, impl);
  targets.push({ target: `wasm/${impl} ≥ ${min}× on ${wl}`, value: v, pass: v === null ? null : v >= min });
}
const g512 = gemm.find((g) => g.n === 512 && g.impl === 'wasm');
targets.push({ target: 'GEMM 512 (wasm) ≥ 75% of peak', value: g512 ? g512.fractionOfPeak : null, pass: g512 ? g512.fractionOfPeak >= 0.75 : null });
for (const c of checks.filter((x) => x.pass !== null)) targets.push({ target: c.name, value: c.value, pass: c.pass });
line();
line('targets:');
for (const t of targets) line(`${t.pass === null ? 'n/a ' : t.pass ? 'PASS' : 'FAIL'}  ${t.target}${t.value === null ? ' (not measured in this run)' : `: ${fmt(t.value)}`}`);

for (const s of skipped) notes.push(`${s.workload}/${s.impl} skipped: ${s.reason}`);
if (notes.length > 0) { line(); for (const n of notes) line(`note: ${n}`); }
const seconds = (performance.now() - started) / 1000;
line(`\nbench took ${seconds.toFixed(0)} s`);

if (values.json) {
  writeFileSync(values.json, JSON.stringify({
    node: process.version, cpu, cores: cpus().length, platform: `${platform()} ${release()}`, date: new Date().toISOString(), args: process.argv.slice(2),
    relaxedSimd: { supported: relaxed, used: relaxedUsed },
    tfjs: tfInfo ? { ...tfInfo, backends: tfImpls.map(tfBackendOf) } : null,
    protocol: { repeats: REPEATS, minSecondsPerRepeat: MIN_SECONDS, statistic: 'median', costTolerance: COST_TOLERANCE },
    peakGflops: peak.median, peak,
    results, ratios, gemm, checks, targets, skipped, notes, seconds,
  }, null, 2) + '\n');
  line(`wrote ${values.json}`);
}
