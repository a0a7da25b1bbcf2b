// Two kernel modules' activation and cost kernels, side by side, on the data of a trained planar
// network: the flower (m = 400), 2-4-1, trained `--iterations` steps (lr 1.2, one thread, plain
// module) by this build, so that the hidden layer is as saturated as it is in the bench's long runs
// (most |z| past tanh's clamp). Each module gets its own instance with the same Z and Y; the calls
// alternate module by module for `--rounds` rounds of 20 000 calls each; medians of ns per call,
// and A / B (above 1: B is faster). bias_tanh runs on 4 × 400, bias_sigmoid_e and bce_cost_e on
// 1 × 400, with the biases already folded into Z (so that repeated calls see the same values);
// bias_tanh_unsat on 4 × 400 values |z| < 3 (none saturated); 'W1·X, tanh' the hidden layer's
// forward (dense_tanh, or gemm_nn then bias_tanh in a module without it). Then the step's products, each into
// its own buffer: forward W1·X (4 × 400 × 2) and W2·A1 (1 × 400 × 4), backward W2ᵀ·dZ2
// (4 × 400 × 1), dW1 = dZ1·Xᵀ (4 × 2 × 400) and dW2 = dZ2·A1ᵀ (1 × 4 × 400), tanh_backward and
// row_sum (db1) on 4 × 400.
//   npm run build && node scripts/kernel-ab.mjs A.wasm [B.wasm] [--iterations 30000] [--rounds 9]
// B defaults to build/mlp.wasm; `node scripts/bench-baseline.mjs REV --module` builds an older
// revision's module and prints its path. One process, one thread: the ratios are from one run;
// the absolute times move with the host.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const { values, positionals } = parseArgs({ allowPositionals: true, options: { iterations: { type: 'string' }, rounds: { type: 'string' } } });
if (positionals.length < 1) {
  console.error('kernel-ab: give one or two kernel modules (A.wasm [B.wasm]; B defaults to build/mlp.wasm)');
  process.exit(2);
}
const files = [positionals[0], positionals[1] ?? path.join(root, 'build/mlp.wasm')];
const iterations = Number(values.iterations ?? 30000), rounds = Number(values.rounds ?? 9);
const { Network, datasets } = await import(pathToFileURL(path.join(root, 'dist/index.js')).href);

const { X, Y } = datasets.flower({ m: 400, seed: 1 });
const net = await Network.create({ layers: [2, 4, 1], seed: 1, backend: 'wasm', threads: 1, simd: 'plain' });
net.train(X, Y, { iterations, learningRate: 1.2 });
const [l1, l2] = net.getParams();
net.dispose();

const m = 400;
let saturated = 0;
/** The three kernels on their own instance of the module in `file`, over this network's Z. */
async function kernelsOf(file) {
  const { instance } = await WebAssembly.instantiate(readFileSync(file), {});
  const k = instance.exports;
  let top = (k.arena_base() + 63) & ~63;
  const alloc = (n) => { const p = top; top += (n * 4 + 63) & ~63; return p; };
  k.memory.grow(4);
  const W1 = alloc(8), b1 = alloc(4), W2 = alloc(4), b2 = alloc(1), x = alloc(2 * m), y = alloc(m);
  const Z1 = alloc(4 * m), A1 = alloc(4 * m), Z2 = alloc(m), A2 = alloc(m), ev = alloc(m);
  const Zu = alloc(4 * m), Au = alloc(4 * m), P1 = alloc(4 * m), P2 = alloc(m), dZ2 = alloc(m), dA1 = alloc(4 * m), dZ1 = alloc(4 * m);
  const dW1 = alloc(8), dW2 = alloc(4), db1 = alloc(4);
  const h = new Float32Array(k.memory.buffer);
  h.set(X.data, x >> 2); h.set(Y.data, y >> 2);
  h.set(l1.W.data, W1 >> 2); h.set(l1.b, b1 >> 2); h.set(l2.W.data, W2 >> 2); h.set(l2.b, b2 >> 2);
  // the forward pass once (Z += b inside the bias kernels), then zero biases
  k.gemm_nn(Z1, W1, x, 4, m, 2, 1, 0);
  k.bias_tanh(A1, Z1, b1, 4, m);
  k.gemm_nn(Z2, W2, A1, 1, m, 4, 1, 0);
  k.bias_sigmoid_e(A2, Z2, b2, ev, 1, m);
  h.fill(0, b1 >> 2, (b1 >> 2) + 4);
  h[b2 >> 2] = 0;
  for (let i = 0; i < 4 * m; i++) h[(Zu >> 2) + i] = 3 * Math.sin(7.1 * i);
  // the backward pass's inputs once: dZ2 = A2 − Y, dA1 = W2ᵀ·dZ2, dZ1 = dA1 ⊙ (1 − A1²)
  k.output_delta(dZ2, A2, y, m);
  k.gemm_tn(dA1, W2, dZ2, 4, m, 1, 1, 0);
  k.tanh_backward(dZ1, dA1, A1, Z1, 4 * m);
  saturated = h.subarray(Z1 >> 2, (Z1 >> 2) + 4 * m).filter((z) => Math.abs(z) >= 9.5).length / (4 * m);
  return {
    bias_tanh: () => k.bias_tanh(A1, Z1, b1, 4, m),
    bias_sigmoid_e: () => k.bias_sigmoid_e(A2, Z2, b2, ev, 1, m),
    bce_cost_e: () => k.bce_cost_e(Z2, y, ev, m, m),
    bias_tanh_unsat: () => k.bias_tanh(Au, Zu, b1, 4, m),
    // the hidden layer's whole forward: one dense_tanh where the module has it, else its two kernels
    'W1·X, tanh': k.dense_tanh ? () => k.dense_tanh(A1, Z1, W1, x, b1, 4, m, 2) : () => { k.gemm_nn(Z1, W1, x, 4, m, 2, 1, 0); k.bias_tanh(A1, Z1, b1, 4, m); },
    'W1·X': () => k.gemm_nn(P1, W1, x, 4, m, 2, 1, 0),
    'W2·A1': () => k.gemm_nn(P2, W2, A1, 1, m, 4, 1, 0),
    'W2ᵀ·dZ2': () => k.gemm_tn(dA1, W2, dZ2, 4, m, 1, 1, 0),
    'dZ1·Xᵀ': () => k.gemm_nt(dW1, dZ1, x, 4, 2, m, 1 / m, 0),
    'dZ2·A1ᵀ': () => k.gemm_nt(dW2, dZ2, A1, 1, 4, m, 1 / m, 0),
    tanh_backward: () => k.tanh_backward(dZ1, dA1, A1, Z1, 4 * m),
    row_sum: () => k.row_sum(db1, dZ1, 4, m, 1 / m),
  };
}

const mods = [await kernelsOf(files[0]), await kernelsOf(files[1])];
const N = 20000;
const times = Object.fromEntries(Object.keys(mods[0]).map((n) => [n, [[], []]]));
for (let r = 0; r < rounds; r++) {
  for (const name of Object.keys(times)) {
    mods.forEach((kernels, i) => {
      const f = kernels[name];
      for (let j = 0; j < 1000; j++) f();
      const t0 = process.hrtime.bigint();
      for (let j = 0; j < N; j++) f();
      times[name][i].push(Number(process.hrtime.bigint() - t0) / N);
    });
  }
}
const median = (a) => [...a].sort((x, y) => x - y)[a.length >> 1];
console.log(`planar 2-4-1 after ${iterations} steps (${(100 * saturated).toFixed(0)}% of the hidden |z| ≥ 9.5), ${rounds} rounds × ${N} calls, ns per call (medians):`);
console.log(`  A = ${path.relative(process.cwd(), files[0])}, B = ${path.relative(process.cwd(), files[1])}`);
for (const [name, [a, b]] of Object.entries(times)) {
  const ma = median(a), mb = median(b);
  console.log(`  ${name.padEnd(15)} A ${ma.toFixed(0).padStart(5)}  B ${mb.toFixed(0).padStart(5)}  A / B ${(ma / mb).toFixed(2)}`);
}
