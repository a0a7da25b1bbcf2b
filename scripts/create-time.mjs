// How long Network.create takes on threads, for one or more builds of the library timed in
// turn (round-robin, the first round dropped as warm-up): medians of the rounds, per build.
//   node scripts/create-time.mjs [bundle …] [--layers 2,4,1] [--threads 2] [--rounds 15]
// bundle: a built dist/index.js (default this checkout's); an older build to compare with comes
// from `node scripts/bench-baseline.mjs REV --own-build`.
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: { layers: { type: 'string', default: '2,4,1' }, threads: { type: 'string', default: '2' }, rounds: { type: 'string', default: '15' } },
});
const bundles = positionals.length > 0 ? positionals : ['dist/index.js'];
const layers = values.layers.split(',').map(Number), threads = Number(values.threads), rounds = Number(values.rounds);
const libs = await Promise.all(bundles.map((p) => import(pathToFileURL(path.resolve(p)).href)));
const times = libs.map(() => []);
for (let round = 0; round < rounds; round++) {
  for (const [i, { Network }] of libs.entries()) {
    const t0 = performance.now();
    const net = await Network.create({ layers, seed: 1, threads, simd: 'plain' });
    times[i].push(performance.now() - t0);
    if (net.threads !== threads) throw new Error(`create-time: ${bundles[i]} runs ${net.threads} threads (${net.notes.join('; ')})`);
    net.dispose();
    await new Promise((r) => setTimeout(r, 50)); // (the disposed workers end)
  }
}
const median = (a) => [...a].sort((x, y) => x - y)[a.length >> 1];
console.log(`Network.create({ layers: [${layers}], threads: ${threads} }), ${rounds - 1} rounds after a first:`);
bundles.forEach((b, i) => console.log(`  ${b}: median ${median(times[i].slice(1)).toFixed(1)} ms (first ${times[i][0].toFixed(1)} ms)`));
