/**
 * The wasm-mlp/export entry as a user gets it: resolved by name through package.json "exports"
 * (Node's self-reference), sharing the main entry's Network class (its bundles import the main
 * bundle beside them instead of carrying a copy), with declarations; and the main bundles carry
 * none of the exporters.
 */
import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { LIBRARY_VERSION } from '../src/io/producer.js';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const pkg = JSON.parse(readFileSync(path.join(repoRoot, 'package.json'), 'utf8')) as {
  version: string;
  exports: Record<string, Record<string, string>>;
  devDependencies: Record<string, string>;
};
const read = (rel: string) => readFileSync(path.join(repoRoot, rel), 'utf8');

describe('the wasm-mlp/export entry', () => {
  it('is in "exports" with types first and browser before import, each file built', () => {
    const e = pkg.exports['./export'];
    expect(Object.keys(e)).toEqual(['types', 'browser', 'import']);
    expect(e).toEqual({ types: './dist/types/export.d.ts', browser: './dist/browser/export.js', import: './dist/export.js' });
    for (const target of Object.values(e)) expect(existsSync(path.join(repoRoot, target)), target).toBe(true);
    const dts = read('dist/types/export.d.ts');
    for (const name of ['toONNX', 'toTFJS', 'fromTFJS', 'tfjsModelJSON']) expect(dts, name).toMatch(new RegExp(`\\b${name}\\b`));
  });

  it('imports the main bundle beside it rather than a copy: no wasm inside, one Network class', () => {
    const node = read('dist/export.js'), browser = read('dist/browser/export.js');
    expect(node).toMatch(/from ["']\.\/index\.js["']/);
    expect(browser).toMatch(/from ?["']\.\/wasm-mlp\.js["']/);
    const wasmBase64 = readFileSync(path.join(repoRoot, 'build/mlp.wasm')).toString('base64').slice(0, 64);
    // what the main bundles inline: the two single-thread modules deflated (scripts/inline-wasm.mjs)
    const deflatedBase64 = readFileSync(path.join(repoRoot, 'build/mlp-inlined.wasm')).toString('base64').slice(0, 64);
    expect(read('dist/index.js')).toContain(deflatedBase64);
    for (const text of [node, browser]) {
      expect(text).not.toContain(wasmBase64);
      expect(text).not.toContain(deflatedBase64);
      expect(text).not.toContain('AGFzbQ'); // "\0asm", the start of any inlined module
    }
    const r = spawnSync(process.execPath, ['--input-type=module', '-e', `
      import { Network } from 'wasm-mlp';
      import { toONNX, toTFJS, fromTFJS, ONNX_OPSET } from 'wasm-mlp/export';
      const net = await Network.create({ layers: [2, 3, 1], activations: ['relu', 'sigmoid'], seed: 4 });
      const back = await fromTFJS(toTFJS(net));
      console.log(JSON.stringify({ bytes: toONNX(net).length, same: back instanceof Network, opset: ONNX_OPSET }));
    `], { cwd: repoRoot, encoding: 'utf8', timeout: 60_000 });
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    const out = JSON.parse(r.stdout) as { bytes: number; same: boolean; opset: number };
    expect(out.same).toBe(true);
    expect(out.opset).toBe(13);
    expect(out.bytes).toBeGreaterThan(300);
  });

  it('leaves the main bundles without exporter code', () => {
    for (const file of ['dist/index.js', 'dist/browser/wasm-mlp.js']) {
      const text = read(file);
      for (const marker of ['transB', 'LeakyRelu', 'layers-model', 'weightSpecs']) expect(text, `${file} has no "${marker}"`).not.toContain(marker);
    }
  });

  it('writes the package version into the files it exports', () => {
    expect(LIBRARY_VERSION).toBe(pkg.version);
  });

  it('has ONNX Runtime as development dependencies only, pinned', () => {
    expect(pkg.devDependencies['onnxruntime-node']).toMatch(/^\d+\.\d+\.\d+$/);
    expect(pkg.devDependencies['onnxruntime-web']).toBe(pkg.devDependencies['onnxruntime-node']);
    expect(read('.npmrc')).toMatch(/^onnxruntime-node-install=skip$/m);
  });
});
