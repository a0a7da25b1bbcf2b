// The README's first example runs as written and prints exactly the output the README shows.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { expect, it } from 'vitest';

const root = fileURLToPath(new URL('..', import.meta.url));
const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');

/** the first fenced block after an HTML comment marker */
function blockAfter(marker: string): string {
  const at = readme.indexOf(`<!-- ${marker} -->`);
  expect(at, `README marker ${marker}`).toBeGreaterThanOrEqual(0);
  const m = /```[a-z]*\n([\s\S]*?)```/.exec(readme.slice(at));
  expect(m, `code block after ${marker}`).not.toBeNull();
  return m![1];
}

it('the first example prints what the README says (on the built package, imported by name)', () => {
  const code = blockAfter('first-example');
  const shown = blockAfter('first-example-output');
  const r = spawnSync(process.execPath, ['--input-type=module', '-e', code], { cwd: root, encoding: 'utf8' });
  expect(r.stderr).toBe('');
  expect(r.status).toBe(0);
  expect(r.stdout).toBe(shown);
});
