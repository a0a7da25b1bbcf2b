/**
 * What every model format here writes and reads: a stack of dense layers — sizes, one activation
 * per layer, the loss, and W (n_l × n_{l-1}, row-major) and b (n_l) per layer. Taken from a
 * Network through its public API only, so the formats never touch the arena.
 */
import type { Activation, Loss } from '../core/architecture.js';
import type { ModelSource } from './model-file.js';

/** One layer's parameters: W (n_l × n_{l-1}) row-major, b (n_l). */
export interface DenseLayerParams {
  W: { rows: number; cols: number; data: Float32Array };
  b: Float32Array;
}

/** A network as plain data: layers [n_x, …, n_y], one activation and one { W, b } per layer after the input. */
export interface DenseModel {
  layers: number[];
  activations: Activation[];
  loss: Loss;
  params: DenseLayerParams[];
}

/** The network's architecture and a copy of its parameters. */
export function denseModelOf(net: ModelSource, where: string): DenseModel {
  if (typeof net !== 'object' || net === null || typeof (net as Partial<ModelSource>).getParams !== 'function') {
    throw new Error(`${where}: net must be a Network (from Network.create or a load function); got ${net === null ? 'null' : typeof net}`);
  }
  return {
    layers: [...net.layers],
    activations: [...net.activations],
    loss: net.loss,
    params: net.getParams(), // throws naming the call if the network was disposed
  };
}
