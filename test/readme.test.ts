// The README's Node examples run as written and print exactly the output the README shows (the
// browser, save-and-load and command-line examples are run by their own test files).
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { expect, it } from 'vitest';
import { readmeBlock as blockAfter } from './support/readme-blocks.js';

const root = fileURLToPath(new URL('..', import.meta.url));

it('the first example prints what the README says (on the built package, imported by name)', () => {
  const code = blockAfter('first-example');
  const shown = blockAfter('first-example-output');
  const r = spawnSync(process.execPath, ['--input-type=module', '-e', code], { cwd: root, encoding: 'utf8' });
  expect(r.stderr).toBe('');
  expect(r.status).toBe(0);
  expect(r.stdout).toBe(shown);
});

it('the training-options example (softmax spiral, adam, mini-batches) prints what the README says', () => {
  const r = spawnSync(process.execPath, ['--input-type=module', '-e', blockAfter('training-options-example')], { cwd: root, encoding: 'utf8' });
  expect(r.stderr).toBe('');
  expect(r.status).toBe(0);
  expect(r.stdout).toBe(blockAfter('training-options-output'));
});
