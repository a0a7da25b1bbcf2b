/**
 * Kernels whose large products are split over a pool's threads. Each thread computes a block of
 * rows (or of columns) of C with gemm_*_part, which gives every element the bits the whole
 * kernel gives it: results do not depend on the thread count. Small products, and every other
 * kernel, run on the calling thread, where a dispatch (≈ 10–20 µs) would cost more than it saves.
 */
import type { Kernels, PartKernels, ReferenceKernels } from './kernels.js';
import type { Pool } from './pool.js';

/**
 * Multiply-adds a product must give every thread before splitting it pays. A dispatch costs about
 * 10–20 µs of waking and waiting; at ≈ 3–10 multiply-adds per ns a share of 2^17 takes ≈ 15–40 µs.
 */
export const MIN_PART_WORK = 1 << 17;
/** Row blocks are multiples of 4 rows (the micro-kernel's tile), column blocks of 8 columns (the direct path's tile). */
export const ROW_UNIT = 4;
export const COL_UNIT = 8;

export interface Split {
  /** threads the product runs on (1: not split) */
  parts: number;
  /** split into blocks of rows of C (else of columns) */
  byRows: boolean;
}

/**
 * How C (M × N) = op(A)·op(B) with inner size K splits over up to `threads` threads. Blocks of
 * rows each re-pack all of op(B) (K × N), blocks of columns all of op(A) (M × K): the split goes
 * along the longer side of C, so the repeated part is the smaller.
 */
export function planSplit(M: number, N: number, K: number, threads: number): Split {
  const byRows = M >= N;
  if (threads < 2) return { parts: 1, byRows };
  const units = byRows ? Math.ceil(M / ROW_UNIT) : Math.ceil(N / COL_UNIT);
  const parts = Math.min(threads, units, Math.floor((M * N * K) / MIN_PART_WORK));
  return { parts: Math.max(1, parts), byRows };
}

/** Where block p of `parts` starts among `count` rows or columns: even shares in whole units; block `parts` starts at count. */
export function blockStart(p: number, parts: number, count: number, unit: number): number {
  if (p >= parts) return count;
  return Math.min(count, Math.floor((p * Math.ceil(count / unit)) / parts) * unit);
}

type Gemm = Kernels['gemm_nn'];

/**
 * The module's kernels with gemm_nn, gemm_nt and gemm_tn split over the pool where that pays.
 * scratch[t]: thread t's buffers for the packed path (0 for the caller: the module's own). Once
 * the pool is closed (disposed, or a worker failed) every product runs on the caller.
 */
export function splitKernels(raw: Kernels & ReferenceKernels & PartKernels, pool: Pool, scratch: readonly number[]): Kernels & ReferenceKernels {
  const split = (whole: Gemm, part: string): Gemm => {
    const id = pool.id(part);
    return (c, a, b, M, N, K, alpha, beta) => {
      const s = pool.closed === undefined ? planSplit(M, N, K, pool.threads) : undefined;
      if (s === undefined || s.parts < 2) {
        whole(c, a, b, M, N, K, alpha, beta);
        return;
      }
      pool.begin();
      for (let p = 0; p < s.parts; p++) {
        if (s.byRows) {
          pool.put(p, id, c, scratch[p], a, b, M, N, K,
            blockStart(p, s.parts, M, ROW_UNIT), blockStart(p + 1, s.parts, M, ROW_UNIT), 0, N, alpha, beta);
        } else {
          pool.put(p, id, c, scratch[p], a, b, M, N, K,
            0, M, blockStart(p, s.parts, N, COL_UNIT), blockStart(p + 1, s.parts, N, COL_UNIT), alpha, beta);
        }
      }
      pool.run();
    };
  };
  return {
    ...raw,
    gemm_nn: split(raw.gemm_nn, 'gemm_nn_part'),
    gemm_nt: split(raw.gemm_nt, 'gemm_nt_part'),
    gemm_tn: split(raw.gemm_tn, 'gemm_tn_part'),
  };
}
