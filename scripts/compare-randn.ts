/**
 * Compares rng: 'numpy' Gaussians with numpy's, value by value (the README's count of differences).
 *   /usr/bin/python3 scripts/numpy-reference.py --dump-randn build/randn.f64
 *   npx esbuild scripts/compare-randn.ts --bundle --platform=node --format=esm --outfile=build/compare-randn.mjs
 *   node build/compare-randn.mjs build/randn.f64
 * Pass --math-log to see how many differ when the polar method uses Math.log instead.
 */
import { readFileSync } from 'node:fs';
import { createNumpyRng } from '../src/util/numpy-rng.js';

const SEEDS = [0, 1, 2, 42, 123456789, 2 ** 32 - 1];
const PER_SEED = 400000;
const file = process.argv[2];
const buf = readFileSync(file);
const ref = new Float64Array(buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.byteLength));

/** the same polar method with Math.log, for comparison */
function mathLogNormal(seed: number): () => number {
  const rng = createNumpyRng(seed);
  let cached: number | undefined;
  return () => {
    if (cached !== undefined) { const c = cached; cached = undefined; return c; }
    let x1: number, x2: number, r2: number;
    do { x1 = 2 * rng.uniform() - 1; x2 = 2 * rng.uniform() - 1; r2 = x1 * x1 + x2 * x2; } while (r2 >= 1 || r2 === 0);
    const f = Math.sqrt((-2 * Math.log(r2)) / r2);
    cached = f * x1;
    return f * x2;
  };
}

/** distance in units in the last place between two doubles of the same sign */
function ulps(a: number, b: number): number {
  const f = new Float64Array([a, b]);
  const i = new BigInt64Array(f.buffer);
  const d = i[0] - i[1];
  return Number(d < 0n ? -d : d);
}

const useMathLog = process.argv.includes('--math-log');
let k = 0, diff = 0, maxUlps = 0;
for (const seed of SEEDS) {
  const next = useMathLog ? mathLogNormal(seed) : (() => { const r = createNumpyRng(seed); return () => r.normal(); })();
  for (let i = 0; i < PER_SEED; i++, k++) {
    const v = next();
    if (v !== ref[k]) { diff++; maxUlps = Math.max(maxUlps, ulps(v, ref[k])); }
  }
}
console.log(`${useMathLog ? 'Math.log' : 'logRounded'}: ${diff} of ${k} Gaussians differ from numpy's, by at most ${maxUlps} ulp`);
