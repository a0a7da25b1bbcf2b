// Training beyond the course's loop: softmax on a 3-class spiral, mini-batches on the flower,
// regression, dropout, validation, early stopping, progress, stopping by callback and by signal,
// determinism and wasm/js parity of the seeded parts. Both backends.
import { describe, expect, it } from 'vitest';
import { Network, accuracy, datasets, type Matrix, type TrainProgress } from '../src/index.js';
import { BACKENDS, bitEqual, maxAbsDiff } from './support/helpers.js';

const paramsOf = (net: Network) => net.getParams().flatMap((p) => [p.W.data, p.b]);
const sameBits = (a: Float32Array[], b: Float32Array[]) => a.length === b.length && a.every((x, i) => bitEqual(x, b[i]));

describe('datasets.spiral with classes', () => {
  it('3 arms: labels 0, 1, 2 in equal shares, points within radius 1; classes 2 is the old spiral bit for bit', () => {
    const { X, Y } = datasets.spiral({ m: 301, classes: 3, seed: 4 });
    const counts = [0, 0, 0];
    Y.data.forEach((y) => counts[y]++);
    expect(counts).toEqual([100, 100, 101]);
    for (let j = 0; j < 301; j++) expect(Math.hypot(X.data[j], X.data[301 + j])).toBeLessThanOrEqual(1 + 1e-6);
    const a = datasets.spiral({ m: 50, seed: 3 }), b = datasets.spiral({ m: 50, seed: 3, classes: 2 });
    expect(bitEqual(a.X.data, b.X.data) && bitEqual(a.Y.data, b.Y.data)).toBe(true);
    expect(() => datasets.spiral({ classes: 1 })).toThrow(/datasets\.spiral: classes must be an integer from 2 to 10; got 1/);
  });
});

describe.each(BACKENDS)('training options on %s', (backend) => {
  it('3-class spiral, softmax output, adam, mini-batches of 30: ≥ 95% training accuracy', async () => {
    const { X, Y } = datasets.spiral({ m: 300, classes: 3, seed: 1 });
    const net = await Network.create({ layers: [2, 32, 16, 3], activations: ['relu', 'relu', 'softmax'], backend, seed: 1 });
    net.init({ scheme: 'he' });
    expect(net.loss).toBe('cce');
    const r = net.train(X, Y.data, { epochs: 250, batchSize: 30, optimizer: 'adam', learningRate: 0.02 });
    expect(r.stopped).toBe('done');
    expect(r.epochs).toBe(250);
    expect(r.iterations).toBe(2500);
    expect(r.epochCosts!.length).toBe(250);
    // from ln 3 (uniform guesses) down
    expect(r.epochCosts![0]).toBeLessThan(Math.log(3) + 0.1);
    expect(r.epochCosts![249]).toBeLessThan(0.2);
    const pred = net.predict(X);
    expect([pred.rows, pred.cols]).toEqual([1, 300]);
    expect(pred.data.every((c) => c === 0 || c === 1 || c === 2)).toBe(true);
    expect(accuracy(pred, Y)).toBeGreaterThanOrEqual(0.95);
    // predictProba: every column a distribution
    const P = net.predictProba(X);
    for (let j = 0; j < 300; j++) expect(Math.abs(P.data[j] + P.data[300 + j] + P.data[600 + j] - 1)).toBeLessThanOrEqual(3 * 2 ** -24 * 2);
  });

  it('the flower in mini-batches of 32 (momentum, shuffled each epoch): ≥ 88%', async () => {
    const { X, Y } = datasets.flower();
    const net = await Network.create({ layers: [2, 8, 1], activations: ['tanh', 'sigmoid'], backend, seed: 2 });
    const r = net.train(X, Y, { epochs: 200, batchSize: 32, optimizer: 'momentum', learningRate: 0.3 });
    expect(r.iterations).toBe(200 * 13); // ⌈400 / 32⌉ = 13 steps per epoch, the last of 16 columns
    expect(accuracy(net.predict(X), Y)).toBeGreaterThanOrEqual(0.88);
  });

  it('linear output + MSE fits a regression (y = sin 3x on [−1, 1]) to a small cost', async () => {
    const m = 64;
    const x = Float32Array.from({ length: m }, (_, j) => -1 + (2 * j) / (m - 1));
    const X = { rows: 1, cols: m, data: x }, Y = { rows: 1, cols: m, data: x.map((v) => Math.sin(3 * v)) };
    const net = await Network.create({ layers: [1, 16, 1], activations: ['tanh', 'linear'], backend, seed: 3 });
    net.init({ scheme: 'xavier' });
    expect(net.loss).toBe('mse');
    const r = net.train(X, Y, { epochs: 400, batchSize: 16, optimizer: 'adam', learningRate: 0.02 });
    // cost = MSE/2, ≈ Var(y)/2 ≈ 0.2 at the start; below 2.5e-3 means an RMS error below 0.071
    expect(r.epochCosts![0]).toBeGreaterThan(0.05);
    expect(r.epochCosts![399]).toBeLessThan(2.5e-3);
    const out = net.predict(X);
    expect(maxAbsDiff(out.data, Y.data)).toBeLessThan(0.15);
  });

  it('{ epochs: n, batchSize: m } without shuffling is { iterations: n }: the same bits', async () => {
    const { X, Y } = datasets.flower({ m: 100 });
    const a = await Network.create({ layers: [2, 4, 1], backend, seed: 2 });
    const b = await Network.create({ layers: [2, 4, 1], backend, seed: 2 });
    const ra = a.train(X, Y, { iterations: 30, learningRate: 1.2 });
    const rb = b.train(X, Y, { epochs: 30, batchSize: 100, learningRate: 1.2 });
    expect(bitEqual(new Float32Array(ra.costs), new Float32Array(rb.costs))).toBe(true);
    expect(sameBits(paramsOf(a), paramsOf(b))).toBe(true);
  });

  it('a run longer than the first cost buffer (2^16 steps) records every step', async () => {
    const X = { rows: 2, cols: 4, data: [0.5, -1, 1.5, 2, -0.3, 0.8, 0.1, -2] }, Y = { rows: 1, cols: 4, data: [1, 0, 1, 0] };
    const net = await Network.create({ layers: [2, 1], activations: ['sigmoid'], backend });
    const r = net.train(X, Y, { epochs: 35_000, batchSize: 2, shuffle: false, learningRate: 0.05 });
    expect(r.iterations).toBe(70_000);
    expect(r.costs.length).toBe(70_000);
    expect(r.epochCosts!.length).toBe(35_000);
    expect(r.costs.every((c) => c > 0 && Number.isFinite(c))).toBe(true);
    // unshuffled batches alternate, so the last cost is that of the second half of the data
    const again = await Network.create({ layers: [2, 1], activations: ['sigmoid'], backend });
    again.setParams(net.getParams());
    again.forward({ rows: 2, cols: 2, data: [1.5, 2, 0.1, -2] });
    expect(r.costs[69_999]).toBeGreaterThan(again.cost({ rows: 1, cols: 2, data: [1, 0] })); // one more step lowers it
  });

  it('seeded: shuffling + dropout + adam give bit-identical runs for the same seed, different ones for another seed', async () => {
    const { X, Y } = datasets.flower({ m: 120 });
    const run = async (seed: number) => {
      const net = await Network.create({ layers: [2, 10, 6, 1], activations: ['relu', 'tanh', 'sigmoid'], backend, seed: 5 });
      const r = net.train(X, Y, { epochs: 5, batchSize: 25, optimizer: 'adam', learningRate: 0.01, dropout: [0.3, 0.2], seed });
      return { costs: new Float32Array(r.costs), params: paramsOf(net) };
    };
    const [a, b, c] = [await run(7), await run(7), await run(8)];
    expect(bitEqual(a.costs, b.costs) && sameBits(a.params, b.params)).toBe(true);
    expect(bitEqual(a.costs, c.costs)).toBe(false);
  });

  it('dropout acts in training only: predict is deterministic and equals a plain forward pass', async () => {
    const { X, Y } = datasets.flower({ m: 200 });
    const net = await Network.create({ layers: [2, 16, 1], activations: ['tanh', 'sigmoid'], backend, seed: 2 });
    const r = net.train(X, Y, { epochs: 60, batchSize: 50, optimizer: 'adam', learningRate: 0.02, dropout: 0.2 });
    expect(r.epochCosts![59]).toBeLessThan(r.epochCosts![0] * 0.8);
    const p1 = net.predictProba(X), p2 = net.predictProba(X);
    expect(bitEqual(p1.data, p2.data)).toBe(true);
    // training with dropout: the cost of each step is of a thinned network, so it differs from
    // the cost of the full network on the same parameters
    const plain = await Network.create({ layers: [2, 16, 1], activations: ['tanh', 'sigmoid'], backend, seed: 2 });
    const drop = await Network.create({ layers: [2, 16, 1], activations: ['tanh', 'sigmoid'], backend, seed: 2 });
    const c0 = plain.train(X, Y, { iterations: 1, learningRate: 0.1 }).costs[0];
    const c1 = drop.train(X, Y, { iterations: 1, learningRate: 0.1, dropout: 0.5 }).costs[0];
    expect(c1).not.toBe(c0);
  });

  it('onProgress: epoch, iteration, cost, accuracy, validation cost and accuracy; returning false stops', async () => {
    const { X, Y } = datasets.flower();
    const net = await Network.create({ layers: [2, 6, 1], backend, seed: 2 });
    const seen: TrainProgress[] = [];
    const r = net.train(X, Y, {
      epochs: 20, batchSize: 40, optimizer: 'adam', learningRate: 0.02, validation: 0.25,
      onProgress: (p) => { seen.push(p); return p.epoch < 4; },
    });
    expect(r.stopped).toBe('callback');
    expect(r.epochs).toBe(4);
    expect(seen.map((p) => p.epoch)).toEqual([1, 2, 3, 4]);
    // 300 training columns after holding out 100: ⌈300/40⌉ = 8 steps per epoch
    expect(seen.map((p) => p.iteration)).toEqual([8, 16, 24, 32]);
    expect(seen[0].iterations).toBe(160);
    expect(seen[0].epochs).toBe(20);
    for (const p of seen) {
      expect(p.accuracy).toBeGreaterThanOrEqual(0);
      expect(p.accuracy).toBeLessThanOrEqual(1);
      expect(p.validationAccuracy).toBeGreaterThanOrEqual(0);
      expect(Number.isFinite(p.validationCost)).toBe(true);
    }
    expect(Array.from(r.validationCosts!)).toEqual(seen.map((p) => p.validationCost));
    expect(Array.from(r.epochCosts!)).toEqual(seen.map((p) => p.cost));
    // the epoch cost is the batch-size-weighted mean of the steps' costs (7 batches of 40, one of 20)
    const c = r.costs.subarray(0, 8);
    const mean = (c.subarray(0, 7).reduce((s, x) => s + x, 0) * 40 + c[7] * 20) / 300;
    expect(Math.abs(seen[0].cost - mean)).toBeLessThanOrEqual(1e-12);
  });

  it('validation { X, Y }: the reported validation cost and accuracy are those of cost() and predict() on it', async () => {
    const train = datasets.flower({ m: 200, seed: 1 }), held = datasets.flower({ m: 60, seed: 9 });
    const net = await Network.create({ layers: [2, 6, 1], backend, seed: 2 });
    let last: TrainProgress | undefined;
    net.train(train.X, train.Y, { epochs: 5, batchSize: 50, learningRate: 0.5, validation: held, onProgress: (p) => { last = p; } });
    net.forward(held.X);
    expect(Math.abs(last!.validationCost! - net.cost(held.Y))).toBeLessThanOrEqual(1e-12);
    expect(last!.validationAccuracy).toBe(accuracy(net.predict(held.X), held.Y));
  });

  it('early stopping: stops after `patience` checks without improvement and restores the best parameters', async () => {
    const { X, Y } = datasets.flower({ m: 200 });
    // validation labels are the complement: the better the network fits X, the worse it does there
    const Yflip: Matrix = { rows: 1, cols: 200, data: Y.data.map((y) => 1 - y) };
    const net = await Network.create({ layers: [2, 6, 1], backend, seed: 2 });
    const r = net.train(X, Y, {
      epochs: 100, batchSize: 50, optimizer: 'adam', learningRate: 0.05,
      validation: { X, Y: Yflip }, earlyStopping: { patience: 3 },
    });
    expect(r.stopped).toBe('earlyStopping');
    const v = Array.from(r.validationCosts!);
    const best = v.indexOf(Math.min(...v));
    expect(r.epochs).toBe(best + 1 + 3);
    expect(v.length).toBe(r.epochs);
    // the parameters now are those after epoch best + 1: their validation cost is the minimum
    net.forward(X);
    expect(Math.abs(net.cost(Yflip) - v[best])).toBeLessThanOrEqual(1e-12);
  });

  it('an already-aborted signal: nothing runs, the parameters are unchanged', async () => {
    const { X, Y } = datasets.flower({ m: 100 });
    const net = await Network.create({ layers: [2, 4, 1], backend, seed: 2 });
    const before = paramsOf(net);
    const ac = new AbortController();
    ac.abort();
    const r = net.train(X, Y, { epochs: 10, batchSize: 10, signal: ac.signal });
    expect(r.stopped).toBe('aborted');
    expect(r.iterations).toBe(0);
    expect(sameBits(paramsOf(net), before)).toBe(true);
    const ra = await net.trainAsync(X, Y, { iterations: 10, signal: ac.signal });
    expect([ra.stopped, ra.iterations]).toEqual(['aborted', 0]);
  });

  it('trainAsync: a setTimeout abort stops it cleanly mid-way; timers run while it trains; the network stays usable', async () => {
    const { X, Y } = datasets.flower();
    const net = await Network.create({ layers: [2, 16, 1], backend, seed: 2 });
    const ac = new AbortController();
    let ticks = 0;
    const tick = setInterval(() => { ticks++; }, 1);
    setTimeout(() => ac.abort(), 30);
    const r = await net.trainAsync(X, Y, { epochs: 1_000_000, batchSize: 50, optimizer: 'adam', signal: ac.signal });
    clearInterval(tick);
    expect(r.stopped).toBe('aborted');
    expect(r.iterations).toBeGreaterThan(0);
    expect(r.iterations).toBeLessThan(8_000_000);
    expect(r.costs.length).toBe(r.iterations);
    expect(ticks).toBeGreaterThan(0);
    expect(net.predict(X).cols).toBe(400);
  });

  it('while a trainAsync runs, another train or trainAsync on the same network is refused', async () => {
    const { X, Y } = datasets.flower({ m: 100 });
    const net = await Network.create({ layers: [2, 5, 1], backend, seed: 2 });
    const ac = new AbortController();
    // runs ~10 ms synchronously, then yields: the promise comes back while it is still training
    const pending = net.trainAsync(X, Y, { epochs: 1_000_000, batchSize: 10, signal: ac.signal });
    expect(() => net.train(X, Y, { iterations: 1 })).toThrow(/Network\.train: a trainAsync\(\) on this network is still running/);
    await expect(net.trainAsync(X, Y, { iterations: 1 })).rejects.toThrow(/Network\.trainAsync: a trainAsync\(\) on this network is still running/);
    ac.abort();
    expect((await pending).stopped).toBe('aborted');
    expect(net.train(X, Y, { iterations: 1 }).iterations).toBe(1);
  });

  it('trainAsync gives the same bits as train; a second train while one runs is refused', async () => {
    const { X, Y } = datasets.flower({ m: 150 });
    const a = await Network.create({ layers: [2, 5, 1], backend, seed: 2 });
    const b = await Network.create({ layers: [2, 5, 1], backend, seed: 2 });
    const opts = { epochs: 30, batchSize: 16, optimizer: 'rmsprop' as const, learningRate: 0.01, dropout: 0.1, l2: 0.01 };
    const ra = a.train(X, Y, opts);
    const rb = await b.trainAsync(X, Y, opts);
    expect(bitEqual(new Float32Array(ra.costs), new Float32Array(rb.costs))).toBe(true);
    expect(sameBits(paramsOf(a), paramsOf(b))).toBe(true);
  });
});

describe('wasm vs js with the seeded parts (shuffling, dropout masks, validation split)', () => {
  it('30 epochs of adam + dropout + l2 + validation: costs and parameters agree to float32 tolerance', async () => {
    const { X, Y } = datasets.spiral({ m: 150, classes: 3, seed: 2 });
    const make = (backend: 'wasm' | 'js') => Network.create({ layers: [2, 12, 8, 3], activations: ['tanh', 'relu', 'softmax'], backend, seed: 4 })
      .then((n) => n.init({ scheme: 'xavier' }));
    const [w, j] = await Promise.all([make('wasm'), make('js')]);
    const opts = { epochs: 30, batchSize: 20, optimizer: 'adam' as const, learningRate: 0.05, dropout: [0.2, 0.1], l2: 0.01, validation: 0.2 };
    const rw = w.train(X, Y.data, opts), rj = j.train(X, Y.data, opts);
    // the masks and the permutations come from the same JS generator on both backends, so the
    // runs differ only by float32 rounding order and exp/tanh ulps (parity.test.ts: ~1e-7 per
    // step); over these 180 steps the costs differ by 1e-7 (measured); 1e-4 as in parity.test.ts
    expect(maxAbsDiff(rw.costs, rj.costs)).toBeLessThanOrEqual(1e-4);
    expect(maxAbsDiff(rw.validationCosts!, rj.validationCosts!)).toBeLessThanOrEqual(1e-4);
    paramsOf(w).forEach((p, l) => expect(maxAbsDiff(p, paramsOf(j)[l])).toBeLessThanOrEqual(1e-4));
    // they learned (not two idle networks compared)
    expect(rw.epochCosts![29]).toBeLessThan(rw.epochCosts![0] - 0.03);
  });
});
