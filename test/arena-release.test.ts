/**
 * After a predict or predictProba on a very large X, the network gives the memory back: a pass
 * that grew the arena by more than RELEASE_BYTES moves the network to a fresh memory of its
 * earlier size (a WebAssembly memory cannot shrink), parameters and optimizer state carried over
 * bit for bit, and the large memory is collected. Smaller passes keep their batch region.
 */
import { describe, expect, it } from 'vitest';
import { Network, datasets } from '../src/index.js';
import { RELEASE_BYTES } from '../src/network.js';
import { observeWasmMemory } from '../src/core/backend.js';
import { bitEqual } from './support/helpers.js';
import { fullGc } from './support/gc.js';

const { X, Y } = datasets.flower({ m: 400, seed: 1 });
const M = 2_000_000;
const HUGE = { rows: 2, cols: M, data: new Float32Array(2 * M).map((_, i) => Math.sin(i)) };

/** A trained network, and every WebAssembly.Memory made for it from now on (the last is its current one). */
async function trained(backend: 'wasm' | 'js') {
  const memories: WebAssembly.Memory[] = [];
  observeWasmMemory((m) => memories.push(m));
  const net = await Network.create({ layers: [2, 8, 1], backend, seed: 2 });
  net.train(X, Y, { epochs: 3, batchSize: 100, optimizer: 'adam', learningRate: 0.01 });
  return { net, memories };
}

describe('the arena after a predict on 2 000 000 columns', () => {
  it('wasm: the memory returns to its earlier size, the large one is collected, and training goes on as if nothing happened', async () => {
    const { net, memories } = await trained('wasm');
    const twin = (await trained('wasm')).net; // the same run, never predicting
    observeWasmMemory(undefined);
    const earlier = memories[0].buffer.byteLength;
    let collected = false;
    const registry = new FinalizationRegistry(() => { collected = true; });
    const seen: WebAssembly.Memory[] = [];
    observeWasmMemory((m) => seen.push(m));
    const P = net.predictProba(HUGE);
    observeWasmMemory(undefined);
    expect(P.cols).toBe(M);
    // the pass needed 2e6 columns · (2 + 1 + 3·8 + 3·1) floats ≈ 229 MiB, well past RELEASE_BYTES
    expect(memories[0].buffer.byteLength).toBeGreaterThan(200 * 2 ** 20);
    expect(seen).toHaveLength(1); // one fresh memory, at the earlier size
    expect(seen[0].buffer.byteLength).toBe(earlier);
    registry.register(memories[0], 'the large memory');
    memories.length = 0;
    await fullGc();
    expect(collected).toBe(true);
    // the outputs are those of the same pass on the twin (same parameters, same kernels)
    expect(bitEqual(P.data.subarray(0, 1000), twin.predictProba({ rows: 2, cols: 1000, data: sliceCols(0, 1000) }).data)).toBe(true);
    // parameters and Adam's moments came along: more training gives the twin's bits
    const more = { epochs: 2, batchSize: 100, optimizer: 'adam', learningRate: 0.01 } as const;
    net.train(X, Y, more);
    twin.train(X, Y, more);
    net.getParams().forEach((p, l) => expect(bitEqual(p.W.data, twin.getParams()[l].W.data)).toBe(true));
    // and after the move there is no forward pass to take a cost of
    net.predict(HUGE);
    expect(() => net.cost({ rows: 1, cols: M, data: new Float32Array(M) })).toThrow(/no forward pass for the current parameters/);
  });

  it('js: the heap Float32Array is back to its earlier size', async () => {
    const { net } = await trained('js');
    observeWasmMemory(undefined);
    await fullGc();
    const before = process.memoryUsage().arrayBuffers;
    const P = net.predict(HUGE);
    expect(P.cols).toBe(M);
    await fullGc();
    // the 2e6 outputs the caller holds (8 MB) and nothing of the pass's 229 MiB
    expect(process.memoryUsage().arrayBuffers - before).toBeLessThan(M * 4 + 2 ** 20);
  });

  it(`a pass that grows the arena by less than ${RELEASE_BYTES / 2 ** 20} MiB keeps its region (no new memory on the next call)`, async () => {
    const { net, memories } = await trained('wasm');
    const n = 100_000; // 100 000 · 30 floats ≈ 11 MiB
    const Xs = { rows: 2, cols: n, data: sliceCols(0, n) };
    net.predict(Xs);
    const grown = memories[0].buffer.byteLength;
    net.predict(Xs);
    observeWasmMemory(undefined);
    expect(memories).toHaveLength(1);
    expect(memories[0].buffer.byteLength).toBe(grown);
    // and forward keeps its cache for cost and backward, at any size
    net.forward(Xs);
    expect(Number.isFinite(net.cost({ rows: 1, cols: n, data: new Float32Array(n) }))).toBe(true);
  });
});

/** Columns [j0, j0 + n) of HUGE, row-major (2 × n). */
function sliceCols(j0: number, n: number): Float32Array {
  const out = new Float32Array(2 * n);
  for (let i = 0; i < 2; i++) out.set(HUGE.data.subarray(i * M + j0, i * M + j0 + n), i * n);
  return out;
}
