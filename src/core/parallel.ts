/**
 * Kernels whose large products are split over a pool's threads. Each thread computes a block of
 * rows (or of columns) of C with gemm_*_part, which gives every element the bits the whole
 * kernel gives it: results do not depend on the thread count. Small products, and every other
 * kernel, run on the calling thread, where a dispatch (≈ 10–20 µs) would cost more than it saves.
 */
import type { Kernels, PartKernels, ReferenceKernels } from './kernels.js';
import { MAX_PARTS, type Pool } from './pool.js';

/**
 * Multiply-adds a product must give every thread before splitting it pays. A dispatch costs about
 * 10–20 µs of waking and waiting; at ≈ 3–10 multiply-adds per ns a share of 2^17 takes ≈ 15–40 µs.
 */
export const MIN_PART_WORK = 1 << 17;
/**
 * Parts a product splits into per thread, at most: more parts than threads leave a share for the
 * others to claim when a thread is slow (not scheduled), at the cost of packing shared panels
 * once per part.
 */
export const PARTS_PER_THREAD = 2;
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
 * How C (M × N) = op(A)·op(B) with inner size K splits over up to `threads` threads: into blocks
 * of columns where C has enough of them, else of rows. (A block of columns packs only its own
 * columns of op(B), a block of rows all of them: measured on 2 threads, column blocks ran GEMM
 * 256 and 512 in 0.51–0.53 of one thread's time, row blocks in 0.57–0.63; scripts/thread-speed.ts.)
 */
export function planSplit(M: number, N: number, K: number, threads: number): Split {
  const want = threads < 2 ? 1 : Math.min(threads * PARTS_PER_THREAD, MAX_PARTS, Math.floor((M * N * K) / MIN_PART_WORK));
  const colUnits = Math.ceil(N / COL_UNIT), rowUnits = Math.ceil(M / ROW_UNIT);
  const byRows = colUnits < want && rowUnits > colUnits;
  return { parts: Math.max(1, Math.min(want, byRows ? rowUnits : colUnits)), byRows };
}

/** Where block p of `parts` starts among `count` rows or columns: even shares in whole units; block `parts` starts at count. */
export function blockStart(p: number, parts: number, count: number, unit: number): number {
  if (p >= parts) return count;
  return Math.min(count, Math.floor((p * Math.ceil(count / unit)) / parts) * unit);
}

type Gemm = Kernels['gemm_nn'];

/**
 * The module's kernels with gemm_nn, gemm_nt and gemm_tn split over the pool where that pays.
 * Once the pool is closed (disposed, or a worker failed) every product runs on the caller.
 */
export function splitKernels(raw: Kernels & ReferenceKernels & PartKernels, pool: Pool): Kernels & ReferenceKernels {
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
        // argument 2 is the scratch: each part gets that of the thread that runs it
        if (s.byRows) {
          pool.part(id, 2, c, 0, a, b, M, N, K,
            blockStart(p, s.parts, M, ROW_UNIT), blockStart(p + 1, s.parts, M, ROW_UNIT), 0, N, alpha, beta);
        } else {
          pool.part(id, 2, c, 0, a, b, M, N, K,
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
