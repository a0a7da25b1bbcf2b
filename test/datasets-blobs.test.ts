import { describe, expect, it } from 'vitest';
import { blobs } from '../src/data/datasets.js';

const mean = (xs: number[]): number => xs.reduce((a, b) => a + b, 0) / xs.length;

describe('datasets.blobs with classes', () => {
  it('two classes by default: the same draws as classes: 2', () => {
    const a = blobs({ seed: 3 });
    const b = blobs({ seed: 3, classes: 2 });
    expect(Array.from(a.X.data)).toEqual(Array.from(b.X.data));
    expect(Array.from(a.Y.data)).toEqual(Array.from(b.Y.data));
  });

  for (const K of [3, 4, 7]) {
    it(`classes: ${K} gives labels 0 … ${K - 1}, balanced, around centres on the radius-3 circle`, () => {
      const m = 60 * K + 1;
      const { X, Y } = blobs({ classes: K, m, seed: 2, noise: 0.5 });
      expect([X.rows, X.cols, Y.rows, Y.cols]).toEqual([2, m, 1, m]);
      for (let c = 0; c < K; c++) {
        const idx = Array.from(Y.data).flatMap((y, j) => (y === c ? [j] : []));
        // class c gets ⌊(c+1)m/K⌋ − ⌊cm/K⌋ points: 60 or 61
        expect(idx.length).toBe(Math.floor(((c + 1) * m) / K) - Math.floor((c * m) / K));
        const a = (5 * Math.PI) / 4 + (2 * Math.PI * c) / K;
        // the mean of 60 draws of std 0.5 is within 0.3 of the centre (0.3 is 4.6 of its standard errors)
        expect(Math.abs(mean(idx.map((j) => X.data[j])) - 3 * Math.cos(a))).toBeLessThan(0.3);
        expect(Math.abs(mean(idx.map((j) => X.data[m + j])) - 3 * Math.sin(a))).toBeLessThan(0.3);
      }
      // shuffled: the first columns are not all class 0
      expect(new Set(Array.from(Y.data.subarray(0, 20))).size).toBeGreaterThan(1);
    });
  }

  it('refuses a bad class count', () => {
    expect(() => blobs({ classes: 1 })).toThrow(/datasets\.blobs: classes must be an integer from 2 to 10/);
    expect(() => blobs({ classes: 2.5 })).toThrow(/classes/);
    expect(() => blobs({ classes: 5, m: 4 })).toThrow(/classes must be at most m = 4/);
  });
});
