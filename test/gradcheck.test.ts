// Backprop against central differences of a float64 reference, for every activation, 1–3 hidden
// layers, widths that are not multiples of 4, m = 1 and 37, and n_y = 1 and 3, on both backends.
import { describe, expect, it } from 'vitest';
import { Network, type Activation } from '../src/index.js';
import { createRng } from '../src/util/rng.js';
import type { Matrix } from '../src/util/matrix.js';
import { BACKENDS } from './support/helpers.js';
import { cost64, numericGrad, relativeDifference, type Params64 } from './support/reference.js';

const HIDDEN: Activation[] = ['sigmoid', 'tanh', 'relu', 'leakyRelu'];
const DEPTHS = [[5], [5, 7], [6, 3, 5]];

function problem(layers: number[], m: number, seed: number) {
  const rng = createRng(seed);
  const nX = layers[0], nY = layers[layers.length - 1];
  const X: Matrix = { rows: nX, cols: m, data: Float32Array.from({ length: nX * m }, () => rng.normal()) };
  const Y: Matrix = { rows: nY, cols: m, data: Float32Array.from({ length: nY * m }, () => (rng.uniform() < 0.5 ? 1 : 0)) };
  // weights of Xavier size and non-zero biases, so every layer carries signal and db is tested
  const params = layers.slice(1).map((n, l) => ({
    W: { rows: n, cols: layers[l], data: Float32Array.from({ length: n * layers[l] }, () => rng.normal() * Math.sqrt(1.5 / layers[l])) },
    b: Float32Array.from({ length: n }, () => rng.uniform() - 0.5),
  }));
  return { X, Y, params };
}

describe.each(BACKENDS)('gradient check on %s', (backend) => {
  describe.each(HIDDEN)('hidden %s', (act) => {
    it.each(DEPTHS.flatMap((h) => [1, 37].flatMap((m) => [1, 3].map((nY) => [h, m, nY] as const))))(
      'hidden %j, m = %i, n_y = %i',
      async (hidden, m, nY) => {
        const layers = [3, ...hidden, nY];
        const acts: Activation[] = [...hidden.map(() => act), 'sigmoid'];
        const { X, Y, params } = problem(layers, m, layers.length * 100 + m + nY);
        const net = await Network.create({ layers, activations: acts, backend });
        net.setParams(params);
        net.forward(X);
        const J = net.cost(Y);
        net.backward(Y);
        const grads = net.getGrads().flatMap((g) => [...g.dW.data, ...g.db]);

        const p64: Params64 = { W: params.map((p) => Float64Array.from(p.W.data)), b: params.map((p) => Float64Array.from(p.b)) };
        // the float32 forward pass agrees with float64 to float32 rounding (relative 1e-5 is
        // ~100 roundings of u = 6e-8, more than these small networks accumulate)
        expect(Math.abs(J - cost64(layers, acts, p64, X, Y))).toBeLessThanOrEqual(1e-5 * J);
        const numeric = numericGrad(layers, acts, p64, X, Y);
        // float64 central differences with h = 1e-6 are exact to ~1e-9 relative; the float32
        // backprop carries ~1e-6 relative rounding, so 1e-4 separates rounding from any wrong
        // term (a wrong derivative or a missing 1/m gives differences of 0.1 and more)
        const diff = relativeDifference(grads, numeric);
        expect(diff).toBeLessThan(1e-4);
        net.dispose();
      },
    );
  });
});
