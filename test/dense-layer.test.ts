// dense_tanh, a tanh layer's forward in one pass for layers on few inputs (the engine calls it for
// K ≤ DENSE_MAX_K): on every wasm module, Z and A are the bits of gemm_nn then bias_tanh, for row
// counts on and off the 4-row tiles, column counts on and off its 16-column groups (the last
// cols mod 16 columns take gemm_nn's own code: 8-column tiles, 4-column vectors, scalars), every
// K it is called for and a few more, inputs with saturated, tiny, infinite and NaN products, and Z
// slots holding NaN before the call (every element is written). End to end: the 3-300-1 case of
// test/threads-training.test.ts (one thread runs dense_tanh; two and three split the product and
// tanh) must end on the same bits.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGINE_MODULES, KernelArena } from './support/engines.js';
import { bitEqual, randomArray } from './support/helpers.js';
import { DENSE_MAX_K } from '../src/core/kernels.js';

const wasmModules = ENGINE_MODULES.filter((m) => m.backend === 'wasm');
const ROWS = [1, 3, 4, 5, 17];
const COLS = [1, 3, 5, 15, 16, 17, 33, 127, 400];
const KS = [1, 2, 3, 4, 7];

/** x values: seeded over ±3, with large, tiny, infinite and NaN entries mixed in */
function xValues(n: number, seed: number): Float32Array {
  const x = randomArray(n, seed, -3, 3);
  const edges = [40, -40, 1e-30, -0, 0, 3e38, Infinity, -Infinity, NaN];
  for (let i = 0; i < n; i++) if ((i * 13 + seed) % 29 === 0) x[i] = edges[(i + seed) % edges.length];
  return x;
}

describe.each(wasmModules)('dense_tanh on $name', (mod) => {
  let a: KernelArena;
  beforeAll(async () => { a = new KernelArena(await mod.create()); });
  afterAll(() => a.be.dispose());

  it('exists on every wasm module (the engine uses it for K ≤ DENSE_MAX_K)', () => {
    expect(typeof a.k.dense_tanh).toBe('function');
    expect(DENSE_MAX_K).toBeGreaterThanOrEqual(2);
  });

  it.each(ROWS)('rows %i: Z and A are gemm_nn + bias_tanh\'s bits for every cols and K', (rows) => {
    for (const cols of COLS) {
      for (const K of KS) {
        const seed = rows * 1000 + cols * 10 + K;
        a.reset();
        const W = randomArray(rows * K, seed, -4, 4), X = xValues(K * cols, seed + 1), b = randomArray(rows, seed + 2, -2, 2);
        const wp = a.put(W), xp = a.put(X), bp = a.put(b);
        const n = rows * cols;
        const z1 = a.put(n), a1 = a.put(n);
        const z2 = a.put(new Float32Array(n).fill(NaN)), a2 = a.put(new Float32Array(n).fill(NaN));
        a.k.gemm_nn(z1, wp, xp, rows, cols, K, 1, 0);
        a.k.bias_tanh(a1, z1, bp, rows, cols);
        a.k.dense_tanh!(a2, z2, wp, xp, bp, rows, cols, K);
        const label = `${mod.name} ${rows}×${cols}, K ${K}`;
        expect(bitEqual(a.get(z2, n), a.get(z1, n)), `${label}: Z`).toBe(true);
        expect(bitEqual(a.get(a2, n), a.get(a1, n)), `${label}: A`).toBe(true);
      }
    }
  });
});
