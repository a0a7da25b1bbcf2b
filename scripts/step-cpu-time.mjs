// The step API against train(), and this build's train() against an older build's, in CPU time
// of this process (process.cpuUsage), which time spent descheduled does not inflate: on a shared
// machine the wall-clock ratios of `npm run bench` move by ±30%, these by a few %. One thread
// only (CPU time adds up the threads). Needs `npm run build` (dist/index.js).
//   node scripts/step-cpu-time.mjs [BASELINE_BUNDLE] [--workloads planar,planar-wide,mnist-shape] [--rounds 7]
// BASELINE_BUNDLE: an older build (node scripts/bench-baseline.mjs REV prints its path).
// Per workload: four networks from the same initial parameters — train(X, Y, { iterations: k }),
// k loops of forward/cost/backward/update on net.batch(X, Y), k calls of train(X, Y, { iterations: 1 }),
// and the baseline's train() — each call from those parameters again (as the bench does), k
// chosen so that a call takes about 0.3 s; the calls alternate for `rounds` rounds; medians.
import path from 'node:path';
import { parseArgs } from 'node:util';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const { values, positionals } = parseArgs({ allowPositionals: true, options: { workloads: { type: 'string' }, rounds: { type: 'string' } } });
const lib = await import(pathToFileURL(path.join(root, 'dist/index.js')).href);
const base = positionals[0] ? await import(pathToFileURL(path.resolve(positionals[0])).href) : undefined;
const rounds = Number(values.rounds ?? 7);
const { datasets } = lib;

/** uniform [-0.5, 0.5) from a small LCG: the values matter only for how saturated training gets */
function uniform(n, seed) {
  let s = seed;
  return Float32Array.from({ length: n }, () => { s = (s * 1103515245 + 12345) % 2147483648; return s / 2147483648 - 0.5; });
}
const WORKLOADS = {
  planar: () => ({ ...datasets.flower({ m: 400, seed: 1 }), layers: [2, 4, 1], lr: 1.2 }),
  'planar-wide': () => ({ ...datasets.flower({ m: 400, seed: 2 }), layers: [2, 256, 1], lr: 1.2 }),
  'mnist-shape': () => ({
    X: { rows: 784, cols: 256, data: uniform(784 * 256, 3) },
    Y: { rows: 10, cols: 256, data: Float32Array.from({ length: 2560 }, (_, i) => (Math.floor(i / 256) === i % 10 ? 1 : 0)) },
    layers: [784, 128, 10], lr: 0.5,
  }),
};
const cpu = () => { const u = process.cpuUsage(); return (u.user + u.system) / 1e6; };
const median = (a) => [...a].sort((x, y) => x - y)[a.length >> 1];

for (const name of (values.workloads ?? Object.keys(WORKLOADS).join(',')).split(',')) {
  const { X, Y, layers, lr } = WORKLOADS[name]();
  // this build on one thread and the plain module, as the baseline (which has neither option) runs
  const make = (l) => l.Network.create({ layers, seed: 1, backend: 'wasm', ...(l === lib ? { threads: 1, simd: 'plain' } : {}) });
  const nets = { train: await make(lib), stepApi: await make(lib), train1: await make(lib), ...(base ? { baseline: await make(base) } : {}) };
  const p0 = nets.train.getParams();
  const batch = nets.stepApi.batch(X, Y);
  const one = { iterations: 1, learningRate: lr };
  const run = {
    train: (k) => nets.train.train(X, Y, { iterations: k, learningRate: lr }),
    stepApi: (k) => { const n = nets.stepApi; for (let i = 0; i < k; i++) { n.forward(batch); n.cost(batch); n.backward(batch); n.update(lr); } },
    train1: (k) => { for (let i = 0; i < k; i++) nets.train1.train(X, Y, one); },
    ...(base ? { baseline: (k) => nets.baseline.train(X, Y, { iterations: k, learningRate: lr }) } : {}),
  };
  const timeOf = (m, k) => { nets[m].setParams(p0); const t0 = cpu(); run[m](k); return cpu() - t0; };
  let k = 1;
  while (timeOf('train', k) < 0.1) k *= 2;
  k = Math.max(1, Math.round(k * 0.3 / timeOf('train', k)));
  const t = Object.fromEntries(Object.keys(run).map((m) => [m, []]));
  for (let r = 0; r < rounds; r++) for (const m of Object.keys(run)) t[m].push(timeOf(m, k) / k * 1e6);
  const us = Object.fromEntries(Object.entries(t).map(([m, v]) => [m, median(v)]));
  const f = (x) => (x >= 100 ? x.toFixed(0) : x.toFixed(2));
  console.log(`${name} (k = ${k} steps per call, ${rounds} rounds): µs of CPU per step: train ${f(us.train)}, step API ${f(us.stepApi)}, train-1 ${f(us.train1)}` +
    (base ? `, baseline ${f(us.baseline)}` : '') + ` — step API / train ${(us.stepApi / us.train).toFixed(2)}×, train-1 / train ${(us.train1 / us.train).toFixed(2)}×` +
    (base ? `, train steps/s / baseline's ${(us.baseline / us.train).toFixed(2)}×` : ''));
  for (const n of Object.values(nets)) n.dispose();
}
