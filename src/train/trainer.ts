/**
 * One run of Network.train() / trainAsync() as plain functions over the engine: epochs of batches
 * (each step forward, cost, backward, one optimizer update), learning-rate decay, shuffling,
 * validation, early stopping, progress, and time slices for trainAsync. The Network checks the
 * options and the data and plans the arena first; everything here trusts what it is given.
 */
import { OPTIMIZER_STATE_BLOCKS, type OptimizerName } from '../core/architecture.js';
import { backwardPass, cost, forwardPass, l2Cost, optimizerUpdate, type Dropout, type Engine } from '../core/engine.js';
import type { PlanExtras } from '../core/plan.js';
import { argmaxColumn, gatherColumnsInto, sliceColumnsInto } from '../util/matrix.js';
import { identityPermutation, shuffleInPlace } from '../util/rng.js';
import type { Rng } from '../util/rng-stream.js';
import type { TrainConfig, TrainProgress, TrainResult } from './options.js';

/** The checked data of a run: training columns (row-major (rows × m)) and the validation data. */
export interface RunData {
  Xt: ArrayLike<number>; Yt: ArrayLike<number>; m: number;
  Xv: Float32Array | undefined; Yv: Float32Array | undefined; mv: number;
}

/** The state of one train() / trainAsync() call, created once before the first step. */
export interface Run {
  where: string;
  cfg: TrainConfig;
  data: RunData;
  /** input and output sizes n_x, n_y */
  nX: number; nY: number;
  /** batch size and batches per epoch */
  mb: number; nb: number;
  /**
   * columns per validation chunk: the batch capacity when the run started, kept even if a call
   * from onProgress grows the arena, so the validation cost is summed the same way every time
   */
  chunk: number;
  /** column order of this epoch (reused every epoch); empty for a full batch, which is taken in order */
  perm: Int32Array;
  /** shuffles and dropout masks draw from this stream */
  rng: Rng;
  /** with dropout: the keep probabilities and the mask stream, passed to every training step */
  drop: Dropout | null;
  lr: number;
  total: number;
  costs: Float64Array; epochCosts: Float64Array | undefined; valCosts: Float64Array; checks: number;
  step: number; epoch: number; batch: number;
  epochCost: number; right: number; count: number; countRight: boolean;
  best: number; bestParams: Float32Array | undefined; wait: number;
  /** the training X and Y (full batch) are in their arena slots */
  resident: boolean;
  stopped: TrainResult['stopped'] | undefined;
  /** how many times calls from outside the run (forward, cost, backward) have written the batch region */
  batchWrites: () => number;
  /** the parameters at the last check where every one was finite (the run's start at first), and the step they are from */
  finite: Float32Array; finiteStep: number;
}

const NO_PERM = new Int32Array(0);
const NO_COSTS = new Float64Array(0);

/**
 * Each engine's buffer for a run's last finite parameters, kept from run to run (runs on one
 * network never overlap): a short run, train({ iterations: 1 }) say, then allocates only its
 * result's costs.
 */
const finiteBuffers = new WeakMap<Engine, Float32Array>();

export const now = (): number => (typeof performance !== 'undefined' ? performance.now() : Date.now());

/** Per layer 1…L the keep probability (the output layer keeps all), or null without dropout. */
export function dropoutKeep(dropout: readonly number[]): Float32Array | null {
  return dropout.some((p) => p > 0) ? Float32Array.from([...dropout.map((p) => 1 - p), 1]) : null;
}

/** What the arena must hold for a run beyond what it holds (`have`): the optimizer's state blocks, the dropout masks. */
export function runExtras(optimizer: OptimizerName, keep: Float32Array | null, have: Required<PlanExtras>): Required<PlanExtras> {
  return {
    stateBlocks: Math.max(have.stateBlocks, OPTIMIZER_STATE_BLOCKS[optimizer]),
    dropout: have.dropout.map((d, l) => d || (keep !== null && keep[l] < 1)),
  };
}

/** The run's state, over an arena already planned for it; the optimizer state starts at zero. */
export function createRun(
  e: Engine, where: string, cfg: TrainConfig, data: RunData, rng: Rng, keep: Float32Array | null, batchWrites: () => number,
): Run {
  const p = e.plan;
  for (const st of p.state) e.heap.fill(0, st >> 2, (st >> 2) + p.paramFloats); // fresh optimizer state
  let finite = finiteBuffers.get(e);
  if (finite === undefined || finite.length !== p.paramFloats) finiteBuffers.set(e, finite = new Float32Array(p.paramFloats));
  finite.set(e.heap.subarray(p.params >> 2, (p.params >> 2) + p.paramFloats)); // checked when they were set
  const mb = cfg.batchSize ?? data.m;
  const nb = Math.ceil(data.m / mb);
  const total = cfg.epochs * nb;
  const checks = Math.ceil(cfg.epochs / cfg.progressEvery) + 1;
  return {
    where, cfg, data, nX: p.layers[0], nY: p.layers[p.layers.length - 1], mb, nb, chunk: p.mCap, perm: nb > 1 ? identityPermutation(data.m) : NO_PERM, rng,
    drop: keep ? { keep, rng } : null, lr: cfg.learningRate, total,
    // sized for the whole run up to 2^16 entries, then doubled as needed (a run stopped early by
    // a signal or a callback never holds memory for steps it did not take)
    costs: new Float64Array(Math.min(total, 1 << 16)),
    epochCosts: cfg.form === 'epochs' ? new Float64Array(Math.min(cfg.epochs, 1 << 16)) : undefined,
    valCosts: data.Xv ? new Float64Array(Math.min(checks, 1 << 16)) : NO_COSTS, checks: 0,
    step: 0, epoch: 0, batch: 0, epochCost: 0, right: 0, count: 0, countRight: false,
    best: Infinity, bestParams: undefined, wait: 0, resident: false, stopped: undefined, batchWrites, finite, finiteStep: 0,
  };
}

/**
 * The divergence guard: every parameter must be finite. Σ p² over the parameter block (float64,
 * so no finite float32 overflows it: 2^24·(3.4e38)² ≈ 2e84) is finite exactly when every
 * parameter is. If so, the parameters are kept as the last finite state; if not, they are put
 * back to that state and the run stops with an error naming the step and the learning rate.
 */
export function checkParams(e: Engine, r: Run): void {
  const p = e.plan;
  if (e.k.all_finite(p.params, p.paramFloats) === 1) {
    r.finite.set(e.heap.subarray(p.params >> 2, (p.params >> 2) + p.paramFloats));
    r.finiteStep = r.step;
    return;
  }
  diverged(e, r, `a parameter became ${Number.isNaN(e.k.sum_squares(p.params, p.paramFloats)) ? 'NaN' : 'infinite'} by step ${r.step}`);
}

/**
 * Throws the divergence error. The parameters stay as they are when every one is finite (a cost
 * that overflowed for finite parameters, before this step's update); otherwise the last finite
 * parameters are put back. The message says which, by step.
 */
function diverged(e: Engine, r: Run, what: string): never {
  const p = e.plan;
  let kept = r.step;
  if (e.k.all_finite(p.params, p.paramFloats) !== 1) {
    e.heap.set(r.finite, p.params >> 2);
    kept = r.finiteStep;
  }
  const state = kept === 0 ? 'as they were before training' : `as they were after step ${kept}`;
  throw new Error(`${r.where}: ${what} (learning rate ${r.lr}); the parameters diverged. They are ${kept === r.step ? 'kept' : 'restored'} ${state}; try a smaller learningRate than ${r.lr}, or call init() to start again`);
}

/**
 * Runs steps until training ends (returns true) or the clock passes `deadline` (returns false;
 * call again to continue). Per step: forward, cost, backward, one optimizer update.
 */
export function runSteps(e: Engine, r: Run, deadline: number): boolean {
  const cfg = r.cfg;
  while (r.stopped === undefined) {
    if (r.epoch >= cfg.epochs) {
      r.stopped = 'done';
      break;
    }
    if (cfg.signal?.aborted) {
      r.stopped = 'aborted';
      break;
    }
    if (r.batch === 0) startEpoch(e, r);
    const start = r.batch * r.mb;
    const mb = Math.min(r.mb, r.data.m - start);
    if (r.nb > 1 || !r.resident) putBatch(e, r, start, mb);
    forwardPass(e, mb, r.drop);
    let J = cost(e, mb);
    if (cfg.l2 > 0) J += l2Cost(e, mb, cfg.l2);
    if (!Number.isFinite(J)) diverged(e, r, `the cost became ${J} at step ${r.step + 1}`);
    if (r.step === r.costs.length) r.costs = grown(r.costs);
    r.costs[r.step] = J;
    r.epochCost += J * mb;
    if (r.countRight) {
      r.right += rightCount(e, mb);
      r.count += e.loss === 'cce' ? mb : r.nY * mb;
    }
    backwardPass(e, mb, cfg.l2, r.drop);
    optimizerUpdate(e, cfg.optimizer, r.lr, r.step + 1);
    r.step++;
    if (++r.batch === r.nb) {
      r.batch = 0;
      r.epoch++;
      endEpoch(e, r);
    }
    if (deadline !== Infinity && (r.step & 3) === 0 && now() > deadline) return r.stopped !== undefined;
  }
  return true;
}

/** The learning rate for this epoch, a new permutation, fresh accumulators. */
function startEpoch(e: Engine, r: Run): void {
  const { decay, shuffle, form, onProgress, progressEvery, epochs } = r.cfg;
  const ep = r.epoch;
  if (decay !== undefined) {
    r.lr = r.cfg.learningRate * (decay.type === 'step' ? decay.factor ** Math.floor(ep / decay.every) : decay.rate ** ep);
  }
  if (form === 'epochs' && shuffle && r.nb > 1) shuffleInPlace(r.perm, r.rng);
  r.epochCost = 0;
  r.right = 0;
  r.count = 0;
  const reports = (ep + 1) % progressEvery === 0 || ep + 1 === epochs;
  r.countRight = onProgress !== undefined && reports && e.loss !== 'mse';
}

/** Copies the batch's columns (in this epoch's order) into the X and Y slots; allocates nothing. */
function putBatch(e: Engine, r: Run, start: number, mb: number): void {
  const h = e.heap, p = e.plan, d = r.data;
  if (r.nb === 1) {
    // the full batch, in order: X (n_x × m) and Y (n_y × m) as they are
    h.set(d.Xt, p.X >> 2);
    h.set(d.Yt, p.Y >> 2);
  } else {
    gatherColumnsInto(h, p.X >> 2, d.Xt, r.nX, d.m, r.perm, start, mb); // X (n_x × mb)
    gatherColumnsInto(h, p.Y >> 2, d.Yt, r.nY, d.m, r.perm, start, mb); // Y (n_y × mb)
  }
  r.resident = r.nb === 1;
}

/** After an epoch: epoch cost; at a check, validation, onProgress and early stopping. */
function endEpoch(e: Engine, r: Run): void {
  const cfg = r.cfg, ep = r.epoch;
  const epochCost = r.epochCost / r.data.m;
  if (r.epochCosts) {
    if (ep > r.epochCosts.length) r.epochCosts = grown(r.epochCosts);
    r.epochCosts[ep - 1] = epochCost;
  }
  if (ep % cfg.progressEvery !== 0 && ep !== cfg.epochs) return;
  checkParams(e, r); // at every check: validation and onProgress never see a broken network
  let val: { cost: number; accuracy: number | undefined } | undefined;
  if (r.data.Xv) {
    val = evaluate(e, r);
    if (r.checks === r.valCosts.length) r.valCosts = grown(r.valCosts);
    r.valCosts[r.checks++] = val.cost;
  }
  if (cfg.onProgress) {
    const progress: TrainProgress = { epoch: ep, epochs: cfg.epochs, iteration: r.step, iterations: r.total, cost: epochCost };
    if (r.countRight) progress.accuracy = r.right / r.count;
    if (val) {
      progress.validationCost = val.cost;
      if (val.accuracy !== undefined) progress.validationAccuracy = val.accuracy;
    }
    const writes = r.batchWrites();
    if (cfg.onProgress(progress) === false) r.stopped = 'callback';
    // a forward, predict, cost or backward in the callback used the batch region: put the batch back
    if (r.batchWrites() !== writes) r.resident = false;
  }
  const es = cfg.earlyStopping;
  if (es && val) {
    if (val.cost < r.best - es.minDelta) {
      r.best = val.cost;
      r.wait = 0;
      const p = e.plan;
      r.bestParams ??= new Float32Array(p.paramFloats);
      r.bestParams.set(e.heap.subarray(p.params >> 2, (p.params >> 2) + p.paramFloats));
    } else if (++r.wait >= es.patience && r.stopped === undefined) r.stopped = 'earlyStopping';
  }
}

/** Cost (without L2) and accuracy on the validation data, in chunks of the batch capacity, no dropout. */
function evaluate(e: Engine, r: Run): { cost: number; accuracy: number | undefined } {
  const p = e.plan, h = e.heap, { Xv, Yv, mv } = r.data;
  let total = 0, right = 0;
  for (let c0 = 0; c0 < mv; c0 += r.chunk) {
    const mc = Math.min(r.chunk, mv - c0);
    sliceColumnsInto(h, p.X >> 2, Xv!, r.nX, mv, c0, mc); // X (n_x × mc)
    sliceColumnsInto(h, p.Y >> 2, Yv!, r.nY, mv, c0, mc); // Y (n_y × mc)
    forwardPass(e, mc);
    total += cost(e, mc) * mc;
    if (e.loss !== 'mse') right += rightCount(e, mc);
  }
  r.resident = false;
  const count = e.loss === 'cce' ? mv : r.nY * mv;
  return { cost: total / mv, accuracy: e.loss === 'mse' ? undefined : right / count };
}

/** Right predictions in the last forward pass of m columns against the Y slot (classification). */
function rightCount(e: Engine, m: number): number {
  const h = e.heap, out = e.plan.layer[e.plan.layer.length - 1];
  const a0 = out.A >> 2, y0 = e.plan.Y >> 2, n = out.nOut;
  let right = 0;
  if (e.loss === 'cce') {
    for (let j = 0; j < m; j++) if (h[y0 + argmaxColumn(h, a0, n, m, j) * m + j] === 1) right++;
  } else {
    for (let i = 0; i < n * m; i++) if ((h[a0 + i] > 0.5) === (h[y0 + i] > 0.5)) right++;
  }
  return right;
}

/**
 * The run's result, once every parameter is checked finite; with early stopping, the best
 * parameters seen at a check are restored first.
 */
export function finishRun(e: Engine, r: Run): TrainResult {
  if (r.finiteStep !== r.step) checkParams(e, r);
  if (r.cfg.earlyStopping && r.bestParams) e.heap.set(r.bestParams, e.plan.params >> 2);
  const result: TrainResult = { costs: upTo(r.costs, r.step), iterations: r.step, epochs: r.epoch, stopped: r.stopped ?? 'done' };
  if (r.epochCosts) result.epochCosts = upTo(r.epochCosts, r.epoch);
  if (r.data.Xv) result.validationCosts = upTo(r.valCosts, r.checks);
  return result;
}

/** the first n entries of a: a itself when that is all of it (a run that went to its end), else a view */
function upTo(a: Float64Array, n: number): Float64Array {
  return n === a.length ? a : a.subarray(0, n);
}

/** a copy of a with twice the length (for the per-step records of a long run) */
function grown(a: Float64Array): Float64Array {
  const b = new Float64Array(a.length * 2);
  b.set(a);
  return b;
}
