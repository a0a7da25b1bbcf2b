// The README's threads example runs as written on the built package and prints what the README shows.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { expect, it } from 'vitest';
import { readmeBlock } from './support/readme-blocks.js';

const root = fileURLToPath(new URL('..', import.meta.url));

it('the threads example prints what the README says: 1 and 2 threads, the same bits', () => {
  const r = spawnSync(process.execPath, ['--input-type=module', '-e', readmeBlock('threads-example')], { cwd: root, encoding: 'utf8', timeout: 120_000 });
  expect(r.stderr).toBe('');
  expect(r.status).toBe(0);
  expect(r.stdout).toBe(readmeBlock('threads-example-output'));
});
