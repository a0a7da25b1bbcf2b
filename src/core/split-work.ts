/**
 * How much work a dense layer's forward gives the thread split: its product's multiply-adds and
 * its bias and activation, counted in multiply-adds' worth of time. A leaf module (types only):
 * engine.ts (in the main bundle) and parallel.ts (in extra.js) both read it, so that a layer runs
 * the splitting kernels exactly where they may split it.
 */
import type { Activation } from './architecture.js';

/**
 * The time of one element of bias_<act> (Z += b, A = g(Z)) in multiply-adds of the products it
 * sits beside. Measured on planar-wide (2-256-1, m = 400, one thread, a CPU profile of 6000
 * steps): bias_tanh took 1.5 ns an element, the small products' direct kernels 0.17 ns a
 * multiply-add (packed ones ≈ 0.05), so tanh ≈ 9, rounded down to 8 (a layer splits a little later
 * rather than sooner); sigmoid is the same exponential; ReLU, leaky
 * ReLU and the identity are a compare and a store, about one. Softmax has no per-block kernel
 * (its columns need every row), so it adds nothing to the split.
 */
export const ACT_WORK: Readonly<Record<Activation, number>> = { tanh: 8, sigmoid: 8, relu: 1, leakyRelu: 1, linear: 1, softmax: 0 };

/** The forward's work of a layer (nOut × nIn) on m columns: W·A_in's multiply-adds, plus bias and activation. */
export function forwardWork(nOut: number, m: number, nIn: number, act: Activation): number {
  return nOut * m * (nIn + ACT_WORK[act]);
}
