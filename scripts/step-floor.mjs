// How much of train()'s step is the kernels themselves: the same training run (same initial
// parameters, data and learning rate, plain SGD) as train(X, Y, { iterations: k }) on one thread
// and the plain module, and as the bare list of kernel calls that step makes (engine.ts's
// forwardPass, cost, backwardPass and sgdUpdate, written out for tanh hidden layers and a sigmoid
// output with BCE) on a second instance of the same module, with no checks, no bookkeeping and no
// JavaScript between the calls. CPU time of this process, alternating rounds, medians.
//   node scripts/step-floor.mjs [--workloads planar,planar-wide] [--rounds 7] [--shared]
// --shared: the same bare list also on the shared-memory module (build/mlp-shared.wasm on a
// shared WebAssembly.Memory, as threads run it: what a network with threads > 1 runs on the
// calling thread when none of its products splits, planar's case), timed in the same rounds.
// Needs `npm run build` (dist/index.js and build/mlp.wasm). Both runs must end on the same
// parameters, bit for bit (checked): the bare list is the step, not an approximation of it.
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const { values } = parseArgs({ options: { workloads: { type: 'string' }, rounds: { type: 'string' }, shared: { type: 'boolean' } } });
const { Network, datasets } = await import(pathToFileURL(path.join(root, 'dist/index.js')).href);
const bytes = fs.readFileSync(path.join(root, 'build/mlp.wasm'));
const rounds = Number(values.rounds ?? 7);
const SHARED_MAX_PAGES = JSON.parse(fs.readFileSync(path.join(root, 'asconfig.json'), 'utf8')).targets.shared.maximumMemory;
const WORKLOADS = {
  planar: { data: () => datasets.flower({ m: 400, seed: 1 }), layers: [2, 4, 1], lr: 1.2 },
  'planar-wide': { data: () => datasets.flower({ m: 400, seed: 2 }), layers: [2, 256, 1], lr: 1.2 },
};
const cpu = () => { const u = process.cpuUsage(); return (u.user + u.system) / 1e6; };
const median = (a) => [...a].sort((x, y) => x - y)[a.length >> 1];

/** The bare step on its own module instance: parameters and gradients in one block each, as the arena lays them out. */
async function bareStep(layers, X, Y, lr, shared = false) {
  // (the shared build imports its memory: one like the threads' own, src/core/extra.ts's, at most the pages asconfig.json declares)
  const memory = shared ? new WebAssembly.Memory({ initial: 32, maximum: SHARED_MAX_PAGES, shared: true }) : undefined;
  const { instance } = shared
    ? await WebAssembly.instantiate(fs.readFileSync(path.join(root, 'build/mlp-shared.wasm')), { env: { memory } })
    : await WebAssembly.instantiate(bytes, {});
  const k = shared ? { ...instance.exports, memory } : instance.exports;
  const m = X.cols, L = layers.length - 1;
  let top = (k.arena_base() + 63) & ~63;
  const sizes = [];
  for (let l = 1; l <= L; l++) sizes.push(layers[l] * layers[l - 1], layers[l]);
  const paramFloats = sizes.reduce((s, n) => s + n, 0);
  const need = top + 4 * (2 * paramFloats + X.data.length + Y.data.length + 3 * m * layers.slice(1).reduce((s, n) => s + n, 0)) + 64 * (4 * L + 8);
  k.memory.grow(Math.max(0, Math.ceil((need - k.memory.buffer.byteLength) / 65536)));
  const alloc = (n) => { const p = top; top += (n * 4 + 63) & ~63; return p; };
  const params = alloc(paramFloats), grads = alloc(paramFloats);
  const x = alloc(X.data.length), y = alloc(Y.data.length);
  const lay = [];
  let off = 0;
  for (let l = 1; l <= L; l++) {
    const nOut = layers[l], nIn = layers[l - 1];
    const s = { nOut, nIn, W: params + 4 * off, dW: grads + 4 * off, b: params + 4 * (off + nOut * nIn), db: grads + 4 * (off + nOut * nIn) };
    off += nOut * nIn + nOut;
    Object.assign(s, { Z: alloc(nOut * m), A: alloc(nOut * m), dZ: alloc(nOut * m), Ain: l === 1 ? x : lay[l - 2].A });
    lay.push(s);
  }
  const heap = () => new Float32Array(k.memory.buffer);
  heap().set(X.data, x / 4);
  heap().set(Y.data, y / 4);
  const out = lay[L - 1];
  const step = () => {
    for (let l = 0; l < L - 1; l++) { const s = lay[l]; k.gemm_nn(s.Z, s.W, s.Ain, s.nOut, m, s.nIn, 1, 0); k.bias_tanh(s.A, s.Z, s.b, s.nOut, m); }
    k.gemm_nn(out.Z, out.W, out.Ain, out.nOut, m, out.nIn, 1, 0);
    k.bias_sigmoid_e(out.A, out.Z, out.b, out.dZ, out.nOut, m);
    const J = k.bce_cost_e(out.Z, y, out.dZ, out.nOut * m, m);
    k.output_delta(out.dZ, out.A, y, out.nOut * m);
    for (let l = L - 1; l >= 0; l--) {
      const s = lay[l];
      k.gemm_nt(s.dW, s.dZ, s.Ain, s.nOut, s.nIn, m, 1 / m, 0);
      if (l > 0) k.gemm_tn(lay[l - 1].dZ, s.W, s.dZ, s.nIn, m, s.nOut, 1, 0);
      k.row_sum(s.db, s.dZ, s.nOut, m, 1 / m);
      if (l > 0) k.tanh_backward(lay[l - 1].dZ, lay[l - 1].dZ, lay[l - 1].A, lay[l - 1].Z, s.nIn * m);
    }
    k.sgd_update(params, grads, paramFloats, lr);
    return J;
  };
  const setParams = (ps) => {
    const h = heap();
    ps.forEach((p, i) => { h.set(p.W.data, lay[i].W / 4); h.set(p.b, lay[i].b / 4); });
  };
  const getParams = () => heap().slice(params / 4, params / 4 + paramFloats);
  return { step, setParams, getParams };
}

for (const name of (values.workloads ?? Object.keys(WORKLOADS).join(',')).split(',')) {
  const w = WORKLOADS[name];
  if (w === undefined) throw new Error(`unknown workload ${name} (${Object.keys(WORKLOADS).join(', ')})`);
  const { X, Y } = w.data();
  const net = await Network.create({ layers: w.layers, seed: 1, backend: 'wasm', threads: 1, simd: 'plain' });
  const p0 = net.getParams();
  const bare = await bareStep(w.layers, X, Y, w.lr);
  const sharedBare = values.shared ? await bareStep(w.layers, X, Y, w.lr, true) : undefined;
  const runTrain = (n) => { net.setParams(p0); net.train(X, Y, { iterations: n, learningRate: w.lr }); };
  const runBare = (n) => { bare.setParams(p0); for (let i = 0; i < n; i++) bare.step(); };
  // the same run: the same parameters after a few steps, bit for bit
  runTrain(50); runBare(50);
  const a = Float32Array.from(net.getParams().flatMap((p) => [...p.W.data, ...p.b]));
  const b = bare.getParams();
  if (a.length !== b.length || a.some((v, i) => !Object.is(v, b[i]))) throw new Error(`${name}: the bare step is not train()'s step (parameters differ after 50 steps)`);
  const runShared = (n) => { sharedBare.setParams(p0); for (let i = 0; i < n; i++) sharedBare.step(); };
  if (sharedBare) {
    runShared(50);
    if (sharedBare.getParams().some((v, i) => !Object.is(v, b[i]))) throw new Error(`${name}: the shared-memory module's bare step is not the same step`);
  }
  let k = 1;
  const timed = (fn, n) => { const t0 = cpu(); fn(n); return cpu() - t0; };
  while (timed(runTrain, k) < 0.1) k *= 2;
  k = Math.max(1, Math.round(k * 0.3 / timed(runTrain, k)));
  const t = { train: [], bare: [], shared: [] };
  for (let r = 0; r < rounds; r++) {
    t.train.push(timed(runTrain, k) / k * 1e6);
    // (with --shared, the two modules' turns alternate in order round by round)
    if (sharedBare && r % 2 === 1) t.shared.push(timed(runShared, k) / k * 1e6);
    t.bare.push(timed(runBare, k) / k * 1e6);
    if (sharedBare && r % 2 === 0) t.shared.push(timed(runShared, k) / k * 1e6);
  }
  const tr = median(t.train), br = median(t.bare);
  const f = (v) => (v >= 100 ? v.toFixed(0) : v.toFixed(2));
  console.log(`${name} (k = ${k} steps from the same start, ${rounds} rounds): µs of CPU per step: train() ${f(tr)}, the bare kernel calls ${f(br)}` +
    ` — the kernels are ${(100 * br / tr).toFixed(0)}% of train()'s step; train() steps/s at most ${(tr / br).toFixed(2)}× today's with no time outside the kernels`);
  if (sharedBare) {
    const sr = median(t.shared), perRound = median(t.shared.map((v, i) => v / t.bare[i]));
    console.log(`  the same bare calls on the shared-memory module: ${f(sr)} µs of CPU per step, ${perRound.toFixed(3)}× the own-memory module's time (median of the rounds' ratios; rounds ${t.shared.map((v, i) => (v / t.bare[i]).toFixed(2)).join(' ')})`);
  }
  net.dispose();
}
