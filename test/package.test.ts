/**
 * The built package as a user gets it: imported by its own name through package.json "exports"
 * (Node's self-reference), ESM, with type declarations that exist and describe the API.
 */
import { describe, it, expect } from 'vitest';
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { declarationClosure } from './support/declarations.js';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const pkg = JSON.parse(readFileSync(path.join(repoRoot, 'package.json'), 'utf8')) as {
  name: string;
  type?: string;
  types?: string;
  main?: string;
  exports: Record<string, string | Record<string, Record<string, string>>>;
  bin?: Record<string, string>;
};

function runModule(script: string) {
  const r = spawnSync(process.execPath, ['--input-type=module', '-e', script], { cwd: repoRoot, encoding: 'utf8', timeout: 60_000 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('the package', () => {
  it('has "exports" for import (ESM) and require (CommonJS) of "." and "./data", "types" first in each, pointing at files that exist', () => {
    expect(pkg.name).toBe('wasm-mlp');
    expect(pkg.type).toBe('module');
    expect(Object.keys(pkg.exports)).toEqual(['.', './data', './export', './package.json']);
    // wasm-mlp/export is an ES module only: "types" first, then its bundles
    const exp = pkg.exports['./export'] as unknown as Record<string, string>;
    expect(Object.keys(exp)[0]).toBe('types');
    for (const target of Object.values(exp)) expect(existsSync(path.join(repoRoot, target)), target).toBe(true);
    for (const entry of ['.', './data']) {
      const forms = pkg.exports[entry] as Record<string, Record<string, string>>;
      expect(Object.keys(forms), entry).toEqual(['import', 'require']);
      for (const [form, conditions] of Object.entries(forms)) {
        expect(Object.keys(conditions)[0], `${entry} ${form}`).toBe('types');
        expect(conditions.default, `${entry} ${form}`).toBeDefined();
        for (const [condition, target] of Object.entries(conditions)) {
          expect(target, `${entry} ${form}.${condition}`).toMatch(/^\.\//);
          expect(existsSync(path.join(repoRoot, target)), `${entry} ${form}.${condition}: ${target} exists`).toBe(true);
        }
      }
      expect(forms.import.types).toMatch(/\.d\.ts$/);
      // TypeScript reads a .d.ts in a "type": "module" package as an ES module: CommonJS needs .d.cts
      expect(forms.require.default).toMatch(/\.cjs$/);
      expect(forms.require.types).toMatch(/\.d\.cts$/);
    }
    const root = pkg.exports['.'] as Record<string, Record<string, string>>;
    expect(path.normalize(root.import.default)).toBe(path.normalize('./dist/index.js'));
    // the top-level "types" and "main" (for resolvers without "exports") agree with the exports map
    if (pkg.types !== undefined) expect(path.normalize(pkg.types)).toBe(path.normalize(root.import.types));
    if (pkg.main !== undefined) expect(path.normalize(pkg.main)).toBe(path.normalize(root.require.default));
    // the bin is built too
    for (const bin of Object.values(pkg.bin ?? {})) expect(existsSync(path.join(repoRoot, bin)), bin).toBe(true);
  });

  it('has declarations that describe the Network class and its methods', () => {
    const entry = path.join(repoRoot, (pkg.exports['.'] as Record<string, Record<string, string>>).import.types);
    const files = declarationClosure(entry);
    const entryText = files.get(entry)!;
    expect(entryText).toMatch(/\bNetwork\b/);
    expect(entryText).toMatch(/\bfromExamples\b/);
    expect(entryText).toMatch(/\bdatasets\b/);
    const all = [...files.values()].join('\n');
    expect(all).toMatch(/\bclass Network\b/);
    for (const method of ['create', 'init', 'getParams', 'setParams', 'forward', 'cost', 'backward', 'getGrads', 'update', 'train', 'predict', 'predictProba', 'dispose']) {
      expect(all, `declares ${method}`).toMatch(new RegExp(`\\b${method}\\s*\\(`));
    }
    // declarations must not point into src/ or at the .wasm binary a user does not have types for
    expect(all).not.toMatch(/from\s+['"][^'"]*\.wasm['"]/);
  });

  it('imports by its own name and trains the flower data on the wasm backend', () => {
    const script = `
      import { Network, datasets, fromExamples } from 'wasm-mlp';
      const { X, Y } = datasets.flower();
      const net = await Network.create({ layers: [X.rows, 4, Y.rows], seed: 2 });
      const { costs, iterations } = net.train(X, Y, { iterations: 200, learningRate: 1.2 });
      const X2 = fromExamples([[0, 0], [1, -1]]);
      const p = net.predictProba(X2);
      console.log(JSON.stringify({
        backend: net.backend, iterations, first: costs[0], cost: costs[costs.length - 1],
        x2: [X2.rows, X2.cols], p: Array.from(p.data),
      }));
      net.dispose();
    `;
    const r = runModule(script);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stderr).toBe('');
    const out = JSON.parse(r.stdout.trim()) as { backend: string; iterations: number; first: number; cost: number; x2: number[]; p: number[] };
    expect(out.backend).toBe('wasm');
    expect(out.iterations).toBe(200);
    expect(Number.isFinite(out.cost)).toBe(true);
    expect(out.cost).toBeGreaterThan(0);
    expect(out.cost).toBeLessThan(out.first);
    expect(out.x2).toEqual([2, 2]);
    expect(out.p).toHaveLength(2);
    for (const v of out.p) expect(v >= 0 && v <= 1).toBe(true);
  });

  it('resolves the same module through the "exports" map as dist/index.js', () => {
    const r = runModule(`
      import * as byName from 'wasm-mlp';
      import * as byPath from './dist/index.js';
      console.log(JSON.stringify({ same: byName.Network === byPath.Network, keys: Object.keys(byName).sort() }));
    `);
    expect(r.status, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout.trim()) as { same: boolean; keys: string[] };
    expect(out.same).toBe(true);
    expect(out.keys).toEqual(expect.arrayContaining(['Network', 'datasets', 'fromExamples', 'fromLabels', 'matrix', 'toExamples', 'accuracy', 'DATASET_NAMES', 'wasmSimdSupported']));
  });

  it('wasm-mlp/data works with the main entry\'s Network: a model saved and loaded is an instance of it', () => {
    const r = runModule(`
      import { Network, datasets } from 'wasm-mlp';
      import { fitStandardizer, saveModel, loadModel } from 'wasm-mlp/data';
      const { X, Y } = datasets.flower({ m: 40 });
      const standardizer = fitStandardizer(X);
      const net = await Network.create({ layers: [2, 3, 1], seed: 1 });
      net.train(standardizer.apply(X), Y, { iterations: 10 });
      const loaded = await loadModel(saveModel({ net, features: ['x1', 'x2'], target: 'colour', classes: ['red', 'blue'], standardizer }));
      console.log(JSON.stringify({ instance: loaded.net instanceof Network, classes: loaded.classes }));
    `);
    expect(r.status, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual({ instance: true, classes: ['red', 'blue'] });
  });

  it('does not expose internals through deep imports', () => {
    const r = runModule(`import 'wasm-mlp/dist/index.js';`);
    expect(r.status).not.toBe(0);
    expect(r.stderr).toMatch(/ERR_PACKAGE_PATH_NOT_EXPORTED/);
  });
});
