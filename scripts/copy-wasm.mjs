// Copies the kernel modules that are not inlined (the two shared-memory builds, for threads) from
// build/ into the folder of a bundle, where src/core/extra.ts looks for them
// (beside the bundle: new URL('./mlp-….wasm', import.meta.url)). esbuild does not copy them.
//   node scripts/copy-wasm.mjs dist        (dist/index.js, dist/cli.js)
//   node scripts/copy-wasm.mjs dist/browser
import { copyFileSync, existsSync, mkdirSync, readdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const SEPARATE_MODULES = ['mlp-shared.wasm', 'mlp-relaxed-shared.wasm'];

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const dest = process.argv[2];
  if (!dest) {
    console.error('usage: node scripts/copy-wasm.mjs <folder>');
    process.exit(2);
  }
  mkdirSync(path.join(root, dest), { recursive: true });
  for (const file of SEPARATE_MODULES) {
    const from = path.join(root, 'build', file);
    if (!existsSync(from)) {
      console.error(`copy-wasm: build/${file} is missing; run npm run build:wasm`);
      process.exit(1);
    }
    copyFileSync(from, path.join(root, dest, file));
  }
  // a module file an older build shipped there (mlp-relaxed.wasm, before the bundles inlined it)
  // is removed, so that a package packed from this folder carries only what the code loads
  for (const stale of readdirSync(path.join(root, dest)).filter((f) => /^mlp.*\.wasm$/.test(f) && !SEPARATE_MODULES.includes(f))) {
    rmSync(path.join(root, dest, stale));
  }
}
