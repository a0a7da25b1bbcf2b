/**
 * Standalone SVG pictures of a 2-D binary classifier: the decision boundary (a heatmap of
 * P(class 1) over a grid, its 0.5 contour and the data points) and, optionally, the cost curve.
 * No dependencies; the output is a plain SVG 1.1 string.
 */

import type { Matrix } from '../util/matrix.js';
import { fail as failArg } from '../util/validate.js';
import { costPanelSvg } from './plot-cost.js';
import { axesSvg, CLASS_COLORS, escapeXml, FONT, INK, linearTicks, MUTED, n2, tint, type Box } from './svg.js';

export interface BoundaryPlotOptions {
  /** (2 × m) points, one column per example */
  X: Matrix;
  /** (1 × m) 0/1 labels */
  Y: Matrix;
  /** returns P(class 1) for each column of a (2 × k) grid matrix, as a Float32Array of length k */
  predictProba: (grid: Matrix) => Float32Array;
  /** shown at the top */
  title?: string;
  /** second line under the title, e.g. "accuracy 90.25% · 10000 iterations" */
  subtitle?: string;
  /** cost per iteration: drawn as a cost-curve panel to the right of the boundary */
  costs?: ArrayLike<number>;
  /** grid cells per axis; default 120 */
  resolution?: number;
  /** size of the boundary panel in px; default 480 × 480 */
  width?: number;
  height?: number;
}

const NAN_FILL = '#d1d5db';
/** confidence levels per class: 2 × LEVELS heatmap buckets in all */
const LEVELS = 4;

interface Domain {
  x0: number;
  x1: number;
  y0: number;
  y1: number;
}

/** Heatmap bucket of a probability: 0..LEVELS-1 for class 0 (most confident first), LEVELS..2·LEVELS-1 for class 1, 2·LEVELS for NaN. */
function bucketOf(p: number): number {
  if (Number.isNaN(p)) return 2 * LEVELS;
  return Math.min(2 * LEVELS - 1, Math.max(0, Math.floor(p * 2 * LEVELS)));
}

/** Fill colour of each bucket: paler the closer the bucket is to p = 0.5. */
const BUCKET_FILLS: readonly string[] = [
  ...Array.from({ length: 2 * LEVELS }, (_, b) => {
    const cls = b < LEVELS ? 0 : 1;
    const confidence = cls === 0 ? LEVELS - 1 - b : b - LEVELS; // 0 = least confident
    return tint(CLASS_COLORS[cls], 0.1 + (0.36 * confidence) / (LEVELS - 1));
  }),
  NAN_FILL,
];

function fail(what: string, expected: string, got: unknown): never {
  return failArg('boundarySvg', what, expected, got);
}

function checkSize(name: string, v: number | undefined, fallback: number, min: number, max: number): number {
  const x = v ?? fallback;
  if (typeof x !== 'number' || !Number.isInteger(x) || x < min || x > max) {
    fail(name, `an integer in [${min}, ${max}]`, x);
  }
  return x;
}

function checkData(X: Matrix, Y: Matrix): void {
  if (!X || X.rows !== 2 || X.data.length !== 2 * X.cols) fail('X', 'a (2 × m) matrix', X && `(${X.rows} × ${X.cols})`);
  if (!Y || Y.rows !== 1 || Y.cols !== X.cols) fail('Y', `a (1 × ${X.cols}) matrix like X`, Y && `(${Y.rows} × ${Y.cols})`);
}

/** Bounding box of the points plus a 10% margin on every side (±1 around a single value). */
function domainOf(X: Matrix): Domain {
  const m = X.cols;
  const range = (row: number): [number, number] => {
    let lo = Infinity;
    let hi = -Infinity;
    for (let j = 0; j < m; j++) {
      const v = X.data[row * m + j];
      if (Number.isFinite(v)) {
        lo = Math.min(lo, v);
        hi = Math.max(hi, v);
      }
    }
    if (lo > hi) return [-1, 1];
    const pad = hi > lo ? 0.1 * (hi - lo) : 1;
    return [lo - pad, hi + pad];
  };
  const [x0, x1] = range(0);
  const [y0, y1] = range(1);
  return { x0, x1, y0, y1 };
}

/**
 * The (2 × res²) matrix of grid-cell centres: column k·res + i is cell i (left to right) of
 * row k (top to bottom, i.e. from the largest y down).
 */
function gridMatrix(d: Domain, res: number): Matrix {
  const data = new Float32Array(2 * res * res);
  const n = res * res;
  for (let k = 0; k < res; k++) {
    const y = d.y1 - ((k + 0.5) * (d.y1 - d.y0)) / res;
    for (let i = 0; i < res; i++) {
      data[k * res + i] = d.x0 + ((i + 0.5) * (d.x1 - d.x0)) / res;
      data[n + k * res + i] = y;
    }
  }
  return { rows: 2, cols: n, data };
}

/**
 * The heatmap in grid units (one unit per cell, scaled into the plot box): the most common
 * bucket as one background rect, then runs of equal cells merged along rows, and identical
 * runs in consecutive rows merged into taller rects; one <g> per fill colour.
 */
function heatmapSvg(buckets: Uint8Array, res: number, box: Box): string {
  const counts = new Array<number>(BUCKET_FILLS.length).fill(0);
  for (const b of buckets) counts[b]++;
  const background = counts.indexOf(Math.max(...counts));
  type Run = { x: number; y: number; w: number; h: number; b: number };
  const runs: Run[] = [];
  let above = new Map<string, Run>();
  for (let k = 0; k < res; k++) {
    const here = new Map<string, Run>();
    for (let i = 0; i < res; ) {
      const b = buckets[k * res + i];
      let e = i + 1;
      while (e < res && buckets[k * res + e] === b) e++;
      if (b !== background) {
        const key = `${i},${e},${b}`;
        let run = above.get(key);
        if (run) run.h++;
        else runs.push((run = { x: i, y: k, w: e - i, h: 1, b }));
        here.set(key, run);
      }
      i = e;
    }
    above = here;
  }
  const groups = BUCKET_FILLS.map((fill, b) => {
    const rects = runs
      .filter((r) => r.b === b)
      .map((r) => `<rect x="${r.x}" y="${r.y}" width="${r.w}" height="${r.h}"/>`);
    return rects.length ? `<g fill="${fill}">${rects.join('')}</g>` : '';
  });
  const scale = `translate(${n2(box.left)} ${n2(box.top)}) scale(${n2(box.width / res)} ${n2(box.height / res)})`;
  return [
    `<g transform="${scale}" shape-rendering="crispEdges">`,
    `<rect width="${res}" height="${res}" fill="${BUCKET_FILLS[background]}"/>`,
    ...groups.filter(Boolean),
    '</g>',
  ].join('\n');
}

/**
 * The p = 0.5 contour by marching squares over the cell centres, chained into polylines.
 * Crossings are identified by the grid edge they lie on, so neighbouring squares share them.
 */
function contourSvg(proba: ArrayLike<number>, res: number, box: Box): string {
  const cw = box.width / res;
  const ch = box.height / res;
  const v = (i: number, k: number): number => proba[k * res + i] - 0.5;
  const points = new Map<number, string>();
  /** crossing on the edge from centre (i, k) to its right (dir 0) or lower (dir 1) neighbour */
  const crossing = (i: number, k: number, dir: 0 | 1): number => {
    const key = (dir * res + k) * res + i;
    if (!points.has(key)) {
      const a = v(i, k);
      const b = dir === 0 ? v(i + 1, k) : v(i, k + 1);
      const t = a / (a - b);
      const x = box.left + (i + 0.5 + (dir === 0 ? t : 0)) * cw;
      const y = box.top + (k + 0.5 + (dir === 1 ? t : 0)) * ch;
      points.set(key, `${n2(x)} ${n2(y)}`);
    }
    return key;
  };
  const segments: [number, number][] = [];
  for (let k = 0; k + 1 < res; k++) {
    for (let i = 0; i + 1 < res; i++) {
      const c = [v(i, k), v(i + 1, k), v(i + 1, k + 1), v(i, k + 1)]; // TL, TR, BR, BL
      if (c.some(Number.isNaN)) continue;
      const s = c.map((x) => x > 0);
      const edges: number[] = [];
      if (s[0] !== s[1]) edges.push(crossing(i, k, 0)); // top
      if (s[1] !== s[2]) edges.push(crossing(i + 1, k, 1)); // right
      if (s[3] !== s[2]) edges.push(crossing(i, k + 1, 0)); // bottom
      if (s[0] !== s[3]) edges.push(crossing(i, k, 1)); // left
      if (edges.length === 2) segments.push([edges[0], edges[1]]);
      else if (edges.length === 4) {
        const centreLikeTopLeft = c[0] + c[1] + c[2] + c[3] > 0 === s[0];
        const [top, right, bottom, left] = edges;
        if (centreLikeTopLeft) segments.push([top, right], [bottom, left]);
        else segments.push([left, top], [right, bottom]);
      }
    }
  }
  const polylines = chain(segments).map((keys) => `M${keys.map((key) => points.get(key)).join('L')}`);
  if (polylines.length === 0) return '';
  return `<path d="${polylines.join('')}" fill="none" stroke="${INK}" stroke-width="1.5" stroke-opacity="0.75" stroke-linejoin="round"/>`;
}

/** Joins segments that share endpoints into polylines (lists of endpoint keys). */
function chain(segments: [number, number][]): number[][] {
  const at = new Map<number, number[]>();
  segments.forEach(([a, b], s) => {
    for (const key of [a, b]) {
      const list = at.get(key);
      if (list) list.push(s);
      else at.set(key, [s]);
    }
  });
  const used = new Uint8Array(segments.length);
  const extend = (line: number[]): void => {
    for (;;) {
      const end = line[line.length - 1];
      const next = (at.get(end) ?? []).find((s) => !used[s]);
      if (next === undefined) return;
      used[next] = 1;
      const [a, b] = segments[next];
      line.push(a === end ? b : a);
    }
  };
  const lines: number[][] = [];
  segments.forEach(([a, b], s) => {
    if (used[s]) return;
    used[s] = 1;
    const forward = [a, b];
    extend(forward);
    const backward = [a];
    extend(backward);
    lines.push([...backward.reverse(), ...forward.slice(1)]);
  });
  return lines;
}

/** The data points as circles, one group per class. */
function pointsSvg(X: Matrix, Y: Matrix, sx: (x: number) => number, sy: (y: number) => number): string {
  const m = X.cols;
  const r = n2(Math.min(4, Math.max(1.5, 3.5 * Math.sqrt(400 / Math.max(m, 1)))));
  const byClass: string[][] = [[], []];
  for (let j = 0; j < m; j++) {
    const x = X.data[j];
    const y = X.data[m + j];
    if (!Number.isFinite(x) || !Number.isFinite(y)) continue;
    byClass[Y.data[j] >= 0.5 ? 1 : 0].push(`<circle cx="${n2(sx(x))}" cy="${n2(sy(y))}" r="${r}"/>`);
  }
  return byClass
    .map((circles, c) => `<g fill="${CLASS_COLORS[c]}" stroke="${INK}" stroke-width="0.8">${circles.join('')}</g>`)
    .join('\n');
}

/** Legend swatches are squares, so the only circles in the picture are the data points. */
function legendSvg(x: number, y: number): string {
  return [0, 1]
    .map((c) => {
      const left = x + c * 80;
      return (
        `<rect x="${n2(left + 1)}" y="${n2(y - 9)}" width="9" height="9" rx="2" fill="${CLASS_COLORS[c]}" stroke="${INK}" stroke-width="0.8"/>` +
        `<text x="${n2(left + 15)}" y="${n2(y)}" fill="${INK}">class ${c}</text>`
      );
    })
    .join('');
}

/**
 * An SVG picture of a 2-D binary classifier: P(class 1) as a heatmap over the data's bounding
 * box (+10%), the p = 0.5 contour, the points coloured by label, axes, title, legend, and the
 * cost curve to the right when `costs` is given. `predictProba` is called exactly once.
 */
export function boundarySvg(opts: BoundaryPlotOptions): string {
  const { X, Y, predictProba, title, subtitle, costs } = opts;
  checkData(X, Y);
  if (typeof predictProba !== 'function') fail('predictProba', 'a function', predictProba);
  const res = checkSize('resolution', opts.resolution, 120, 2, 1000);
  const width = checkSize('width', opts.width, 480, 160, 10000);
  const height = checkSize('height', opts.height, 480, 160, 10000);

  const hasCosts = costs !== undefined && costs.length > 0;
  const top = 16 + (title || hasCosts ? 22 : 0) + (subtitle ? 18 : 0);
  // whole multiples of 0.01 px per cell, so the scaled heatmap lands exactly on the plot box
  const cw = Math.floor(((width - 52 - 14) / res) * 100) / 100;
  const ch = Math.floor(((height - top - 52) / res) * 100) / 100;
  const box: Box = { left: 52, top, width: cw * res, height: ch * res };

  const domain = domainOf(X);
  const proba = predictProba(gridMatrix(domain, res));
  if (!proba || proba.length !== res * res) {
    fail('the result of predictProba', `an array of ${res * res} probabilities (one per grid column)`, proba && `length ${proba.length}`);
  }
  const buckets = Uint8Array.from({ length: res * res }, (_, c) => bucketOf(proba[c]));

  const sx = (v: number): number => box.left + ((v - domain.x0) / (domain.x1 - domain.x0)) * box.width;
  const sy = (v: number): number => box.top + ((domain.y1 - v) / (domain.y1 - domain.y0)) * box.height;
  const xTicks = linearTicks(domain.x0, domain.x1, 5).map((t) => ({ at: sx(t.value), label: t.label }));
  const yTicks = linearTicks(domain.y0, domain.y1, 5).map((t) => ({ at: sy(t.value), label: t.label }));

  const costWidth = hasCosts ? Math.max(240, Math.round(width * 0.75)) : 0;
  const total = width + costWidth;
  const text: string[] = [];
  if (title) text.push(`<text x="${box.left}" y="24" fill="${INK}" font-size="15" font-weight="600">${escapeXml(title)}</text>`);
  if (subtitle) {
    text.push(`<text x="${box.left}" y="${title ? 44 : 24}" fill="${MUTED}" font-size="12">${escapeXml(subtitle)}</text>`);
  }

  return [
    `<svg xmlns="http://www.w3.org/2000/svg" version="1.1" width="${total}" height="${height}" viewBox="0 0 ${total} ${height}" font-family="${FONT}" font-size="11">`,
    title ? `<title>${escapeXml(title)}</title>` : '',
    `<rect width="${total}" height="${height}" fill="#ffffff"/>`,
    heatmapSvg(buckets, res, box),
    contourSvg(proba, res, box),
    axesSvg(box, xTicks, yTicks),
    pointsSvg(X, Y, sx, sy),
    ...text,
    legendSvg(box.left, box.top + box.height + 40),
    hasCosts ? costPanelSvg(costs, width, costWidth, box) : '',
    '</svg>',
  ]
    .filter(Boolean)
    .join('\n');
}
