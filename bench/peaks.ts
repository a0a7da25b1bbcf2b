/**
 * The register-only peak loops of bench/assembly/peak.ts as round-robin runners: one "step" is
 * PEAK_CHUNK loop iterations. They run in every GEMM round-robin, so the peak a product is
 * compared with was measured in the same time window (the machine is shared: load moves both
 * alike).
 *
 * - the mul+add peak: the largest median of the three f32x4.mul + f32x4.add loops (12 chains, 24
 *   chains, and the GEMM-shaped loop whose products are off the chains), from build/peak.wasm;
 * - the FMA peak: 12 chains of f32x4.relaxed_madd, from build/peak-relaxed.wasm, where the engine
 *   accepts relaxed SIMD (Node 20 only with --experimental-wasm-relaxed-simd).
 */
import peakBytes from '../build/peak.wasm';
import peakRelaxedBytes from '../build/peak-relaxed.wasm';
import { gflops, median } from './stats.js';
import { timed, type Runner, type Timing } from './timing.js';

export type PeakLoop = 'peak-12' | 'peak-24' | 'peak-madd' | 'peak-fma';
const PEAK_CHUNK = 1 << 15;

type Loop = (iterations: number, seed: number) => number;
interface PeakExports {
  peak_loop_12: Loop; peak_loop_24: Loop; peak_loop_madd: Loop; peak_loop_fma: Loop;
  FLOPS_PER_ITERATION_12: WebAssembly.Global; FLOPS_PER_ITERATION_24: WebAssembly.Global;
  FLOPS_PER_ITERATION_MADD: WebAssembly.Global; FLOPS_PER_ITERATION_FMA: WebAssembly.Global;
}
export interface PeakLoopRun { loop: PeakLoop; runner: Runner; flopsPerStep: number; samples: number[] }
export interface Peaks { loops: PeakLoopRun[]; runners: Runner[] }
/** The peaks of one round-robin (GFLOP/s, medians of its repeats). */
export interface PeakHere { mulAdd: number; mulAdd12: number; fma: number | null }
export interface PeakSummary {
  /** the mul+add peak of the whole run: the largest median over all repeats of the three loops */
  median: number;
  /** the FMA loop's median over all repeats, or null where relaxed SIMD is not accepted */
  fma: number | null;
  loops: { loop: PeakLoop; median: number; max: number; samples: number[] }[];
}

function instantiate(bytes: Uint8Array<ArrayBuffer>): PeakExports {
  return new WebAssembly.Instance(new WebAssembly.Module(bytes), { env: { abort() { throw new Error('peak: abort'); } } }).exports as unknown as PeakExports;
}

/** The loops, with the FMA loop only when `relaxed` (this engine accepts relaxed SIMD). */
export function createPeaks(relaxed: boolean): Peaks {
  const plain = instantiate(peakBytes);
  const loop = (name: PeakLoop, f: Loop, perIteration: WebAssembly.Global): PeakLoopRun => ({
    loop: name, runner: { impl: name, time: timed((k) => { f(k * PEAK_CHUNK, 0.999); }) }, flopsPerStep: PEAK_CHUNK * (perIteration.value as number), samples: [],
  });
  const loops = [
    loop('peak-12', plain.peak_loop_12, plain.FLOPS_PER_ITERATION_12),
    loop('peak-24', plain.peak_loop_24, plain.FLOPS_PER_ITERATION_24),
    loop('peak-madd', plain.peak_loop_madd, plain.FLOPS_PER_ITERATION_MADD),
  ];
  if (relaxed) {
    const r = instantiate(peakRelaxedBytes);
    loops.push(loop('peak-fma', r.peak_loop_fma, r.FLOPS_PER_ITERATION_FMA));
  }
  return { loops, runners: loops.map((l) => l.runner) };
}

/** The peaks of one round-robin whose first timings are the peak loops'; their samples join the run's totals. */
export function peakOf(peaks: Peaks, timings: readonly Timing[]): PeakHere {
  const med = peaks.loops.map((p, i) => {
    const g = timings[i].perStep.map((s) => gflops(p.flopsPerStep, s));
    p.samples.push(...g);
    return median(g);
  });
  const at = (name: PeakLoop) => med[peaks.loops.findIndex((l) => l.loop === name)];
  return { mulAdd: Math.max(at('peak-12'), at('peak-24'), at('peak-madd')), mulAdd12: at('peak-12'), fma: peaks.loops.length > 3 ? at('peak-fma') : null };
}

export function peakSummary(peaks: Peaks): PeakSummary {
  const loops = peaks.loops.filter((p) => p.samples.length > 0).map((p) => ({ loop: p.loop, median: median(p.samples), max: Math.max(...p.samples), samples: p.samples }));
  const mulAdd = loops.filter((l) => l.loop !== 'peak-fma');
  return { median: Math.max(...mulAdd.map((l) => l.median)), fma: loops.find((l) => l.loop === 'peak-fma')?.median ?? null, loops };
}
