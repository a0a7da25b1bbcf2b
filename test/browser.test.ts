/**
 * The library in a real browser: Debian's Chromium (/usr/bin/chromium) driven
 * by playwright-core, over the static server of `npm run demo` (scripts/serve.mjs); the
 * playground's own tests are in browser-playground.test.ts. Needs the build (npm test builds
 * first). Without Chromium every test here FAILS, saying so (test/support/browser.ts).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { readmeBlock } from './support/readme-blocks.js';
import { openPage as open, repoRoot, startBrowserSession, type BrowserSession } from './support/browser.js';
import { Network, datasets } from '../src/index.js';

/** a loaded 2-core machine: generous, bounded */
const TEST_TIMEOUT = 90_000;

let session: BrowserSession;

beforeAll(async () => {
  session = await startBrowserSession(['demo', 'dist', 'test']);
}, 90_000);

afterAll(async () => {
  await session?.close();
});

const openPage = () => open(session);

interface Run { backend: string; iterations: number; first: number; last: number; accuracy: number; ms: number }
interface PageResult { simd: boolean; runs: Record<string, Run>; error?: string }

describe('dist/browser/wasm-mlp.js in a plain page', () => {
  it('is what package.json gives browsers, and exports the same names as the Node entry', async () => {
    const pkg = JSON.parse(readFileSync(path.join(repoRoot, 'package.json'), 'utf8')) as { exports: Record<string, Record<string, Record<string, string>>> };
    // bundlers take the first condition they match: under "import", "browser" must come before
    // "default" ("types" stays first)
    expect(Object.keys(pkg.exports['.'].import)).toEqual(['types', 'browser', 'default']);
    expect(pkg.exports['.'].import.browser).toBe('./dist/browser/wasm-mlp.js');
    const node = Object.keys(await import(pathToFileURL(path.join(repoRoot, 'dist/index.js')).href) as object).sort();
    const { page, errors } = await openPage();
    try {
      await page.goto(`${session.url}test/fixtures/page.html?iterations=1`);
      // as source text: vitest rewrites import() inside functions it compiles
      const bundleUrl = JSON.stringify(`${session.url}dist/browser/wasm-mlp.js`);
      const inBrowser = await page.evaluate<string[]>(`import(${bundleUrl}).then((m) => Object.keys(m).sort())`);
      expect(inBrowser).toEqual(node);
      expect(node).toContain('Network');
      expect(errors).toEqual([]);
    } finally {
      await page.close();
    }
  }, TEST_TIMEOUT);

  it('trains the flower for 2000 iterations on wasm and js: ≥ 85 % accuracy, first cost equal to Node’s', async () => {
    const { page, errors, offOrigin } = await openPage();
    try {
      await page.goto(`${session.url}test/fixtures/page.html?seed=2&iterations=2000`);
      await page.waitForFunction(() => (window as unknown as { result?: unknown }).result !== undefined, null, { timeout: 60_000 });
      const result = await page.evaluate(() => (window as unknown as { result: PageResult }).result);
      expect(result.error).toBeUndefined();
      expect(result.simd, 'Chromium runs WebAssembly SIMD').toBe(true);

      // the same network in this Node process
      const { X, Y } = datasets.flower();
      const net = await Network.create({ layers: [2, 4, 1], activations: ['tanh', 'sigmoid'], backend: 'wasm', seed: 2 });
      net.forward(X);
      const nodeFirst = net.cost(Y);
      net.dispose();

      for (const backend of ['wasm', 'js']) {
        const run = result.runs[backend];
        expect(run, backend).toBeDefined();
        expect(run.backend, 'no fallback').toBe(backend);
        expect(run.iterations).toBe(2000);
        // the same seed gives the same float32 parameters and data in both engines; the cost is a
        // float64 sum of float32 terms, so engines agree far inside 1e-5 (measured on Chromium's
        // default, relaxed SIMD, against Node 20's plain: wasm bit-equal here, the js kernels 4.2e-9 off)
        expect(Math.abs(run.first - nodeFirst), `${backend}: first cost ${run.first} vs Node ${nodeFirst}`).toBeLessThan(1e-5);
        expect(run.last).toBeLessThan(run.first / 2);
        expect(run.accuracy, `${backend} accuracy`).toBeGreaterThanOrEqual(0.85);
      }
      expect(errors).toEqual([]);
      expect(offOrigin, 'no request leaves the page’s origin').toEqual([]);
    } finally {
      await page.close();
    }
  }, TEST_TIMEOUT);
});

describe('the README', () => {
  it('the in-a-page example runs as written in Chromium and shows what the README says', async () => {
    const snippet = readmeBlock('browser-example');
    const shown = readmeBlock('browser-example-output').trim();
    const { page, errors, offOrigin } = await openPage();
    try {
      // the snippet as a page in a folder of its own, with the bundle copied next to it ('./wasm-mlp.js')
      const base = `${session.url}readme-example/`;
      await page.route(`${base}index.html`, (r) => r.fulfill({
        contentType: 'text/html; charset=utf-8',
        body: `<!doctype html><html><head><meta charset="utf-8"><link rel="icon" href="data:,"></head><body>${snippet}</body></html>`,
      }));
      await page.route(`${base}wasm-mlp.js`, (r) => r.fulfill({
        contentType: 'text/javascript; charset=utf-8',
        path: path.join(repoRoot, 'dist/browser/wasm-mlp.js'),
      }));
      await page.goto(`${base}index.html`);
      // innerText: what the page shows (a script's source is not shown)
      await page.waitForFunction(() => document.body.innerText.trim() !== '', null, { timeout: 60_000 });
      expect((await page.locator('body').innerText()).trim()).toBe(shown);
      expect(errors).toEqual([]);
      expect(offOrigin).toEqual([]);
    } finally {
      await page.close();
    }
  }, TEST_TIMEOUT);
});
