// Writes examples/flower.csv: the course's planar "flower" (datasets.flower, m = 400, seed 1) as a
// CSV a user might have, one row per example, with the class as a colour name (0 red, 1 blue);
// and examples/flower-new.csv, another 400 points of the same flower (seed 2), to try a trained
// model on rows it has never seen.
// Run after `npm run build`: node examples/make-flower-csv.mjs
import { writeFileSync } from 'node:fs';
import { datasets } from '../dist/index.js';

for (const [file, seed] of [['flower.csv', 1], ['flower-new.csv', 2]]) {
  const { X, Y } = datasets.flower({ m: 400, seed });
  const m = X.cols;
  const rows = ['x1,x2,colour'];
  for (let j = 0; j < m; j++) {
    // 6 significant digits: plenty for a 2-D toy set, and a file a person can read
    rows.push(`${Number(X.data[j].toPrecision(6))},${Number(X.data[m + j].toPrecision(6))},${Y.data[j] ? 'blue' : 'red'}`);
  }
  writeFileSync(new URL(`./${file}`, import.meta.url), rows.join('\n') + '\n');
}
