// The step API on a Batch: net.batch(X, Y) checks once, forward/cost/backward take the batch, and
// training through it is bit for bit the training of the plain four-call loop and of train().
// Also: a batch is a snapshot, belongs to its network, and the data in the network's memory is
// always the data asked for, whatever ran in between.
import { describe, expect, it } from 'vitest';
import { Batch, Network, datasets, type Matrix } from '../src/index.js';
import { BACKENDS, bitEqual } from './support/helpers.js';

const flower = datasets.flower({ m: 60, seed: 4 });
// other data of the same size (the flower's labels depend only on the index: these are flipped)
const otherFlower = datasets.flower({ m: 60, seed: 5 });
const other = { X: otherFlower.X, Y: { rows: 1, cols: 60, data: otherFlower.Y.data.map((y) => 1 - y) } };
const LR = 1.2;

const create = (backend: 'wasm' | 'js', layers = [2, 5, 1]) => Network.create({ layers, backend, seed: 7 });

/** Every parameter of the network, in one array. */
function params(net: Network): Float32Array {
  return Float32Array.from(net.getParams().flatMap((p) => [...p.W.data, ...p.b]));
}

function plainSteps(net: Network, X: Matrix, Y: Matrix, n: number): number[] {
  const costs: number[] = [];
  for (let i = 0; i < n; i++) {
    net.forward(X);
    costs.push(net.cost(Y));
    net.backward(Y);
    net.update(LR);
  }
  return costs;
}

describe.each(BACKENDS)('step API on a batch (%s)', (backend) => {
  it('30 steps on a batch: the same parameter bits and costs as the plain loop and as train()', async () => {
    const [a, b, c] = await Promise.all([create(backend), create(backend), create(backend)]);
    const batch = a.batch(flower.X, flower.Y);
    const costs: number[] = [];
    for (let i = 0; i < 30; i++) {
      a.forward(batch);
      costs.push(a.cost(batch));
      a.backward(batch);
      a.update(LR);
    }
    const plain = plainSteps(b, flower.X, flower.Y, 30);
    const trained = c.train(flower.X, flower.Y, { iterations: 30, learningRate: LR });
    expect(costs).toEqual(plain);
    expect(costs).toEqual(Array.from(trained.costs));
    expect(bitEqual(params(a), params(b))).toBe(true);
    expect(bitEqual(params(a), params(c))).toBe(true);
  });

  it('forward(batch) returns a view equal to forward(X)\'s copy; predict and predictProba on a batch return copies', async () => {
    const net = await create(backend);
    const batch = net.batch(flower.X, flower.Y);
    const copy = net.forward(flower.X);
    const view = net.forward(batch);
    expect([view.rows, view.cols]).toEqual([1, 60]);
    expect(bitEqual(view.data, copy.data)).toBe(true);
    expect(net.forward(batch)).toBe(view); // the same view while it stays valid: nothing allocated
    // predict on a batch may not write into the network's output: backward after it still sees A[L]
    const p = net.predict(batch);
    expect(p.data).not.toBe(view.data);
    expect(Array.from(p.data).every((v) => v === 0 || v === 1)).toBe(true);
    net.backward(batch);
    const viaBatch = net.getGrads();
    net.forward(flower.X);
    net.backward(flower.Y);
    expect(bitEqual(viaBatch[0].dW.data, net.getGrads()[0].dW.data)).toBe(true);
  });

  it('the batch is a snapshot: changing X and Y after batch() changes nothing', async () => {
    const net = await create(backend);
    const X = { rows: 2, cols: 60, data: Float32Array.from(flower.X.data) };
    const Y = { rows: 1, cols: 60, data: Float32Array.from(flower.Y.data) };
    const batch = net.batch(X, Y);
    const before = Float32Array.from(net.forward(batch).data);
    const J = net.cost(batch);
    X.data.fill(1000);
    Y.data.fill(0);
    expect(bitEqual(net.forward(batch).data, before)).toBe(true);
    expect(net.cost(batch)).toBe(J);
  });

  it('whatever ran in between (another X, train, a bigger X that moves the arena), forward(batch) computes on the batch', async () => {
    const net = await create(backend);
    const batch = net.batch(flower.X, flower.Y);
    const expected = Float32Array.from(net.forward(flower.X).data);
    const expectedCost = net.cost(flower.Y);
    net.forward(batch);
    for (const between of [
      () => net.forward(other.X), //                                              another X in the X slot
      () => { net.forward(other.X); net.cost(other.Y); }, //                     another Y in the Y slot
      () => net.predict(other.X),
      () => net.train(other.X, other.Y, { iterations: 1, learningRate: 1e-30 }), // the trainer's data in both slots
      () => net.forward(datasets.flower({ m: 500, seed: 6 }).X), //              a replan: the slots move
    ]) {
      between();
      expect(bitEqual(net.forward(batch).data, expected)).toBe(true);
      // and cost(batch) reads the batch's Y, not the Y the call in between left behind (or moved);
      // train's learning rate 1e-30 leaves every parameter bit as it was, so the cost is the same
      expect(net.cost(batch)).toBe(expectedCost);
      between();
      net.forward(batch);
      expect(net.cost(batch)).toBe(expectedCost);
    }
  });

  it('forward(batch) and cost(batch) inside onProgress compute on the batch, and the run trains as without them', async () => {
    const [a, b] = await Promise.all([create(backend), create(backend)]);
    const batch = a.batch(other.X, other.Y);
    a.forward(batch); // the batch is in the slots when the run starts; the run then writes its own data there
    a.cost(batch);
    const viaBatch: number[] = [], viaMatrix: number[] = [];
    a.train(flower.X, flower.Y, {
      iterations: 20, learningRate: LR, progressEvery: 5,
      onProgress: () => {
        a.forward(batch);
        viaBatch.push(a.cost(batch));
        a.forward(other.X);
        viaMatrix.push(a.cost(other.Y));
        a.forward(batch);
        viaBatch.push(a.cost(batch));
      },
    });
    b.train(flower.X, flower.Y, { iterations: 20, learningRate: LR });
    expect(viaBatch).toEqual(viaMatrix.flatMap((J) => [J, J]));
    expect(bitEqual(params(a), params(b))).toBe(true);
  });

  it('a batch without Y feeds forward and predict; cost and backward refuse it', async () => {
    const net = await create(backend);
    const xs = net.batch(flower.X);
    expect(xs.hasTargets).toBe(false);
    expect(xs.m).toBe(60);
    net.forward(xs);
    expect(() => net.cost(xs)).toThrow('Network.cost: the batch has no Y; make it with net.batch(X, Y)');
    expect(() => net.backward(xs)).toThrow(/Network\.backward: the batch has no Y/);
    expect(net.predict(xs).cols).toBe(60);
  });

  it('cost and backward check that the batch has as many examples as the last forward pass', async () => {
    const net = await create(backend);
    const small = net.batch(datasets.flower({ m: 8, seed: 1 }).X, datasets.flower({ m: 8, seed: 1 }).Y);
    net.forward(flower.X);
    const before = params(net);
    expect(() => net.cost(small)).toThrow('Network.cost: the batch has 8 columns, the last forward pass 60');
    expect(() => net.backward(small)).toThrow(/Network\.backward: the batch has 8 columns/);
    expect(bitEqual(params(net), before)).toBe(true);
    expect(() => net.getGrads()).toThrow(/no gradients yet/);
  });

  it('a batch belongs to the network that checked it', async () => {
    const [a, b] = await Promise.all([create(backend), create(backend)]);
    const batch = a.batch(flower.X, flower.Y);
    expect(() => b.forward(batch)).toThrow("Network.forward: X is another network's batch; make one with this network's batch()");
    b.forward(flower.X);
    expect(() => b.cost(batch)).toThrow("Network.cost: Y is another network's batch; make one with this network's batch()");
  });

  it('batch() checks like forward, cost and backward: clear errors, nothing changed', async () => {
    const net = await create(backend);
    net.forward(flower.X);
    const before = params(net);
    const bad = { rows: 2, cols: 60, data: Float32Array.from(flower.X.data) };
    bad.data[61] = NaN;
    expect(() => net.batch(bad, flower.Y)).toThrow(/^Network\.batch: every value of X must be a finite number \(in float32 range\); got NaN\. First bad value at X\[1, 1\] \(data\[61\]\)$/);
    expect(() => net.batch({ rows: 3, cols: 60, data: new Float32Array(180) })).toThrow(/Network\.batch: X\.rows must be 2/);
    expect(() => net.batch(flower.X, { rows: 1, cols: 60, data: new Float32Array(60).fill(2) })).toThrow(/Network\.batch: every value of Y must be a finite number in \[0, 1\]; got 2/);
    expect(() => net.batch(flower.X, { rows: 1, cols: 59, data: new Float32Array(59) })).toThrow(/Network\.batch: Y\.cols must be 60/);
    expect(bitEqual(params(net), before)).toBe(true);
    net.cost(flower.Y); // the forward pass before the rejected calls is still there
    expect(() => new (Batch as unknown as new () => Batch)()).toThrow('Batch: make one with net.batch(X, Y)');
  });

  it('softmax: class indices become one-hot once, in the batch', async () => {
    const spiral = datasets.spiral({ m: 30, classes: 3, seed: 2 });
    const net = await Network.create({ layers: [2, 6, 3], activations: ['tanh', 'softmax'], backend, seed: 3 });
    const batch = net.batch(spiral.X, spiral.Y.data);
    net.forward(batch);
    const J = net.cost(batch);
    net.forward(spiral.X);
    expect(net.cost(spiral.Y.data)).toBe(J);
  });
});
