/**
 * The step as kernel calls over the arena that planArena() laid out. For a network of L dense
 * layers and a batch X = A[0] (n_x × m), one column per example, the seed's math is:
 *
 *   forward,  l = 1 … L    Z[l] = W[l]·A[l-1] + b[l]                    (n_l × m)
 *                          A[l] = g[l](Z[l])                            (n_l × m)
 *   cost                   J = -(1/m) Σ [Y log A[L] + (1 − Y) log(1 − A[L])]   (BCE; or CCE, MSE)
 *                              + (λ/(2m)) Σ_l ‖W[l]‖²                   (with L2)
 *   backward, l = L … 1    dZ[L] = A[L] − Y                             (n_L × m)
 *                          dW[l] = (1/m)·dZ[l]·A[l-1]ᵀ (+ (λ/m)·W[l])   (n_l × n_{l-1})
 *                          db[l] = (1/m)·Σ_columns dZ[l]                (n_l)
 *                          dZ[l-1] = W[l]ᵀ·dZ[l] ⊙ g'[l-1](Z[l-1])      (n_{l-1} × m)
 *   update                 W[l] −= α·dW[l],  b[l] −= α·db[l]            (or momentum, RMSprop, Adam)
 *
 * Each function below is that list as kernel calls, with each buffer's shape beside it; backward
 * is forward read in reverse. Nothing here checks or allocates: the Network checks every input
 * before it calls in, and the plan holds every buffer. Dropout comes in as an argument.
 */
import type { Activation, Loss, OptimizerHyper } from './architecture.js';
import { needsOutputChain } from './architecture.js';
import { activationKernels, backProducts, weightGradients, type ActivationKernels, type BackProducts, type Kernels, type WeightGradients } from './kernels.js';
import type { ArenaPlan } from './plan.js';
import { backwardWork, forwardWork, gradientWork } from './split-work.js';
import type { Rng } from '../util/rng-stream.js';

/** A network's kernels, plan and heap: everything the step reads and writes. */
export interface Engine {
  readonly k: Kernels;
  /** layer l's activation kernels (index 0 is layer 1) */
  readonly acts: readonly ActivationKernels[];
  /** a layer's dW and dA_prev products together (one dispatch on threads) */
  readonly products: BackProducts;
  /** the first layer's dW and db together (one dispatch on threads) */
  readonly gradients: WeightGradients;
  /**
   * The same kernels without the thread split, for a layer whose products are too small to split
   * (n_out·n_in·m below splitWork): the bits the split wrappers give it, without their calls.
   */
  readonly small: { readonly k: Kernels; readonly acts: readonly ActivationKernels[]; readonly products: BackProducts; readonly gradients: WeightGradients };
  /** multiply-adds per product from which a layer runs the kernels that split (0: they are the same kernels); a forward counts its activation too (split-work.ts) */
  readonly splitWork: number;
  /** layer l's activation (index 0 is layer 1) */
  readonly activations: readonly Activation[];
  readonly loss: Loss;
  /** the output is not the loss's canonical pair (sigmoid + mse): dZ[L] = (A − Y) ⊙ g'(Z[L]) */
  readonly outputChain: boolean;
  /** replaced, with heap, whenever the arena is replanned */
  plan: ArenaPlan;
  heap: Float32Array;
  /**
   * sigmoid + BCE on kernels that have bias_sigmoid_e: the forward pass keeps each output's
   * e^-|z| in the output layer's dZ slot (free until backward), and cost reads it there instead of
   * computing the exponential again (the same bits). keptPlan and keptM say which forward pass
   * the slot holds (null once backward has written dZ there, or a forward pass did not keep it).
   */
  readonly keepE: boolean;
  keptPlan: ArenaPlan | null;
  keptM: number;
}

/**
 * The engine over kernels k; with threads, `oneThread` are the same module's kernels unsplit, and
 * a layer with fewer than splitWork multiply-adds per product runs those.
 */
export function createEngine(
  k: Kernels, layers: readonly number[], activations: readonly Activation[], loss: Loss, plan: ArenaPlan, heap: Float32Array,
  oneThread: Kernels = k, splitWork?: number,
): Engine {
  const kernelSet = (kk: Kernels) => ({
    k: kk, acts: activations.map((a, l) => activationKernels(kk, a, layers[l + 1])), products: backProducts(kk), gradients: weightGradients(kk),
  });
  const all = kernelSet(k);
  const unsplit = oneThread === k || splitWork === undefined;
  const small = unsplit ? all : kernelSet(oneThread);
  const last = activations[activations.length - 1];
  const keepE = loss === 'bce' && last === 'sigmoid' && typeof oneThread.bias_sigmoid_e === 'function' && typeof oneThread.bce_cost_e === 'function';
  return {
    ...all, small, splitWork: unsplit ? 0 : splitWork, activations, loss, outputChain: needsOutputChain(last, loss), plan, heap,
    keepE, keptPlan: null, keptM: 0,
  };
}

/**
 * The kernels a call of `work` multiply-adds' worth runs on: split over threads only where that
 * can pay (split-work.ts weighs a layer's forward and backward as the split itself does; with
 * splitWork 0, one thread, small and e are the same kernels).
 */
function kernelsFor(e: Engine, work: number): Engine | Engine['small'] {
  return work < e.splitWork ? e.small : e;
}

/** Inverted dropout while training: per layer 1…L the keep probability (1 = none), and the mask stream. */
export interface Dropout {
  keep: Float32Array;
  rng: Rng;
}

/** A[1…L] for the m columns in the X slot; Z and A of every layer stay for cost and backward. */
export function forwardPass(e: Engine, m: number, drop: Dropout | null = null): void {
  const layers = e.plan.layer;
  const L = layers.length;
  e.keptPlan = null;
  for (let l = 0; l < L; l++) {
    const s = layers[l]; //                                                  W (nOut × nIn), Ain = A[l-1] (nIn × m)
    const ks = e.splitWork === 0 ? e : kernelsFor(e, forwardWork(s.nOut, m, s.nIn, e.activations[l]));
    if (l === L - 1 && e.keepE && ks.k === e.small.k) {
      // the unsplit layerForward, keeping e^-|Z| for cost in the dZ slot
      ks.k.gemm_nn(s.Z, s.W, s.Ain, s.nOut, m, s.nIn, 1, 0); //              Z = W·A_prev (nOut × m)
      ks.k.bias_sigmoid_e!(s.A, s.Z, s.b, s.dZ, s.nOut, m); //                Z += b, A = σ(Z), dZ slot = e^-|Z|
      e.keptPlan = e.plan;
      e.keptM = m;
    } else {
      ks.acts[l].layerForward(s.Z, s.A, s.W, s.Ain, s.b, s.nOut, m, s.nIn); // Z = W·A_prev, then Z += b (broadcast), A = g(Z) (nOut × m)
    }
    if (drop !== null && drop.keep[l] < 1) dropout(e, s.A, s.mask, s.nOut * m, drop.keep[l], drop.rng); // A ⊙ mask / keep
  }
}

/** Draws a seeded 0/1 mask (1 with probability keep) into the arena and applies A ⊙ mask / keep. */
function dropout(e: Engine, a: number, mask: number, n: number, keep: number, rng: Rng): void {
  const h = e.heap;
  const m0 = mask >> 2;
  for (let i = 0; i < n; i++) h[m0 + i] = rng.uniform() < keep ? 1 : 0;
  e.k.dropout_apply(a, mask, n, 1 / keep);
}

/** The loss of the last forward pass of m columns against the Y slot (n_L × m), divided by m. */
export function cost(e: Engine, m: number): number {
  const p = e.plan, out = p.layer[p.layer.length - 1];
  if (e.loss === 'cce') return e.k.cce_cost(out.Z, p.Y, out.nOut, m); //   from the logits Z[L], log-sum-exp
  if (e.loss === 'mse') return e.k.mse_cost(out.A, p.Y, out.nOut * m, m); // (1/(2m)) Σ (A − Y)²
  if (e.keptPlan === p && e.keptM === m) return e.small.k.bce_cost_e!(out.Z, p.Y, out.dZ, out.nOut * m, m); // the same, from the kept e^-|Z|
  return e.k.bce_cost(out.Z, p.Y, out.nOut * m, m); //                      from the logits Z[L], softplus form
}

/** (λ/(2m))·Σ_l ‖W_l‖² */
export function l2Cost(e: Engine, m: number, l2: number): number {
  let s = 0;
  for (const l of e.plan.layer) s += e.k.sum_squares(l.W, l.nOut * l.nIn);
  return (l2 / (2 * m)) * s;
}

/** dW and db of every layer for the last forward pass of m columns against the Y slot. */
export function backwardPass(e: Engine, m: number, l2 = 0, drop: Dropout | null = null): void {
  const { k, acts } = e;
  const layers = e.plan.layer;
  const L = layers.length;
  const out = layers[L - 1];
  e.keptPlan = null; // (the dZ slot is written now)
  // dZ[L] = A[L] − Y for sigmoid + BCE, softmax + CCE and linear + MSE (with MSE's 1/(2m))
  k.output_delta(out.dZ, out.A, e.plan.Y, out.nOut * m); //                          dZ[L] = A[L] − Y    (nL × m)
  if (e.outputChain) acts[L - 1].backward(out.dZ, out.dZ, out.A, out.Z, out.nOut * m); // MSE with a sigmoid: ⊙ g'(Z[L])
  for (let l = L - 1; l >= 0; l--) {
    const s = layers[l], prev = l > 0 ? layers[l - 1] : undefined;
    // without dropout before this layer, g' of the previous one goes with the products
    const dropped = prev !== undefined && drop !== null && drop.keep[l - 1] < 1;
    if (prev === undefined) {
      // the first layer: dW = (1/m)·dZ·Xᵀ (nOut × nIn) and db = (1/m)·Σ_cols dZ (nOut), one dispatch on threads
      kernelsFor(e, gradientWork(s.nOut, m, s.nIn)).gradients(s.dW, s.db, s.dZ, s.Ain, s.nOut, s.nIn, m, 1 / m);
    } else {
      if (!dropped) {
        // dW, dA_prev = Wᵀ·dZ and dZ_prev = dA_prev ⊙ g'(Z_prev) (nIn × m) together: one dispatch on threads
        kernelsFor(e, backwardWork(s.nOut, m, s.nIn)).acts[l - 1].layerBackward(s.dW, prev.dZ, s.dZ, s.Ain, s.W, prev.A, prev.Z, s.nOut, s.nIn, m, 1 / m);
      } else kernelsFor(e, s.nOut * s.nIn * m).products(s.dW, prev.dZ, s.dZ, s.Ain, s.W, s.nOut, s.nIn, m, 1 / m); // dW and dA_prev = Wᵀ·dZ
      k.row_sum(s.db, s.dZ, s.nOut, m, 1 / m); //                    db = (1/m)·Σ_cols dZ   (nOut)
    }
    if (l2 > 0) k.l2_grad_add(s.dW, s.W, s.nOut * s.nIn, l2 / m); // dW += (λ/m)·W
    if (dropped) {
      // the dropped A_prev fed dW above; g' needs the undropped one: dA ⊙ mask / keep, then A = g(Z) again
      k.dropout_apply(prev.dZ, prev.mask, s.nIn * m, 1 / drop.keep[l - 1]);
      acts[l - 1].forward(prev.A, prev.Z, s.nIn * m);
      acts[l - 1].backward(prev.dZ, prev.dZ, prev.A, prev.Z, s.nIn * m); // dZ_prev = dA_prev ⊙ g'(Z_prev)
    }
  }
}

/** W −= α·dW, b −= α·db: one flat loop over the parameter block (gradients share its layout). */
export function sgdUpdate(e: Engine, lr: number): void {
  e.k.sgd_update(e.plan.params, e.plan.grads, e.plan.paramFloats, lr);
}

/**
 * One update of every parameter by the named optimizer, over the flat parameter, gradient and
 * state blocks (the plan must hold the optimizer's state blocks); t is the step, from 1 (Adam's
 * bias corrections).
 */
export function optimizerUpdate(e: Engine, o: OptimizerHyper, lr: number, t: number): void {
  const k = e.k, p = e.plan, n = p.paramFloats;
  switch (o.name) {
    case 'sgd': sgdUpdate(e, lr); break; //                                                      p −= lr·g
    case 'momentum': k.momentum_update(p.params, p.state[0], p.grads, n, lr, o.beta); break; //   v = β·v + (1 − β)·g; p −= lr·v
    case 'rmsprop': k.rmsprop_update(p.params, p.state[0], p.grads, n, lr, o.beta, o.epsilon); break; // s = β·s + (1 − β)·g²; p −= lr·g / (√s + ε)
    case 'adam': {
      // the bias corrections of the β the kernel actually uses: float32(β) (1 − float32(β) is
      // exact in float32, so the moments are exact averages with that β; with the float64 β,
      // 1 − 0.999 would be off by 1.3e-5 relative and so would the first steps)
      const c1 = 1 / (1 - Math.fround(o.beta1) ** t), c2 = 1 / (1 - Math.fround(o.beta2) ** t);
      k.adam_update(p.params, p.state[0], p.state[1], p.grads, n, lr, o.beta1, o.beta2, o.epsilon, c1, c2);
    }
  }
}
