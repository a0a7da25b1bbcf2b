/**
 * The options that every way of making a network takes (Network.create, Network.fromJSON,
 * loadModel, fromTFJS): the backend's names, and `threads` and `simd` with their one check. It
 * imports no kernels, so the entries that bundle none (wasm-mlp/data, wasm-mlp/export) check them
 * with the same words as Network.create.
 */
import { fail } from '../util/validate.js';

export type BackendName = 'wasm' | 'js';
/** The SIMD build of the kernels: 'relaxed' fuses the products' multiply-adds, 'plain' does not. */
export type SimdName = 'relaxed' | 'plain';
/** 'auto' picks 'relaxed' where the engine accepts relaxed SIMD, else 'plain'. */
export type SimdOption = SimdName | 'auto';

export const BACKENDS: readonly BackendName[] = ['wasm', 'js'];
/** The most threads a network runs (the pool's control block has room for this many, src/core/pool.ts). */
export const MAX_THREADS = 128;
export const SIMD_OPTIONS: readonly SimdOption[] = ['auto', 'relaxed', 'plain'];
/** A thread count ≥ 1, or 'auto'. */
export type ThreadsOption = number | 'auto';

/**
 * `o.threads` and `o.simd` checked, 'auto' where absent; a bad value is an Error naming
 * `${where}: ${path}threads` (path: 'options.' for a loader's options object).
 */
export function checkExecutionOptions(where: string, o: { threads?: unknown; simd?: unknown }, path = ''): { threads: ThreadsOption; simd: SimdOption } {
  const threads = o.threads ?? 'auto';
  if (threads !== 'auto' && !(Number.isInteger(threads) && (threads as number) >= 1 && (threads as number) <= MAX_THREADS)) {
    fail(where, `${path}threads`, `'auto' or an integer from 1 to ${MAX_THREADS}`, threads);
  }
  const simd = o.simd ?? 'auto';
  if (!SIMD_OPTIONS.includes(simd as SimdOption)) fail(where, `${path}simd`, "'auto', 'relaxed' or 'plain'", simd);
  return { threads: threads as ThreadsOption, simd: simd as SimdOption };
}
