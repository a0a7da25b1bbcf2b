// The output of sigmoid + BCE in training keeps each output's e^-|z| (bias_sigmoid_e, into the
// output layer's dZ slot) and the cost reads it there (bce_cost_e) instead of computing the
// exponential again. That is a speed-up only: on every wasm module, A, Z and the cost are the bits
// of bias_sigmoid and bce_cost, for every value the float32 line has (±0, subnormals, the 87.3 and
// 87.5 edges of the softplus floor, ±∞, NaN) and every tail length; and through the step API a
// cost read from the kept values equals the cost recomputed after backward has overwritten them.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGINE_MODULES, KernelArena } from './support/engines.js';
import { bitEqual, randomArray } from './support/helpers.js';
import { Network } from '../src/index.js';

const EDGES = [0, -0, 1e-40, -1e-40, 1e-30, 0.5, -0.5, 1, -1, 16, -16, 87.2, -87.2, 87.3, -87.3, 87.31, -87.31,
  87.4, -87.4, 87.5, -87.5, 87.6, -87.6, 103, -103, 110, -110, 3e38, -3e38, Infinity, -Infinity, NaN];

/** z values: the edges, then seeded ones over ±120 (every branch of the exponential) */
function zValues(n: number, seed: number): Float32Array {
  const z = randomArray(n, seed, -120, 120);
  for (let i = 0; i < n; i++) if ((i * 7 + seed) % 3 === 0) z[i] = EDGES[(i + seed) % EDGES.length];
  return z;
}

/** targets: 0 and 1 mostly, some fractional (soft labels) */
function yValues(n: number, seed: number): Float32Array {
  const r = randomArray(n, seed + 1);
  return Float32Array.from(r, (v, i) => (i % 5 === 4 ? Math.fround((v + 1) / 2) : v > 0 ? 1 : 0));
}

const wasmModules = ENGINE_MODULES.filter((m) => m.backend === 'wasm');
const SHAPES: [number, number][] = [[1, 1], [1, 2], [1, 3], [1, 4], [1, 5], [1, 7], [1, 8], [1, 9], [1, 13], [2, 3], [3, 5], [3, 17], [1, 400], [1, 401], [4, 33]];

describe.each(wasmModules)('bias_sigmoid_e and bce_cost_e on $name', (mod) => {
  let a: KernelArena;
  beforeAll(async () => { a = new KernelArena(await mod.create()); });
  afterAll(() => a.be.dispose());

  it.each(SHAPES)('rows %i × cols %i: A and Z are bias_sigmoid\'s bits, the cost bce_cost\'s', (rows, cols) => {
    for (let seed = 1; seed <= 6; seed++) {
      const n = rows * cols;
      const Z0 = zValues(n, seed), Y = yValues(n, seed), b = randomArray(rows, seed + 2, -2, 2);
      if (seed === 6) b.fill(0); // the edge values themselves, unshifted
      a.reset();
      const bp = a.put(b), yp = a.put(Y);
      const z1 = a.put(Z0), a1 = a.put(n);
      const z2 = a.put(Z0, seed % 4), a2 = a.put(n), ev = a.put(n, (seed + 1) % 4);
      a.k.bias_sigmoid(a1, z1, bp, rows, cols);
      a.k.bias_sigmoid_e!(a2, z2, bp, ev, rows, cols);
      const label = `${mod.name} ${rows}×${cols} seed ${seed}`;
      expect(bitEqual(a.get(z2, n), a.get(z1, n)), `${label}: Z`).toBe(true);
      expect(bitEqual(a.get(a2, n), a.get(a1, n)), `${label}: A`).toBe(true);
      // the kept value is e^-min(|z|, 87.3) (87.3 as float32: 87.30000305; float32 exp within a few ulp; NaN for NaN)
      const Z = a.get(z1, n), E = a.get(ev, n);
      for (let i = 0; i < n; i++) {
        const want = Math.exp(-Math.min(Math.abs(Z[i]), Math.fround(87.3)));
        if (Number.isNaN(Z[i])) expect(E[i], `${label}: e at ${i}`).toBeNaN();
        else expect(Math.abs(E[i] - want), `${label}: e at ${i} (z = ${Z[i]})`).toBeLessThanOrEqual(4 * 2 ** -24 * want);
      }
      const want = a.k.bce_cost(z1, yp, n, cols), got = a.k.bce_cost_e!(z2, yp, ev, n, cols);
      expect(Object.is(got, want), `${label}: cost ${got} vs ${want}`).toBe(true);
    }
  });
});

describe.each(wasmModules)('the step API on $name', (mod) => {
  it('a cost read from the kept exponentials equals the same cost recomputed after backward', async () => {
    const m = 203, X = { rows: 3, cols: m, data: randomArray(3 * m, 5, -3, 3) };
    const Y = { rows: 1, cols: m, data: yValues(m, 9) };
    const net = await Network.create({ layers: [3, 6, 1], activations: ['tanh', 'sigmoid'], seed: 4, backend: 'wasm', simd: mod.simd, threads: mod.threads });
    try {
      net.train(X, Y, { iterations: 50, learningRate: 2 }); // saturated enough that some |z| are large
      net.forward(X);
      const kept = net.cost(Y);
      net.backward(Y); // writes A − Y where the exponentials were
      const recomputed = net.cost(Y);
      expect(Object.is(kept, recomputed), `${kept} vs ${recomputed}`).toBe(true);
      // and train()'s own cost of the same parameters (its step's cost is taken before the update) is that number too
      const { costs } = net.train(X, Y, { iterations: 1, learningRate: 0.1 });
      expect(Object.is(costs[0], kept), `${costs[0]} vs ${kept}`).toBe(true);
    } finally {
      net.dispose();
    }
  });
});
