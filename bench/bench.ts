/**
 * npm run bench: wasm-mlp (per thread count and kernel module) against its pure JS backend,
 * TensorFlow.js 4.22 (wasm and cpu backends) and numpy + OpenBLAS on the shared workloads
 * (bench/workloads.json); square GEMM against this machine's WASM SIMD peaks (mul+add and FMA);
 * the resource checks (JS heap, wasm memory, creation time); the targets as PASS/FAIL lines. README "Speed".
 *
 *   npm run bench -- [--quick] [--only wasm,js,tfjs-wasm,tfjs-cpu,numpy] [--workloads planar,deep]
 *                    [--threads 1,2] [--simd plain,relaxed] [--gemm 128,512 | --gemm none]
 *                    [--no-checks] [--no-step-api] [--baseline build/baseline/index.js] [--json FILE]
 *                    [--repeats 5 --min-seconds 0.3]
 *
 * Protocol (bench/timing.ts): every implementation starts from the same data and parameters;
 * step 1's cost must agree (relative 1e-4) or the run aborts; warm-up and calibration; then
 * timed repeats alternating round-robin, each ≥ 0.3 s (or one step when a step is longer);
 * medians. numpy runs in its own python3 process after the others on each workload.
 *
 * Relaxed SIMD: Node 20 accepts it only with --experimental-wasm-relaxed-simd. Where this process
 * lacks it, the relaxed cells run in a child process of the same bundle with that flag (`--child`),
 * which times the plain module beside them, so relaxed/plain is always a same-run ratio.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, platform, release, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { createJsBackend, type Backend } from '../src/core/backend.js';
import { Network, type LayerParams, type Matrix } from '../src/index.js';
import { checkCreate, checkMemory, type Check } from './checks.js';
import { numpyInfo, runNumpy, type NumpyInfo } from './numpy.js';
import { createPeaks, peakOf, peakSummary, type PeakHere, type PeakSummary } from './peaks.js';
import { relaxedSimdSupported } from './relaxed.js';
import { STEP_MODES, plainLabelOf, speedRatios, speedTargets, stepApiTargets, targetLine, variantTargets, type GemmResult, type Result, type StepMode, type Target } from './report.js';
import { IMPLS, fmt, flopsPerStep, gemmFlops, gflops, median, parseList, parseSizes, parseThreads, relDiff, table, type Impl } from './stats.js';
import { TfGemm, TfNet, chooseTfForm, initTf, tfTensorCount, useTf, type TfBackend, type TfForm, type TfInfo } from './tfjs.js';
import { PROTOCOL, roundRobin, timed, timedFrom, type Protocol, type Runner } from './timing.js';
import { SIMD_MODULES, createVariantBackend, createVariantNetwork, isDefault, isUnavailable, variantLabel, type Simd, type Variant } from './variants.js';
import { activationsOf, allWorkloads, gemmOperands, gemmSpec, initialParams, workloadData, workloadNames, type Workload } from './workloads.js';

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
    threads: { type: 'string' }, simd: { type: 'string' },
    // a shorter protocol for smoke tests (the figures then mean less)
    repeats: { type: 'string' }, 'min-seconds': { type: 'string' },
    json: { type: 'string' }, 'no-checks': { type: 'boolean' },
    // the step API's rows (forward/cost/backward/update on a batch; train with iterations 1), on by default
    'no-step-api': { type: 'boolean' },
    // an older build of the library (its dist/index.js) timed beside this one: scripts/bench-baseline.mjs builds one
    baseline: { type: 'string' },
    // internal: this process is the relaxed-SIMD child of another bench run
    child: { type: 'boolean' },
  },
}));
const QUICK_WORKLOADS = ['planar', 'mnist-shape'];
const QUICK_GEMM = [128, 512];
const isChild = values.child === true;
const impls = usage(() => parseList('only', values.only, IMPLS, IMPLS));
const workloads = usage(() => parseList('workloads', values.workloads, workloadNames, values.quick ? QUICK_WORKLOADS : workloadNames))
  .map((n) => allWorkloads.find((w) => w.name === n)!);
const gemmSizes = usage(() => parseSizes('gemm', values.gemm, values.quick ? QUICK_GEMM : gemmSpec.sizes));
const threadCounts = usage(() => parseThreads('threads', values.threads, [1, 2]));
const simds = usage(() => parseList('simd', values.simd, SIMD_MODULES, SIMD_MODULES));
const protocol: Protocol = usage(() => ({
  ...PROTOCOL,
  repeats: values.repeats === undefined ? PROTOCOL.repeats : positive('repeats', values.repeats, true),
  minSeconds: values['min-seconds'] === undefined ? PROTOCOL.minSeconds : positive('min-seconds', values['min-seconds'], false),
}));
function positive(option: string, v: string, integer: boolean): number {
  const x = Number(v);
  if (!(x > 0) || !Number.isFinite(x) || (integer && !Number.isInteger(x))) throw new Error(`bench: --${option} takes a positive ${integer ? 'integer' : 'number'}; got '${v}'`);
  return x;
}
const tfImpls = impls.filter((i) => i.startsWith('tfjs-'));
const tfBackendOf = (impl: Impl): TfBackend => (impl === 'tfjs-wasm' ? 'wasm' : 'cpu');

const relaxedHere = relaxedSimdSupported();
/** the wasm-mlp variants timed in this process; relaxed ones only where this engine accepts relaxed SIMD */
const variants: Variant[] = impls.includes('wasm')
  ? threadCounts.flatMap((threads) => simds.filter((s) => s === 'plain' || relaxedHere).map((simd) => ({ threads, simd })))
  : [];
const stepModes = values['no-step-api'] !== true;
const baseline = values.baseline === undefined ? undefined : await loadBaseline(values.baseline);
async function loadBaseline(file: string) {
  try {
    return { lib: await import(pathToFileURL(resolve(file)).href) as { Network: { create(o: object): Promise<unknown> } }, what: file };
  } catch (e) {
    console.error(`bench: --baseline takes the path of a built wasm-mlp bundle (node scripts/bench-baseline.mjs REV prints one); ${file}: ${(e as Error).message.split('\n')[0]}`);
    process.exit(2);
  }
}
const relaxedInChild = !isChild && impls.includes('wasm') && simds.includes('relaxed') && !relaxedHere;

// ---------------------------------------------------------------------------------------------
// the implementations of one workload

interface Cell {
  impl: Impl; label: string; threads: number; simd: Simd | null; mode?: StepMode; baseline?: string;
  step1(): number; time(k: number): number; before?(): Promise<void>; dispose(): void; tf?: TfNet;
}
interface Unavailable { where: string; label: string; reason: string }
const unavailable: Unavailable[] = [];

/** What the bench needs of a Network: this build's, or the baseline build's (which may lack batch()). */
interface NetLike {
  train(X: Matrix, Y: Matrix, o: { iterations: number; learningRate: number }): { costs: Float64Array };
  setParams(p: LayerParams[]): unknown;
  dispose(): void;
  batch?: Network['batch'];
  forward(X: unknown): unknown;
  cost(Y: unknown): number;
  backward(Y: unknown): unknown;
  update(lr: number): unknown;
}

/**
 * A cell timing a network from the workload's initial parameters (reset before every timed call):
 * `train` steps inside one train(X, Y, { iterations: k }); `step-api` k loops of forward, cost,
 * backward, update on a batch (net.batch(X, Y)); `train-1` k calls of train(X, Y, { iterations: 1 }).
 */
function netCell(net: NetLike, mode: StepMode, id: Pick<Cell, 'impl' | 'label' | 'threads' | 'simd'> & { baseline?: string },
  w: Workload, params: LayerParams[], X: Matrix, Y: Matrix): Cell {
  const lr = w.learningRate;
  const reset = () => { net.setParams(params); };
  const base = { ...id, mode, dispose: () => net.dispose() };
  if (mode === 'step-api') {
    const b = net.batch!(X, Y);
    const step = () => { net.forward(b); const J = net.cost(b); net.backward(b); net.update(lr); return J; };
    return { ...base, step1: step, time: timedFrom(reset, (k) => { for (let i = 0; i < k; i++) step(); }) };
  }
  const one = { iterations: 1, learningRate: lr };
  return {
    ...base,
    step1: () => net.train(X, Y, one).costs[0],
    time: mode === 'train-1'
      ? timedFrom(reset, (k) => { for (let i = 0; i < k; i++) net.train(X, Y, one); })
      : timedFrom(reset, (k) => { net.train(X, Y, { iterations: k, learningRate: lr }); }),
  };
}

async function makeCells(impl: Impl, w: Workload, params: LayerParams[], X: Matrix, Y: Matrix): Promise<Cell[]> {
  const lr = w.learningRate;
  const netOptions = { layers: w.layers, activations: activationsOf(w), seed: w.seed };
  if (impl === 'wasm') {
    const cells: Cell[] = [];
    for (const v of variants) {
      // the step API's rows and the baseline run on the default variant (one thread, plain module)
      for (const mode of isDefault(v) && !isChild && stepModes ? STEP_MODES : ['train'] as const) {
        const net = await createVariantNetwork(v, netOptions);
        const label = mode === 'train' ? variantLabel(v) : `${variantLabel(v)} ${mode}`;
        if (isUnavailable(net)) { unavailable.push({ where: w.name, label, reason: net.unavailable }); continue; }
        net.setParams(params);
        cells.push(netCell(net, mode, { impl, label, threads: v.threads, simd: v.simd }, w, params, X, Y));
      }
      if (isDefault(v) && baseline) {
        const net = await baseline.lib.Network.create({ ...netOptions, backend: 'wasm' }) as unknown as NetLike;
        net.setParams(params);
        cells.push(netCell(net, 'train', { impl, label: 'wasm baseline', threads: 1, simd: 'plain', baseline: baseline.what }, w, params, X, Y));
      }
    }
    return cells;
  }
  if (impl === 'js') {
    const net = await Network.create({ ...netOptions, backend: 'js' });
    net.setParams(params);
    return [netCell(net, 'train', { impl, label: 'js', threads: 1, simd: null }, w, params, X, Y)];
  }
  if (impl === 'numpy') return []; // its own process, after the round-robin (runNumpyRow)
  const backend = tfBackendOf(impl);
  await useTf(backend);
  const tfNet = new TfNet(backend, params, X, Y);
  return [{
    impl, label: impl, threads: 1, simd: null, tf: tfNet,
    before: () => useTf(backend),
    step1: () => tfNet.step(lr),
    time: timedFrom(() => tfNet.reset(), (k) => { for (let i = 0; i < k; i++) tfNet.step(lr); }),
    dispose: () => tfNet.dispose(),
  }];
}

// ---------------------------------------------------------------------------------------------
// GEMM

/** C = A·B through a backend's gemm_nn kernel on its own memory (byte offsets). */
function backendGemm(be: Backend, n: number, A: Float32Array, B: Float32Array) {
  const bytes = n * n * 4;
  const a = Math.ceil(be.base / 64) * 64, b = a + Math.ceil(bytes / 64) * 64, c = b + Math.ceil(bytes / 64) * 64;
  let heap = be.reserve(c + bytes);
  heap.set(A, a >> 2);
  heap.set(B, b >> 2);
  return {
    time: timed((k) => { for (let i = 0; i < k; i++) be.kernels.gemm_nn(c, a, b, n, n, n, 1, 0); }),
    result(): Float32Array { be.kernels.gemm_nn(c, a, b, n, n, n, 1, 0); heap = be.reserve(c + bytes); return heap.slice(c >> 2, (c >> 2) + n * n); },
  };
}

interface GemmRunner extends Runner { impl: string; cell: { impl: Impl; label: string; threads: number; simd: Simd | null }; result(): Float32Array; dispose?(): void }

async function gemmRunners(n: number, A: Float32Array, B: Float32Array): Promise<GemmRunner[]> {
  const runners: GemmRunner[] = [];
  for (const impl of impls) {
    if (impl === 'wasm') {
      for (const v of variants) {
        const be = await createVariantBackend(v);
        const label = variantLabel(v);
        if (isUnavailable(be)) { unavailable.push({ where: `gemm-${n}`, label, reason: be.unavailable }); continue; }
        runners.push({ impl: label, cell: { impl, label, threads: v.threads, simd: v.simd }, ...backendGemm(be, n, A, B), dispose: be.dispose });
      }
    } else if (impl === 'js') {
      runners.push({ impl, cell: { impl, label: impl, threads: 1, simd: null }, ...backendGemm(createJsBackend(), n, A, B) });
    } else if (impl !== 'numpy') {
      const backend = tfBackendOf(impl);
      await useTf(backend);
      const g = new TfGemm(backend, n, A, B);
      runners.push({
        impl, cell: { impl, label: impl, threads: 1, simd: null }, before: () => useTf(backend),
        time: timed((k) => g.run(k)), result: () => g.result(), dispose: () => g.dispose(),
      });
    }
  }
  return runners;
}

// ---------------------------------------------------------------------------------------------
// the relaxed-SIMD child

/**
 * In the child, plain cells are only the anchors of relaxed/plain: a plain cell whose relaxed
 * twin (same thread count) is not available is dropped, and disposed, instead of timed again.
 */
function pairedInChild<T extends { label: string; dispose?(): void } | { cell: { label: string }; dispose?(): void }>(cells: T[]): T[] {
  if (!isChild) return cells;
  const labelOf = (c: T) => ('cell' in c ? c.cell.label : c.label);
  const labels = new Set(cells.map(labelOf));
  const keep = cells.filter((c) => labelOf(c).endsWith(' relaxed') || labels.has(`${labelOf(c)} relaxed`));
  for (const c of cells) if (!keep.includes(c)) c.dispose?.();
  return keep;
}

interface ChildOutput { results: Result[]; gemm: GemmResult[]; unavailable: Unavailable[]; peak: PeakSummary; notes: string[] }

/**
 * Runs this bundle again under --experimental-wasm-relaxed-simd for the relaxed cells (wasm only,
 * plain and relaxed side by side), printing its lines indented, and returns its JSON.
 */
async function runRelaxedChild(): Promise<ChildOutput | { failed: string }> {
  const dir = mkdtempSync(join(tmpdir(), 'wasm-mlp-bench-child-'));
  const file = join(dir, 'child.json');
  const args = ['--expose-gc', '--experimental-wasm-relaxed-simd', process.argv[1], '--child', '--only', 'wasm', '--no-checks',
    '--threads', threadCounts.join(','), '--simd', 'plain,relaxed',
    '--repeats', String(protocol.repeats), '--min-seconds', String(protocol.minSeconds),
    '--workloads', workloads.map((w) => w.name).join(','), '--gemm', gemmSizes.length ? gemmSizes.join(',') : 'none', '--json', file];
  line(`relaxed child: ${process.execPath} ${args.slice(0, 2).join(' ')} (same bundle, --only wasm --simd plain,relaxed)`);
  const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'inherit'] });
  let buffered = '';
  child.stdout.setEncoding('utf8');
  child.stdout.on('data', (s: string) => {
    buffered += s;
    const lines = buffered.split('\n');
    buffered = lines.pop()!;
    for (const l of lines) if (l.trim() !== '') line(`  | ${l}`);
  });
  const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
  try {
    if (code !== 0) return { failed: `the relaxed child exited with code ${code}` };
    return JSON.parse(readFileSync(file, 'utf8')) as ChildOutput;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

// ---------------------------------------------------------------------------------------------
// main

const line = (s = '') => console.log(s);
const started = performance.now();
const cpu = cpus()[0]?.model ?? 'unknown cpu';
line(`wasm-mlp bench — ${cpu}, ${cpus().length} cores, ${platform()} ${release()}, node ${process.version}${isChild ? ' (relaxed-SIMD child)' : ''}`);
line(`relaxed SIMD: ${relaxedHere ? 'supported' : 'not supported'} by this engine; relaxed cells: ${!simds.includes('relaxed') || !impls.includes('wasm') ? 'not asked for' : relaxedHere ? 'in this process' : 'in a child node --experimental-wasm-relaxed-simd'}`);

const checks: Check[] = [];
if (!values['no-checks']) checks.push(...await checkCreate()); // first, while the process is fresh

let tfInfo: TfInfo | undefined;
if (tfImpls.length > 0) {
  tfInfo = await initTf();
  line(`TensorFlow.js ${tfInfo.version} (backends ${tfImpls.map(tfBackendOf).join(', ')}); tfjs-backend-wasm ${tfInfo.wasmVersion}: SIMD ${tfInfo.wasmSimd ? 'used' : 'NOT used'}, ${tfInfo.wasmThreads} thread${tfInfo.wasmThreads === 1 ? '' : 's'}`);
}
let numpy: NumpyInfo | undefined;
const notes: string[] = [];
if (impls.includes('numpy')) {
  const info = numpyInfo();
  if ('unavailable' in info) notes.push(`numpy skipped: ${info.unavailable}`);
  else {
    numpy = info;
    line(`numpy ${info.numpy}, ${info.library ?? 'BLAS'} ${info.kernel ? `kernel ${info.kernel}` : info.config ?? ''}, ${info.threads ?? '?'} thread(s) (OPENBLAS_NUM_THREADS=1; from ${info.source})`);
  }
}
line(`protocol: warm-up, then ${protocol.repeats} repeats per implementation alternating round-robin, each ≥ ${protocol.minSeconds} s (or one step when longer); medians`);
if (baseline) line(`baseline: ${baseline.what} (an older build of wasm-mlp, timed beside this one)`);
line(`implementations: ${impls.join(', ')}; wasm variants: threads ${threadCounts.join(', ')} × simd ${simds.join(', ')}; workloads: ${workloads.map((w) => w.name).join(', ') || 'none'}; GEMM: ${gemmSizes.join(', ') || 'none'}`);
line();

const results: Result[] = [];
const skipped: { workload: string; impl: string; reason: string }[] = [];

function numpyRow(w: Workload, params: LayerParams[], X: Matrix, Y: Matrix): Result | undefined {
  if (!numpy) return undefined;
  const r = runNumpy({ layers: w.layers, m: w.m, learningRate: w.learningRate, repeats: protocol.repeats, minSeconds: protocol.minSeconds }, params, X, Y);
  if ('unavailable' in r) { notes.push(`${w.name}/numpy: ${r.unavailable}`); return undefined; }
  const t = median(r.perStep);
  return {
    workload: w.name, layers: w.layers, m: w.m, impl: 'numpy', label: 'numpy', threads: 1, simd: null, mode: 'train',
    stepsPerSec: 1 / t, msPerStep: t * 1000, gflops: gflops(flopsPerStep(w.layers, w.m), t), repeats: r.perStep.length,
    stepsPerRepeat: r.stepsPerRepeat, firstCost: r.firstCost, process: 'main',
  };
}

for (const w of workloads) {
  const { X, Y } = workloadData(w);
  const params = await initialParams(w);
  const tensors0 = tfImpls.length ? tfTensorCount() : 0;
  const made: Cell[] = [];
  for (const impl of impls) made.push(...await makeCells(impl, w, params, X, Y)); // one at a time: TF.js has one active backend
  const cells = pairedInChild(made);
  // step 1 from identical parameters: every implementation must report the same cost
  const first: number[] = [];
  for (const c of cells) { await c.before?.(); first.push(c.step1()); }
  const bad = first.findIndex((c) => !(relDiff(c, first[0]) <= COST_TOLERANCE));
  if (bad >= 0) {
    console.error(`bench: ${w.name}: step-1 costs disagree (relative tolerance ${COST_TOLERANCE}): ` + cells.map((c, i) => `${c.label} ${first[i]}`).join(', '));
    process.exit(1);
  }
  const forms = new Map<string, Record<TfForm, number>>();
  for (const c of cells) if (c.tf) { await c.before?.(); forms.set(c.label, chooseTfForm(c.tf, w.learningRate)); }
  const timings = await roundRobin(cells.map((c) => ({ impl: c.label, before: c.before, time: c.time })), protocol);
  const flops = flopsPerStep(w.layers, w.m);
  const here: Result[] = [];
  for (const [i, tm] of timings.entries()) {
    const c = cells[i];
    if (tm.skipped) { skipped.push({ workload: w.name, impl: c.label, reason: tm.skipped }); continue; }
    const t = median(tm.perStep);
    if (tm.stepsPerRepeat === 1 && t > protocol.minSeconds) notes.push(`${w.name}/${c.label}: one step takes ${t.toFixed(2)} s, so each of its ${protocol.repeats} repeats is a single step`);
    here.push({
      workload: w.name, layers: w.layers, m: w.m, impl: c.impl, label: c.label, threads: c.threads, simd: c.simd,
      mode: c.mode ?? 'train', ...(c.baseline ? { baseline: c.baseline } : {}),
      stepsPerSec: 1 / t, msPerStep: t * 1000, gflops: gflops(flops, t),
      repeats: tm.perStep.length, stepsPerRepeat: tm.stepsPerRepeat, perRepeat: tm.perStep, firstCost: first[i], process: 'main',
      ...(c.tf ? { tfForm: c.tf.form, tfFormMsPerStep: { flags: forms.get(c.label)!.flags * 1000, explicit: forms.get(c.label)!.explicit * 1000 } } : {}),
    });
  }
  for (const c of cells) c.dispose();
  // every step ran in tf.tidy: after disposing the networks no TF.js tensor may be left over
  if (tfImpls.length && tfTensorCount() !== tensors0) notes.push(`${w.name}: ${tfTensorCount() - tensors0} TF.js tensors leaked`);
  const np = numpyRow(w, params, X, Y);
  if (np) {
    if (cells.length > 0 && !(relDiff(np.firstCost, first[0]) <= COST_TOLERANCE)) {
      console.error(`bench: ${w.name}: numpy's step-1 cost ${np.firstCost} disagrees with ${cells[0].label}'s ${first[0]} (relative tolerance ${COST_TOLERANCE})`);
      process.exit(1);
    }
    here.push(np);
  }
  for (const r of here) if (r.simd === 'relaxed') r.plainSameRun = here.find((p) => p.label === plainLabelOf(r.label))?.stepsPerSec;
  results.push(...here);
  line(`${w.name} [${w.layers.join('-')}] m=${w.m}: ` + here.map((r) => `${r.label} ${fmt(r.stepsPerSec)} steps/s`).join(', '));
}

// peak and GEMM: the peak loops run in every GEMM round-robin (alone when there is no GEMM)
const gemm: GemmResult[] = [];
const peaks = createPeaks(relaxedHere);
if (gemmSizes.length === 0) peakOf(peaks, await roundRobin(peaks.runners, protocol));
for (const n of gemmSizes) {
  const { A, B } = gemmOperands(n);
  const runners = pairedInChild(await gemmRunners(n, A, B));
  // every implementation computes the same product: max |C − C_first| ≤ 1e-3·max |C| (summation
  // order alone moves a float32 sum of n ≤ 1024 products by ~1e-5 of its scale; this catches wrong results)
  const outs: Float32Array[] = [];
  for (const r of runners) { await r.before?.(); outs.push(r.result()); }
  const scale = outs.length ? outs[0].reduce((mx, v) => Math.max(mx, Math.abs(v)), 0) : 0;
  for (const [i, o] of outs.entries()) {
    const err = o.reduce((mx, v, j) => Math.max(mx, Math.abs(v - outs[0][j])), 0);
    if (!(err <= 1e-3 * scale)) { console.error(`bench: GEMM ${n}: ${runners[i].impl} differs from ${runners[0].impl} by ${err} (scale ${scale})`); process.exit(1); }
  }
  const timings = await roundRobin([...peaks.runners, ...runners], protocol);
  const peakHere: PeakHere = peakOf(peaks, timings);
  const rows: GemmResult[] = [];
  for (const [i, tm] of timings.slice(peaks.runners.length).entries()) {
    const c = runners[i].cell;
    if (tm.skipped) { skipped.push({ workload: `gemm-${n}`, impl: c.label, reason: tm.skipped }); continue; }
    const t = median(tm.perStep);
    const g = gflops(gemmFlops(n), t);
    const peakOfModule = c.simd === 'relaxed' ? peakHere.fma! : peakHere.mulAdd;
    rows.push({ n, ...c, gflops: g, msPerProduct: t * 1000, repeats: tm.perStep.length, peakGflops: peakHere.mulAdd, fmaPeakGflops: peakHere.fma, fractionOfPeak: g / peakOfModule, process: 'main' });
  }
  for (const r of rows) if (r.simd === 'relaxed') r.plainSameRun = rows.find((p) => p.label === plainLabelOf(r.label))?.gflops;
  gemm.push(...rows);
  for (const r of runners) r.dispose?.();
  line(`GEMM ${n}: ` + rows.map((g) => `${g.label} ${fmt(g.gflops)} GFLOP/s`).join(', ') + `; peak mul+add ${fmt(peakHere.mulAdd)}${peakHere.fma !== null ? `, FMA ${fmt(peakHere.fma)}` : ''} GFLOP/s`);
}
const peak = peakSummary(peaks);
line(`WASM SIMD peaks (register-only loops, medians of all repeats): ${peak.loops.map((l) => `${l.loop} ${fmt(l.median)} GFLOP/s (best ${fmt(l.max)})`).join(', ')} → mul+add peak ${fmt(peak.median)}${peak.fma !== null ? `, FMA peak ${fmt(peak.fma)}` : ''} GFLOP/s`);

let child: ChildOutput | undefined;
if (relaxedInChild) {
  line();
  const c = await runRelaxedChild();
  if ('failed' in c) notes.push(`relaxed cells not measured: ${c.failed}`);
  else {
    child = c;
    results.push(...c.results.filter((r) => r.simd === 'relaxed').map((r) => ({ ...r, process: 'relaxed-child' as const })));
    gemm.push(...c.gemm.filter((g) => g.simd === 'relaxed').map((g) => ({ ...g, process: 'relaxed-child' as const })));
    unavailable.push(...c.unavailable.filter((u) => u.label.endsWith('relaxed')));
    notes.push(...c.notes.map((n) => `relaxed child: ${n}`));
  }
}

if (!values['no-checks']) checks.push(...await checkMemory());

// ---------------------------------------------------------------------------------------------
// report

line();
const header = ['workload', 'layers', 'm', 'impl', 'threads', 'simd', 'steps/s', 'ms/step', 'GFLOP/s', 'note'];
const rows: string[][] = [header];
for (const w of workloads) {
  const here = results.filter((x) => x.workload === w.name);
  for (const [i, r] of here.entries()) {
    const note = r.tfForm ? `TF.js form ${r.tfForm}` : r.process === 'relaxed-child' ? 'child with relaxed SIMD' : '';
    rows.push([i === 0 ? w.name : '', i === 0 ? w.layers.join('-') : '', i === 0 ? String(w.m) : '', r.label, String(r.threads), r.simd ?? '',
      fmt(r.stepsPerSec), fmt(r.msPerStep), fmt(r.gflops), note]);
  }
}
line(table(rows));

const ratios = speedRatios(results, workloads.map((w) => w.name));
const ratioKeys = [...new Set(ratios.flatMap((r) => Object.keys(r).filter((k) => k !== 'workload')))];
if (ratioKeys.length > 0) {
  line();
  line('speed ratios (steps/s, same run; relaxed against the plain module timed beside it):');
  line(table([['workload', ...ratioKeys], ...ratios.map((r) => [String(r.workload), ...ratioKeys.map((k) => (typeof r[k] === 'number' ? `${fmt(r[k] as number)}×` : '—'))])]));
}

if (gemm.length > 0) {
  line();
  const labels = [...new Set(gemm.map((g) => g.label))];
  const grows: string[][] = [['GEMM n', ...labels.map((l) => `${l} GFLOP/s`), ...labels.map((l) => `${l} /peak`)]];
  for (const n of gemmSizes) {
    const g = (l: string) => gemm.find((x) => x.n === n && x.label === l);
    grows.push([String(n), ...labels.map((l) => fmt(g(l)?.gflops)), ...labels.map((l) => (g(l) ? `${(g(l)!.fractionOfPeak * 100).toFixed(0)}%` : '—'))]);
  }
  line(`square GEMM C = A·B (2n³ flop); /peak = fraction of the peak measured in the same round-robin (the FMA peak for the relaxed module, the mul+add peak otherwise; whole run: mul+add ${fmt(peak.median)}${peak.fma !== null ? `, FMA ${fmt(peak.fma)}` : ''}${child?.peak.fma ? `; relaxed child: mul+add ${fmt(child.peak.median)}, FMA ${fmt(child.peak.fma)}` : ''} GFLOP/s):`);
  line(table(grows));
}

if (unavailable.length > 0) {
  line();
  line('not measured (variant not available):');
  const byReason = new Map<string, string[]>();
  for (const u of unavailable) byReason.set(`${u.label}: ${u.reason}`, [...(byReason.get(`${u.label}: ${u.reason}`) ?? []), u.where]);
  for (const [what, where] of byReason) line(`  ${what} (${where.join(', ')})`);
}

if (checks.length > 0) {
  line();
  line('resource checks:');
  for (const c of checks) line(`${c.pass === null ? 'INFO' : c.pass ? 'PASS' : 'FAIL'}  ${c.name}: ${fmt(c.value)} ${c.unit} (${c.detail})`);
}

// the speed, variant and resource targets, checked against this run
const peakSource = child?.peak ?? (peak.fma !== null ? peak : undefined);
const fmaOver12 = peakSource?.fma ? peakSource.fma / peakSource.loops.find((l) => l.loop === 'peak-12')!.median : null;
const targets: Target[] = [
  ...speedTargets(ratios, gemm),
  ...checks.filter((x) => x.pass !== null).map((c): Target => ({ group: 'resources', target: c.name, value: c.value, pass: c.pass })),
  ...variantTargets(ratios, gemm, results, workloads.map((w) => w.name), fmaOver12, peakSource?.fma ?? null),
  ...stepApiTargets(ratios, workloads.map((w) => w.name), baseline !== undefined),
];
if (!isChild) {
  for (const group of [...new Set(targets.map((t) => t.group))]) {
    line();
    line(`targets (${group}):`);
    for (const t of targets.filter((x) => x.group === group)) line(targetLine(t));
  }
}

for (const s of skipped) notes.push(`${s.workload}/${s.impl} skipped: ${s.reason}`);
if (notes.length > 0) { line(); for (const n of notes) line(`note: ${n}`); }
const seconds = (performance.now() - started) / 1000;
line(`\nbench took ${seconds.toFixed(0)} s`);

if (values.json) {
  writeFileSync(values.json, JSON.stringify({
    node: process.version, cpu, cores: cpus().length, platform: `${platform()} ${release()}`, date: new Date().toISOString(), args: process.argv.slice(2),
    relaxedSimd: { supported: relaxedHere, where: relaxedInChild ? 'child' : relaxedHere && simds.includes('relaxed') ? 'this process' : 'not asked for', used: results.some((r) => r.simd === 'relaxed') },
    axes: { threads: threadCounts, simd: simds },
    tfjs: tfInfo ? { ...tfInfo, backends: tfImpls.map(tfBackendOf) } : null,
    numpy: numpy ?? null,
    protocol: { ...protocol, statistic: 'median', costTolerance: COST_TOLERANCE },
    peakGflops: peak.median, fmaPeakGflops: peak.fma, peak, relaxedChild: child ? { peak: child.peak } : null,
    results, ratios, gemm, unavailable, checks, targets, skipped, notes, seconds,
  }, null, 2) + '\n');
  line(`wrote ${values.json}`);
}
