// Every float32 z in [2^-30, 9.5] through the wasm module's tanh_forward, against float64
// Math.tanh: prints the largest error in ulps of the result (the ulp of the float32 nearest the
// float64 value) and where. tanh is odd and exactly 1 from 9.5 on (test/vmath.test.ts checks both),
// and below 2^-30 it is z to far under an ulp, so this range is the one to search. About 280 M
// values, 20–30 s. Needs `npm run build`.
//   node scripts/tanh-exhaustive.mjs [build/mlp.wasm]
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const file = process.argv[2] ?? path.join(root, 'build/mlp.wasm');
const { instance } = await WebAssembly.instantiate(readFileSync(file), {});
const k = instance.exports;
const N = 1 << 22; // values per call
k.memory.grow(600);
const zp = 1 << 20, ap = zp + N * 4;
const u = new Uint32Array(k.memory.buffer), f = new Float32Array(k.memory.buffer);
const bits = (x) => new Uint32Array(new Float32Array([x]).buffer)[0];
const ulp32 = (v) => 2 ** (Math.floor(Math.log2(Math.abs(Math.fround(v)))) - 23);
let worst = 0, at = NaN, count = 0;
for (let b = bits(2 ** -30), end = bits(9.5); b <= end; b += N) {
  const n = Math.min(N, end - b + 1);
  for (let i = 0; i < n; i++) u[zp / 4 + i] = b + i;
  k.tanh_forward(ap, zp, n);
  for (let i = 0; i < n; i++) {
    const z = f[zp / 4 + i], want = Math.tanh(z), e = Math.abs(f[ap / 4 + i] - want) / ulp32(want);
    if (!(e <= worst)) { worst = e; at = z; }
  }
  count += n;
}
console.log(`tanh on ${count} float32 values in [2^-30, 9.5]: worst ${worst.toFixed(4)} ulp, at z = ${at}`);
