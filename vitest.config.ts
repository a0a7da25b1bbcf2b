import { readFileSync } from 'node:fs';
import { defineConfig } from 'vitest/config';

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

export default defineConfig({
  plugins: [wasmBytes],
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 60_000,
  },
});
