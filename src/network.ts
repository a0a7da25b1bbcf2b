/**
 * Network: the checked public API. Every method checks its arguments, then hands plain numbers to
 * the engine (src/core/engine.ts: the step as kernel calls over the planned arena) or, for
 * train() and trainAsync(), to the trainer (src/train/trainer.ts).
 */
import { Batch, batchData, makeBatch, type BatchData } from './batch.js';
import { createBackend, createWasmBackend, MAX_ARENA_BYTES, mib, type Backend, type BackendName } from './core/backend.js';
import {
  DEFAULT_INIT_SCALE, INIT_SCHEMES, initFactor, paramCount,
  type Activation, type LayerGrads, type LayerParams, type LayerParamsInput, type Loss,
} from './core/architecture.js';
import { executionFor, printNotes, type SimdName } from './core/execution.js';
import { backProducts, weightGradients, type Kernels } from './core/kernels.js';
import { backwardPass, cost, createEngine, forwardPass, l2Cost, sgdUpdate, type Engine } from './core/engine.js';
import { planArena, type PlanExtras } from './core/plan.js';
import { largestWork, splitMinWork } from './core/split-work.js';
import { EXAMPLES_HINT, checkTargets, type TargetInput } from './data/targets.js';
import { heldOutCount, shuffledSplit } from './data/split.js';
import { architectureRejected, modelToJSON, readModelFile, type FromJSONOptions, type ModelJSON } from './io/model-file.js';
import {
  INIT_KEYS, checkCostOptions, checkNetworkOptions, type CostOptions, type InitOptions, type NetworkOptions,
} from './network-options.js';
import { checkTrainOptions, type TrainConfig, type TrainOptions, type TrainResult } from './train/options.js';
import { createRun, dropoutKeep, finishRun, now, runExtras, runSteps, type Run, type RunData } from './train/trainer.js';
import { argmaxColumn, type Matrix, type MatrixInput } from './util/matrix.js';
import { createRng, seededRng, type RngName } from './util/rng.js';
import type { Rng } from './util/rng-stream.js';
import {
  checkMatrix, checkPositiveFinite, checkSeed, checkVector, fail, ownElements, ownOptions, type CheckedMatrix,
} from './util/validate.js';
import { nextTask } from './util/next-task.js';

/**
 * predict and predictProba give back memory that their pass needed beyond this (a large X):
 * below it, keeping the batch region saves re-growing it on the next call of the same size.
 */
export const RELEASE_BYTES = 32 * 2 ** 20;

/** The kernels of a disposed network: none (every public method checks #live before a kernel runs). */
const DISPOSED_KERNELS = new Proxy({}, { get: () => () => { throw new Error('wasm-mlp: this network has been disposed'); } }) as Kernels;

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
  /** the kernel build that runs: 'relaxed' or 'plain' SIMD (wasm), 'none' (js) */
  readonly simd: SimdName | 'none';

  /** the backend whose memory holds the arena */
  #be: Backend | undefined;
  /**
   * On threads, while no call of this network can split (every layer's work at the batch
   * capacity below the split threshold): the threaded backend, and #be is a one-thread backend of
   * the same module beside it, so a small network runs the very calls and memory one thread runs.
   * A network that waits from its start (no call splits on one column) does not wait for the
   * workers at create: they start in the background (Pool.startSoon). The arena moves onto the shared memory (#toThreads) once a call may
   * split; the results are the same bits on either.
   */
  #waiting: Backend | undefined;
  /** kernels, plan and heap: what the step works on */
  #e: Engine;
  /** columns of the last forward pass still valid for cost/backward, or 0 */
  #forwardM = 0;
  #gradsReady = false;
  /** what the arena holds beyond the basics (optimizer state, dropout masks); only grows */
  #extras: Required<PlanExtras>;
  /** an asynchronous train is running */
  /** a train() or trainAsync() is running on this network (its callbacks and, for trainAsync, the code between its slices may run) */
  #running: 'Network.train' | 'Network.trainAsync' | undefined;
  /** writes into the batch region by forward, cost and backward (a run puts its batch back after them) */
  #batchWrites = 0;
  /** identifies the batches this network made (batch()) */
  readonly #token = {};
  /** the batch whose X / Y is in the slot, which then needs no copy (undefined once anything else is written there) */
  #xFrom: Batch | undefined;
  #yFrom: Batch | undefined;
  /** the view forward(batch) returns (A[L] in the arena), kept while it stays valid */
  #view: Matrix | undefined;
  /**
   * The last checked copies of X and Y, reused for the next copy of the same size (V8 takes about
   * 1 µs to allocate a typed array over 64 bytes): one pair for single calls, one for train runs.
   * A spare is taken out while in use, so a call re-entered from a getter or a callback never
   * shares one; only copies up to SPARE_BYTES are kept (a large predict's memory is not held).
   */
  readonly #spares: (Float32Array | undefined)[] = [];
  /** the allocators the checks copy into: X and Y of single calls (0, 1), of train runs (2, 3) */
  readonly #into = [0, 1, 2, 3].map((k) => (n: number): Float32Array => {
    const s = this.#spares[k];
    this.#spares[k] = undefined;
    return s?.length === n ? s : new Float32Array(n);
  });

  private constructor(opts: Required<NetworkOptions>, be: Backend, waiting: Backend | undefined) {
    this.layers = Object.freeze([...opts.layers]);
    this.activations = Object.freeze([...opts.activations]);
    this.backend = be.name;
    this.simd = be.simd;
    this.seed = opts.seed;
    this.rng = opts.rng;
    this.loss = opts.loss;
    this.#be = be;
    this.#waiting = waiting;
    this.#extras = { stateBlocks: 0, dropout: this.activations.map(() => false) };
    const plan = planArena(this.layers, 1, be.base);
    this.#e = createEngine(be.kernels, this.layers, this.activations, this.loss, plan, be.reserve(plan.end), be.raw, be.splitWork);
    this.#toThreads();
  }

  /** Checks the options, instantiates the backend and initialises the parameters (init()). */
  static async create(options: NetworkOptions): Promise<Network> {
    const opts = checkNetworkOptions(options);
    // a network none of whose calls can split on one column (each starts with a batch capacity of
    // 1) waits on one thread (see #waiting): its create does not wait for workers it may never use
    const waits = largestWork(opts.layers, opts.activations, 1) < splitMinWork();
    const be = await createBackend(opts.backend, { ...executionFor(opts), background: waits });
    printNotes(be);
    const alone = be.pool === undefined ? undefined : await oneThreadBeside(be);
    const net = alone === undefined ? new Network(opts, be, undefined) : new Network(opts, alone, be);
    net.init();
    return net;
  }

  /**
   * Threads the large products run on: 1 on the js backend, for small networks under 'auto',
   * where threads are unavailable (see notes), and after dispose() or a worker's failure.
   */
  get threads(): number {
    return (this.#waiting ?? this.#be)?.threads ?? 1;
  }

  /**
   * Why threads or simd are less than asked ('auto' asks for the cores for a network with a layer
   * of 4096 weights or more, and for relaxed SIMD), one sentence each; [] when not.
   */
  get notes(): readonly string[] {
    return (this.#waiting ?? this.#be)?.notes ?? [];
  }

  /** b = 0 and W random from the network's seed: the same seed gives bit-identical parameters. */
  init(options: InitOptions = {}): this {
    const where = 'Network.init';
    this.#live(where);
    this.#notTraining(where);
    const o = ownOptions(where, options, INIT_KEYS, 'an object { scheme?, scale?, seed? }') as InitOptions;
    const scheme = o.scheme ?? 'random';
    if (!INIT_SCHEMES.includes(scheme)) fail(where, 'scheme', `one of ${INIT_SCHEMES.map((s) => `'${s}'`).join(', ')}`, scheme);
    const scale = o.scale === undefined ? DEFAULT_INIT_SCALE : checkPositiveFinite(where, 'scale', o.scale);
    if (o.scale !== undefined && scheme !== 'random') fail(where, 'scale', `unset with scheme '${scheme}' (it sets its own)`, o.scale);
    const rng = seededRng(where, this.rng, o.seed === undefined ? this.seed : checkSeed(where, o.seed));
    const { heap: h, plan } = this.#e;
    h.fill(0, plan.params >> 2, (plan.params >> 2) + plan.paramFloats);
    for (const s of plan.layer) {
      const f = initFactor(scheme, scale, s.nIn);
      const w0 = s.W >> 2;
      for (let i = 0; i < s.nOut * s.nIn; i++) h[w0 + i] = rng.normal() * f;
    }
    this.#invalidate();
    return this;
  }

  /** Copies of the parameters, [{ W (n_l × n_{l-1}), b (n_l) }] for layers 1…L. */
  getParams(): LayerParams[] {
    this.#live('Network.getParams');
    return this.#e.plan.layer.map((s) => ({
      W: this.#copyMatrix(s.W, s.nOut, s.nIn),
      b: this.#e.heap.slice(s.b >> 2, (s.b >> 2) + s.nOut),
    }));
  }

  /** Replaces every parameter; all shapes and values are checked before anything is written. */
  setParams(params: readonly LayerParamsInput[]): this {
    const where = 'Network.setParams';
    this.#live(where);
    this.#notTraining(where);
    const slots = this.#e.plan.layer;
    const L = slots.length;
    if (!Array.isArray(params) || params.length !== L) fail(where, 'params', `an array of ${L} { W, b } (one per layer)`, params);
    const layerObjs = ownElements(where, 'params', params);
    // every value is read once into a copy and checked there; only then is anything written
    const checked = slots.map((s, l) => {
      const p = layerObjs[l];
      if (typeof p !== 'object' || p === null) fail(where, `params[${l}]`, 'an object { W, b }', p);
      const { W, b } = p as Record<string, unknown>;
      const Wc = checkMatrix(where, `params[${l}].W`, W, {
        rows: s.nOut, rowsWhy: `layers[${l + 1}]`, cols: s.nIn, colsWhy: `layers[${l}]`,
      });
      const bc = checkVector(where, `params[${l}].b`, b, s.nOut);
      return { W: Wc.data, b: bc };
    });
    const h = this.#e.heap;
    slots.forEach((s, l) => {
      h.set(checked[l].W, s.W >> 2);
      h.set(checked[l].b, s.b >> 2);
    });
    this.#invalidate();
    return this;
  }

  /**
   * X (n_x × m) and, if given, its targets Y checked once for this network and kept as a Batch
   * (copies: changing X or Y afterwards does not change the batch). forward(batch), cost(batch)
   * and backward(batch) then check nothing, and copy nothing while the batch is the data this
   * network last read: a loop of forward, cost, backward and update runs at train()'s speed.
   */
  batch(X: MatrixInput, Y?: TargetInput): Batch {
    const where = 'Network.batch';
    const Xc = this.#checkX(where, X);
    const Yc = Y === undefined ? undefined : this.#checkY(where, Y, Xc.cols);
    return makeBatch(this.#token, Xc.cols, Xc.data, Yc?.data);
  }

  /**
   * A[L] for X (n_x × m), or for a batch's X; keeps Z and A of every layer for cost() and
   * backward(). For a matrix X the result is a copy. For a batch it is a view of the network's
   * memory, copied nothing: read it before the next call on this network (which may overwrite or
   * move it), copy it to keep it (`Float32Array.from(A.data)`), and do not write to it.
   */
  forward(X: MatrixInput | Batch): Matrix {
    const m = this.#forward('Network.forward', X);
    const out = this.#e.plan.layer[this.#e.plan.layer.length - 1];
    return X instanceof Batch ? this.#outputView(out.A, out.nOut, m) : this.#copyMatrix(out.A, out.nOut, m);
  }

  /** The forward pass of X (or a batch) and its bookkeeping; returns m. */
  #forward(where: string, X: MatrixInput | Batch): number {
    const m = this.#putX(where, X);
    forwardPass(this.#e, m);
    this.#forwardM = m;
    this.#gradsReady = false;
    return m;
  }

  /** A view of (rows × cols) at ptr, made again only when the heap, the slot or the size changed. */
  #outputView(ptr: number, rows: number, cols: number): Matrix {
    const v = this.#view, h = this.#e.heap;
    if (v !== undefined && v.cols === cols && v.data.buffer === h.buffer && v.data.byteOffset === h.byteOffset + ptr) return v;
    return (this.#view = { rows, cols, data: h.subarray(ptr >> 2, (ptr >> 2) + rows * cols) });
  }

  /**
   * The cost of the last forward pass against Y: binary cross-entropy (sigmoid output, Y in
   * [0, 1]), categorical cross-entropy (softmax; Y one-hot or class indices) or mean squared error
   * (Y any finite values), divided by m; with `l2: λ` plus (λ/(2m))·Σ‖W‖². Y may be a batch
   * with targets (the batch of the forward pass, or any of the same size).
   */
  cost(Y: TargetInput | Batch, options: CostOptions = {}): number {
    const where = 'Network.cost';
    const m = this.#needForward(where, 'cost(Y)');
    const l2 = checkCostOptions(where, options);
    this.#putY(where, Y, m);
    return cost(this.#e, m) + (l2 > 0 ? l2Cost(this.#e, m, l2) : 0);
  }

  /** Gradients of cost(Y, options) for the last forward pass; read them with getGrads(). */
  backward(Y: TargetInput | Batch, options: CostOptions = {}): this {
    const where = 'Network.backward';
    const m = this.#needForward(where, 'backward(Y)');
    const l2 = checkCostOptions(where, options);
    this.#putY(where, Y, m);
    this.#gradsReady = false; // a pass that throws half-way leaves no gradients to apply
    backwardPass(this.#e, m, l2);
    this.#gradsReady = true;
    return this;
  }

  /** Copies of the gradients of the last backward(), [{ dW, db }] for layers 1…L. */
  getGrads(): LayerGrads[] {
    const where = 'Network.getGrads';
    this.#live(where);
    if (!this.#gradsReady) throw new Error(`${where}: no gradients yet; call forward(X) then backward(Y) first`);
    return this.#e.plan.layer.map((s) => ({
      dW: this.#copyMatrix(s.dW, s.nOut, s.nIn),
      db: this.#e.heap.slice(s.db >> 2, (s.db >> 2) + s.nOut),
    }));
  }

  /** One gradient-descent step with the gradients of the last backward(): W −= α·dW, b −= α·db. */
  update(learningRate: number): this {
    const where = 'Network.update';
    this.#live(where);
    this.#notTraining(where);
    if (!this.#gradsReady) {
      throw new Error(`${where}: no gradients to apply; call forward(X) and backward(Y) before update() (each gradient is applied once)`);
    }
    const lr = checkPositiveFinite(where, 'learningRate', learningRate);
    sgdUpdate(this.#e, lr);
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
    const where = 'Network.train';
    const r = this.#startRun(where, X, Y, options);
    this.#running = where;
    try {
      runSteps(this.#e, r, Infinity);
      return finishRun(this.#e, r);
    } finally {
      this.#endRun(r);
    }
  }

  /**
   * train() that yields to the event loop about every 10 ms, so that timers, a UI and an
   * AbortSignal aborted from elsewhere take effect. While it runs, code in between may read the
   * network (forward, predict, cost, getParams, toJSON: training resumes exactly as without them)
   * but not change its parameters (init, setParams, update, another train throw); dispose() stops
   * the run, which then rejects with an error saying so.
   */
  async trainAsync(X: MatrixInput, Y: TargetInput, options: TrainOptions): Promise<TrainResult> {
    const where = 'Network.trainAsync';
    const r = this.#startRun(where, X, Y, options);
    this.#running = where;
    try {
      while (!runSteps(this.#e, r, now() + 10)) {
        this.#invalidate();
        await nextTask();
        if (!this.#be) throw new Error(`${where}: the network was disposed while it trained; the run stopped after step ${r.step}`);
        r.resident = false; // a call in between may have used the batch region
      }
      return finishRun(this.#e, r);
    } finally {
      this.#endRun(r);
    }
  }

  /**
   * Output activations A[L] for X (n_y × m): probabilities for sigmoid and softmax, values for
   * linear. Like forward(X), except that a pass that grew the arena by more than
   * RELEASE_BYTES (32 MiB) gives that memory back before returning (then no forward pass is kept
   * for cost or backward).
   */
  predictProba(X: MatrixInput | Batch): Matrix {
    return this.#outputs('Network.forward', X);
  }

  /**
   * Predictions for X: sigmoid → (n_y × m) of 0/1 (A > 0.5); softmax → (1 × m) class indices
   * (argmax of each column); linear → (n_y × m) the outputs. Memory as predictProba's.
   */
  predict(X: MatrixInput | Batch): Matrix {
    const A = this.#outputs('Network.forward', X);
    const act = this.activations[this.activations.length - 1];
    if (act === 'linear') return A;
    if (act === 'softmax') return { rows: 1, cols: A.cols, data: Float32Array.from({ length: A.cols }, (_, j) => argmaxColumn(A.data, 0, A.rows, A.cols, j)) };
    for (let i = 0; i < A.data.length; i++) A.data[i] = A.data[i] > 0.5 ? 1 : 0;
    return A;
  }

  /**
   * forward(X) as a copy (for a batch too); then, if that pass grew the arena by more than
   * RELEASE_BYTES and no training run is using the arena, the network moves to a fresh memory of
   * its earlier size.
   */
  #outputs(where: string, X: MatrixInput | Batch): Matrix {
    const before = this.#e.plan, alone = this.#waiting === undefined ? undefined : this.#be;
    const m = this.#forward(where, X);
    const out = this.#e.plan.layer[this.#e.plan.layer.length - 1];
    const A = this.#copyMatrix(out.A, out.nOut, m);
    const grew = (this.#e.plan.end - this.#e.plan.params) - (before.end - before.params); // (the pass may have moved it onto threads)
    if (grew > RELEASE_BYTES && this.#running === undefined) {
      // a network that waited on one thread until this pass moved it goes back to waiting
      if (alone !== undefined && this.#waiting === undefined) this.#backToWaiting(alone, before.mCap);
      else this.#moveArena(before.mCap);
    }
    return A;
  }

  /**
   * After a pass that moved a waiting network onto threads and grew their memory: the arena
   * planned for mCap (at which no call splits) on a fresh memory of the one-thread module, and
   * threads waiting again on a fresh shared memory (new workers); the grown one is dropped.
   */
  #backToWaiting(alone: Backend, mCap: number): void {
    const threaded = this.#be!;
    const next = threaded.fresh();
    this.#moveTo(alone.fresh(), mCap);
    this.#waiting = next;
    threaded.dispose(); // (terminates the workers of the grown memory)
  }

  /**
   * The arena planned for mCap columns on a fresh memory of the same backend (a WebAssembly
   * memory cannot shrink; on threads a new shared memory and new workers): the parameters,
   * gradients and optimizer state — everything before the batch region, at the same offsets in
   * every plan — are copied over, the old memory is dropped.
   */
  #moveArena(mCap: number): void {
    const old = this.#be!;
    this.#moveTo(old.fresh(), mCap);
    old.dispose(); // (on threads: terminates the workers of the old memory)
  }

  /**
   * The arena planned for mCap columns in be's memory, with the parameters, gradients and
   * optimizer state copied over (the blocks before the batch region: their layout is the same in
   * every plan, from the plan's first aligned byte).
   */
  #moveTo(be: Backend, mCap: number): void {
    const was = this.#e.plan;
    const plan = planArena(this.layers, mCap, be.base, this.#extras);
    const heap = be.reserve(plan.end);
    heap.set(this.#e.heap.subarray(was.params >> 2, was.X >> 2), plan.params >> 2);
    this.#be = be;
    this.#e = createEngine(be.kernels, this.layers, this.activations, this.loss, plan, heap, be.raw, be.splitWork);
    this.#xFrom = this.#yFrom = undefined; // the batch region is new memory
    this.#invalidate();
  }

  /**
   * With threads waiting (#waiting): the arena moves onto their shared memory once a call at the
   * batch capacity (mCap: the current plan's, or the one being planned) may split — never while
   * a run, which holds the engine, is going on (its calls then run unsplit, the same bits; the
   * next run or growth moves it). True when it moved.
   */
  #toThreads(mCap = this.#e.plan.mCap): boolean {
    const t = this.#waiting;
    if (t === undefined || this.#running !== undefined || t.splitWork === undefined) return false;
    if (largestWork(this.layers, this.activations, mCap) < t.splitWork) return false;
    const alone = this.#be!;
    try {
      this.#moveTo(t, mCap);
    } catch {
      // the shared memory could not grow: the network stays where it is (the same bits, on one
      // thread), and tries again at its next growth
      return false;
    }
    this.#waiting = undefined;
    alone.dispose();
    printNotes(t); // (workers that started in the background and could not: the note says so now)
    return true;
  }

  /** Releases the network's memory; every later call throws. */
  dispose(): void {
    this.#be?.dispose();
    this.#waiting?.dispose(); // (terminates the workers of threads that never ran a part)
    this.#be = this.#waiting = undefined;
    // every reference to the instance, its memory and views goes: the kernels are the instance's
    // exports (or, on js, closures over the heap), the activation kernels are bound to them
    const none = { k: DISPOSED_KERNELS, acts: [], products: backProducts(DISPOSED_KERNELS), gradients: weightGradients(DISPOSED_KERNELS) };
    this.#e = { ...this.#e, ...none, small: none, heap: new Float32Array(0) };
    // and what views or copies the step API kept: the output view, the resident batches, the spares
    this.#view = this.#xFrom = this.#yFrom = undefined;
    this.#spares.fill(undefined);
    this.#invalidate();
  }

  /** The network as a versioned model object; JSON.stringify(net) gives the file's text (src/io/model-file.ts). */
  toJSON(): ModelJSON {
    this.#live('Network.toJSON');
    return modelToJSON(this);
  }

  /** A network from toJSON()'s object or text; every field is checked first, a bad file throws naming what is wrong. */
  static async fromJSON(json: string | ModelJSON, options?: FromJSONOptions): Promise<Network> {
    const { options: o, model } = readModelFile(json, options);
    let net: Network;
    try {
      net = await Network.create({ layers: model.layers, activations: model.activations, loss: model.loss, ...o });
    } catch (e) {
      throw architectureRejected(e);
    }
    try {
      net.setParams(model.params); // checked by readModelFile already; should it still throw, nothing survives
    } catch (e) {
      net.dispose(); // no half-built network survives a failed load
      throw e;
    }
    return net;
  }

  /** Parameters in the network (weights and biases). */
  get paramCount(): number {
    return paramCount(this.layers);
  }


  // ---- one run of train() / trainAsync(): checked here, run by the trainer ----------------

  /** Checks everything, splits the data, plans the arena once, and returns the run's state. */
  #startRun(where: string, X: MatrixInput, Y: TargetInput, options: TrainOptions): Run {
    this.#live(where);
    this.#notTraining(where);
    const cfg = this.#guardCallback(where, checkTrainOptions(where, options, this.layers.length - 2));
    const Xc = this.#checkX(where, X, this.#into[2]);
    const Yc = this.#checkY(where, Y, Xc.cols, 'Y', this.#into[3]);
    const rng = createRng(cfg.seed ?? this.seed);
    const data = this.#runData(where, cfg, Xc, Yc, rng);
    if (cfg.batchSize !== undefined && cfg.batchSize > data.m) {
      const held = data.mv && typeof cfg.validation === 'number' ? ` (after holding out ${data.mv} for validation)` : '';
      fail(where, 'batchSize', `at most the number of training examples, ${data.m}${held}`, cfg.batchSize);
    }
    const keep = dropoutKeep(cfg.dropout);
    // plan once: batch capacity, optimizer state blocks, dropout masks (the arena only grows)
    this.#ensurePlan(where, Math.max(cfg.batchSize ?? data.m, this.#e.plan.mCap), runExtras(cfg.optimizer.name, keep, this.#extras));
    this.#toThreads(); // (a callback's forward during an earlier run may have grown the arena without moving it)
    this.#invalidate();
    return createRun(this.#e, where, cfg, data, rng, keep, () => this.#batchWrites);
  }

  /**
   * After a run, however it ended: not training any more; the run's data is in the slots now; its
   * checked copies of X and Y become the spares of the next run (nothing else holds them).
   */
  #endRun(r: Run): void {
    this.#running = undefined;
    this.#xFrom = this.#yFrom = undefined;
    this.#invalidate();
    if (r.data.Xt instanceof Float32Array) this.#spares[2] = spare(r.data.Xt);
    if (r.data.Yt instanceof Float32Array) this.#spares[3] = spare(r.data.Yt);
  }

  /** The training columns and the validation data: a seeded split of X and Y, or the given { X, Y }, checked. */
  #runData(where: string, cfg: TrainConfig, Xc: CheckedMatrix, Yc: CheckedMatrix, rng: Rng): RunData {
    const v = cfg.validation, m = Xc.cols;
    if (typeof v === 'number') {
      const mv = heldOutCount(where, 'validation', v, m);
      const { kept, held } = shuffledSplit(Xc, Yc, mv, rng);
      return { Xt: kept.X.data, Yt: kept.Y.data, m: m - mv, Xv: held.X.data, Yv: held.Y.data, mv };
    }
    if (v === undefined) return { Xt: Xc.data, Yt: Yc.data, m, Xv: undefined, Yv: undefined, mv: 0 };
    const Xvc = checkMatrix(where, 'validation.X', v.X, { rows: this.layers[0], rowsWhy: 'layers[0], the number of input features' });
    const Yvc = this.#checkY(where, v.Y, Xvc.cols, 'validation.Y');
    // checked matrices are copies already: nothing the caller changes later reaches the run
    return { Xt: Xc.data, Yt: Yc.data, m, Xv: Xvc.data, Yv: Yvc.data, mv: Xvc.cols };
  }

  /** Replans if the arena lacks batch capacity, optimizer state or dropout masks. */
  #ensurePlan(where: string, mCap: number, need: Required<PlanExtras>): void {
    const { stateBlocks, dropout } = need;
    const p = this.#e.plan;
    const ok = mCap <= p.mCap && stateBlocks <= p.state.length && dropout.every((d, l) => !d || p.layer[l].mask !== 0);
    if (ok) return;
    this.#extras = { stateBlocks, dropout: [...dropout] };
    this.#replan(where, mCap);
  }

  // ---- checks and copies -----------------------------------------------------------------

  /** init, setParams, update and train change the parameters: not while a run is using them. */
  #notTraining(where: string): void {
    if (this.#running === undefined) return;
    const sync = this.#running === 'Network.train';
    throw new Error(`${where}: a ${sync ? 'train()' : 'trainAsync()'} on this network is still running; ${sync ? 'return false from onProgress to stop it' : 'await it (or abort its signal)'} first. During a run, onProgress (and, with trainAsync, code in between) may read the network (forward, predict, predictProba, cost, backward, getParams, getGrads, toJSON) but not change its parameters`);
  }

  /** onProgress, followed by a check that it did not dispose of the network (which stops the run with an error). */
  #guardCallback(where: string, cfg: TrainConfig): TrainConfig {
    const user = cfg.onProgress;
    if (user === undefined) return cfg;
    return {
      ...cfg,
      onProgress: (p) => {
        const go = user(p);
        if (!this.#be) throw new Error(`${where}: the network was disposed by onProgress (at epoch ${p.epoch}, step ${p.iteration}); the run stopped there`);
        return go;
      },
    };
  }

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

  #checkX(where: string, X: MatrixInput, into?: (n: number) => Float32Array): CheckedMatrix {
    this.#live(where);
    return checkMatrix(where, 'X', X, { rows: this.layers[0], rowsWhy: 'layers[0], the number of input features', rowsHint: EXAMPLES_HINT, into });
  }

  /** Y checked for this network's loss (class indices become one-hot): what goes into the Y slot. */
  #checkY(where: string, Y: TargetInput, m: number, name = 'Y', into?: (n: number) => Float32Array): CheckedMatrix {
    return checkTargets(where, Y, m, this.layers[this.layers.length - 1], this.loss, name, into);
  }

  /**
   * Puts X, or a batch's X, into the X slot and returns its m columns: a matrix is checked first,
   * a batch is copied only when the slot holds it already (never while a run, which writes the
   * slots itself, is going on). Makes room for m columns first (the only place the arena may grow
   * outside train()).
   */
  #putX(where: string, X: MatrixInput | Batch): number {
    this.#live(where);
    let m: number;
    this.#batchWrites++;
    if (X instanceof Batch) {
      const d = this.#batchData(where, 'X', X);
      m = d.m;
      if (m > this.#e.plan.mCap) this.#replan(where, m);
      if (this.#xFrom !== X || this.#running !== undefined) {
        this.#e.heap.set(d.X, this.#e.plan.X >> 2);
        this.#xFrom = X;
      }
    } else {
      const Xc = this.#checkX(where, X, this.#into[0]);
      m = Xc.cols;
      if (m > this.#e.plan.mCap) this.#replan(where, m);
      this.#e.heap.set(Xc.data, this.#e.plan.X >> 2);
      this.#spares[0] = spare(Xc.data);
      this.#xFrom = undefined;
    }
    this.#invalidate(); // the cached forward pass belonged to the previous X
    return m;
  }

  /**
   * Puts the targets of the last forward pass (m columns) into the Y slot: a matrix or class
   * indices are checked first, a batch's targets are copied only when the slot does not hold them.
   */
  #putY(where: string, Y: TargetInput | Batch, m: number): void {
    this.#batchWrites++;
    if (Y instanceof Batch) {
      const d = this.#batchData(where, 'Y', Y);
      if (d.Y === undefined) throw new Error(`${where}: the batch has no Y; make it with net.batch(X, Y)`);
      if (d.m !== m) throw new Error(`${where}: the batch has ${d.m} columns, the last forward pass ${m}`);
      if (this.#yFrom !== Y || this.#running !== undefined) {
        this.#e.heap.set(d.Y, this.#e.plan.Y >> 2);
        this.#yFrom = Y;
      }
      return;
    }
    const Yc = this.#checkY(where, Y, m, 'Y', this.#into[1]);
    this.#e.heap.set(Yc.data, this.#e.plan.Y >> 2);
    this.#spares[1] = spare(Yc.data);
    this.#yFrom = undefined;
  }

  /** The data of a batch this network made; another network's batch is refused. */
  #batchData(where: string, name: string, b: Batch): BatchData {
    const d = batchData(b, this.#token);
    if (d === undefined) throw new Error(`${where}: ${name} is another network's batch; make one with this network's batch()`);
    return d;
  }

  #replan(where: string, m: number): void {
    const plan = planArena(this.layers, m, this.#be!.base, this.#extras);
    if (plan.end > MAX_ARENA_BYTES) {
      throw new Error(`${where}: X has ${m} columns, which needs ${mib(plan.end)} of memory for this network; the limit is ${mib(MAX_ARENA_BYTES)}. Pass fewer examples at a time`);
    }
    // a waiting network whose calls may split at m moves straight onto the threads' memory (its own does not grow)
    if (this.#toThreads(m)) return;
    // the parameter and gradient blocks do not depend on m, so they stay where they are
    this.#e.heap = this.#be!.reserve(plan.end);
    this.#e.plan = plan;
    this.#xFrom = this.#yFrom = undefined; // the X and Y slots may have moved
    this.#invalidate();
  }

  #invalidate(): void {
    this.#forwardM = 0;
    this.#gradsReady = false;
  }

  #copyMatrix(ptr: number, rows: number, cols: number): Matrix {
    return { rows, cols, data: this.#e.heap.slice(ptr >> 2, (ptr >> 2) + rows * cols) };
  }
}

/** The largest checked copy kept as a spare: 1 MiB (mnist-shape's X is 0.8 MiB). */
const SPARE_BYTES = 2 ** 20;
const spare = (a: Float32Array): Float32Array | undefined => (a.byteLength <= SPARE_BYTES ? a : undefined);

/**
 * A one-thread backend of the threaded backend's module (the inlined one of the same SIMD), for a
 * network to run on until a call of it may split; undefined where it would not be the same
 * module (then the network runs on the threaded backend from the start).
 */
async function oneThreadBeside(threaded: Backend): Promise<Backend | undefined> {
  if (threaded.simd === 'none' || threaded.splitWork === undefined) return undefined;
  try {
    const be = await createWasmBackend({ threads: 1, simd: threaded.simd });
    if (be.simd === threaded.simd && be.threads === 1) return be;
    be.dispose();
  } catch {
    // (the threaded backend compiled the same kernels; should this one not, the network runs there)
  }
  return undefined;
}
