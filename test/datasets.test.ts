import { describe, it, expect } from 'vitest';
import {
  datasets,
  DATASET_NAMES,
  REGRESSION_DATASET_NAMES,
  flower,
  circles,
  moons,
  blobs,
  xor,
  spiral,
  DEFAULT_NOISE,
  type DatasetName,
  type DatasetOptions,
} from '../src/data/datasets.js';
import { trainTestSplit } from '../src/data/split.js';
import { boundarySvg } from '../src/cli/plot.js';
import type { Matrix } from '../src/util/matrix.js';

const column = (X: Matrix, j: number): [number, number] => [X.data[j], X.data[X.cols + j]];
const radius = (X: Matrix, j: number): number => Math.hypot(...column(X, j));
const labels = (Y: Matrix): number[] => Array.from(Y.data);
const mean = (xs: number[]): number => xs.reduce((a, b) => a + b, 0) / xs.length;

/** Indices of the examples with the given label. */
function ofClass(Y: Matrix, label: number): number[] {
  return labels(Y).flatMap((y, j) => (y === label ? [j] : []));
}

describe('datasets: every generator', () => {
  it('is listed under its name', () => {
    // the classification sets here; the regression sets (test/datasets-regression.test.ts) beside them
    expect([...DATASET_NAMES, ...REGRESSION_DATASET_NAMES].sort()).toEqual(Object.keys(datasets).sort());
    expect(DATASET_NAMES).toHaveLength(6);
    const byName: Record<DatasetName, unknown> = { flower, circles, moons, blobs, xor, spiral };
    for (const name of DATASET_NAMES) expect(datasets[name]).toBe(byName[name]);
  });

  for (const name of DATASET_NAMES) {
    describe(name, () => {
      it('returns X (2 × m) and Y (1 × m) with finite values, 0/1 labels and both classes', () => {
        for (const m of [400, 50, 2]) {
          const { X, Y } = datasets[name]({ m });
          expect([X.rows, X.cols, X.data.length]).toEqual([2, m, 2 * m]);
          expect([Y.rows, Y.cols, Y.data.length]).toEqual([1, m, m]);
          expect(X.data).toBeInstanceOf(Float32Array);
          expect(Y.data).toBeInstanceOf(Float32Array);
          expect(Array.from(X.data).every(Number.isFinite)).toBe(true);
          expect(labels(Y).every((y) => y === 0 || y === 1)).toBe(true);
          if (m >= 50) {
            const ones = labels(Y).filter((y) => y === 1).length;
            expect(ones).toBeGreaterThan(0);
            expect(ones).toBeLessThan(m);
          }
        }
      });

      it('is roughly balanced with the defaults (exactly half except xor)', () => {
        const { Y } = datasets[name]();
        const ones = ofClass(Y, 1).length;
        if (name === 'xor') {
          expect(ones / 400).toBeGreaterThanOrEqual(0.4);
          expect(ones / 400).toBeLessThanOrEqual(0.6);
        } else {
          expect(ones).toBe(200);
        }
      });

      it('is deterministic for a seed and changes with the seed', () => {
        const a = datasets[name]({ seed: 7, noise: 0.1 });
        const b = datasets[name]({ seed: 7, noise: 0.1 });
        const c = datasets[name]({ seed: 8, noise: 0.1 });
        expect(Array.from(a.X.data)).toEqual(Array.from(b.X.data));
        expect(Array.from(a.Y.data)).toEqual(Array.from(b.Y.data));
        expect(Array.from(a.X.data)).not.toEqual(Array.from(c.X.data));
        expect(Array.from(datasets[name]().X.data)).toEqual(Array.from(datasets[name]({ seed: 1 }).X.data));
      });

      it('rejects bad options, naming the argument and the value', () => {
        const call = (opts: object) => () => datasets[name](opts as DatasetOptions);
        expect(call({ m: 0 })).toThrow(new RegExp(`datasets\\.${name}: m must be an? (even )?integer ≥ 2; got 0`));
        expect(call({ m: 2.5 })).toThrow(/\bm must be .*integer.*got 2\.5/);
        expect(call({ m: -4 })).toThrow(/\bm must be .*got -4/);
        expect(call({ noise: -1 })).toThrow(/\bnoise must be a finite number ≥ 0; got -1/);
        expect(call({ noise: NaN })).toThrow(/\bnoise must be .*got NaN/);
        expect(call({ noise: Infinity })).toThrow(/\bnoise must be .*got Infinity/);
        expect(call({ seed: NaN })).toThrow(/\bseed must be a finite integer; got NaN/);
        expect(call({ seed: 1.5 })).toThrow(/\bseed must be .*got 1\.5/);
        expect(call({ m: '10' })).toThrow(/\bm must be .*got "10"/);
      });
    });
  }
});

describe('datasets.flower', () => {
  it('puts class 0 in columns 0..199 and class 1 in 200..399, all within radius 6', () => {
    const { X, Y } = flower();
    expect(labels(Y).slice(0, 200).every((y) => y === 0)).toBe(true);
    expect(labels(Y).slice(200).every((y) => y === 1)).toBe(true);
    for (let j = 0; j < 400; j++) expect(radius(X, j)).toBeLessThan(6);
  });

  it('lies exactly on the petals r = 4·sin(4t) without noise', () => {
    const { X } = flower({ m: 100, noise: 0 });
    for (let j = 0; j < 100; j++) {
      const cls = j < 50 ? 0 : 1;
      const t = cls * 3.12 + ((j % 50) * 3.12) / 49;
      const r = 4 * Math.sin(4 * t);
      const [x, y] = column(X, j);
      expect(x).toBeCloseTo(r * Math.sin(t), 5);
      expect(y).toBeCloseTo(r * Math.cos(t), 5);
    }
  });

  it('requires an even m and says so', () => {
    expect(() => flower({ m: 3 })).toThrow('datasets.flower: m must be an even integer ≥ 2; got 3');
  });
});

describe('datasets.circles', () => {
  it('has the inner class near radius `factor` and the outer near 1', () => {
    for (const factor of [0.5, 0.3]) {
      const { X, Y } = circles({ noise: 0.1, factor });
      expect(mean(ofClass(Y, 1).map((j) => radius(X, j)))).toBeCloseTo(factor, 1);
      expect(Math.abs(mean(ofClass(Y, 1).map((j) => radius(X, j))) - factor)).toBeLessThan(0.1);
      expect(Math.abs(mean(ofClass(Y, 0).map((j) => radius(X, j))) - 1)).toBeLessThan(0.1);
    }
  });

  it('keeps X and Y aligned when shuffling (exact radii without noise) and is shuffled', () => {
    const { X, Y } = circles({ noise: 0, factor: 0.4 });
    for (let j = 0; j < 400; j++) expect(radius(X, j)).toBeCloseTo(Y.data[j] === 1 ? 0.4 : 1, 5);
    expect(ofClass(Y, 1).some((j) => j < 200)).toBe(true);
  });

  it('rejects a factor outside [0, 1)', () => {
    expect(() => circles({ factor: 1.5 })).toThrow(/datasets\.circles: factor must be .*got 1\.5/);
  });
});

describe('the other generators', () => {
  it('moons: both half circles exactly without noise', () => {
    const { X, Y } = moons({ noise: 0 });
    for (let j = 0; j < 400; j++) {
      const [x, y] = column(X, j);
      if (Y.data[j] === 0) {
        expect(Math.hypot(x, y)).toBeCloseTo(1, 5);
        expect(y).toBeGreaterThanOrEqual(-1e-6);
      } else {
        expect(Math.hypot(1 - x, 0.5 - y)).toBeCloseTo(1, 5);
        expect(y).toBeLessThanOrEqual(0.5 + 1e-6);
      }
    }
  });

  it('blobs: class means near (−2, −2) and (2, 2)', () => {
    const { X, Y } = blobs();
    for (const [label, c] of [[0, -2], [1, 2]] as const) {
      const idx = ofClass(Y, label);
      expect(Math.abs(mean(idx.map((j) => column(X, j)[0])) - c)).toBeLessThan(0.3);
      expect(Math.abs(mean(idx.map((j) => column(X, j)[1])) - c)).toBeLessThan(0.3);
    }
  });

  it('xor: label is x·y > 0, points in [−1, 1]² without noise', () => {
    const { X, Y } = xor();
    for (let j = 0; j < 400; j++) {
      const [x, y] = column(X, j);
      expect(Math.abs(x)).toBeLessThanOrEqual(1);
      expect(Math.abs(y)).toBeLessThanOrEqual(1);
      expect(Y.data[j]).toBe(x * y > 0 ? 1 : 0);
    }
    expect(Array.from(xor({ noise: 0.3 }).X.data)).not.toEqual(Array.from(X.data));
  });

  it('spiral: radii in [0, 1], arms offset by π, shuffled', () => {
    const { X, Y } = spiral({ noise: 0 });
    for (let j = 0; j < 400; j++) expect(radius(X, j)).toBeLessThanOrEqual(1 + 1e-6);
    // without noise, the point of arm 1 at radius r is the point of arm 0 at radius r turned by π
    const key = (j: number): string => radius(X, j).toFixed(4);
    const arm0 = new Map(ofClass(Y, 0).map((j) => [key(j), column(X, j)]));
    for (const j of ofClass(Y, 1)) {
      const [x, y] = column(X, j);
      const twin = arm0.get(key(j));
      expect(twin).toBeDefined();
      expect(x).toBeCloseTo(-twin![0], 4);
      expect(y).toBeCloseTo(-twin![1], 4);
    }
    expect(ofClass(Y, 1).some((j) => j < 200)).toBe(true);
  });
});

/** Checks that every tag is closed in order: a cheap stand-in for an XML parser. */
function tagsBalanced(svg: string): boolean {
  const stack: string[] = [];
  for (const [, close, name, selfClose] of svg.matchAll(/<(\/?)([a-zA-Z][\w:-]*)[^>]*?(\/?)>/g)) {
    if (selfClose) continue;
    if (!close) stack.push(name);
    else if (stack.pop() !== name) return false;
  }
  return stack.length === 0;
}

describe('boundarySvg', () => {
  const { X, Y } = flower();
  const step = (grid: Matrix): Float32Array =>
    Float32Array.from({ length: grid.cols }, (_, c) => (grid.data[c] > 0 ? 0.9 : 0.1));

  function render(extra: Partial<Parameters<typeof boundarySvg>[0]> = {}) {
    const grids: Matrix[] = [];
    const svg = boundarySvg({
      X,
      Y,
      predictProba: (grid) => {
        grids.push(grid);
        return step(grid);
      },
      ...extra,
    });
    return { svg, grids };
  }

  it('is a small standalone SVG with one circle per point', () => {
    const { svg } = render({ title: 'flower', subtitle: 'accuracy 90.25% · 10000 iterations' });
    expect(svg.startsWith('<svg')).toBe(true);
    expect(svg.trimEnd().endsWith('</svg>')).toBe(true);
    expect(svg).toContain('xmlns="http://www.w3.org/2000/svg"');
    expect(tagsBalanced(svg)).toBe(true);
    expect(svg.match(/<circle/g)).toHaveLength(400);
    expect(svg.length).toBeLessThan(200_000);
    expect(svg).toContain('class 0');
    expect(svg).toContain('class 1');
    expect(svg).toContain('accuracy 90.25%');
    // coordinates and sizes in attributes have at most 2 decimals
    expect(svg.match(/="[^"]*\d\.\d{3,}/g)).toBeNull();
    // two regions split at x = 0: the heatmap merges into a handful of rects
    expect(svg.match(/<rect/g)!.length).toBeLessThan(20);
  });

  it('calls predictProba once on a (2 × resolution²) grid covering the data', () => {
    for (const resolution of [undefined, 50]) {
      const { grids } = render({ resolution });
      const res = resolution ?? 120;
      expect(grids).toHaveLength(1);
      expect([grids[0].rows, grids[0].cols]).toEqual([2, res * res]);
      for (const row of [0, 1]) {
        const data = Array.from(X.data.subarray(row * 400, (row + 1) * 400));
        const grid = Array.from(grids[0].data.subarray(row * res * res, (row + 1) * res * res));
        expect(Math.min(...grid)).toBeLessThan(Math.min(...data));
        expect(Math.max(...grid)).toBeGreaterThan(Math.max(...data));
      }
    }
  });

  it('escapes the title and subtitle', () => {
    const { svg } = render({ title: 'a <&> b', subtitle: `"q" 'r'` });
    expect(svg).toContain('a &lt;&amp;&gt; b');
    expect(svg).not.toContain('<&>');
    expect(svg).toContain('&quot;q&quot; &#39;r&#39;');
  });

  it('adds a wider cost panel when costs are given', () => {
    const width = (svg: string): number => Number(/<svg[^>]*\swidth="(\d+)"/.exec(svg)![1]);
    const plain = render().svg;
    const costs = Array.from({ length: 10_000 }, (_, i) => 0.7 * Math.exp(-i / 500) + 0.001);
    const { svg } = render({ costs });
    expect(plain).not.toContain('iteration');
    expect(svg).toContain('cost');
    expect(svg).toContain('iteration');
    expect(width(svg)).toBeGreaterThan(width(plain));
    expect(tagsBalanced(svg)).toBe(true);
    // the curve is downsampled to at most 500 points
    const curve = /<path class="curve" d="([^"]*)"/.exec(svg)![1];
    expect(curve.match(/[ML]/g)!.length).toBeLessThanOrEqual(500);
    expect(svg.length).toBeLessThan(200_000);
  });

  it('rejects a predictProba result of the wrong length and malformed inputs', () => {
    expect(() => boundarySvg({ X, Y, predictProba: () => new Float32Array(3) })).toThrow(/predictProba/);
    expect(() => boundarySvg({ X: Y, Y, predictProba: step })).toThrow(/boundarySvg: X must be/);
    expect(() => boundarySvg({ X, Y, predictProba: step, resolution: 1.5 })).toThrow(/resolution/);
  });
});

describe('trainTestSplit', () => {
  // X rows are (j, −j) and Y = j so every column is recognisable after the shuffle
  const m = 50;
  const X = { rows: 2, cols: m, data: Float32Array.from({ length: 2 * m }, (_, i) => (i < m ? i : -(i - m))) };
  const Y = { rows: 1, cols: m, data: Float32Array.from({ length: m }, (_, j) => j) };

  it('splits the columns into round((1 − test)·m) and the rest, each example once, X and Y together', () => {
    const { train, test } = trainTestSplit(X, Y, { test: 0.2, seed: 3 });
    expect([train.X.cols, test.X.cols, train.Y.cols, test.Y.cols]).toEqual([40, 10, 40, 10]);
    const ids = [...train.Y.data, ...test.Y.data];
    expect([...ids].sort((a, b) => a - b)).toEqual(Array.from({ length: m }, (_, j) => j));
    expect(ids).not.toEqual(Array.from({ length: m }, (_, j) => j)); // shuffled
    for (const part of [train, test]) {
      for (let j = 0; j < part.X.cols; j++) {
        const id = part.Y.data[j];
        expect([part.X.data[j], part.X.data[part.X.cols + j]]).toEqual([id, -id]);
      }
    }
  });

  it('the same seed gives the same split; another seed another', () => {
    const a = trainTestSplit(X, Y, { test: 0.3, seed: 5 }), b = trainTestSplit(X, Y, { test: 0.3, seed: 5 });
    const c = trainTestSplit(X, Y, { test: 0.3, seed: 6 });
    expect(Array.from(a.test.Y.data)).toEqual(Array.from(b.test.Y.data));
    expect(Array.from(a.test.Y.data)).not.toEqual(Array.from(c.test.Y.data));
  });

  it.each([
    [{ test: 0 }, /test must be a fraction between 0 and 1.*got 0/],
    [{ test: 1 }, /test must be a fraction between 0 and 1.*got 1/],
    [{ test: 0.001 }, /leaving at least 1 example on each side.*rounds to 0/],
    [{ test: '0.2' }, /test must be .*got "0\.2"/],
    [{ test: 0.2, seed: 1.5 }, /seed/],
  ])('rejects %o with a clear message', (opts, re) => {
    expect(() => trainTestSplit(X, Y, opts as never)).toThrow(re);
  });

  it('rejects Y with another number of columns', () => {
    expect(() => trainTestSplit(X, { rows: 1, cols: 3, data: [0, 1, 0] }, { test: 0.2 })).toThrow(/Y\.cols must be 50 \(the number of examples/);
  });
});

describe('DEFAULT_NOISE', () => {
  it('is the noise each generator uses when none is given', () => {
    for (const name of DATASET_NAMES) {
      const dflt = datasets[name]({ seed: 4 });
      const given = datasets[name]({ seed: 4, noise: DEFAULT_NOISE[name] });
      expect(Array.from(given.X.data)).toEqual(Array.from(dflt.X.data));
    }
  });
});
