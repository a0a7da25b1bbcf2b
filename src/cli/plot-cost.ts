// The cost-curve panel of the boundary picture: the cost per iteration, on a log axis when the
// costs span a factor 10 or more, at most MAX_COST_POINTS points.
import { axesSvg, CLASS_COLORS, INK, linearTicks, n2, shortNumber, type Box } from './svg.js';

const MAX_COST_POINTS = 500;

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
export function costPanelSvg(costs: ArrayLike<number>, offset: number, width: number, box: Box): string {
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
