// The README's "Training options" example runs as written and prints exactly what the README shows.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { expect, it } from 'vitest';

const root = fileURLToPath(new URL('..', import.meta.url));
const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');

function blockAfter(marker: string): string {
  const at = readme.indexOf(`<!-- ${marker} -->`);
  expect(at, `README marker ${marker}`).toBeGreaterThanOrEqual(0);
  const m = /```[a-z]*\n([\s\S]*?)```/.exec(readme.slice(at));
  expect(m, `code block after ${marker}`).not.toBeNull();
  return m![1];
}

it('the training-options example (softmax spiral, adam, mini-batches) prints what the README says', () => {
  const r = spawnSync(process.execPath, ['--input-type=module', '-e', blockAfter('training-options-example')], { cwd: root, encoding: 'utf8' });
  expect(r.stderr).toBe('');
  expect(r.status).toBe(0);
  expect(r.stdout).toBe(blockAfter('training-options-output'));
});
