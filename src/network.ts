/**
 * Network: the checked public API and the driver. A training step is a fixed list of kernel calls
 * over the arena laid out by planArena(); nothing is allocated inside forward, backward or update.
 */
import { createBackend, BACKENDS, MAX_ARENA_BYTES, mib, type Backend, type BackendName } from './core/backend.js';
import { modelFromJSON, modelToJSON, type FromJSONOptions, type ModelJSON } from './io/model-file.js';
import {
  ACTIVATIONS, HIDDEN_ACTIVATIONS, OUTPUT_ACTIVATIONS, activationKernels, type Activation, type Kernels,
} from './core/kernels.js';
import { takeColumns, type Matrix, type MatrixData, type MatrixInput } from './util/matrix.js';
import { argmaxColumn } from './data/metrics.js';
import { planArena, type ArenaPlan, type PlanExtras } from './core/plan.js';
import {
  checkRngName, checkRngSeed, createRng, identityPermutation, seededRng, shuffleInPlace, type Rng, type RngName,
} from './util/rng.js';
import {
  checkTrainOptions, type TrainConfig, type TrainOptions, type TrainProgress, type TrainResult,
} from './train/options.js';
import {
  checkMatrix, checkPositiveFinite, checkPositiveInt, checkSeed, checkVector, fail, isMatrixData, ownElements, ownOptions,
  type CheckedMatrix,
} from './util/validate.js';
import { NETWORK_LIMITS, countParams } from './core/limits.js';

const EXAMPLES_HINT = 'X and Y hold one COLUMN per example; if your data is one row per example, build them with fromExamples() and fromLabels()';

export type { Activation } from './core/kernels.js';
export type { BackendName } from './core/backend.js';
export type {
  TrainOptions, TrainProgress, TrainResult, OptimizerName, OptimizerSpec, DecaySpec,
} from './train/options.js';

/** The cost minimised: binary cross-entropy, categorical cross-entropy, mean squared error. */
export type Loss = 'bce' | 'cce' | 'mse';
export const LOSSES: readonly Loss[] = ['bce', 'cce', 'mse'];
/** the loss each output activation implies when `loss` is not given */
const DEFAULT_LOSS: Record<string, Loss> = { sigmoid: 'bce', softmax: 'cce', linear: 'mse' };
/** the losses each output activation may be trained with */
const ALLOWED_LOSSES: Record<string, readonly Loss[]> = { sigmoid: ['bce', 'mse'], softmax: ['cce'], linear: ['mse'] };

/** Y for a softmax network: one-hot (n_y × m), or the m class indices as an array or a (1 × m) Matrix. */
export type TargetInput = MatrixInput | ArrayLike<number>;

export interface NetworkOptions {
  /** [n_x, n_h1, …, n_y]: at least 2 sizes, each a positive integer */
  layers: readonly number[];
  /**
   * one per layer after the input; default 'tanh' for hidden layers and 'sigmoid' for the output.
   * Hidden layers: 'sigmoid' | 'tanh' | 'relu' | 'leakyRelu'; the output: 'sigmoid' (binary
   * cross-entropy), 'softmax' (categorical cross-entropy, n_y ≥ 2) or 'linear' (mean squared error)
   */
  activations?: readonly Activation[];
  /** 'wasm' (default; falls back to 'js' with a warning where WASM SIMD is missing) or 'js' */
  backend?: BackendName;
  /** seeds init(); default 1 */
  seed?: number;
  /** init()'s random stream: 'default' (this library's), or 'numpy' (np.random.seed(seed), then randn per W, like the course; seed in [0, 2³² − 1]) */
  rng?: RngName;
  /** default from the output activation: sigmoid → 'bce', softmax → 'cce', linear → 'mse'; a sigmoid output may use 'mse' */
  loss?: Loss;
}

/** Options of cost() and backward(): the L2 term as training with `l2: λ` adds it. */
export interface CostOptions {
  /** λ ≥ 0: adds (λ/(2m))·Σ‖W‖² to the cost and (λ/m)·W to dW; default 0 */
  l2?: number;
}

export type InitScheme = 'random' | 'xavier' | 'he';

export interface InitOptions {
  /** 'random': W = randn·scale (scale 0.01, the course's); 'xavier': randn·√(1/n_in); 'he': randn·√(2/n_in) */
  scheme?: InitScheme;
  /** the factor for 'random'; default 0.01 */
  scale?: number;
  /** overrides the network's seed for this call */
  seed?: number;
}

export interface LayerParams { W: Matrix; b: Float32Array }
export interface LayerParamsInput { W: MatrixInput; b: MatrixData | MatrixInput }
export interface LayerGrads { dW: Matrix; db: Float32Array }

const INIT_SCHEMES: readonly InitScheme[] = ['random', 'xavier', 'he'];
const INIT_KEYS = ['scheme', 'scale', 'seed'];
const CREATE_KEYS = ['layers', 'activations', 'backend', 'seed', 'rng', 'loss'];
const OUTPUT_ACTIVATION: Activation = 'sigmoid';

type ActKernels = ReturnType<typeof activationKernels>;

/** The state of one train() / trainAsync() call, created once before the first step. */
interface Run {
  where: string;
  cfg: TrainConfig;
  /** training examples, their batch size and batches per epoch */
  m: number; mb: number; nb: number;
  /** the training data (all columns), row-major (n × m), and the validation data */
  Xt: ArrayLike<number>; Yt: ArrayLike<number>;
  Xv: Float32Array | undefined; Yv: Float32Array | undefined; mv: number;
  /** column order of this epoch (reused every epoch) */
  perm: Int32Array;
  rng: Rng;
  /** per layer 1…L: the keep probability (1 = no dropout), or null without dropout */
  keep: Float32Array | null;
  /** optimizer: 0 sgd, 1 momentum, 2 rmsprop, 3 adam; t counts Adam steps */
  opt: number; t: number;
  lr: number;
  total: number;
  costs: Float64Array; epochCosts: Float64Array | undefined; valCosts: Float64Array; checks: number;
  step: number; epoch: number; batch: number;
  epochCost: number; right: number; count: number; countRight: boolean;
  best: number; bestParams: Float32Array | undefined; wait: number;
  /** the training X and Y (full batch) are in their arena slots */
  resident: boolean;
  stopped: TrainResult['stopped'] | undefined;
}

/** What a disposed network's kernels are: nothing (every public method checks #live first). */
const DISPOSED_KERNELS = new Proxy({}, { get: () => () => { throw new Error('wasm-mlp: this network has been disposed'); } }) as Kernels;

const now = (): number => (typeof performance !== 'undefined' ? performance.now() : Date.now());

export class Network {
  /** layer sizes [n_x, …, n_y] */
  readonly layers: readonly number[];
  readonly activations: readonly Activation[];
  /** the backend actually in use */
  readonly backend: BackendName;
  readonly seed: number;
  readonly rng: RngName;
  /** the cost minimised (from the output activation unless given) */
  readonly loss: Loss;

  #be: Backend | undefined;
  #k: Kernels;
  #acts: ActKernels[];
  #plan: ArenaPlan;
  #heap: Float32Array;
  /** columns of the last forward pass still valid for cost/backward, or 0 */
  #forwardM = 0;
  #gradsReady = false;
  /** the output is not the loss's canonical pair (sigmoid + mse): dZ[L] = (A − Y) ⊙ g'(Z[L]) */
  #outputChain: boolean;
  /** what the arena holds beyond the basics (optimizer state, dropout masks); only grows */
  #extras: { stateBlocks: number; dropout: boolean[] };
  /** during training with dropout: keep probability per layer, and the mask generator */
  #keep: Float32Array | null = null;
  #dropRng: Rng | null = null;
  /** an asynchronous train is running */
  #busy = false;

  private constructor(opts: Required<NetworkOptions>, be: Backend) {
    this.layers = Object.freeze([...opts.layers]);
    this.activations = Object.freeze([...opts.activations]);
    this.backend = be.name;
    this.seed = opts.seed;
    this.rng = opts.rng;
    this.loss = opts.loss;
    this.#be = be;
    this.#k = be.kernels;
    this.#acts = this.activations.map((a, l) => activationKernels(be.kernels, a, this.layers[l + 1]));
    const out = this.activations[this.activations.length - 1];
    this.#outputChain = this.loss === 'mse' && out !== 'linear';
    this.#extras = { stateBlocks: 0, dropout: this.activations.map(() => false) };
    this.#plan = planArena(this.layers, 1, be.base);
    this.#heap = be.reserve(this.#plan.end);
  }

  /** Checks the options, instantiates the backend and initialises the parameters (init()). */
  static async create(options: NetworkOptions): Promise<Network> {
    const opts = checkNetworkOptions(options);
    const net = new Network(opts, await createBackend(opts.backend));
    net.init();
    return net;
  }

  /** b = 0 and W random from the network's seed: the same seed gives bit-identical parameters. */
  init(options: InitOptions = {}): this {
    const where = 'Network.init';
    this.#live(where);
    const o = ownOptions(where, options, INIT_KEYS, 'an object { scheme?, scale?, seed? }') as InitOptions;
    const scheme = o.scheme ?? 'random';
    if (!INIT_SCHEMES.includes(scheme)) fail(where, 'scheme', `one of ${INIT_SCHEMES.map((s) => `'${s}'`).join(', ')}`, scheme);
    const scale = o.scale === undefined ? 0.01 : checkPositiveFinite(where, 'scale', o.scale);
    if (o.scale !== undefined && scheme !== 'random') fail(where, 'scale', `unset with scheme '${scheme}' (it sets its own)`, o.scale);
    const rng = seededRng(where, this.rng, o.seed === undefined ? this.seed : checkSeed(where, o.seed));
    const h = this.#heap;
    h.fill(0, this.#plan.params >> 2, (this.#plan.params >> 2) + this.#plan.paramFloats);
    for (const s of this.#plan.layer) {
      const f = scheme === 'random' ? scale : Math.sqrt((scheme === 'he' ? 2 : 1) / s.nIn);
      const w0 = s.W >> 2;
      for (let i = 0; i < s.nOut * s.nIn; i++) h[w0 + i] = rng.normal() * f;
    }
    this.#invalidate();
    return this;
  }

  /** Copies of the parameters, [{ W (n_l × n_{l-1}), b (n_l) }] for layers 1…L. */
  getParams(): LayerParams[] {
    this.#live('Network.getParams');
    return this.#plan.layer.map((s) => ({
      W: this.#copyMatrix(s.W, s.nOut, s.nIn),
      b: this.#heap.slice(s.b >> 2, (s.b >> 2) + s.nOut),
    }));
  }

  /** Replaces every parameter; all shapes and values are checked before anything is written. */
  setParams(params: readonly LayerParamsInput[]): this {
    const where = 'Network.setParams';
    this.#live(where);
    const L = this.#plan.layer.length;
    if (!Array.isArray(params) || params.length !== L) fail(where, 'params', `an array of ${L} { W, b } (one per layer)`, params);
    const layerObjs = ownElements(where, 'params', params);
    // every value is read once into a copy and checked there; only then is anything written
    const checked = this.#plan.layer.map((s, l) => {
      const p = layerObjs[l];
      if (typeof p !== 'object' || p === null) fail(where, `params[${l}]`, 'an object { W, b }', p);
      const { W, b } = p as Record<string, unknown>;
      const Wc = checkMatrix(where, `params[${l}].W`, W, {
        rows: s.nOut, rowsWhy: `layers[${l + 1}]`, cols: s.nIn, colsWhy: `layers[${l}]`,
      });
      const bc = checkVector(where, `params[${l}].b`, b, s.nOut);
      return { W: Wc.data, b: bc };
    });
    const h = this.#heap;
    this.#plan.layer.forEach((s, l) => {
      h.set(checked[l].W, s.W >> 2);
      h.set(checked[l].b, s.b >> 2);
    });
    this.#invalidate();
    return this;
  }

  /** A[L] for X (n_x × m); keeps Z and A of every layer for cost() and backward(). */
  forward(X: MatrixInput): Matrix {
    const m = this.#putX('Network.forward', this.#checkX('Network.forward', X));
    this.#forwardPass(m);
    this.#forwardM = m;
    this.#gradsReady = false;
    const out = this.#plan.layer[this.#plan.layer.length - 1];
    return this.#copyMatrix(out.A, out.nOut, m);
  }

  /**
   * The cost of the last forward pass against Y: binary cross-entropy (sigmoid output, Y in
   * [0, 1]), categorical cross-entropy (softmax; Y one-hot or class indices) or mean squared error
   * (Y any finite values), divided by m; with `l2: λ` plus (λ/(2m))·Σ‖W‖².
   */
  cost(Y: TargetInput, options: CostOptions = {}): number {
    const where = 'Network.cost';
    const m = this.#needForward(where, 'cost(Y)');
    const l2 = checkCostOptions(where, options);
    this.#heap.set(this.#checkY(where, Y, m).data, this.#plan.Y >> 2);
    return this.#cost(m) + (l2 > 0 ? this.#l2Cost(m, l2) : 0);
  }

  /** Gradients of cost(Y, options) for the last forward pass; read them with getGrads(). */
  backward(Y: TargetInput, options: CostOptions = {}): this {
    const where = 'Network.backward';
    const m = this.#needForward(where, 'backward(Y)');
    const l2 = checkCostOptions(where, options);
    this.#heap.set(this.#checkY(where, Y, m).data, this.#plan.Y >> 2);
    this.#backwardPass(m, l2);
    this.#gradsReady = true;
    return this;
  }

  /** Copies of the gradients of the last backward(), [{ dW, db }] for layers 1…L. */
  getGrads(): LayerGrads[] {
    const where = 'Network.getGrads';
    this.#live(where);
    if (!this.#gradsReady) throw new Error(`${where}: no gradients yet; call forward(X) then backward(Y) first`);
    return this.#plan.layer.map((s) => ({
      dW: this.#copyMatrix(s.dW, s.nOut, s.nIn),
      db: this.#heap.slice(s.db >> 2, (s.db >> 2) + s.nOut),
    }));
  }

  /** One gradient-descent step with the gradients of the last backward(): W −= α·dW, b −= α·db. */
  update(learningRate: number): this {
    const where = 'Network.update';
    this.#live(where);
    if (!this.#gradsReady) {
      throw new Error(`${where}: no gradients to apply; call forward(X) and backward(Y) before update() (each gradient is applied once)`);
    }
    const lr = checkPositiveFinite(where, 'learningRate', learningRate);
    this.#k.sgd_update(this.#plan.params, this.#plan.grads, this.#plan.paramFloats, lr);
    this.#invalidate();
    return this;
  }

  /**
   * Trains on X (n_x × m) and Y: `{ iterations, learningRate }` runs full-batch gradient descent
   * (the course's form); `{ epochs, batchSize, … }` runs mini-batches. See TrainOptions for the
   * optimizers, learning-rate decay, L2, dropout, validation, early stopping and stopping early.
   * Synchronous; trainAsync() runs the same steps and yields to the event loop.
   */
  train(X: MatrixInput, Y: TargetInput, options: TrainOptions): TrainResult {
    const r = this.#startRun('Network.train', X, Y, options);
    try {
      this.#runSteps(r, Infinity);
      return this.#finish(r);
    } finally {
      this.#endRun();
    }
  }

  /**
   * train() that yields to the event loop about every 10 ms, so that timers, a UI and an
   * AbortSignal aborted from elsewhere take effect. Another train on this network while it runs
   * is refused; forward/predict calls in between are allowed (training resumes correctly).
   */
  async trainAsync(X: MatrixInput, Y: TargetInput, options: TrainOptions): Promise<TrainResult> {
    const where = 'Network.trainAsync';
    const r = this.#startRun(where, X, Y, options);
    this.#busy = true;
    try {
      while (!this.#runSteps(r, now() + 10)) {
        this.#endRun();
        await new Promise<void>((resolve) => setTimeout(resolve, 0));
        this.#live(where);
        r.resident = false; // a call in between may have used the batch region
      }
      return this.#finish(r);
    } finally {
      this.#busy = false;
      this.#endRun();
    }
  }

  /** Output activations A[L] for X (n_y × m): probabilities for sigmoid and softmax, values for linear. */
  predictProba(X: MatrixInput): Matrix {
    return this.forward(X);
  }

  /**
   * Predictions for X: sigmoid → (n_y × m) of 0/1 (A > 0.5); softmax → (1 × m) class indices
   * (argmax of each column); linear → (n_y × m) the outputs.
   */
  predict(X: MatrixInput): Matrix {
    const A = this.forward(X);
    const act = this.activations[this.activations.length - 1];
    if (act === 'linear') return A;
    if (act === 'softmax') return { rows: 1, cols: A.cols, data: Float32Array.from({ length: A.cols }, (_, j) => argmaxColumn(A.data, 0, A.rows, A.cols, j)) };
    for (let i = 0; i < A.data.length; i++) A.data[i] = A.data[i] > 0.5 ? 1 : 0;
    return A;
  }

  /**
   * Releases the network's memory; every later call throws. Every reference to the backend is
   * dropped — the instance, its memory, the views and the kernels bound to them — so the memory is
   * freed by the next collection even while the caller still holds this Network.
   */
  dispose(): void {
    this.#be = undefined;
    this.#heap = new Float32Array(0);
    this.#k = DISPOSED_KERNELS;
    this.#acts = [];
    this.#invalidate();
  }

  /** The network as a versioned model object; JSON.stringify(net) gives the file's text (src/io/model-file.ts). */
  toJSON(): ModelJSON {
    this.#live('Network.toJSON');
    return modelToJSON(this);
  }

  /** A network from toJSON()'s object or text; every field is checked first, a bad file throws naming what is wrong. */
  static fromJSON(json: string | ModelJSON, options?: FromJSONOptions): Promise<Network> {
    return modelFromJSON(json, options, (o) => Network.create(o));
  }

  /** Parameters in the network (weights and biases). */
  get paramCount(): number {
    return this.#plan.layer.reduce((n, s) => n + s.nOut * (s.nIn + 1), 0);
  }

  // ---- the step, as kernel calls ---------------------------------------------------------

  #forwardPass(m: number): void {
    const k = this.#k;
    const layers = this.#plan.layer;
    const keep = this.#keep;
    for (let l = 0; l < layers.length; l++) {
      const s = layers[l];
      k.gemm_nn(s.Z, s.W, s.Ain, s.nOut, m, s.nIn, 1, 0); //           Z = W·A_prev
      this.#acts[l].biasForward(s.A, s.Z, s.b, s.nOut, m); //          Z += b (broadcast), A = g(Z)
      if (keep !== null && keep[l] < 1) this.#dropout(s.A, s.mask, s.nOut * m, keep[l]); // A ⊙ mask / keep
    }
  }

  /** Draws a seeded 0/1 mask (1 with probability keep) into the arena and applies A ⊙ mask / keep. */
  #dropout(a: number, mask: number, n: number, keep: number): void {
    const h = this.#heap, rng = this.#dropRng!;
    const m0 = mask >> 2;
    for (let i = 0; i < n; i++) h[m0 + i] = rng.uniform() < keep ? 1 : 0;
    this.#k.dropout_apply(a, mask, n, 1 / keep);
  }

  #cost(m: number): number {
    const out = this.#plan.layer[this.#plan.layer.length - 1];
    if (this.loss === 'cce') return this.#k.cce_cost(out.Z, this.#plan.Y, out.nOut, m);
    if (this.loss === 'mse') return this.#k.mse_cost(out.A, this.#plan.Y, out.nOut * m, m);
    return this.#k.bce_cost(out.Z, this.#plan.Y, out.nOut * m, m);
  }

  /** (λ/(2m))·Σ_l ‖W_l‖² */
  #l2Cost(m: number, l2: number): number {
    let s = 0;
    for (const l of this.#plan.layer) s += this.#k.sum_squares(l.W, l.nOut * l.nIn);
    return (l2 / (2 * m)) * s;
  }

  #backwardPass(m: number, l2 = 0): void {
    const k = this.#k;
    const layers = this.#plan.layer;
    const L = layers.length;
    const out = layers[L - 1];
    const keep = this.#keep;
    // dZ[L] = A[L] − Y for sigmoid + BCE, softmax + CCE and linear + MSE (with MSE's 1/(2m))
    k.output_delta(out.dZ, out.A, this.#plan.Y, out.nOut * m); // dZ[L] = A[L] − Y
    if (this.#outputChain) this.#acts[L - 1].backward(out.dZ, out.dZ, out.A, out.Z, out.nOut * m); // MSE with a sigmoid: ⊙ g'(Z[L])
    for (let l = L - 1; l >= 0; l--) {
      const s = layers[l];
      k.gemm_nt(s.dW, s.dZ, s.Ain, s.nOut, s.nIn, m, 1 / m, 0); //      dW = (1/m)·dZ·A_prevᵀ
      k.row_sum(s.db, s.dZ, s.nOut, m, 1 / m); //                      db = (1/m)·Σ_cols dZ
      if (l2 > 0) k.l2_grad_add(s.dW, s.W, s.nOut * s.nIn, l2 / m); // dW += (λ/m)·W
      if (l > 0) {
        const prev = layers[l - 1];
        k.gemm_tn(prev.dZ, s.W, s.dZ, s.nIn, m, s.nOut, 1, 0); //      dA_prev = Wᵀ·dZ
        if (keep !== null && keep[l - 1] < 1) {
          // the dropped A_prev fed dW above; g' needs the undropped one: dA ⊙ mask / keep, then A = g(Z) again
          k.dropout_apply(prev.dZ, prev.mask, s.nIn * m, 1 / keep[l - 1]);
          this.#acts[l - 1].forward(prev.A, prev.Z, s.nIn * m);
        }
        this.#acts[l - 1].backward(prev.dZ, prev.dZ, prev.A, prev.Z, s.nIn * m); // ⊙ g'(Z_prev)
      }
    }
  }

  // ---- training: one run of train() / trainAsync() ------------------------------------------

  /** Checks everything, splits the data, plans the arena once, and returns the run's state. */
  #startRun(where: string, X: MatrixInput, Y: TargetInput, options: TrainOptions): Run {
    this.#live(where);
    if (this.#busy) throw new Error(`${where}: a trainAsync() on this network is still running; await it (or abort its signal) first`);
    const L = this.layers.length - 1;
    const cfg = checkTrainOptions(where, options, L - 1);
    const Xc = this.#checkX(where, X);
    const Yc = this.#checkY(where, Y, Xc.cols);
    const rng = createRng(cfg.seed ?? this.seed);
    let m = Xc.cols;
    let Xt: ArrayLike<number> = Xc.data, Yt: ArrayLike<number> = Yc.data;
    let Xv: Float32Array | undefined, Yv: Float32Array | undefined, mv = 0;
    const v = cfg.validation;
    if (typeof v === 'number') {
      mv = Math.round(v * m);
      if (mv < 1 || mv > m - 1) {
        fail(where, 'validation', `a fraction leaving at least 1 example on each side (X has ${m} columns)`, v, `${v}·${m} rounds to ${mv}`);
      }
      const perm = shuffleInPlace(identityPermutation(m), rng);
      Xt = takeColumns(Xc, perm, 0, m - mv).data;
      Yt = takeColumns(Yc, perm, 0, m - mv).data;
      Xv = takeColumns(Xc, perm, m - mv, mv).data;
      Yv = takeColumns(Yc, perm, m - mv, mv).data;
      m -= mv;
    } else if (v !== undefined) {
      const Xvc = checkMatrix(where, 'validation.X', v.X, { rows: this.layers[0], rowsWhy: 'layers[0], the number of input features' });
      const Yvc = this.#checkY(where, v.Y, Xvc.cols, 'validation.Y');
      mv = Xvc.cols;
      Xv = Float32Array.from(Xvc.data);
      Yv = Float32Array.from(Yvc.data);
    }
    if (cfg.batchSize !== undefined && cfg.batchSize > m) {
      fail(where, 'batchSize', `at most the number of training examples, ${m}${mv && typeof v === 'number' ? ` (after holding out ${mv} for validation)` : ''}`, cfg.batchSize);
    }
    const mb = cfg.batchSize ?? m;
    const nb = Math.ceil(m / mb);
    const opt = ['sgd', 'momentum', 'rmsprop', 'adam'].indexOf(cfg.optimizer.name);
    const dropping = cfg.dropout.some((p) => p > 0);
    const keep = dropping ? Float32Array.from([...cfg.dropout.map((p) => 1 - p), 1]) : null;
    // plan once: batch capacity, optimizer state blocks, dropout masks (the arena only grows)
    const need: PlanExtras = {
      stateBlocks: Math.max(this.#extras.stateBlocks, [0, 1, 1, 2][opt]),
      dropout: this.#extras.dropout.map((d, l) => d || (keep !== null && keep[l] < 1)),
    };
    this.#ensurePlan(where, Math.max(mb, this.#plan.mCap), need);
    const p = this.#plan;
    for (const st of p.state) this.#heap.fill(0, st >> 2, (st >> 2) + p.paramFloats); // fresh optimizer state
    const total = cfg.epochs * nb;
    const checks = Math.ceil(cfg.epochs / cfg.progressEvery) + 1;
    this.#invalidate();
    return {
      where, cfg, m, mb, nb, Xt, Yt, Xv, Yv, mv, perm: identityPermutation(m), rng, keep, opt, t: 0, lr: cfg.learningRate, total,
      // sized for the whole run up to 2^16 entries, then doubled as needed (a run stopped early by
      // a signal or a callback never holds memory for steps it did not take)
      costs: new Float64Array(Math.min(total, 1 << 16)),
      epochCosts: cfg.form === 'epochs' ? new Float64Array(Math.min(cfg.epochs, 1 << 16)) : undefined,
      valCosts: new Float64Array(Xv ? Math.min(checks, 1 << 16) : 0), checks: 0,
      step: 0, epoch: 0, batch: 0, epochCost: 0, right: 0, count: 0, countRight: false,
      best: Infinity, bestParams: undefined, wait: 0, resident: false, stopped: undefined,
    };
  }

  /**
   * Runs steps until training ends (returns true) or the clock passes `deadline` (returns false;
   * call again to continue). Per step: forward, cost, backward, one optimizer update.
   */
  #runSteps(r: Run, deadline: number): boolean {
    const cfg = r.cfg;
    this.#keep = r.keep;
    this.#dropRng = r.keep ? r.rng : null;
    while (r.stopped === undefined) {
      if (r.epoch >= cfg.epochs) {
        r.stopped = 'done';
        break;
      }
      if (cfg.signal?.aborted) {
        r.stopped = 'aborted';
        break;
      }
      if (r.batch === 0) this.#startEpoch(r);
      const start = r.batch * r.mb;
      const mb = Math.min(r.mb, r.m - start);
      if (r.nb > 1 || !r.resident) this.#putBatch(r, start, mb);
      this.#forwardPass(mb);
      let J = this.#cost(mb);
      if (cfg.l2 > 0) J += this.#l2Cost(mb, cfg.l2);
      if (!Number.isFinite(J)) {
        throw new Error(`${r.where}: the cost became ${J} at step ${r.step + 1}; the parameters diverged (try a smaller learningRate than ${r.lr}), call init() to start again`);
      }
      if (r.step === r.costs.length) r.costs = grown(r.costs);
      r.costs[r.step] = J;
      r.epochCost += J * mb;
      if (r.countRight) {
        r.right += this.#rightCount(mb);
        r.count += this.loss === 'cce' ? mb : this.layers[this.layers.length - 1] * mb;
      }
      this.#backwardPass(mb, cfg.l2);
      this.#optimizerStep(r);
      r.step++;
      if (++r.batch === r.nb) {
        r.batch = 0;
        r.epoch++;
        this.#endEpoch(r);
      }
      if (deadline !== Infinity && (r.step & 3) === 0 && now() > deadline) return r.stopped !== undefined;
    }
    return true;
  }

  /** The learning rate for this epoch, a new permutation, fresh accumulators. */
  #startEpoch(r: Run): void {
    const { decay, shuffle, form, onProgress, progressEvery, epochs } = r.cfg;
    const e = r.epoch;
    if (decay !== undefined) {
      r.lr = r.cfg.learningRate * (decay.type === 'step' ? decay.factor ** Math.floor(e / decay.every) : decay.rate ** e);
    }
    if (form === 'epochs' && shuffle && r.nb > 1) shuffleInPlace(r.perm, r.rng);
    r.epochCost = 0;
    r.right = 0;
    r.count = 0;
    const reports = (e + 1) % progressEvery === 0 || e + 1 === epochs;
    r.countRight = onProgress !== undefined && reports && this.loss !== 'mse';
  }

  /** Copies the batch's columns (in this epoch's order) into the X and Y slots; allocates nothing. */
  #putBatch(r: Run, start: number, mb: number): void {
    this.#gather(r.Xt, this.layers[0], this.#plan.X, r, start, mb);
    this.#gather(r.Yt, this.layers[this.layers.length - 1], this.#plan.Y, r, start, mb);
    r.resident = r.nb === 1;
  }

  /** dst (rows × mb) in the arena = columns perm[start …] of src (rows × r.m); in order for a full batch. */
  #gather(src: ArrayLike<number>, rows: number, dst: number, r: Run, start: number, mb: number): void {
    const h = this.#heap, perm = r.perm, d0 = dst >> 2;
    const full = r.nb === 1;
    for (let i = 0; i < rows; i++) {
      const s = i * r.m, d = d0 + i * mb;
      if (full) for (let j = 0; j < mb; j++) h[d + j] = src[s + j];
      else for (let j = 0; j < mb; j++) h[d + j] = src[s + perm[start + j]];
    }
  }

  #optimizerStep(r: Run): void {
    const k = this.#k, p = this.#plan, o = r.cfg.optimizer, n = p.paramFloats;
    switch (r.opt) {
      case 0: k.sgd_update(p.params, p.grads, n, r.lr); break;
      case 1: k.momentum_update(p.params, p.state[0], p.grads, n, r.lr, o.beta); break;
      case 2: k.rmsprop_update(p.params, p.state[0], p.grads, n, r.lr, o.beta, o.epsilon); break;
      default: {
        r.t++;
        // the bias corrections of the β the kernel actually uses: float32(β) (1 − float32(β) is
        // exact in float32, so the moments are exact averages with that β; with the float64 β,
        // 1 − 0.999 would be off by 1.3e-5 relative and so would the first steps)
        const c1 = 1 / (1 - Math.fround(o.beta1) ** r.t), c2 = 1 / (1 - Math.fround(o.beta2) ** r.t);
        k.adam_update(p.params, p.state[0], p.state[1], p.grads, n, r.lr, o.beta1, o.beta2, o.epsilon, c1, c2);
      }
    }
  }

  /** After an epoch: epoch cost; at a check, validation, onProgress and early stopping. */
  #endEpoch(r: Run): void {
    const cfg = r.cfg, e = r.epoch;
    const cost = r.epochCost / r.m;
    if (r.epochCosts) {
      if (e > r.epochCosts.length) r.epochCosts = grown(r.epochCosts);
      r.epochCosts[e - 1] = cost;
    }
    if (e % cfg.progressEvery !== 0 && e !== cfg.epochs) return;
    let val: { cost: number; accuracy: number | undefined } | undefined;
    if (r.Xv) {
      val = this.#evaluate(r);
      if (r.checks === r.valCosts.length) r.valCosts = grown(r.valCosts);
      r.valCosts[r.checks++] = val.cost;
    }
    if (cfg.onProgress) {
      const progress: TrainProgress = { epoch: e, epochs: cfg.epochs, iteration: r.step, iterations: r.total, cost };
      if (r.countRight) progress.accuracy = r.right / r.count;
      if (val) {
        progress.validationCost = val.cost;
        if (val.accuracy !== undefined) progress.validationAccuracy = val.accuracy;
      }
      if (cfg.onProgress(progress) === false) r.stopped = 'callback';
    }
    const es = cfg.earlyStopping;
    if (es && val) {
      if (val.cost < r.best - es.minDelta) {
        r.best = val.cost;
        r.wait = 0;
        const p = this.#plan;
        r.bestParams ??= new Float32Array(p.paramFloats);
        r.bestParams.set(this.#heap.subarray(p.params >> 2, (p.params >> 2) + p.paramFloats));
      } else if (++r.wait >= es.patience && r.stopped === undefined) r.stopped = 'earlyStopping';
    }
  }

  /** Cost (without L2) and accuracy on the validation data, in chunks of the batch capacity, no dropout. */
  #evaluate(r: Run): { cost: number; accuracy: number | undefined } {
    const keep = this.#keep;
    this.#keep = null;
    const p = this.#plan, h = this.#heap, mv = r.mv;
    const nX = this.layers[0], nY = this.layers[this.layers.length - 1];
    let cost = 0, right = 0;
    for (let c0 = 0; c0 < mv; c0 += p.mCap) {
      const mc = Math.min(p.mCap, mv - c0);
      for (let i = 0; i < nX; i++) h.set(r.Xv!.subarray(i * mv + c0, i * mv + c0 + mc), (p.X >> 2) + i * mc);
      for (let i = 0; i < nY; i++) h.set(r.Yv!.subarray(i * mv + c0, i * mv + c0 + mc), (p.Y >> 2) + i * mc);
      this.#forwardPass(mc);
      cost += this.#cost(mc) * mc;
      if (this.loss !== 'mse') right += this.#rightCount(mc);
    }
    this.#keep = keep;
    r.resident = false;
    const total = this.loss === 'cce' ? mv : nY * mv;
    return { cost: cost / mv, accuracy: this.loss === 'mse' ? undefined : right / total };
  }

  /** Right predictions in the last forward pass of m columns against the Y slot (classification). */
  #rightCount(m: number): number {
    const h = this.#heap, out = this.#plan.layer[this.#plan.layer.length - 1];
    const a0 = out.A >> 2, y0 = this.#plan.Y >> 2, n = out.nOut;
    let right = 0;
    if (this.loss === 'cce') {
      for (let j = 0; j < m; j++) if (h[y0 + argmaxColumn(h, a0, n, m, j) * m + j] === 1) right++;
    } else {
      for (let i = 0; i < n * m; i++) if ((h[a0 + i] > 0.5) === (h[y0 + i] > 0.5)) right++;
    }
    return right;
  }

  #finish(r: Run): TrainResult {
    if (r.cfg.earlyStopping && r.bestParams) {
      this.#heap.set(r.bestParams, this.#plan.params >> 2); // the best parameters seen at a check
    }
    const result: TrainResult = { costs: r.costs.subarray(0, r.step), iterations: r.step, epochs: r.epoch, stopped: r.stopped ?? 'done' };
    if (r.epochCosts) result.epochCosts = r.epochCosts.subarray(0, r.epoch);
    if (r.Xv) result.validationCosts = r.valCosts.subarray(0, r.checks);
    return result;
  }

  #endRun(): void {
    this.#keep = null;
    this.#dropRng = null;
    this.#invalidate();
  }

  /** Replans if the arena lacks batch capacity, optimizer state or dropout masks. */
  #ensurePlan(where: string, mCap: number, need: PlanExtras): void {
    const stateBlocks = need.stateBlocks ?? 0;
    const dropout = need.dropout ?? this.#extras.dropout;
    const p = this.#plan;
    const ok = mCap <= p.mCap && stateBlocks <= p.state.length && dropout.every((d, l) => !d || p.layer[l].mask !== 0);
    if (ok) return;
    this.#extras = { stateBlocks, dropout: [...dropout] };
    this.#replan(where, mCap);
  }

  // ---- checks and copies -----------------------------------------------------------------

  #live(where: string): void {
    if (!this.#be) throw new Error(`${where}: this network has been disposed; create a new one with Network.create()`);
  }

  #needForward(where: string, call: string): number {
    this.#live(where);
    if (this.#forwardM === 0) {
      throw new Error(`${where}: no forward pass for the current parameters; call forward(X) before ${call} (init, setParams, update and train change the parameters)`);
    }
    return this.#forwardM;
  }

  #checkX(where: string, X: MatrixInput): CheckedMatrix {
    this.#live(where);
    return checkMatrix(where, 'X', X, { rows: this.layers[0], rowsWhy: 'layers[0], the number of input features', rowsHint: EXAMPLES_HINT });
  }

  /**
   * Checks Y for the loss: BCE wants values in [0, 1]; MSE any finite values; CCE one-hot columns
   * (each summing to 1) or m class indices (an array, a typed array or a (1 × m) Matrix), which
   * are turned into one-hot here. The returned data is what goes into the Y slot.
   */
  #checkY(where: string, Y: TargetInput, m: number, name = 'Y'): CheckedMatrix {
    const nY = this.layers[this.layers.length - 1];
    if (this.loss === 'cce') {
      const indices = isMatrixData(Y) || (ArrayBuffer.isView(Y) && !(Y instanceof DataView))
        ? Y as ArrayLike<number>
        : typeof Y === 'object' && Y !== null && (Y as Matrix).rows === 1 ? (checkMatrix(where, name, Y, { cols: m, colsWhy: 'the number of examples (columns) in X' }).data) : undefined;
      if (indices !== undefined) return { rows: nY, cols: m, data: oneHot(where, name, indices, nY, m) };
      const c = checkMatrix(where, name, Y, {
        rows: nY, rowsWhy: 'the last layer size (one-hot), or 1 for class indices', rowsHint: EXAMPLES_HINT,
        cols: m, colsWhy: 'the number of examples (columns) in X', range: [0, 1],
      });
      for (let j = 0; j < m; j++) {
        let t = 0;
        for (let i = 0; i < nY; i++) t += c.data[i * m + j];
        // a one-hot column sums to exactly 1; probability targets to 1 within float32 rounding
        if (Math.abs(t - 1) > nY * 1e-6) fail(where, `every column of ${name}`, 'one-hot (summing to 1) for a softmax output', `column ${j} summing to ${t}`);
      }
      return c;
    }
    return checkMatrix(where, name, Y, {
      rows: nY, rowsWhy: 'the last layer size', rowsHint: EXAMPLES_HINT,
      cols: m, colsWhy: 'the number of examples (columns) in X', range: this.loss === 'bce' ? [0, 1] : undefined,
    });
  }

  /** Makes room for a checked X's m columns (the only place the arena may grow) and copies it in. */
  #putX(where: string, Xc: CheckedMatrix): number {
    const m = Xc.cols;
    if (m > this.#plan.mCap) this.#replan(where, m);
    this.#heap.set(Xc.data, this.#plan.X >> 2);
    this.#invalidate(); // the cached forward pass belonged to the X just overwritten
    return m;
  }

  #replan(where: string, m: number): void {
    const plan = planArena(this.layers, m, this.#be!.base, this.#extras);
    if (plan.end > MAX_ARENA_BYTES) {
      throw new Error(`${where}: X has ${m} columns, which needs ${mib(plan.end)} of memory for this network; the limit is ${mib(MAX_ARENA_BYTES)}. Pass fewer examples at a time`);
    }
    // the parameter and gradient blocks do not depend on m, so they stay where they are
    this.#heap = this.#be!.reserve(plan.end);
    this.#plan = plan;
    this.#invalidate();
  }

  #invalidate(): void {
    this.#forwardM = 0;
    this.#gradsReady = false;
  }

  #copyMatrix(ptr: number, rows: number, cols: number): Matrix {
    return { rows, cols, data: this.#heap.slice(ptr >> 2, (ptr >> 2) + rows * cols) };
  }
}

function checkNetworkOptions(options: unknown): Required<NetworkOptions> {
  const where = 'Network.create';
  const o = ownOptions(where, options, CREATE_KEYS, 'an object { layers, activations?, backend?, seed?, rng?, loss? }');
  const layersV = o.layers;
  if (!Array.isArray(layersV) || layersV.length < 2 || layersV.length > NETWORK_LIMITS.layers) {
    fail(where, 'layers', `an array of at least 2 layer sizes [n_x, …, n_y] (at most ${NETWORK_LIMITS.layers})`, layersV);
  }
  const layers = ownElements(where, 'layers', layersV) as number[];
  layers.forEach((n, i) => checkPositiveInt(where, `layers[${i}]`, n, NETWORK_LIMITS.layerSize));
  const params = countParams(layers);
  if (params > NETWORK_LIMITS.params) {
    fail(where, 'layers', `a network of at most ${NETWORK_LIMITS.params} parameters (the most a model file holds)`, layersV,
      `[${layers.join(', ')}] has ${params}`);
  }
  const L = layers.length - 1;
  const activationsV = o.activations === undefined
    ? [...Array(L - 1).fill('tanh'), OUTPUT_ACTIVATION]
    : o.activations;
  if (!Array.isArray(activationsV) || activationsV.length !== L) {
    fail(where, 'activations', `an array of ${L} activation names (one per layer after the input)`, activationsV);
  }
  const activations = ownElements(where, 'activations', activationsV) as Activation[];
  const list = (xs: readonly string[]) => xs.map((x) => `'${x}'`).join(', ');
  activations.forEach((a, i) => {
    if (!ACTIVATIONS.includes(a)) fail(where, `activations[${i}]`, `one of ${list(ACTIVATIONS)}`, a);
    if (i < L - 1 && !HIDDEN_ACTIVATIONS.includes(a)) {
      fail(where, `activations[${i}]`, `one of ${list(HIDDEN_ACTIVATIONS)} (a hidden layer; ${list(OUTPUT_ACTIVATIONS.filter((x) => !HIDDEN_ACTIVATIONS.includes(x)))} are for the output layer only)`, a);
    }
  });
  const out = activations[L - 1] as Activation;
  if (!OUTPUT_ACTIVATIONS.includes(out)) {
    fail(where, `activations[${L - 1}]`, `one of ${list(OUTPUT_ACTIVATIONS)} (the output layer: binary cross-entropy, categorical cross-entropy, mean squared error)`, out);
  }
  if (out === 'softmax' && layers[L] < 2) {
    fail(where, `layers[${L}]`, 'at least 2 for a softmax output (one unit per class; for 2 classes a single sigmoid unit also works)', layers[L]);
  }
  const loss = o.loss === undefined ? DEFAULT_LOSS[out] : o.loss as Loss;
  if (!LOSSES.includes(loss)) fail(where, 'loss', `one of ${list(LOSSES)}`, o.loss);
  if (!ALLOWED_LOSSES[out].includes(loss)) {
    fail(where, 'loss', `${list(ALLOWED_LOSSES[out]).replace(/, (?=[^,]*$)/, ' or ')} for a '${out}' output`, loss);
  }
  const backend = o.backend ?? 'wasm';
  if (!BACKENDS.includes(backend as BackendName)) fail(where, 'backend', "'wasm' or 'js'", backend);
  const seed = o.seed === undefined ? 1 : checkSeed(where, o.seed);
  const rng = checkRngName(where, o.rng);
  checkRngSeed(where, rng, seed);
  const plan = planArena(layers, 1, 0);
  if (plan.end > MAX_ARENA_BYTES) {
    fail(where, 'layers', `small enough for ${mib(MAX_ARENA_BYTES)} of parameters and gradients`, layers,
      `[${layers.join(', ')}] needs ${mib(plan.end)}`);
  }
  return { layers, activations, backend: backend as BackendName, seed, rng, loss };
}

function checkCostOptions(where: string, options: unknown): number {
  const l2 = ownOptions(where, options, ['l2'], 'an object { l2? }').l2 ?? 0;
  if (typeof l2 !== 'number' || !Number.isFinite(l2) || l2 < 0) fail(where, 'l2', 'a finite number ≥ 0', l2);
  return l2;
}

/** m class indices → one-hot (nY × m); every index checked (integer in [0, nY)). */
function oneHot(where: string, name: string, idx: ArrayLike<number>, nY: number, m: number): Float32Array {
  if (idx.length !== m) fail(where, `${name}.length`, `${m} (the number of examples (columns) in X; Y as class indices)`, idx.length);
  const out = new Float32Array(nY * m);
  for (let j = 0; j < m; j++) {
    const c = idx[j];
    if (typeof c !== 'number' || !Number.isInteger(c) || c < 0 || c >= nY) {
      fail(where, `every class index in ${name}`, `an integer from 0 to ${nY - 1} (the softmax layer has ${nY} units)`, c, `First bad value at ${name}[${j}]`);
    }
    out[c * m + j] = 1;
  }
  return out;
}

/** a copy of a with twice the length (for the per-step records of a long run) */
function grown(a: Float64Array): Float64Array {
  const b = new Float64Array(a.length * 2);
  b.set(a);
  return b;
}
