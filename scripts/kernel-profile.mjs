// Where a training step's time goes, kernel by kernel: trains one workload of
// bench/workloads.json inside train() under V8's sampling profiler (node:inspector, this thread
// only: on threads, the workers' shares of the split products are not in it) and prints each
// function's share of the samples and its µs per step. The release modules carry no names, so
// the same target is compiled again with --debug into a temporary folder and its name section
// names the functions (read with binaryen, which assemblyscript installs); the script checks that
// the two builds are the same code first.
//   npm run build && node scripts/kernel-profile.mjs [planar-wide] [--threads 1] [--simd plain] [--steps 6000]
// (random workloads get normal X and Bernoulli/one-hot Y from this script's own seeded stream:
// the profile depends on the shapes, not on the values; the flower ones get the course's flower.)
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const { values, positionals } = parseArgs({
  allowPositionals: true, options: { threads: { type: 'string' }, simd: { type: 'string' }, steps: { type: 'string' } },
});
const spec = JSON.parse(readFileSync(path.join(root, 'bench/workloads.json'), 'utf8'));
const w = spec.workloads.find((x) => x.name === (positionals[0] ?? 'planar-wide'));
if (!w) throw new Error(`kernel-profile: no workload ${positionals[0]}; the workloads are ${spec.workloads.map((x) => x.name).join(', ')}`);
const threads = Number(values.threads ?? 1), simd = values.simd ?? 'plain', steps = Number(values.steps ?? 6000);

// the module the network runs (asconfig.json's targets), and the same target with names
const [entry, target, file] = threads > 1
  ? ['assembly/threads.ts', simd === 'relaxed' ? 'relaxed-shared' : 'shared', simd === 'relaxed' ? 'mlp-relaxed-shared.wasm' : 'mlp-shared.wasm']
  : ['assembly/index.ts', simd === 'relaxed' ? 'relaxed' : 'release', simd === 'relaxed' ? 'mlp-relaxed.wasm' : 'mlp.wasm'];
const named = path.join(mkdtempSync(path.join(tmpdir(), 'wasm-mlp-profile-')), file);
execFileSync(path.join(root, 'node_modules/.bin/asc'), [entry, '--target', target, '--debug', '--outFile', named], { cwd: root, stdio: 'pipe' });

/** a module's sections but its custom ones (names, source maps): the code and data the engine runs */
function nonCustomSections(bytes) {
  const out = [];
  for (let at = 8; at < bytes.length;) {
    const id = bytes[at++];
    let size = 0, shift = 0, b;
    do { b = bytes[at++]; size |= (b & 0x7f) << shift; shift += 7; } while (b & 0x80);
    if (id !== 0) out.push(Buffer.from(bytes.subarray(at, at + size)).toString('base64'));
    at += size;
  }
  return out.join('|');
}
const release = readFileSync(path.join(root, 'build', file));
if (nonCustomSections(readFileSync(named)) !== nonCustomSections(release)) {
  console.warn(`kernel-profile: build/${file} and its --debug build differ beyond their names: the names below may be off (run npm run build)`);
}
const { default: binaryen } = await import(pathToFileURL(path.join(root, 'node_modules/binaryen/index.js')).href);
const mod = binaryen.readBinary(readFileSync(named));
const nameOf = (i) => (i < mod.getNumFunctions() ? binaryen.getFunctionInfo(mod.getFunctionByIndex(i)).name.replace(/^assembly\//, '') : `function ${i}`);

const { Network, datasets } = await import(pathToFileURL(path.join(root, 'dist/index.js')).href);
let s = w.seed >>> 0 || 1;
const uniform = () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) + 0.5) / 2 ** 32;
const normal = () => Math.sqrt(-2 * Math.log(uniform())) * Math.cos(2 * Math.PI * uniform());
const nX = w.layers[0], nY = w.layers[w.layers.length - 1];
let X, Y;
if (w.data === 'flower') ({ X, Y } = datasets.flower({ m: w.m, seed: w.seed }));
else {
  X = { rows: nX, cols: w.m, data: Float32Array.from({ length: nX * w.m }, normal) };
  Y = { rows: nY, cols: w.m, data: new Float32Array(nY * w.m) };
  for (let j = 0; j < w.m; j++) Y.data[(nY === 1 ? 0 : Math.floor(uniform() * nY) * w.m) + j] = nY === 1 ? (uniform() < 0.5 ? 1 : 0) : 1;
}
const activations = [...w.layers.slice(2).map(() => w.hidden), w.output];
const net = await Network.create({ layers: w.layers, activations, seed: w.seed, threads, simd });
if (net.threads !== threads || net.simd !== simd) throw new Error(`kernel-profile: asked for ${threads} threads and ${simd} SIMD, got ${net.threads} and ${net.simd} (${net.notes.join('; ')})`);
net.train(X, Y, { iterations: Math.max(50, steps >> 4), learningRate: w.learningRate }); // warm-up: the optimised code

const session = new Session();
session.connect();
await session.post('Profiler.enable');
await session.post('Profiler.setSamplingInterval', { interval: 100 });
await session.post('Profiler.start');
const t0 = performance.now();
net.train(X, Y, { iterations: steps, learningRate: w.learningRate });
const seconds = (performance.now() - t0) / 1000;
const { profile } = await session.post('Profiler.stop');
session.disconnect();
net.dispose();

const byId = new Map(profile.nodes.map((n) => [n.id, n]));
// only the samples taken inside the timed train() call: the profile also holds the inspector's own
// work around it (its session's dispatch of Profiler.stop, whose sample carries the gap since the
// last one — it showed as a 'dispatch' row of 14–20% before this filter)
const parentOf = new Map();
for (const n of profile.nodes) for (const c of n.children ?? []) parentOf.set(c, n.id);
const inTrain = new Map();
const underTrain = (id) => {
  if (inTrain.has(id)) return inTrain.get(id);
  const f = byId.get(id).callFrame, parent = parentOf.get(id);
  const v = (f.functionName === 'train' && f.url.endsWith('/dist/index.js')) || (parent !== undefined && underTrain(parent));
  inTrain.set(id, v);
  return v;
};
const self = new Map();
let total = 0, outside = 0;
profile.samples.forEach((id, i) => {
  const dt = profile.timeDeltas[i] ?? 0, fn = byId.get(id).callFrame.functionName;
  if (!underTrain(id)) { outside += dt; return; }
  const m = /^wasm-function\[(\d+)\]$/.exec(fn);
  const name = m ? nameOf(Number(m[1])) : fn || '(anonymous)';
  self.set(name, (self.get(name) ?? 0) + dt);
  total += dt;
});
console.log(`${w.name} [${w.layers.join('-')}] m=${w.m}, ${threads} thread(s), ${simd} SIMD: ${steps} steps inside train(), ${(1e6 * seconds / steps).toFixed(2)} µs a step (this thread's samples inside train(); ${(100 * outside / (total + outside)).toFixed(1)}% of the profile's time was outside it)`);
for (const [name, t] of [...self].sort((a, b) => b[1] - a[1]).slice(0, 15)) {
  console.log(`${(100 * t / total).toFixed(1).padStart(6)}%  ${(1e6 * seconds * (t / total) / steps).toFixed(2).padStart(9)} µs/step  ${name}`);
}
