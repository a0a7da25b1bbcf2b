// The cost-curve panel of the boundary picture: the cost per iteration, on a log axis when the
// costs span a factor 10 or more, at most MAX_COST_POINTS points.
import { axesSvg, CLASS_COLORS, escapeXml, INK, linearTicks, MUTED, n2, shortNumber, type Box } from './svg.js';

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

/** One curve of a cost panel. */
export interface CostSeries {
  /** the cost at each x = 0, 1, 2, … (the iteration, or the epoch − 1) */
  values: ArrayLike<number>;
  color: string;
  /** its name in the legend (a panel with one curve has no legend) */
  label?: string;
  dashed?: boolean;
}

export interface CostPanelLabels {
  /** the heading above the plot (default "cost per iteration") */
  heading?: string;
  /** the x axis' name (default "iteration") */
  xLabel?: string;
  /** the first x value's label (default 0; epochs count from 1) */
  first?: number;
  /** a vertical line at this x, with its label (e.g. the epoch whose parameters were kept) */
  marker?: { at: number; label: string };
  /** the heading's baseline (default 24, the title's line of the boundary picture) */
  headingY?: number;
}

/**
 * The cost-curve panel, `width` px wide, placed at x = `offset`, its plot area level with `box`;
 * its heading sits on the title's line.
 */
export function costPanelSvg(costs: ArrayLike<number>, offset: number, width: number, box: Box): string {
  return costCurvesSvg([{ values: costs, color: CLASS_COLORS[0] }], offset, width, box, {});
}

/** The cost panel with one or more curves on one axis (e.g. training and held-out cost per epoch). */
export function costCurvesSvg(series: readonly CostSeries[], offset: number, width: number, box: Box, labels: CostPanelLabels): string {
  const n = Math.max(...series.map((c) => c.values.length));
  const idx = sampleIndices(n, MAX_COST_POINTS);
  const sampled = series.map((c) => idx.filter((i) => i < c.values.length).map((i) => ({ i, v: Number(c.values[i]) })));
  const scale = costScale(sampled.flat().map((p) => p.v));
  const panel: Box = { left: offset + 58, top: box.top, width: width - 58 - 18, height: box.height };
  const f = (v: number): number => (scale.log ? Math.log10(v) : v);
  const py = (v: number): number =>
    panel.top + panel.height * (1 - (f(v) - f(scale.lo)) / (f(scale.hi) - f(scale.lo) || 1));
  const span = Math.max(n - 1, 1);
  const first = labels.first ?? 0;
  const px = (i: number): number => panel.left + (i / span) * panel.width;
  const curves = sampled.map((points, c) => {
    let d = '';
    let pen = false;
    for (const { i, v } of points) {
      const ok = Number.isFinite(v) && (!scale.log || v > 0);
      if (ok) d += `${pen ? 'L' : 'M'}${n2(px(i))} ${n2(py(v))}`;
      pen = ok;
    }
    const dash = series[c].dashed ? ' stroke-dasharray="5 3"' : '';
    return d ? `<path class="curve" d="${d}" fill="none" stroke="${series[c].color}" stroke-width="1.5" stroke-linejoin="round"${dash}/>` : '';
  });
  const xTicks = linearTicks(first, span + first, 4).map((t) => ({ at: px(t.value - first), label: t.label }));
  const yTicks = scale.ticks.map((t) => ({ at: py(t.value), label: t.label }));
  const midY = panel.top + panel.height / 2;
  // the legend on the heading's line, right-aligned, so that it never covers a curve
  const legend = series.length > 1
    ? series.map((c, k) => {
      const y = labels.headingY ?? 24, x = panel.left + panel.width - 180 * (series.length - k);
      return `<path d="M${n2(x)} ${n2(y - 4)}h18" stroke="${c.color}" stroke-width="2"${c.dashed ? ' stroke-dasharray="5 3"' : ''}/>` +
        `<text x="${n2(x + 24)}" y="${n2(y)}" fill="${INK}">${escapeXml(c.label ?? '')}</text>`;
    })
    : [];
  let marker = '';
  if (labels.marker) {
    const x = px(labels.marker.at - first);
    // the label on the side with room: left of the line in the right third of the panel
    const right = x > panel.left + panel.width * 0.66;
    marker = `<path class="marker" d="M${n2(x)} ${n2(panel.top)}V${n2(panel.top + panel.height)}" stroke="${MUTED}" stroke-dasharray="2 3"/>` +
      `<text x="${n2(right ? x - 4 : x + 4)}" y="${n2(panel.top + panel.height - 6)}" fill="${MUTED}"${right ? ' text-anchor="end"' : ''}>${escapeXml(labels.marker.label)}</text>`;
  }
  return [
    `<g class="cost">`,
    `<text x="${n2(panel.left)}" y="${labels.headingY ?? 24}" fill="${INK}" font-size="12" font-weight="600">${escapeXml(labels.heading ?? 'cost per iteration')}${scale.log ? ' (log scale)' : ''}</text>`,
    axesSvg(panel, xTicks, yTicks),
    ...curves.filter(Boolean),
    marker,
    ...legend,
    `<text x="${n2(panel.left + panel.width / 2)}" y="${n2(panel.top + panel.height + 34)}" fill="${INK}" text-anchor="middle">${escapeXml(labels.xLabel ?? 'iteration')}</text>`,
    `<text x="${n2(offset + 14)}" y="${n2(midY)}" fill="${INK}" text-anchor="middle" transform="rotate(-90 ${n2(offset + 14)} ${n2(midY)})">cost</text>`,
    '</g>',
  ].filter(Boolean).join('\n');
}
