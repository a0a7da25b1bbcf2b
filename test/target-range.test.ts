// The range check of 0/1 targets (sigmoid + BCE) runs as one branch-free pass over the copy
// (src/util/validate.ts allWithin), then, only if that says no, a loop that names the first bad
// value. Both must agree at the edges of [0, 1] and on the values no sum should let through.
import { describe, expect, it } from 'vitest';
import { Network } from '../src/index.js';

const m = 403; // not a multiple of 4: the last values go through the pass's tail

describe('Y for a sigmoid output: every value in [0, 1]', () => {
  it.each([0, -0, 1, 1e-45, 0.99999994, 0.5])('%s anywhere is accepted', async (v) => {
    const net = await Network.create({ layers: [2, 3, 1], seed: 1, backend: 'wasm' });
    const X = { rows: 2, cols: m, data: new Float32Array(2 * m).fill(0.25) };
    for (const at of [0, 5, m - 1]) {
      const Y = { rows: 1, cols: m, data: new Float32Array(m).fill(1) };
      Y.data[at] = v;
      expect(net.train(X, Y, { iterations: 1, learningRate: 0.1 }).stopped).toBe('done');
    }
    net.dispose();
  });

  it.each([1.0000001, -1e-45, 2, -0.5, NaN, Infinity, -Infinity, 3e38, -3e38])('%s is refused, named where it is', async (v) => {
    const net = await Network.create({ layers: [2, 3, 1], seed: 1, backend: 'wasm' });
    const X = { rows: 2, cols: m, data: new Float32Array(2 * m).fill(0.25) };
    for (const at of [0, 5, m - 1]) {
      const Y = { rows: 1, cols: m, data: new Float32Array(m).fill(0) };
      Y.data[at] = v;
      expect(() => net.train(X, Y, { iterations: 1, learningRate: 0.1 })).toThrow(`First bad value at Y[0, ${at}] (data[${at}])`);
    }
    net.dispose();
  });
});
