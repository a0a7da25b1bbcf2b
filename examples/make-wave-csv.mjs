// Writes examples/wave.csv: a small, noisy regression set that a wide network overfits when it
// trains too long — y = sin(3·x1) + x2/2 + uniform noise in [−0.6, 0.6], with x1 … x6 uniform in
// [−1, 1] (x3 … x6 carry nothing), 400 rows, from a fixed linear congruential generator.
// Run with: node examples/make-wave-csv.mjs
import { writeFileSync } from 'node:fs';

let state = 20260101;
/** uniform in [0, 1): the 31-bit LCG of many C libraries, enough for example data */
const uniform = () => (state = (state * 1103515245 + 12345) % 2147483648) / 2147483648;

const rows = ['x1,x2,x3,x4,x5,x6,y'];
for (let j = 0; j < 400; j++) {
  const x = Array.from({ length: 6 }, () => uniform() * 2 - 1);
  const y = Math.sin(3 * x[0]) + x[1] / 2 + (uniform() - 0.5) * 1.2;
  rows.push([...x, y].map((v) => v.toFixed(4)).join(','));
}
writeFileSync(new URL('./wave.csv', import.meta.url), rows.join('\n') + '\n');
