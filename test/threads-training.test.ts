// Training on 1, 2 and 3 threads gives bit-identical parameters, after 100 steps, on several
// shapes, activations, losses and optimizers, for every kernel module this engine runs; the
// products did split (the test is not one thread three times).
import { describe, expect, it } from 'vitest';
import { Network, type NetworkOptions, type TrainOptions } from '../src/index.js';
import { Pool } from '../src/core/pool.js';
import { bitEqual, randomArray } from './support/helpers.js';
import { runnableModules } from './support/modules.js';

interface Case {
  name: string;
  net: Omit<NetworkOptions, 'threads' | 'simd'>;
  m: number;
  train: TrainOptions;
}

// sizes off the 4-row and 8-column blocks, a k longer than the packed path's 256-deep blocks,
// a wide layer, and every hidden activation
const CASES: Case[] = [
  { name: '37-53-3 tanh, softmax, full batch', net: { layers: [37, 53, 3], activations: ['tanh', 'softmax'] }, m: 211,
    train: { iterations: 100, learningRate: 0.3 } },
  { name: '64-96-48-1 relu, leakyRelu, sigmoid, Adam on shuffled batches of 80', net: { layers: [64, 96, 48, 1], activations: ['relu', 'leakyRelu', 'sigmoid'] }, m: 160,
    train: { epochs: 50, batchSize: 80, optimizer: 'adam', learningRate: 0.01, shuffle: true } },
  { name: '300-40-5 sigmoid, linear (mse), momentum, L2', net: { layers: [300, 40, 5], activations: ['sigmoid', 'linear'] }, m: 130,
    train: { iterations: 100, learningRate: 0.05, optimizer: 'momentum', l2: 0.01 } },
  { name: '20-520-2 tanh, softmax, full batch', net: { layers: [20, 520, 2], activations: ['tanh', 'softmax'] }, m: 70,
    train: { iterations: 100, learningRate: 0.5 } },
  // a tanh layer on 2 inputs under 1 unit: dense_tanh, tanh_backward_tn and gemm_nt_row_sum on
  // one thread, the products and the activation's kernels split on more
  { name: '2-300-1 tanh, sigmoid, full batch', net: { layers: [2, 300, 1], activations: ['tanh', 'sigmoid'] }, m: 403,
    train: { iterations: 100, learningRate: 0.5 } },
];

function data(c: Case) {
  const nx = c.net.layers[0], ny = c.net.layers[c.net.layers.length - 1];
  const X = { rows: nx, cols: c.m, data: randomArray(nx * c.m, nx + c.m, -2, 2) };
  const out = c.net.activations![c.net.activations!.length - 1];
  const labels = randomArray(c.m, c.m + 1, 0, ny);
  const Y = out === 'softmax'
    ? Array.from(labels, (v) => Math.floor(v))
    : { rows: ny, cols: c.m, data: out === 'linear' ? randomArray(ny * c.m, 3, -1, 1) : randomArray(ny * c.m, 4).map((v) => (v > 0 ? 1 : 0)) };
  return { X, Y };
}

/** the parameters as one Float32Array */
function flat(net: Network): Float32Array {
  return Float32Array.from(net.getParams().flatMap(({ W, b }) => [...W.data, ...b]));
}

const threaded = runnableModules().filter((c) => c.threads > 1);

describe.each(threaded.map((c) => c.simd))('%s SIMD', (simd) => {
  it.each(CASES)('$name: 100 steps on 1, 2 and 3 threads, the same bits', async (c) => {
    const { X, Y } = data(c);
    const results: Float32Array[] = [];
    const costs: Float64Array[] = [];
    for (const threads of [1, 2, 3]) {
      const net = await Network.create({ ...c.net, seed: 7, threads, simd });
      try {
        expect(net.threads, net.notes.join('; ')).toBe(threads);
        expect(net.simd).toBe(simd);
        const before = Pool.dispatches;
        const r = net.train(X, Y, c.train);
        expect(r.iterations).toBe(100);
        if (threads > 1) expect(Pool.dispatches - before, 'products were split over the threads').toBeGreaterThanOrEqual(100);
        results.push(flat(net));
        costs.push(Float64Array.from(r.costs));
      } finally {
        net.dispose();
      }
    }
    expect(bitEqual(results[1], results[0]), '2 threads vs 1').toBe(true);
    expect(bitEqual(results[2], results[0]), '3 threads vs 1').toBe(true);
    expect(costs[1]).toEqual(costs[0]);
    expect(costs[2]).toEqual(costs[0]);
    // the training did something (the parameters moved from their start)
    expect(costs[0][99]).toBeLessThan(costs[0][0]);
  });

  it('forward, cost, backward and update called one by one give the same bits on 1 and 2 threads', async () => {
    const c = CASES[0];
    const { X, Y } = data(c);
    const out: { A: Float32Array; J: number; dW: Float32Array; P: Float32Array }[] = [];
    for (const threads of [1, 2]) {
      const net = await Network.create({ ...c.net, seed: 3, threads, simd });
      const A = net.forward(X).data;
      const J = net.cost(Y);
      net.backward(Y);
      const dW = Float32Array.from(net.getGrads().flatMap((g) => [...g.dW.data, ...g.db]));
      net.update(0.1);
      out.push({ A, J, dW, P: flat(net) });
      net.dispose();
    }
    expect(bitEqual(out[1].A, out[0].A)).toBe(true);
    expect(out[1].J).toBe(out[0].J);
    expect(bitEqual(out[1].dW, out[0].dW)).toBe(true);
    expect(bitEqual(out[1].P, out[0].P)).toBe(true);
  });
});
