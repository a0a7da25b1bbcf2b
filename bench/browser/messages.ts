/**
 * The messages between the browser bench's page (bench/browser/page.ts) and its module worker
 * (bench/browser/worker.ts), which runs every wasm-mlp cell: a network that threads need must live
 * in a Worker (Atomics.wait is not allowed on a page's main thread), so all of them do.
 */
import type { LayerParams, Matrix } from '../../src/index.js';
import type { PeakLoop } from '../peaks.js';
import type { Variant } from '../variants.js';

export type Request =
  | { op: 'info' }
  | { op: 'workload'; name: string }
  | { op: 'network'; id: number; variant: Variant; workload: string }
  | { op: 'gemm'; id: number; variant: Variant; n: number }
  | { op: 'peaks' }
  | { op: 'step1'; id: number }
  | { op: 'time'; id: number; k: number }
  | { op: 'result'; id: number }
  | { op: 'dispose'; id: number };

export interface WorkerInfo { relaxedSimd: boolean; crossOriginIsolated: boolean; hardwareConcurrency: number; userAgent: string }
export interface WorkloadData { X: Matrix; Y: Matrix; params: LayerParams[] }

/** What each request answers (an `error` string instead when it threw). */
export interface Replies {
  info: WorkerInfo;
  workload: WorkloadData;
  network: { ok: true } | { unavailable: string };
  gemm: { ok: true } | { unavailable: string };
  peaks: { loops: { loop: PeakLoop; id: number; flopsPerStep: number }[] };
  step1: { cost: number };
  time: { seconds: number };
  result: { data: Float32Array };
  dispose: { ok: true };
}
