/**
 * Kernels whose large products are split over a pool's threads. Each thread computes a block of
 * rows (or of columns) of C with gemm_*_part, which gives every element the bits the whole
 * kernel gives it: results do not depend on the thread count. Small products, and every other
 * kernel, run on the calling thread, where a dispatch (≈ 10–20 µs) would cost more than it saves.
 */
import type { Activation } from './architecture.js';
import type { BackProducts, FusedKernels, Kernels, LayerBackward, LayerForward, PartKernels, ReferenceKernels, WeightGradients } from './kernels.js';
import { MAX_PARTS, type Pool } from './pool.js';
import { backwardWork, DENSE_MAX_K, forwardWork, GRADS_MAX_IN, gradientWork, MIN_PART_WORK, partWork, setPartWork, splitMinWork } from './split-work.js';

export { MIN_PART_WORK, splitMinWork };

/**
 * For the tests: from now on, products split once each part has `work` multiply-adds (1: every
 * product with two blocks of rows or columns splits, whatever its size); no argument restores
 * MIN_PART_WORK. Applies to every backend of this process from its next product on (and to a
 * network's choice of kernels per layer when it is created); what a product computes is the same
 * bits either way, only which thread computes which block changes.
 */
export function splitFrom(work: number = MIN_PART_WORK): void {
  if (!(Number.isInteger(work) && work >= 1)) throw new Error(`splitFrom: work must be an integer ≥ 1, got ${work}`);
  setPartWork(work);
}
/**
 * Parts a product splits into per thread, at most. More parts than threads would leave a share
 * for the others to claim when a thread is slow (not scheduled), at the cost of packing the
 * shared panels once per part; on 2 free cores one part per thread ran the mnist-shape, wide and
 * deep steps 1.71–1.79× faster than one thread, two per thread 1.66–1.72× (scripts/thread-speed.ts).
 */
export const PARTS_PER_THREAD = 1;
/**
 * Row blocks are multiples of 12 rows (of both micro-kernel tiles, 4 and 6 rows), column blocks of
 * 16 columns: two of the tiles' width (8), and 64 bytes, a cache line. A block of 8-column units
 * could start mid-line: planar-wide's forward (256 × 400) split at column 200 (800 bytes into each
 * 1600-byte row), so both threads wrote one line of every row of Z and of A, and its step ran
 * 0.91–0.95× one thread's on two (`node scripts/train-ab.mjs dist/index.js --workload planar-wide
 * --threads 2 --rounds 11 --steps 2000`, three runs); split at 192, 1.03–1.04×.
 */
export const ROW_UNIT = 12;
export const COL_UNIT = 16;

export interface Split {
  /** threads the product runs on (1: not split) */
  parts: number;
  /** split into blocks of rows of C (else of columns) */
  byRows: boolean;
}

/**
 * How C (M × N) = op(A)·op(B) with inner size K splits over up to `threads` threads (`work`: the
 * multiply-adds' worth of the call, the product's own by default; a layer's forward adds its bias
 * and activation, split-work.ts): into blocks
 * of columns where C has enough of them, else of rows. (A block of columns packs only its own
 * columns of op(B), a block of rows all of them: measured on 2 threads, column blocks ran GEMM
 * 256 and 512 in 0.51–0.53 of one thread's time, row blocks in 0.57–0.63; scripts/thread-speed.ts.)
 */
export function planSplit(M: number, N: number, K: number, threads: number, work: number = M * N * K): Split {
  const want = threads < 2 ? 1 : Math.min(threads * PARTS_PER_THREAD, MAX_PARTS, Math.floor(work / partWork()));
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

/** The inner size from which a product may take the packed path (assembly/gemm-packed.ts's PACK_MIN). */
const PACK_MIN_K = 16;

/** The element-wise backward kernels (dZ = dA ⊙ g'), which threads run on their blocks of rows of dA. */
const BACK_KERNEL: Partial<Record<Activation, string>> = {
  sigmoid: 'sigmoid_backward', tanh: 'tanh_backward', relu: 'relu_backward', leakyRelu: 'leaky_relu_backward', linear: 'identity_backward',
};

/** The bias kernels whose column blocks threads run (bias_<act>_part); softmax's is per column of all rows and stays whole. */
const BIAS_KERNEL: Partial<Record<Activation, string>> = {
  sigmoid: 'bias_sigmoid', tanh: 'bias_tanh', relu: 'bias_relu', leakyRelu: 'bias_leaky_relu', linear: 'bias_identity',
};

/**
 * The module's kernels with gemm_nn, gemm_nt and gemm_tn split over the pool where that pays,
 * a dense layer's forward as one dispatch (each part its block of Z, then that block's bias and
 * activation), a layer's two backward products as one dispatch (with the previous layer's g' where
 * that pays), and the first layer's dW and db as one. Once the pool is closed (disposed, or a
 * worker failed) everything runs on the caller.
 */
export function splitKernels(raw: Kernels & ReferenceKernels & PartKernels, pool: Pool): Kernels & ReferenceKernels & FusedKernels {
  // (a product below two parts' work — a layer's forward: its product and activation — is never
  // split: that test first, it is most of the calls)
  const plan = (M: number, N: number, K: number, work = M * N * K) =>
    (work >= splitMinWork() && pool.closed === undefined ? planSplit(M, N, K, pool.threads, work) : undefined);
  /**
   * Adds the parts of C = op(A)·op(B) to the dispatch (argument 2 is the scratch of the thread
   * that runs a part); with bias kernels (ids ≥ 0), each part then runs Z += b, A = g(Z) on its
   * block of C = Z: biasRows on a block of rows, biasCols on a block of columns.
   */
  const parts = (s: Split, id: number, c: number, a: number, b: number, M: number, N: number, K: number, alpha: number, beta: number,
    biasRows = -1, biasCols = -1, act = 0, bias = 0) => {
    for (let p = 0; p < s.parts; p++) {
      const i0 = s.byRows ? blockStart(p, s.parts, M, ROW_UNIT) : 0, i1 = s.byRows ? blockStart(p + 1, s.parts, M, ROW_UNIT) : M;
      const j0 = s.byRows ? 0 : blockStart(p, s.parts, N, COL_UNIT), j1 = s.byRows ? N : blockStart(p + 1, s.parts, N, COL_UNIT);
      pool.part(id, 2, c, 0, a, b, M, N, K, i0, i1, j0, j1, alpha, beta);
      if (biasRows < 0) continue;
      if (s.byRows) pool.followedBy(biasRows, 0, act + i0 * N * 4, c + i0 * N * 4, bias + i0 * 4, i1 - i0, N);
      else pool.followedBy(biasCols, 0, act, c, bias, M, N, j0, j1);
    }
  };
  const split = (whole: Gemm, part: string): Gemm => {
    const id = pool.id(part);
    return (c, a, b, M, N, K, alpha, beta) => {
      const s = plan(M, N, K);
      if (s === undefined || s.parts < 2) {
        whole(c, a, b, M, N, K, alpha, beta);
        return;
      }
      pool.begin();
      parts(s, id, c, a, b, M, N, K, alpha, beta);
      pool.run();
    };
  };
  const nn = pool.id('gemm_nn_part');
  const layer = (act: Activation): LayerForward | undefined => {
    const name = BIAS_KERNEL[act];
    if (name === undefined) return undefined;
    const whole = raw[name as 'bias_tanh'], rowsId = pool.id(name), colsId = pool.id(`${name}_part`);
    // a tanh layer on ≤ DENSE_MAX_K inputs split by columns: each block by dense_tanh_part, Z
    // formed inside tanh's loop as one thread runs it (kernels.ts), the same bits (blocks start at
    // multiples of COL_UNIT = 16, as dense_tanh_part needs)
    const denseId = act === 'tanh' ? pool.id('dense_tanh_part') : -1;
    return (z, a, w, ain, b, nOut, m, nIn) => {
      // the product and the activation split together: their work decides (a tanh layer of 2
      // inputs, planar-wide's, is mostly tanh)
      const s = plan(nOut, m, nIn, forwardWork(nOut, m, nIn, act));
      if (s === undefined || s.parts < 2) {
        raw.gemm_nn(z, w, ain, nOut, m, nIn, 1, 0); // Z = W·A_in
        whole(a, z, b, nOut, m); //                    Z += b, A = g(Z)
        return;
      }
      pool.begin();
      if (denseId >= 0 && nIn <= DENSE_MAX_K && !s.byRows) {
        for (let p = 0; p < s.parts; p++) pool.part(denseId, 0, a, z, w, ain, b, nOut, m, nIn, blockStart(p, s.parts, m, COL_UNIT), blockStart(p + 1, s.parts, m, COL_UNIT));
      } else {
        // each part: its block of Z = W·A_in, then Z += b, A = g(Z) on that block
        parts(s, nn, z, w, ain, nOut, m, nIn, 1, 0, rowsId, colsId, a, b);
      }
      pool.run();
    };
  };
  const nt = pool.id('gemm_nt_part'), tn = pool.id('gemm_tn_part');
  const whole: Split = { parts: 1, byRows: true };
  // dW = α·dZ·A_inᵀ and dA_in = Wᵀ·dZ read only dZ, A_in and W: the parts of both in one dispatch
  const backProducts: BackProducts = (dW, dA, dZ, ain, w, nOut, nIn, m, alpha) => {
    const sw = plan(nOut, nIn, m), sa = plan(nIn, m, nOut);
    if ((sw?.parts ?? 1) < 2 && (sa?.parts ?? 1) < 2) {
      raw.gemm_nt(dW, dZ, ain, nOut, nIn, m, alpha, 0);
      raw.gemm_tn(dA, w, dZ, nIn, m, nOut, 1, 0);
      return;
    }
    pool.begin();
    parts(sw ?? whole, nt, dW, dZ, ain, nOut, nIn, m, alpha, 0);
    parts(sa ?? whole, tn, dA, w, dZ, nIn, m, nOut, 1, 0);
    pool.run();
  };
  // the products of layer l and the previous layer's g' (act): dW's parts, then dA's by blocks of
  // rows, each followed by g' on its rows (contiguous: an element-wise kernel gives an element the
  // same bits wherever its block starts). Their work together decides (a wide layer on few
  // inputs — planar-wide's — has products too small to split alone and most of its backward in
  // g'). Where dA is a product that may pack (an inner size, nOut, of PACK_MIN_K or more) and
  // alone would split by columns (the faster split for a packed product, which then packs only its
  // own columns), the products go as backProducts and g' runs whole.
  const back = (act: Activation): LayerBackward | undefined => {
    const name = BACK_KERNEL[act];
    if (name === undefined) return undefined;
    const wholeBack = raw[name as 'tanh_backward'], backId = pool.id(name);
    // a tanh layer under ≤ DENSE_MAX_K units: each block of rows of dZ_in by tanh_backward_tn_part,
    // Wᵀ·dZ and g' in one pass as one thread runs them (kernels.ts), the same bits
    const tnBack = act === 'tanh' ? pool.id('tanh_backward_tn_part') : -1;
    return (dW, dA, dZ, ain, w, a, z, nOut, nIn, m, alpha) => {
      const sa = plan(nIn, m, nOut);
      const s = plan(nIn, m, nOut, backwardWork(nOut, m, nIn));
      if (s === undefined || s.parts < 2 || (nOut >= PACK_MIN_K && sa !== undefined && sa.parts >= 2 && !sa.byRows)) {
        backProducts(dW, dA, dZ, ain, w, nOut, nIn, m, alpha);
        wholeBack(dA, dA, a, z, nIn * m);
        return;
      }
      const rowParts = Math.max(1, Math.min(s.parts, Math.ceil(nIn / ROW_UNIT)));
      pool.begin();
      parts(plan(nOut, nIn, m) ?? { parts: Math.min(s.parts, Math.ceil(nIn / COL_UNIT)), byRows: false }, nt, dW, dZ, ain, nOut, nIn, m, alpha, 0);
      const fusedBack = tnBack >= 0 && nOut <= DENSE_MAX_K;
      for (let p = 0; p < rowParts; p++) {
        const i0 = blockStart(p, rowParts, nIn, ROW_UNIT), i1 = blockStart(p + 1, rowParts, nIn, ROW_UNIT), o = i0 * m * 4;
        if (fusedBack) {
          pool.part(tnBack, 0, dA, w, dZ, a, nIn, m, nOut, i0, i1); // rows i0…i1 of dZ_in = (Wᵀ·dZ) ⊙ (1 − A²)
          continue;
        }
        pool.part(tn, 2, dA, 0, w, dZ, nIn, m, nOut, i0, i1, 0, m, 1, 0); //   rows i0…i1 of dA = Wᵀ·dZ
        pool.followedBy(backId, 0, dA + o, dA + o, a + o, z + o, (i1 - i0) * m); // then ⊙ g' on them
      }
      pool.run();
    };
  };
  const gemmNt = split(raw.gemm_nt, 'gemm_nt_part'), rowSum = pool.id('row_sum'), ntRowSum = pool.id('gemm_nt_row_sum');
  // the first layer's dW and db by blocks of rows of dZ, each its rows of dW then their row sums
  // (rows are independent in both: the same bits wherever a block starts). Their work together
  // decides (a wide layer on few inputs — planar-wide's 256 × 2 — has a dW too small to split
  // alone); a dW that would split by columns (many inputs) goes as gemm_nt splits it, db after.
  const weightGradients: WeightGradients = (dW, db, dZ, ain, nOut, nIn, m, alpha) => {
    const s = plan(nOut, nIn, m, gradientWork(nOut, m, nIn));
    if (s === undefined || s.parts < 2 || !s.byRows) {
      gemmNt(dW, dZ, ain, nOut, nIn, m, alpha, 0);
      raw.row_sum(db, dZ, nOut, m, alpha);
      return;
    }
    pool.begin();
    for (let p = 0; p < s.parts; p++) {
      const i0 = blockStart(p, s.parts, nOut, ROW_UNIT), i1 = blockStart(p + 1, s.parts, nOut, ROW_UNIT);
      if (nIn <= GRADS_MAX_IN) {
        // both in one pass over the block's rows of dZ (gemm_nt_row_sum: the two kernels' bits,
        // rows independent), as one thread runs a layer on 1 or 2 inputs (kernels.ts)
        pool.part(ntRowSum, 0, dW + i0 * nIn * 4, db + i0 * 4, dZ + i0 * m * 4, ain, i1 - i0, nIn, m, alpha);
        continue;
      }
      pool.part(nt, 2, dW, 0, dZ, ain, nOut, nIn, m, i0, i1, 0, nIn, alpha, 0); //  rows i0…i1 of dW = α·dZ·A_inᵀ
      pool.followedBy(rowSum, 0, db + i0 * 4, dZ + i0 * m * 4, i1 - i0, m, alpha); // and of db = α·Σ_cols dZ
    }
    pool.run();
  };
  return {
    ...raw,
    gemm_nn: split(raw.gemm_nn, 'gemm_nn_part'),
    gemm_nt: gemmNt,
    gemm_tn: split(raw.gemm_tn, 'gemm_tn_part'),
    fusedLayerForward: layer,
    backProducts,
    fusedLayerBackward: back,
    weightGradients,
  };
}
