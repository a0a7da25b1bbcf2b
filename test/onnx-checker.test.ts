/**
 * toONNX against a second, independent reader: the onnx package itself (Debian's python3-onnx,
 * run by /usr/bin/python3; .ci/run installs it). Its checker's full check and its strict shape
 * inference must accept every exported file, and a float64 evaluation of the graph written from
 * the ONNX operator definitions (test/fixtures/onnx_check.py, numpy, not ONNX Runtime) must give
 * net.predictProba's outputs, within the float32 rounding test/support/tolerance.ts allows.
 * (test/export-onnx.test.ts runs the same cover on ONNX Runtime.)
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { toONNX, ONNX_OPSET } from '../src/export.js';
import { HIDDEN, OUTPUTS, archOf, randomNetwork, randomRows, type Arch } from './support/export-nets.js';
import { compareWithNetwork } from './support/tolerance.js';
import type { Network } from '../src/index.js';

const PYTHON = '/usr/bin/python3';
const script = path.join(path.dirname(new URL(import.meta.url).pathname), 'fixtures', 'onnx_check.py');
const M = 23; // examples per model

interface Result { file: string; opset: number[]; elemType: number; dims: (string | number)[]; ops: string[]; shape: number[]; y: number[] }

/** depth 1 for each output, then every hidden × output at depths 2 and 4, widths 3 and 17 */
function architectures(): Arch[] {
  const out: Arch[] = OUTPUTS.map((o) => archOf(1, 3, HIDDEN[0], o));
  for (const output of OUTPUTS) for (const hidden of HIDDEN) for (const [depth, width] of [[2, 17], [4, 3]]) out.push(archOf(depth, width, hidden, output));
  return out;
}

let dir = '';
let nets: { net: Network; x: Float32Array; label: string }[] = [];
let report: { onnx: string; results: Result[] };

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'wasm-mlp-onnx-check-'));
  const cases = [];
  let i = 0;
  for (const arch of architectures()) {
    const net = await randomNetwork(arch, 'wasm', 100 + i);
    const x = randomRows(M, arch.layers[0], 200 + i);
    const file = `model-${i}.onnx`;
    writeFileSync(path.join(dir, file), toONNX(net));
    cases.push({ file, m: M, nx: arch.layers[0], x: Array.from(x) });
    nets.push({ net, x, label: `[${arch.layers.join(', ')}] ${arch.activations.join('/')}` });
    i++;
  }
  writeFileSync(path.join(dir, 'cases.json'), JSON.stringify(cases));
  const r = spawnSync(PYTHON, [script, dir], { encoding: 'utf8', timeout: 120_000, maxBuffer: 64 << 20 });
  if (r.status !== 0) throw new Error(`${PYTHON} ${script} failed (status ${r.status}; needs Debian's python3-onnx): ${r.stderr || r.error?.message}`);
  report = JSON.parse(r.stdout);
}, 180_000);

afterAll(() => {
  for (const { net } of nets) net.dispose();
  nets = [];
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe("the onnx package's checker and a float64 evaluation of the graph", () => {
  it('reads every model: full check, strict shape inference, the opset and output declared as written', () => {
    expect(report.onnx).toMatch(/^\d+\.\d+/);
    expect(report.results).toHaveLength(nets.length);
    for (const [i, r] of report.results.entries()) {
      const { net, label } = nets[i];
      expect(r.opset, label).toEqual([ONNX_OPSET]);
      expect(r.elemType, `${label}: float32 output`).toBe(1);
      expect(r.dims, label).toEqual(['N', net.layers[net.layers.length - 1]]);
      // one Gemm per layer, then its activation (none for a linear output)
      expect(r.ops.filter((o) => o === 'Gemm'), label).toHaveLength(net.layers.length - 1);
    }
  });

  it('computes predictProba: every output within the float32 rounding of its terms', () => {
    let worst = 0;
    for (const [i, r] of report.results.entries()) {
      const { net, x, label } = nets[i];
      expect(r.shape, label).toEqual([M, net.layers[net.layers.length - 1]]);
      const c = compareWithNetwork(net, x, M, r.y, label);
      expect(c.failures, label).toEqual([]);
      worst = Math.max(worst, c.worst);
    }
    // the comparison measured something: not every output equal by accident of zero weights
    expect(worst).toBeGreaterThan(0);
  });
});
