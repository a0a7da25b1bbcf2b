// Backprop of the softmax, linear and sigmoid-with-MSE outputs and losses (softmax + CCE, linear + MSE, sigmoid + MSE) and of
// the L2 term against central differences of a float64 reference; and the exported
// gradientCheck on correct and on deliberately wrong gradients. Both backends.
import { describe, expect, it } from 'vitest';
import { Network, gradientCheck, type Activation, type Loss, type Matrix } from '../src/index.js';
import { createRng } from '../src/util/rng.js';
import { BACKENDS } from './support/helpers.js';
import { relativeDifference, type Params64 } from './support/reference.js';
import { cost64x, numericGrad64x } from './support/reference-losses.js';

interface Case { name: string; layers: number[]; acts: Activation[]; loss?: Loss }
const CASES: Case[] = [
  { name: 'softmax + CCE, tanh hidden, 3 classes', layers: [3, 5, 3], acts: ['tanh', 'softmax'] },
  { name: 'softmax + CCE, relu/sigmoid hidden, 4 classes', layers: [3, 6, 5, 4], acts: ['relu', 'sigmoid', 'softmax'] },
  { name: 'linear + MSE, tanh hidden, 2 outputs', layers: [3, 7, 2], acts: ['tanh', 'linear'] },
  { name: 'linear + MSE, leakyRelu hidden, 1 output', layers: [3, 5, 6, 1], acts: ['leakyRelu', 'tanh', 'linear'] },
  { name: 'sigmoid + MSE (loss option), tanh hidden', layers: [3, 5, 2], acts: ['tanh', 'sigmoid'], loss: 'mse' },
  { name: 'sigmoid + BCE', layers: [3, 5, 1], acts: ['tanh', 'sigmoid'] },
];

function problem(c: Case, m: number, seed: number) {
  const rng = createRng(seed);
  const { layers } = c;
  const nX = layers[0], nY = layers[layers.length - 1];
  const out = c.acts[c.acts.length - 1];
  const X: Matrix = { rows: nX, cols: m, data: Float32Array.from({ length: nX * m }, () => rng.normal()) };
  const classes = Array.from({ length: m }, () => Math.floor(rng.uniform() * nY));
  const Y = new Float32Array(nY * m);
  if (out === 'softmax') classes.forEach((k, j) => { Y[k * m + j] = 1; });
  else if (out === 'linear') Y.forEach((_, i) => { Y[i] = 2 * rng.normal(); });
  else Y.forEach((_, i) => { Y[i] = rng.uniform() < 0.5 ? 1 : 0; });
  const params = layers.slice(1).map((n, l) => ({
    W: { rows: n, cols: layers[l], data: Float32Array.from({ length: n * layers[l] }, () => rng.normal() * Math.sqrt(1.5 / layers[l])) },
    b: Float32Array.from({ length: n }, () => rng.uniform() - 0.5),
  }));
  return { X, Y: { rows: nY, cols: m, data: Y }, classes, params };
}

const loss64 = (c: Case) => c.loss ?? ({ sigmoid: 'bce', softmax: 'cce', linear: 'mse' } as const)[c.acts[c.acts.length - 1] as 'sigmoid'];

describe.each(BACKENDS)('gradients of every output and loss, with L2, on %s', (backend) => {
  it.each(CASES.flatMap((c) => [1, 23].flatMap((m) => [0, 0.7].map((l2) => [c.name, m, l2, c] as const))))(
    '%s, m = %i, l2 = %s',
    async (_name, m, l2, c) => {
      const { X, Y, params } = problem(c, m, c.layers.length * 31 + m);
      const net = await Network.create({ layers: c.layers, activations: c.acts, backend, loss: c.loss });
      net.setParams(params);
      net.forward(X);
      const J = net.cost(Y, { l2 });
      net.backward(Y, { l2 });
      const grads = net.getGrads().flatMap((g) => [...g.dW.data, ...g.db]);
      const p64: Params64 = { W: params.map((p) => Float64Array.from(p.W.data)), b: params.map((p) => Float64Array.from(p.b)) };
      const J64 = cost64x(c.layers, c.acts, loss64(c), p64, X, Y.data, l2);
      // float32 forward vs float64: relative 1e-5 is ~100 roundings of u = 6e-8, more than these
      // small networks accumulate (as in gradcheck.test.ts)
      expect(Math.abs(J - J64)).toBeLessThanOrEqual(1e-5 * J64);
      // float64 central differences (h = 1e-6) are exact to ~1e-9; float32 backprop carries ~1e-6
      // relative rounding: 1e-4 separates rounding from a wrong term (a missing λ/m or 1/m, a
      // wrong output delta give 1e-2 and more)
      const diff = relativeDifference(grads, numericGrad64x(c.layers, c.acts, loss64(c), p64, X, Y.data, l2));
      expect(diff).toBeLessThan(1e-4);
      net.dispose();
    },
  );

  it('softmax with Y as class indices gives the same cost and gradients (bits) as one-hot Y', async () => {
    const c = CASES[1];
    const { X, Y, classes, params } = problem(c, 17, 5);
    const net = await Network.create({ layers: c.layers, activations: c.acts, backend });
    net.setParams(params);
    const run = (y: unknown) => {
      net.forward(X);
      const J = net.cost(y as Matrix);
      net.backward(y as Matrix);
      return [J, ...net.getGrads().flatMap((g) => [...g.dW.data, ...g.db])];
    };
    const oneHot = run(Y);
    expect(run(classes)).toEqual(oneHot);
    expect(run(Float64Array.from(classes))).toEqual(oneHot);
    expect(run({ rows: 1, cols: 17, data: classes })).toEqual(oneHot);
  });
});

describe.each(BACKENDS)('the exported gradientCheck on %s', (backend) => {
  // measured on these networks: 2e-6 … 3e-5 (float32 forward, ε = 3e-3; see the doc comment);
  // 1e-4 leaves 3× and more, and is the course's "correct" threshold
  const OK = 1e-4;
  it.each(CASES.map((c) => [c.name, c] as const))('%s: < 1e-4, with and without L2, and the parameters are restored bit for bit', async (_n, c) => {
    const { X, Y, params } = problem(c, 9, 77);
    const net = await Network.create({ layers: c.layers, activations: c.acts, backend, loss: c.loss });
    net.setParams(params);
    expect(gradientCheck(net, X, Y)).toBeLessThan(OK);
    expect(gradientCheck(net, X, Y, { l2: 0.5 })).toBeLessThan(OK);
    net.getParams().forEach((p, l) => {
      expect(p.W.data).toEqual(params[l].W.data);
      expect(p.b).toEqual(params[l].b);
    });
  });

  it('a wrong gradient gives a large value: missing 1/m, a wrong Y in backprop, a dropped L2 term', async () => {
    const c = CASES[0];
    const m = 9;
    const { X, Y, params } = problem(c, m, 78);
    const make = async () => {
      const net = await Network.create({ layers: c.layers, activations: c.acts, backend });
      net.setParams(params);
      return net;
    };
    // the correct value first, so that the broken ones are compared with something that passes
    expect(gradientCheck(await make(), X, Y)).toBeLessThan(OK);

    // 1. dW without the 1/m: the instance's getGrads is wrapped to scale dW by m
    const a = await make();
    const getGrads = a.getGrads.bind(a);
    a.getGrads = () => getGrads().map((g) => ({ dW: { ...g.dW, data: g.dW.data.map((x) => x * m) }, db: g.db }));
    expect(gradientCheck(a, X, Y)).toBeGreaterThan(0.3);

    // 2. backprop run against other labels than the cost (classes shifted by one)
    const b = await make();
    const backward = b.backward.bind(b);
    const shifted = { rows: 3, cols: m, data: Float32Array.from({ length: 3 * m }, (_, i) => Y.data[((Math.floor(i / m) + 1) % 3) * m + (i % m)]) };
    b.backward = (_y, o) => backward(shifted, o);
    expect(gradientCheck(b, X, Y)).toBeGreaterThan(0.3);

    // 3. the L2 term left out of backprop while the cost has it
    const d = await make();
    const backwardD = d.backward.bind(d);
    d.backward = (y) => backwardD(y);
    expect(gradientCheck(d, X, Y, { l2: 5 })).toBeGreaterThan(0.05);
  });
});

// Inverted dropout's backward: the masks of a 1-step { iterations: 1 } run are the first draws of
// createRng(seed), layer by layer (no shuffle, no validation split draws before them). The test
// redraws them, differentiates a float64 forward pass with those masks numerically, and compares
// with the step the network took: with sgd and learning rate 1, θ0 − θ1 = ∇J.
describe.each(BACKENDS)('dropout gradient on %s', (backend) => {
  it('one sgd step with dropout [0.3, 0.5] equals the float64 gradient of the thinned network', async () => {
    const layers = [3, 6, 5, 1], acts: Activation[] = ['tanh', 'relu', 'sigmoid'];
    const drop = [0.3, 0.5], m = 7, seed = 12;
    const c: Case = { name: 'dropout', layers, acts };
    const { X, Y, params } = problem(c, m, 99);
    const net = await Network.create({ layers, activations: acts, backend });
    net.setParams(params);
    net.train(X, Y, { iterations: 1, learningRate: 1, dropout: drop, seed });
    const after = net.getParams().flatMap((p) => [...p.W.data, ...p.b]);
    const before = params.flatMap((p) => [...p.W.data, ...p.b]);
    const step = before.map((x, i) => x - after[i]);

    const rng = createRng(seed);
    const masks = drop.map((p, l) => Float64Array.from({ length: layers[l + 1] * m }, () => (rng.uniform() < 1 - p ? 1 : 0)));
    const p64: Params64 = { W: params.map((p) => Float64Array.from(p.W.data)), b: params.map((p) => Float64Array.from(p.b)) };
    const g = (l: number, z: number) => (acts[l] === 'tanh' ? Math.tanh(z) : acts[l] === 'relu' ? Math.max(0, z) : 1 / (1 + Math.exp(-z)));
    const cost = () => {
      let A = Float64Array.from(X.data);
      let Z = A;
      for (let l = 0; l < 3; l++) {
        const nIn = layers[l], nOut = layers[l + 1];
        Z = new Float64Array(nOut * m);
        for (let i = 0; i < nOut; i++) for (let j = 0; j < m; j++) {
          let s = p64.b[l][i];
          for (let k = 0; k < nIn; k++) s += p64.W[l][i * nIn + k] * A[k * m + j];
          Z[i * m + j] = s;
        }
        A = Z.map((z, i) => g(l, z) * (l < 2 ? masks[l][i] / (1 - drop[l]) : 1));
      }
      let s = 0;
      for (let i = 0; i < m; i++) s -= Y.data[i] * Math.log(A[i]) + (1 - Y.data[i]) * Math.log(1 - A[i]);
      return s / m;
    };
    const numeric: number[] = [];
    for (let l = 0; l < 3; l++) {
      for (const t of [p64.W[l], p64.b[l]]) {
        for (let i = 0; i < t.length; i++) {
          const keep = t[i];
          t[i] = keep + 1e-6;
          const up = cost();
          t[i] = keep - 1e-6;
          const down = cost();
          t[i] = keep;
          numeric.push((up - down) / 2e-6);
        }
      }
    }
    // both masks really drop something, so the test is not of a network without dropout
    expect(masks.every((mk) => mk.includes(0) && mk.includes(1))).toBe(true);
    // float32 backprop (~1e-6 relative) and θ0 − θ1 read back from float32 parameters (|θ| ≲ 1,
    // an ulp ~6e-8 against gradients ~1e-2): 1e-4 as for the other gradient checks (measured
    // 8e-8); the same comparison with the masks left out of the reference gives 0.49
    expect(relativeDifference(step, numeric)).toBeLessThan(1e-4);
  });
});
