// The built package's threads and modules in Node: dist/ holds the code for module files and threads (extra.js) and
// the three module files beside dist/index.js, read only when used; a program bundled by esbuild
// from the package runs them once the .wasm files are copied beside its bundle.
import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { SEPARATE_MODULES } from '../scripts/copy-wasm.mjs';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

const PROGRAM = `
  const layers = [200, 120, 10], m = 150;
  const X = { rows: 200, cols: m, data: Float32Array.from({ length: 200 * m }, (_, i) => Math.sin(i)) };
  const Y = Array.from({ length: m }, (_, j) => j % 10);
  const out = {};
  for (const threads of [1, 2]) {
    const net = await Network.create({ layers, activations: ['tanh', 'softmax'], seed: 3, threads, simd: 'plain' });
    net.train(X, Y, { iterations: 20, learningRate: 0.1 });
    out[threads] = { threads: net.threads, notes: net.notes, params: net.getParams().flatMap(({ W }) => [...new Uint32Array(W.data.buffer)]) };
    net.dispose();
  }
  console.log(JSON.stringify({ threads: [out[1].threads, out[2].threads], notes: out[2].notes, same: JSON.stringify(out[1].params) === JSON.stringify(out[2].params) }));`;

describe('the package in Node', () => {
  it('the main bundles import the extra code (module files, threads) only dynamically, and name no module file', () => {
    for (const bundle of ['dist/index.js', 'dist/browser/wasm-mlp.js']) {
      const text = readFileSync(path.join(repoRoot, bundle), 'utf8');
      // the only relative import: import("./extra.js") (a page given only the bundle loads nothing else)
      expect([...text.matchAll(/import\s*\(?\s*["'](\.[^"']+)["']/g)].map((m) => m[1]), bundle).toEqual(['./extra.js']);
      expect(text).not.toMatch(/^import\s/m);
      for (const f of SEPARATE_MODULES) expect(text, `${bundle} does not name ${f}`).not.toContain(f);
    }
    // the module files are named by the extra code, relative to itself (beside the bundles)
    for (const extra of ['dist/extra.js', 'dist/browser/extra.js']) {
      const text = readFileSync(path.join(repoRoot, extra), 'utf8');
      for (const f of SEPARATE_MODULES) expect(text, `${extra} names ${f}`).toMatch(new RegExp(`new URL\\(\\s*["']\\./${f.replace('.', '\\.')}["']\\s*,\\s*import\\.meta\\.url\\s*\\)`));
    }
  });

  it('esbuild bundles it for Node; with the .wasm files beside the bundle, 2 threads run and match 1', async () => {
    const dir = path.join(repoRoot, 'test-artifacts', 'threads-node-consumer');
    rmSync(dir, { recursive: true, force: true });
    mkdirSync(path.join(dir, 'node_modules'), { recursive: true });
    symlinkSync(repoRoot, path.join(dir, 'node_modules', 'wasm-mlp'), 'dir');
    writeFileSync(path.join(dir, 'entry.mjs'), `import { Network } from 'wasm-mlp';\n${PROGRAM}`);
    await build({ entryPoints: [path.join(dir, 'entry.mjs')], bundle: true, format: 'esm', platform: 'node', target: 'node20', outfile: path.join(dir, 'out', 'app.mjs'), logLevel: 'warning' });
    for (const f of SEPARATE_MODULES) copyFileSync(path.join(repoRoot, 'dist', f), path.join(dir, 'out', f));
    const r = spawnSync(process.execPath, [path.join(dir, 'out', 'app.mjs')], { encoding: 'utf8', timeout: 60_000 });
    expect(r.status, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout.trim().split('\n').pop()!)).toEqual({ threads: [1, 2], notes: [], same: true });
  });
});
