// Bundles the wasm-mlp/export entry (src/export.ts) for Node and bundlers (dist/export.js) and for
// browsers (dist/browser/export.js, minified). Its import of the main entry ('./index.js') stays an
// import of the main bundle beside it — dist/index.js, or dist/browser/wasm-mlp.js — so a program
// that imports both entries has one Network class and one copy of the kernels.
// Run by `npm run build` (build:export) after the main bundles.
import { build } from 'esbuild';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const entry = path.join(root, 'src/export.ts');

/** `import … from './index.js'` in src/export.ts → an external import of `target`. */
const mainEntryExternal = (target) => ({
  name: 'main-entry-external',
  setup(b) {
    b.onResolve({ filter: /^\.\/index\.js$/ }, (args) => (args.importer === entry ? { path: target, external: true } : undefined));
  },
});

const common = {
  entryPoints: [entry],
  bundle: true,
  format: 'esm',
  target: 'es2022',
  logLevel: 'warning',
  loader: { '.wasm': 'binary' },
};

await build({ ...common, platform: 'neutral', mainFields: ['module', 'main'], outfile: path.join(root, 'dist/export.js'), plugins: [mainEntryExternal('./index.js')] });
await build({ ...common, platform: 'browser', minify: true, outfile: path.join(root, 'dist/browser/export.js'), plugins: [mainEntryExternal('./wasm-mlp.js')] });
