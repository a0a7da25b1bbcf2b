/**
 * The options of Network.create, init, cost and backward: their types and the checks that turn
 * them into plain values before any kernel runs (train's options are in src/train/options.ts).
 */
import { BACKENDS, MAX_ARENA_BYTES, mib, type BackendName } from './core/backend.js';
import {
  ACTIVATIONS, ALLOWED_LOSSES, DEFAULT_HIDDEN_ACTIVATION, DEFAULT_LOSS, DEFAULT_OUTPUT_ACTIVATION, HIDDEN_ACTIVATIONS,
  LOSSES, NETWORK_LIMITS, OUTPUT_ACTIVATIONS, paramCount, type Activation, type InitScheme, type Loss,
} from './core/architecture.js';
import { checkExecutionOptions, type SimdOption, type ThreadsOption } from './core/execution.js';
import { planArena } from './core/plan.js';
import { checkRngName, checkRngSeed, type RngName } from './util/rng.js';
import { checkPositiveInt, checkSeed, fail, ownElements, ownOptions } from './util/validate.js';

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
  /**
   * threads the large matrix products are split over (wasm backend): a number ≥ 1, or 'auto'
   * (default: the available cores, up to 8, for a network with a layer of at least 4096 weights;
   * 1 for smaller ones). Results are bit-identical for every thread count. Where threads cannot
   * run (no SharedArrayBuffer, a page's main thread) the network runs on one thread and `notes`
   * says why. See the README, "Threads and kernel modules".
   */
  threads?: ThreadsOption;
  /**
   * the kernel build (wasm backend): 'auto' (default: 'relaxed' where the engine has relaxed SIMD,
   * else 'plain'; on one thread both come from the bundle itself), 'relaxed' (fused multiply-add:
   * faster, reproducible on one engine and machine) or 'plain' (bit-identical on every engine);
   * `simd` says which runs
   */
  simd?: SimdOption;
}

/** Options of cost() and backward(): the L2 term as training with `l2: λ` adds it. */
export interface CostOptions {
  /** λ ≥ 0: adds (λ/(2m))·Σ‖W‖² to the cost and (λ/m)·W to dW; default 0 */
  l2?: number;
}

export interface InitOptions {
  /** 'random': W = randn·scale (scale 0.01, the course's); 'xavier': randn·√(1/n_in); 'he': randn·√(2/n_in) */
  scheme?: InitScheme;
  /** the factor for 'random'; default 0.01 */
  scale?: number;
  /** overrides the network's seed for this call */
  seed?: number;
}

/** The keys of each options object; any other key is an error naming the closest of these. */
export const CREATE_KEYS = ['layers', 'activations', 'backend', 'seed', 'rng', 'loss', 'threads', 'simd'];
export const INIT_KEYS = ['scheme', 'scale', 'seed'];

export function checkNetworkOptions(options: unknown): Required<NetworkOptions> {
  const where = 'Network.create';
  const o = ownOptions(where, options, CREATE_KEYS, 'an object { layers, activations?, backend?, seed?, rng?, loss?, threads?, simd? }');
  const layersV = o.layers;
  if (!Array.isArray(layersV) || layersV.length < 2 || layersV.length > NETWORK_LIMITS.layers) {
    fail(where, 'layers', `an array of at least 2 layer sizes [n_x, …, n_y] (at most ${NETWORK_LIMITS.layers})`, layersV);
  }
  const layers = ownElements(where, 'layers', layersV) as number[];
  layers.forEach((n, i) => checkPositiveInt(where, `layers[${i}]`, n, NETWORK_LIMITS.layerSize));
  const params = paramCount(layers);
  if (params > NETWORK_LIMITS.params) {
    fail(where, 'layers', `a network of at most ${NETWORK_LIMITS.params} parameters (the most a model file holds)`, layersV,
      `[${layers.join(', ')}] has ${params}`);
  }
  const L = layers.length - 1;
  const activationsV = o.activations === undefined
    ? [...Array(L - 1).fill(DEFAULT_HIDDEN_ACTIVATION), DEFAULT_OUTPUT_ACTIVATION]
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
  const { threads, simd } = checkExecutionOptions(where, o);
  return { layers, activations, backend: backend as BackendName, seed, rng, loss, threads, simd };
}

export function checkCostOptions(where: string, options: unknown): number {
  const l2 = ownOptions(where, options, ['l2'], 'an object { l2? }').l2 ?? 0;
  if (typeof l2 !== 'number' || !Number.isFinite(l2) || l2 < 0) fail(where, 'l2', 'a finite number ≥ 0', l2);
  return l2;
}
