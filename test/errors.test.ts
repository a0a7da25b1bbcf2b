/**
 * The bad-input table: every rejected call throws a plain Error (never a WebAssembly trap) whose
 * message names the argument, what was expected and what was given, and it changes nothing — the
 * parameters stay bit-identical and a cached forward pass / pending gradients survive it.
 */
import { describe, it, expect } from 'vitest';
import { Network, type Matrix, type NetworkOptions } from '../src/index.js';

type BackendName = 'wasm' | 'js';

/** Bad calls deliberately break the types: reach the methods through `any`. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Loose = any;
const loose = (net: Network): Loose => net;

const LR = 0.1;
/** A valid (2 × 4) X, one column per example, and its (1 × 4) Y. */
const X: Matrix = { rows: 2, cols: 4, data: Float32Array.from([0.5, -1, 1.5, 2, -0.3, 0.8, 0.1, -2]) };
const Y: Matrix = { rows: 1, cols: 4, data: Float32Array.from([1, 0, 1, 0]) };

/** X with one value replaced (row-major index i). */
function xWith(i: number, v: number): Matrix {
  const data = Float32Array.from(X.data);
  data[i] = v;
  return { rows: 2, cols: 4, data };
}
/** Y (1 × 4) from plain values. */
const yOf = (...v: number[]): Matrix => ({ rows: 1, cols: v.length, data: Float32Array.from(v) });

function baseOptions(backend: BackendName): NetworkOptions {
  return { layers: [2, 3, 1], activations: ['tanh', 'sigmoid'], backend, seed: 3 };
}

/** The state a case's network is brought to before the bad call. */
type State = 'fresh' | 'forwarded' | 'backwarded' | 'updated' | 'disposed';
type Step = 'forward' | 'cost' | 'backward' | 'update';

const PREPARE: Record<State, (net: Network) => void> = {
  fresh: () => {},
  forwarded: (net) => { net.forward(X); },
  backwarded: (net) => { net.forward(X); net.backward(Y); },
  updated: (net) => { net.forward(X); net.backward(Y); net.update(LR); },
  disposed: (net) => { net.dispose(); },
};

/**
 * The correct continuation from each state: it uses whatever the state left valid (a cached
 * forward pass, pending gradients), so it also proves the failed call did not discard them.
 */
const RESUME: Record<Exclude<State, 'disposed'>, Step[]> = {
  fresh: ['forward', 'cost', 'backward', 'update', 'forward'],
  forwarded: ['cost', 'backward', 'update', 'forward', 'cost'],
  backwarded: ['update', 'forward', 'cost', 'backward', 'update'],
  updated: ['forward', 'cost', 'backward', 'update', 'forward'],
};

const hex = (a: ArrayBufferView): string => Buffer.from(a.buffer, a.byteOffset, a.byteLength).toString('hex');

/** Every parameter as bytes, in order. */
function paramBits(net: Network): string[] {
  return net.getParams().flatMap((p) => [hex(p.W.data), hex(p.b)]);
}

/** Runs the steps and records every result (outputs, cost, gradients, parameters) as bytes. */
function trace(net: Network, steps: Step[]): string[] {
  const out: string[] = [];
  for (const s of steps) {
    if (s === 'forward') out.push(hex(net.forward(X).data));
    if (s === 'cost') out.push(hex(Float64Array.of(net.cost(Y))));
    if (s === 'backward') {
      net.backward(Y);
      out.push(...net.getGrads().flatMap((g) => [hex(g.dW.data), hex(g.db)]));
    }
    if (s === 'update') {
      net.update(LR);
      out.push(...paramBits(net));
    }
  }
  return out;
}

interface CreateCase {
  name: string;
  /** options passed to Network.create, merged over the base options */
  options: (backend: BackendName) => unknown;
  patterns: RegExp[];
}

interface CallCase {
  name: string;
  state: State;
  call: (net: Loose) => unknown;
  patterns: RegExp[];
}

const createCases: CreateCase[] = [
  { name: 'options null', options: () => null, patterns: [/Network\.create/, /options/, /must be an object/, /got null/] },
  { name: 'layers missing', options: (b) => ({ backend: b }), patterns: [/\blayers\b/, /at least 2 layer sizes/, /got undefined/] },
  { name: 'layer size 0', options: (b) => ({ ...baseOptions(b), layers: [2, 0, 1] }), patterns: [/layers\[1\]/, /must be an integer from 1/, /got 0\b/] },
  { name: 'layer size negative', options: (b) => ({ ...baseOptions(b), layers: [2, -3, 1] }), patterns: [/layers\[1\]/, /must be an integer from 1/, /got -3\b/] },
  { name: 'layer size fractional', options: (b) => ({ ...baseOptions(b), layers: [2, 2.5, 1] }), patterns: [/layers\[1\]/, /must be an integer from 1/, /got 2\.5\b/] },
  { name: 'layer size a string', options: (b) => ({ ...baseOptions(b), layers: [2, '3', 1] }), patterns: [/layers\[1\]/, /must be an integer from 1/, /got "3"/] },
  { name: 'layer size NaN (input layer)', options: (b) => ({ ...baseOptions(b), layers: [NaN, 3, 1] }), patterns: [/layers\[0\]/, /must be an integer from 1/, /got NaN/] },
  { name: 'one layer only', options: (b) => ({ backend: b, layers: [2] }), patterns: [/\blayers\b/, /at least 2/, /got an Array of length 1\b/] },
  { name: 'no layers', options: (b) => ({ backend: b, layers: [] }), patterns: [/\blayers\b/, /at least 2/, /got an Array of length 0\b/] },
  { name: 'unknown activation', options: (b) => ({ ...baseOptions(b), activations: ['softmax', 'sigmoid'] }), patterns: [/activations\[0\]/, /must be one of 'sigmoid', 'tanh', 'relu', 'leakyRelu'/, /got "softmax"/] },
  { name: 'too few activations', options: (b) => ({ ...baseOptions(b), activations: ['sigmoid'] }), patterns: [/\bactivations\b/, /an array of 2 activation names/, /got an Array of length 1\b/] },
  { name: 'too many activations', options: (b) => ({ ...baseOptions(b), activations: ['tanh', 'tanh', 'sigmoid'] }), patterns: [/\bactivations\b/, /an array of 2 activation names/, /got an Array of length 3\b/] },
  { name: 'output activation not sigmoid, softmax or linear', options: (b) => ({ ...baseOptions(b), activations: ['tanh', 'relu'] }), patterns: [/activations\[1\]/, /must be one of 'sigmoid', 'softmax', 'linear'/, /got "relu"/] },
  { name: 'unknown backend', options: (b) => ({ ...baseOptions(b), backend: 'gpu' }), patterns: [/\bbackend\b/, /'wasm' or 'js'/, /got "gpu"/] },
  { name: 'seed NaN', options: (b) => ({ ...baseOptions(b), seed: NaN }), patterns: [/\bseed\b/, /must be an integer/, /got NaN/] },
  { name: 'seed fractional', options: (b) => ({ ...baseOptions(b), seed: 1.5 }), patterns: [/\bseed\b/, /must be an integer/, /got 1\.5\b/] },
];

const NOT_A_MATRIX = /must be a Float32Array, a Float64Array or a number\[\]/;
const FINITE = /must be a finite number \(in float32 range\)/;
const IN_01 = /must be a finite number in \[0, 1\]/;
const POS_LR = /learningRate must be a finite number > 0/;
const POS_INT = /must be an integer from 1 to/;
const DISPOSED = /has been disposed/;

const callCases: CallCase[] = [
  // ---- X: shape, emptiness, data type, values -----------------------------------------------
  { name: 'forward: X with 3 rows for 2 inputs', state: 'forwarded', call: (n) => n.forward({ rows: 3, cols: 2, data: new Float32Array(6) }), patterns: [/Network\.forward/, /X\.rows/, /must be 2\b/, /got 3\b/, /fromExamples/] },
  { name: 'train: X with 3 rows for 2 inputs', state: 'forwarded', call: (n) => n.train({ rows: 3, cols: 4, data: new Float32Array(12) }, Y, { iterations: 1, learningRate: LR }), patterns: [/Network\.train/, /X\.rows/, /must be 2\b/, /got 3\b/] },
  { name: 'forward: X with 0 columns', state: 'forwarded', call: (n) => n.forward({ rows: 2, cols: 0, data: new Float32Array(0) }), patterns: [/X\.cols/, POS_INT, /got 0\b/] },
  { name: 'forward: X with 0 rows', state: 'forwarded', call: (n) => n.forward({ rows: 0, cols: 4, data: new Float32Array(0) }), patterns: [/X\.rows/, POS_INT, /got 0\b/] },
  { name: 'forward: X.data of length 0', state: 'forwarded', call: (n) => n.forward({ rows: 2, cols: 4, data: new Float32Array(0) }), patterns: [/X\.data\.length/, /rows·cols = 2·4 = 8/, /got 0\b/] },
  { name: 'forward: X.data too long', state: 'forwarded', call: (n) => n.forward({ rows: 2, cols: 4, data: new Float32Array(9) }), patterns: [/X\.data\.length/, /= 8\b/, /got 9\b/] },
  { name: 'forward: NaN in X', state: 'forwarded', call: (n) => n.forward(xWith(6, NaN)), patterns: [/every value of X/, FINITE, /got NaN/, /X\[1, 2\]/, /data\[6\]/] },
  { name: 'forward: Infinity in X', state: 'forwarded', call: (n) => n.forward(xWith(1, Infinity)), patterns: [/every value of X/, FINITE, /got Infinity/, /X\[0, 1\]/] },
  { name: 'forward: -Infinity in X', state: 'forwarded', call: (n) => n.forward(xWith(3, -Infinity)), patterns: [/every value of X/, FINITE, /got -Infinity/] },
  { name: 'forward: Float64Array X with 1e39 (Infinity in float32)', state: 'forwarded', call: (n) => n.forward({ rows: 2, cols: 4, data: Float64Array.from([1, 2, 3, 4, 5, 1e39, 7, 8]) }), patterns: [/every value of X/, /float32/, /got 1e\+39/, /X\[1, 1\]/] },
  { name: 'train: NaN in X', state: 'forwarded', call: (n) => n.train(xWith(0, NaN), Y, { iterations: 1, learningRate: LR }), patterns: [/Network\.train/, /every value of X/, FINITE, /got NaN/] },
  { name: 'forward: NaN in the last value of a much wider X (no growth first)', state: 'forwarded', call: (n) => {
    const data = new Float32Array(2 * 5000).fill(0.25);
    data[data.length - 1] = NaN;
    return n.forward({ rows: 2, cols: 5000, data });
  }, patterns: [/every value of X/, FINITE, /got NaN/, /X\[1, 4999\]/] },
  { name: 'forward: X.data a string', state: 'forwarded', call: (n) => n.forward({ rows: 2, cols: 4, data: '12345678' }), patterns: [/X\.data/, NOT_A_MATRIX, /got "12345678"/] },
  { name: 'forward: X.data a plain object', state: 'forwarded', call: (n) => n.forward({ rows: 2, cols: 4, data: { a: 1 } }), patterns: [/X\.data/, NOT_A_MATRIX, /got an object with keys \{a\}/] },
  { name: 'forward: X.data missing', state: 'forwarded', call: (n) => n.forward({ rows: 2, cols: 4 }), patterns: [/X\.data/, NOT_A_MATRIX, /got undefined/] },
  { name: 'forward: X a number[][] (one row per example)', state: 'forwarded', call: (n) => n.forward([[1, 2], [3, 4], [5, 6]]), patterns: [/Network\.forward: X must be a Matrix \{ rows, cols, data \}/, /got an Array of length 3\b/, /fromExamples/] },
  { name: 'forward: X null', state: 'forwarded', call: (n) => n.forward(null), patterns: [/\bX must be a Matrix/, /got null/] },
  { name: 'forward: X.rows a string', state: 'forwarded', call: (n) => n.forward({ rows: '2', cols: 4, data: X.data }), patterns: [/X\.rows/, POS_INT, /got "2"/] },

  // ---- Y: m, values ---------------------------------------------------------------------------
  { name: 'train: X and Y with different m', state: 'forwarded', call: (n) => n.train(X, yOf(1, 0, 1), { iterations: 1, learningRate: LR }), patterns: [/Network\.train/, /Y\.cols/, /must be 4\b/, /got 3\b/] },
  { name: 'backward: Y with a different m than the forward pass', state: 'forwarded', call: (n) => n.backward(yOf(1, 0, 1)), patterns: [/Network\.backward/, /Y\.cols/, /must be 4\b/, /got 3\b/] },
  { name: 'backward: Y with 2 rows for 1 output', state: 'forwarded', call: (n) => n.backward({ rows: 2, cols: 4, data: new Float32Array(8) }), patterns: [/Y\.rows/, /must be 1\b/, /got 2\b/] },
  { name: 'backward: NaN in Y', state: 'forwarded', call: (n) => n.backward(yOf(1, NaN, 1, 0)), patterns: [/every value of Y/, IN_01, /got NaN/, /Y\[0, 1\]/] },
  { name: 'train: NaN in Y', state: 'forwarded', call: (n) => n.train(X, yOf(1, 0, 1, NaN), { iterations: 1, learningRate: LR }), patterns: [/Network\.train/, /every value of Y/, IN_01, /got NaN/] },
  { name: 'backward: Infinity in Y', state: 'forwarded', call: (n) => n.backward(yOf(1, 0, Infinity, 0)), patterns: [/every value of Y/, IN_01, /got Infinity/, /Y\[0, 2\]/] },
  { name: 'backward: Y = 2', state: 'forwarded', call: (n) => n.backward(yOf(1, 0, 2, 0)), patterns: [/every value of Y/, IN_01, /got 2\b/] },
  { name: 'backward: Y = -0.5', state: 'forwarded', call: (n) => n.backward(yOf(1, -0.5, 1, 0)), patterns: [/every value of Y/, IN_01, /got -0\.5\b/] },
  { name: 'train: Y = 2', state: 'forwarded', call: (n) => n.train(X, yOf(2, 0, 1, 0), { iterations: 1, learningRate: LR }), patterns: [/Network\.train/, /every value of Y/, IN_01, /got 2\b/] },
  { name: 'cost: Y = -0.5', state: 'forwarded', call: (n) => n.cost(yOf(1, 0, -0.5, 0)), patterns: [/Network\.cost/, /every value of Y/, IN_01, /got -0\.5\b/] },

  // ---- call order -----------------------------------------------------------------------------
  { name: 'backward before any forward', state: 'fresh', call: (n) => n.backward(Y), patterns: [/Network\.backward/, /no forward pass/, /call forward\(X\) before backward\(Y\)/] },
  { name: 'cost before any forward', state: 'fresh', call: (n) => n.cost(Y), patterns: [/Network\.cost/, /no forward pass/, /call forward\(X\) before cost\(Y\)/] },
  { name: 'update before backward', state: 'forwarded', call: (n) => n.update(LR), patterns: [/Network\.update/, /no gradients to apply/, /backward\(Y\) before update\(\)/] },
  { name: 'update before anything', state: 'fresh', call: (n) => n.update(LR), patterns: [/Network\.update/, /no gradients to apply/] },
  { name: 'update twice after one backward', state: 'updated', call: (n) => n.update(LR), patterns: [/Network\.update/, /no gradients to apply/, /each gradient is applied once/] },
  { name: 'backward after update without a new forward', state: 'updated', call: (n) => n.backward(Y), patterns: [/Network\.backward/, /no forward pass for the current parameters/, /update/] },
  { name: 'getGrads before backward', state: 'forwarded', call: (n) => n.getGrads(), patterns: [/Network\.getGrads/, /no gradients yet/, /backward\(Y\)/] },

  // ---- learning rate, in update and in train ----------------------------------------------------
  ...([
    [NaN, /got NaN/], [Infinity, /got Infinity/], [0, /got 0\b/], [-1, /got -1\b/], ['0.1', /got "0\.1"/],
  ] as const).flatMap(([lr, got]): CallCase[] => [
    { name: `update: learningRate ${String(lr)} (${typeof lr})`, state: 'backwarded', call: (n) => n.update(lr), patterns: [/Network\.update/, POS_LR, got] },
    { name: `train: learningRate ${String(lr)} (${typeof lr})`, state: 'forwarded', call: (n) => n.train(X, Y, { iterations: 1, learningRate: lr }), patterns: [/Network\.train/, POS_LR, got] },
  ]),
  { name: 'update: learningRate 1e39 (Infinity in float32)', state: 'backwarded', call: (n) => n.update(1e39), patterns: [/learningRate/, /float32/, /got 1e\+39/] },
  { name: 'train: learningRate null', state: 'forwarded', call: (n) => n.train(X, Y, { iterations: 1, learningRate: null }), patterns: [POS_LR, /got null/] },

  // ---- iterations and other train options -------------------------------------------------------
  { name: 'train: iterations 0', state: 'forwarded', call: (n) => n.train(X, Y, { iterations: 0, learningRate: LR }), patterns: [/Network\.train/, /\biterations\b/, POS_INT, /got 0\b/] },
  { name: 'train: iterations -5', state: 'forwarded', call: (n) => n.train(X, Y, { iterations: -5, learningRate: LR }), patterns: [/\biterations\b/, POS_INT, /got -5\b/] },
  { name: 'train: iterations 2.5', state: 'forwarded', call: (n) => n.train(X, Y, { iterations: 2.5, learningRate: LR }), patterns: [/\biterations\b/, POS_INT, /got 2\.5\b/] },
  { name: 'train: iterations missing', state: 'forwarded', call: (n) => n.train(X, Y, { learningRate: LR }), patterns: [/\biterations \/ epochs\b/, /one of iterations/, /got "neither"/] },
  { name: 'train: options null', state: 'forwarded', call: (n) => n.train(X, Y, null), patterns: [/Network\.train/, /options must be an object/, /got null/] },
  { name: 'train: options a number', state: 'forwarded', call: (n) => n.train(X, Y, 100), patterns: [/options must be an object/, /got 100\b/] },
  { name: 'train: onProgress not a function', state: 'forwarded', call: (n) => n.train(X, Y, { iterations: 1, learningRate: LR, onProgress: 'yes' }), patterns: [/onProgress/, /must be a function/, /got "yes"/] },
  { name: 'train: progressEvery 0', state: 'forwarded', call: (n) => n.train(X, Y, { iterations: 1, learningRate: LR, progressEvery: 0 }), patterns: [/progressEvery/, POS_INT, /got 0\b/] },

  // ---- init ---------------------------------------------------------------------------------------
  { name: "init: scheme 'bogus'", state: 'forwarded', call: (n) => n.init({ scheme: 'bogus' }), patterns: [/Network\.init/, /\bscheme\b/, /must be one of 'random', 'xavier', 'he'/, /got "bogus"/] },
  { name: 'init: options null', state: 'forwarded', call: (n) => n.init(null), patterns: [/Network\.init/, /options must be an object/, /got null/] },
  { name: 'init: seed NaN', state: 'forwarded', call: (n) => n.init({ seed: NaN }), patterns: [/\bseed\b/, /must be an integer/, /got NaN/] },
  { name: 'init: scale -1', state: 'forwarded', call: (n) => n.init({ scale: -1 }), patterns: [/\bscale\b/, /finite number > 0/, /got -1\b/] },
  { name: "init: scale with scheme 'he'", state: 'forwarded', call: (n) => n.init({ scheme: 'he', scale: 0.5 }), patterns: [/\bscale\b/, /unset with scheme 'he'/, /got 0\.5\b/] },

  // ---- setParams (the first layer is valid and different, so a partial write would show) ------------
  { name: 'setParams: wrong number of layers', state: 'forwarded', call: (n) => n.setParams([goodLayer0()]), patterns: [/Network\.setParams/, /\bparams must be an array of 2\b/, /got an Array of length 1\b/] },
  { name: 'setParams: not an array', state: 'forwarded', call: (n) => n.setParams({ 0: goodLayer0() }), patterns: [/\bparams must be an array of 2\b/, /got an object with keys \{0\}/] },
  { name: 'setParams: W rows wrong', state: 'forwarded', call: (n) => n.setParams([{ W: { rows: 2, cols: 2, data: new Float32Array(4) }, b: new Float32Array(3) }, goodLayer1()]), patterns: [/params\[0\]\.W\.rows/, /must be 3\b/, /got 2\b/] },
  { name: 'setParams: W cols wrong', state: 'forwarded', call: (n) => n.setParams([goodLayer0(), { W: { rows: 1, cols: 2, data: new Float32Array(2) }, b: [0] }]), patterns: [/params\[1\]\.W\.cols/, /must be 3\b/, /got 2\b/] },
  { name: 'setParams: W.data length wrong', state: 'forwarded', call: (n) => n.setParams([goodLayer0(), { W: { rows: 1, cols: 3, data: new Float32Array(2) }, b: [0] }]), patterns: [/params\[1\]\.W\.data\.length/, /= 3\b/, /got 2\b/] },
  { name: 'setParams: b length wrong', state: 'forwarded', call: (n) => n.setParams([goodLayer0(), { W: { rows: 1, cols: 3, data: [1, 2, 3] }, b: Float32Array.of(0, 0) }]), patterns: [/params\[1\]\.b/, /\b1\b/, /got 2\b/] },
  { name: 'setParams: b missing', state: 'forwarded', call: (n) => n.setParams([goodLayer0(), { W: { rows: 1, cols: 3, data: [1, 2, 3] } }]), patterns: [/params\[1\]\.b/, NOT_A_MATRIX, /got undefined/] },
  { name: 'setParams: NaN in W', state: 'forwarded', call: (n) => n.setParams([goodLayer0(), { W: { rows: 1, cols: 3, data: [1, NaN, 3] }, b: [0] }]), patterns: [/every value of params\[1\]\.W/, FINITE, /got NaN/, /params\[1\]\.W\[0, 1\]/] },
  { name: 'setParams: Infinity in b', state: 'forwarded', call: (n) => n.setParams([goodLayer0(), { W: { rows: 1, cols: 3, data: [1, 2, 3] }, b: [Infinity] }]), patterns: [/params\[1\]\.b/, FINITE, /got Infinity/] },
  { name: 'setParams: a layer null', state: 'forwarded', call: (n) => n.setParams([goodLayer0(), null]), patterns: [/params\[1\]/, /must be an object \{ W, b \}/, /got null/] },

  // ---- after dispose ------------------------------------------------------------------------------
  ...(['forward', 'predict', 'predictProba', 'train', 'getParams', 'init', 'setParams', 'cost', 'backward', 'getGrads', 'update'] as const)
    .map((method): CallCase => ({
      name: `${method} after dispose`,
      state: 'disposed',
      call: (n) => {
        const args: Record<string, unknown[]> = {
          forward: [X], predict: [X], predictProba: [X], train: [X, Y, { iterations: 1, learningRate: LR }],
          getParams: [], init: [], setParams: [[goodLayer0(), goodLayer1()]], cost: [Y], backward: [Y], getGrads: [], update: [LR],
        };
        return n[method](...args[method]);
      },
      patterns: [new RegExp(`Network\\.(${method}|forward)\\b`), DISPOSED, /Network\.create/],
    })),
];

/** Valid parameters for layer 0 (3 × 2) and layer 1 (1 × 3), different from any init(). */
function goodLayer0() {
  return { W: { rows: 3, cols: 2, data: Float32Array.from([0.1, -0.2, 0.3, -0.4, 0.5, -0.6]) }, b: Float32Array.from([0.01, 0.02, 0.03]) };
}
function goodLayer1() {
  return { W: { rows: 1, cols: 3, data: Float32Array.from([0.7, -0.8, 0.9]) }, b: Float32Array.from([0.04]) };
}

function thrown(fn: () => unknown): unknown {
  try {
    fn();
  } catch (e) {
    return e;
  }
  return undefined;
}

function expectPlainError(e: unknown, patterns: RegExp[]): void {
  expect(e, 'the call must throw').toBeInstanceOf(Error);
  expect(e).not.toBeInstanceOf(WebAssembly.RuntimeError);
  const message = (e as Error).message;
  for (const p of patterns) expect(message).toMatch(p);
}

describe('the table itself', () => {
  it('has at least 26 cases', () => {
    expect(createCases.length + callCases.length).toBeGreaterThanOrEqual(26);
    const names = [...createCases, ...callCases].map((c) => c.name);
    expect(new Set(names).size).toBe(names.length);
  });
});

describe.each(['wasm', 'js'] as const)('bad input, backend %s', (backend) => {
  describe('Network.create rejects', () => {
    it.each(createCases.map((c) => [c.name, c] as const))('%s', async (_name, c) => {
      const p = Network.create(c.options(backend) as NetworkOptions);
      expect(p).toBeInstanceOf(Promise);
      await expect(p).rejects.toThrow(Error);
      const e = await p.then(() => undefined, (err: unknown) => err);
      expectPlainError(e, [/^Network\.create: /, ...c.patterns]);
    });
  });

  describe('calls on a network', () => {
    it.each(callCases.map((c) => [c.name, c] as const))('%s', async (_name, c) => {
      const net = await Network.create(baseOptions(backend));
      expect(net.backend).toBe(backend);
      PREPARE[c.state](net);
      const before = c.state === 'disposed' ? [] : paramBits(net);

      const e = thrown(() => c.call(loose(net)));
      expectPlainError(e, c.patterns);
      // every message starts with the method that refused
      expect((e as Error).message).toMatch(/^Network\.\w+: /);

      if (c.state === 'disposed') {
        // still disposed, and still refusing, after the failed call
        expect(() => net.getParams()).toThrow(DISPOSED);
        return;
      }
      expect(paramBits(net), 'parameters changed by a rejected call').toEqual(before);

      // the correct continuation gives the same bits as on a network that never saw the bad call
      const ref = await Network.create(baseOptions(backend));
      PREPARE[c.state](ref);
      const steps = RESUME[c.state];
      const want = trace(ref, steps);
      const got = trace(net, steps);
      expect(got).toEqual(want);
      net.dispose();
      ref.dispose();
    });
  });

  it('rejected setParams messages about W do not describe W as examples', async () => {
    // W is (n_l × n_{l-1}), not data with one column per example: the fromExamples() hint for X/Y
    // would send the user the wrong way.
    const net = await Network.create(baseOptions(backend));
    const e = thrown(() => loose(net).setParams([{ W: { rows: 2, cols: 2, data: new Float32Array(4) }, b: new Float32Array(3) }, goodLayer1()]));
    expectPlainError(e, [/params\[0\]\.W\.rows/, /must be 3 \(layers\[1\]\)/, /got 2\b/]);
    expect((e as Error).message).not.toMatch(/per example|fromExamples/);
  });

  it('a rejected train leaves a cached forward pass usable, and a good train afterwards matches', async () => {
    const a = await Network.create(baseOptions(backend));
    const b = await Network.create(baseOptions(backend));
    expect(() => loose(a).train(X, yOf(1, 0, 1), { iterations: 5, learningRate: LR })).toThrow(/Y\.cols/);
    expect(() => loose(a).train(X, Y, { iterations: 5, learningRate: NaN })).toThrow(/learningRate/);
    const ra = a.train(X, Y, { iterations: 5, learningRate: LR });
    const rb = b.train(X, Y, { iterations: 5, learningRate: LR });
    expect(hex(ra.costs)).toBe(hex(rb.costs));
    expect(paramBits(a)).toEqual(paramBits(b));
  });
});
