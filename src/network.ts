/**
 * Network: the checked public API and the driver. A training step is a fixed list of kernel calls
 * over the arena laid out by planArena(); nothing is allocated inside forward, backward or update.
 */
import { createBackend, BACKENDS, MAX_ARENA_BYTES, mib, type Backend, type BackendName } from './backend.js';
import { ACTIVATIONS, activationKernels, type Activation, type Kernels } from './kernels.js';
import type { Matrix, MatrixData, MatrixInput } from './matrix.js';
import { planArena, type ArenaPlan } from './plan.js';
import { createRng } from './rng.js';
import { modelFromJSON, modelToJSON, type FromJSONOptions, type ModelJSON } from './model-file.js';
import {
  checkMatrix, checkPositiveFinite, checkPositiveInt, checkSeed, checkVector, fail, type CheckedMatrix,
} from './validate.js';

const EXAMPLES_HINT = 'X and Y hold one COLUMN per example; if your data is one row per example, build them with fromExamples() and fromLabels()';

export type { Activation } from './kernels.js';
export type { BackendName } from './backend.js';

export interface NetworkOptions {
  /** [n_x, n_h1, …, n_y]: at least 2 sizes, each a positive integer */
  layers: readonly number[];
  /** one per layer after the input; default 'tanh' for hidden layers and 'sigmoid' for the output */
  activations?: readonly Activation[];
  /** 'wasm' (default; falls back to 'js' with a warning where WASM SIMD is missing) or 'js' */
  backend?: BackendName;
  /** seeds init(); default 1 */
  seed?: number;
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

export interface TrainProgress {
  /** iterations completed so far (1-based) */
  iteration: number;
  iterations: number;
  /** cost J of the forward pass of this iteration (before its update) */
  cost: number;
}

export interface TrainOptions {
  /** number of full-batch gradient-descent steps, a positive integer */
  iterations: number;
  /** α in W −= α·dW, a finite number > 0 */
  learningRate: number;
  /** called every `progressEvery` iterations and after the last; return false to stop early */
  onProgress?: (p: TrainProgress) => void | boolean;
  /** default: iterations / 100, rounded up */
  progressEvery?: number;
}

export interface TrainResult {
  /** cost J at every iteration that ran, in order */
  costs: Float64Array;
  /** iterations that ran (fewer than asked only when onProgress returned false) */
  iterations: number;
}

const INIT_SCHEMES: readonly InitScheme[] = ['random', 'xavier', 'he'];
const OUTPUT_ACTIVATION: Activation = 'sigmoid';

type ActKernels = ReturnType<typeof activationKernels>;

export class Network {
  /** layer sizes [n_x, …, n_y] */
  readonly layers: readonly number[];
  readonly activations: readonly Activation[];
  /** the backend actually in use */
  readonly backend: BackendName;
  readonly seed: number;

  #be: Backend | undefined;
  #k: Kernels;
  #acts: ActKernels[];
  #plan: ArenaPlan;
  #heap: Float32Array;
  /** columns of the last forward pass still valid for cost/backward, or 0 */
  #forwardM = 0;
  #gradsReady = false;

  private constructor(opts: Required<NetworkOptions>, be: Backend) {
    this.layers = Object.freeze([...opts.layers]);
    this.activations = Object.freeze([...opts.activations]);
    this.backend = be.name;
    this.seed = opts.seed;
    this.#be = be;
    this.#k = be.kernels;
    this.#acts = this.activations.map((a) => activationKernels(be.kernels, a));
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
    if (typeof options !== 'object' || options === null) fail(where, 'options', 'an object { scheme?, scale?, seed? }', options);
    const scheme = options.scheme ?? 'random';
    if (!INIT_SCHEMES.includes(scheme)) fail(where, 'scheme', `one of ${INIT_SCHEMES.map((s) => `'${s}'`).join(', ')}`, scheme);
    const scale = options.scale === undefined ? 0.01 : checkPositiveFinite(where, 'scale', options.scale);
    if (options.scale !== undefined && scheme !== 'random') fail(where, 'scale', `unset with scheme '${scheme}' (it sets its own)`, options.scale);
    const rng = createRng(options.seed === undefined ? this.seed : checkSeed(where, options.seed));
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
    const checked = this.#plan.layer.map((s, l) => {
      const p = params[l] as unknown;
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

  /** Binary cross-entropy of the last forward pass against Y (n_y × m), values in [0, 1]. */
  cost(Y: MatrixInput): number {
    const m = this.#needForward('Network.cost', 'cost(Y)');
    this.#heap.set(this.#checkY('Network.cost', Y, m).data, this.#plan.Y >> 2);
    return this.#cost(m);
  }

  /** Gradients of cost(Y) for the last forward pass; read them with getGrads(). */
  backward(Y: MatrixInput): this {
    const m = this.#needForward('Network.backward', 'backward(Y)');
    this.#heap.set(this.#checkY('Network.backward', Y, m).data, this.#plan.Y >> 2);
    this.#backwardPass(m);
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

  /** Full-batch gradient descent: forward, cost, backward, update, `iterations` times. */
  train(X: MatrixInput, Y: MatrixInput, options: TrainOptions): TrainResult {
    const where = 'Network.train';
    this.#live(where);
    if (typeof options !== 'object' || options === null) fail(where, 'options', 'an object { iterations, learningRate, onProgress? }', options);
    const iterations = checkPositiveInt(where, 'iterations', options.iterations);
    const lr = checkPositiveFinite(where, 'learningRate', options.learningRate);
    const onProgress = options.onProgress;
    if (onProgress !== undefined && typeof onProgress !== 'function') fail(where, 'onProgress', 'a function', onProgress);
    const every = options.progressEvery === undefined
      ? Math.ceil(iterations / 100)
      : checkPositiveInt(where, 'progressEvery', options.progressEvery);
    const Xc = this.#checkX(where, X);
    const Yc = this.#checkY(where, Y, Xc.cols);
    const m = this.#putX(where, Xc);
    this.#heap.set(Yc.data, this.#plan.Y >> 2);

    const costs = new Float64Array(iterations);
    const p = this.#plan;
    let done = 0;
    while (done < iterations) {
      this.#forwardPass(m);
      const J = this.#cost(m);
      if (!Number.isFinite(J)) {
        this.#invalidate();
        throw new Error(`${where}: the cost became ${J} at iteration ${done + 1}; the parameters diverged (try a smaller learningRate than ${lr}), call init() to start again`);
      }
      costs[done] = J;
      this.#backwardPass(m);
      this.#k.sgd_update(p.params, p.grads, p.paramFloats, lr);
      done++;
      if (onProgress && (done % every === 0 || done === iterations)) {
        if (onProgress({ iteration: done, iterations, cost: J }) === false) break;
      }
    }
    this.#invalidate();
    return { costs: costs.subarray(0, done), iterations: done };
  }

  /** Output activations A[L] for X: probabilities of class 1 for a sigmoid output. */
  predictProba(X: MatrixInput): Matrix {
    return this.forward(X);
  }

  /** 0/1 predictions for X: 1 where A[L] > 0.5. */
  predict(X: MatrixInput): Matrix {
    const A = this.forward(X);
    for (let i = 0; i < A.data.length; i++) A.data[i] = A.data[i] > 0.5 ? 1 : 0;
    return A;
  }

  /** Releases the network's memory; every later call throws. */
  dispose(): void {
    this.#be = undefined;
    this.#heap = new Float32Array(0);
    this.#invalidate();
  }

  /** The network as a versioned model object; JSON.stringify(net) gives the file's text (src/model-file.ts). */
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
    for (let l = 0; l < layers.length; l++) {
      const s = layers[l];
      k.gemm_nn(s.Z, s.W, s.Ain, s.nOut, m, s.nIn, 1, 0); //           Z = W·A_prev
      k.bias_add(s.Z, s.b, s.nOut, m); //                              Z += b (broadcast)
      this.#acts[l].forward(s.A, s.Z, s.nOut * m); //                  A = g(Z)
    }
  }

  #cost(m: number): number {
    const out = this.#plan.layer[this.#plan.layer.length - 1];
    return this.#k.bce_cost(out.Z, this.#plan.Y, out.nOut * m, m);
  }

  #backwardPass(m: number): void {
    const k = this.#k;
    const layers = this.#plan.layer;
    const L = layers.length;
    const out = layers[L - 1];
    k.sigmoid_bce_backward(out.dZ, out.A, this.#plan.Y, out.nOut * m); // dZ[L] = A[L] − Y
    for (let l = L - 1; l >= 0; l--) {
      const s = layers[l];
      k.gemm_nt(s.dW, s.dZ, s.Ain, s.nOut, s.nIn, m, 1 / m, 0); //      dW = (1/m)·dZ·A_prevᵀ
      k.row_sum(s.db, s.dZ, s.nOut, m, 1 / m); //                      db = (1/m)·Σ_cols dZ
      if (l > 0) {
        const prev = layers[l - 1];
        k.gemm_tn(prev.dZ, s.W, s.dZ, s.nIn, m, s.nOut, 1, 0); //      dA_prev = Wᵀ·dZ
        this.#acts[l - 1].backward(prev.dZ, prev.dZ, prev.A, prev.Z, s.nIn * m); // ⊙ g'(Z_prev)
      }
    }
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

  #checkY(where: string, Y: MatrixInput, m: number): CheckedMatrix {
    return checkMatrix(where, 'Y', Y, {
      rows: this.layers[this.layers.length - 1], rowsWhy: 'the last layer size', rowsHint: EXAMPLES_HINT,
      cols: m, colsWhy: 'the number of examples (columns) in X', range: [0, 1],
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
    const plan = planArena(this.layers, m, this.#be!.base);
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
  if (typeof options !== 'object' || options === null) fail(where, 'options', 'an object { layers, activations?, backend?, seed? }', options);
  const o = options as Record<string, unknown>;
  const layers = o.layers;
  if (!Array.isArray(layers) || layers.length < 2) {
    fail(where, 'layers', 'an array of at least 2 layer sizes [n_x, …, n_y]', layers);
  }
  layers.forEach((n, i) => checkPositiveInt(where, `layers[${i}]`, n, 1 << 20));
  const L = layers.length - 1;
  const activations = o.activations === undefined
    ? [...Array(L - 1).fill('tanh'), OUTPUT_ACTIVATION]
    : o.activations;
  if (!Array.isArray(activations) || activations.length !== L) {
    fail(where, 'activations', `an array of ${L} activation names (one per layer after the input)`, activations);
  }
  activations.forEach((a, i) => {
    if (!ACTIVATIONS.includes(a)) fail(where, `activations[${i}]`, `one of ${ACTIVATIONS.map((x) => `'${x}'`).join(', ')}`, a);
  });
  if (activations[L - 1] !== OUTPUT_ACTIVATION) {
    fail(where, `activations[${L - 1}]`, `'${OUTPUT_ACTIVATION}' (the output layer, trained with binary cross-entropy)`, activations[L - 1]);
  }
  const backend = o.backend ?? 'wasm';
  if (!BACKENDS.includes(backend as BackendName)) fail(where, 'backend', "'wasm' or 'js'", backend);
  const seed = o.seed === undefined ? 1 : checkSeed(where, o.seed);
  const plan = planArena(layers, 1, 0);
  if (plan.end > MAX_ARENA_BYTES) {
    fail(where, 'layers', `small enough for ${mib(MAX_ARENA_BYTES)} of parameters and gradients`, layers,
      `[${layers.join(', ')}] needs ${mib(plan.end)}`);
  }
  return { layers, activations, backend: backend as BackendName, seed };
}
