// The built command line (dist/cli.js, made by `npm run build`) run as a user runs it, in a
// temporary directory of its own that the test file's hooks create and remove.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll } from 'vitest';

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
export const CLI = path.join(repoRoot, 'dist', 'cli.js');

export interface CliSandbox {
  /** the temporary directory (set once the file's first beforeAll has run) */
  dir: string;
  /** node dist/cli.js …args, in dir */
  run(...args: string[]): { status: number | null; stdout: string; stderr: string };
  /** a path inside dir */
  at(name: string): string;
}

/** Registers the hooks that make and remove the directory; call it at the top of a test file. */
export function cliSandbox(prefix: string): CliSandbox {
  const box: CliSandbox = {
    dir: '',
    run(...args) {
      const r = spawnSync(process.execPath, [CLI, ...args], { cwd: box.dir, encoding: 'utf8', timeout: 60_000 });
      return { status: r.status, stdout: r.stdout, stderr: r.stderr };
    },
    at: (name) => path.join(box.dir, name),
  };
  beforeAll(() => {
    if (!existsSync(CLI)) throw new Error('dist/cli.js is missing: run `npm run build` first');
    box.dir = mkdtempSync(path.join(tmpdir(), prefix));
  });
  afterAll(() => {
    if (box.dir) rmSync(box.dir, { recursive: true, force: true });
  });
  return box;
}
