/**
 * The browser bench's page: one session = TensorFlow.js's wasm backend at one thread count (on
 * this page's main thread, as a page uses it) and wasm-mlp's variants at the same thread count (in
 * a module worker, bench/browser/worker.ts), timed round-robin by the bench's protocol on every
 * workload and GEMM size. bench/browser/run.ts opens one page per session and calls
 * `benchSession(config)`; each session is a fresh page, since TF.js fixes its thread count when its
 * backend starts.
 */
import * as tf from '@tensorflow/tfjs';
import { getThreadsCount, setThreadsCount, setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import { peakOf, peakSummary, type PeakLoopRun, type PeakSummary, type Peaks } from '../peaks.js';
import type { GemmResult, Result } from '../report.js';
import { flopsPerStep, gemmFlops, gflops, median, relDiff } from '../stats.js';
import { TfGemm, TfNet, chooseTfForm } from '../tfjs-net.js';
import { roundRobin, timed, timedFrom, type Protocol, type Runner } from '../timing.js';
import { variantLabel, type Variant } from '../variants.js';
import { allWorkloads, gemmOperands } from '../workloads.js';
import type { Replies, Request, WorkerInfo } from './messages.js';

export interface SessionConfig {
  name: string;
  /** TF.js wasm threads to ask for (setThreadsCount), or null for no TF.js in this session */
  tfThreads: number | null;
  variants: Variant[];
  workloads: string[];
  gemm: number[];
  protocol: Protocol;
  costTolerance: number;
  /** where tfjs-backend-wasm's .wasm files are served (a prefix ending in /) */
  wasmPaths: string;
}
export interface TfSessionInfo { threadsAsked: number; threadsActual: number; simd: boolean; multithread: boolean; version: string }
export interface SessionResult {
  name: string; page: { crossOriginIsolated: boolean; hardwareConcurrency: number }; worker: WorkerInfo; tfjs: TfSessionInfo | null;
  results: Result[]; gemm: GemmResult[]; peak: PeakSummary; unavailable: { where: string; label: string; reason: string }[]; notes: string[];
}

const worker = new Worker(new URL('./worker.js', import.meta.url), { type: 'module' });
let seq = 0;
const pending = new Map<number, { resolve(v: unknown): void; reject(e: Error): void }>();
worker.onmessage = (e: MessageEvent<{ seq: number; reply?: unknown; error?: string }>) => {
  const p = pending.get(e.data.seq)!;
  pending.delete(e.data.seq);
  if (e.data.error !== undefined) p.reject(new Error(`bench worker: ${e.data.error}`));
  else p.resolve(e.data.reply);
};
worker.onerror = (e) => { for (const p of pending.values()) p.reject(new Error(`bench worker failed: ${e.message}`)); };
function call<R extends Request>(req: R): Promise<Replies[R['op']]> {
  return new Promise((resolve, reject) => {
    const s = ++seq;
    pending.set(s, { resolve: resolve as (v: unknown) => void, reject });
    worker.postMessage({ seq: s, req });
  });
}

let nextId = 1;
const log = (s: string) => console.log(s);

async function startTf(cfg: SessionConfig): Promise<TfSessionInfo | null> {
  if (cfg.tfThreads === null) return null;
  setWasmPaths(cfg.wasmPaths);
  setThreadsCount(cfg.tfThreads);
  if (!(await tf.setBackend('wasm'))) throw new Error('bench: TensorFlow.js wasm backend failed to initialise');
  const versions = tf.version as Record<string, string>;
  return {
    threadsAsked: cfg.tfThreads, threadsActual: getThreadsCount(),
    simd: (await tf.env().getAsync('WASM_HAS_SIMD_SUPPORT')) === true,
    multithread: (await tf.env().getAsync('WASM_HAS_MULTITHREAD_SUPPORT')) === true,
    version: versions['tfjs-backend-wasm'] ?? versions['tfjs'],
  };
}

async function session(cfg: SessionConfig): Promise<SessionResult> {
  const info = await call({ op: 'info' });
  const tfInfo = await startTf(cfg);
  log(`${cfg.name}: page crossOriginIsolated ${crossOriginIsolated}, hardwareConcurrency ${navigator.hardwareConcurrency}; ` +
    (tfInfo ? `TF.js wasm ${tfInfo.version}: asked ${tfInfo.threadsAsked} thread(s), runs ${tfInfo.threadsActual}, SIMD ${tfInfo.simd}` : 'no TF.js'));
  const out: SessionResult = {
    name: cfg.name, page: { crossOriginIsolated, hardwareConcurrency: navigator.hardwareConcurrency }, worker: info, tfjs: tfInfo,
    results: [], gemm: [], peak: { median: NaN, fma: null, loops: [] }, unavailable: [], notes: [],
  };
  const p = cfg.protocol;

  for (const name of cfg.workloads) {
    const w = allWorkloads.find((x) => x.name === name)!;
    const d = await call({ op: 'workload', name });
    type Cell = Runner & { label: string; threads: number; simd: Result['simd']; impl: Result['impl']; step1(): Promise<number>; dispose(): Promise<unknown> | void; tf?: TfNet };
    const cells: Cell[] = [];
    for (const v of cfg.variants) {
      const id = nextId++;
      const r = await call({ op: 'network', id, variant: v, workload: name });
      if ('unavailable' in r) { out.unavailable.push({ where: name, label: variantLabel(v), reason: r.unavailable }); continue; }
      cells.push({
        impl: 'wasm', label: variantLabel(v), threads: v.threads, simd: v.simd,
        step1: async () => (await call({ op: 'step1', id })).cost,
        time: async (k) => (await call({ op: 'time', id, k })).seconds,
        dispose: () => call({ op: 'dispose', id }),
      });
    }
    if (tfInfo) {
      const net = new TfNet('wasm', d.params, d.X, d.Y);
      cells.push({
        impl: 'tfjs-wasm', label: 'tfjs-wasm', threads: tfInfo.threadsActual, simd: null, tf: net,
        step1: async () => net.step(w.learningRate),
        time: timedFrom(() => net.reset(), (k) => { for (let i = 0; i < k; i++) net.step(w.learningRate); }),
        dispose: () => net.dispose(),
      });
    }
    const first: number[] = [];
    for (const c of cells) first.push(await c.step1());
    const bad = first.findIndex((c) => !(relDiff(c, first[0]) <= cfg.costTolerance));
    if (bad >= 0) throw new Error(`${name}: step-1 costs disagree: ${cells.map((c, i) => `${c.label} ${first[i]}`).join(', ')}`);
    const forms = new Map<string, Record<string, number>>();
    for (const c of cells) if (c.tf) forms.set(c.label, chooseTfForm(c.tf, w.learningRate));
    const timings = await roundRobin(cells, p);
    const flops = flopsPerStep(w.layers, w.m);
    for (const [i, tm] of timings.entries()) {
      const c = cells[i];
      if (tm.skipped) { out.notes.push(`${name}/${c.label} skipped: ${tm.skipped}`); continue; }
      const t = median(tm.perStep);
      out.results.push({
        workload: name, layers: w.layers, m: w.m, impl: c.impl, label: c.label, threads: c.threads, simd: c.simd,
        stepsPerSec: 1 / t, msPerStep: t * 1000, gflops: gflops(flops, t), repeats: tm.perStep.length, stepsPerRepeat: tm.stepsPerRepeat,
        firstCost: first[i], process: 'main', mode: 'train',
        ...(c.tf ? { tfForm: c.tf.form, tfFormMsPerStep: { flags: forms.get(c.label)!.flags * 1000, explicit: forms.get(c.label)!.explicit * 1000 } } : {}),
      });
    }
    for (const c of cells) await c.dispose();
    log(`${cfg.name} ${name}: ` + out.results.filter((r) => r.workload === name).map((r) => `${r.label} ${(r.stepsPerSec).toFixed(r.stepsPerSec < 100 ? 1 : 0)} steps/s`).join(', '));
  }

  // the peak loops run in the worker, in every GEMM round-robin
  const loops = (await call({ op: 'peaks' })).loops;
  const peaks: Peaks = { loops: [], runners: [] };
  for (const l of loops) {
    const runner: Runner = { impl: l.loop, time: async (k) => (await call({ op: 'time', id: l.id, k })).seconds };
    const run: PeakLoopRun = { loop: l.loop, runner, flopsPerStep: l.flopsPerStep, samples: [] };
    peaks.loops.push(run);
    peaks.runners.push(runner);
  }
  for (const n of cfg.gemm) {
    type G = Runner & { label: string; threads: number; simd: GemmResult['simd']; impl: GemmResult['impl']; result(): Promise<Float32Array>; dispose(): Promise<unknown> | void };
    const runners: G[] = [];
    for (const v of cfg.variants) {
      const id = nextId++;
      const r = await call({ op: 'gemm', id, variant: v, n });
      if ('unavailable' in r) { out.unavailable.push({ where: `gemm-${n}`, label: variantLabel(v), reason: r.unavailable }); continue; }
      runners.push({
        impl: 'wasm', label: variantLabel(v), threads: v.threads, simd: v.simd,
        time: async (k) => (await call({ op: 'time', id, k })).seconds,
        result: async () => (await call({ op: 'result', id })).data, dispose: () => call({ op: 'dispose', id }),
      });
    }
    if (tfInfo) {
      const { A, B } = gemmOperands(n);
      const g = new TfGemm('wasm', n, A, B);
      runners.push({ impl: 'tfjs-wasm', label: 'tfjs-wasm', threads: tfInfo.threadsActual, simd: null, time: timed((k) => g.run(k)), result: async () => g.result(), dispose: () => g.dispose() });
    }
    const outs: Float32Array[] = [];
    for (const r of runners) outs.push(await r.result());
    const scale = outs.length ? outs[0].reduce((mx, v) => Math.max(mx, Math.abs(v)), 0) : 0;
    for (const [i, o] of outs.entries()) {
      const err = o.reduce((mx, v, j) => Math.max(mx, Math.abs(v - outs[0][j])), 0);
      // as in npm run bench: summation order moves a float32 sum of n ≤ 1024 products by ~1e-5 of its scale
      if (!(err <= 1e-3 * scale)) throw new Error(`GEMM ${n}: ${runners[i].label} differs from ${runners[0].label} by ${err} (scale ${scale})`);
    }
    const timings = await roundRobin([...peaks.runners, ...runners], p);
    const here = peakOf(peaks, timings);
    for (const [i, tm] of timings.slice(peaks.runners.length).entries()) {
      const r = runners[i];
      if (tm.skipped) continue;
      const t = median(tm.perStep), gf = gflops(gemmFlops(n), t);
      out.gemm.push({
        n, impl: r.impl, label: r.label, threads: r.threads, simd: r.simd, gflops: gf, msPerProduct: t * 1000, repeats: tm.perStep.length,
        peakGflops: here.mulAdd, fmaPeakGflops: here.fma, fractionOfPeak: gf / (r.simd === 'relaxed' ? here.fma! : here.mulAdd), process: 'main',
      });
    }
    for (const r of runners) await r.dispose();
    log(`${cfg.name} GEMM ${n}: ` + out.gemm.filter((g) => g.n === n).map((g) => `${g.label} ${g.gflops.toFixed(1)} GFLOP/s`).join(', ') +
      `; peaks mul+add ${here.mulAdd.toFixed(1)}${here.fma !== null ? `, FMA ${here.fma.toFixed(1)}` : ''}`);
  }
  if (cfg.gemm.length === 0) peakOf(peaks, await roundRobin(peaks.runners, p));
  out.peak = peakSummary(peaks);
  for (const r of out.results) if (r.simd === 'relaxed') r.plainSameRun = out.results.find((x) => x.workload === r.workload && x.label === r.label.replace(/ relaxed$/, ''))?.stepsPerSec;
  return out;
}

(globalThis as unknown as { benchSession: typeof session }).benchSession = session;
(globalThis as unknown as { benchReady: boolean }).benchReady = true;
