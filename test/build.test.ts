// scripts/build.mjs (npm run build, npm start, the prepare script) runs a step only when an output
// is missing or older than an input, and a failed step leaves no output behind. On a copy of the
// working tree whose node_modules links to this repository's, so the real tools run.
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { copyWorkingTree, node, repoRoot } from './support/consumer.js';

let dir = '';
beforeAll(() => {
  dir = copyWorkingTree(mkdtempSync(path.join(tmpdir(), 'wasm-mlp-build-')));
  symlinkSync(path.join(repoRoot, 'node_modules'), path.join(dir, 'node_modules'), 'dir');
});
afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

/** The steps a build ran, from its "build: STEP (why)" lines. */
function build(...steps: string[]): string[] {
  const r = node(['scripts/build.mjs', ...steps], dir);
  expect(r.status, r.stderr).toBe(0);
  return [...r.stdout.matchAll(/^build: (\S+) \(/gm)].map((m) => m[1]);
}

/**
 * Marks a file as changed: its mtime in the future, past any output written so far (the build may
 * date an output as late as its newest input, so each touch goes 5 s past the previous one).
 */
let lastTouch = 0;
function touch(rel: string): void {
  lastTouch = Math.max(Date.now(), lastTouch) + 5000;
  const t = new Date(lastTouch);
  utimesSync(path.join(dir, rel), t, t);
}

const mtime = (rel: string) => statSync(path.join(dir, rel)).mtimeMs;

/** the steps the Node bundles need: the two inlined modules, deflated together, then the JS */
const JS = ['wasm:release', 'wasm:relaxed', 'wasm:inlined', 'js'];

it('builds what is missing, then nothing while the outputs are newer than the inputs', () => {
  expect(build(...JS)).toEqual(JS);
  const before = [mtime('build/mlp.wasm'), mtime('build/mlp-inlined.wasm'), mtime('dist/index.js'), mtime('dist/cli.js')];
  expect(build(...JS)).toEqual([]);
  expect([mtime('build/mlp.wasm'), mtime('build/mlp-inlined.wasm'), mtime('dist/index.js'), mtime('dist/cli.js')]).toEqual(before);
}, 120_000);

it('rebuilds only the steps that depend on a changed file', () => {
  touch('src/network.ts');
  expect(build(...JS)).toEqual(['js']);
  // the kernels change: the wasm, then the deflated pair, then the JS that inlines it
  touch('assembly/index.ts');
  expect(build(...JS)).toEqual(JS);
  // the way the pair is packed changes: it and the JS, not the modules
  touch('scripts/inline-wasm.mjs');
  expect(build(...JS)).toEqual(['wasm:inlined', 'js']);
  // a debug build of the kernels is not an input of the JS
  expect(build('wasm:debug')).toEqual(['wasm:debug']);
  expect(build(...JS)).toEqual([]);
}, 120_000);

it('removes the outputs of a failed step, so the next build runs it again', () => {
  const file = path.join(dir, 'src', 'index.ts');
  const good = readFileSync(file, 'utf8');
  writeFileSync(file, good + '\nexport const broken = ;\n');
  touch('src/index.ts');
  try {
    const r = node(['scripts/build.mjs', 'js'], dir);
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/build: js failed/);
    expect(existsSync(path.join(dir, 'dist', 'index.js'))).toBe(false);
  } finally {
    writeFileSync(file, good);
    touch('src/index.ts');
  }
  expect(build('js')).toEqual(['js']);
  expect(existsSync(path.join(dir, 'dist', 'index.js'))).toBe(true);
}, 120_000);

it('names an unknown step and lists the known ones', () => {
  const r = node(['scripts/build.mjs', 'wasm:fast'], dir);
  expect(r.status).toBe(2);
  expect(r.stderr).toMatch(/unknown step "wasm:fast"; the steps are wasm:release, wasm:relaxed, wasm:shared, wasm:relaxed-shared, wasm:debug, wasm:inlined, js, browser, modules, data, export, types, size, wasm, package, all/);
});
