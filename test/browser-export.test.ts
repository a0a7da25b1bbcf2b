/**
 * wasm-mlp/export in a real browser: Debian's Chromium loads dist/browser/wasm-mlp.js and
 * dist/browser/export.js (which imports the first), builds each network from parameters made here,
 * exports it with toONNX and runs it in onnxruntime-web (its wasm build, single-threaded; its .wasm
 * files served from node_modules on localhost), against predictProba in the same page. The cover:
 * every hidden × output activation at depths 2–4 and every output at depth 1, the width cycling
 * through 1, 3, 17, 33 (each width with every output), on both backends — 78 networks.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HIDDEN, OUTPUTS, WIDTHS, archOf, randomNetwork, randomRows, columnsToRows, rowsToColumns, termScale, type Arch } from './support/export-nets.js';
import { mismatch } from './support/tolerance.js';
import { openPage, startBrowserSession, type BrowserSession } from './support/browser.js';

let session: BrowserSession;

beforeAll(async () => {
  session = await startBrowserSession(['dist', 'test', 'node_modules']);
}, 90_000);

afterAll(async () => {
  await session?.close();
});

function cover(): Arch[] {
  const out: Arch[] = [];
  let k = 0;
  for (const output of OUTPUTS) {
    for (const depth of [1, 2, 3, 4]) {
      for (const hidden of depth === 1 ? [HIDDEN[0]] : HIDDEN) out.push(archOf(depth, WIDTHS[k++ % WIDTHS.length], hidden, output));
    }
  }
  return out;
}

interface PageResult { backend: string; onnx: number[]; dims: number[]; proba: number[]; tfjsRoundTrip: boolean; sameClass: boolean }

describe('onnxruntime-web in Chromium', () => {
  it('runs the export of every network of the cover as predictProba gives it in the page, on both backends (batch 37)', async () => {
    const archs = cover();
    expect(archs).toHaveLength(39);
    for (const output of OUTPUTS) for (const width of WIDTHS) expect(archs.some((a) => a.activations.at(-1) === output && a.layers.includes(width)), `${output} with width ${width}`).toBe(true);
    const { page, errors, offOrigin } = await openPage(session);
    try {
      await page.goto(`${session.url}test/fixtures/export-page.html`);
      await page.waitForFunction(() => (window as unknown as { ready?: boolean }).ready === true, null, { timeout: 60_000 });
      const failures: string[] = [];
      let worst = 0, n = 0;
      for (const backend of ['wasm', 'js'] as const) {
        for (const arch of archs) {
          const net = await randomNetwork(arch, backend, 40 + n);
          const m = 37, nx = arch.layers[0];
          const x = randomRows(m, nx, 700 + n);
          const params = net.getParams().map(({ W, b }) => ({ W: Array.from(W.data), b: Array.from(b) }));
          const M = columnsToRows({ rows: arch.layers.at(-1)!, cols: m, data: termScale(net, rowsToColumns(x, m, nx)) });
          const nodeProba = columnsToRows(net.predictProba(rowsToColumns(x, m, nx)));
          net.dispose();
          const r = await page.evaluate(
            (spec) => (window as unknown as { runCase(s: unknown): Promise<PageResult> }).runCase(spec),
            { ...arch, backend, params, x: Array.from(x), m },
          );
          const label = `${backend} [${arch.layers.join(', ')}] ${arch.activations.join('/')}`;
          expect(r.backend, label).toBe(backend);
          expect(r.dims).toEqual([m, arch.layers.at(-1)]);
          expect(r.tfjsRoundTrip, `${label}: fromTFJS(toTFJS(net)) in the page`).toBe(true);
          expect(r.sameClass, 'export.js and wasm-mlp.js share one Network class').toBe(true);
          const out = arch.activations.at(-1)!;
          for (let i = 0; i < r.proba.length; i++) {
            const f = mismatch(r.onnx[i], r.proba[i], out, M[i]);
            worst = Math.max(worst, f);
            if (!(f <= 1) && failures.length < 5) failures.push(`${label}: output ${i}: onnxruntime-web ${r.onnx[i]}, predictProba ${r.proba[i]}`);
            // the page's predictProba is Node's (same kernels; the wasm build is the same module)
            if (!(mismatch(r.proba[i], nodeProba[i], out, M[i]) <= 1) && failures.length < 5) failures.push(`${label}: output ${i}: page ${r.proba[i]}, Node ${nodeProba[i]}`);
          }
          n++;
        }
      }
      expect(n).toBe(78);
      expect(failures).toEqual([]);
      expect(errors).toEqual([]);
      expect(offOrigin, 'no request leaves localhost').toEqual([]);
      console.log(`onnxruntime-web in Chromium vs predictProba, worst fraction of the tolerance: ${worst.toFixed(3)}`);
    } finally {
      await page.close();
    }
  }, 120_000);
});
