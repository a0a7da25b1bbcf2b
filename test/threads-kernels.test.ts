// The blocks of a product that threads compute (gemm_*_part, on the calling thread and on the
// pool's workers) against the whole product, bit for bit, and the whole product against the
// scalar reference, on odd and non-square sizes, on every kernel module this engine runs.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Backend } from '../src/core/backend.js';
import type { FusedKernels, PartKernels } from '../src/core/kernels.js';
import { planSplit, blockStart, COL_UNIT, MIN_PART_WORK, PARTS_PER_THREAD, ROW_UNIT } from '../src/core/parallel.js';
import { Pool } from '../src/core/pool.js';
import { backwardWork, forwardWork, gradientWork } from '../src/core/split-work.js';
import { Scratch, U32, bitEqual, randomArray } from './support/helpers.js';
import { backendOf, runnableModules } from './support/modules.js';

type Form = 'nn' | 'nt' | 'tn';
const FORMS: Form[] = ['nn', 'nt', 'tn'];

// 1, 3, 5, 17, 33 and 127 in every position, non-squares, and the packed path's block edges
// (MC = 128 rows, KC = 256 of k, NC = 512 columns; packed from 16 in every dimension and 2^18 work)
const SHAPES: [number, number, number][] = [
  [1, 1, 1], [1, 3, 5], [3, 5, 1], [5, 1, 3], [3, 3, 3], [5, 5, 5], [17, 17, 17], [33, 33, 33],
  [1, 33, 17], [33, 1, 5], [17, 5, 33], [5, 17, 1], [127, 33, 17], [17, 127, 33], [33, 17, 127],
  [127, 127, 127], [130, 20, 300], [20, 520, 40], [64, 64, 64], [129, 70, 260], [37, 53, 211],
];

/** Σ_k |op(A)(i, k)·op(B)(k, j)| per element, in float64: the scale of the rounding error bound */
function magnitudes(form: Form, A: Float32Array, B: Float32Array, M: number, N: number, K: number): Float64Array {
  const mag = new Float64Array(M * N);
  for (let i = 0; i < M; i++) {
    for (let j = 0; j < N; j++) {
      let g = 0;
      for (let k = 0; k < K; k++) g += Math.abs((form === 'tn' ? A[k * M + i] : A[i * K + k]) * (form === 'nt' ? B[j * K + k] : B[k * N + j]));
      mag[i * N + j] = g;
    }
  }
  return mag;
}

/** the block boundaries a split may use: rows anywhere, columns at multiples of 8 (or N) */
function rowCuts(M: number): number[][] {
  return [[0, M], [0, Math.floor(M / 3), M], [0, 1, Math.max(1, M - 1), M], [0, Math.ceil(M / 2), M]].map((c) => [...new Set(c)]);
}
function colCuts(N: number): number[][] {
  const eights = (x: number) => Math.min(N, Math.max(0, Math.floor(x / 8) * 8));
  return [[0, N], [0, eights(N / 2), N], [0, eights(8), eights(N - 8), N]].map((c) => [...new Set(c)].sort((a, b) => a - b));
}

// the block kernels live in the shared-memory builds (threads) only
describe.each(runnableModules().filter((c) => c.threads === 1))('$label', (c) => {
  it('exports no block kernels (only the shared-memory builds run threads)', async () => {
    const be = await backendOf(c);
    const names = Object.keys(be.raw!);
    expect(names).toContain('gemm_nn');
    expect(names.filter((n) => n.endsWith('_part') || n === 'gemm_scratch_bytes')).toEqual([]);
    be.dispose();
  });
});

describe.each(runnableModules().filter((c) => c.threads > 1))('$label', (c) => {
  let be: Backend;
  let s: Scratch;
  let raw: PartKernels & Backend['kernels'];
  let scratch: number;
  beforeAll(async () => {
    be = await backendOf(c);
    s = new Scratch(be);
    raw = be.raw!;
    // a 64-byte-aligned scratch region of our own, as a worker thread gets
    scratch = Math.ceil(s.put(raw.gemm_scratch_bytes() / 4 + 16) / 64) * 64;
  });
  afterAll(() => be.dispose());

  describe.each(FORMS)('gemm_%s', (form) => {
    it.each(SHAPES)('M=%i N=%i K=%i: every block split gives the whole product\'s bits; the whole is within the γ_K bound of the scalar reference', (M, N, K) => {
      const A = randomArray(M * K, M * 131 + K), B = randomArray(K * N, N * 17 + K + 1), C0 = randomArray(M * N, M + N + 3);
      const whole = raw[`gemm_${form}`], ref = raw[`gemm_${form}_ref`], part = raw[`gemm_${form}_part`];
      const mag = magnitudes(form, A, B, M, N, K);
      const a = s.put(A, 1), b = s.put(B, 3);
      for (const [alpha, beta] of [[0.7, 0], [1, 0.5]] as const) {
        const cw = s.put(C0);
        whole(cw, a, b, M, N, K, alpha, beta);
        const want = s.get(cw, M * N);
        const cr = s.put(C0);
        ref(cr, a, b, M, N, K, alpha, beta);
        const r = s.get(cr, M * N);
        for (let i = 0; i < M * N; i++) {
          // both are float32 sums of K products, each within (K + 3)·u·Σ|α·a·b| + |β·c| of the
          // exact value (γ_K plus the rounding of α, β·c and the store), so within twice that of
          // each other; a fused multiply-add only rounds less
          const tol = 2 * (K + 3) * U32 * (alpha * mag[i] + Math.abs(beta * C0[i])) + 1e-30;
          if (!(Math.abs(want[i] - r[i]) <= tol)) expect.fail(`C[${i}] = ${want[i]}, reference ${r[i]}, tolerance ${tol}`);
        }
        for (const rows of rowCuts(M)) {
          for (const cols of colCuts(N)) {
            for (const sc of [0, scratch]) {
              const cp = s.put(C0);
              for (let p = 0; p + 1 < rows.length; p++) {
                for (let q = 0; q + 1 < cols.length; q++) part(cp, sc, a, b, M, N, K, rows[p], rows[p + 1], cols[q], cols[q + 1], alpha, beta);
              }
              expect(bitEqual(s.get(cp, M * N), want), `rows ${rows}, columns ${cols}, scratch ${sc ? 'own' : 'module'}`).toBe(true);
            }
          }
        }
        {
          // the same blocks through the pool: a worker claims the first (the caller waits for
          // that), either thread the second, each with its own scratch
          const pool = be.pool!, id = pool.id(`gemm_${form}_part`), cut = Math.floor(M / 2);
          const cp = s.put(C0);
          pool.begin();
          pool.part(id, 2, cp, 0, a, b, M, N, K, 0, cut, 0, N, alpha, beta);
          pool.part(id, 2, cp, 0, a, b, M, N, K, cut, M, 0, N, alpha, beta);
          pool.run(true);
          expect(bitEqual(s.get(cp, M * N), want), 'rows split over two threads').toBe(true);
        }
      }
    });
  });

  {
    it.each([[512, 512, 512], [128, 256, 784], [128, 784, 256], [784, 128, 256], [10, 1000, 300], [257, 33, 101]])(
      'gemm_* %i × %i × %i through the split kernels: split over the pool, the whole product\'s bits', (M, N, K) => {
        for (const form of FORMS) {
          const A = randomArray(M * K, M + K), B = randomArray(K * N, N + K + 5);
          const a = s.put(A), b = s.put(B), cw = s.put(M * N), cs = s.put(M * N);
          be.raw![`gemm_${form}`](cw, a, b, M, N, K, 1, 0);
          const before = Pool.dispatches;
          be.kernels[`gemm_${form}`](cs, a, b, M, N, K, 1, 0);
          expect(Pool.dispatches - before, `${form}: one dispatch`).toBe(1);
          expect(bitEqual(s.get(cs, M * N), s.get(cw, M * N)), form).toBe(true);
        }
      });

    it('a layer\'s forward counts its activation: planar-wide\'s 256 × 2 tanh layer on 400 columns splits, planar\'s 4 × 2 does not, and each gives the unsplit bits', () => {
      const fused = be.kernels as unknown as FusedKernels;
      for (const [nOut, m, nIn, act, dispatches] of [[256, 400, 2, 'tanh', 1], [256, 400, 2, 'relu', 1], [4, 400, 2, 'tanh', 0], [64, 256, 4, 'relu', 0]] as const) {
        // (256·400·2 = 204 800 multiply-adds: under 2·MIN_PART_WORK as a product alone)
        expect(nOut * m * nIn).toBeLessThan(2 * MIN_PART_WORK);
        expect(forwardWork(nOut, m, nIn, act) >= 2 * MIN_PART_WORK).toBe(dispatches === 1);
        const w = s.put(randomArray(nOut * nIn, nOut)), x = s.put(randomArray(nIn * m, m)), b = s.put(randomArray(nOut, 3));
        const zw = s.put(nOut * m), aw = s.put(nOut * m), zs = s.put(nOut * m), as = s.put(nOut * m);
        be.raw!.gemm_nn(zw, w, x, nOut, m, nIn, 1, 0);
        be.raw![act === 'tanh' ? 'bias_tanh' : 'bias_relu'](aw, zw, b, nOut, m);
        const before = Pool.dispatches;
        fused.fusedLayerForward(act)!(zs, as, w, x, b, nOut, m, nIn);
        expect(Pool.dispatches - before, `${nOut} × ${nIn} ${act} on ${m}`).toBe(dispatches);
        expect(bitEqual(s.get(zs, nOut * m), s.get(zw, nOut * m)) && bitEqual(s.get(as, nOut * m), s.get(aw, nOut * m)), `${nOut} × ${nIn} ${act}: Z and A`).toBe(true);
      }
    });

    it('small products stay on the calling thread', () => {
      const a = s.put(randomArray(64 * 64, 1)), b = s.put(randomArray(64 * 64, 2)), cp = s.put(64 * 64);
      const before = Pool.dispatches;
      be.kernels.gemm_nn(cp, a, b, 4, 400, 2, 1, 0); // the planar network's first layer
      be.kernels.gemm_nn(cp, a, b, 64, 16, 64, 1, 0); // 2^16 multiply-adds
      expect(Pool.dispatches).toBe(before);
    });
  }
});

describe('the split plan', () => {
  it('splits a product into up to PARTS_PER_THREAD parts per thread of MIN_PART_WORK multiply-adds or more, into blocks of columns where there are enough', () => {
    expect(PARTS_PER_THREAD).toBe(1);
    expect(planSplit(512, 512, 512, 2)).toEqual({ parts: 2, byRows: false });
    expect(planSplit(512, 512, 512, 4)).toEqual({ parts: 4, byRows: false });
    expect(planSplit(10, 1000, 300, 2)).toEqual({ parts: 2, byRows: false });
    expect(planSplit(64, 64, 96, 4)).toEqual({ parts: 3, byRows: false }); // 393216 = 3 · 2^17
    expect(planSplit(4, 400, 2, 2).parts).toBe(1);
    expect(planSplit(64, 64, 63, 2).parts).toBe(1); // 258048 < 2 · 2^17
    expect(planSplit(64, 64, 64, 2).parts).toBe(2); // exactly 2 · 2^17
    expect(64 * 64 * 64).toBe(2 * MIN_PART_WORK);
    expect(planSplit(512, 512, 512, 1).parts).toBe(1);
    // a C with few columns: blocks of rows (the wide network's dA = Wᵀ·dZ has 1 column per example)
    expect(planSplit(1024, 8, 4096, 2)).toEqual({ parts: 2, byRows: true });
    // no more parts than 12-row (ROW_UNIT: both micro-kernel tiles, 4 and 6 rows) or 16-column
    // units (COL_UNIT: two tiles' width, one 64-byte cache line)
    expect(ROW_UNIT).toBe(12);
    expect(COL_UNIT).toBe(16);
    expect(planSplit(24, 8, 1 << 20, 16)).toEqual({ parts: 2, byRows: true });
    expect(planSplit(12, 8, 1 << 20, 16).parts).toBe(1);
    expect(planSplit(4, 32, 1 << 20, 16)).toEqual({ parts: 2, byRows: false });
    expect(planSplit(4, 16, 1 << 20, 16).parts).toBe(1);
    // planar-wide's forward, 256 × 400 on 2 inputs with tanh: split at column 192, a whole number
    // of cache lines into every 1600-byte row (at 200, the two threads wrote one line of each row)
    expect(planSplit(256, 400, 2, 2, forwardWork(256, 400, 2, 'tanh'))).toEqual({ parts: 2, byRows: false });
    expect(blockStart(1, 2, 400, COL_UNIT)).toBe(192);
  });

  it('blocks cover the rows in order, in whole units, as evenly as units allow', () => {
    for (const [count, unit, parts] of [[128, 4, 2], [53, 4, 2], [53, 4, 3], [1000, 8, 3], [7, 4, 2], [9, 8, 2]]) {
      const starts = Array.from({ length: parts + 1 }, (_, p) => blockStart(p, parts, count, unit));
      expect(starts[0]).toBe(0);
      expect(starts[parts]).toBe(count);
      for (let p = 0; p < parts; p++) {
        expect(starts[p + 1]).toBeGreaterThanOrEqual(starts[p]);
        if (p > 0) expect(starts[p] % unit).toBe(0);
      }
      const sizes = starts.slice(1).map((x, p) => x - starts[p]);
      expect(Math.max(...sizes) - Math.min(...sizes)).toBeLessThanOrEqual(unit);
    }
  });
});

// a dense layer's forward in one dispatch: each part its block of Z, then that block's bias and
// activation (bias_<act>_part on column blocks, bias_<act> on row blocks)
describe.each(runnableModules().filter((c) => c.threads > 1))('$label: the fused layer forward', (c) => {
  let be: Backend;
  let s: Scratch;
  beforeAll(async () => {
    be = await backendOf(c);
    s = new Scratch(be);
  });
  afterAll(() => be.dispose());

  const ACTS = [['sigmoid', 'bias_sigmoid'], ['tanh', 'bias_tanh'], ['relu', 'bias_relu'], ['leakyRelu', 'bias_leaky_relu'], ['linear', 'bias_identity']] as const;

  it.each(ACTS)('%s: bias_*_part on column blocks gives bias_*\'s bits', (_, name) => {
    for (const [rows, cols] of [[1, 1], [3, 5], [17, 33], [5, 127], [33, 200]]) {
      const Z = randomArray(rows * cols, rows + cols, -4, 4), b = randomArray(rows, rows * 3);
      const zw = s.put(Z), aw = s.put(rows * cols), bp = s.put(b);
      be.raw![name](aw, zw, bp, rows, cols);
      const zp = s.put(Z), ap = s.put(rows * cols);
      const cuts = [...new Set([0, Math.min(cols, 8), Math.floor(cols / 16) * 8, cols])].sort((x, y) => x - y);
      for (let q = 0; q + 1 < cuts.length; q++) be.raw![`${name}_part`](ap, zp, bp, rows, cols, cuts[q], cuts[q + 1]);
      expect(bitEqual(s.get(zp, rows * cols), s.get(zw, rows * cols)), `Z ${rows}×${cols}`).toBe(true);
      expect(bitEqual(s.get(ap, rows * cols), s.get(aw, rows * cols)), `A ${rows}×${cols}`).toBe(true);
    }
  });

  it('dense_tanh_part on blocks of 16-column units gives dense_tanh\'s bits (a tanh layer on ≤ DENSE_MAX_K inputs)', () => {
    for (const [rows, cols, K] of [[1, 1, 1], [3, 17, 2], [17, 33, 4], [5, 127, 3], [256, 400, 2], [4, 48, 1]]) {
      const W = randomArray(rows * K, rows + K, -4, 4), X = randomArray(K * cols, cols + 1), b = randomArray(rows, rows + 2, -2, 2);
      const wp = s.put(W), xp = s.put(X), bp = s.put(b);
      const zw = s.put(rows * cols), aw = s.put(rows * cols);
      be.raw!.dense_tanh!(aw, zw, wp, xp, bp, rows, cols, K);
      const zp = s.put(new Float32Array(rows * cols).fill(NaN)), ap = s.put(new Float32Array(rows * cols).fill(NaN));
      const cuts = [...new Set([0, Math.min(cols, 16), Math.floor(cols / 32) * 16, cols])].sort((x, y) => x - y);
      for (let q = 0; q + 1 < cuts.length; q++) be.raw!.dense_tanh_part(ap, zp, wp, xp, bp, rows, cols, K, cuts[q], cuts[q + 1]);
      expect(bitEqual(s.get(zp, rows * cols), s.get(zw, rows * cols)), `Z ${rows}×${cols}, K ${K}`).toBe(true);
      expect(bitEqual(s.get(ap, rows * cols), s.get(aw, rows * cols)), `A ${rows}×${cols}, K ${K}`).toBe(true);
    }
  });

  it('tanh_backward_tn_part on row blocks gives tanh_backward_tn\'s bits (a tanh layer\'s dZ from ≤ DENSE_MAX_K units above)', () => {
    for (const [M, N, K] of [[1, 1, 1], [3, 5, 2], [17, 33, 4], [13, 127, 1], [256, 400, 1], [25, 19, 3]]) {
      const W = randomArray(K * M, M + K), dZo = randomArray(K * N, N + 5), A = randomArray(M * N, M * N + 1, -1, 1);
      const wp = s.put(W), dp = s.put(dZo), ap = s.put(A);
      const whole = s.put(M * N), parts = s.put(new Float32Array(M * N).fill(NaN));
      be.raw!.tanh_backward_tn!(whole, wp, dp, ap, M, N, K);
      const cuts = [...new Set([0, Math.min(M, 1), Math.floor(M / 2), Math.min(M, 12), M])].sort((x, y) => x - y);
      for (let q = 0; q + 1 < cuts.length; q++) be.raw!.tanh_backward_tn_part(parts, wp, dp, ap, M, N, K, cuts[q], cuts[q + 1]);
      expect(bitEqual(s.get(parts, M * N), s.get(whole, M * N)), `${M}×${N}, K ${K}`).toBe(true);
    }
  });

  it.each(ACTS)('%s: the fused forward of layers split by columns and by rows gives the two calls\' bits, in one dispatch', (act, name) => {
    const layerForward = (be.kernels as unknown as FusedKernels).fusedLayerForward(act)!;
    // (nOut, m, nIn): columns (m ≥ nOut), rows (few columns: m = 6), odd sizes, K past the packed
    // blocks; planar-wide's layer on 2 inputs and odd ones on ≤ DENSE_MAX_K (tanh: dense_tanh_part
    // on each block of columns, the last with cols mod 16 columns past its 16-column groups)
    for (const [nOut, m, nIn] of [[128, 256, 100], [1000, 6, 300], [53, 211, 37], [40, 130, 300], [256, 400, 2], [77, 1001, 4], [300, 390, 1], [61, 533, 3]]) {
      const W = randomArray(nOut * nIn, nOut + nIn), X = randomArray(nIn * m, m + 1), b = randomArray(nOut, nOut + 7);
      const w = s.put(W), x = s.put(X), bp = s.put(b);
      const zw = s.put(nOut * m), aw = s.put(nOut * m);
      be.raw!.gemm_nn(zw, w, x, nOut, m, nIn, 1, 0);
      be.raw![name](aw, zw, bp, nOut, m);
      const z = s.put(nOut * m), a = s.put(nOut * m);
      const before = Pool.dispatches;
      layerForward(z, a, w, x, bp, nOut, m, nIn);
      // (every shape splits with tanh's work per element; the last two stay whole with ReLU's)
      const splits = forwardWork(nOut, m, nIn, act) >= 2 * MIN_PART_WORK;
      if (act === 'tanh') expect(splits, `${nOut}×${m}×${nIn}`).toBe(true);
      expect(Pool.dispatches - before).toBe(splits ? 1 : 0);
      expect(bitEqual(s.get(z, nOut * m), s.get(zw, nOut * m)), `Z ${nOut}×${m}×${nIn}`).toBe(true);
      expect(bitEqual(s.get(a, nOut * m), s.get(aw, nOut * m)), `A ${nOut}×${m}×${nIn}`).toBe(true);
    }
  });

  it('a layer\'s two backward products in one dispatch give the two calls\' bits', () => {
    const products = (be.kernels as unknown as FusedKernels).backProducts;
    // (nOut, nIn, m): both split, one split and one whole (nOut = 10: dA's K is too small), odd sizes
    for (const [nOut, nIn, m] of [[256, 256, 256], [10, 128, 256], [53, 37, 211], [128, 784, 64]]) {
      const dZ = randomArray(nOut * m, nOut + m), A = randomArray(nIn * m, nIn + 3), W = randomArray(nOut * nIn, nOut * nIn);
      const dz = s.put(dZ), a = s.put(A), w = s.put(W);
      const dWw = s.put(nOut * nIn), dAw = s.put(nIn * m);
      be.raw!.gemm_nt(dWw, dz, a, nOut, nIn, m, 1 / m, 0);
      be.raw!.gemm_tn(dAw, w, dz, nIn, m, nOut, 1, 0);
      const dW = s.put(nOut * nIn), dA = s.put(nIn * m);
      const before = Pool.dispatches;
      products(dW, dA, dz, a, w, nOut, nIn, m, 1 / m);
      expect(Pool.dispatches - before, `${nOut}×${nIn}×${m}`).toBeLessThanOrEqual(1);
      expect(bitEqual(s.get(dW, nOut * nIn), s.get(dWw, nOut * nIn)), `dW ${nOut}×${nIn}×${m}`).toBe(true);
      expect(bitEqual(s.get(dA, nIn * m), s.get(dAw, nIn * m)), `dA ${nOut}×${nIn}×${m}`).toBe(true);
    }
  });

  const BACKS = [['sigmoid', 'sigmoid_backward'], ['tanh', 'tanh_backward'], ['relu', 'relu_backward'], ['leakyRelu', 'leaky_relu_backward'], ['linear', 'identity_backward']] as const;

  it.each(BACKS)('%s: a layer\'s backward products with the previous layer\'s g\' (dA by rows, then g\' on them) give the three calls\' bits', (act, name) => {
    const layerBackward = (be.kernels as unknown as FusedKernels).fusedLayerBackward(act)!;
    // (nOut, nIn, m, dispatches): planar-wide's output layer (products too small alone, 307 200
    // with g'), one whose dA splits by rows, odd sizes, mnist-shape's output layer (dA's inner size
    // 10: never packed, so by rows with g'), one whose packed dA splits by columns (products
    // dispatched, g' whole), planar's (nothing splits)
    for (const [nOut, nIn, m, dispatches] of [[1, 256, 400, 1], [64, 1000, 6, 1], [33, 257, 101, 1], [10, 128, 256, 1], [64, 128, 256, 1], [1, 4, 400, 0]] as const) {
      expect(backwardWork(nOut, m, nIn) >= 2 * MIN_PART_WORK).toBe(dispatches === 1);
      const dZ = randomArray(nOut * m, nOut + m), Ain = randomArray(nIn * m, nIn + 3), W = randomArray(nOut * nIn, nOut * nIn);
      // the previous layer's A and Z: z over ±3 with some zeros (ReLU's edge), a = g(z) as its forward gives it
      const Z = Float32Array.from(randomArray(nIn * m, nIn + m + 9, -3, 3), (v, i) => (i % 11 === 0 ? 0 : v));
      const dz = s.put(dZ), ain = s.put(Ain), w = s.put(W), zp = s.put(Z), ap = s.put(nIn * m);
      be.raw![`${act === 'leakyRelu' ? 'leaky_relu' : act === 'linear' ? 'identity' : act}_forward`](ap, zp, nIn * m);
      const dWw = s.put(nOut * nIn), dAw = s.put(nIn * m);
      be.raw!.gemm_nt(dWw, dz, ain, nOut, nIn, m, 1 / m, 0);
      be.raw!.gemm_tn(dAw, w, dz, nIn, m, nOut, 1, 0);
      be.raw![name](dAw, dAw, ap, zp, nIn * m);
      const dW = s.put(nOut * nIn), dA = s.put(nIn * m);
      const before = Pool.dispatches;
      layerBackward(dW, dA, dz, ain, w, ap, zp, nOut, nIn, m, 1 / m);
      const label = `${act} ${nOut}×${nIn}×${m}`;
      expect(Pool.dispatches - before, label).toBe(dispatches);
      expect(bitEqual(s.get(dW, nOut * nIn), s.get(dWw, nOut * nIn)), `${label}: dW`).toBe(true);
      expect(bitEqual(s.get(dA, nIn * m), s.get(dAw, nIn * m)), `${label}: dZ_prev`).toBe(true);
    }
  });

  it('the first layer\'s dW and db in one dispatch (blocks of rows of dZ, each then its row sums) give the two calls\' bits', () => {
    const gradients = (be.kernels as unknown as FusedKernels).weightGradients;
    // (nOut, nIn, m, dispatches): planar-wide's first layer (dW alone too small to split, 307 200
    // with db), odd sizes by rows, mnist-shape's (dW splits by columns: gemm_nt's dispatch, db
    // after), one whose dW would split by columns but alone is just under the threshold (nothing
    // splits), planar's (nothing splits)
    for (const [nOut, nIn, m, dispatches] of [[256, 2, 400, 1], [37, 3, 3001, 1], [128, 784, 256, 1], [2, 200, 655, 0], [4, 2, 400, 0]] as const) {
      expect(gradientWork(nOut, m, nIn) >= 2 * MIN_PART_WORK).toBe(nOut !== 4);
      const dZ = randomArray(nOut * m, nOut + m + 1), X = randomArray(nIn * m, nIn + 5);
      const dz = s.put(dZ), x = s.put(X);
      const dWw = s.put(nOut * nIn), dbw = s.put(nOut);
      be.raw!.gemm_nt(dWw, dz, x, nOut, nIn, m, 1 / m, 0);
      be.raw!.row_sum(dbw, dz, nOut, m, 1 / m);
      const dW = s.put(nOut * nIn), db = s.put(nOut);
      const before = Pool.dispatches;
      gradients(dW, db, dz, x, nOut, nIn, m, 1 / m);
      const label = `${nOut}×${nIn}×${m}`;
      expect(Pool.dispatches - before, label).toBe(dispatches);
      expect(bitEqual(s.get(dW, nOut * nIn), s.get(dWw, nOut * nIn)), `${label}: dW`).toBe(true);
      expect(bitEqual(s.get(db, nOut), s.get(dbw, nOut)), `${label}: db`).toBe(true);
    }
  });

  it('softmax has no fused backward (it is only an output, whose dZ comes from the loss)', () => {
    expect((be.kernels as unknown as FusedKernels).fusedLayerBackward('softmax')).toBeUndefined();
  });

  it('softmax has no fused forward (it normalises whole columns): the product splits, the rest runs after', () => {
    expect((be.kernels as unknown as FusedKernels).fusedLayerForward('softmax')).toBeUndefined();
  });
});
