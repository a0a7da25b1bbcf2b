/**
 * The bad-input table of the output and loss options of Network.create and of every train option
 * (mini-batches, optimizers, decay, L2, dropout, validation, early stopping): every rejected call throws a plain Error (never a
 * WebAssembly trap) whose message names the call, the argument, what was expected and what was
 * given; the parameters are bit-identical afterwards, and a good call then gives the same bits as
 * on a network that never saw the bad one.
 */
import { describe, expect, it } from 'vitest';
import { Network, gradientCheck, type Matrix, type NetworkOptions } from '../src/index.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Loose = any;
type BackendName = 'wasm' | 'js';

const X: Matrix = { rows: 2, cols: 4, data: Float32Array.from([0.5, -1, 1.5, 2, -0.3, 0.8, 0.1, -2]) };
const Y: Matrix = { rows: 1, cols: 4, data: Float32Array.from([1, 0, 1, 0]) };
/** one-hot (3 × 4) for classes 0, 2, 1, 2 */
const Y3: Matrix = { rows: 3, cols: 4, data: Float32Array.from([1, 0, 0, 0, 0, 0, 1, 0, 0, 1, 0, 1]) };

type Kind = 'bin' | 'cls' | 'reg' | 'flat';
const NETS: Record<Kind, Omit<NetworkOptions, 'backend'>> = {
  bin: { layers: [2, 3, 1], activations: ['tanh', 'sigmoid'], seed: 3 },
  cls: { layers: [2, 3, 3], activations: ['tanh', 'softmax'], seed: 3 },
  reg: { layers: [2, 3, 1], activations: ['tanh', 'linear'], seed: 3 },
  flat: { layers: [2, 1], activations: ['sigmoid'], seed: 3 },
};
const GOOD_Y: Record<Kind, Matrix> = { bin: Y, cls: Y3, reg: Y, flat: Y };

interface Case { name: string; net?: Kind; call: (net: Loose) => unknown; patterns: RegExp[] }

const T = (o: object) => (n: Loose) => n.train(X, Y, o);
const EP = { epochs: 2 };
const BETWEEN = (lo: number, hi: number, closed = false) => new RegExp(`must be a number in \\[${lo}, ${hi}${closed ? '\\]' : '\\)'}`);

const cases: Case[] = [
  // ---- iterations / epochs / batches ----
  { name: 'both iterations and epochs', call: T({ iterations: 3, epochs: 2 }), patterns: [/iterations \/ epochs/, /exactly one of the two/, /got "both \(iterations 3, epochs 2\)"/] },
  { name: 'neither iterations nor epochs', call: T({ learningRate: 0.1 }), patterns: [/iterations \/ epochs/, /one of iterations/, /got "neither"/] },
  { name: 'epochs 0', call: T({ epochs: 0 }), patterns: [/\bepochs must be an integer from 1/, /got 0\b/] },
  { name: 'epochs 1.5', call: T({ epochs: 1.5 }), patterns: [/\bepochs must be an integer from 1/, /got 1\.5\b/] },
  { name: 'epochs a string', call: T({ epochs: '10' }), patterns: [/\bepochs must be an integer from 1/, /got "10"/] },
  { name: 'batchSize with iterations', call: T({ iterations: 2, batchSize: 2 }), patterns: [/batchSize must be left out with iterations/, /use epochs/, /got 2\b/] },
  { name: 'batchSize 0', call: T({ ...EP, batchSize: 0 }), patterns: [/batchSize must be an integer from 1/, /got 0\b/] },
  { name: 'batchSize > m', call: T({ ...EP, batchSize: 5 }), patterns: [/batchSize must be at most the number of training examples, 4/, /got 5\b/] },
  { name: 'batchSize > m after the validation split', call: T({ ...EP, batchSize: 4, validation: 0.25 }), patterns: [/batchSize must be at most the number of training examples, 3 \(after holding out 1 for validation\)/, /got 4\b/] },
  { name: 'shuffle a string', call: T({ ...EP, shuffle: 'yes' }), patterns: [/shuffle must be true or false/, /got "yes"/] },
  { name: 'seed 1.5', call: T({ ...EP, seed: 1.5 }), patterns: [/\bseed must be an integer/, /got 1\.5\b/] },
  { name: 'learningRate NaN (epochs form)', call: T({ ...EP, learningRate: NaN }), patterns: [/learningRate must be a finite number > 0/, /got NaN/] },
  { name: 'unknown option (typo epoch)', call: T({ epoch: 3 }), patterns: [/options\.epoch must be left out \(not a train option/, /epochs/, /got 3\b/] },
  { name: 'options null', call: (n) => n.train(X, Y, null), patterns: [/options must be an object/, /got null/] },
  // ---- optimizer ----
  { name: "optimizer 'adagrad'", call: T({ ...EP, optimizer: 'adagrad' }), patterns: [/\boptimizer must be one of 'sgd', 'momentum', 'rmsprop', 'adam'/, /got "adagrad"/] },
  { name: 'optimizer 42', call: T({ ...EP, optimizer: 42 }), patterns: [/\boptimizer must be one of .* or an object/, /got 42\b/] },
  { name: "optimizer { name: 'adamw' }", call: T({ ...EP, optimizer: { name: 'adamw' } }), patterns: [/optimizer\.name must be one of 'sgd'/, /got "adamw"/] },
  { name: 'optimizer without a name', call: T({ ...EP, optimizer: { beta: 0.9 } }), patterns: [/optimizer\.name must be one of/, /got undefined/] },
  { name: 'adam beta1 = 1', call: T({ ...EP, optimizer: { name: 'adam', beta1: 1 } }), patterns: [/optimizer\.beta1/, BETWEEN(0, 1), /got 1\b/] },
  { name: 'adam beta2 negative', call: T({ ...EP, optimizer: { name: 'adam', beta2: -0.1 } }), patterns: [/optimizer\.beta2/, BETWEEN(0, 1), /got -0\.1\b/] },
  { name: 'adam epsilon 0', call: T({ ...EP, optimizer: { name: 'adam', epsilon: 0 } }), patterns: [/optimizer\.epsilon must be a finite number > 0/, /got 0\b/] },
  { name: 'rmsprop beta NaN', call: T({ ...EP, optimizer: { name: 'rmsprop', beta: NaN } }), patterns: [/optimizer\.beta\b/, BETWEEN(0, 1), /got NaN/] },
  { name: 'momentum with beta1 (an adam parameter)', call: T({ ...EP, optimizer: { name: 'momentum', beta1: 0.9 } }), patterns: [/optimizer\.beta1 must be left out: 'momentum' takes beta/, /got 0\.9\b/] },
  { name: 'sgd with beta', call: T({ ...EP, optimizer: { name: 'sgd', beta: 0.9 } }), patterns: [/optimizer\.beta must be left out: 'sgd' has no hyper-parameters/, /got 0\.9\b/] },
  { name: 'learningRate inside the optimizer object', call: T({ ...EP, optimizer: { name: 'adam', learningRate: 0.1 } }), patterns: [/optimizer\.learningRate must be left out/, /got 0\.1\b/] },
  // ---- decay ----
  { name: 'decay a string', call: T({ ...EP, decay: 'step' }), patterns: [/\bdecay must be \{ type: 'step'/, /got "step"/] },
  { name: "decay type 'linear'", call: T({ ...EP, decay: { type: 'linear' } }), patterns: [/decay\.type must be 'step' or 'exponential'/, /got "linear"/] },
  { name: 'step decay factor 0', call: T({ ...EP, decay: { type: 'step', factor: 0, every: 1 } }), patterns: [/decay\.factor must be a number in \(0, 1\]/, /got 0\b/] },
  { name: 'step decay factor 2', call: T({ ...EP, decay: { type: 'step', factor: 2, every: 1 } }), patterns: [/decay\.factor/, BETWEEN(0, 1, true), /got 2\b/] },
  { name: 'step decay every 0', call: T({ ...EP, decay: { type: 'step', factor: 0.5, every: 0 } }), patterns: [/decay\.every must be an integer from 1/, /got 0\b/] },
  { name: 'exponential decay rate 1.5', call: T({ ...EP, decay: { type: 'exponential', rate: 1.5 } }), patterns: [/decay\.rate/, BETWEEN(0, 1, true), /got 1\.5\b/] },
  // ---- l2 and dropout ----
  { name: 'l2 negative', call: T({ ...EP, l2: -1 }), patterns: [/\bl2 must be a finite number ≥ 0/, /got -1\b/] },
  { name: 'l2 NaN', call: T({ ...EP, l2: NaN }), patterns: [/\bl2 must be a finite number ≥ 0/, /got NaN/] },
  { name: 'l2 a string', call: T({ ...EP, l2: '0.1' }), patterns: [/\bl2 must be a finite number ≥ 0/, /got "0\.1"/] },
  { name: 'dropout 1', call: T({ ...EP, dropout: 1 }), patterns: [/\bdropout\b/, BETWEEN(0, 1), /got 1\b/] },
  { name: 'dropout negative', call: T({ ...EP, dropout: -0.1 }), patterns: [/\bdropout\b/, BETWEEN(0, 1), /got -0\.1\b/] },
  { name: 'dropout NaN', call: T({ ...EP, dropout: NaN }), patterns: [/\bdropout\b/, BETWEEN(0, 1), /got NaN/] },
  { name: 'dropout array of the wrong length', call: T({ ...EP, dropout: [0.1, 0.2] }), patterns: [/\bdropout must be a number or an array of 1 drop probabilities/, /got an Array of length 2\b/] },
  { name: 'dropout array with a string', call: T({ ...EP, dropout: ['0.5'] }), patterns: [/dropout\[0\]/, BETWEEN(0, 1), /got "0\.5"/] },
  { name: 'dropout on a network without hidden layers', net: 'flat', call: T({ ...EP, dropout: 0.5 }), patterns: [/\bdropout must be 0 for a network without hidden layers/, /got 0\.5\b/] },
  // ---- validation and early stopping ----
  { name: 'validation 0', call: T({ ...EP, validation: 0 }), patterns: [/\bvalidation must be a fraction in \(0, 1\)/, /got 0\b/] },
  { name: 'validation 1.5', call: T({ ...EP, validation: 1.5 }), patterns: [/\bvalidation must be a fraction in \(0, 1\)/, /got 1\.5\b/] },
  { name: 'validation fraction leaving no example', call: T({ ...EP, validation: 0.1 }), patterns: [/\bvalidation must be a fraction leaving at least 1 example on each side \(X has 4 columns\)/, /got 0\.1\b/, /rounds to 0/] },
  { name: 'validation a string', call: T({ ...EP, validation: 'last' }), patterns: [/\bvalidation must be a fraction in \(0, 1\) or an object \{ X, Y \}/, /got "last"/] },
  { name: 'validation without Y', call: T({ ...EP, validation: { X } }), patterns: [/\bvalidation must be a fraction in \(0, 1\) or an object \{ X, Y \}/, /got an object with keys \{X\}/] },
  { name: 'validation.X with 3 rows', call: T({ ...EP, validation: { X: { rows: 3, cols: 2, data: new Float32Array(6) }, Y } }), patterns: [/validation\.X\.rows must be 2/, /got 3\b/] },
  { name: 'validation.Y with another m than validation.X', call: T({ ...EP, validation: { X, Y: { rows: 1, cols: 3, data: [1, 0, 1] } } }), patterns: [/validation\.Y\.cols must be 4/, /got 3\b/] },
  { name: 'validation.Y with NaN', call: T({ ...EP, validation: { X, Y: { rows: 1, cols: 4, data: [1, NaN, 1, 0] } } }), patterns: [/every value of validation\.Y/, /got NaN/] },
  { name: 'earlyStopping without validation', call: T({ ...EP, earlyStopping: { patience: 2 } }), patterns: [/earlyStopping must be used with validation/, /got an object with keys \{patience\}/, /validation: 0\.2/] },
  { name: 'earlyStopping patience 0', call: T({ ...EP, validation: 0.5, earlyStopping: { patience: 0 } }), patterns: [/earlyStopping\.patience must be an integer from 1/, /got 0\b/] },
  { name: 'earlyStopping minDelta negative', call: T({ ...EP, validation: 0.5, earlyStopping: { patience: 1, minDelta: -1 } }), patterns: [/earlyStopping\.minDelta must be a finite number ≥ 0/, /got -1\b/] },
  { name: 'earlyStopping a number', call: T({ ...EP, validation: 0.5, earlyStopping: 3 }), patterns: [/earlyStopping must be an object \{ patience, minDelta\? \}/, /got 3\b/] },
  // ---- progress and signal ----
  { name: 'progressEvery 0 (epochs form)', call: T({ ...EP, progressEvery: 0 }), patterns: [/progressEvery must be an integer from 1/, /got 0\b/] },
  { name: 'onProgress a number', call: T({ ...EP, onProgress: 1 }), patterns: [/onProgress must be a function/, /got 1\b/] },
  { name: 'signal an empty object', call: T({ ...EP, signal: {} }), patterns: [/\bsignal must be an AbortSignal/, /got an empty object/] },
  { name: 'signal a string', call: T({ ...EP, signal: 'abort' }), patterns: [/\bsignal must be an AbortSignal/, /got "abort"/] },
  // ---- Y for softmax: class indices and one-hot ----
  { name: 'softmax: class index 3 of 3 classes', net: 'cls', call: (n) => n.train(X, [0, 1, 3, 2], EP), patterns: [/every class index in Y must be an integer from 0 to 2 \(the softmax layer has 3 units\)/, /got 3\b/, /Y\[2\]/] },
  { name: 'softmax: class index 1.5', net: 'cls', call: (n) => n.train(X, [0, 1.5, 1, 2], EP), patterns: [/every class index in Y/, /got 1\.5\b/, /Y\[1\]/] },
  { name: 'softmax: class index -1', net: 'cls', call: (n) => n.train(X, Float32Array.of(0, 1, 2, -1), EP), patterns: [/every class index in Y/, /got -1\b/] },
  { name: 'softmax: class index NaN in a (1 × m) Matrix', net: 'cls', call: (n) => n.train(X, { rows: 1, cols: 4, data: [0, NaN, 1, 1] }, EP), patterns: [/every value of Y/, /got NaN/] },
  { name: 'softmax: 3 class indices for 4 examples', net: 'cls', call: (n) => n.train(X, [0, 1, 2], EP), patterns: [/Y\.length must be 4/, /got 3\b/] },
  { name: 'softmax: a one-hot column summing to 2', net: 'cls', call: (n) => n.train(X, { rows: 3, cols: 4, data: [1, 0, 0, 0, 1, 0, 1, 0, 0, 1, 0, 1] }, EP), patterns: [/every column of Y must be one-hot \(summing to 1\)/, /got "column 0 summing to 2"/] },
  { name: 'softmax: one-hot Y with 2 rows for 3 classes', net: 'cls', call: (n) => n.train(X, { rows: 2, cols: 4, data: new Float32Array(8) }, EP), patterns: [/Y\.rows must be 3/, /got 2\b/] },
  { name: 'softmax: cost with a bad class index', net: 'cls', call: (n) => { n.forward(X); return n.cost([0, 1, 2, 7]); }, patterns: [/Network\.cost/, /every class index in Y/, /got 7\b/] },
  { name: 'softmax: backward with class indices of the wrong length', net: 'cls', call: (n) => { n.forward(X); return n.backward([0, 1]); }, patterns: [/Network\.backward/, /Y\.length must be 4/, /got 2\b/] },
  { name: 'mse: Y with Infinity', net: 'reg', call: (n) => n.train(X, { rows: 1, cols: 4, data: [1, Infinity, 0, 0] }, EP), patterns: [/every value of Y must be a finite number \(in float32 range\)/, /got Infinity/] },
  // ---- cost / backward options ----
  { name: 'cost: l2 negative', call: (n) => { n.forward(X); return n.cost(Y, { l2: -0.5 }); }, patterns: [/Network\.cost/, /\bl2 must be a finite number ≥ 0/, /got -0\.5\b/] },
  { name: 'backward: options null', call: (n) => { n.forward(X); return n.backward(Y, null); }, patterns: [/Network\.backward/, /options must be an object \{ l2\? \}/, /got null/] },
  // ---- trainAsync rejects the same way ----
  { name: 'trainAsync: both iterations and epochs', call: (n) => n.trainAsync(X, Y, { iterations: 1, epochs: 1 }), patterns: [/^Network\.trainAsync: /, /exactly one of the two/] },
  { name: 'trainAsync: dropout 1', call: (n) => n.trainAsync(X, Y, { epochs: 1, dropout: 1 }), patterns: [/^Network\.trainAsync: /, /\bdropout\b/, BETWEEN(0, 1)] },
  // ---- gradientCheck ----
  { name: 'gradientCheck: net not a Network', call: () => gradientCheck({} as Loose, X, Y), patterns: [/^gradientCheck: net must be a Network/, /got an empty object/] },
  { name: 'gradientCheck: epsilon 0', call: (n) => gradientCheck(n, X, Y, { epsilon: 0 }), patterns: [/^gradientCheck: epsilon must be a finite number > 0/, /got 0\b/] },
  { name: 'gradientCheck: Y with 2 rows', call: (n) => gradientCheck(n, X, { rows: 2, cols: 4, data: new Float32Array(8) }), patterns: [/Network\.backward: Y\.rows must be 1/, /got 2\b/] },
];

const createCases: { name: string; options: object; patterns: RegExp[] }[] = [
  { name: 'softmax on a hidden layer', options: { layers: [2, 3, 2], activations: ['softmax', 'softmax'] }, patterns: [/activations\[0\] must be one of 'sigmoid', 'tanh', 'relu', 'leakyRelu' \(a hidden layer; 'softmax', 'linear' are for the output layer only\)/, /got "softmax"/] },
  { name: 'linear on a hidden layer', options: { layers: [2, 3, 1], activations: ['linear', 'linear'] }, patterns: [/activations\[0\]/, /a hidden layer/, /got "linear"/] },
  { name: 'softmax output with n_y = 1', options: { layers: [2, 3, 1], activations: ['tanh', 'softmax'] }, patterns: [/layers\[2\] must be at least 2 for a softmax output/, /got 1\b/] },
  { name: 'tanh output', options: { layers: [2, 3, 1], activations: ['tanh', 'tanh'] }, patterns: [/activations\[1\] must be one of 'sigmoid', 'softmax', 'linear'/, /got "tanh"/] },
  { name: "loss 'hinge'", options: { layers: [2, 3, 1], loss: 'hinge' }, patterns: [/\bloss must be one of 'bce', 'cce', 'mse'/, /got "hinge"/] },
  { name: 'softmax with mse', options: { layers: [2, 3, 3], activations: ['tanh', 'softmax'], loss: 'mse' }, patterns: [/\bloss must be 'cce' for a 'softmax' output/, /got "mse"/] },
  { name: 'linear with bce', options: { layers: [2, 3, 1], activations: ['tanh', 'linear'], loss: 'bce' }, patterns: [/\bloss must be 'mse' for a 'linear' output/, /got "bce"/] },
  { name: 'sigmoid with cce', options: { layers: [2, 3, 1], activations: ['tanh', 'sigmoid'], loss: 'cce' }, patterns: [/\bloss must be 'bce' or 'mse' for a 'sigmoid' output/, /got "cce"/] },
];

const hex = (a: ArrayBufferView) => Buffer.from(a.buffer, a.byteOffset, a.byteLength).toString('hex');
const paramBits = (net: Network) => net.getParams().flatMap((p) => [hex(p.W.data), hex(p.b)]);

async function thrown(fn: () => unknown): Promise<unknown> {
  try {
    await fn();
  } catch (e) {
    return e;
  }
  return undefined;
}

describe('the table itself', () => {
  it('has unique names and more than 60 cases', () => {
    const names = [...cases, ...createCases].map((c) => c.name);
    expect(new Set(names).size).toBe(names.length);
    expect(names.length).toBeGreaterThan(60);
  });
});

describe.each(['wasm', 'js'] as BackendName[])('bad output, loss and training input, backend %s', (backend) => {
  it.each(createCases.map((c) => [c.name, c] as const))('Network.create: %s', async (_n, c) => {
    const e = await thrown(() => Network.create({ ...c.options, backend } as NetworkOptions));
    expect(e).toBeInstanceOf(Error);
    expect(e).not.toBeInstanceOf(WebAssembly.RuntimeError);
    for (const p of [/^Network\.create: /, ...c.patterns]) expect((e as Error).message).toMatch(p);
  });

  it.each(cases.map((c) => [c.name, c] as const))('%s', async (_n, c) => {
    const kind = c.net ?? 'bin';
    const make = async () => {
      const net = await Network.create({ ...NETS[kind], backend });
      // a trained state with optimizer state and masks already planned, so a bad call meets a used arena
      net.train(X, GOOD_Y[kind], { epochs: 2, batchSize: 2, optimizer: 'adam', learningRate: 0.05, dropout: kind === 'flat' ? 0 : 0.2 });
      return net;
    };
    const net = await make();
    const before = paramBits(net);
    const e = await thrown(() => c.call(net as Loose));
    expect(e, 'the call must throw').toBeInstanceOf(Error);
    expect(e).not.toBeInstanceOf(WebAssembly.RuntimeError);
    const message = (e as Error).message;
    expect(message).toMatch(/^(Network\.\w+|gradientCheck): /);
    for (const p of c.patterns) expect(message).toMatch(p);
    expect(paramBits(net), 'parameters changed by a rejected call').toEqual(before);
    // a good training call afterwards gives the same bits as on a network that never saw the bad one
    const ref = await make();
    const good = { epochs: 3, batchSize: 2, optimizer: 'momentum' as const, learningRate: 0.1, l2: 0.01 };
    const ra = net.train(X, GOOD_Y[kind], good), rb = ref.train(X, GOOD_Y[kind], good);
    expect(hex(ra.costs)).toBe(hex(rb.costs));
    expect(paramBits(net)).toEqual(paramBits(ref));
  });

  it('MSE accepts any finite Y (no [0, 1] range), BCE does not', async () => {
    const reg = await Network.create({ ...NETS.reg, backend });
    const big = { rows: 1, cols: 4, data: [5, -3, 100, 0.5] };
    expect(reg.train(X, big, { iterations: 2, learningRate: 0.01 }).iterations).toBe(2);
    const bin = await Network.create({ ...NETS.bin, backend });
    expect(() => bin.train(X, big as Loose, { iterations: 2 })).toThrow(/every value of Y must be a finite number in \[0, 1\]/);
  });
});
