/**
 * Threads that fail in Chromium: in a Worker on a cross-origin-isolated page, a product during
 * which a worker throws, throws out of its program (an uncaught error: a browser has no exit
 * event, the supervisor sees the error) or is terminated from outside, and one after a worker was
 * terminated between calls, each throws an Error naming the worker and what happened, promptly;
 * the backend then runs on one thread with the same bits. The Worker is a bundle of src/ (for the
 * test hook), with the module files beside it.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { copyFileSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { build } from 'esbuild';
import { SEPARATE_MODULES } from '../scripts/copy-wasm.mjs';
import { openPage, repoRoot, startBrowserSession, type BrowserSession } from './support/browser.js';

interface Outcome { message: string; ms: number; threads: number; notes: string[]; same: boolean }
interface Result { isolated: boolean; pageIsolated: boolean; results: Record<string, Outcome>; error?: string }

const DIR = path.join(repoRoot, 'test-artifacts', 'pool-death-browser');
let session: BrowserSession;

beforeAll(async () => {
  mkdirSync(DIR, { recursive: true });
  await build({ entryPoints: [path.join(repoRoot, 'test/fixtures/pool-death-worker.ts')], bundle: true, format: 'esm', platform: 'browser', target: 'es2022', loader: { '.wasm': 'binary' }, outfile: path.join(DIR, 'worker.js'), logLevel: 'warning' });
  for (const f of SEPARATE_MODULES) copyFileSync(path.join(repoRoot, 'build', f), path.join(DIR, f));
  session = await startBrowserSession(['test', 'test-artifacts'], repoRoot, { isolated: true });
}, 90_000);

afterAll(async () => {
  await session?.close();
});

describe('a worker that fails, in Chromium', () => {
  it('throws, dies by an uncaught error, is terminated during a call or between calls: a clear Error at once, then one thread with the same bits', async () => {
    const opened = await openPage(session);
    try {
      await opened.page.goto(`${session.url}test/fixtures/threads-page.html?worker=/test-artifacts/pool-death-browser/worker.js`);
      // a death that went unnoticed would leave the Worker blocked: no result within the timeout
      await opened.page.waitForFunction(() => (window as unknown as { result?: unknown }).result !== undefined, null, { timeout: 60_000 });
      const result = await opened.page.evaluate(() => (window as unknown as { result: Result }).result);
      expect(result.error).toBeUndefined();
      expect(opened.errors).toEqual([]);
      expect([result.pageIsolated, result.isolated]).toEqual([true, true]);
      const r = result.results;
      expect(r.throw.message).toBe('wasm-mlp: worker thread 1 (of 2) threw Error: a fault injected by a test');
      expect(r.crash.message).toMatch(/^wasm-mlp: worker thread 1 \(of 2\) died during a kernel call: (Uncaught )?Error: a crash injected by a test$/);
      expect(r.terminate.message).toBe('wasm-mlp: worker thread 1 (of 2) died during a kernel call: it was terminated');
      expect(r['between calls'].message).toBe('wasm-mlp: worker thread 1 (of 2) died between calls: it was terminated');
      for (const [kind, o] of Object.entries(r)) {
        expect([o.threads, o.same], kind).toEqual([1, true]);
        expect(o.notes, kind).toEqual([`threads 1 instead of 2: ${o.message.slice('wasm-mlp: '.length)}`]);
        // the supervisor wakes the caller as soon as it hears (its waits are 100 ms slices in any case)
        expect(o.ms, kind).toBeLessThan(5_000);
      }
    } finally {
      await opened.page.close();
    }
  }, 120_000);
});
