/**
 * The numpy peer (bench/numpy-peer.py) from Node: python3 with numpy, one OpenBLAS thread. Each
 * workload runs in its own python3 process, from the same data and initial parameters as every
 * other implementation (written to a temporary float32 file), under the bench's protocol.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { LayerParams, Matrix } from '../src/index.js';

/** The script beside this file's source; the bench bundle lives in build/, a sibling of bench/. */
const SCRIPT = fileURLToPath(new URL('../bench/numpy-peer.py', import.meta.url));
const PYTHON = process.env.PYTHON ?? 'python3';

/**
 * The child's environment: one BLAS thread, and OpenBLAS left to choose its kernel for this CPU
 * (a machine may pin OPENBLAS_CORETYPE or OPENBLAS_L2_SIZE; only this child drops them).
 */
export function numpyEnv(env: NodeJS.ProcessEnv = process.env): NodeJS.ProcessEnv {
  const out: NodeJS.ProcessEnv = { ...env, OPENBLAS_NUM_THREADS: '1', OMP_NUM_THREADS: '1', MKL_NUM_THREADS: '1' };
  delete out.OPENBLAS_CORETYPE;
  delete out.OPENBLAS_L2_SIZE;
  return out;
}

export interface NumpyInfo { numpy: string; source: string; library?: string; version?: string; kernel?: string; config?: string; threads?: number }
export interface NumpyRun { firstCost: number; perStep: number[]; stepsPerRepeat: number }

function python(args: string[]): { ok: true; out: string } | { ok: false; reason: string } {
  const r = spawnSync(PYTHON, [SCRIPT, ...args], { env: numpyEnv(), encoding: 'utf8', maxBuffer: 1 << 20 });
  if (r.error) return { ok: false, reason: `${PYTHON} could not be started (${r.error.message})` };
  if (r.status !== 0) return { ok: false, reason: `${PYTHON} ${args[0]} exited with ${r.status}: ${(r.stderr || r.stdout).trim().split('\n').slice(-1)[0]}` };
  return { ok: true, out: r.stdout };
}

/** numpy's version and its BLAS (kernel and thread count as the library reports them), or why it does not run. */
export function numpyInfo(): NumpyInfo | { unavailable: string } {
  const r = python(['info']);
  return r.ok ? JSON.parse(r.out) as NumpyInfo : { unavailable: r.reason };
}

/** Times the step on one workload; the data and parameters are the ones every implementation starts from. */
export function runNumpy(spec: { layers: readonly number[]; m: number; learningRate: number; repeats: number; minSeconds: number },
  params: readonly LayerParams[], X: Matrix, Y: Matrix): NumpyRun | { unavailable: string } {
  const dir = mkdtempSync(join(tmpdir(), 'wasm-mlp-numpy-'));
  try {
    const parts = [X.data, Y.data, ...params.flatMap((p) => [p.W.data, p.b])];
    const blob = new Float32Array(parts.reduce((n, a) => n + a.length, 0));
    let at = 0;
    for (const a of parts) { blob.set(a, at); at += a.length; }
    const data = join(dir, 'data.f32');
    writeFileSync(data, new Uint8Array(blob.buffer)); // little-endian on every platform Node runs on
    const specFile = join(dir, 'spec.json');
    writeFileSync(specFile, JSON.stringify({ ...spec, data }));
    const r = python(['run', specFile]);
    return r.ok ? JSON.parse(r.out) as NumpyRun : { unavailable: r.reason };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
