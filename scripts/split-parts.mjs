// How many blocks a split product should have, measured without the pool: C = A·B on the
// shared-memory module (build/mlp-shared.wasm), split into P blocks of columns that the main
// thread and one busy-waiting worker claim from an atomic counter (as the pool's threads claim
// parts), against the whole product on the main thread, in alternating rounds; t2/t1 per P.
// More blocks than threads let a fast thread take more of the work when the two run at different
// speeds, at the cost of packing A once per block (src/core/parallel.ts, PARTS_PER_THREAD).
//   npm run build && node scripts/split-parts.mjs            (GEMM 512; P = 1, 2, 4, 8)
//   SHAPE=128,256,784 PS=2,4 node scripts/split-parts.mjs    (M,N,K: mnist-shape's forward product)
import { readFileSync } from 'node:fs';
import { Worker, isMainThread, parentPort, workerData } from 'node:worker_threads';
const [M, N, K] = (process.env.SHAPE ?? '512,512,512').split(',').map(Number);
const PS = (process.env.PS ?? '1,2,4,8').split(',').map(Number);
const sharedBytes = readFileSync(new URL('../build/mlp-shared.wasm', import.meta.url));
const A = 1 << 20, B = A + M * K * 4, C = B + K * N * 4, S1 = C + M * N * 4 + 4096, S2 = S1 + (1 << 21);
const inst = (memory) => new WebAssembly.Instance(new WebAssembly.Module(sharedBytes), { env: { memory } }).exports;
const start = (p, P) => Math.min(N, Math.floor((p * Math.ceil(N / 8)) / P) * 8);
function claimLoop(sh, ctl, S, P) {
  for (;;) { const p = Atomics.add(ctl, 2, 1); if (p >= P) return; sh.gemm_nn_part(C, S, A, B, M, N, K, 0, M, start(p, P), start(p + 1, P), 1, 0); }
}
if (isMainThread) {
  const memory = new WebAssembly.Memory({ initial: Math.ceil((S2 + (1 << 21)) / 65536) + 1, maximum: 32768, shared: true });
  const sh = inst(memory);
  const f = new Float32Array(memory.buffer);
  for (let i = 0; i < M * K + K * N; i++) f[A / 4 + i] = Math.sin(i);
  const ctl = new Int32Array(new SharedArrayBuffer(16));
  const w = new Worker(new URL(import.meta.url), { workerData: { memory, ctl } });
  await new Promise((r) => w.once('message', r));
  const T = Object.fromEntries(PS.map((P) => [P, []]));
  T[0] = [];
  for (let round = 0; round < 60; round++) {
    let t = performance.now(); sh.gemm_nn(C, A, B, M, N, K, 1, 0); T[0].push(performance.now() - t);
    for (const P of PS) {
      t = performance.now();
      Atomics.store(ctl, 2, 0); Atomics.store(ctl, 3, P); Atomics.store(ctl, 1, 0);
      Atomics.add(ctl, 0, 1);
      claimLoop(sh, ctl, S1, P);
      while (Atomics.load(ctl, 1) !== 1);
      T[P].push(performance.now() - t);
    }
  }
  Atomics.store(ctl, 0, -1000); w.terminate();
  const med = (a) => { a = a.slice(10).sort((x, y) => x - y); return a[a.length >> 1]; };
  const one = med(T[0]);
  console.log(`${M}x${N}x${K}: 1 thread ${(2 * M * N * K / one / 1e6).toFixed(1)} GFLOP/s; t2/t1 by parts: ` + PS.map((P) => `${P}: ${(one / med(T[P])).toFixed(2)}`).join(', '));
} else {
  const { memory, ctl } = workerData;
  const sh = inst(memory);
  parentPort.postMessage('up');
  let seen = 0;
  for (;;) {
    let v; while ((v = Atomics.load(ctl, 0)) === seen);
    if (v < 0) break;
    seen = v;
    claimLoop(sh, ctl, S2, Atomics.load(ctl, 3));
    Atomics.store(ctl, 1, 1);
  }
}
