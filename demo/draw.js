// Drawing on canvases: the colours, a heat map of values over the plane (or a curve for 1-D data),
// the data points, the loss and accuracy curves. Everything draws in CSS pixels on a backing store
// of device pixels.

/** class colours (class 0 and 1 as TensorFlow Playground's orange and blue) */
export const PALETTE = ['#f59322', '#0877bd', '#2ca02c', '#9467bd', '#d62728', '#17becf', '#8c564b', '#e377c2'];
const RGB = PALETTE.map((h) => [1, 3, 5].map((i) => parseInt(h.slice(i, i + 2), 16)));
const WHITE = [255, 255, 255];
export const INK = '#1f2328';
export const MUTED = '#5f6b76';
export const TEST_COLOUR = '#8250df';

const mix = (a, b, t) => [0, 1, 2].map((k) => Math.round(a[k] + (b[k] - a[k]) * t));
/** −1 → orange, 0 → white, +1 → blue */
export function diverging(t) {
  const c = Math.max(-1, Math.min(1, Number.isFinite(t) ? t : 0));
  return c < 0 ? mix(WHITE, RGB[0], -c) : mix(WHITE, RGB[1], c);
}
export const css = (rgb) => `rgb(${rgb[0]},${rgb[1]},${rgb[2]})`;
export const classColour = (k) => PALETTE[k % PALETTE.length];

/** a canvas whose backing store matches its CSS size in device pixels; returns its 2-D context */
export function context2d(canvas) {
  const dpr = window.devicePixelRatio || 1;
  const w = canvas.clientWidth || canvas.width;
  const h = canvas.clientHeight || canvas.height;
  if (canvas.width !== Math.round(w * dpr) || canvas.height !== Math.round(h * dpr)) {
    canvas.width = Math.round(w * dpr);
    canvas.height = Math.round(h * dpr);
  }
  const ctx = canvas.getContext('2d');
  ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
  return { ctx, w, h };
}

/**
 * Colours of a map of `n` values per row: `values` (rows × n) of one unit, or of K units for a
 * softmax (the argmax's colour, paler the less sure). `kind`: 'signed' (t in [−1, 1] already),
 * 'probability' (a sigmoid: 2p − 1), 'positive' (scaled by its largest |value|), 'classes' (K rows).
 */
export function mapColours(values, count, kind, { discretize = false, scale = 1, K = 1 } = {}) {
  const img = new Uint8ClampedArray(4 * count);
  let top = scale;
  if (kind === 'positive') {
    top = 0;
    for (let i = 0; i < count; i++) top = Math.max(top, Math.abs(values[i]));
    top ||= 1;
  }
  for (let i = 0; i < count; i++) {
    let rgb;
    if (kind === 'classes') {
      let best = 0;
      for (let k = 1; k < K; k++) if (values[k * count + i] > values[best * count + i]) best = k;
      const sure = (values[best * count + i] - 1 / K) / (1 - 1 / K);
      rgb = mix(WHITE, RGB[best % RGB.length], discretize ? 0.6 : 0.78 * Math.max(0, sure));
    } else {
      let t = kind === 'probability' ? 2 * values[i] - 1 : values[i] / top;
      if (discretize) t = kind === 'probability' ? Math.sign(t) * 0.75 : Math.round(t * 4) / 4;
      rgb = diverging(t * 0.85); // never fully saturated: points stay visible on it
    }
    img[4 * i] = rgb[0];
    img[4 * i + 1] = rgb[1];
    img[4 * i + 2] = rgb[2];
    img[4 * i + 3] = 255;
  }
  return img;
}

const scratch = document.createElement('canvas');

/** an n × n colour map stretched over (x, y, w, h) of ctx, smoothed */
export function paintMap(ctx, img, n, x, y, w, h) {
  scratch.width = n;
  scratch.height = n;
  scratch.getContext('2d').putImageData(new ImageData(img, n, n), 0, 0);
  ctx.imageSmoothingEnabled = true;
  ctx.imageSmoothingQuality = 'high';
  ctx.drawImage(scratch, x, y, w, h);
}

/** a curve of `values` (n points evenly across the width), scaled so [lo, hi] fills the height */
export function paintCurve(ctx, values, lo, hi, w, h, colour, width = 2) {
  const n = values.length;
  ctx.beginPath();
  for (let i = 0; i < n; i++) {
    const x = ((i + 0.5) / n) * w;
    const y = h - ((values[i] - lo) / (hi - lo || 1)) * h;
    if (i === 0) ctx.moveTo(x, y);
    else ctx.lineTo(x, y);
  }
  ctx.strokeStyle = colour;
  ctx.lineWidth = width;
  ctx.stroke();
}

/** tick values at a round step over [lo, hi] */
function ticks(lo, hi, count = 5) {
  const raw = (hi - lo) / count;
  const p = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((k) => k * p).find((s) => s >= raw) ?? raw;
  const out = [];
  for (let v = Math.ceil(lo / step) * step; v <= hi + 1e-9; v += step) out.push(Math.abs(v) < 1e-12 ? 0 : v);
  return out;
}

/** light axis ticks along the bottom and left edge, inside the picture */
export function paintAxes(ctx, view, w, h) {
  ctx.font = '10px system-ui, sans-serif';
  ctx.fillStyle = 'rgba(31,35,40,0.55)';
  ctx.textAlign = 'center';
  ctx.textBaseline = 'bottom';
  const fmt = (v) => String(Number(v.toPrecision(3)));
  for (const v of ticks(view.x0, view.x1)) {
    const x = ((v - view.x0) / (view.x1 - view.x0)) * w;
    if (x > 22 && x < w - 12) ctx.fillText(fmt(v), x, h - 2);
  }
  ctx.textAlign = 'left';
  ctx.textBaseline = 'middle';
  for (const v of ticks(view.y0, view.y1)) {
    const y = h - ((v - view.y0) / (view.y1 - view.y0)) * h;
    if (y > 12 && y < h - 14) ctx.fillText(fmt(v), 3, y);
  }
}

/**
 * The data points over the picture: classes in their colours, regression targets on the
 * diverging scale (2-D) or as (x, y) dots (1-D); train points with a light ring, test points
 * with a dark one.
 */
export function paintPoints(ctx, set, { view, dims, classes, targetScale, w, h, test }) {
  const px = (x) => ((x - view.x0) / (view.x1 - view.x0)) * w;
  const py = (y) => ((view.y1 - y) / (view.y1 - view.y0)) * h;
  const r = w < 300 ? 3 : 3.6;
  for (let j = 0; j < set.m; j++) {
    const x = set.X[j];
    const y = dims === 2 ? set.X[set.m + j] : set.Y[j];
    ctx.beginPath();
    ctx.arc(px(x), py(y), r, 0, 2 * Math.PI);
    if (dims === 1) ctx.fillStyle = test ? TEST_COLOUR : INK;
    else if (classes > 0) ctx.fillStyle = classColour(set.Y[j]);
    else ctx.fillStyle = css(diverging(set.Y[j] / targetScale));
    ctx.fill();
    ctx.lineWidth = test ? 1.6 : 1;
    ctx.strokeStyle = test ? INK : dims === 2 && classes === 0 ? 'rgba(31,35,40,0.5)' : '#ffffff';
    ctx.stroke();
  }
}

/**
 * Curves of `series` ([{ values: [[x, y]…], colour, label }]) on one chart: x from 0 to the last
 * step, y from 0 to `top` (or the largest value).
 */
export function paintChart(canvas, series, { title, top, format, xLabel }) {
  const { ctx, w, h } = context2d(canvas);
  ctx.clearRect(0, 0, w, h);
  const pad = { l: 40, r: 8, t: 18, b: 18 };
  const pw = w - pad.l - pad.r, ph = h - pad.t - pad.b;
  let last = 0, high = 0;
  for (const s of series) {
    for (const [x, y] of s.values) {
      last = Math.max(last, x);
      if (Number.isFinite(y)) high = Math.max(high, y);
    }
  }
  const yTop = top ?? (high > 0 ? high * 1.05 : 1);
  ctx.font = '10px system-ui, sans-serif';
  ctx.fillStyle = MUTED;
  ctx.strokeStyle = '#e3e8ee';
  ctx.lineWidth = 1;
  ctx.textAlign = 'right';
  ctx.textBaseline = 'middle';
  for (let i = 0; i <= 4; i++) {
    const y = pad.t + ph - (ph * i) / 4;
    ctx.beginPath();
    ctx.moveTo(pad.l, y);
    ctx.lineTo(pad.l + pw, y);
    ctx.stroke();
    ctx.fillText(format((yTop * i) / 4), pad.l - 4, y);
  }
  ctx.textAlign = 'left';
  ctx.textBaseline = 'alphabetic';
  ctx.font = '11px system-ui, sans-serif';
  ctx.fillStyle = INK;
  ctx.fillText(title, 2, 11);
  ctx.fillStyle = MUTED;
  ctx.textAlign = 'right';
  ctx.fillText(`${last.toLocaleString('en-US')} ${xLabel}`, pad.l + pw, h - 4);
  let legendX = pad.l + pw;
  for (const s of [...series].reverse()) {
    ctx.fillStyle = s.colour;
    ctx.fillText(`— ${s.label}`, legendX, 11);
    legendX -= ctx.measureText(`— ${s.label}`).width + 10;
  }
  for (const s of series) {
    ctx.beginPath();
    let started = false;
    for (const [x, y] of s.values) {
      if (!Number.isFinite(y)) continue;
      const cx = pad.l + (last > 0 ? (x / last) * pw : 0);
      const cy = pad.t + ph - (Math.min(y, yTop) / yTop) * ph;
      if (started) ctx.lineTo(cx, cy);
      else ctx.moveTo(cx, cy);
      started = true;
    }
    ctx.strokeStyle = s.colour;
    ctx.lineWidth = 1.8;
    ctx.stroke();
  }
}
