/**
 * The library and the playground in a real browser: Debian's Chromium (/usr/bin/chromium) driven
 * by playwright-core, over the static server of `npm run demo` (scripts/serve.mjs). Needs the
 * build (npm test builds first). Without Chromium every test here FAILS, saying so: .ci/run
 * installs the `chromium` package with apt-get; a browser is never downloaded.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { existsSync, mkdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';
import { readmeBlock } from './support/readme-blocks.js';
import { startServer, type RunningServer } from '../scripts/serve.mjs';
import { Network, datasets } from '../src/index.js';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const CHROMIUM = '/usr/bin/chromium';
const ARGS = [
  '--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking',
  '--disable-component-update', '--disable-sync', '--no-first-run',
];
const ARTIFACTS = path.join(repoRoot, 'test-artifacts');
/** a loaded 2-core machine: generous, bounded */
const TEST_TIMEOUT = 90_000;

let server: RunningServer | undefined;
let browser: Browser | undefined;
let launchError: Error | undefined;

beforeAll(async () => {
  server = await startServer({ root: repoRoot, folders: ['demo', 'dist', 'test'] });
  if (!existsSync(CHROMIUM)) {
    launchError = new Error(
      `browser tests: Chromium is missing at ${CHROMIUM}. Install Debian's package: ` +
      'apt-get update && apt-get install -y chromium (.ci/run does this). No browser is ever downloaded.',
    );
    return;
  }
  try {
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ARGS, timeout: 60_000 });
  } catch (e) {
    launchError = new Error(`browser tests: could not launch ${CHROMIUM}: ${(e as Error).message}`);
  }
}, 90_000);

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

/** the shared browser, or the reason there is none (the test fails with it) */
function theBrowser(): Browser {
  if (launchError) throw launchError;
  if (!browser) throw new Error('browser tests: Chromium was not launched');
  return browser;
}

/** a page that records console errors, uncaught exceptions, failed requests and off-origin requests */
async function openPage(viewport = { width: 1280, height: 680 }) {
  const page = await theBrowser().newPage({ viewport });
  const errors: string[] = [];
  const offOrigin: string[] = [];
  const origin = new URL(server!.url).origin;
  page.on('console', (m) => { if (m.type() === 'error') errors.push(`console: ${m.text()}`); });
  page.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`));
  page.on('requestfailed', (r) => errors.push(`request failed: ${r.url()}`));
  page.on('request', (r) => {
    const u = r.url();
    if (!u.startsWith(origin) && !u.startsWith('data:') && !u.startsWith('blob:')) offOrigin.push(u);
  });
  page.on('worker', (w) => w.on('console', (m) => { if (m.type() === 'error') errors.push(`worker console: ${m.text()}`); }));
  return { page, errors, offOrigin };
}

interface Run { backend: string; iterations: number; first: number; last: number; accuracy: number; ms: number }
interface PageResult { simd: boolean; runs: Record<string, Run>; error?: string }

describe('dist/browser/wasm-mlp.js in a plain page', () => {
  it('is what package.json gives browsers, and exports the same names as the Node entry', async () => {
    const pkg = JSON.parse(readFileSync(path.join(repoRoot, 'package.json'), 'utf8')) as { exports: Record<string, Record<string, string>> };
    // bundlers take the first condition they match: "browser" must come before "import" ("types" stays first)
    expect(Object.keys(pkg.exports['.'])).toEqual(['types', 'browser', 'import']);
    expect(pkg.exports['.'].browser).toBe('./dist/browser/wasm-mlp.js');
    const node = Object.keys(await import(pathToFileURL(path.join(repoRoot, 'dist/index.js')).href) as object).sort();
    const { page, errors } = await openPage();
    try {
      await page.goto(`${server!.url}test/fixtures/page.html?iterations=1`);
      // as source text: vitest rewrites import() inside functions it compiles
      const bundleUrl = JSON.stringify(`${server!.url}dist/browser/wasm-mlp.js`);
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
      await page.goto(`${server!.url}test/fixtures/page.html?seed=2&iterations=2000`);
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
        // float64 sum of float32 terms, so engines agree far inside 1e-5 (measured: wasm bit-equal,
        // the js kernels 4e-13 off)
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
      const base = `${server!.url}readme-example/`;
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

/** a number shown by the playground (each readout carries its raw value in data-value) */
async function readout(page: Page, id: string): Promise<number> {
  return Number(await page.locator(`#${id}`).getAttribute('data-value'));
}

describe('the playground (demo/)', () => {
  let trained: { page: Page; errors: string[] } | undefined;

  afterAll(async () => {
    await trained?.page.close();
  });

  it('loads without console errors, trains the flower past 85 % within 20 s, and keeps training across a backend switch', async () => {
    const { page, errors, offOrigin } = await openPage();
    trained = { page, errors };
    await page.goto(`${server!.url}demo/`);
    await page.locator('#play:not([disabled])').waitFor({ timeout: 30_000 });
    expect(await page.locator('#dataset').inputValue()).toBe('flower');
    expect(await page.locator('#backend-wasm').isChecked()).toBe(true);
    expect(await page.locator('#shape').textContent()).toBe('2-4-1');
    expect(await readout(page, 'steps')).toBe(0);

    // Step: exactly one iteration
    await page.click('#step');
    await page.waitForFunction(() => document.getElementById('steps')!.dataset.value === '1', null, { timeout: 10_000 });

    // Play: the training accuracy passes 85 % within 20 s
    await page.click('#play');
    await expect.poll(() => page.locator('#play').textContent()).toBe('Pause');
    await page.waitForFunction(() => Number(document.getElementById('train-accuracy')!.dataset.value) >= 0.85, null, { timeout: 20_000 });
    await page.waitForFunction(() => Number(document.getElementById('steps-per-second')!.dataset.value) > 0, null, { timeout: 10_000 });
    expect(await page.locator('#backend-in-use').textContent()).toBe('wasm');

    // switching the backend keeps the network and keeps training, both ways
    for (const backend of ['js', 'wasm']) {
      const before = await readout(page, 'steps');
      await page.click(`label[for=backend-${backend}]`);
      await page.waitForFunction((b) => document.getElementById('backend-in-use')!.textContent === b, backend, { timeout: 10_000 });
      const at = await readout(page, 'steps');
      expect(at, 'the step count goes on (no reset)').toBeGreaterThanOrEqual(before);
      // still playing: the count grows on the new backend
      await page.waitForFunction((n) => Number(document.getElementById('steps')!.dataset.value) > n + 100, at, { timeout: 20_000 });
      expect(await page.locator('#backend-in-use').textContent()).toBe(backend);
      expect(await readout(page, 'train-accuracy'), `accuracy stays on ${backend}`).toBeGreaterThanOrEqual(0.85);
      expect(page.url()).toContain(`backend=${backend}`);
    }
    expect(await readout(page, 'test-accuracy')).toBeGreaterThan(0.5);
    expect(Number.isFinite(await readout(page, 'test-cost'))).toBe(true);
    expect(errors).toEqual([]);
    expect(offOrigin).toEqual([]);
  }, TEST_TIMEOUT);

  it('writes a screenshot of the trained playground to test-artifacts/', async () => {
    if (!trained) throw new Error('no trained playground page: the previous test did not get that far');
    const { page, errors } = trained;
    await page.click('#play'); // pause, so the picture is of one state
    await expect.poll(() => page.locator('#play').textContent()).toBe('Play');
    mkdirSync(ARTIFACTS, { recursive: true });
    const file = path.join(ARTIFACTS, 'playground.png');
    const before = Date.now();
    await page.screenshot({ path: file, fullPage: true });
    expect(statSync(file).mtimeMs).toBeGreaterThanOrEqual(before - 1000);
    const png = readFileSync(file);
    expect(png.subarray(1, 4).toString('latin1')).toBe('PNG');
    // IHDR: width and height, big-endian, at bytes 16..23
    expect(png.readUInt32BE(16)).toBe(1280);
    expect(png.readUInt32BE(20)).toBeGreaterThanOrEqual(600);
    expect(errors).toEqual([]);
  }, TEST_TIMEOUT);

  it('keeps the whole setup in the URL: change settings, reload that URL, the same settings come back', async () => {
    const { page, errors } = await openPage();
    try {
      await page.goto(`${server!.url}demo/`);
      await page.locator('#play:not([disabled])').waitFor({ timeout: 30_000 });
      await page.selectOption('#dataset', 'spiral');
      await page.locator('#noise').fill('0.35');
      await page.selectOption('#points', '200');
      await page.locator('#train-percent').fill('60');
      for (const [id, v] of [['seed', '7'], ['layers', '2'], ['units', '8']]) {
        await page.locator(`#${id}`).fill(v);
        await page.locator(`#${id}`).blur(); // a number input commits its value (change) on blur
      }
      await page.selectOption('#activation', 'relu');
      await page.selectOption('#init', 'he');
      await page.selectOption('#learning-rate', '0.3');
      await page.click('label[for=backend-js]');
      await page.waitForFunction(() => document.getElementById('backend-in-use')!.textContent === 'js', null, { timeout: 10_000 });
      const expected = {
        dataset: 'spiral', noise: '0.35', points: '200', 'train-percent': '60', seed: '7',
        layers: '2', units: '8', activation: 'relu', init: 'he', 'learning-rate': '0.3',
      };
      const shared = page.url();
      const q = new URL(shared).searchParams;
      expect(q.get('data')).toBe('spiral');
      expect(q.get('backend')).toBe('js');

      const { page: again, errors: errorsAgain } = await openPage();
      try {
        await again.goto(shared);
        await again.locator('#play:not([disabled])').waitFor({ timeout: 30_000 });
        for (const [id, v] of Object.entries(expected)) expect(await again.locator(`#${id}`).inputValue(), id).toBe(v);
        expect(await again.locator('#backend-js').isChecked()).toBe(true);
        expect(await again.locator('#shape').textContent()).toBe('2-8-8-1');
        await again.waitForFunction(() => document.getElementById('backend-in-use')!.textContent === 'js', null, { timeout: 10_000 });
        expect(again.url(), 'the reloaded page writes back the same URL').toBe(shared);
        // and the setup is live: it trains (the spiral on 2-8-8-1 ReLU)
        await again.click('#play');
        await again.waitForFunction(() => Number(document.getElementById('steps')!.dataset.value) > 50, null, { timeout: 20_000 });
        expect(errorsAgain).toEqual([]);
      } finally {
        await again.close();
      }
      expect(errors).toEqual([]);
    } finally {
      await page.close();
    }
  }, TEST_TIMEOUT);
});
