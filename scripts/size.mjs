// Prints the size, raw and gzip, of every file the build ships: the browser bundle (JS with the
// plain and relaxed SIMD modules inlined, deflated, as base64), split into its JS part and the
// wasm it carries; the modules shipped beside it (shared memory, for threads), fetched only when used;
// the Node entry and the command line. Run by `npm run build` after esbuild; exits 1 only when a
// file is missing.
import { readFileSync, existsSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { SEPARATE_MODULES } from './copy-wasm.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
/** the gzip budget of the browser bundle, JS + wasm */
const BUDGET = 40 * 1024;

function read(rel) {
  const file = path.join(root, rel);
  if (!existsSync(file)) {
    console.error(`size: ${rel} is missing; run npm run build`);
    process.exit(1);
  }
  return readFileSync(file);
}

const gz = (buf) => gzipSync(buf, { level: 9 }).length;
const kib = (n) => `${(n / 1024).toFixed(1)} KiB`.padStart(10);

const bundle = read('dist/browser/wasm-mlp.js');
const wasm = read('build/mlp.wasm');
const deflated = read('build/mlp-inlined.wasm');
// the JS alone: the bundle without the base64 text of the (deflated) modules it inlines
const b64 = deflated.toString('base64');
const text = bundle.toString('utf8');
const jsOnly = text.includes(b64) ? Buffer.from(text.replace(b64, ''), 'utf8') : undefined;

const rows = [
  ['dist/browser/wasm-mlp.js (JS + wasm inlined)', bundle],
  ['  JS alone (without the inlined wasm)', jsOnly],
  ['  build/mlp.wasm (plain SIMD)', wasm],
  ['  build/mlp-relaxed.wasm (relaxed SIMD)', read('build/mlp-relaxed.wasm')],
  ['  build/mlp-inlined.wasm (the two deflated: inlined)', deflated],
  ['dist/browser/extra.js (imported when used)', read('dist/browser/extra.js')],
  ...SEPARATE_MODULES.map((f) => [`dist/browser/${f} (fetched when used)`, read(`dist/browser/${f}`)]),
  ['dist/index.js (Node / bundlers)', read('dist/index.js')],
  ['dist/extra.js (imported when used)', read('dist/extra.js')],
  ['dist/cli.js (the command line)', read('dist/cli.js')],
  ...SEPARATE_MODULES.map((f) => [`dist/${f} (read when used)`, read(`dist/${f}`)]),
  ['dist/browser/wasm-mlp-data.js (wasm-mlp/data)', read('dist/browser/wasm-mlp-data.js')],
  ['dist/browser/export.js (wasm-mlp/export)', read('dist/browser/export.js')],
];
console.log(`${'size'.padEnd(56)}${'raw'.padStart(10)}${'gzip'.padStart(10)}`);
for (const [name, buf] of rows) {
  if (buf === undefined) console.log(`${name.padEnd(56)}  (the bundle does not inline the wasm as one base64 string)`);
  else console.log(`${name.padEnd(56)}${kib(buf.length)}${kib(gz(buf))}`);
}
const total = gz(bundle);
console.log(
  total <= BUDGET
    ? `browser bundle: ${(total / 1024).toFixed(1)} KiB gzip, within the ${BUDGET / 1024} KiB budget`
    : `browser bundle: ${(total / 1024).toFixed(1)} KiB gzip, OVER the ${BUDGET / 1024} KiB budget`,
);
