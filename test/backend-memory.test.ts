/**
 * The backend's memory: a failed compile is not cached (the next create retries), dispose() frees
 * a network's memory while the caller still holds the Network object, and thousands of
 * create/train/dispose cycles in one async loop that never returns to the event loop hold no
 * memory (nothing in the library keeps a reference, weak or strong, to a backend's memory).
 */
import { describe, expect, it, vi } from 'vitest';
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { Network } from '../src/index.js';
import { observeWasmMemory } from '../src/core/backend.js';
import { fullGc } from './support/gc.js';
import { repoRoot } from './support/cli-sandbox.js';

describe('compiling the wasm module', () => {
  // first in this file: the module is compiled once per process and cached when it succeeds
  it('a failed WebAssembly.compile is reported and forgotten: the next create compiles again', async () => {
    const compile = vi.spyOn(WebAssembly, 'compile').mockRejectedValueOnce(new RangeError('WebAssembly.Module(): Out of memory'));
    await expect(Network.create({ layers: [2, 3, 1], backend: 'wasm' })).rejects.toThrow(
      /^wasm-mlp: could not compile the WebAssembly kernels \(WebAssembly\.Module\(\): Out of memory\); a later Network\.create tries again$/);
    const net = await Network.create({ layers: [2, 3, 1], backend: 'wasm' });
    expect(net.backend).toBe('wasm');
    expect(compile).toHaveBeenCalledTimes(2);
    // and once compiled, it stays compiled
    await Network.create({ layers: [2, 3, 1], backend: 'wasm' });
    expect(compile).toHaveBeenCalledTimes(2);
    compile.mockRestore();
  });
});

describe('dispose() frees the memory while the Network object is still held', () => {
  // forward keeps its cache (and so its memory) for cost and backward, at any size, until dispose
  it('wasm: the instance memory grown by a forward on 2 000 000 columns is collected', async () => {
    let collected = false;
    const registry = new FinalizationRegistry(() => { collected = true; });
    let grownTo = 0;
    const net = await (async () => {
      let memory: WebAssembly.Memory | undefined;
      observeWasmMemory((m) => { memory = m; });
      const n = await Network.create({ layers: [2, 4, 1], backend: 'wasm' });
      observeWasmMemory(undefined);
      n.forward({ rows: 2, cols: 2_000_000, data: new Float32Array(4_000_000) });
      grownTo = memory!.buffer.byteLength;
      registry.register(memory!, 'memory');
      return n;
    })();
    // 2 000 000 columns of X, Y, Z, A, dZ per layer: about 2e6·(2 + 1 + 3·4 + 3·1)·4 bytes
    expect(grownTo).toBeGreaterThan(130 * 2 ** 20);
    net.dispose();
    await fullGc();
    expect(collected).toBe(true);
    expect(() => net.predict({ rows: 2, cols: 1, data: [0, 0] })).toThrow(/Network\.forward: this network has been disposed/);
  });

  it('js: the heap Float32Array is released too', async () => {
    const net = await Network.create({ layers: [2, 4, 1], backend: 'js' });
    await fullGc();
    const before = process.memoryUsage().arrayBuffers;
    net.forward({ rows: 2, cols: 1_000_000, data: new Float32Array(2_000_000) });
    await fullGc();
    const grown = process.memoryUsage().arrayBuffers;
    // 1 000 000 columns: about 1e6·18·4 bytes = 69 MiB in the heap Float32Array
    expect(grown - before).toBeGreaterThan(60 * 2 ** 20);
    net.dispose();
    await fullGc();
    // what is left is unrelated small buffers (a few kB), not the heap
    expect(process.memoryUsage().arrayBuffers - before).toBeLessThan(2 ** 20);
  });
});

describe('create / train / dispose in one async loop that never yields', () => {
  it('3000 cycles: the resident size stays flat after the first 500 (a WeakRef per memory grew it by ~14 kB a cycle, a WebAssembly.validate per create by ~1 kB)', () => {
    const script = path.join(repoRoot, 'test', 'support', 'create-cycles.mjs');
    const r = spawnSync(process.execPath, ['--expose-gc', script, path.join(repoRoot, 'dist', 'index.js'), '3000', '500'], { encoding: 'utf8', timeout: 120_000 });
    expect(r.stderr).toBe('');
    const { rss } = JSON.parse(r.stdout) as { rss: number[] };
    expect(rss).toHaveLength(6);
    // after gc(), a memory kept per cycle costs its committed pages (a WeakRef per memory held
    // 60 → 95 MiB over these samples, measured); with none kept the size is flat within allocator
    // noise and JIT code: 4 MiB
    expect(rss[5] - rss[0], `RSS after each 500 cycles: ${rss.map((x) => x.toFixed(1)).join(', ')} MiB`).toBeLessThan(4);
  });
});
