// Runs a README block of command lines as a user would in this repository — `node dist/cli.js …`
// and `head -N FILE` — but in a temporary directory, with the examples/ paths pointing at the
// repository's examples. Returns what they print (each command's stdout, then its stderr) with
// those paths written back as the README shows them, and each command's exit code.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { expect } from 'vitest';
import { CLI, repoRoot } from './cli-sandbox.js';

const EXAMPLES = path.join(repoRoot, 'examples') + path.sep;

export function runReadmeCommands(block: string, dir: string): { out: string; statuses: (number | null)[] } {
  let out = '';
  const statuses: (number | null)[] = [];
  for (const cmd of block.trim().split('\n')) {
    const [prog, ...args] = cmd.split(' ');
    if (prog === 'head') {
      // head -N FILE
      out += readFileSync(path.join(dir, args[1]), 'utf8').split('\n').slice(0, Number(args[0].slice(1))).join('\n') + '\n';
      statuses.push(0);
      continue;
    }
    expect(`${prog} ${args[0]}`).toBe('node dist/cli.js');
    const r = spawnSync(process.execPath, [CLI, ...args.slice(1).map((a) => (a.startsWith('examples/') ? path.join(repoRoot, a) : a))], { cwd: dir, encoding: 'utf8' });
    statuses.push(r.status);
    out += (r.stdout + r.stderr).replaceAll(EXAMPLES, 'examples/');
  }
  return { out, statuses };
}

/** The output with the run times (as "(0.05 s)") replaced, for comparing runs. */
export const withoutTimes = (s: string): string => s.replace(/\(\d+\.\d\d s\)/g, '(time)');
