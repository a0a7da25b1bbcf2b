// The relaxed-SIMD modules under the same kernel and thread tests as the plain ones. Node 20 runs
// relaxed SIMD only with --experimental-wasm-relaxed-simd, so there those test files run again in
// a child vitest whose workers get the flag; an engine with relaxed SIMD ran them in this run.
import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { relaxedSimdSupported } from '../src/core/modules.js';
import { runnableModules } from './support/modules.js';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
// the module-sweeping files, and the kernel tests (their Scratch backend is 'auto': relaxed where it runs)
// and the generated suites (relaxed SIMD is one of their modules where it runs; in the child only
// the relaxed modules' own properties run, WASM_MLP_GENERATED_SIMD: this run did the others)
// and the elementary functions, whose polynomials the relaxed builds evaluate with the same
// multiply-add (their error bounds and the kept exponential's bit identity, on the relaxed modules)
// and the inlined modules, whose 'auto' choice is relaxed SIMD where the engine has it
const FILES = ['test/threads-kernels.test.ts', 'test/threads-training.test.ts', 'test/kernels.test.ts', 'test/kernels-outputs.test.ts', 'test/generated-kernels.test.ts', 'test/generated-networks.test.ts',
  'test/vmath.test.ts', 'test/kept-exponential.test.ts', 'test/tanh-shortcuts.test.ts', 'test/inlined-modules.test.ts', 'test/dense-layer.test.ts'];

describe('relaxed SIMD', () => {
  it('passes the kernel and thread tests on its own and on shared memory', () => {
    if (relaxedSimdSupported()) {
      // this engine has relaxed SIMD: FILES ran on its modules in this very run
      expect(runnableModules().filter((c) => c.simd === 'relaxed').map((c) => c.threads)).toContain(1);
      return;
    }
    const dir = mkdtempSync(path.join(tmpdir(), 'wasm-mlp-relaxed-'));
    try {
      const report = path.join(dir, 'report.json');
      const r = spawnSync(process.execPath, [
        path.join('node_modules', 'vitest', 'vitest.mjs'), 'run', ...FILES,
        '--execArgv=--experimental-wasm-relaxed-simd', '--reporter=json', `--outputFile=${report}`,
      ], { cwd: repoRoot, encoding: 'utf8', timeout: 600_000, env: { ...process.env, WASM_MLP_GENERATED_SIMD: 'relaxed' } });
      expect(r.status, (r.stdout + r.stderr).slice(-3000)).toBe(0);
      const json = JSON.parse(readFileSync(report, 'utf8')) as {
        numPassedTests: number; numFailedTests: number; numPendingTests: number;
        testResults: { assertionResults: { fullName: string; status: string }[] }[];
      };
      expect([json.numFailedTests, json.numPendingTests]).toEqual([0, 0]);
      const passed = json.testResults.flatMap((f) => f.assertionResults).filter((t) => t.status === 'passed').map((t) => t.fullName);
      // the child ran the relaxed modules, not only the plain ones
      const count = (re: RegExp) => passed.filter((n) => re.test(n)).length;
      expect(count(/relaxed SIMD, own memory/)).toBeGreaterThanOrEqual(1);
      expect(count(/relaxed SIMD, shared memory, 2 threads.*gemm_tn/)).toBeGreaterThanOrEqual(21);
      expect(count(/relaxed SIMD, shared memory, 2 threads'?: the fused layer forward/)).toBeGreaterThanOrEqual(12); // with dense_tanh_part's and tanh_backward_tn_part's
      // test/kernels.test.ts's 'wasm' backend is createWasmBackend()'s default, relaxed SIMD in the child
      expect(count(/^kernels on wasm/)).toBeGreaterThanOrEqual(100);
      // the error bounds of tanh, sigmoid and the BCE terms, on the relaxed module ('wasm' is relaxed there)
      expect(count(/^wasm backend (tanh is within 2 ulp|sigmoid is within 4 ulp|each bce term)/)).toBe(3);
      expect(count(/^bias_sigmoid_e and bce_cost_e on .*relaxed/)).toBeGreaterThanOrEqual(15);
      expect(count(/^the fused kernels on .*relaxed/)).toBeGreaterThanOrEqual(22);
      // the generated suites take relaxed SIMD as one more module (test/support/engines.ts)
      expect(count(/generated (kernel cases|networks) on '?wasm \(relaxed SIMD\)/)).toBeGreaterThanOrEqual(10);
      // on 2 threads too, with the split itself under generated cases
      expect(count(/generated (kernel cases|networks) on '?wasm \(relaxed SIMD, 2 threads\)/)).toBeGreaterThanOrEqual(10);
      expect(count(/^the threaded split on '?wasm \(relaxed SIMD, 2 threads\)/)).toBe(3);
      // and no plain module's own properties (this run had them)
      expect(count(/generated (kernel cases|networks) on '?(wasm \(plain|js)/)).toBe(0);
      expect(count(/^relaxed SIMD.*100 steps on 1, 2 and 3 threads/)).toBe(5);
      // the inlined modules, where 'auto' on one thread takes the relaxed one
      expect(count(/^the inlined modules/)).toBe(4);
      expect(json.numPassedTests).toBeGreaterThan(400);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 620_000);
});
