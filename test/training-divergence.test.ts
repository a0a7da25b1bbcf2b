/**
 * A run never reports success with a non-finite parameter: every parameter is checked (Σ p² in
 * float64, finite exactly when each one is) at every progress check and at the end; a run whose
 * parameters or cost diverge throws an error naming the step and the learning rate; the
 * parameters are kept when all are still finite, else put back to the last state where they were.
 */
import { describe, expect, it } from 'vitest';
import { Network } from '../src/index.js';
import { BACKENDS, bitEqual } from './support/helpers.js';

const allFinite = (n: Network) => n.getParams().every((p) => p.W.data.every(Number.isFinite) && p.b.every(Number.isFinite));

describe.each(BACKENDS)('divergence (backend %s)', (backend) => {
  // one linear unit, x = 1e19: a = w·x ≈ 1e17 gives a finite cost (½a², in float64), but the
  // update w −= 1000·a·x overflows float32 to −Infinity. Only the cost was checked, before each
  // update, which a check of the cost alone would let end stopped: 'done' with W = −Infinity.
  const X = { rows: 1, cols: 1, data: [1e19] }, Y = { rows: 1, cols: 1, data: [0] };

  it('the last update overflows: an error naming the step and the learning rate, the parameters as before', async () => {
    const net = await Network.create({ layers: [1, 1], activations: ['linear'], backend, seed: 1 });
    const before = net.getParams();
    expect(() => net.train(X, Y, { iterations: 1, learningRate: 1000 }))
      .toThrow(/^Network\.train: a parameter became infinite by step 1 \(learning rate 1000\); the parameters diverged\. They are restored as they were before training; try a smaller learningRate than 1000/);
    expect(allFinite(net)).toBe(true);
    expect(bitEqual(net.getParams()[0].W.data, before[0].W.data)).toBe(true);
    // and the network still saves and loads
    await expect(Network.fromJSON(JSON.stringify(net), { backend })).resolves.toBeInstanceOf(Network);
  });

  it('mid-run, in mini-batches: restored to the parameters of the last check where all were finite', async () => {
    const net = await Network.create({ layers: [1, 1], activations: ['linear'], backend, seed: 1 });
    // one column per step, in order: two small x, then 1e16 (w jumps to about −1e33, still
    // finite) and 1e19 (a overflows): the run fails inside its first epoch or at its first check
    const Xs = { rows: 1, cols: 4, data: [1e-3, 2e-3, 1e16, 1e19] }, Ys = { rows: 1, cols: 4, data: [0, 0, 0, 0] };
    const atChecks: Float32Array[] = [];
    let error = '';
    try {
      net.train(Xs, Ys, { epochs: 5, batchSize: 1, shuffle: false, learningRate: 1000, onProgress: () => { atChecks.push(net.getParams()[0].W.data); } });
    } catch (e) {
      error = (e as Error).message;
    }
    expect(error).toMatch(/^Network\.train: (a parameter became (infinite|NaN) by step \d+|the cost became (Infinity|NaN) at step \d+) \(learning rate 1000\); the parameters diverged\. They are (restored|kept) as they were (before training|after step \d+)/);
    expect(allFinite(net)).toBe(true);
    // put back to the state the last check saw (or, with none yet, to the start); or, when every
    // parameter was still finite (a cost that overflowed), kept as they were
    if (/restored as they were after step/.test(error)) expect(bitEqual(net.getParams()[0].W.data, atChecks[atChecks.length - 1])).toBe(true);
  });

  it('the cost diverging: the same error form, and the parameters restored', async () => {
    const net = await Network.create({ layers: [2, 8, 1], activations: ['relu', 'linear'], backend, seed: 3 });
    const Xb = { rows: 2, cols: 3, data: [1e15, -2e15, 3e15, 1e15, 2e15, -1e15] }, Yb = { rows: 1, cols: 3, data: [1, 2, 3] };
    expect(() => net.train(Xb, Yb, { iterations: 50, learningRate: 10, progressEvery: 1 }))
      .toThrow(/\(learning rate 10\); the parameters diverged\. They are (restored|kept) as they were/);
    expect(allFinite(net)).toBe(true);
  });

  it('a run that stays finite is untouched by the check: the same bits as forward, backward, update by hand', async () => {
    const a = await Network.create({ layers: [2, 4, 1], backend, seed: 2 });
    const b = await Network.create({ layers: [2, 4, 1], backend, seed: 2 });
    const Xf = { rows: 2, cols: 4, data: [0, 1, 0, 1, 0, 0, 1, 1] }, Yf = { rows: 1, cols: 4, data: [0, 1, 1, 0] };
    const r = a.train(Xf, Yf, { iterations: 200, learningRate: 1, progressEvery: 1 });
    for (let i = 0; i < 200; i++) b.forward(Xf), b.backward(Yf), b.update(1);
    expect(r.stopped).toBe('done');
    a.getParams().forEach((p, l) => {
      expect(bitEqual(p.W.data, b.getParams()[l].W.data)).toBe(true);
      expect(bitEqual(p.b, b.getParams()[l].b)).toBe(true);
    });
  });
});
