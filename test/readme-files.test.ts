// Every file the README's examples write into the repository (or ask the reader to save there)
// is git-ignored, so following the README leaves `git status` clean; every file it links to exists.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { expect, it } from 'vitest';
import { README } from './support/readme-blocks.js';
import { repoRoot } from './support/cli-sandbox.js';

/** File names the README's commands and code write, found by the phrasings it uses. */
function writtenNames(text: string): string[] {
  const patterns = [
    /[Ss]ave\s+(?:it\s+)?as\s+`([\w.-]+)`/g,          // "Save as `spiral.mjs` …"
    /writeFileSync\('([^']+)'/g,                         // code that writes a file
    /--(?:save|out|plot|json|onnx|tfjs) ([\w./-]+)/g,      // command-line outputs
    /^\$ cat ([\w.-]+)$/gm,                              // a file the reader is shown making
    /writes `?([\w.-]+\.tgz)`?/g,                        // npm pack's tarball
  ];
  const names = new Set<string>();
  for (const re of patterns) for (const m of text.matchAll(re)) names.add(m[1]);
  // placeholders (PATH, FILE.csv, MODEL.json) are not files
  return [...names].filter((n) => !/^[A-Z]+(\.[a-z]+)?$/.test(n));
}

it('git ignores every file the README\'s examples write into the repository', () => {
  const names = writtenNames(README);
  // the phrasings still find the README's examples (else this test would pass on nothing)
  expect(names).toEqual(expect.arrayContaining(['first.mjs', 'spiral.mjs', 'flower-net.json', 'flower-model.json', 'flower-predictions.csv', 'bad.csv']));
  // a folder (--tfjs DIR) is checked as one
  const ignored = (p: string) => spawnSync('git', ['check-ignore', '--no-index', '-q', p], { cwd: repoRoot }).status === 0;
  const notIgnored = names.filter((n) => !ignored(n) && !ignored(`${n}/x`));
  expect(notIgnored, 'add these to .gitignore').toEqual([]);
});

it('every relative link and picture of the README points at a file of the repository (docs/course.md, LICENSE, …)', () => {
  const targets = [...README.matchAll(/\]\((?!https?:|#)([^)#\s]+)(#[^)]*)?\)/g)].map((m) => m[1]);
  expect(targets).toEqual(expect.arrayContaining(['docs/course.md', 'LICENSE', 'docs/wave-curves.svg']));
  const missing = targets.filter((t) => !existsSync(path.join(repoRoot, t)));
  expect(missing).toEqual([]);
});

it('the LICENSE is the MIT licence package.json names', () => {
  const pkg = JSON.parse(readFileSync(path.join(repoRoot, 'package.json'), 'utf8')) as { license: string };
  expect(pkg.license).toBe('MIT');
  expect(readFileSync(path.join(repoRoot, 'LICENSE'), 'utf8')).toMatch(/^MIT License\n\nCopyright \(c\) \d{4} /);
});
