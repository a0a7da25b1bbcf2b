// SVG primitives the command line's pictures share: colours, number formatting, escaping, nice
// ticks and a framed plot area with its axes. Every function returns plain SVG 1.1 text.

export const CLASS_COLORS = ['#2563eb', '#ea580c'] as const; // blue = class 0, orange = class 1
export const INK = '#1f2937';
export const MUTED = '#6b7280';
export const FONT = 'Helvetica, Arial, sans-serif';

export interface Box {
  left: number;
  top: number;
  width: number;
  height: number;
}

export interface Tick {
  /** position in px along the axis */
  at: number;
  label: string;
}

/** A number with at most 2 decimals, without trailing zeros (and never "-0"). */
export function n2(v: number): string {
  const r = Math.round(v * 100) / 100;
  return r === 0 ? '0' : String(r);
}

const XML_ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

export function escapeXml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => XML_ENTITIES[c]);
}

/** `hex` blended with white: t = 0 is white, t = 1 is the colour itself. */
export function tint(hex: string, t: number): string {
  const channel = (k: number): string => {
    const c = parseInt(hex.slice(1 + 2 * k, 3 + 2 * k), 16);
    return Math.round(255 + (c - 255) * t).toString(16).padStart(2, '0');
  };
  return `#${channel(0)}${channel(1)}${channel(2)}`;
}

/** "Nice" step (1, 2 or 5 × 10^k) giving about `count` intervals over `span`. */
function niceStep(span: number, count: number): number {
  const raw = span / count;
  const mag = 10 ** Math.floor(Math.log10(raw));
  const f = raw / mag;
  return (f < 1.5 ? 1 : f < 3.5 ? 2 : f < 7.5 ? 5 : 10) * mag;
}

/** Values of nice ticks inside [lo, hi], with the labels they need. */
export function linearTicks(lo: number, hi: number, count: number): { value: number; label: string }[] {
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
export function shortNumber(v: number): string {
  const a = Math.abs(v);
  if (a !== 0 && (a >= 1e4 || a < 1e-3)) return v.toExponential(0).replace('+', '');
  return String(Number(v.toPrecision(3)));
}

/** Frame of a plot area, tick marks and tick labels on the left and bottom edges. */
export function axesSvg(box: Box, xTicks: Tick[], yTicks: Tick[]): string {
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
