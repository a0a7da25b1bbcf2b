// build/mlp.wasm deflated (zlib format, level 9) into build/mlp-deflated.wasm: the bytes the
// bundles inline for the plain module (src/core/modules.ts inflates them with the platform's
// DecompressionStream). In the browser bundle, base64 of the deflated module gzips about 3 KiB
// smaller than base64 of the module itself (14.8 KiB against 17.8: base64 hides the module's byte
// patterns from gzip; deflating first takes them out before base64 hides them). The name ends in .wasm so that every
// bundling command's binary loader for .wasm inlines it as it inlines the module files.
//   node scripts/deflate-wasm.mjs
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { deflateSync, inflateSync } from 'node:zlib';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const src = path.join(root, 'build/mlp.wasm'), out = path.join(root, 'build/mlp-deflated.wasm');
const bytes = readFileSync(src);
const packed = deflateSync(bytes, { level: 9 });
if (!inflateSync(packed).equals(bytes)) throw new Error('deflate-wasm: the deflated module does not inflate to build/mlp.wasm');
writeFileSync(out, packed);
