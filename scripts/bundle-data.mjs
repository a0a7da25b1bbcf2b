// Bundles the wasm-mlp/data entry (src/data-index.ts) three times — ES module, CommonJS, browser —
// each importing the Network from the main bundle beside it instead of carrying a second copy:
// dist/data.js → ./index.js, dist/data.cjs → ./index.cjs, dist/browser/wasm-mlp-data.js →
// ./wasm-mlp.js. One Network class, whichever entry a program imports first.
// Run by npm run build:data (scripts/build.mjs, step "data").
import { build } from 'esbuild';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const network = path.join(root, 'src', 'network.ts');

/** Imports of src/network.ts become imports of the main bundle `main`, left to the runtime. */
const mainBundle = (main) => ({
  name: 'main-bundle',
  setup(b) {
    b.onResolve({ filter: /(^|\/)network\.js$/ }, (args) => {
      const target = path.resolve(args.resolveDir, args.path.replace(/\.js$/, '.ts'));
      return target === network ? { path: main, external: true } : undefined;
    });
  },
});

// the entry needs none of the kernels: model-file.ts imports the backend list, whose module imports
// the wasm, and esbuild drops all of it as unused — the metafile check below makes sure it did
const common = {
  entryPoints: [path.join(root, 'src', 'data-index.ts')], bundle: true, target: 'es2022', logLevel: 'warning',
  loader: { '.wasm': 'empty' }, metafile: true,
  // the backend's code for threads and module files is a file of its own, never needed here
  external: ['./extra.js'],
};
const results = await Promise.all([
  build({ ...common, format: 'esm', platform: 'neutral', mainFields: ['module', 'main'], outfile: path.join(root, 'dist', 'data.js'), plugins: [mainBundle('./index.js')] }),
  build({ ...common, format: 'cjs', platform: 'neutral', mainFields: ['module', 'main'], outfile: path.join(root, 'dist', 'data.cjs'), plugins: [mainBundle('./index.cjs')] }),
  build({ ...common, format: 'esm', platform: 'browser', minify: true, outfile: path.join(root, 'dist', 'browser', 'wasm-mlp-data.js'), plugins: [mainBundle('./wasm-mlp.js')] }),
]);
for (const { metafile } of results) {
  for (const [out, { inputs }] of Object.entries(metafile.outputs)) {
    const kernels = Object.entries(inputs).filter(([file, { bytesInOutput }]) => bytesInOutput > 0 && /core\/(backend|kernels-js)|\.wasm$/.test(file));
    if (kernels.length) {
      console.error(`bundle-data: ${out} carries kernel code (${kernels.map(([f]) => f).join(', ')}); wasm-mlp/data must get the Network from the main bundle`);
      process.exit(1);
    }
  }
}
