/**
 * The playground (demo/) in Debian's Chromium (test/support/browser.ts): every control used at
 * least once, the training targets of the issue (3-class spiral, feature crosses, regression),
 * points added by clicking and by keyboard, CSV files dropped and picked, the URL round trip,
 * model files down and back up, divergence, the keyboard and screen-reader labels, no console
 * errors anywhere, and screenshots at 1280 and 390 px in test-artifacts/.
 *
 * The page exposes its live figures as elements with data-metric (steps, train-loss, test-loss,
 * train-accuracy, test-accuracy; the raw number in data-value); the tests read those.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { existsSync, mkdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Page } from 'playwright-core';
import { ARTIFACTS, openPage, repoRoot, startBrowserSession, type BrowserSession, type OpenedPage } from './support/browser.js';
import { Network } from '../src/index.js';

/** the 2-core machine is shared: generous per test, each bounded */
const TEST_TIMEOUT = 90_000;

let session: BrowserSession;
const pages: OpenedPage[] = [];

beforeAll(async () => {
  session = await startBrowserSession(['demo', 'dist']);
}, 90_000);

afterAll(async () => {
  for (const p of pages) await p.page.close().catch(() => {});
  await session?.close();
});

/** the export entry's browser file: the page imports it if it is there (ONNX and TF.js buttons) */
const EXPORT_ENTRY = '/dist/browser/export.js';

/** the playground with a query, ready (its first frame shown) */
async function playground(query = '', viewport = { width: 1280, height: 800 }): Promise<OpenedPage> {
  const opened = await openPage(session, viewport, [EXPORT_ENTRY]);
  pages.push(opened);
  await opened.page.goto(`${session.url}demo/${query}`);
  await opened.page.locator('#play:not([disabled])').waitFor({ timeout: 30_000 });
  return opened;
}

const metric = async (page: Page, name: string): Promise<number> => {
  const v = await page.locator(`[data-metric="${name}"]`).getAttribute('data-value');
  return v === null || v === '' ? NaN : Number(v);
};

/** waits until metric `name` compares as asked with `value` */
async function until(page: Page, name: string, op: '>' | '>=' | '<' | '===', value: number, timeout = 20_000): Promise<number> {
  await page.waitForFunction(([n, o, v]) => {
    const a = document.querySelector(`[data-metric="${n}"]`)?.getAttribute('data-value');
    if (a === null || a === undefined || a === '') return false;
    const x = Number(a);
    return o === '>' ? x > v : o === '>=' ? x >= v : o === '<' ? x < v : x === v;
  }, [name, op, value] as const, { timeout });
  return metric(page, name);
}

async function play(page: Page) {
  await page.click('#play');
  await expect.poll(() => page.locator('#play').getAttribute('data-state')).toBe('playing');
}
async function pause(page: Page) {
  await page.click('#play');
  await expect.poll(() => page.locator('#play').getAttribute('data-state')).toBe('paused');
  // the worker has stopped when two frames a moment apart show the same step
  let last = -1;
  await expect.poll(async () => {
    const now = await metric(page, 'steps');
    const same = now === last;
    last = now;
    return same;
  }, { interval: 200 }).toBe(true);
}

const hash = (page: Page) => page.locator('#boundary').getAttribute('data-output-hash');
const picture = (page: Page) => page.locator('#boundary').evaluate((c: HTMLCanvasElement) => c.toDataURL());
/** a click on the output at a fraction (fx, fy) of its width and height */
async function clickOutput(page: Page, fx: number, fy: number, shift = false) {
  const box = (await page.locator('#boundary').boundingBox())!;
  await page.locator('#boundary').click({ position: { x: fx * box.width, y: fy * box.height }, modifiers: shift ? ['Shift'] : [] });
}
const trainPoints = async (page: Page) => Number(await page.locator('#data-summary').getAttribute('data-train-points'));
const testPoints = async (page: Page) => Number(await page.locator('#data-summary').getAttribute('data-test-points'));

/** drops a file onto the page as a user's drag and drop does */
async function dropFile(page: Page, name: string, text: string, type = 'text/csv') {
  const transfer = await page.evaluateHandle(([n, t, ty]) => {
    const dt = new DataTransfer();
    dt.items.add(new File([t], n, { type: ty }));
    return dt;
  }, [name, text, type] as const);
  await page.dispatchEvent('#boundary', 'dragover', { dataTransfer: transfer });
  await page.dispatchEvent('#boundary', 'drop', { dataTransfer: transfer });
}

/** a CSV of two noisy blobs labelled by colour name, from a fixed-seed generator */
function blobsCsv(rows: number): string {
  let state = 12345;
  const rand = () => ((state = (Math.imul(state, 1103515245) + 12345) >>> 0) / 2 ** 32);
  const lines = ['width,height,colour'];
  for (let i = 0; i < rows; i++) {
    const red = i % 2 === 0;
    lines.push(`${((red ? 10 : 30) + 6 * (rand() - 0.5)).toFixed(3)},${((red ? 200 : 300) + 60 * (rand() - 0.5)).toFixed(3)},${red ? 'red' : 'blue'}`);
  }
  return lines.join('\r\n') + '\r\n';
}

describe('the playground: first look', () => {
  it('loads without console errors, every control labelled and reachable by Tab, trains the flower past 85 %, keeps training across a backend switch', async () => {
    const { page, errors, offOrigin } = await playground();
    expect(await page.locator('#dataset').inputValue()).toBe('flower');
    expect(await page.locator('#shape').textContent()).toBe('2-4-1');
    expect(await metric(page, 'steps')).toBe(0);

    // every control has an accessible name in Chromium's accessibility tree
    const tree = await page.locator('body').ariaSnapshot();
    const unnamed = tree.split('\n').filter((l) => /^\s*- (button|checkbox|combobox|radio|slider|spinbutton|textbox|application)\b(?! ")/.test(l));
    expect(unnamed, 'controls without a name').toEqual([]);
    // and every control is reached by Tab (the neurons by one tab stop and the arrow keys)
    // (a radio group is one tab stop, its checked radio; the arrow keys move within it)
    const controls = await page.evaluate(() => Array.from(document.querySelectorAll('button, select, input, [tabindex="0"]'))
      .filter((e) => (e as HTMLElement).offsetParent !== null && !(e as HTMLButtonElement).disabled && !e.matches('button.neuron[tabindex="-1"], input[type=radio]:not(:checked)'))
      .map((e) => e.id || `${e.tagName}.${(e as HTMLElement).dataset.feature ?? (e as HTMLElement).dataset.layer ?? ''}.${e.getAttribute('aria-label') ?? ''}`));
    const reached = new Set<string>();
    await page.locator('body').focus();
    for (let i = 0; i < controls.length + 10; i++) {
      await page.keyboard.press('Tab');
      reached.add(await page.evaluate(() => {
        const e = document.activeElement as HTMLElement;
        return e.id || `${e.tagName}.${e.dataset.feature ?? e.dataset.layer ?? ''}.${e.getAttribute('aria-label') ?? ''}`;
      }));
    }
    expect(controls.filter((c) => !reached.has(c)), 'controls Tab never reached').toEqual([]);

    // Step: one epoch, with the full batch one step
    await page.click('#step');
    await until(page, 'steps', '===', 1, 10_000);

    await play(page);
    await until(page, 'train-accuracy', '>=', 0.85, 20_000);
    await until(page, 'steps-per-second', '>', 0, 10_000);
    expect(await page.locator('#backend-in-use').getAttribute('data-backend')).toBe('wasm');
    for (const backend of ['js', 'wasm']) {
      const before = await metric(page, 'steps');
      await page.click(`label[for=backend-${backend}]`);
      await page.waitForFunction((b) => document.getElementById('backend-in-use')!.dataset.backend === b, backend, { timeout: 10_000 });
      const at = await metric(page, 'steps');
      expect(at, 'the step count goes on (no reset)').toBeGreaterThanOrEqual(before);
      await until(page, 'steps', '>', at + 100, 20_000);
      expect(await metric(page, 'train-accuracy'), `accuracy stays on ${backend}`).toBeGreaterThanOrEqual(0.85);
      expect(page.url()).toContain(`backend=${backend}`);
    }
    expect(await metric(page, 'test-accuracy')).toBeGreaterThan(0.5);
    await pause(page);

    // threads and the ONNX / TF.js buttons show only where the library has them: net.threads;
    // net.toONNX / net.toTFJS, or the export entry's toONNX / toTFJS
    const net = await Network.create({ layers: [2, 1] });
    const entryFile = path.join(repoRoot, 'dist/export.js');
    const entry = existsSync(entryFile) && existsSync(path.join(repoRoot, EXPORT_ENTRY)) ? await import(pathToFileURL(entryFile).href) as Record<string, unknown> : {};
    const method = (name: string) => typeof (net as unknown as Record<string, unknown>)[name] === 'function' || typeof entry[name] === 'function';
    const has = { threads: 'threads' in net, onnx: method('toONNX'), tfjs: method('toTFJS') };
    net.dispose();
    expect(await page.locator('#threads-field').isVisible()).toBe(has.threads);
    expect(await page.locator('#download-onnx').isVisible()).toBe(has.onnx);
    expect(await page.locator('#download-tfjs').isVisible()).toBe(has.tfjs);
    if (has.threads) {
      await page.selectOption('#threads', '1');
      await expect.poll(() => page.locator('#backend-in-use').textContent()).toBe('wasm, 1 thread');
      expect(page.url()).toContain('threads=1');
    }
    if (has.onnx) {
      const [d] = await Promise.all([page.waitForEvent('download'), page.click('#download-onnx')]);
      // an ONNX file is a ModelProto: field 1 (ir_version) first, a varint (tag byte 0x08)
      expect(readFileSync((await d.path())!)[0]).toBe(0x08);
    }
    if (has.tfjs) {
      const files: Record<string, Buffer> = {};
      page.on('download', async (d) => { files[d.suggestedFilename()] = readFileSync((await d.path())!); });
      await page.click('#download-tfjs');
      await expect.poll(() => Object.keys(files).sort()).toEqual(['wasm-mlp-flower-model.json', 'wasm-mlp-flower-weights.bin']);
      const manifest = JSON.parse(files['wasm-mlp-flower-model.json'].toString('utf8'));
      expect(manifest.weightsManifest[0].paths).toEqual(['weights.bin']);
    }
    expect(errors).toEqual([]);
    expect(offOrigin).toEqual([]);
  }, TEST_TIMEOUT);
});

describe('the playground: training targets', () => {
  it('3-class spiral with softmax: ≥ 90 % test accuracy within 30 s; the confusion matrix agrees; neurons and links show their values; screenshots', async () => {
    const query = '?data=spiral3&hidden=16,16&act=relu,relu&init=he&opt=adam&lr=0.01&batch=16';
    const { page, errors } = await playground(query);
    expect(await page.locator('#shape').textContent()).toBe('2-16-16-3');
    const t0 = Date.now();
    await play(page);
    await until(page, 'test-accuracy', '>=', 0.9, 30_000);
    const seconds = (Date.now() - t0) / 1000;
    const stepsThen = await metric(page, 'steps');
    expect(seconds).toBeLessThan(30);
    await pause(page);

    // the confusion matrix is the test set's: its counts sum to the test points, its diagonal is the accuracy
    const cells = await page.locator('#confusion td').evaluateAll((tds) => tds.map((td) => [Number(td.getAttribute('data-actual')), Number(td.getAttribute('data-predicted')), Number(td.textContent)]));
    expect(cells).toHaveLength(9);
    const total = cells.reduce((a, c) => a + c[2], 0);
    const right = cells.filter((c) => c[0] === c[1]).reduce((a, c) => a + c[2], 0);
    expect(total).toBe(await testPoints(page));
    expect(right / total).toBe(await metric(page, 'test-accuracy'));

    // hovering a neuron puts its map in the big view (the predictions stay the same)
    const h0 = await hash(page);
    const before = await picture(page);
    await page.hover('button.neuron[data-layer="1"][data-unit="3"]');
    await expect.poll(() => page.locator('#view-caption').getAttribute('data-showing')).toBe('1:3');
    expect(await page.locator('#diagram-tip').textContent()).toMatch(/hidden layer 1, unit 4 \(relu\) · bias -?\d/);
    expect(await picture(page)).not.toBe(before);
    // the keyboard: the arrow keys move between neurons, and focus shows the map the same way
    await page.focus('button.neuron[data-layer="2"][data-unit="0"]');
    await page.keyboard.press('ArrowDown');
    await expect.poll(() => page.locator('#view-caption').getAttribute('data-showing')).toBe('2:1');
    await page.keyboard.press('ArrowRight');
    await expect.poll(() => page.locator('#view-caption').getAttribute('data-showing')).toBe('3:1');
    // a click pins a neuron until clicked again
    await page.click('button.neuron[data-layer="3"][data-unit="2"]');
    await page.mouse.move(5, 5);
    await page.locator('#boundary').focus();
    await expect.poll(() => page.locator('#view-caption').getAttribute('data-showing')).toBe('3:2');
    await page.click('button.neuron[data-layer="3"][data-unit="2"]');
    await page.mouse.move(5, 5);
    await page.locator('#boundary').focus();
    await expect.poll(() => page.locator('#view-caption').getAttribute('data-showing')).toBe('output');
    expect(await picture(page)).toBe(before);
    // a link shows its weight: the middle of the curve from input x₁ to layer-1 unit 1
    const a = (await page.locator('button.neuron[data-layer="0"][data-unit="0"]').boundingBox())!;
    const b = (await page.locator('button.neuron[data-layer="1"][data-unit="0"]').boundingBox())!;
    await page.mouse.move((a.x + a.width + b.x) / 2, (a.y + b.y + b.height) / 2 + (a.height - b.height) / 4);
    await expect.poll(() => page.locator('#diagram-tip').textContent()).toMatch(/^weight x₁ → layer 1 unit 1: -?\d/);

    // discretize and hiding the test points change the picture, not the predictions
    await page.check('#discretize');
    await expect.poll(() => picture(page)).not.toBe(before);
    const discrete = await picture(page);
    await page.uncheck('#show-test');
    await expect.poll(() => picture(page)).not.toBe(discrete);
    expect(page.url()).toContain('discretize=1');
    expect(page.url()).toContain('test=0');
    await page.check('#show-test');
    await page.uncheck('#discretize');
    expect(await hash(page)).toBe(h0);

    // screenshots: the desktop one, and the same setup at a phone's width
    mkdirSync(ARTIFACTS, { recursive: true });
    for (const [width, opened] of [[1280, { page, errors }], [390, await playground(query, { width: 390, height: 844 })]] as const) {
      if (width === 390) {
        await play(opened.page);
        await until(opened.page, 'steps', '>', 20_000, 20_000);
        await pause(opened.page);
        // nothing wider than the phone: the diagram scrolls inside its panel
        expect(await opened.page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
      }
      const file = path.join(ARTIFACTS, `playground-${width}.png`);
      const start = Date.now();
      await opened.page.screenshot({ path: file, fullPage: true });
      expect(statSync(file).mtimeMs).toBeGreaterThanOrEqual(start - 1000);
      const png = readFileSync(file);
      expect(png.subarray(1, 4).toString('latin1')).toBe('PNG');
      expect(png.readUInt32BE(16)).toBe(width); // IHDR width, big-endian at byte 16
      expect(opened.errors).toEqual([]);
    }
    console.log(`3-class spiral: test accuracy ≥ 90 % after ${seconds.toFixed(2)} s (${stepsThen} steps)`);
  }, TEST_TIMEOUT);

  it('feature crosses: x₁² and x₂² with no hidden layer separate the circles above 90 %', async () => {
    const { page, errors } = await playground('?data=circles');
    // by the controls: features off and on, the hidden layer removed
    await page.uncheck('#feature-x1');
    await page.click('#feature-x2'); // the last one: refused
    await expect.poll(() => page.locator('#status').textContent()).toMatch(/at least one input feature/);
    expect(await page.locator('#feature-x2').isChecked()).toBe(true);
    await page.check('#feature-x1sq');
    await page.check('#feature-x2sq');
    await page.uncheck('#feature-x2');
    await page.click('#remove-layer');
    expect(await page.locator('#shape').textContent()).toBe('2-1');
    expect(new URL(page.url()).searchParams.get('feat')).toBe('x1sq,x2sq');
    expect(new URL(page.url()).searchParams.get('hidden')).toBe('none');
    await page.selectOption('#optimizer', 'adam');
    await page.selectOption('#learning-rate', '0.1');
    await play(page);
    await until(page, 'test-accuracy', '>', 0.9, 20_000);
    await until(page, 'train-accuracy', '>', 0.9, 20_000);
    await pause(page);
    expect(errors).toEqual([]);
  }, TEST_TIMEOUT);

  it('regression: the Gaussian bump reaches a test MSE below 0.01 (the noise alone gives 0.0025); no accuracy shown', async () => {
    const { page, errors } = await playground('?data=gaussian&hidden=8&opt=adam&lr=0.03&batch=16');
    expect(await page.locator('[data-metric="train-accuracy"], [data-metric="test-accuracy"]').count()).toBe(0);
    expect(await page.locator('#confusion-box').isVisible()).toBe(false);
    await play(page);
    // the loss is half the mean squared error: MSE < 0.01 ⇔ loss < 0.005
    await until(page, 'test-loss', '<', 0.005, 30_000);
    await pause(page);
    expect(2 * (await metric(page, 'test-loss'))).toBeLessThan(0.01);
    expect(errors).toEqual([]);
  }, TEST_TIMEOUT);
});

describe('the playground: your own data', () => {
  it('points added by clicks (and by keyboard) appear in the data and change training', async () => {
    const { page, errors } = await playground('?data=moons&hidden=6&opt=adam&lr=0.03');
    await page.click('#clear');
    expect(await page.locator('#dataset').inputValue()).toBe('custom');
    expect(await trainPoints(page)).toBe(0);
    await page.click('#play');
    await expect.poll(() => page.locator('#status').textContent()).toMatch(/no training points/);
    await page.check('#add-class-0');
    for (const fy of [0.2, 0.5, 0.8]) await clickOutput(page, 0.2, fy);
    for (const fy of [0.2, 0.5, 0.8]) await clickOutput(page, 0.8, fy, true); // Shift: the next class, 1
    expect(await trainPoints(page)).toBe(6);
    const added = new URL(page.url()).searchParams.get('add')!.split(';').map((p) => p.split(',').map(Number));
    expect(added.map((p) => p[2])).toEqual([0, 0, 0, 1, 1, 1]);
    expect(added[0][0]).toBeLessThan(added[3][0]);
    await play(page);
    await until(page, 'train-accuracy', '===', 1, 20_000);
    await pause(page);
    const steps = await metric(page, 'steps');
    // by keyboard: a class-1 point among the class-0 ones (the cursor starts at the centre; a key moves it 1/40 of the view)
    await page.locator('#boundary').focus();
    for (let i = 0; i < 12; i++) await page.keyboard.press('ArrowLeft');
    for (let i = 0; i < 6; i++) await page.keyboard.press('ArrowUp');
    await page.check('#add-class-1');
    await page.locator('#boundary').focus();
    await page.keyboard.press('Enter');
    expect(await trainPoints(page)).toBe(7);
    // the new point is in the training data: the trained network gets it wrong (6 of 7), then learns it
    await until(page, 'train-accuracy', '===', 6 / 7, 10_000);
    expect(await metric(page, 'steps'), 'the network is kept').toBe(steps);
    await play(page);
    await until(page, 'train-accuracy', '===', 1, 20_000);
    expect(await metric(page, 'steps')).toBeGreaterThan(steps);
    const last = new URL(page.url()).searchParams.get('add')!.split(';').pop()!.split(',').map(Number);
    expect(last[2]).toBe(1);
    expect(last[0]).toBeLessThan(0);
    await pause(page);

    // regression points take the value field: the custom set as 2-D regression
    await page.selectOption('#task', 'reg2d');
    expect(await page.locator('#value-field').isVisible()).toBe(true);
    await page.fill('#add-value', '0.5');
    await clickOutput(page, 0.5, 0.5);
    await clickOutput(page, 0.6, 0.5, true);
    expect(new URL(page.url()).searchParams.get('add')!.split(';').map((p) => Number(p.split(',')[2]))).toEqual([0.5, -0.5]);
    expect(await page.locator('[data-metric="train-accuracy"]').count()).toBe(0);
    expect(errors).toEqual([]);
  }, TEST_TIMEOUT);

  it('a CSV dropped onto the page loads and trains; a broken one is refused with its lines named, the data kept', async () => {
    const { page, errors } = await playground('?hidden=4&opt=adam&lr=0.03');
    await dropFile(page, 'sizes.csv', blobsCsv(200));
    await expect.poll(() => page.locator('#dataset').inputValue()).toBe('csv');
    expect(await trainPoints(page) + await testPoints(page)).toBe(200);
    expect(await page.locator('#data-summary').textContent()).toMatch(/sizes\.csv: 200 rows, 2 classes, standardized/);
    // classes sorted by name: blue, red
    expect(await page.locator('#legend').textContent()).toMatch(/blue.*red/);
    await play(page);
    await until(page, 'test-accuracy', '>', 0.9, 20_000);
    await pause(page);

    const broken = 'x1,x2,label\n0.1,0.2,a\n0.3,0.4\n0.5,seven,b\n0.7,0.8,\n"0.9,1.0,a\n';
    await dropFile(page, 'broken.csv', broken);
    await expect.poll(() => page.locator('#status').textContent()).toMatch(/broken\.csv: 4 bad rows; nothing was loaded/);
    const status = (await page.locator('#status').textContent())!;
    expect(status).toContain('line 3: 2 fields; the header (line 1) has 3');
    expect(status).toContain('line 4: column "x2" is not a number: "seven"');
    expect(status).toContain('line 5: the label (column "label") is empty');
    expect(status).toContain('line 6: a quoted field (field 1) opens on line 6 and is never closed');
    expect(await page.locator('#status').getAttribute('class')).toBe('error');
    expect(await page.locator('#dataset').inputValue()).toBe('csv');
    expect(await page.locator('#data-summary').textContent()).toMatch(/sizes\.csv: 200 rows/);

    // picked with the file button: a numeric label with fractions is a regression set
    const rows = ['a,b,y', ...Array.from({ length: 60 }, (_, i) => `${i % 10},${Math.floor(i / 10)},${(0.1 * i).toFixed(2)}`)];
    await page.setInputFiles('#csv-file', { name: 'ramp.csv', mimeType: 'text/csv', buffer: Buffer.from(rows.join('\n')) });
    await expect.poll(() => page.locator('#data-summary').textContent()).toMatch(/ramp\.csv: 60 rows, regression/);
    expect(await page.locator('[data-metric="test-accuracy"]').count()).toBe(0);
    expect(await page.locator('.output-layer .col-note').textContent()).toMatch(/linear/);
    expect(errors).toEqual([]);
  }, TEST_TIMEOUT);
});

describe('the playground: sharing and models', () => {
  it('keeps every setting in the URL: set them all by the controls, open that URL, the same settings and the same start come back', async () => {
    const { page, errors } = await playground();
    await page.selectOption('#dataset', 'blobs4');
    await page.locator('#noise').fill('0.65');
    await page.selectOption('#points', '200');
    await page.locator('#train-percent').fill('60');
    await page.fill('#seed', '7');
    await page.locator('#seed').blur();
    await page.click('#regenerate'); // the next seed: 8
    expect(await page.locator('#seed').inputValue()).toBe('8');
    await page.check('#feature-x1x2');
    await page.click('#add-layer');
    await page.click('button[aria-label="one unit more in hidden layer 1"]');
    await page.click('button[aria-label="one unit fewer in hidden layer 2"]');
    await page.click('button[aria-label="one unit fewer in hidden layer 1"]');
    await page.selectOption('select[aria-label="activation of hidden layer 2"]', 'leakyRelu');
    await page.selectOption('#init', 'he');
    await page.selectOption('#optimizer', 'momentum');
    await page.selectOption('#learning-rate', '0.03');
    await page.selectOption('#decay', 'exp-0.999');
    await page.selectOption('#batch', '32');
    await page.selectOption('#l2', '0.001');
    await page.selectOption('#dropout', '0.1');
    await page.click('label[for=backend-js]');
    await page.check('#discretize');
    await page.uncheck('#show-test');
    await page.check('#add-class-2');
    await clickOutput(page, 0.3, 0.7);
    await page.waitForFunction(() => document.getElementById('backend-in-use')!.dataset.backend === 'js', null, { timeout: 10_000 });
    const expected = {
      dataset: 'blobs4', noise: '0.65', points: '200', 'train-percent': '60', seed: '8', init: 'he', optimizer: 'momentum',
      'learning-rate': '0.03', decay: 'exp-0.999', batch: '32', l2: '0.001', dropout: '0.1',
    };
    for (const [id, v] of Object.entries(expected)) expect(await page.locator(`#${id}`).inputValue(), id).toBe(v);
    expect(await page.locator('#shape').textContent()).toBe('3-4-3-4'); // x₁, x₂, x₁x₂ → 4, 3 → 4 classes
    const shared = page.url();
    const q = new URL(shared).searchParams;
    expect(Object.fromEntries(q)).toMatchObject({
      data: 'blobs4', noise: '0.65', points: '200', train: '60', seed: '8', feat: 'x1,x2,x1x2', hidden: '4,3', act: 'tanh,leakyRelu',
      init: 'he', opt: 'momentum', lr: '0.03', decay: 'exp-0.999', batch: '32', l2: '0.001', dropout: '0.1', backend: 'js',
      threads: 'auto', discretize: '1', test: '0',
    });
    expect(q.get('add')!.split(',')[2]).toBe('2');
    await page.click('#reset');
    await until(page, 'steps', '===', 0);
    const start = { hash: await hash(page), loss: await metric(page, 'train-loss') };

    const again = await playground(shared.slice(shared.indexOf('?')));
    for (const [id, v] of Object.entries(expected)) expect(await again.page.locator(`#${id}`).inputValue(), id).toBe(v);
    expect(await again.page.locator('#backend-js').isChecked()).toBe(true);
    expect(await again.page.locator('#feature-x1x2').isChecked()).toBe(true);
    expect(await again.page.locator('select[aria-label="activation of hidden layer 2"]').inputValue()).toBe('leakyRelu');
    expect(await again.page.locator('#discretize').isChecked()).toBe(true);
    expect(await again.page.locator('#show-test').isChecked()).toBe(false);
    expect(await trainPoints(again.page)).toBe(await trainPoints(page));
    expect(again.page.url(), 'the reopened page writes back the same URL').toBe(shared);
    // the same data, the same initialisation: the same start, to the bit
    await again.page.waitForFunction(() => document.getElementById('backend-in-use')!.dataset.backend === 'js', null, { timeout: 10_000 });
    expect(await hash(again.page)).toBe(start.hash);
    expect(await metric(again.page, 'train-loss')).toBe(start.loss);
    // and it trains: the decay is applied per epoch, the batch size in use
    await play(again.page);
    await until(again.page, 'epochs', '>', 50);
    await pause(again.page);
    const epochs = await metric(again.page, 'epochs');
    const inUse = Number(await again.page.locator('#learning-rate').getAttribute('data-in-use'));
    // lr·0.999^epochs; ** may round differently by an ulp in the page's engine and in Node's
    expect(Math.abs(inUse / (0.03 * 0.999 ** epochs) - 1)).toBeLessThan(1e-12);
    expect(await again.page.locator('#batch').getAttribute('data-in-use')).toBe('32');

    // the custom set keeps its kind, its view and its points
    await again.page.click('#clear');
    await again.page.selectOption('#task', 'class3');
    await again.page.check('#add-class-2');
    await clickOutput(again.page, 0.5, 0.5);
    const custom = again.page.url();
    expect(new URL(custom).searchParams.get('task')).toBe('class3');
    expect(new URL(custom).searchParams.get('view')).toMatch(/^-?[\d.]+,-?[\d.]+,-?[\d.]+,-?[\d.]+$/);
    const third = await playground(custom.slice(custom.indexOf('?')));
    expect(third.page.url()).toBe(custom);
    expect(await third.page.locator('#task').inputValue()).toBe('class3');
    expect(await trainPoints(third.page)).toBe(1);
    expect([...errors, ...again.errors, ...third.errors]).toEqual([]);

    // what the URL cannot say is ignored with a warning naming it; older links (layers, units) still open
    const warnings: string[] = [];
    const odd = await openPage(session, undefined, [EXPORT_ENTRY]);
    pages.push(odd);
    odd.page.on('console', (m) => { if (m.type() === 'warning') warnings.push(m.text()); });
    await odd.page.goto(`${session.url}demo/?data=nowhere&lr=-1&batch=0&feat=x9&layers=2&units=8&act=relu`);
    await odd.page.locator('#play:not([disabled])').waitFor({ timeout: 30_000 });
    expect(warnings.join('\n')).toMatch(/ignoring data=nowhere/);
    expect(warnings.join('\n')).toMatch(/ignoring lr=-1/);
    expect(warnings.join('\n')).toMatch(/ignoring batch=0/);
    expect(warnings.join('\n')).toMatch(/ignoring feat=x9/);
    const fixed = new URL(odd.page.url()).searchParams;
    expect([fixed.get('data'), fixed.get('lr'), fixed.get('batch'), fixed.get('feat'), fixed.get('hidden'), fixed.get('act')])
      .toEqual(['flower', '1.2', 'full', 'x1,x2', '8,8', 'relu,relu']);
    expect(odd.errors).toEqual([]);
  }, TEST_TIMEOUT);

  it("the README's example URLs open as written (no setting ignored) and train", async () => {
    const readme = readFileSync(path.join(repoRoot, 'README.md'), 'utf8');
    const examples = [...readme.matchAll(/`http:\/\/localhost:8080\/demo\/(\?[^`]+)`/g)].map((m) => m[1]);
    expect(examples.length).toBeGreaterThanOrEqual(5);
    for (const query of examples) {
      const warnings: string[] = [];
      const opened = await openPage(session, undefined, [EXPORT_ENTRY]);
      pages.push(opened);
      opened.page.on('console', (m) => { if (m.type() === 'warning') warnings.push(m.text()); });
      await opened.page.goto(`${session.url}demo/${query}`);
      await opened.page.locator('#play:not([disabled])').waitFor({ timeout: 30_000 });
      expect(warnings, query).toEqual([]);
      const asked = new URLSearchParams(query);
      const written = new URL(opened.page.url()).searchParams;
      for (const [k, v] of asked) expect(written.get(k), `${query}: ${k}`).toBe(v);
      await play(opened.page);
      await until(opened.page, 'steps', '>', 200);
      await pause(opened.page);
      expect(Number.isFinite(await metric(opened.page, 'train-loss')), query).toBe(true);
      expect(opened.errors, query).toEqual([]);
      await opened.page.close();
    }
  }, TEST_TIMEOUT);

  it('a downloaded model loads back with identical predictions; a model of another shape rebuilds the network; a wrong one is refused', async () => {
    const { page, errors } = await playground('?data=xor&hidden=5,3&opt=adam&lr=0.03&batch=10');
    for (let i = 0; i < 5; i++) await page.click('#step');
    await until(page, 'epochs', '===', 5);
    const trained = { hash: await hash(page), loss: await metric(page, 'test-loss') };
    const [download] = await Promise.all([page.waitForEvent('download'), page.click('#download-json')]);
    expect(download.suggestedFilename()).toBe('wasm-mlp-xor-model.json');
    const file = readFileSync((await download.path())!, 'utf8');
    const model = JSON.parse(file);
    expect(model).toMatchObject({ format: 'wasm-mlp', layers: [2, 5, 3, 1], activations: ['tanh', 'tanh', 'sigmoid'] });
    // a new start changes the predictions; loading the file brings them back, bit for bit
    await page.click('#reset');
    await until(page, 'steps', '===', 0);
    expect(await hash(page)).not.toBe(trained.hash);
    await page.setInputFiles('#model-file', { name: 'model.json', mimeType: 'application/json', buffer: Buffer.from(file) });
    await expect.poll(() => hash(page)).toBe(trained.hash);
    expect(await metric(page, 'test-loss')).toBe(trained.loss);
    const [again] = await Promise.all([page.waitForEvent('download'), page.click('#download-json')]);
    expect(readFileSync((await again.path())!, 'utf8')).toBe(file);
    // and the library reads the file: the same network in Node
    const net = await Network.fromJSON(file);
    expect(net.layers).toEqual([2, 5, 3, 1]);
    net.dispose();

    // a model of another shape, dropped on the page: the diagram and the URL follow it
    const other = await Network.create({ layers: [2, 3, 7, 2, 1], activations: ['relu', 'sigmoid', 'tanh', 'sigmoid'], seed: 4 });
    await dropFile(page, 'other.json', JSON.stringify(other.toJSON()), 'application/json');
    other.dispose();
    await expect.poll(() => page.locator('#shape').textContent()).toBe('2-3-7-2-1');
    expect(new URL(page.url()).searchParams.get('hidden')).toBe('3,7,2');
    expect(new URL(page.url()).searchParams.get('act')).toBe('relu,sigmoid,tanh');
    expect(await page.locator('#status').textContent()).toMatch(/loaded the model other\.json/);
    await play(page);
    await until(page, 'steps', '>', 100);
    await pause(page);

    const wrong = await Network.create({ layers: [3, 4, 1] });
    await page.setInputFiles('#model-file', { name: 'wrong.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(wrong)) });
    wrong.dispose();
    await expect.poll(() => page.locator('#status').textContent()).toMatch(/wrong\.json: the model takes 3 inputs; the page has 2 input features on \(x₁, x₂\)/);
    await page.setInputFiles('#model-file', { name: 'garbage.json', mimeType: 'application/json', buffer: Buffer.from('{"format":"wasm-mlp"') });
    await expect.poll(() => page.locator('#status').textContent()).toMatch(/^garbage\.json: Network\.fromJSON/);
    expect(await page.locator('#shape').textContent()).toBe('2-3-7-2-1');
    expect(errors).toEqual([]);
  }, TEST_TIMEOUT);

  it('the learning rate changes while training; divergence stops training and names the step and the learning rate', async () => {
    const { page, errors } = await playground('?data=plane&hidden=8&opt=sgd&lr=0.01');
    await play(page);
    await until(page, 'steps', '>', 2000);
    await page.selectOption('#learning-rate', '10');
    await expect.poll(() => page.locator('#learning-rate').getAttribute('data-in-use')).toBe('10');
    await expect.poll(() => page.locator('#status').textContent(), { timeout: 20_000 }).toMatch(/^Training diverged at step [\d,]+: the loss became \S+ with learning rate 10\./);
    expect(await page.locator('#play').getAttribute('data-state')).toBe('paused');
    const step = Number(await page.locator('#status').getAttribute('data-diverged-step'));
    console.log(`divergence: ${await page.locator('#status').textContent()}`);
    expect(step).toBeGreaterThan(2000);
    // the figures stop at the last good step; nothing NaN is shown
    await until(page, 'steps', '===', step - 1);
    const shown = await page.locator('[data-metric]').evaluateAll((els) => els.map((e) => e.textContent));
    expect(shown.join(' ')).not.toMatch(/NaN|Infinity/);
    // Play does not resume a diverged network; Reset (lower rate) starts again
    await page.click('#play');
    expect(await page.locator('#play').getAttribute('data-state')).toBe('paused');
    await page.selectOption('#learning-rate', '0.1');
    await page.click('#reset');
    await until(page, 'steps', '===', 0);
    await play(page);
    await until(page, 'steps', '>', 500);
    await pause(page);
    expect(Number.isFinite(await metric(page, 'test-loss'))).toBe(true);
    expect(errors).toEqual([]);
  }, TEST_TIMEOUT);
});
