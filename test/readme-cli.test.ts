// The README's command-line examples run as written (in a temporary directory, on the
// repository's examples/) and print what the README shows, all but the times; the picture the
// README shows is the one its command writes.
import { spawnSync } from 'node:child_process';
import { copyFileSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { readmeBlock } from './support/readme-blocks.js';
import { cliSandbox, repoRoot } from './support/cli-sandbox.js';
import { runReadmeCommands, withoutTimes } from './support/readme-commands.js';

const box = cliSandbox('wasm-mlp-readme-cli-');

describe("the README's command line", () => {
  it.each(['cli-example', 'cli-wave-example'])('%s prints what the README shows', (marker) => {
    const { out, statuses } = runReadmeCommands(readmeBlock(marker), box.dir);
    expect(statuses.every((s) => s === 0), out).toBe(true);
    expect(withoutTimes(out)).toBe(withoutTimes(readmeBlock(`${marker}-output`)));
  });

  it('docs/wave-curves.svg is the picture the wave example writes', () => {
    runReadmeCommands(readmeBlock('cli-wave-example'), box.dir);
    expect(readFileSync(box.at('wave-curves.svg'), 'utf8')).toBe(readFileSync(path.join(repoRoot, 'docs', 'wave-curves.svg'), 'utf8'));
  });

  it('examples/wave.csv is what examples/make-wave-csv.mjs writes', () => {
    copyFileSync(path.join(repoRoot, 'examples', 'make-wave-csv.mjs'), box.at('make-wave-csv.mjs'));
    const r = spawnSync(process.execPath, [box.at('make-wave-csv.mjs')], { encoding: 'utf8' });
    expect(r.status, r.stderr).toBe(0);
    expect(readFileSync(box.at('wave.csv'), 'utf8')).toBe(readFileSync(path.join(repoRoot, 'examples', 'wave.csv'), 'utf8'));
  });

  it('the numeric-target example is refused with exit code 2 and the message shown', () => {
    const { out, statuses } = runReadmeCommands(readmeBlock('cli-numeric-example'), box.dir);
    expect(statuses).toEqual([2]);
    expect(out).toBe(readmeBlock('cli-numeric-example-output'));
  });
});
