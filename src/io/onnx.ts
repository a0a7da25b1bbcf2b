/**
 * A dense network as an ONNX model (protobuf bytes), for ONNX Runtime and every other ONNX consumer.
 *
 * The graph takes X as float32 [N, n_x] — one ROW per example, the batch dimension N symbolic —
 * and gives Y [N, n_y], what Network.predictProba gives (transposed: predictProba has one column
 * per example). Layer l is one Gemm, Z = X·Wᵀ + b with W stored as the network holds it
 * (n_l × n_{l-1}, transB = 1) and b as the Gemm's C, then its activation: Tanh, Sigmoid, Relu,
 * LeakyRelu (alpha 0.01), Softmax (axis 1), or nothing for a linear layer. Dropout is a training
 * device and is not part of the graph.
 *
 * Field numbers are those of onnx/onnx.proto (ModelProto, GraphProto, NodeProto, AttributeProto,
 * TensorProto, ValueInfoProto, TypeProto, TensorShapeProto, OperatorSetIdProto,
 * StringStringEntryProto); the writer is src/io/protobuf.ts.
 */
import type { Activation } from '../core/architecture.js';
import type { DenseModel } from './dense-model.js';
import { LIBRARY_NAME, LIBRARY_VERSION } from './producer.js';
import { Message } from './protobuf.js';

/** IR version 7 (ONNX 1.7–1.8) with operator set 13: read by ONNX Runtime ≥ 1.6 and the converters of recent years. */
export const ONNX_IR_VERSION = 7;
export const ONNX_OPSET = 13;

/** The ONNX operator for each activation (null: the Gemm's output is the layer's output). */
const ONNX_OPS: Record<Activation, string | null> = {
  tanh: 'Tanh', sigmoid: 'Sigmoid', relu: 'Relu', leakyRelu: 'LeakyRelu', softmax: 'Softmax', linear: null,
};
/** the leaky ReLU slope of this library's kernels (z < 0 ↦ 0.01·z) */
const LEAKY_SLOPE = 0.01;

// onnx.proto enums
const FLOAT = 1; // TensorProto.DataType.FLOAT, also TypeProto.Tensor.elem_type
const ATTR_FLOAT = 1; // AttributeProto.AttributeType
const ATTR_INT = 2;

/** Extra metadata_props entries (string → string) besides library, version, layers, activations and loss. */
export type OnnxMetadata = Record<string, string>;

/** The model as ONNX bytes (see the file comment for the graph). */
export function encodeONNX(model: DenseModel, extraMetadata: OnnxMetadata = {}): Uint8Array {
  const L = model.params.length;
  const graph = new Message();
  let prev = 'X';
  for (let l = 1; l <= L; l++) {
    const op = ONNX_OPS[model.activations[l - 1]];
    const last = l === L;
    const z = last && op === null ? 'Y' : `Z${l}`;
    graph.message(1, node('Gemm', [prev, `W${l}`, `b${l}`], z, `layer${l}_gemm`, [intAttr('transB', 1)]));
    prev = z;
    if (op !== null) {
      const a = last ? 'Y' : `A${l}`;
      const attrs = op === 'LeakyRelu' ? [floatAttr('alpha', LEAKY_SLOPE)] : op === 'Softmax' ? [intAttr('axis', 1)] : [];
      graph.message(1, node(op, [z], a, `layer${l}_${op.toLowerCase()}`, attrs));
      prev = a;
    }
  }
  graph.string(2, 'wasm_mlp');
  model.params.forEach(({ W, b }, i) => {
    graph.message(5, floatTensor(`W${i + 1}`, [W.rows, W.cols], W.data));
    graph.message(5, floatTensor(`b${i + 1}`, [b.length], b));
  });
  graph.string(10, 'A dense network: one Gemm per layer (transB = 1), then its activation.');
  graph.message(11, valueInfo('X', model.layers[0], 'float32 [N, n_x]: one row per example'));
  graph.message(12, valueInfo('Y', model.layers[L], 'float32 [N, n_y]: the output activations, one row per example'));

  const m = new Message()
    .varint(1, ONNX_IR_VERSION)
    .string(2, LIBRARY_NAME)
    .string(3, LIBRARY_VERSION)
    .string(6, `${LIBRARY_NAME} ${LIBRARY_VERSION} network [${model.layers.join(', ')}], activations ${model.activations.join(', ')}; ` +
      'input X is float32 [N, n_x] with one row per example, output Y is [N, n_y].')
    .message(7, graph)
    .message(8, new Message().varint(2, ONNX_OPSET)); // domain "" (absent): the standard operator set
  const metadata: OnnxMetadata = {
    library: LIBRARY_NAME,
    version: LIBRARY_VERSION,
    layers: JSON.stringify(model.layers),
    activations: JSON.stringify(model.activations),
    loss: model.loss,
    ...extraMetadata,
  };
  for (const [key, value] of Object.entries(metadata)) m.message(14, new Message().string(1, key).string(2, value));
  return m.finish();
}

/** NodeProto: inputs, one output, name, op_type, attributes. */
function node(opType: string, inputs: string[], output: string, name: string, attributes: Message[]): Message {
  const n = new Message();
  for (const i of inputs) n.string(1, i);
  n.string(2, output).string(3, name).string(4, opType);
  for (const a of attributes) n.message(5, a);
  return n;
}

function intAttr(name: string, value: number): Message {
  return new Message().string(1, name).varint(3, value).varint(20, ATTR_INT);
}

function floatAttr(name: string, value: number): Message {
  return new Message().string(1, name).float(2, value).varint(20, ATTR_FLOAT);
}

/** TensorProto of float32 values: dims, data_type, name, raw_data (little-endian, as the spec requires). */
function floatTensor(name: string, dims: number[], values: ArrayLike<number>): Message {
  const raw = new Uint8Array(values.length * 4);
  const view = new DataView(raw.buffer);
  for (let i = 0; i < values.length; i++) view.setFloat32(i * 4, values[i], true);
  const t = new Message();
  for (const d of dims) t.varint(1, d);
  return t.varint(2, FLOAT).string(8, name).bytes(9, raw);
}

/** ValueInfoProto of a float tensor [N, width] with a symbolic batch dimension N. */
function valueInfo(name: string, width: number, doc: string): Message {
  const shape = new Message()
    .message(1, new Message().string(2, 'N')) // Dimension.dim_param
    .message(1, new Message().varint(1, width)); // Dimension.dim_value
  const tensorType = new Message().varint(1, FLOAT).message(2, shape);
  return new Message().string(1, name).message(2, new Message().message(1, tensorType)).string(3, doc);
}
