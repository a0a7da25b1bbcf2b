// Every optimizer's first steps, learning-rate decay and L2, against float64 values computed
// here from the textbook formulas on a network whose gradient is known in closed form: one
// sigmoid layer (logistic regression), where dW = (1/m)(A − Y)Xᵀ and db = (1/m)Σ(A − Y).
import { describe, expect, it } from 'vitest';
import { Network, type TrainOptions } from '../src/index.js';
import { BACKENDS, maxAbsDiff } from './support/helpers.js';

const m = 5;
const X = { rows: 2, cols: m, data: Float32Array.from([0.5, -1.2, 2.0, 0.3, -0.7, 1.5, 0.4, -0.9, -2.1, 0.8]) };
const Y = { rows: 1, cols: m, data: Float32Array.from([1, 0, 1, 1, 0]) };
const W0 = Float32Array.from([0.3, -0.6]);
const b0 = Float32Array.from([0.1]);

/** θ = [w1, w2, b]; returns J (with the L2 term) and ∇J, in float64 */
function costGrad(theta: number[], l2: number): { J: number; g: number[] } {
  const [w1, w2, b] = theta;
  const g = [0, 0, 0];
  let J = 0;
  for (let j = 0; j < m; j++) {
    const x1 = X.data[j], x2 = X.data[m + j], y = Y.data[j];
    const a = 1 / (1 + Math.exp(-(w1 * x1 + w2 * x2 + b)));
    J -= y * Math.log(a) + (1 - y) * Math.log(1 - a);
    g[0] += (a - y) * x1;
    g[1] += (a - y) * x2;
    g[2] += a - y;
  }
  return {
    J: J / m + (l2 / (2 * m)) * (w1 * w1 + w2 * w2),
    g: [g[0] / m + (l2 / m) * w1, g[1] / m + (l2 / m) * w2, g[2] / m],
  };
}

type Hyper = { beta?: number; beta1?: number; beta2?: number; epsilon?: number };

/** `steps` updates of the optimizer in float64, from zero state; lr(t) for step t = 0, 1, … */
function simulate(name: string, h: Hyper, lr: (t: number) => number, steps: number, l2 = 0, start = [W0[0], W0[1], b0[0]]) {
  let theta = [...start];
  let v = [0, 0, 0], s = [0, 0, 0];
  const costs: number[] = [];
  for (let t = 1; t <= steps; t++) {
    const { J, g } = costGrad(theta, l2);
    costs.push(J);
    const a = lr(t - 1);
    if (name === 'sgd') theta = theta.map((p, i) => p - a * g[i]);
    if (name === 'momentum') {
      v = v.map((x, i) => h.beta! * x + (1 - h.beta!) * g[i]);
      theta = theta.map((p, i) => p - a * v[i]);
    }
    if (name === 'rmsprop') {
      s = s.map((x, i) => h.beta! * x + (1 - h.beta!) * g[i] ** 2);
      theta = theta.map((p, i) => p - (a * g[i]) / (Math.sqrt(s[i]) + h.epsilon!));
    }
    if (name === 'adam') {
      v = v.map((x, i) => h.beta1! * x + (1 - h.beta1!) * g[i]);
      s = s.map((x, i) => h.beta2! * x + (1 - h.beta2!) * g[i] ** 2);
      const vHat = v.map((x) => x / (1 - h.beta1! ** t)), sHat = s.map((x) => x / (1 - h.beta2! ** t));
      theta = theta.map((p, i) => p - (a * vHat[i]) / (Math.sqrt(sHat[i]) + h.epsilon!));
    }
  }
  return { theta, costs };
}

// float32 parameters and gradients carry ~1e-7 relative rounding; after two steps of size ≤ lr·3
// the parameters (|θ| < 1) differ from float64 by a few 1e-7 (measured below 2e-7); costs are
// float64 sums of float32 terms (measured below 1e-7). 2e-6 leaves 10×; a wrong formula
// (β instead of 1 − β, a missing bias correction) moves the parameters by 1e-3 or more.
const TOL = 2e-6;

// the textbook defaults, restated here (not read from the code under test)
const DEFAULTS: Record<string, Hyper & { lr: number }> = {
  sgd: { lr: 0.1 },
  momentum: { lr: 0.1, beta: 0.9 },
  rmsprop: { lr: 0.001, beta: 0.9, epsilon: 1e-8 },
  adam: { lr: 0.001, beta1: 0.9, beta2: 0.999, epsilon: 1e-8 },
};

describe.each(BACKENDS)('optimizers on %s, against float64 formulas', (backend) => {
  async function trained(options: TrainOptions) {
    const net = await Network.create({ layers: [2, 1], activations: ['sigmoid'], backend });
    net.setParams([{ W: { rows: 1, cols: 2, data: W0 }, b: b0 }]);
    const r = net.train(X, Y, options);
    const [{ W, b }] = net.getParams();
    return { theta: [W.data[0], W.data[1], b[0]], costs: Array.from(r.costs), r };
  }

  it.each(Object.keys(DEFAULTS))('%s with its defaults (learning rate left out): the first two steps', async (name) => {
    const got = await trained({ iterations: 2, optimizer: name as 'sgd' });
    const want = simulate(name, DEFAULTS[name], () => DEFAULTS[name].lr, 2);
    expect(maxAbsDiff(got.theta, want.theta)).toBeLessThanOrEqual(TOL);
    expect(maxAbsDiff(got.costs, want.costs)).toBeLessThanOrEqual(TOL);
    // the parameters moved by far more than the tolerance, so the comparison means something
    expect(maxAbsDiff(want.theta, [W0[0], W0[1], b0[0]])).toBeGreaterThan(1e-4);
  });

  const OVERRIDES: [string, Hyper][] = [
    ['momentum', { beta: 0.5 }],
    ['rmsprop', { beta: 0.6, epsilon: 1e-3 }],
    ['adam', { beta1: 0.5, beta2: 0.9, epsilon: 1e-4 }],
    ['adam', { beta2: 0.8 }],
  ];
  it.each(OVERRIDES)('%s as an object %j overrides those defaults only (lr 0.05, two steps)', async (name, h) => {
    const got = await trained({ iterations: 2, learningRate: 0.05, optimizer: { name: name as 'adam', ...h } });
    const want = simulate(name, { ...DEFAULTS[name], ...h }, () => 0.05, 2);
    const withDefaults = simulate(name, DEFAULTS[name], () => 0.05, 2);
    expect(maxAbsDiff(got.theta, want.theta)).toBeLessThanOrEqual(TOL);
    expect(maxAbsDiff(want.theta, withDefaults.theta)).toBeGreaterThan(1e-4);
  });

  it('step decay (factor 0.5 every 2) and exponential decay (rate 0.8) of the learning rate, per iteration', async () => {
    const step = await trained({ iterations: 5, learningRate: 0.5, decay: { type: 'step', factor: 0.5, every: 2 } });
    const wantStep = simulate('sgd', {}, (t) => 0.5 * 0.5 ** Math.floor(t / 2), 5);
    expect(maxAbsDiff(step.theta, wantStep.theta)).toBeLessThanOrEqual(TOL);
    const exp = await trained({ iterations: 5, learningRate: 0.5, optimizer: 'momentum', decay: { type: 'exponential', rate: 0.8 } });
    const wantExp = simulate('momentum', { beta: 0.9 }, (t) => 0.5 * 0.8 ** t, 5);
    expect(maxAbsDiff(exp.theta, wantExp.theta)).toBeLessThanOrEqual(TOL);
    // without decay the result is clearly different
    expect(maxAbsDiff(simulate('sgd', {}, () => 0.5, 5).theta, wantStep.theta)).toBeGreaterThan(1e-3);
  });

  it('decay counts epochs in the epochs form: batchSize m makes one step per epoch', async () => {
    const got = await trained({ epochs: 4, batchSize: m, learningRate: 0.5, decay: { type: 'step', factor: 0.1, every: 1 } });
    const want = simulate('sgd', {}, (t) => 0.5 * 0.1 ** t, 4);
    expect(maxAbsDiff(got.theta, want.theta)).toBeLessThanOrEqual(TOL);
  });

  it.each(['sgd', 'adam'])('L2 (λ = 0.8) with %s: the cost has (λ/2m)‖W‖², the gradient (λ/m)·W, b is not decayed', async (name) => {
    const lr = name === 'sgd' ? 0.3 : 0.01;
    const got = await trained({ iterations: 2, learningRate: lr, optimizer: name as 'sgd', l2: 0.8 });
    const want = simulate(name, DEFAULTS[name], () => lr, 2, 0.8);
    expect(maxAbsDiff(got.theta, want.theta)).toBeLessThanOrEqual(TOL);
    expect(maxAbsDiff(got.costs, want.costs)).toBeLessThanOrEqual(TOL);
    expect(maxAbsDiff(simulate(name, DEFAULTS[name], () => lr, 2, 0).costs, want.costs)).toBeGreaterThan(1e-3);
  });

  it('each train() starts with fresh optimizer state (t = 1 again, v = s = 0)', async () => {
    const net = await Network.create({ layers: [2, 1], activations: ['sigmoid'], backend });
    net.setParams([{ W: { rows: 1, cols: 2, data: W0 }, b: b0 }]);
    net.train(X, Y, { iterations: 1, optimizer: 'adam', learningRate: 0.05 });
    net.train(X, Y, { iterations: 1, optimizer: 'adam', learningRate: 0.05 });
    const [{ W, b }] = net.getParams();
    const once = simulate('adam', DEFAULTS.adam, () => 0.05, 1).theta;
    const twiceFresh = simulate('adam', DEFAULTS.adam, () => 0.05, 1, 0, once).theta;
    const continued = simulate('adam', DEFAULTS.adam, () => 0.05, 2).theta;
    expect(maxAbsDiff([W.data[0], W.data[1], b[0]], twiceFresh)).toBeLessThanOrEqual(TOL);
    expect(maxAbsDiff(twiceFresh, continued)).toBeGreaterThan(1e-3);
  });
});
