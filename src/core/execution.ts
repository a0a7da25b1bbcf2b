/**
 * How a network runs: the options `threads` and `simd` of Network.create, checked, and 'auto'
 * threads turned into a number for the backend. A backend that cannot give what was asked steps
 * down (src/core/backend.ts) and says why in its notes; the network prints such a note once.
 */
import { MAX_THREADS, type Backend, type WasmBackendOptions } from './backend.js';
import { SIMD_OPTIONS, type SimdOption } from './modules.js';
import { fail } from '../util/validate.js';

export type { SimdName, SimdOption } from './modules.js';
/** A thread count ≥ 1, or 'auto'. */
export type ThreadsOption = number | 'auto';

/**
 * Under 'auto', threads start only for a network with a layer of at least this many weights: its
 * forward product W·A has n_out·n_in·m ≥ 2·MIN_PART_WORK multiply-adds (src/core/parallel.ts)
 * from a batch of 64 columns on, the least at which splitting it pays. Smaller networks never
 * start workers.
 */
export const AUTO_MIN_WEIGHTS = 4096;

export function checkExecutionOptions(where: string, o: Record<string, unknown>): { threads: ThreadsOption; simd: SimdOption } {
  const threads = o.threads ?? 'auto';
  if (threads !== 'auto' && !(Number.isInteger(threads) && (threads as number) >= 1 && (threads as number) <= MAX_THREADS)) {
    fail(where, 'threads', `'auto' or an integer from 1 to ${MAX_THREADS}`, threads);
  }
  const simd = o.simd ?? 'auto';
  if (!SIMD_OPTIONS.includes(simd as SimdOption)) fail(where, 'simd', "'auto', 'relaxed' or 'plain'", simd);
  return { threads: threads as ThreadsOption, simd: simd as SimdOption };
}

/** The backend options for a network of these layers: 'auto' threads become 1 for a small one. */
export function executionFor(o: { layers: readonly number[]; threads: ThreadsOption; simd: SimdOption }): WasmBackendOptions {
  let widest = 0;
  for (let l = 1; l < o.layers.length; l++) widest = Math.max(widest, o.layers[l] * o.layers[l - 1]);
  return { threads: o.threads === 'auto' && widest < AUTO_MIN_WEIGHTS ? 1 : o.threads, simd: o.simd };
}

const printed = new Set<string>();

/**
 * Prints, once per process for each distinct text, the notes of a backend that runs fewer threads
 * or another module than was asked (console.info: it is a fact about the environment, not an error).
 */
export function printNotes(be: Backend): void {
  for (const note of be.notes) {
    if (printed.has(note)) continue;
    printed.add(note);
    console.info(`wasm-mlp: ${note}`);
  }
}
