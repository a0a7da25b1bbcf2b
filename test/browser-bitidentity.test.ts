/**
 * The same wasm module computes the same bits in Node and in Chromium: 1000 training steps of
 * three networks (test/fixtures/bitidentity-run.js) from fixed seeds, in this Node process on the
 * built package and in a Chromium page on the browser bundle, give the same parameters, costs
 * and predictions, bit for bit. The js backend gives the same float32 parameters and predictions,
 * but its float64 costs come from Math.log and Math.exp, which two V8 versions round differently
 * in the last bit (Node 20's V8 11.3 and Chromium 156: exp differs on 11% of 60 000 inputs, log
 * on 1.5%), so there the costs agree to a few ulp, not bit for bit. The runs ask for the
 * plain-SIMD module (Chromium's default is relaxed SIMD, whose multiply-adds are fused or not
 * depending on the engine and CPU: its bits are promised on one engine and machine only).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { openPage, repoRoot, startBrowserSession, type BrowserSession } from './support/browser.js';

let session: BrowserSession;
beforeAll(async () => {
  session = await startBrowserSession(['dist', 'test']);
}, 90_000);
afterAll(async () => {
  await session?.close();
});

type Runs = Record<string, { backend: string; steps: number; costs: string; params: string[]; proba: string }>;

describe.each(['wasm', 'js'])('backend %s: Node and Chromium give the same bits', (backend) => {
  it('after 1000 steps of each of three networks (full batch, mini-batches with adam and dropout, momentum and the packed product)', async () => {
    const lib = await import(pathToFileURL(path.join(repoRoot, 'dist/index.js')).href);
    const { runAll } = await import(pathToFileURL(path.join(repoRoot, 'test/fixtures/bitidentity-run.js')).href) as { runAll: (l: unknown, b: string) => Promise<Runs> };
    const node = await runAll(lib, backend);
    const { page, errors } = await openPage(session);
    try {
      await page.goto(`${session.url}test/fixtures/page.html?iterations=1`);
      // as source text: vitest rewrites import() inside functions it compiles
      const src = `Promise.all([import(${JSON.stringify(`${session.url}dist/browser/wasm-mlp.js`)}), import(${JSON.stringify(`${session.url}test/fixtures/bitidentity-run.js`)})])
        .then(([lib, r]) => r.runAll(lib, ${JSON.stringify(backend)}))`;
      const chromium = await page.evaluate<Runs>(src);
      expect(errors).toEqual([]);
      for (const name of Object.keys(node)) {
        expect(chromium[name].backend, `${name}: no fallback`).toBe(backend);
        expect(chromium[name].steps, name).toBe(1000);
        expect(chromium[name].params, `${name}: parameters`).toEqual(node[name].params);
        if (backend === 'wasm') expect(chromium[name].costs, `${name}: the last 10 costs`).toBe(node[name].costs);
        else {
          // each cost is a float64 sum of m logs, each possibly an ulp apart: 64 ulp of the cost
          const f = (h: string) => new Float64Array(Uint8Array.from(h.match(/../g)!, (x) => parseInt(x, 16)).buffer);
          const [a, b] = [f(chromium[name].costs), f(node[name].costs)];
          a.forEach((x, i) => expect(Math.abs(x - b[i]), `${name}: cost ${x} vs ${b[i]}`).toBeLessThanOrEqual(64 * 2 ** -52 * Math.abs(b[i])));
        }
        expect(chromium[name].proba, `${name}: predictions`).toBe(node[name].proba);
      }
    } finally {
      await page.close();
    }
  }, 120_000);
});
