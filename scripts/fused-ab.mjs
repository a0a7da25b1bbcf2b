// The fused kernels for layers on few inputs or under few units against the two kernels each
// replaces, on one instance of build/mlp.wasm (plain SIMD, one thread): dense_tanh against
// gemm_nn + bias_tanh (a tanh layer's forward, K inputs), tanh_backward_tn against gemm_tn +
// tanh_backward (a tanh layer's dZ from a layer of K units above), on sizes around what the engine
// gives them (K ≤ DENSE_MAX_K = 4, src/core/kernels.ts) and past it. Seeded sin values (no
// saturated tanh), 7 alternating rounds, medians of µs per call.
//   npm run build && node scripts/fused-ab.mjs
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const { instance } = await WebAssembly.instantiate(readFileSync(path.join(root, 'build/mlp.wasm')), {});
const k = instance.exports;
k.memory.grow(400);
let top = (k.arena_base() + 63) & ~63;
const alloc = (n) => { const p = top; top += (n * 4 + 63) & ~63; return p; };
const fill = (p, n, s) => { const a = new Float32Array(k.memory.buffer); for (let i = 0; i < n; i++) a[(p >> 2) + i] = Math.sin(i * 0.37 + s) * 1.5; };
const time = (f, reps) => {
  for (let i = 0; i < reps / 10; i++) f();
  const t0 = performance.now();
  for (let i = 0; i < reps; i++) f();
  return ((performance.now() - t0) / reps) * 1e3;
};
const median = (x) => [...x].sort((a, b) => a - b)[x.length >> 1];
/** two alternatives timed in 7 alternating rounds: [µs of the two kernels, µs of the fused one] */
function ab(two, one, elements) {
  const reps = Math.max(20, Math.floor(2e6 / elements));
  const t2 = [], t1 = [];
  for (let r = 0; r < 7; r++) { t2.push(time(two, reps)); t1.push(time(one, reps)); }
  return [median(t2), median(t1)];
}
const line = (what, names, [t2, t1]) => console.log(`${what}: ${names[0]} ${t2.toFixed(2)} µs, ${names[1]} ${t1.toFixed(2)} µs, ratio ${(t2 / t1).toFixed(2)}`);

for (const [rows, cols, K] of [[4, 400, 2], [256, 400, 2], [256, 400, 4], [1024, 512, 4], [256, 400, 8], [256, 400, 12]]) {
  const w = alloc(rows * K), x = alloc(K * cols), b = alloc(rows), z = alloc(rows * cols), a = alloc(rows * cols);
  fill(w, rows * K, 1); fill(x, K * cols, 2); fill(b, rows, 3);
  line(`forward ${rows}×${cols}, K ${K}`, ['gemm_nn + bias_tanh', 'dense_tanh'], ab(
    () => { k.gemm_nn(z, w, x, rows, cols, K, 1, 0); k.bias_tanh(a, z, b, rows, cols); },
    () => k.dense_tanh(a, z, w, x, b, rows, cols, K), rows * cols));
}
for (const [M, N, K] of [[4, 400, 1], [128, 256, 1], [128, 256, 4], [1024, 512, 1], [128, 256, 8], [128, 256, 12]]) {
  const w = alloc(K * M), dzo = alloc(K * N), a = alloc(M * N), dz = alloc(M * N);
  fill(w, K * M, 1); fill(dzo, K * N, 2); fill(a, M * N, 3);
  line(`backward ${M}×${N}, K ${K}`, ['gemm_tn + tanh_backward', 'tanh_backward_tn'], ab(
    () => { k.gemm_tn(dz, w, dzo, M, N, K, 1, 0); k.tanh_backward(dz, dz, a, 0, M * N); },
    () => k.tanh_backward_tn(dz, w, dzo, a, M, N, K), M * N));
}
for (const [M, N, K] of [[4, 2, 400], [4, 1, 400], [256, 2, 400], [64, 2, 1003]]) {
  const dz = alloc(M * K), a = alloc(N * K), dw = alloc(M * N), db = alloc(M);
  fill(dz, M * K, 1); fill(a, N * K, 2);
  line(`first layer's gradients ${M}×${N}, K ${K}`, ['gemm_nt + row_sum', 'gemm_nt_row_sum'], ab(
    () => { k.gemm_nt(dw, dz, a, M, N, K, 1 / K, 0); k.row_sum(db, dz, M, K, 1 / K); },
    () => k.gemm_nt_row_sum(dw, db, dz, a, M, N, K, 1 / K), M * K));
}
