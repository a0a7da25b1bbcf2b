/**
 * Threads and the kernel modules in Chromium: a Worker on a cross-origin-isolated page (the
 * headers of npm run demo) trains on plain and relaxed SIMD with 1 and 2 threads, bit-identical
 * across thread counts (and, for plain SIMD, to Node); a network on a page's main thread, or on a
 * page without the headers, runs on one thread and says why; a bundle made by esbuild from the
 * package runs threads too, with the module files copied beside it.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { copyFileSync, mkdirSync, rmSync, symlinkSync } from 'node:fs';
import path from 'node:path';
import { build } from 'esbuild';
import { startServer, type RunningServer } from '../scripts/serve.mjs';
import { SEPARATE_MODULES } from '../scripts/copy-wasm.mjs';
import { Network } from '../src/index.js';
import { openPage, repoRoot, startBrowserSession, type BrowserSession } from './support/browser.js';
// @ts-expect-error a plain JS fixture shared with the pages' Workers (no declarations)
import { trainEveryModule } from './fixtures/threads-train.js';

const TEST_TIMEOUT = 120_000;

interface ModuleRun { simd: string; threads: number; notes: string[]; first: number; last: number; params: number[]; ms: number }
interface WorkerResult { isolated: boolean; pageIsolated: boolean; runs: Record<string, ModuleRun>; error?: string }
interface MainResult { isolated: boolean; nets: { asked: string | number; threads: number; simd: string; notes: string[]; steps: number; finite: boolean }[]; error?: string }

let session: BrowserSession;
/** the same folders without the isolation headers, for the same browser */
let plainServer: RunningServer;
const CONSUMER = path.join(repoRoot, 'test-artifacts', 'threads-consumer');

beforeAll(async () => {
  session = await startBrowserSession(['dist', 'test', 'test-artifacts'], repoRoot, { isolated: true });
  plainServer = await startServer({ root: repoRoot, folders: ['dist', 'test'] });
}, 90_000);

afterAll(async () => {
  await session?.close();
  await plainServer?.close();
});

async function pageResult<T>(url: string, base = session) {
  const opened = await openPage(base);
  const requested: string[] = [];
  opened.page.on('request', (r) => requested.push(new URL(r.url()).pathname));
  try {
    await opened.page.goto(url);
    await opened.page.waitForFunction(() => (window as unknown as { result?: unknown }).result !== undefined, null, { timeout: 100_000 });
    const result = await opened.page.evaluate(() => (window as unknown as { result: unknown }).result) as T;
    return { result, errors: opened.errors, requested };
  } finally {
    await opened.page.close();
  }
}

function expectEveryModule(result: WorkerResult, errors: string[]) {
  expect(result.error).toBeUndefined();
  expect(errors).toEqual([]);
  expect([result.pageIsolated, result.isolated], 'the page and its Worker are cross-origin isolated').toEqual([true, true]);
  for (const simd of ['plain', 'relaxed']) {
    for (const threads of [1, 2]) {
      const run = result.runs[`${simd}/${threads}`];
      expect([run.simd, run.threads, run.notes], `${simd}/${threads}`).toEqual([simd, threads, []]);
      expect(run.last).toBeLessThan(run.first);
    }
    // bit-identical for every thread count, within each module
    expect(result.runs[`${simd}/2`].params, `${simd}: 2 threads vs 1`).toEqual(result.runs[`${simd}/1`].params);
  }
  // relaxed and plain SIMD: the first cost (before any update) agrees to float32 rounding of the
  // products (fused or not: both within γ_K of the exact sums); ln 10 ≈ 2.3, so 1e-5 is ~40 ulp
  expect(Math.abs(result.runs['relaxed/1'].first - result.runs['plain/1'].first)).toBeLessThan(1e-5);
}

describe('threads in a Worker on a cross-origin-isolated page', () => {
  it('plain and relaxed SIMD on 1 and 2 threads: what was asked runs, the same bits on 1 and 2 threads, and plain SIMD gives Node\'s bits', async () => {
    const { result, errors, requested } = await pageResult<WorkerResult>(`${session.url}test/fixtures/threads-page.html`);
    expectEveryModule(result, errors);
    // the separately shipped files were fetched, because these networks used them
    for (const f of ['extra.js', 'mlp-shared.wasm', 'mlp-relaxed-shared.wasm']) {
      expect(requested, f).toContain(`/dist/browser/${f}`);
    }
    // one thread runs a module inlined in the bundle, relaxed SIMD too: nothing else is fetched
    expect([...new Set(requested.filter((p) => p.startsWith('/dist/browser/')))].sort()).toEqual(['extra.js', 'mlp-relaxed-shared.wasm', 'mlp-shared.wasm', 'wasm-mlp.js'].map((f) => `/dist/browser/${f}`));
    // the same plain-SIMD training in this Node process: bit for bit what Chromium computed
    const node = await trainEveryModule(Network) as { runs: Record<string, ModuleRun> };
    expect(node.runs['plain/1'].params, 'plain SIMD, Chromium vs Node').toEqual(result.runs['plain/1'].params);
    expect(node.runs['plain/2'].params).toEqual(result.runs['plain/1'].params);
  }, TEST_TIMEOUT);
});

describe('where threads cannot run, one thread and the reason (never an error)', () => {
  it("a page's main thread (isolated, but Atomics.wait is not allowed there)", async () => {
    const { result, errors } = await pageResult<MainResult>(`${session.url}test/fixtures/threads-main.html`);
    expect(result.error).toBeUndefined();
    expect(errors).toEqual([]);
    expect(result.isolated).toBe(true);
    for (const net of result.nets) {
      expect([net.threads, net.steps, net.finite], String(net.asked)).toEqual([1, 10, true]);
      // 'auto' SIMD: relaxed, which Chromium accepts, from the bundle itself
      expect(net.simd).toBe('relaxed');
      expect(net.notes).toHaveLength(1);
      expect(net.notes[0]).toMatch(/^threads 1 instead of \d+: Atomics\.wait is not allowed on a page's main thread; create the network in a Worker to use threads$/);
    }
  }, TEST_TIMEOUT);

  it('a Worker on a page served without the isolation headers', async () => {
    const plain = { ...session, url: plainServer.url };
    const { result, errors } = await pageResult<WorkerResult>(`${plainServer.url}test/fixtures/threads-page.html`, plain);
    expect(result.error).toBeUndefined();
    expect(errors).toEqual([]);
    expect(result.pageIsolated).toBe(false);
    const run = result.runs['plain/2'];
    expect(run.threads).toBe(1);
    expect(run.notes).toEqual(['threads 1 instead of 2: the page is not cross-origin isolated (serve it with Cross-Origin-Opener-Policy: same-origin and Cross-Origin-Embedder-Policy: require-corp)']);
    expect(run.params).toEqual(result.runs['plain/1'].params);
  }, TEST_TIMEOUT);
});

describe('a bundler user', () => {
  it('esbuild bundles the package into a Worker; with the module files copied beside the bundle, every module runs', async () => {
    rmSync(CONSUMER, { recursive: true, force: true });
    mkdirSync(path.join(CONSUMER, 'node_modules'), { recursive: true });
    // the package as an installed dependency
    symlinkSync(repoRoot, path.join(CONSUMER, 'node_modules', 'wasm-mlp'), 'dir');
    const entry = path.join(CONSUMER, 'entry.js');
    const { writeFileSync } = await import('node:fs');
    writeFileSync(entry, [
      "import { Network } from 'wasm-mlp';",
      `import { trainEveryModule } from ${JSON.stringify(path.join(repoRoot, 'test/fixtures/threads-train.js'))};`,
      'postMessage(await trainEveryModule(Network));',
    ].join('\n'));
    await build({ entryPoints: [entry], bundle: true, format: 'esm', platform: 'browser', target: 'es2022', outfile: path.join(CONSUMER, 'worker.js'), logLevel: 'warning' });
    // what the README tells a bundler user to do: the .wasm files beside the bundle
    for (const f of SEPARATE_MODULES) copyFileSync(path.join(repoRoot, 'dist/browser', f), path.join(CONSUMER, f));
    const { result, errors, requested } = await pageResult<WorkerResult>(`${session.url}test/fixtures/threads-page.html?worker=/test-artifacts/threads-consumer/worker.js`);
    expectEveryModule(result, errors);
    expect(requested).toContain('/test-artifacts/threads-consumer/mlp-relaxed-shared.wasm');
    expect(requested.filter((p) => p.startsWith('/dist/')), 'nothing from the package\'s own folder').toEqual([]);
  }, TEST_TIMEOUT);
});
