// The picture `wasm-mlp train --plot` writes: the cost per epoch on the training rows and, beside
// it on the same axes, on the held-out validation rows, with the epoch whose parameters were kept.
import { costCurvesSvg, type CostSeries } from './plot-cost.js';
import { CLASS_COLORS, escapeXml, FONT, INK, MUTED, type Box } from './svg.js';

export interface TrainingCurves {
  title: string;
  subtitle: string;
  /** the mean training cost of each epoch */
  train: ArrayLike<number>;
  /** the validation cost after each epoch */
  validation?: ArrayLike<number>;
  /** a vertical line at an epoch (from 1): the one early stopping kept, or the lowest validation cost */
  marker?: { epoch: number; label: string };
}

export function trainingCurvesSvg(c: TrainingCurves): string {
  const width = 720, height = 420;
  const box: Box = { left: 0, top: 76, width: 0, height: height - 76 - 52 };
  const series: CostSeries[] = [{ values: c.train, color: CLASS_COLORS[0], label: 'training rows' }];
  if (c.validation) series.push({ values: c.validation, color: CLASS_COLORS[1], label: 'validation rows (held out)', dashed: true });
  const panel = costCurvesSvg(series, 0, width, box, {
    heading: 'cost per epoch', xLabel: 'epoch', first: 1,
    marker: c.marker && { at: c.marker.epoch, label: c.marker.label }, headingY: 64,
  });
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" version="1.1" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="${FONT}" font-size="11">`,
    `<title>${escapeXml(c.title)}</title>`,
    `<rect width="${width}" height="${height}" fill="#ffffff"/>`,
    `<text x="58" y="24" fill="${INK}" font-size="15" font-weight="600">${escapeXml(c.title)}</text>`,
    `<text x="58" y="44" fill="${MUTED}" font-size="12">${escapeXml(c.subtitle)}</text>`,
    panel,
    '</svg>',
  ].join('\n');
}
