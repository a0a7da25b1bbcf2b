// The two single-thread kernel modules as the bundles inline them: build/mlp.wasm (plain SIMD)
// and build/mlp-relaxed.wasm (relaxed SIMD), behind their two lengths (4 bytes each,
// little-endian), in halves: the plain module's first half, the relaxed one's, the plain one's
// second half, the relaxed one's; deflated together (zlib format) into build/mlp-inlined.wasm. src/core/modules.ts inflates them with the platform's DecompressionStream.
//
// Why deflated: base64 hides a module's byte patterns from gzip, so base64 of the deflated bytes
// gzips smaller than base64 of the module itself. Why together: the relaxed module is the plain
// one with its multiply-adds fused, so deflate codes most of it as references back into the plain
// one. In halves, so that a byte and its match are half a module apart: deflate reaches back at
// most 32 KiB less 262 bytes, and whole modules one after the other stopped fitting once the plain
// one reached 32.4 KB (22.1 KB deflated, against 16.0 in halves). `node scripts/size.mjs` prints
// what it costs. Deflated by zopfli (@gfx/zopfli, a WebAssembly build: no native install), an
// encoder that searches harder for the shortest deflate stream than zlib's level 9 does: any
// inflater reads it, and it came out 14 526 bytes against zlib's 15 804 (8% less; more iterations
// than 15 gained under 0.1% for seconds more). The name ends in .wasm so that every bundling
// command's binary loader for .wasm inlines it.
//   node scripts/inline-wasm.mjs
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { inflateSync } from 'node:zlib';
import zopfli from '@gfx/zopfli';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const plain = readFileSync(path.join(root, 'build/mlp.wasm'));
const relaxed = readFileSync(path.join(root, 'build/mlp-relaxed.wasm'));
const out = path.join(root, 'build/mlp-inlined.wasm');
const head = Buffer.alloc(8);
head.writeUInt32LE(plain.length, 0);
head.writeUInt32LE(relaxed.length, 4);
const hp = plain.length >> 1, hr = relaxed.length >> 1;
const joined = Buffer.concat([head, plain.subarray(0, hp), relaxed.subarray(0, hr), plain.subarray(hp), relaxed.subarray(hr)]);
const packed = Buffer.from(await zopfli.zlibAsync(joined, { numiterations: 15 }));
if (!inflateSync(packed).equals(joined)) throw new Error('inline-wasm: the deflated modules do not inflate to build/mlp.wasm and build/mlp-relaxed.wasm');
writeFileSync(out, packed);
