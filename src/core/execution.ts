/**
 * How a network runs: the options `threads` and `simd` (checked in execution-options.ts), 'auto'
 * threads turned into a number for the backend. A backend that cannot give what was asked steps
 * down (src/core/backend.ts) and says why in its notes; the network prints such a note once.
 */
import type { Backend, WasmBackendOptions } from './backend.js';
import type { SimdOption } from './modules.js';
import type { ThreadsOption } from './execution-options.js';

export type { SimdName, SimdOption } from './modules.js';
export { checkExecutionOptions, type ThreadsOption } from './execution-options.js';

/**
 * Under 'auto', threads start only for a network with a layer of at least this many weights: its
 * forward product W·A has n_out·n_in·m ≥ 2·MIN_PART_WORK multiply-adds (src/core/parallel.ts)
 * from a batch of 64 columns on, the least at which splitting it pays. Smaller networks never
 * start workers.
 */
export const AUTO_MIN_WEIGHTS = 4096;

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
