// Two builds' train() side by side in one process, on threads as well as on one: the same
// workload, initial parameters and options for both, the calls alternating build by build, round
// by round; per round the ratio of the two builds' times (a pair timed seconds apart, so that a
// host whose other core comes and goes moves both alike), and the median of those ratios. Also
// this build on one thread, as the anchor of threads 2 / 1, and whether the two builds end on the
// same parameters, bit for bit (a change that should only move work between threads must).
//   npm run build && node scripts/train-ab.mjs BASE_BUNDLE [--workload planar-wide] [--threads 2] [--rounds 21] [--steps 200] [--cpu]
// --cpu: the process's CPU time (process.cpuUsage) instead of the wall clock, which time spent
// descheduled on a shared host does not inflate; only for networks whose workers never run a part
// (CPU time adds up the threads), such as planar's.
// BASE_BUNDLE: `node scripts/bench-baseline.mjs REV --own-build` builds a revision with its own
// `npm run build` and prints its dist/index.js. Workloads: bench/workloads.json's flower ones
// (planar, planar-wide) and mnist-shape (random data from a fixed seed).
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: { workload: { type: 'string' }, threads: { type: 'string' }, rounds: { type: 'string' }, steps: { type: 'string' }, cpu: { type: 'boolean' } },
});
if (positionals.length !== 1) {
  console.error('train-ab: give the other build (BASE_BUNDLE: node scripts/bench-baseline.mjs REV --own-build prints one)');
  process.exit(2);
}
const [base, here] = await Promise.all([path.resolve(positionals[0]), path.join(root, 'dist/index.js')].map((p) => import(pathToFileURL(p).href)));
const spec = JSON.parse(readFileSync(path.join(root, 'bench/workloads.json'), 'utf8'));
const w = spec.workloads.find((x) => x.name === (values.workload ?? 'planar-wide'));
if (!w || !(w.data === 'flower' || w.name === 'mnist-shape')) throw new Error(`train-ab: no workload ${values.workload} here (planar, planar-wide, mnist-shape)`);
const threads = Number(values.threads ?? 2), rounds = Number(values.rounds ?? 21), steps = Number(values.steps ?? 200);

let X, Y;
if (w.data === 'flower') ({ X, Y } = here.datasets.flower({ m: w.m, seed: w.seed }));
else {
  let s = w.seed;
  const uniform = () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) + 0.5) / 2 ** 32;
  const [nX, , nY] = w.layers;
  X = { rows: nX, cols: w.m, data: Float32Array.from({ length: nX * w.m }, () => uniform() * 2 - 1) };
  Y = { rows: nY, cols: w.m, data: Float32Array.from({ length: nY * w.m }, (_, i) => (Math.floor(i / w.m) === (i % w.m) % nY ? 1 : 0)) };
}
const make = (lib, t) => lib.Network.create({ layers: w.layers, seed: w.seed, backend: 'wasm', threads: t, simd: 'plain' });
const nets = { base: await make(base, threads), here: await make(here, threads), 'here, 1 thread': await make(here, 1) };
for (const [name, n] of Object.entries(nets)) {
  const want = name.endsWith('1 thread') ? 1 : threads;
  // (a build from before threads has no net.threads: it runs one)
  if ((n.threads ?? 1) !== want) throw new Error(`train-ab: ${name} runs ${n.threads} thread(s), not ${want} (${n.notes.join('; ')})`);
}
const p0 = nets.here.getParams();
const clock = values.cpu ? () => { const u = process.cpuUsage(); return (u.user + u.system) / 1000; } : () => performance.now();
const median = (a) => [...a].sort((x, y) => x - y)[a.length >> 1];
const t = Object.fromEntries(Object.keys(nets).map((n) => [n, []]));
const ratios = [];
for (let r = 0; r < rounds; r++) {
  const round = {};
  for (const [name, n] of Object.entries(nets)) {
    n.setParams(p0);
    const t0 = clock();
    n.train(X, Y, { iterations: steps, learningRate: w.learningRate });
    t[name].push(round[name] = ((clock() - t0) / steps) * 1000);
  }
  ratios.push(round.base / round.here);
}
const a = nets.base.getParams(), b = nets.here.getParams();
const same = a.every((l, i) => l.W.data.every((v, j) => Object.is(v, b[i].W.data[j])) && l.b.every((v, j) => Object.is(v, b[i].b[j])));
const f = (x) => (x >= 100 ? x.toFixed(0) : x.toFixed(2));
console.log(`${w.name} [${w.layers.join('-')}] m=${w.m}, ${threads} threads, ${rounds} rounds of ${steps} steps: µs${values.cpu ? ' of CPU' : ''} per step (medians) ` +
  Object.entries(t).map(([n, v]) => `${n} ${f(median(v))}`).join(', ') +
  ` — base / here per round: median ${median(ratios).toFixed(3)} (${Math.min(...ratios).toFixed(2)}–${Math.max(...ratios).toFixed(2)}); ` +
  `this build ${threads} threads / 1: ${(median(t['here, 1 thread']) / median(t.here)).toFixed(2)}×; the same parameters after: ${same ? 'yes, bit for bit' : 'NO'}`);
for (const n of Object.values(nets)) n.dispose();
