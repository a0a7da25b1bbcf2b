// The wasm and js backends agree on forward output, cost, every gradient and 100 training steps.
import { describe, expect, it } from 'vitest';
import { Network, datasets, type Activation } from '../src/index.js';
import { Scratch, bitEqual, maxAbsDiff } from './support/helpers.js';

// The two backends do the same float32 math in a different order (SIMD lanes vs sequential sums,
// float64 dot products in JS) and with different exp/tanh (AssemblyScript's Mathf vs Math, each
// within an ulp or two). Each value therefore differs by a few float32 roundings (measured: 1.2e-7
// on outputs in (0, 1), 1.5e-9 relative on the cost); 1e-5 leaves two orders of magnitude.
const ONE_STEP = 1e-5;
// After 100 steps those differences are fed back through the updates; on these problems they grow
// slowly (measured worst: 9.5e-7 on parameters of size ~1, 3.2e-6 on a cost); 1e-4 leaves 30×.
const HUNDRED_STEPS = 1e-4;

const CASES: { name: string; layers: number[]; acts: Activation[]; lr: number }[] = [
  { name: 'course 2-4-1 tanh', layers: [2, 4, 1], acts: ['tanh', 'sigmoid'], lr: 1.2 },
  { name: '2-9-5-3 relu/leaky, n_y = 3', layers: [2, 9, 5, 3], acts: ['relu', 'leakyRelu', 'sigmoid'], lr: 0.5 },
  { name: '2-17-sigmoid', layers: [2, 17, 1], acts: ['sigmoid', 'sigmoid'], lr: 2 },
];

describe.each(CASES)('wasm vs js: $name', ({ layers, acts, lr }) => {
  const { X, Y: Y1 } = datasets.flower({ m: 222, seed: 4 });
  // n_y = 3: the label, its complement, and a mixed target
  const nY = layers[layers.length - 1];
  const Y = nY === 1 ? Y1 : { rows: 3, cols: Y1.cols, data: Float32Array.from([...Y1.data, ...Y1.data.map((y) => 1 - y), ...Y1.data.map((y) => 0.25 + 0.5 * y)]) };
  const make = (backend: 'wasm' | 'js') => Network.create({ layers, activations: acts, backend, seed: 11 }).then((n) => n.init({ scheme: 'xavier' }));

  it('forward, cost and gradients, from bit-identical initial parameters', async () => {
    const [w, j] = await Promise.all([make('wasm'), make('js')]);
    // initialisation runs in TypeScript on both backends: the same seed gives the same bits
    w.getParams().forEach((p, l) => {
      expect(bitEqual(p.W.data, j.getParams()[l].W.data)).toBe(true);
      expect(bitEqual(p.b, j.getParams()[l].b)).toBe(true);
    });
    expect(w.backend).toBe('wasm');
    expect(j.backend).toBe('js');
    expect(maxAbsDiff(w.forward(X).data, j.forward(X).data)).toBeLessThanOrEqual(ONE_STEP);
    const cw = w.cost(Y), cj = j.cost(Y);
    expect(Math.abs(cw - cj)).toBeLessThanOrEqual(ONE_STEP * cw);
    w.backward(Y);
    j.backward(Y);
    const gw = w.getGrads(), gj = j.getGrads();
    gw.forEach((g, l) => {
      const scale = Math.max(...g.dW.data.map(Math.abs), ...g.db.map(Math.abs));
      expect(maxAbsDiff(g.dW.data, gj[l].dW.data)).toBeLessThanOrEqual(ONE_STEP * scale);
      expect(maxAbsDiff(g.db, gj[l].db)).toBeLessThanOrEqual(ONE_STEP * scale);
    });
  });

  it('100 training steps', async () => {
    const [w, j] = await Promise.all([make('wasm'), make('js')]);
    const rw = w.train(X, Y, { iterations: 100, learningRate: lr });
    const rj = j.train(X, Y, { iterations: 100, learningRate: lr });
    expect(maxAbsDiff(rw.costs, rj.costs)).toBeLessThanOrEqual(HUNDRED_STEPS);
    // the networks did learn something, so the comparison is not of two idle networks
    expect(rw.costs[99]).toBeLessThan(rw.costs[0]);
    const pw = w.getParams(), pj = j.getParams();
    pw.forEach((p, l) => {
      expect(maxAbsDiff(p.W.data, pj[l].W.data)).toBeLessThanOrEqual(HUNDRED_STEPS);
      expect(maxAbsDiff(p.b, pj[l].b)).toBeLessThanOrEqual(HUNDRED_STEPS);
    });
  });
});

describe('wasm vs js: ReLU and leaky ReLU on signed zeros, NaN, infinities and subnormals', () => {
  // both are comparisons and one multiply, so the two backends must agree bit for bit: max(z, 0)
  // as wasm's pmax computes it (z < 0 ? 0 : z), which keeps −0 and NaN as they are
  const Z = Float32Array.from([-0, 0, NaN, Infinity, -Infinity, 1e-45, -1e-45, 1.1754942e-38, -3.4e38, 2.5, -2.5]);
  it.each([['relu'], ['leaky_relu']] as const)('%s forward and backward', async (act) => {
    const run = async (backend: 'wasm' | 'js') => {
      const s = await Scratch.of(backend);
      const z = s.put(Z), a = s.put(Z.length), da = s.put(new Float32Array(Z.length).fill(3)), dz = s.put(Z.length);
      s.k[`${act}_forward`](a, z, Z.length);
      s.k[`${act}_backward`](dz, da, a, z, Z.length);
      return [s.get(a, Z.length), s.get(dz, Z.length)];
    };
    const [w, j] = await Promise.all([run('wasm'), run('js')]);
    expect(bitEqual(w[0], j[0]), `${Array.from(w[0])} vs ${Array.from(j[0])}`).toBe(true);
    expect(bitEqual(w[1], j[1]), `${Array.from(w[1])} vs ${Array.from(j[1])}`).toBe(true);
    expect(Object.is(j[0][0], -0)).toBe(true); // g(−0) = −0 for both
    expect(Number.isNaN(j[0][2])).toBe(true); // a NaN z stays NaN: the divergence guard sees it
  });
});
