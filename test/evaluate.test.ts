// classificationScores and regressionScores (wasm-mlp/data) on cases small enough to count by hand.
import { describe, expect, it } from 'vitest';
import { classificationScores, regressionScores } from '../src/data-index.js';

describe('classificationScores', () => {
  it('counts the confusion matrix, accuracy, precision and recall', () => {
    //            true: 0 0 0 1 1 2
    //       predicted: 0 0 1 1 2 2
    const s = classificationScores([0, 0, 1, 1, 2, 2], [0, 0, 0, 1, 1, 2], 3);
    expect(s.confusion).toEqual([[2, 1, 0], [0, 1, 1], [0, 0, 1]]);
    expect(s.accuracy).toBe(4 / 6);
    expect(s.support).toEqual([3, 2, 1]);
    expect(s.precision).toEqual([2 / 2, 1 / 2, 1 / 2]);
    expect(s.recall).toEqual([2 / 3, 1 / 2, 1 / 1]);
  });

  it('a class never predicted has no precision (NaN), one never present no recall', () => {
    const s = classificationScores([0, 0], [0, 1], 3);
    expect(s.precision[1]).toBeNaN();
    expect(s.recall[2]).toBeNaN();
    expect(s.precision[0]).toBe(0.5);
  });

  it('names a bad class index and unequal lengths', () => {
    expect(() => classificationScores([0, 3], [0, 1], 3)).toThrow(/every value of predicted must be a class index from 0 to 2; got 3\. First bad value at predicted\[1\]/);
    expect(() => classificationScores([0], [0, 1], 2)).toThrow(/actual\.length must be predicted\.length \(1\); got 2/);
  });
});

describe('regressionScores', () => {
  it('RMSE, MAE and R² of a known case', () => {
    // errors 1, −1, 0, 2: SSE 6, SAE 4; truth mean 2.5, SST 5
    const s = regressionScores([2, 1, 3, 6], [1, 2, 3, 4]);
    expect(s.rmse).toBe(Math.sqrt(6 / 4));
    expect(s.mae).toBe(1);
    expect(s.r2).toBe(1 - 6 / 5);
    expect(regressionScores([1, 2], [1, 2]).r2).toBe(1);
    expect(regressionScores([1, 2], [3, 3]).r2).toBeNaN(); // a constant truth has no variance to explain
  });
});
