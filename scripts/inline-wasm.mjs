// The two single-thread kernel modules as the bundles inline them: build/mlp.wasm (plain SIMD)
// and build/mlp-relaxed.wasm (relaxed SIMD), one after the other behind a 4-byte little-endian
// length of the first, deflated together (zlib format, level 9) into build/mlp-inlined.wasm.
// src/core/modules.ts inflates them with the platform's DecompressionStream.
//
// Why deflated: base64 hides a module's byte patterns from gzip, so base64 of the deflated bytes
// gzips smaller than base64 of the module itself. Why together: the relaxed module is the plain
// one with its multiply-adds fused, so deflate codes most of it as references back into the plain
// one (both fit in deflate's 32 KiB window): `node scripts/size.mjs` prints what it costs. The
// name ends in .wasm so that every bundling command's binary loader for .wasm inlines it.
//   node scripts/inline-wasm.mjs
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { deflateSync, inflateSync } from 'node:zlib';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const plain = readFileSync(path.join(root, 'build/mlp.wasm'));
const relaxed = readFileSync(path.join(root, 'build/mlp-relaxed.wasm'));
const out = path.join(root, 'build/mlp-inlined.wasm');
const head = Buffer.alloc(4);
head.writeUInt32LE(plain.length);
const joined = Buffer.concat([head, plain, relaxed]);
const packed = deflateSync(joined, { level: 9, memLevel: 9 });
if (!inflateSync(packed).equals(joined)) throw new Error('inline-wasm: the deflated modules do not inflate to build/mlp.wasm and build/mlp-relaxed.wasm');
writeFileSync(out, packed);
