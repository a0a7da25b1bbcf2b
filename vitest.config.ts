import { readFileSync } from 'node:fs';
import { defineConfig } from 'vitest/config';
import type { Reporter } from 'vitest/node';

// Imports of build/*.wasm give the module's bytes, as esbuild's binary loader does for dist/.
const wasmBytes = {
  name: 'wasm-bytes',
  enforce: 'pre' as const,
  load(id: string) {
    if (!id.endsWith('.wasm')) return null;
    const b64 = readFileSync(id).toString('base64');
    return `export default new Uint8Array(Buffer.from(${JSON.stringify(b64)}, 'base64'));`;
  },
};

// src/core/extra.ts finds the separately shipped modules beside the bundle that contains it
// (new URL('./mlp-….wasm', import.meta.url), as dist/ has them); the tests run it from src/, so
// these URLs are pointed at build/, where asc writes the modules.
const moduleUrls = {
  name: 'module-urls',
  enforce: 'pre' as const,
  transform(code: string, id: string) {
    if (!id.replaceAll('\\', '/').endsWith('/src/core/extra.ts')) return null;
    return code.replace(/new URL\((['"])\.\/mlp-/g, 'new URL($1../../build/mlp-');
  },
};

// After vitest's own summary, one plain line 'vitest: N passed, N failed, N skipped' that any CI
// log reader understands; a run that collected no test at all says so and counts as failed.
const plainSummary: Reporter = {
  onTestRunEnd(modules, errors) {
    const n = { passed: 0, failed: 0, skipped: 0 };
    for (const mod of modules) {
      let failedHere = 0;
      for (const t of mod.children.allTests()) {
        const state = t.result().state;
        if (state === 'passed') n.passed++;
        else if (state === 'failed') failedHere++;
        else n.skipped++;
      }
      // a test file that failed outside any test (an import error, a failing beforeAll) counts once
      n.failed += failedHere > 0 ? failedHere : mod.state() === 'failed' ? 1 : 0;
    }
    const failed = n.failed + errors.length + (n.passed + n.failed === 0 ? 1 : 0);
    console.log(`\nvitest: ${n.passed} passed, ${failed} failed, ${n.skipped} skipped`);
  },
};

export default defineConfig({
  plugins: [wasmBytes, moduleUrls],
  test: {
    reporters: ['default', plainSummary],
    include: ['test/**/*.test.ts'],
    // a long run of the generated suites (WASM_MLP_FC_SCALE=10: ten times the cases) gets as many
    // times the time: at 10, two suites ran past 60 s with every case holding
    testTimeout: 60_000 * Math.max(1, Number(process.env.WASM_MLP_FC_SCALE ?? 1) || 1),
  },
});
