/**
 * The package installed as the README's Install section says — from an `npm pack` tarball, from
 * a git URL (git+file:// to a snapshot of this working tree, which npm clones, installs and
 * builds through the prepare script), and from a folder — into throw-away projects in a temporary
 * folder. The README's ES module, CommonJS and TypeScript examples run (or type-check, with tsc
 * under nodenext and bundler resolution) there, and an esbuild browser bundle of the ES example
 * runs in Chromium. Nothing is fetched beyond the npm registry; the consumers install nothing but
 * wasm-mlp (tsc and esbuild are this repository's).
 */
import { existsSync, lstatSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readmeBlock } from './support/readme-blocks.js';
import { consumerProject, ESBUILD, node, npm, repoRoot, run, snapshotRepo, TSC } from './support/consumer.js';
import { openPage, startBrowserSession } from './support/browser.js';

/** npm installs on a shared 2-core machine: generous, bounded */
const INSTALL_TIMEOUT = 300_000;

let tmp = '';
beforeAll(() => {
  tmp = mkdtempSync(path.join(tmpdir(), 'wasm-mlp-install-'));
});
afterAll(() => {
  if (tmp) rmSync(tmp, { recursive: true, force: true });
});

const esm = () => readmeBlock('install-esm-example');
const cjs = () => readmeBlock('install-cjs-example');
const shown = () => readmeBlock('install-esm-output');

/** The installed package's files under node_modules. */
function installed(project: string): string {
  return path.join(project, 'node_modules', 'wasm-mlp');
}

function expectRuns(project: string, file: string): void {
  const r = node([file], project);
  expect(r.stderr, `${file}: stderr`).toBe('');
  expect(r.status, `${file}: exit code`).toBe(0);
  expect(r.stdout, `${file}: output`).toBe(shown());
}

describe('from an npm pack tarball', () => {
  let project = '';
  beforeAll(() => {
    // npm pack runs the prepare script (an up-to-date build does nothing) and writes the tarball
    const pack = npm(['pack', '--pack-destination', tmp], repoRoot);
    expect(pack.status, pack.stderr).toBe(0);
    const tgz = readdirSync(tmp).find((f) => /^wasm-mlp-.*\.tgz$/.test(f));
    expect(tgz, 'npm pack wrote a tarball').toBeDefined();
    project = consumerProject(path.join(tmp, 'tarball'), 'module', { 'app.mjs': esm(), 'app.cjs': cjs() });
    const r = npm(['install', path.join(tmp, tgz!)], project);
    expect(r.status, r.stderr).toBe(0);
  }, INSTALL_TIMEOUT);

  it('holds dist/ (ES, CommonJS, browser, declarations), the README, the LICENSE, and nothing of the sources', () => {
    const dir = installed(project);
    expect(lstatSync(dir).isSymbolicLink()).toBe(false);
    for (const f of ['dist/index.js', 'dist/index.cjs', 'dist/cli.js', 'dist/browser/wasm-mlp.js', 'dist/types/index.d.ts', 'dist/types/index.d.cts',
      'dist/data.js', 'dist/data.cjs', 'dist/browser/wasm-mlp-data.js', 'dist/types/data-index.d.ts', 'dist/types/data-index.d.cts', 'README.md', 'LICENSE', 'package.json']) {
      expect(existsSync(path.join(dir, f)), f).toBe(true);
    }
    for (const f of ['src', 'assembly', 'test', 'scripts', 'node_modules']) expect(existsSync(path.join(dir, f)), f).toBe(false);
  });

  it('runs the README\'s ES module example', () => expectRuns(project, 'app.mjs'));

  it('runs the README\'s CommonJS example (require)', () => expectRuns(project, 'app.cjs'));

  it('gives the same functions to import and require', () => {
    const r = node(['--input-type=module', '-e', `
      import { createRequire } from 'node:module';
      const esm = await import('wasm-mlp');
      const cjs = createRequire(import.meta.url)('wasm-mlp');
      console.log(JSON.stringify([Object.keys(esm).sort(), Object.keys(cjs).filter((k) => k !== 'default').sort()]));
    `], project);
    expect(r.status, r.stderr).toBe(0);
    const [a, b] = JSON.parse(r.stdout) as string[][];
    expect(b).toEqual(a);
    expect(a).toContain('Network');
  });

  it('gives wasm-mlp/data to import and require, working with the main entry\'s Network', () => {
    const script = (load: string) => `
      ${load}
      const { X, Y } = main.datasets.flower({ m: 20 });
      const standardizer = data.fitStandardizer(X);
      const net = await main.Network.create({ layers: [2, 2, 1] });
      const loaded = await data.loadModel(data.saveModel({ net, features: ['a', 'b'], target: 't', classes: ['x', 'y'], standardizer }));
      console.log(loaded.net instanceof main.Network, loaded.classes.join(), data.readCsv('a,b\\n1,2\\n').X.rows);
    `;
    const esmRun = node(['--input-type=module', '-e', script("const main = await import('wasm-mlp'); const data = await import('wasm-mlp/data');")], project);
    expect(esmRun.stderr).toBe('');
    expect(esmRun.stdout).toBe('true x,y 2\n');
    const cjsRun = node(['--input-type=commonjs', '-e', `(async () => { ${script("const main = require('wasm-mlp'); const data = require('wasm-mlp/data');")} })()`], project);
    expect(cjsRun.stderr).toBe('');
    expect(cjsRun.stdout).toBe('true x,y 2\n');
  });

  it('puts the wasm-mlp command on the PATH of npm scripts (node_modules/.bin)', () => {
    const r = run(path.join(project, 'node_modules', '.bin', 'wasm-mlp'), ['train', '--help'], project);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^Usage: wasm-mlp train /);
  });

  describe('TypeScript', () => {
    const check = (dir: string) => run(process.execPath, [TSC, '-p', dir], dir);
    const tsconfig = (options: Record<string, unknown>, include: string[]) =>
      JSON.stringify({ compilerOptions: { strict: true, noEmit: true, target: 'es2022', skipLibCheck: false, types: [], ...options }, include }, null, 2);

    it('type-checks the README\'s example with moduleResolution nodenext, as an ES module and as CommonJS', () => {
      const dir = path.join(project, 'ts-nodenext');
      // the same code as CommonJS (.cts): imports become require(), which has no top-level await
      const asCjs = readmeBlock('install-ts-example').replace(/^(const \{ X, Y \}[\s\S]*)$/m, 'async function main(): Promise<void> {\n$1}\nvoid main();\n');
      writeFileSync(path.join(project, 'esm.mts'), readmeBlock('install-ts-example'));
      writeFileSync(path.join(project, 'cjs.cts'), asCjs);
      consumerProject(dir, 'module', { 'tsconfig.json': tsconfig({ module: 'nodenext', moduleResolution: 'nodenext' }, ['../esm.mts', '../cjs.cts']) });
      const r = check(dir);
      expect(r.stdout + r.stderr).toBe('');
      expect(r.status).toBe(0);
    });

    it('type-checks it with moduleResolution bundler', () => {
      const dir = path.join(project, 'ts-bundler');
      consumerProject(dir, 'module', {
        'app.ts': readmeBlock('install-ts-example'),
        'tsconfig.json': tsconfig({ module: 'esnext', moduleResolution: 'bundler' }, ['app.ts']),
      });
      const r = check(dir);
      expect(r.stdout + r.stderr).toBe('');
      expect(r.status).toBe(0);
    });

    it('reads real declarations: a wrong call is a type error, in both resolutions and both module forms', () => {
      const bad = "import { Network } from 'wasm-mlp';\nexport const p = Network.create({ layers: 'two' });\n";
      for (const [name, options, file] of [
        ['bad-nodenext-esm', { module: 'nodenext', moduleResolution: 'nodenext' }, 'bad.mts'],
        ['bad-nodenext-cjs', { module: 'nodenext', moduleResolution: 'nodenext' }, 'bad.cts'],
        ['bad-bundler', { module: 'esnext', moduleResolution: 'bundler' }, 'bad.ts'],
      ] as const) {
        const dir = consumerProject(path.join(project, name), 'module', { [file]: bad, 'tsconfig.json': tsconfig(options, [file]) });
        const r = check(dir);
        expect(r.status, name).not.toBe(0);
        // TS2322: "Type 'string' is not assignable to type 'readonly number[]'" — the declared
        // type of layers, which a missing declaration (TS7016) or `any` would not give
        expect(r.stdout, name).toMatch(/error TS2322: Type 'string' is not assignable to type '(readonly )?number\[\]'/);
      }
    });
  });

  it('bundles for the browser with esbuild (the browser build) and the bundle runs in Chromium', async () => {
    const dir = path.join(project, 'web');
    consumerProject(dir, 'module', {
      'app.mjs': esm(),
      'index.html': '<!doctype html><meta charset="utf-8"><title>app</title><link rel="icon" href="data:,"><script type="module" src="app.js"></script>\n',
    });
    const r = run(ESBUILD, ['app.mjs', '--bundle', '--platform=browser', '--format=esm', '--outfile=app.js', '--metafile=meta.json', '--log-level=warning'], dir);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    const inputs = Object.keys((JSON.parse(readFileSync(path.join(dir, 'meta.json'), 'utf8')) as { inputs: object }).inputs);
    expect(inputs).toContain('../node_modules/wasm-mlp/dist/browser/wasm-mlp.js');

    const session = await startBrowserSession(['web'], project);
    try {
      const { page, errors, offOrigin } = await openPage(session);
      const lines: string[] = [];
      page.on('console', (m) => { if (m.type() !== 'error') lines.push(m.text()); });
      await page.goto(`${session.url}web/index.html`);
      for (let waited = 0; lines.length === 0 && errors.length === 0 && waited < 60_000; waited += 100) await new Promise((res) => setTimeout(res, 100));
      expect(errors).toEqual([]);
      expect(offOrigin).toEqual([]);
      expect(lines.join('\n') + '\n').toBe(shown());
    } finally {
      await session.close();
    }
  }, 120_000);
});

describe('from a git URL', () => {
  it('npm clones it, builds dist/ with the prepare script, and the examples run', () => {
    const repo = snapshotRepo(path.join(tmp, 'clone-source'));
    expect(existsSync(path.join(repo, 'dist')), 'the snapshot has no build output').toBe(false);
    const project = consumerProject(path.join(tmp, 'git'), 'module', { 'app.mjs': esm(), 'app.cjs': cjs() });
    const r = npm(['install', `git+file://${repo}`], project);
    expect(r.status, r.stderr).toBe(0);
    for (const f of ['dist/index.js', 'dist/index.cjs', 'dist/browser/wasm-mlp.js', 'dist/types/index.d.ts', 'dist/types/index.d.cts', 'LICENSE']) {
      expect(existsSync(path.join(installed(project), f)), f).toBe(true);
    }
    expectRuns(project, 'app.mjs');
    expectRuns(project, 'app.cjs');
  }, INSTALL_TIMEOUT);
});

describe('from a folder', () => {
  it('links a built clone (this repository) into the project, and the examples run', () => {
    const project = consumerProject(path.join(tmp, 'folder'), 'commonjs', { 'app.mjs': esm(), 'app.cjs': cjs() });
    const r = npm(['install', repoRoot], project);
    expect(r.status, r.stderr).toBe(0);
    expect(lstatSync(installed(project)).isSymbolicLink()).toBe(true);
    expectRuns(project, 'app.mjs');
    expectRuns(project, 'app.cjs');
  }, INSTALL_TIMEOUT);

  it('refuses a clone whose npm ci has not run, saying to run it', () => {
    const repo = snapshotRepo(path.join(tmp, 'unbuilt'));
    const project = consumerProject(path.join(tmp, 'folder-unbuilt'), 'module');
    const r = npm(['install', repo], project);
    expect(r.status).not.toBe(0);
    expect(r.stderr).toContain(`build: asc is not installed in ${repo}/node_modules, so dist/ cannot be built: run \`npm ci\` in ${repo} first`);
  }, INSTALL_TIMEOUT);
});
