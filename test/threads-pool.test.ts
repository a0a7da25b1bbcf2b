// The pool's claims: every part of every dispatch runs exactly once. A worker still finishing one
// dispatch while the caller starts the next must not claim a part before the caller has opened it
// (such a part would run twice, and its extra DONE could end a dispatch whose last part still runs).
import { describe, expect, it } from 'vitest';
import { createWasmBackend } from '../src/core/backend.js';

describe('the pool', () => {
  it('runs each part once: 400 000 dispatches alternating 1 and 3 parts of Z += b on one row each', async () => {
    const be = await createWasmBackend({ simd: 'plain', threads: 2 });
    const pool = be.pool!, id = pool.id('bias_add');
    const cols = 4, z = be.base, b = z + 256;
    const h = be.reserve(b + 64);
    h.fill(0, z >> 2, (z >> 2) + 3 * cols);
    h[b >> 2] = 1;
    const D = 400_000;
    // (tiny parts, one after another: the caller often starts a dispatch while a worker is still
    // in the last one; before claims were compareExchange on open parts, a part of row 2 ran
    // twice 4 to 36 times in such a run)
    for (let d = 0; d < D; d++) {
      const n = d % 2 === 0 ? 1 : 3;
      pool.begin();
      for (let p = 0; p < n; p++) pool.part(id, 0, z + p * cols * 4, b, 1, cols);
      pool.run();
    }
    const rows = [0, 1, 2].map((r) => Array.from(h.subarray((z >> 2) + r * cols, (z >> 2) + (r + 1) * cols)));
    // counts up to 4·10⁵ are exact in float32 (below 2²⁴)
    expect(rows).toEqual([Array(cols).fill(D), Array(cols).fill(D / 2), Array(cols).fill(D / 2)]);
    be.dispose();
  });
});
