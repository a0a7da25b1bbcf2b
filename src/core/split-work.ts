/**
 * How much work a dense layer's forward gives the thread split: its product's multiply-adds and
 * its bias and activation, counted in multiply-adds' worth of time, the threshold from which a product splits, and the
 * size limit of the fused kernels for layers on few inputs or under few units. A leaf
 * module (it imports types only): engine.ts and network.ts (in the main bundle) and parallel.ts
 * (in extra.js) all read it, so that a layer runs the splitting kernels exactly where they may
 * split it.
 */
import type { Activation } from './architecture.js';

/**
 * The most inputs for which a tanh layer's forward runs as dense_tanh (its Z formed inside tanh's
 * loop, one row at a time: past a few inputs gemm_nn's tiles, which share each load of A_in among
 * four rows, are faster), and the most units above a tanh layer for which its dZ runs as
 * tanh_backward_tn (kernels.ts; parallel.ts's row blocks as tanh_backward_tn_part)
 */
export const DENSE_MAX_K = 4;

/** The most inputs for which a layer's dW and db run as gemm_nt_row_sum, one pass over dZ (kernels.ts; parallel.ts's row blocks too) */
export const GRADS_MAX_IN = 2;

/**
 * Multiply-adds a product must give every thread before splitting it pays (src/core/parallel.ts
 * splits from twice this). A dispatch costs about 10–20 µs of waking and waiting; at ≈ 3–10
 * multiply-adds per ns a share of 2^17 takes ≈ 15–40 µs.
 */
export const MIN_PART_WORK = 1 << 17;
/**
 * The work per part a product needs to split: MIN_PART_WORK, unless a test lowered it
 * (parallel.ts's splitFrom). Each bundle has a copy of this file; only the tests lower it, and
 * they run src/ as one program, where network.ts and parallel.ts read this one.
 */
let minPartWork = MIN_PART_WORK;

/** The work per part from which a product splits (MIN_PART_WORK, or what a test set). */
export function partWork(): number {
  return minPartWork;
}

/** The multiply-adds from which a product may split: 2·MIN_PART_WORK, or twice what a test set with splitFrom. */
export function splitMinWork(): number {
  return 2 * minPartWork;
}

/** For parallel.ts's splitFrom, which checks `work`. */
export function setPartWork(work: number): void {
  minPartWork = work;
}

/**
 * The time of one element of bias_<act> (Z += b, A = g(Z)) in multiply-adds of the products it
 * sits beside. Measured on planar-wide (2-256-1, m = 400, one thread, 6000 steps:
 * `node scripts/kernel-profile.mjs planar-wide`), two runs: bias_tanh 1.84 and 2.07 ns an element
 * (102 400 a step), gemm_xn, the small products' direct kernel, 0.24 and 0.26 ns a multiply-add
 * (307 200 a step: the forward's and dA's), so tanh ≈ 7.6–8.0 (packed products run ≈ 0.05 ns a
 * multiply-add, so beside them tanh counts more, and a layer splits a little later than it
 * could); sigmoid is the same exponential; ReLU, leaky ReLU and the identity are a compare and a
 * store, about one. Softmax has no per-block kernel (its columns need every row), so it adds
 * nothing to the split.
 */
export const ACT_WORK: Readonly<Record<Activation, number>> = { tanh: 8, sigmoid: 8, relu: 1, leakyRelu: 1, linear: 1, softmax: 0 };

/** The forward's work of a layer (nOut × nIn) on m columns: W·A_in's multiply-adds, plus bias and activation. */
export function forwardWork(nOut: number, m: number, nIn: number, act: Activation): number {
  return nOut * m * (nIn + ACT_WORK[act]);
}

/**
 * The time of one element of <act>_backward (dZ = dA ⊙ g'(Z), two loads, a multiply or a select,
 * a store) in multiply-adds: a throwaway timing of the bare kernels on planar's shapes gave
 * tanh_backward 0.16–0.17 ns an element, beside the small products' 0.24–0.26 ns a multiply-add
 * (kernel-profile.mjs, above): about one, for every activation that has a backward.
 */
export const BACK_WORK = 1;

/**
 * The backward's work of layer l (nOut × nIn) on m columns when it also applies the previous
 * layer's g': dW's and dA's multiply-adds, plus dA ⊙ g' over the nIn × m elements.
 */
export function backwardWork(nOut: number, m: number, nIn: number): number {
  return nIn * m * (2 * nOut + BACK_WORK);
}

/**
 * The first layer's backward work (no dA, no g'): dW's multiply-adds, plus db's row sums over the
 * nOut × m elements of dZ (an add and a load each, about one).
 */
export function gradientWork(nOut: number, m: number, nIn: number): number {
  return nOut * m * (nIn + 1);
}

/**
 * The most work any one call of a step on m columns gives the thread split, over every layer of
 * a network (sizes [n_x, …, n_y], activation l for layer l + 1): its forward, its backward (the
 * first layer's dW and db), its two products alone (with dropout). A network whose largest work
 * at its batch capacity is below the split threshold runs no call on more than one thread.
 */
export function largestWork(layers: readonly number[], activations: readonly Activation[], m: number): number {
  let w = 0;
  for (let l = 1; l < layers.length; l++) {
    const nIn = layers[l - 1], nOut = layers[l];
    const back = l === 1 ? gradientWork(nOut, m, nIn) : backwardWork(nOut, m, nIn);
    w = Math.max(w, forwardWork(nOut, m, nIn, activations[l - 1]), back, nOut * nIn * m);
  }
  return w;
}
