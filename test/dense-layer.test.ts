// Fused kernels for layers on few inputs or under few units (the engine calls them for
// K ≤ DENSE_MAX_K, gemm_nt_row_sum for 1 or 2 inputs): dense_tanh, a tanh layer's forward in one
// pass; tanh_backward_tn, a tanh layer's dZ from the layer above; gemm_nt_row_sum, a first layer's
// dW and db. On every wasm module, dense_tanh's Z and A are the bits of gemm_nn then bias_tanh,
// tanh_backward_tn's dZ those of gemm_tn then tanh_backward, and gemm_nt_row_sum's dW and db those
// of gemm_nt then row_sum, for row counts on and off the 4-row tiles, column counts on and off the
// 16-column groups (the last cols mod 16 columns: gemm_nn's own 8-column tiles, 4-column vectors
// and scalars), every K they are called for and a few more, inputs with saturated, tiny, infinite
// and NaN values, and outputs holding NaN before the call (every element is written). End to end:
// the 2-300-1 case of test/threads-training.test.ts (one thread runs all three; two and three
// split the products and the activation's kernels) must end on the same bits.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGINE_MODULES, KernelArena } from './support/engines.js';
import { bitEqual, randomArray } from './support/helpers.js';
import { DENSE_MAX_K } from '../src/core/kernels.js';

const wasmModules = ENGINE_MODULES.filter((m) => m.backend === 'wasm');
const ROWS = [1, 3, 4, 5, 17];
const COLS = [1, 3, 5, 15, 16, 17, 33, 127, 400];
const KS = [1, 2, 3, 4, 7];

/**
 * The same bits element by element, but that a NaN matches any NaN: a sum that meets both a NaN
 * input and ∞ − ∞ is NaN in both kernels, but wasm leaves that NaN's sign and payload to the
 * engine, which picks an operand order per code shape (seen: dW and db of 17 × 1003 with both).
 */
function sameBitsOrNaN(x: Float32Array, y: Float32Array): boolean {
  return x.length === y.length && x.every((v, i) => (Number.isNaN(v) ? Number.isNaN(y[i]) : bitEqual(x.subarray(i, i + 1), y.subarray(i, i + 1))));
}

/** x values: seeded over ±3, with large, tiny, infinite and NaN entries mixed in */
function xValues(n: number, seed: number): Float32Array {
  const x = randomArray(n, seed, -3, 3);
  const edges = [40, -40, 1e-30, -0, 0, 3e38, Infinity, -Infinity, NaN];
  for (let i = 0; i < n; i++) if ((i * 13 + seed) % 29 === 0) x[i] = edges[(i + seed) % edges.length];
  return x;
}

describe.each(wasmModules)('the fused kernels on $name', (mod) => {
  let a: KernelArena;
  beforeAll(async () => { a = new KernelArena(await mod.create()); });
  afterAll(() => a.be.dispose());

  it('exists on every wasm module (the engine uses it for K ≤ DENSE_MAX_K)', () => {
    expect(typeof a.k.dense_tanh).toBe('function');
    expect(typeof a.k.tanh_backward_tn).toBe('function');
    expect(typeof a.k.gemm_nt_row_sum).toBe('function');
    expect(DENSE_MAX_K).toBeGreaterThanOrEqual(2);
  });

  it.each(ROWS)('rows %i: tanh_backward_tn\'s dZ is gemm_tn + tanh_backward\'s bits for every cols and K', (rows) => {
    for (const cols of COLS) {
      for (const K of KS) {
        const seed = rows * 1000 + cols * 10 + K + 5;
        a.reset();
        // w: the layer above's weights (K × rows), dzo: its dZ (K × cols), A: this layer's tanh outputs
        const W = randomArray(K * rows, seed, -4, 4), dZo = xValues(K * cols, seed + 1);
        const A = randomArray(rows * cols, seed + 2, -1, 1);
        for (let i = 0; i < A.length; i += 37) A[i] = [1, -1, 0, -0, NaN][(i / 37) % 5];
        const wp = a.put(W), dp = a.put(dZo), ap = a.put(A);
        const n = rows * cols;
        const d1 = a.put(n), d2 = a.put(new Float32Array(n).fill(NaN));
        a.k.gemm_tn(d1, wp, dp, rows, cols, K, 1, 0);
        a.k.tanh_backward(d1, d1, ap, 0, n);
        a.k.tanh_backward_tn!(d2, wp, dp, ap, rows, cols, K);
        expect(sameBitsOrNaN(a.get(d2, n), a.get(d1, n)), `${mod.name} ${rows}×${cols}, K ${K}: dZ`).toBe(true);
      }
    }
  });

  it.each(ROWS)('rows %i: gemm_nt_row_sum\'s dW and db are gemm_nt + row_sum\'s bits for N = 1, 2 and every K', (rows) => {
    for (const N of [1, 2]) {
      for (const K of [...COLS, 7, 8, 9, 1003]) {
        const seed = rows * 1000 + K * 10 + N + 3;
        a.reset();
        const dZ = xValues(rows * K, seed), A = xValues(N * K, seed + 1);
        const zp = a.put(dZ), ap = a.put(A), alpha = 1 / K;
        const w1 = a.put(rows * N), b1 = a.put(rows);
        const w2 = a.put(new Float32Array(rows * N).fill(NaN)), b2 = a.put(new Float32Array(rows).fill(NaN));
        a.k.gemm_nt(w1, zp, ap, rows, N, K, alpha, 0);
        a.k.row_sum(b1, zp, rows, K, alpha);
        a.k.gemm_nt_row_sum!(w2, b2, zp, ap, rows, N, K, alpha);
        const label = `${mod.name} ${rows}×${N}, K ${K}`;
        expect(sameBitsOrNaN(a.get(w2, rows * N), a.get(w1, rows * N)), `${label}: dW`).toBe(true);
        expect(sameBitsOrNaN(a.get(b2, rows), a.get(b1, rows)), `${label}: db`).toBe(true);
      }
    }
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
        expect(sameBitsOrNaN(a.get(z2, n), a.get(z1, n)), `${label}: Z`).toBe(true);
        expect(sameBitsOrNaN(a.get(a2, n), a.get(a1, n)), `${label}: A`).toBe(true);
      }
    }
  });
});
