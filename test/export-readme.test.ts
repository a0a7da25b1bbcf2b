/**
 * The README's "Beyond one machine" example runs as written (on the built package, imported by
 * name, with onnxruntime-node) and prints what the README shows; its ONNX file goes to a
 * temporary directory instead of the repository.
 */
import { expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { readmeBlock } from './support/readme-blocks.js';

const root = fileURLToPath(new URL('..', import.meta.url));

it('the export example prints what the README says', () => {
  const tmp = mkdtempSync(path.join(tmpdir(), 'wasm-mlp-export-readme-'));
  try {
    const file = JSON.stringify(path.join(tmp, 'flower.onnx'));
    const code = readmeBlock('export-example').replaceAll("'flower.onnx'", file);
    expect(code).toContain(file);
    const r = spawnSync(process.execPath, ['--input-type=module', '-e', code], { cwd: root, encoding: 'utf8', timeout: 60_000 });
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(r.stdout).toBe(readmeBlock('export-example-output'));
    expect(existsSync(path.join(tmp, 'flower.onnx'))).toBe(true);
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
});
