/**
 * The options of Network.train / trainAsync: their types, the optimizers' defaults, and the one
 * function that checks them all (before any kernel runs) and turns them into a plain config.
 */
import { OPTIMIZERS, type OptimizerHyper, type OptimizerName } from '../core/architecture.js';
import { checkPositiveFinite, checkPositiveInt, checkSeed, describe, fail, ownOptions } from '../util/validate.js';
import type { MatrixInput } from '../util/matrix.js';

/** An optimizer with its hyper-parameters; any left out take the defaults below. */
export interface OptimizerSpec {
  name: OptimizerName;
  /** momentum and rmsprop: the decay of the moving average */
  beta?: number;
  /** adam: decay of the first moment (the mean of g) */
  beta1?: number;
  /** adam: decay of the second moment (the mean of g²) */
  beta2?: number;
  /** rmsprop and adam: added to √s in the denominator */
  epsilon?: number;
}

/**
 * The usual defaults. Formulas (g the gradient, t the step from 1, all element-wise):
 *   sgd:      p −= lr·g
 *   momentum: v = β·v + (1 − β)·g;  p −= lr·v
 *   rmsprop:  s = β·s + (1 − β)·g²;  p −= lr·g / (√s + ε)
 *   adam:     v = β1·v + (1 − β1)·g;  s = β2·s + (1 − β2)·g²;
 *             p −= lr·(v / (1 − β1^t)) / (√(s / (1 − β2^t)) + ε)
 */
export const OPTIMIZER_DEFAULTS = {
  sgd: { learningRate: 0.1 },
  momentum: { learningRate: 0.1, beta: 0.9 },
  rmsprop: { learningRate: 0.001, beta: 0.9, epsilon: 1e-8 },
  adam: { learningRate: 0.001, beta1: 0.9, beta2: 0.999, epsilon: 1e-8 },
} as const;

/** Learning-rate decay, applied per epoch e = 0, 1, 2, … (per iteration in the iterations form). */
export type DecaySpec =
  /** lr·factor^⌊e / every⌋ */
  | { type: 'step'; factor: number; every: number }
  /** lr·rate^e */
  | { type: 'exponential'; rate: number };

export interface TrainProgress {
  /** epochs completed (in the iterations form, each iteration is an epoch: epoch = iteration) */
  epoch: number;
  epochs: number;
  /** steps (parameter updates) completed so far */
  iteration: number;
  /** steps planned in total */
  iterations: number;
  /** training cost: of this step (iterations form) or the mean over this epoch's batches (epochs form), L2 term included */
  cost: number;
  /** classification (sigmoid or softmax output): fraction right on the same forward passes as `cost` */
  accuracy?: number;
  /** with validation: the cost on the validation data (without the L2 term) */
  validationCost?: number;
  validationAccuracy?: number;
}

export interface TrainOptions {
  /** full-batch steps (the course's form); give exactly one of iterations / epochs */
  iterations?: number;
  /** passes over the data in mini-batches */
  epochs?: number;
  /** columns per step in the epochs form; default all (full batch); at most the number of training examples */
  batchSize?: number;
  /** epochs form: a new seeded permutation of the examples every epoch; default true */
  shuffle?: boolean;
  /** seeds shuffling, the validation split and dropout masks; default the network's seed */
  seed?: number;
  /** default: the optimizer's (OPTIMIZER_DEFAULTS) */
  learningRate?: number;
  /** default 'sgd' */
  optimizer?: OptimizerName | OptimizerSpec;
  decay?: DecaySpec;
  /** λ ≥ 0: adds (λ/(2m))·Σ‖W‖² to the cost and (λ/m)·W to dW */
  l2?: number;
  /** drop probability in [0, 1) for every hidden layer, or one per hidden layer (inverted dropout) */
  dropout?: number | readonly number[];
  /** held-out data { X, Y }, or a fraction in (0, 1) of the columns (the last ones after a seeded shuffle) */
  validation?: { X: MatrixInput; Y: MatrixInput | ArrayLike<number> } | number;
  /** stop when the validation cost has not improved by more than minDelta for `patience` checks; restores the best parameters */
  earlyStopping?: { patience: number; minDelta?: number };
  /**
   * called every `progressEvery` epochs (iterations in the iterations form) and after the last;
   * return false to stop. It may read the network — forward, predict, predictProba, cost,
   * backward, getParams, getGrads, toJSON — and the run goes on exactly as without those calls
   * (the training data were copied when the run started, so changing the caller's X or Y has no
   * effect either). It may not change the parameters: init, setParams, update and another train
   * throw. dispose() stops the run: train then throws an error saying so.
   */
  onProgress?: (p: TrainProgress) => void | boolean;
  /** default 1 epoch in the epochs form, ⌈iterations / 100⌉ in the iterations form */
  progressEvery?: number;
  /** checked before every step: once aborted, training stops with stopped: 'aborted' */
  signal?: AbortSignal;
}

export interface TrainResult {
  /** the cost of every step that ran, in order */
  costs: Float64Array;
  /** steps that ran */
  iterations: number;
  /** epochs completed */
  epochs: number;
  /** epochs form: the mean cost of each epoch */
  epochCosts?: Float64Array;
  /** with validation: the validation cost at each check (every epoch, or every progressEvery iterations) */
  validationCosts?: Float64Array;
  stopped: 'done' | 'callback' | 'aborted' | 'earlyStopping';
}

/** The checked options, with every default filled in. */
export interface TrainConfig {
  form: 'iterations' | 'epochs';
  /** epochs (= iterations in the iterations form) */
  epochs: number;
  batchSize: number | undefined;
  shuffle: boolean;
  seed: number | undefined;
  learningRate: number;
  optimizer: OptimizerHyper;
  decay: DecaySpec | undefined;
  l2: number;
  /** per hidden layer, the drop probability */
  dropout: number[];
  validation: TrainOptions['validation'];
  earlyStopping: { patience: number; minDelta: number } | undefined;
  onProgress: TrainOptions['onProgress'];
  progressEvery: number;
  signal: AbortSignal | undefined;
}

const KEYS = ['iterations', 'epochs', 'batchSize', 'shuffle', 'seed', 'learningRate', 'optimizer', 'decay', 'l2',
  'dropout', 'validation', 'earlyStopping', 'onProgress', 'progressEvery', 'signal'];

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** a number in [lo, hi) (or [lo, hi] when `closed`) */
function checkRange(where: string, what: string, v: unknown, lo: number, hi: number, closed = false): number {
  const ok = typeof v === 'number' && Number.isFinite(v) && v >= lo && (closed ? v <= hi : v < hi);
  if (!ok) fail(where, what, `a number in [${lo}, ${hi}${closed ? ']' : ')'}`, v);
  return v as number;
}

/** the optimizers' names as an error message lists them (built once, not on every train call) */
const OPTIMIZER_NAMES = OPTIMIZERS.map((n) => `'${n}'`).join(', ');

function checkOptimizer(where: string, v: unknown): TrainConfig['optimizer'] {
  const spec: Record<string, unknown> = typeof v === 'string' ? { name: v } : isObject(v) ? v : fail(where, 'optimizer', `one of ${OPTIMIZER_NAMES} or an object { name, …hyper-parameters }`, v);
  const name = spec.name as OptimizerName;
  if (!OPTIMIZERS.includes(name)) fail(where, typeof v === 'string' ? 'optimizer' : 'optimizer.name', `one of ${OPTIMIZER_NAMES}`, spec.name);
  const defaults: Readonly<Record<string, number>> = OPTIMIZER_DEFAULTS[name];
  const out = { name, beta: 0.9, beta1: 0.9, beta2: 0.999, epsilon: 1e-8 };
  for (const key of Object.keys(spec)) {
    if (key === 'name') continue;
    if (!(key in defaults) || key === 'learningRate') {
      const allowed = Object.keys(defaults).filter((k) => k !== 'learningRate');
      fail(where, `optimizer.${key}`, allowed.length ? `left out: '${name}' takes ${allowed.join(', ')}` : `left out: '${name}' has no hyper-parameters (learningRate is a train option)`, spec[key]);
    }
    const x = key === 'epsilon' ? checkPositiveFinite(where, `optimizer.${key}`, spec[key]) : checkRange(where, `optimizer.${key}`, spec[key], 0, 1);
    (out as Record<string, unknown>)[key] = x;
  }
  for (const key of ['beta', 'beta1', 'beta2', 'epsilon'] as const) if (spec[key] === undefined && key in defaults) out[key] = defaults[key];
  return out;
}

function checkDecay(where: string, v: unknown): DecaySpec {
  if (!isObject(v)) fail(where, 'decay', "{ type: 'step', factor, every } or { type: 'exponential', rate }", v);
  if (v.type === 'step') {
    const factor = checkRange(where, 'decay.factor', v.factor, 0, 1, true);
    if (factor === 0) fail(where, 'decay.factor', 'a number in (0, 1]', factor);
    return { type: 'step', factor, every: checkPositiveInt(where, 'decay.every', v.every) };
  }
  if (v.type === 'exponential') {
    const rate = checkRange(where, 'decay.rate', v.rate, 0, 1, true);
    if (rate === 0) fail(where, 'decay.rate', 'a number in (0, 1]', rate);
    return { type: 'exponential', rate };
  }
  return fail(where, 'decay.type', "'step' or 'exponential'", v.type);
}

/**
 * Checks every train option; `hidden` is the number of hidden layers (for dropout). Options that
 * need the data (batchSize ≤ m, the validation matrices) are checked by the network.
 */
export function checkTrainOptions(where: string, options: unknown, hidden: number): TrainConfig {
  // own keys only (nothing inherited is read as an option), each read once
  const o = ownOptions(where, options, KEYS, 'an object { iterations | epochs, learningRate?, … }', 'options', 'a train option');
  if (o.iterations !== undefined && o.epochs !== undefined) {
    fail(where, 'iterations / epochs', 'exactly one of the two (iterations: full-batch steps; epochs: passes in mini-batches)', `both (iterations ${describe(o.iterations)}, epochs ${describe(o.epochs)})`);
  }
  if (o.iterations === undefined && o.epochs === undefined) {
    fail(where, 'iterations / epochs', 'given: one of iterations (full-batch steps) or epochs (passes in mini-batches), an integer from 1', 'neither');
  }
  const form = o.iterations !== undefined ? 'iterations' : 'epochs';
  const epochs = form === 'iterations' ? checkPositiveInt(where, 'iterations', o.iterations) : checkPositiveInt(where, 'epochs', o.epochs);
  if (form === 'iterations' && o.batchSize !== undefined) {
    fail(where, 'batchSize', 'left out with iterations (full-batch steps); use epochs for mini-batches', o.batchSize);
  }
  const batchSize = o.batchSize === undefined ? undefined : checkPositiveInt(where, 'batchSize', o.batchSize);
  if (o.shuffle !== undefined && typeof o.shuffle !== 'boolean') fail(where, 'shuffle', 'true or false', o.shuffle);
  const seed = o.seed === undefined ? undefined : checkSeed(where, o.seed);
  const optimizer = checkOptimizer(where, o.optimizer ?? 'sgd');
  const learningRate = o.learningRate === undefined
    ? OPTIMIZER_DEFAULTS[optimizer.name].learningRate
    : checkPositiveFinite(where, 'learningRate', o.learningRate);
  const decay = o.decay === undefined ? undefined : checkDecay(where, o.decay);
  const l2 = o.l2 === undefined ? 0 : o.l2;
  if (typeof l2 !== 'number' || !Number.isFinite(l2) || l2 < 0) fail(where, 'l2', 'a finite number ≥ 0', l2);
  let dropout: number[];
  if (o.dropout === undefined) dropout = new Array(hidden).fill(0);
  else if (Array.isArray(o.dropout)) {
    if (o.dropout.length !== hidden) fail(where, 'dropout', `a number or an array of ${hidden} drop probabilities (one per hidden layer)`, o.dropout);
    dropout = o.dropout.map((p, i) => checkRange(where, `dropout[${i}]`, p, 0, 1));
  } else {
    const p = checkRange(where, 'dropout', o.dropout, 0, 1);
    if (p > 0 && hidden === 0) fail(where, 'dropout', '0 for a network without hidden layers (dropout acts on hidden layers)', p);
    dropout = new Array(hidden).fill(p);
  }
  const validation = o.validation as TrainOptions['validation'];
  if (validation !== undefined) {
    if (typeof validation === 'number') {
      if (!(validation > 0 && validation < 1)) fail(where, 'validation', 'a fraction in (0, 1) or { X, Y }', validation);
    } else if (!isObject(validation) || !('X' in validation) || !('Y' in validation)) {
      fail(where, 'validation', 'a fraction in (0, 1) or an object { X, Y }', validation);
    }
  }
  let earlyStopping: TrainConfig['earlyStopping'];
  if (o.earlyStopping !== undefined) {
    const e = o.earlyStopping;
    if (!isObject(e)) fail(where, 'earlyStopping', 'an object { patience, minDelta? }', e);
    if (validation === undefined) fail(where, 'earlyStopping', 'used with validation (it watches the validation cost)', e, 'Add validation: 0.2 or validation: { X, Y }');
    const patience = checkPositiveInt(where, 'earlyStopping.patience', e.patience);
    const minDelta = e.minDelta === undefined ? 0 : e.minDelta;
    if (typeof minDelta !== 'number' || !Number.isFinite(minDelta) || minDelta < 0) fail(where, 'earlyStopping.minDelta', 'a finite number ≥ 0', minDelta);
    earlyStopping = { patience, minDelta };
  }
  const onProgress = o.onProgress;
  if (onProgress !== undefined && typeof onProgress !== 'function') fail(where, 'onProgress', 'a function', onProgress);
  const progressEvery = o.progressEvery !== undefined
    ? checkPositiveInt(where, 'progressEvery', o.progressEvery)
    : form === 'iterations' ? Math.ceil(epochs / 100) : 1;
  const signal = o.signal;
  if (signal !== undefined && (!isObject(signal) || typeof signal.aborted !== 'boolean')) {
    fail(where, 'signal', 'an AbortSignal (from new AbortController().signal)', signal);
  }
  return {
    form, epochs, batchSize, shuffle: (o.shuffle as boolean | undefined) ?? true, seed, learningRate, optimizer, decay, l2, dropout,
    validation, earlyStopping, onProgress: onProgress as TrainConfig['onProgress'], progressEvery,
    signal: signal as AbortSignal | undefined,
  };
}
