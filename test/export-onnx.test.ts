/**
 * toONNX, checked by ONNX Runtime itself (onnxruntime-node, CPU): every hidden activation ×
 * output activation × depth 1–4 × width 1, 3, 17, 33 × backend — the full product, 312 networks
 * (depth 1 has no hidden layer: 3 outputs × 4 widths there), each run on batches of 1 and 37
 * random examples against net.predictProba. Then the file itself, read back field by field.
 */
import { describe, expect, it } from 'vitest';
import * as ort from 'onnxruntime-node';
import { Network, datasets, type Activation } from '../src/index.js';
import { toONNX, ONNX_IR_VERSION, ONNX_OPSET } from '../src/export.js';
import { LIBRARY_VERSION } from '../src/io/producer.js';
import { HIDDEN, OUTPUTS, WIDTHS, archOf, randomNetwork, randomRows, type Arch } from './support/export-nets.js';
import { compareWithNetwork } from './support/tolerance.js';
import { decode, messages, one, strings, type Decoded } from './support/protobuf-read.js';

const BACKENDS = ['wasm', 'js'] as const;

/** Every architecture of the cover: depth 1 alone for each output and width, then the full product. */
function allArchitectures(): { arch: Arch; label: string }[] {
  const out: { arch: Arch; label: string }[] = [];
  for (const output of OUTPUTS) {
    for (const depth of [1, 2, 3, 4]) {
      for (const hidden of depth === 1 ? [HIDDEN[0]] : HIDDEN) {
        for (const width of WIDTHS) {
          const arch = archOf(depth, width, hidden, output);
          out.push({ arch, label: `[${arch.layers.join(', ')}] ${arch.activations.join('/')}` });
        }
      }
    }
  }
  return out;
}

async function runOnnx(bytes: Uint8Array, x: Float32Array, m: number, nx: number): Promise<Float32Array> {
  const session = await ort.InferenceSession.create(bytes);
  try {
    const { Y } = await session.run({ X: new ort.Tensor('float32', x, [m, nx]) });
    expect(Y.dims).toEqual([m, expect.any(Number)]);
    return Y.data as Float32Array;
  } finally {
    await session.release();
  }
}

describe('toONNX run by ONNX Runtime', () => {
  it('matches predictProba for every activation pairing, depth 1–4, width 1, 3, 17, 33, on both backends (batch 1 and 37)', async () => {
    const archs = allArchitectures();
    expect(archs).toHaveLength(3 * (4 + 3 * 4 * 4)); // outputs × (depth 1: 4 widths; depths 2–4: hidden × widths)
    const failures: string[] = [];
    const worst: Record<string, number> = {};
    let n = 0;
    for (const backend of BACKENDS) {
      for (const { arch, label } of archs) {
        const net = await randomNetwork(arch, backend, 11 + n);
        try {
          const bytes = toONNX(net);
          for (const m of [1, 37]) {
            const x = randomRows(m, arch.layers[0], 500 + n);
            const got = await runOnnx(bytes, x, m, arch.layers[0]);
            const c = compareWithNetwork(net, x, m, got, `${backend} ${label} batch ${m}`);
            failures.push(...c.failures);
            const key = `${backend} ${arch.activations[arch.activations.length - 1]}`;
            worst[key] = Math.max(worst[key] ?? 0, c.worst);
          }
        } finally {
          net.dispose();
        }
        n++;
      }
    }
    expect(n).toBe(312);
    expect(failures).toEqual([]);
    // the largest |difference| as a fraction of the tolerance, per backend and output (≤ 1 passes)
    console.log(`ONNX Runtime vs predictProba, worst fraction of the tolerance: ${Object.entries(worst).map(([k, v]) => `${k} ${v.toFixed(3)}`).join(', ')}`);
  }, 120_000);

  it('runs a trained network the same way (the flower after 2000 iterations)', async () => {
    const { X, Y } = datasets.flower({ m: 400, seed: 1 });
    const net = await Network.create({ layers: [2, 4, 1], activations: ['tanh', 'sigmoid'], seed: 2 });
    try {
      net.train(X, Y, { iterations: 2000, learningRate: 1.2 });
      const rows = new Float32Array(400 * 2);
      for (let j = 0; j < 400; j++) for (let i = 0; i < 2; i++) rows[j * 2 + i] = X.data[i * 400 + j];
      const got = await runOnnx(toONNX(net), rows, 400, 2);
      const c = compareWithNetwork(net, rows, 400, got, 'flower');
      expect(c.failures).toEqual([]);
    } finally {
      net.dispose();
    }
  });
});

/** The graph's nodes as { op, inputs, output, attributes by name }. */
function nodesOf(graph: Decoded) {
  return messages(graph, 1).map((n) => ({
    op: strings(n, 4)[0],
    inputs: strings(n, 1),
    output: strings(n, 2),
    attrs: Object.fromEntries(messages(n, 5).map((a) => [strings(a, 1)[0], { type: one(a, 20), i: one(a, 3), f: one(a, 2) }])),
  }));
}

/** A ValueInfoProto's name and its tensor shape as [dim_param | dim_value]. */
function shapeOf(v: Decoded): { name: string; elemType: unknown; dims: (string | number)[] } {
  const tensor = messages(messages(v, 2)[0], 1)[0];
  const dims = messages(messages(tensor, 2)[0], 1).map((d) => (d.has(2) ? strings(d, 2)[0] : (one(d, 1) as number)));
  return { name: strings(v, 1)[0], elemType: one(tensor, 1), dims };
}

describe('the ONNX file', () => {
  it('is IR version 7 with operator set 13, names the library, version and layers, and holds one Gemm (transB = 1) per layer with W and b bit for bit', async () => {
    const acts: Activation[] = ['tanh', 'leakyRelu', 'relu', 'softmax'];
    const net = await randomNetwork({ layers: [3, 5, 4, 6, 2], activations: acts }, 'wasm', 3);
    try {
      // train with dropout first: the export must not carry it
      const X = { rows: 3, cols: 8, data: randomRows(8, 3, 1) };
      net.train(X, [0, 1, 0, 1, 1, 0, 0, 1], { epochs: 2, batchSize: 4, dropout: 0.5, optimizer: 'sgd', learningRate: 0.01 });
      const model = decode(toONNX(net));
      expect(one(model, 1)).toBe(ONNX_IR_VERSION);
      expect(ONNX_IR_VERSION).toBe(7);
      const [opset] = messages(model, 8);
      expect(strings(opset, 1)).toEqual([]); // domain "" is the standard operator set
      expect(one(opset, 2)).toBe(ONNX_OPSET);
      expect(ONNX_OPSET).toBe(13);
      expect(strings(model, 2)).toEqual(['wasm-mlp']);
      expect(strings(model, 3)).toEqual([LIBRARY_VERSION]);
      const meta = Object.fromEntries(messages(model, 14).map((e) => [strings(e, 1)[0], strings(e, 2)[0]]));
      expect(meta).toEqual({
        library: 'wasm-mlp', version: LIBRARY_VERSION, layers: '[3,5,4,6,2]',
        activations: JSON.stringify(acts), loss: 'cce',
      });

      const [graph] = messages(model, 7);
      const nodes = nodesOf(graph);
      expect(nodes.map((n) => n.op)).toEqual(['Gemm', 'Tanh', 'Gemm', 'LeakyRelu', 'Gemm', 'Relu', 'Gemm', 'Softmax']);
      expect(nodes.some((n) => n.op === 'Dropout')).toBe(false);
      for (const [k, n] of nodes.entries()) {
        if (n.op === 'Gemm') {
          const l = k / 2 + 1;
          expect(n.inputs).toEqual([l === 1 ? 'X' : `A${l - 1}`, `W${l}`, `b${l}`]);
          expect(n.attrs).toEqual({ transB: { type: 2, i: 1, f: undefined } });
        }
      }
      expect(nodes[3].attrs.alpha).toEqual({ type: 1, i: undefined, f: Math.fround(0.01) });
      expect(nodes[7].attrs.axis).toEqual({ type: 2, i: 1, f: undefined });
      expect(nodes[7].output).toEqual(['Y']);

      const inputs = messages(graph, 11).map(shapeOf), outputs = messages(graph, 12).map(shapeOf);
      expect(inputs).toEqual([{ name: 'X', elemType: 1, dims: ['N', 3] }]);
      expect(outputs).toEqual([{ name: 'Y', elemType: 1, dims: ['N', 2] }]);

      const params = net.getParams();
      const inits = messages(graph, 5);
      expect(inits.map((t) => strings(t, 8)[0])).toEqual(['W1', 'b1', 'W2', 'b2', 'W3', 'b3', 'W4', 'b4']);
      params.forEach(({ W, b }, l) => {
        for (const [t, dims, values] of [[inits[2 * l], [W.rows, W.cols], W.data], [inits[2 * l + 1], [b.length], b]] as const) {
          expect(t.get(1)).toEqual(dims);
          expect(one(t, 2)).toBe(1); // FLOAT
          const raw = one(t, 9) as Uint8Array;
          const got = new Float32Array(raw.slice().buffer); // little-endian, as this machine
          expect(Buffer.from(got.buffer).equals(Buffer.from(values.buffer, values.byteOffset, values.byteLength))).toBe(true);
        }
      });
    } finally {
      net.dispose();
    }
  });

  it('a linear output is the last Gemm itself; a sigmoid output ends in Sigmoid', async () => {
    for (const [acts, ops] of [
      [['linear'], ['Gemm']],
      [['sigmoid', 'linear'], ['Gemm', 'Sigmoid', 'Gemm']],
      [['relu', 'sigmoid'], ['Gemm', 'Relu', 'Gemm', 'Sigmoid']],
    ] as [Activation[], string[]][]) {
      const net = await Network.create({ layers: [2, ...acts.slice(1).map(() => 3), 1], activations: acts, backend: 'js' });
      try {
        const nodes = nodesOf(messages(decode(toONNX(net)), 7)[0]);
        expect(nodes.map((n) => n.op)).toEqual(ops);
        expect(nodes[nodes.length - 1].output).toEqual(['Y']);
      } finally {
        net.dispose();
      }
    }
  });

  it('refuses what is not a network, and a disposed network, with errors naming them', async () => {
    expect(() => toONNX({} as Network)).toThrow(/toONNX: net must be a Network/);
    expect(() => toONNX(null as unknown as Network)).toThrow(/toONNX: net must be a Network .*got null/);
    const net = await Network.create({ layers: [2, 1] });
    net.dispose();
    expect(() => toONNX(net)).toThrow(/Network\.getParams.*dispos/);
  });
});
