import { describe, expect, it } from 'vitest';
import { datasets, DEFAULT_NOISE, REGRESSION_DATASET_NAMES, plane, gaussian, sine } from '../src/data/datasets.js';
import { Network } from '../src/index.js';

const dims = { plane: 2, gaussian: 2, sine: 1 } as const;
/** the noise-free target of each set, in float64 */
const target = {
  plane: (x1: number, x2: number) => (x1 + x2) / 2,
  gaussian: (x1: number, x2: number) => Math.exp(-(x1 * x1 + x2 * x2) / (2 * 0.4 * 0.4)),
  sine: (x: number) => Math.sin(x),
} as const;

describe('datasets: the regression sets', () => {
  it('are registered in datasets under REGRESSION_DATASET_NAMES', () => {
    expect([...REGRESSION_DATASET_NAMES]).toEqual(['plane', 'gaussian', 'sine']);
    expect(datasets.plane).toBe(plane);
    expect(datasets.gaussian).toBe(gaussian);
    expect(datasets.sine).toBe(sine);
  });

  for (const name of REGRESSION_DATASET_NAMES) {
    describe(name, () => {
      it('returns X (dims × m) in its box and Y (1 × m) = f(X) exactly without noise', () => {
        for (const m of [400, 3, 2]) {
          const { X, Y } = datasets[name]({ m, noise: 0, seed: 3 });
          expect([X.rows, X.cols, Y.rows, Y.cols]).toEqual([dims[name], m, 1, m]);
          expect(X.data).toBeInstanceOf(Float32Array);
          const box = name === 'sine' ? Math.PI : 1;
          for (let j = 0; j < m; j++) {
            const x1 = X.data[j];
            const x2 = dims[name] === 2 ? X.data[m + j] : 0;
            expect(Math.abs(x1)).toBeLessThanOrEqual(box);
            expect(Math.abs(x2)).toBeLessThanOrEqual(1);
            // f is evaluated on the float64 draws and rounded once; from the float32-rounded x the
            // value differs by at most |f'|·2⁻²⁴·|x| (|f'| ≤ 1 here, ≤ 1.6 for the bump) plus one rounding
            expect(Math.abs(Y.data[j] - target[name](x1, x2))).toBeLessThan(1e-6);
          }
        }
      });

      it('spreads over its box (every quarter of x₁ holds points)', () => {
        const { X } = datasets[name]({ m: 400 });
        const box = name === 'sine' ? Math.PI : 1;
        const quarter = new Array(4).fill(0);
        for (let j = 0; j < 400; j++) quarter[Math.min(3, Math.floor(((X.data[j] + box) / (2 * box)) * 4))]++;
        // 100 expected per quarter; a binomial(400, 1/4) is within 60…140 far beyond 5 standard deviations
        for (const q of quarter) expect(q).toBeGreaterThan(60);
      });

      it('adds Gaussian noise of std `noise` to y (default DEFAULT_NOISE)', () => {
        const m = 4000;
        const clean = datasets[name]({ m, noise: 0, seed: 9 });
        for (const noise of [DEFAULT_NOISE[name], 0.3]) {
          const noisy = noise === DEFAULT_NOISE[name] ? datasets[name]({ m, seed: 9 }) : datasets[name]({ m, noise, seed: 9 });
          // the same x: the noise draw comes after the point's coordinates
          expect(Array.from(noisy.X.data)).toEqual(Array.from(clean.X.data));
          let s = 0;
          for (let j = 0; j < m; j++) s += (noisy.Y.data[j] - clean.Y.data[j]) ** 2;
          // the sample std of 4000 normals is within 5% of σ with overwhelming probability (its sd is σ/√8000 ≈ 1.1%)
          expect(Math.sqrt(s / m) / noise).toBeGreaterThan(0.95);
          expect(Math.sqrt(s / m) / noise).toBeLessThan(1.05);
        }
      });

      it('is seeded: the same seed gives the same matrices, another seed others', () => {
        const a = datasets[name]({ seed: 4 });
        const b = datasets[name]({ seed: 4 });
        const c = datasets[name]({ seed: 5 });
        expect(Array.from(a.X.data)).toEqual(Array.from(b.X.data));
        expect(Array.from(a.Y.data)).toEqual(Array.from(b.Y.data));
        expect(Array.from(a.X.data)).not.toEqual(Array.from(c.X.data));
        const n = datasets[name]({ seed: 4, rng: 'numpy' });
        expect(Array.from(n.X.data)).not.toEqual(Array.from(a.X.data));
      });

      it('refuses bad options with the generator and the argument named', () => {
        expect(() => datasets[name]({ m: 1 })).toThrow(new RegExp(`datasets\\.${name}: m must be an integer ≥ 2`));
        expect(() => datasets[name]({ noise: -1 })).toThrow(/noise must be a finite number ≥ 0/);
        expect(() => datasets[name]({ seed: 0.5 })).toThrow(/seed/);
      });
    });
  }

  it('a linear output learns each set (MSE well below the variance of y)', async () => {
    for (const name of REGRESSION_DATASET_NAMES) {
      const { X, Y } = datasets[name]({ m: 400, seed: 2 });
      const net = await Network.create({ layers: [X.rows, 16, 1], activations: ['tanh', 'linear'], seed: 1 });
      net.init({ scheme: 'xavier' });
      net.train(X, Y, { epochs: 300, batchSize: 32, optimizer: 'adam', learningRate: 0.01 });
      const A = net.forward(X);
      let mse = 0, mean = 0;
      for (let j = 0; j < 400; j++) mean += Y.data[j] / 400;
      let variance = 0;
      for (let j = 0; j < 400; j++) {
        mse += (A.data[j] - Y.data[j]) ** 2 / 400;
        variance += (Y.data[j] - mean) ** 2 / 400;
      }
      // a fitted net leaves about the noise (σ² = 0.0025 … 0.01); a tenth of y's variance is a loose bound
      expect(mse, name).toBeLessThan(variance / 10);
      net.dispose();
    }
  });
});
