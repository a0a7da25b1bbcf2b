// npm run bench:browser end to end at a tiny size (one workload, one short repeat): the page is
// cross-origin isolated, each thread count above 1 runs as shipped and with hardwareConcurrency
// overridden, and the JSON has the documented shape. No timing is asserted (the machine is shared).
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

describe('npm run bench:browser: JSON of a tiny run', () => {
  it('--only wasm,tfjs-wasm --threads 1,2 --workloads planar --gemm none', { timeout: 180_000 }, () => {
    execFileSync('npm', ['run', 'bench:bundle', '--silent'], { stdio: 'pipe' });
    execFileSync('npm', ['run', 'bench:browser:bundle', '--silent'], { stdio: 'pipe' });
    const file = join(mkdtempSync(join(tmpdir(), 'wasm-mlp-bench-browser-')), 'bench.json');
    const run = spawnSync(process.execPath, ['build/bench-browser.mjs', '--only', 'wasm,tfjs-wasm', '--threads', '1,2', '--simd', 'plain',
      '--workloads', 'planar', '--gemm', 'none', '--repeats', '1', '--min-seconds', '0.02', '--json', file], { encoding: 'utf8' });
    expect(run.status, run.stderr + run.stdout).toBe(0);
    const out = JSON.parse(readFileSync(file, 'utf8'));
    expect(out.sessions.map((s: { name: string }) => s.name)).toEqual(['threads 1', 'threads 2', 'threads 2, hardwareConcurrency 4']);
    for (const s of out.sessions) {
      expect(s.page.crossOriginIsolated).toBe(true); // COOP + COEP on every response
      expect(s.worker.crossOriginIsolated).toBe(true);
      expect(s.tfjs).toMatchObject({ simd: true, multithread: true });
    }
    const [one, shipped, overridden] = out.sessions;
    expect([one.tfjs.threadsAsked, one.tfjs.threadsActual]).toEqual([1, 1]);
    // TF.js caps its threads at hardwareConcurrency / 2; the override lifts the cap to 2
    expect(shipped.tfjs.threadsActual).toBe(Math.max(1, Math.min(2, Math.floor(shipped.page.hardwareConcurrency / 2))));
    expect([overridden.page.hardwareConcurrency, overridden.tfjs.threadsActual]).toEqual([4, 2]);
    // the threads-1 session times wasm-mlp and TF.js from the same start (the page stops when step-1 costs disagree)
    const rows = one.results.map((r: { label: string; workload: string; threads: number; simd: string | null }) => [r.label, r.workload, r.threads, r.simd]);
    expect(rows).toEqual([['wasm', 'planar', 1, 'plain'], ['tfjs-wasm', 'planar', 1, null]]);
    expect(Math.abs(one.results[0].firstCost - one.results[1].firstCost)).toBeLessThan(1e-4);
    // the peak loops ran in the worker; Chromium accepts relaxed SIMD, so the FMA loop is among them
    expect(one.peak.loops.map((l: { loop: string }) => l.loop)).toEqual(['peak-12', 'peak-24', 'peak-madd', 'peak-fma']);
  });
});
