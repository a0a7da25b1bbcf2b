// The benchmark's pure parts (bench/stats.ts, bench/relaxed.ts) and the JSON it writes, from a
// tiny run (--only js, one workload, one small GEMM). No timing is asserted anywhere: the
// machine is shared, so only shapes, units and identities between the reported numbers are.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { plainSimdModule, relaxedSimdModule, relaxedSimdSupported } from '../bench/relaxed.js';
import { flopsPerStep, fmt, gemmFlops, gflops, median, parseList, parseSizes, relDiff, stepsFor, table, theilSen } from '../bench/stats.js';
import spec from '../bench/workloads.json' with { type: 'json' };

describe('bench/stats', () => {
  it('median of odd and even counts, unsorted input left unchanged', () => {
    const xs = [5, 1, 3];
    expect(median(xs)).toBe(3);
    expect(xs).toEqual([5, 1, 3]);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(median([7])).toBe(7);
    expect(() => median([])).toThrow(/median: xs must not be empty/);
  });

  it('flops per step is 6·m·Σ n_{l-1}·n_l (hand-counted for the shared workloads)', () => {
    expect(flopsPerStep([2, 4, 1], 400)).toBe(6 * 400 * (8 + 4)); //                 28 800
    expect(flopsPerStep([784, 128, 10], 256)).toBe(6 * 256 * (100352 + 1280)); //    156 106 752
    expect(flopsPerStep([256, 256, 256, 256, 10], 256)).toBe(305922048); //         6·256·(3·65 536 + 2 560)
    expect(flopsPerStep([1024, 1024, 1], 512)).toBe(3224371200); //                  6·512·(1 048 576 + 1 024)
  });

  it('GEMM flops 2n³ and GFLOP/s', () => {
    expect(gemmFlops(512)).toBe(268435456);
    expect(gflops(2e9, 0.5)).toBe(4);
  });

  it('steps per repeat reach the minimum time with 10% margin, at least 1', () => {
    expect(stepsFor(0.001, 0.3)).toBe(330);
    expect(stepsFor(2, 0.3)).toBe(1);
    expect(stepsFor(0, 0.3)).toBe(1);
  });

  it('relative difference', () => {
    expect(relDiff(1, 1)).toBe(0);
    expect(relDiff(0, 0)).toBe(0);
    expect(relDiff(1, 1.0001)).toBeCloseTo(1e-4 / 1.0001, 12);
    expect(relDiff(-2, 2)).toBe(2);
  });

  it('--only and --workloads lists: canonical order, clear errors', () => {
    const all = ['wasm', 'js', 'tfjs-wasm', 'tfjs-cpu'] as const;
    expect(parseList('only', 'js,wasm', all, all)).toEqual(['wasm', 'js']);
    expect(parseList('only', undefined, all, ['js'])).toEqual(['js']);
    expect(() => parseList('only', 'wasm,tf', all, all)).toThrow("bench: --only takes a comma list of wasm, js, tfjs-wasm, tfjs-cpu; got 'wasm,tf'");
    expect(() => parseList('only', ',', all, all)).toThrow(/--only takes/);
  });

  it('--gemm sizes', () => {
    expect(parseSizes('gemm', '128,512', [1])).toEqual([128, 512]);
    expect(parseSizes('gemm', 'none', [1])).toEqual([]);
    expect(parseSizes('gemm', undefined, [7])).toEqual([7]);
    expect(() => parseSizes('gemm', '12x', [])).toThrow("bench: --gemm takes a comma list of sizes 1…4096, or 'none'; got '12x'");
    expect(() => parseSizes('gemm', '0', [])).toThrow(/--gemm/);
  });

  it('Theil–Sen slope: a line exactly, a single jump ignored, steady growth seen', () => {
    expect(theilSen([0, 1, 2, 3], [10, 12, 14, 16])).toBeCloseTo(2, 12);
    expect(theilSen([0, 1000, 2000], [5, 5, 5])).toBe(0);
    // flat heap with one 23 kB jump after the first sample (as V8 compiling late does)
    const xs = Array.from({ length: 11 }, (_, i) => i * 1000);
    expect(theilSen(xs, xs.map((x) => (x === 0 ? 0 : 23032)))).toBe(0);
    // 16 bytes retained per step on top of that jump
    expect(theilSen(xs, xs.map((x) => (x === 0 ? 0 : 23032) + 16 * x))).toBeCloseTo(16, 9);
  });

  it('table aligns columns (first left, others right) and fmt keeps ~3 digits', () => {
    expect(table([['a', 'bb'], ['ccc', '1']]).split('\n')).toEqual(['a    bb', '---  --', 'ccc   1']);
    expect([fmt(12345.6), fmt(12.345), fmt(1.2345), fmt(0.012345), fmt(undefined), fmt(NaN)]).toEqual(['12346', '12.3', '1.23', '0.012', '—', '—']);
  });
});

describe('bench/relaxed: the relaxed-SIMD probe', () => {
  it('the plain SIMD twin of the probe validates here (the module framing is right)', () => {
    expect(WebAssembly.validate(plainSimdModule())).toBe(true);
  });

  it('the relaxed probe validates in an engine with relaxed SIMD on, so "not supported" means the engine', () => {
    // Node 20's V8 has relaxed SIMD behind a flag: with it on, the same bytes must validate
    const code = `const b = new Uint8Array(${JSON.stringify(Array.from(relaxedSimdModule()))}); console.log(WebAssembly.validate(b));`;
    const on = execFileSync(process.execPath, ['--experimental-wasm-relaxed-simd', '-e', code], { encoding: 'utf8' }).trim();
    expect(on).toBe('true');
    // and the probe differs from the plain module only in its body: changing the opcode breaks it
    const broken = relaxedSimdModule();
    broken[broken.length - 2] = 0x7f; // 0x105 → 0x3f85: no such SIMD instruction
    expect(WebAssembly.validate(broken)).toBe(false);
    expect(typeof relaxedSimdSupported()).toBe('boolean');
  });
});

describe('npm run bench: JSON of a tiny run', () => {
  it('--only js --workloads planar --gemm 64 writes the documented shape', { timeout: 120_000 }, () => {
    execFileSync('npm', ['run', 'bench:bundle', '--silent'], { stdio: 'pipe' });
    const file = join(mkdtempSync(join(tmpdir(), 'wasm-mlp-bench-')), 'bench.json');
    const run = spawnSync(process.execPath, ['--expose-gc', 'build/bench.mjs', '--only', 'js', '--workloads', 'planar', '--gemm', '64', '--json', file], { encoding: 'utf8' });
    expect(run.status, run.stderr).toBe(0);
    expect(run.stdout).toMatch(/^relaxed SIMD: (supported|not supported) by this engine; used: (yes|no)$/m);
    const out = JSON.parse(readFileSync(file, 'utf8'));
    expect(out.node).toBe(process.version);
    expect(typeof out.cpu).toBe('string');
    expect(out.peakGflops).toBeGreaterThan(0);

    expect(out.results).toHaveLength(1);
    const r = out.results[0];
    const planar = spec.workloads.find((w) => w.name === 'planar')!;
    expect([r.workload, r.impl, r.m]).toEqual(['planar', 'js', planar.m]);
    expect(r.repeats).toBeGreaterThanOrEqual(5);
    // the three speed figures describe one time per step (floating-point identities only)
    expect(r.stepsPerSec * r.msPerStep).toBeCloseTo(1000, 6);
    expect(r.gflops / (flopsPerStep(planar.layers, planar.m) * r.stepsPerSec / 1e9)).toBeCloseTo(1, 12);
    // step 1 from randn·0.01 weights: every output ≈ sigmoid(0) = 1/2, so J ≈ ln 2 (|Z| < 1e-3 here)
    expect(Math.abs(r.firstCost - Math.LN2)).toBeLessThan(1e-3);

    expect(out.gemm).toHaveLength(1);
    const g = out.gemm[0];
    expect([g.n, g.impl]).toEqual([64, 'js']);
    expect(g.fractionOfPeak).toBeCloseTo(g.gflops / g.peakGflops, 12);
    expect(g.gflops).toBeCloseTo(gemmFlops(64) / (g.msPerProduct / 1000) / 1e9, 6);

    // the resource checks: wasm memory must not grow after the first step at a batch size
    const names = out.checks.map((c: { name: string }) => c.name).join('\n');
    expect(names).toMatch(/JS heap growth per step/);
    expect(names).toMatch(/instantiate \+ Network.create, median of 20/);
    const mem = out.checks.filter((c: { name: string }) => c.name.startsWith('wasm memory growth'));
    expect(mem.map((c: { name: string; pass: boolean; value: number }) => [c.name, c.pass, c.value])).toEqual([
      ['wasm memory growth after the first step (planar-wide, 1000 steps)', true, 0],
      ['wasm memory growth after the first step (planar, 1000 steps)', true, 0],
    ]);
    expect(out.relaxedSimd).toEqual({ supported: expect.any(Boolean), used: expect.any(Boolean) });
  });

  it('an unknown implementation is one line on stderr and exit code 2', () => {
    const run = spawnSync(process.execPath, ['build/bench.mjs', '--only', 'wasm,gpu'], { encoding: 'utf8' });
    expect(run.status).toBe(2);
    expect(run.stderr.trim()).toBe("bench: --only takes a comma list of wasm, js, tfjs-wasm, tfjs-cpu; got 'wasm,gpu'");
  });
});
