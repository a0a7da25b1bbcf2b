// fitStandardizer / Standardizer (wasm-mlp/data): fitted on training data, applied unchanged to
// new data, saved and restored exactly.
import { describe, expect, it } from 'vitest';
import { fitStandardizer, Standardizer } from '../src/data-index.js';

const X = { rows: 2, cols: 4, data: Float32Array.from([1, 2, 3, 4, 10, 10, 10, 10]) };

describe('fitStandardizer', () => {
  it('gives each feature (row) mean 0 and standard deviation 1 on the training data; a constant feature becomes 0', () => {
    const s = fitStandardizer(X);
    expect(s.mean).toEqual([2.5, 10]);
    expect(s.std).toEqual([Math.sqrt(1.25), 1]);
    const Z = s.apply(X);
    const row = Array.from(Z.data.subarray(0, 4));
    const mean = row.reduce((a, b) => a + b) / 4;
    const sd = Math.sqrt(row.reduce((a, b) => a + (b - mean) ** 2, 0) / 4);
    // float32 results of a float64 computation: within a few float32 roundings of 0 and 1
    expect(Math.abs(mean)).toBeLessThan(1e-7);
    expect(Math.abs(sd - 1)).toBeLessThan(1e-6);
    expect(Array.from(Z.data.subarray(4))).toEqual([0, 0, 0, 0]);
    expect(Array.from(X.data)).toEqual([1, 2, 3, 4, 10, 10, 10, 10]); // apply copies
  });

  it('applies the training statistics to new data (it does not refit)', () => {
    const s = fitStandardizer(X);
    const Z = s.apply({ rows: 2, cols: 2, data: [2.5, 100, 12, 10] });
    expect(Z.data[0]).toBe(0);
    expect(Z.data[1]).toBe(Math.fround((100 - 2.5) / Math.sqrt(1.25)));
    expect(Array.from(Z.data.subarray(2))).toEqual([2, 0]);
  });

  it('round-trips through toJSON / JSON text / fromJSON exactly', () => {
    const s = fitStandardizer({ rows: 3, cols: 5, data: Float64Array.from({ length: 15 }, (_, i) => Math.sin(i) * 1e3) });
    const again = Standardizer.fromJSON(JSON.stringify(s));
    expect(again.toJSON()).toEqual(s.toJSON());
    expect(Standardizer.fromJSON(s.toJSON()).features).toBe(3);
  });

  it('names what is wrong: X with the wrong number of features, bad data, a hostile saved form', () => {
    const s = fitStandardizer(X);
    expect(() => s.apply({ rows: 3, cols: 1, data: [1, 2, 3] })).toThrow(/^Standardizer\.apply: X\.rows must be 2 \(the number of features the standardizer was fitted on\); got 3/);
    expect(() => fitStandardizer({ rows: 1, cols: 2, data: [1, NaN] })).toThrow(/^fitStandardizer: every value of X must be a finite number/);
    expect(() => fitStandardizer([[1, 2]] as never)).toThrow(/fromExamples/);
    expect(() => Standardizer.fromJSON({ mean: [0, 1], std: [1, 0] })).toThrow(/^Standardizer\.fromJSON: std\[1\] must be a finite number > 0; got 0/);
    expect(() => Standardizer.fromJSON({ mean: [0], std: [1, 2] })).toThrow(/std must be an array of 1 numbers/);
    expect(() => Standardizer.fromJSON({ mean: [0], std: [1], __proto__x: 1 })).toThrow(/unexpected key "__proto__x"/);
    expect(() => Standardizer.fromJSON('{"mean": [0], "std": [1]')).toThrow(/It does not parse/);
  });
});
