// The README's "Your own data" examples run as written and print (or throw) what it shows: the
// first in a temporary project that has this package as node_modules/wasm-mlp and the
// repository's examples/, so the file it writes lands there.
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { readmeBlock } from './support/readme-blocks.js';
import { repoRoot } from './support/cli-sandbox.js';
import { readCsv } from '../src/data-index.js';

let dir = '';
beforeAll(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'wasm-mlp-readme-data-'));
  symlinkSync(path.join(repoRoot, 'examples'), path.join(dir, 'examples'), 'dir');
  mkdirSync(path.join(dir, 'node_modules'));
  symlinkSync(repoRoot, path.join(dir, 'node_modules', 'wasm-mlp'), 'dir');
});
afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

it('the data example (readCsv, fitStandardizer, saveModel, loadModel) prints what the README shows', () => {
  const r = spawnSync(process.execPath, ['--input-type=module', '-e', readmeBlock('data-example')], { cwd: dir, encoding: 'utf8' });
  expect(r.stderr).toBe('');
  expect(r.status).toBe(0);
  expect(r.stdout).toBe(readmeBlock('data-example-output'));
});

it('the readCsv error example throws the message shown', () => {
  const call = readmeBlock('csv-error-example').trim();
  const m = /^readCsv\('(.*)', \{ target: '(\w+)' \}\);$/.exec(call);
  expect(m, call).not.toBeNull();
  const text = m![1].replace(/\\n/g, '\n');
  let message = '';
  try {
    readCsv(text, { target: m![2] });
  } catch (e) {
    message = (e as Error).message;
  }
  expect(message).toBe(readmeBlock('csv-error-output').trimEnd());
});
