// How steady this host is for the benchmark's figures: in rounds, the register-only mul+add peak
// loop (bench/assembly/peak.ts, 12 chains: no memory traffic), the plain GEMM's 4 × 8 micro-kernel
// on L1-resident panels (peak.ts's tile_loop: its loads, no cache beyond L1) and GEMM 512 on
// build/mlp.wasm (packed, L1/L2-bound), each round on a fresh compile of the same module (a custom
// section named after the round makes the bytes differ, so V8 compiles it anew rather than
// reusing its cache). A steady host gives the same GEMM figure in every round; a host whose cores
// share their caches or load ports with other work moves the GEMM while the peak loop stays put
// (the tile says which: it moves with the GEMM when the noise is in the core's ports, stays with
// the peak when it is in the caches), and then every ratio of two timed cells (threads 2 / 1,
// relaxed / plain) moves with it.
// Last, the peak loop and the tile on two threads at once: whether the two cores are the machine's own.
//   npm run build && npm run bench:bundle && node scripts/host-noise.mjs [rounds]
import { readFileSync } from 'node:fs';
import { Worker, isMainThread, parentPort } from 'node:worker_threads';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const peakBytes = readFileSync(path.join(root, 'build/peak.wasm'));
/** the median GFLOP/s over `seconds` of the peak loop (loop 'peak') or of the micro-kernel's (loop 'tile') */
function peakFor(seconds, loop = 'peak') {
  const ex = new WebAssembly.Instance(new WebAssembly.Module(peakBytes), { env: { abort() {} } }).exports;
  const [run, n, f] = loop === 'peak' ? [ex.peak_loop_12, 2_000_000, ex.FLOPS_PER_ITERATION_12.value] : [ex.tile_loop, 4000, ex.FLOPS_PER_TILE_PASS.value];
  const out = [];
  for (const end = performance.now() + seconds * 1000; performance.now() < end;) {
    const t = performance.now();
    run(n, 1.0001);
    out.push((n * f) / (performance.now() - t) / 1e6);
  }
  return out.sort((x, y) => x - y)[out.length >> 1];
}
if (!isMainThread) {
  parentPort.postMessage([peakFor(1.5), peakFor(1.5, 'tile')]);
  process.exit(0);
}
const rounds = Number(process.argv[2] ?? 8);
const kernels = readFileSync(path.join(root, 'build/mlp.wasm'));
const peak = new WebAssembly.Instance(new WebAssembly.Module(peakBytes), { env: { abort() {} } }).exports;
const N = 512, A = 1 << 20, B = A + N * N * 4, C = B + N * N * 4;
const median = (a) => [...a].sort((x, y) => x - y)[a.length >> 1];

function freshKernels(round) {
  const name = Buffer.from(`round-${round}`);
  const section = Buffer.concat([Buffer.from([0, name.length + 1, name.length]), name]);
  const ex = new WebAssembly.Instance(new WebAssembly.Module(Buffer.concat([kernels, section])), {}).exports;
  ex.memory.grow(Math.ceil((C + N * N * 4) / 65536));
  const f = new Float32Array(ex.memory.buffer);
  for (let i = 0; i < 2 * N * N; i++) f[A / 4 + i] = Math.sin(i);
  return ex;
}

const ITER = 2_000_000, flops = peak.FLOPS_PER_ITERATION_12.value;
const PASSES = 4000, tileFlops = peak.FLOPS_PER_TILE_PASS.value;
const gemm = [], peaks = [], tiles = [], compiled = [];
console.log('round  peak-12 GFLOP/s  tile GFLOP/s  GEMM 512 GFLOP/s  GEMM / peak');
for (let r = 0; r < rounds; r++) {
  const ex = freshKernels(r);
  compiled.push(ex);
  const p = [], g = [], q = [];
  for (let i = 0; i < 9; i++) {
    let t = performance.now();
    peak.peak_loop_12(ITER, 1.0001);
    p.push((ITER * flops) / (performance.now() - t) / 1e6);
    t = performance.now();
    peak.tile_loop(PASSES, 1.0001);
    q.push((PASSES * tileFlops) / (performance.now() - t) / 1e6);
    t = performance.now();
    ex.gemm_nn(C, A, B, N, N, N, 1, 0);
    g.push((2 * N ** 3) / (performance.now() - t) / 1e6);
  }
  const mp = median(p.slice(2)), mq = median(q.slice(2)), mg = median(g.slice(2));
  peaks.push(mp); tiles.push(mq); gemm.push(mg);
  console.log(`${String(r).padStart(5)}  ${mp.toFixed(1).padStart(15)}  ${mq.toFixed(1).padStart(12)}  ${mg.toFixed(1).padStart(16)}  ${(mg / mp).toFixed(2).padStart(11)}`);
}
// the same compiles again, in the same order: a figure that follows its compile (the machine code's
// placement) repeats here; one that follows the moment (other work on the host) does not
const again = compiled.map((ex) => {
  const g = [];
  for (let i = 0; i < 7; i++) {
    const t = performance.now();
    ex.gemm_nn(C, A, B, N, N, N, 1, 0);
    g.push((2 * N ** 3) / (performance.now() - t) / 1e6);
  }
  return median(g.slice(2));
});
console.log(`GEMM 512 of the same compiles, timed again: ${again.map((g) => g.toFixed(1)).join(', ')}`);
const spread = (a) => `${Math.min(...a).toFixed(1)}–${Math.max(...a).toFixed(1)} (max/min ${(Math.max(...a) / Math.min(...a)).toFixed(2)})`;
console.log(`peak-12: ${spread(peaks)}; tile: ${spread(tiles)}; GEMM 512: ${spread(gemm)}`);
// the peak loop and the tile on one thread, then on two worker threads at once (each thread the
// peak loop, then the tile): two cores of their own give 2×
const alone = [peakFor(1.5), peakFor(1.5, 'tile')];
const two = await Promise.all([0, 1].map(() => new Promise((resolve, reject) => {
  const w = new Worker(new URL(import.meta.url));
  w.once('message', resolve);
  w.once('error', reject);
})));
for (const [i, name] of ['peak-12', 'tile'].entries()) {
  console.log(`${name} alone ${alone[i].toFixed(1)} GFLOP/s, on two threads at once ${two.map((g) => g[i].toFixed(1)).join(' + ')}: ${((two[0][i] + two[1][i]) / alone[i]).toFixed(2)}×`);
}
