/**
 * Standalone SVG pictures of a 2-D binary classifier: the decision boundary (a heatmap of
 * P(class 1) over a grid, its 0.5 contour and the data points) and, optionally, the cost curve.
 * No dependencies; the output is a plain SVG 1.1 string.
 */

import type { Matrix } from '../util/matrix.js';
import { fail as failArg } from '../util/validate.js';

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

const CLASS_COLORS = ['#2563eb', '#ea580c'] as const; // blue = class 0, orange = class 1
const INK = '#1f2937';
const MUTED = '#6b7280';
const NAN_FILL = '#d1d5db';
/** confidence levels per class: 2 × LEVELS heatmap buckets in all */
const LEVELS = 4;
const FONT = 'Helvetica, Arial, sans-serif';
const MAX_COST_POINTS = 500;

interface Box {
  left: number;
  top: number;
  width: number;
  height: number;
}

interface Domain {
  x0: number;
  x1: number;
  y0: number;
  y1: number;
}

interface Tick {
  /** position in px along the axis */
  at: number;
  label: string;
}

/** A number with at most 2 decimals, without trailing zeros (and never "-0"). */
function n2(v: number): string {
  const r = Math.round(v * 100) / 100;
  return r === 0 ? '0' : String(r);
}

const XML_ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

function escapeXml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => XML_ENTITIES[c]);
}

/** `hex` blended with white: t = 0 is white, t = 1 is the colour itself. */
function tint(hex: string, t: number): string {
  const channel = (k: number): string => {
    const c = parseInt(hex.slice(1 + 2 * k, 3 + 2 * k), 16);
    return Math.round(255 + (c - 255) * t).toString(16).padStart(2, '0');
  };
  return `#${channel(0)}${channel(1)}${channel(2)}`;
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

/** "Nice" step (1, 2 or 5 × 10^k) giving about `count` intervals over `span`. */
function niceStep(span: number, count: number): number {
  const raw = span / count;
  const mag = 10 ** Math.floor(Math.log10(raw));
  const f = raw / mag;
  return (f < 1.5 ? 1 : f < 3.5 ? 2 : f < 7.5 ? 5 : 10) * mag;
}

/** Values of nice ticks inside [lo, hi], with the labels they need. */
function linearTicks(lo: number, hi: number, count: number): { value: number; label: string }[] {
  const step = niceStep(hi - lo, count);
  const decimals = Math.max(0, Math.ceil(-Math.log10(step) - 1e-9));
  const out: { value: number; label: string }[] = [];
  for (let v = Math.ceil(lo / step) * step; v <= hi + step * 1e-9; v += step) {
    const value = Math.abs(v) < step * 1e-9 ? 0 : v;
    out.push({ value, label: value.toFixed(decimals) });
  }
  return out;
}

/** Short label for a cost value: "0.693", "12.5", "1e-4". */
function shortNumber(v: number): string {
  const a = Math.abs(v);
  if (a !== 0 && (a >= 1e4 || a < 1e-3)) return v.toExponential(0).replace('+', '');
  return String(Number(v.toPrecision(3)));
}

/** Frame of a plot area, tick marks and tick labels on the left and bottom edges. */
function axesSvg(box: Box, xTicks: Tick[], yTicks: Tick[]): string {
  const bottom = box.top + box.height;
  const marks = [
    ...xTicks.map((t) => `M${n2(t.at)} ${n2(bottom)}v4`),
    ...yTicks.map((t) => `M${n2(box.left)} ${n2(t.at)}h-4`),
  ].join('');
  const xLabels = xTicks.map((t) => `<text x="${n2(t.at)}" y="${n2(bottom + 16)}">${escapeXml(t.label)}</text>`);
  const yLabels = yTicks.map((t) => `<text x="${n2(box.left - 7)}" y="${n2(t.at + 3.5)}">${escapeXml(t.label)}</text>`);
  return [
    `<rect x="${n2(box.left)}" y="${n2(box.top)}" width="${n2(box.width)}" height="${n2(box.height)}" fill="none" stroke="${INK}"/>`,
    marks ? `<path d="${marks}" stroke="${INK}"/>` : '',
    `<g fill="${INK}" text-anchor="middle">${xLabels.join('')}</g>`,
    `<g fill="${INK}" text-anchor="end">${yLabels.join('')}</g>`,
  ].join('\n');
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

/** Evenly spaced indices into [0, n), at most `max` of them, first and last included. */
function sampleIndices(n: number, max: number): number[] {
  if (n <= max) return Array.from({ length: n }, (_, i) => i);
  return Array.from({ length: max }, (_, k) => Math.round((k * (n - 1)) / (max - 1)));
}

/** Cost axis: logarithmic when every cost is positive and they span at least a factor 10. */
function costScale(values: number[]): { log: boolean; lo: number; hi: number; ticks: { value: number; label: string }[] } {
  const finite = values.filter(Number.isFinite);
  let lo = finite.length ? Math.min(...finite) : 0;
  let hi = finite.length ? Math.max(...finite) : 1;
  if (lo > 0 && hi / lo >= 10) {
    const candidates: number[] = [];
    for (let e = Math.floor(Math.log10(lo)) - 1; e <= Math.ceil(Math.log10(hi)); e++) {
      for (const f of [1, 2, 5]) candidates.push(f * 10 ** e);
    }
    // widen to the nearest 1-2-5 values so both ends of the axis carry a label
    lo = Math.max(...candidates.filter((c) => c <= lo * (1 + 1e-9)));
    hi = Math.min(...candidates.filter((c) => c >= hi * (1 - 1e-9)));
    const inside = candidates.filter((c) => c >= lo * (1 - 1e-9) && c <= hi * (1 + 1e-9));
    const powers = inside.filter((c) => Math.abs(Math.log10(c) - Math.round(Math.log10(c))) < 1e-9);
    const thin = powers.length >= 3 ? powers.filter((_, i) => i % Math.ceil(powers.length / 6) === 0) : inside;
    return { log: true, lo, hi, ticks: thin.map((value) => ({ value, label: shortNumber(value) })) };
  }
  if (hi === lo) {
    const pad = Math.abs(hi) * 0.1 || 1;
    lo -= pad;
    hi += pad;
  } else {
    const pad = 0.05 * (hi - lo);
    lo = Math.max(lo >= 0 ? 0 : -Infinity, lo - pad);
    hi += pad;
  }
  return { log: false, lo, hi, ticks: linearTicks(lo, hi, 5) };
}

/**
 * The cost-curve panel, `width` px wide, placed at x = `offset`, its plot area level with `box`;
 * its heading sits on the title's line.
 */
function costPanelSvg(costs: ArrayLike<number>, offset: number, width: number, box: Box): string {
  const n = costs.length;
  const idx = sampleIndices(n, MAX_COST_POINTS);
  const values = idx.map((i) => Number(costs[i]));
  const scale = costScale(values);
  const panel: Box = { left: offset + 58, top: box.top, width: width - 58 - 18, height: box.height };
  const f = (v: number): number => (scale.log ? Math.log10(v) : v);
  const py = (v: number): number =>
    panel.top + panel.height * (1 - (f(v) - f(scale.lo)) / (f(scale.hi) - f(scale.lo) || 1));
  const span = Math.max(n - 1, 1);
  const px = (i: number): number => panel.left + (i / span) * panel.width;
  let d = '';
  let pen = false;
  idx.forEach((i, k) => {
    const v = values[k];
    const ok = Number.isFinite(v) && (!scale.log || v > 0);
    if (ok) d += `${pen ? 'L' : 'M'}${n2(px(i))} ${n2(py(v))}`;
    pen = ok;
  });
  const xTicks = linearTicks(0, span, 4).map((t) => ({ at: px(t.value), label: t.label }));
  const yTicks = scale.ticks.map((t) => ({ at: py(t.value), label: t.label }));
  const midY = panel.top + panel.height / 2;
  return [
    `<g class="cost">`,
    `<text x="${n2(panel.left)}" y="24" fill="${INK}" font-size="12" font-weight="600">cost per iteration${scale.log ? ' (log scale)' : ''}</text>`,
    axesSvg(panel, xTicks, yTicks),
    d ? `<path class="curve" d="${d}" fill="none" stroke="${CLASS_COLORS[0]}" stroke-width="1.5" stroke-linejoin="round"/>` : '',
    `<text x="${n2(panel.left + panel.width / 2)}" y="${n2(panel.top + panel.height + 34)}" fill="${INK}" text-anchor="middle">iteration</text>`,
    `<text x="${n2(offset + 14)}" y="${n2(midY)}" fill="${INK}" text-anchor="middle" transform="rotate(-90 ${n2(offset + 14)} ${n2(midY)})">cost</text>`,
    '</g>',
  ].join('\n');
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
