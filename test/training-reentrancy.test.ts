/**
 * What onProgress (and, for trainAsync, code between its slices) may do, and that whatever it
 * does the run's result is what it would have been — or the run stops with an error saying why.
 * Reading the network (forward, predict, predictProba, cost, backward, getParams, toJSON) changes
 * nothing, not even the dropout stream; changing the caller's X or Y changes nothing (the run
 * copied them); changing the parameters (init, setParams, update, a nested train) throws; and
 * dispose() stops the run with an error instead of finishing it as 'done'.
 */
import { describe, expect, it } from 'vitest';
import { Network, datasets, type Matrix, type TrainOptions, type TrainResult } from '../src/index.js';
import { BACKENDS, bitEqual } from './support/helpers.js';

type BackendName = (typeof BACKENDS)[number];

const { X, Y } = datasets.flower({ m: 120, seed: 3 });
const OTHER = datasets.circles({ m: 50, seed: 9 }).X;
const BIG = datasets.moons({ m: 500, seed: 4 }).X; // more columns than the run's batch: forward replans the arena

async function net(backend: BackendName, hidden = 6): Promise<Network> {
  const n = await Network.create({ layers: [2, hidden, hidden, 1], activations: ['tanh', 'relu', 'sigmoid'], backend, seed: 5 });
  n.init({ scheme: 'xavier' });
  return n;
}

/** Everything a run produced, as bits: costs, epoch and validation costs, and the final parameters. */
function outcome(n: Network, r: TrainResult): string[] {
  const f = (a: ArrayLike<number> | undefined) => (a ? Buffer.from(Float64Array.from(a).buffer).toString('hex') : '-');
  return [r.stopped, String(r.iterations), f(r.costs), f(r.epochCosts), f(r.validationCosts),
    ...n.getParams().flatMap((p) => [f(p.W.data), f(p.b)])];
}

/** The run twice from the same start: once with a callback that only counts, once with `meddle` in it. */
async function twice(backend: BackendName, options: TrainOptions, meddle: (n: Network) => void, data: { X: Matrix; Y: Matrix } = { X, Y }) {
  const a = await net(backend), b = await net(backend);
  let calls = 0;
  const ra = a.train(data.X, data.Y, { ...options, onProgress: () => { calls++; } });
  const rb = b.train(data.X, data.Y, { ...options, onProgress: () => { meddle(b); } });
  expect(calls).toBeGreaterThan(1);
  return { plain: outcome(a, ra), meddled: outcome(b, rb) };
}

describe.each(BACKENDS)('onProgress may read the network: the run is unchanged, bit for bit (backend %s)', (backend) => {
  const reads = (n: Network) => {
    n.forward(OTHER);
    n.predict(BIG); // replans the arena for 500 columns
    n.predictProba(X);
    n.forward(OTHER);
    n.cost({ rows: 1, cols: 50, data: new Float32Array(50).fill(1) });
    n.backward({ rows: 1, cols: 50, data: new Float32Array(50) });
    n.getGrads();
    n.getParams();
    JSON.stringify(n);
  };

  it('full batch, with the calls writing the batch region that holds the resident training data', async () => {
    const { plain, meddled } = await twice(backend, { iterations: 300, learningRate: 0.5, progressEvery: 7 }, reads);
    expect(meddled).toEqual(plain);
  });

  it('mini-batches with adam, decay, L2 and a validation split', async () => {
    const opts: TrainOptions = { epochs: 12, batchSize: 16, optimizer: 'adam', learningRate: 0.02, l2: 0.01, decay: { type: 'exponential', rate: 0.95 }, validation: 0.25 };
    const { plain, meddled } = await twice(backend, opts, reads);
    expect(meddled).toEqual(plain);
  });

  it('with dropout: forward inside onProgress applies no dropout and draws nothing from the mask stream', async () => {
    const seen: { inside: Float32Array; params: ReturnType<Network['getParams']> }[] = [];
    const { plain, meddled } = await twice(backend, { epochs: 6, batchSize: 40, dropout: 0.3, learningRate: 0.3 }, (n) => {
      seen.push({ inside: n.predictProba(OTHER).data, params: n.getParams() });
    });
    expect(meddled).toEqual(plain); // the stream was not consumed: the same masks, the same run
    const twin = await net(backend);
    for (const { inside, params } of seen) {
      twin.setParams(params);
      // the same parameters outside training: the same bits, so no mask was applied inside
      expect(bitEqual(twin.predictProba(OTHER).data, inside)).toBe(true);
    }
  });

  it('early stopping restores the same best parameters', async () => {
    const opts: TrainOptions = { epochs: 60, batchSize: 20, optimizer: 'adam', learningRate: 0.05, validation: 0.3, earlyStopping: { patience: 3 } };
    const { plain, meddled } = await twice(backend, opts, reads);
    expect(meddled).toEqual(plain);
  });

  it('changing the caller\'s X and Y inside onProgress does not reach training (the run copied them)', async () => {
    for (const opts of [{ epochs: 8, batchSize: 16 }, { iterations: 40, learningRate: 0.5, progressEvery: 3 }] as TrainOptions[]) {
      const Xm = { rows: 2, cols: X.cols, data: Float32Array.from(X.data) };
      const Ym = { rows: 1, cols: Y.cols, data: Float32Array.from(Y.data) };
      const { plain, meddled } = await twice(backend, opts, () => { Xm.data.fill(1e6); Ym.data.reverse(); }, { X: Xm, Y: Ym });
      expect(meddled).toEqual(plain);
    }
  });
});

describe.each(BACKENDS)('onProgress may not change the parameters: the run stops with an error that says why (backend %s)', (backend) => {
  it.each([
    ['setParams', (n: Network) => n.setParams(n.getParams()), /^Network\.setParams: a train\(\) on this network is still running; return false from onProgress to stop it first\. During a run, onProgress .* may read the network \(forward, predict/],
    ['init', (n: Network) => n.init(), /^Network\.init: a train\(\) on this network is still running/],
    ['update', (n: Network) => { n.forward(X); n.backward(Y); n.update(0.1); }, /^Network\.update: a train\(\) on this network is still running/],
    ['a nested train', (n: Network) => n.train(X, Y, { iterations: 3 }), /^Network\.train: a train\(\) on this network is still running/],
  ])('%s', async (_, change, error) => {
    const n = await net(backend);
    const before = n.getParams();
    let at = -1;
    expect(() => n.train(X, Y, { iterations: 50, learningRate: 0.5, progressEvery: 10, onProgress: (p) => { at = p.iteration; change(n); } })).toThrow(error);
    expect(at).toBe(10); // it stopped at the first callback
    expect(n.getParams()).not.toEqual(before); // the 10 steps before it did happen
    // and the network is usable afterwards
    expect(n.train(X, Y, { iterations: 2 }).stopped).toBe('done');
  });

  it('dispose() from onProgress stops the run with an error, not "done"', async () => {
    const n = await net(backend);
    expect(() => n.train(X, Y, { epochs: 20, batchSize: 30, onProgress: (p) => { if (p.epoch === 4) n.dispose(); } }))
      .toThrow(/^Network\.train: the network was disposed by onProgress \(at epoch 4, step 16\); the run stopped there$/);
    expect(() => n.forward(X)).toThrow(/disposed/);
  });

  it('trainAsync: dispose() between its slices rejects the run with an error saying so', async () => {
    const n = await net(backend, 32);
    const big = datasets.flower({ m: 2000, seed: 1 });
    const run = n.trainAsync(big.X, big.Y, { iterations: 100_000, learningRate: 0.1 });
    await new Promise((r) => setTimeout(r, 30));
    n.dispose();
    await expect(run).rejects.toThrow(/^Network\.trainAsync: the network was disposed while it trained; the run stopped after step \d+$/);
  });

  it('trainAsync: reads between its slices leave the run as it would have been; setParams is refused', async () => {
    const a = await net(backend), b = await net(backend);
    const opts: TrainOptions = { iterations: 3000, learningRate: 0.3, progressEvery: 1000 };
    const ra = await a.trainAsync(X, Y, opts);
    let reads = 0, refused = '';
    const timer = setInterval(() => {
      b.predict(BIG);
      reads++;
      try { b.setParams(b.getParams()); } catch (e) { refused = (e as Error).message; }
    }, 1);
    const rb = await b.trainAsync(X, Y, opts);
    clearInterval(timer);
    expect(outcome(b, rb)).toEqual(outcome(a, ra));
    if (reads > 0) expect(refused).toMatch(/^Network\.setParams: a trainAsync\(\) on this network is still running; await it \(or abort its signal\) first/);
  });
});
