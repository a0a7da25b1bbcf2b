/**
 * The network's vocabulary, one source for each list: the activations (and which may stand where),
 * the losses (and which output each may train), the init schemes, the optimizers (and the state
 * each keeps), and the shapes of the parameters. Every other file imports these lists from here.
 */
import type { Matrix, MatrixData, MatrixInput } from '../util/matrix.js';

export const ACTIVATIONS = ['sigmoid', 'tanh', 'relu', 'leakyRelu', 'softmax', 'linear'] as const;
export type Activation = (typeof ACTIVATIONS)[number];
/** the activations a hidden layer may use (softmax and linear are for the output layer only) */
export const HIDDEN_ACTIVATIONS: readonly Activation[] = ['sigmoid', 'tanh', 'relu', 'leakyRelu'];
export const OUTPUT_ACTIVATIONS: readonly Activation[] = ['sigmoid', 'softmax', 'linear'];
/** the activations when none are given: tanh for hidden layers, this one for the output */
export const DEFAULT_HIDDEN_ACTIVATION: Activation = 'tanh';
export const DEFAULT_OUTPUT_ACTIVATION: Activation = 'sigmoid';

/** The cost minimised: binary cross-entropy, categorical cross-entropy, mean squared error. */
export type Loss = 'bce' | 'cce' | 'mse';
export const LOSSES: readonly Loss[] = ['bce', 'cce', 'mse'];
/** the loss each output activation implies when `loss` is not given */
export const DEFAULT_LOSS: Readonly<Record<string, Loss>> = { sigmoid: 'bce', softmax: 'cce', linear: 'mse' };
/** the losses each output activation may be trained with */
export const ALLOWED_LOSSES: Readonly<Record<string, readonly Loss[]>> = { sigmoid: ['bce', 'mse'], softmax: ['cce'], linear: ['mse'] };

/**
 * dZ[L] = A − Y holds for each output's own loss (sigmoid + BCE, softmax + CCE, linear + MSE);
 * any other allowed pair (a sigmoid output with MSE) needs the chain (A − Y) ⊙ g'(Z[L]).
 */
export function needsOutputChain(output: Activation, loss: Loss): boolean {
  return loss === 'mse' && output !== 'linear';
}

export type InitScheme = 'random' | 'xavier' | 'he';
/** 'random': W = randn·scale (0.01 by default); 'xavier': randn·√(1/n_in); 'he': randn·√(2/n_in) */
export const INIT_SCHEMES: readonly InitScheme[] = ['random', 'xavier', 'he'];
export const DEFAULT_INIT_SCALE = 0.01;

/** W's factor on randn for a layer with n_in inputs. */
export function initFactor(scheme: InitScheme, scale: number, nIn: number): number {
  return scheme === 'random' ? scale : Math.sqrt((scheme === 'he' ? 2 : 1) / nIn);
}

export type OptimizerName = 'sgd' | 'momentum' | 'rmsprop' | 'adam';
export const OPTIMIZERS: readonly OptimizerName[] = ['sgd', 'momentum', 'rmsprop', 'adam'];
/** An optimizer and its hyper-parameters, every default filled in (those it does not use are ignored). */
export interface OptimizerHyper {
  name: OptimizerName;
  beta: number;
  beta1: number;
  beta2: number;
  epsilon: number;
}
/** blocks of optimizer state (each the parameter block's size) each optimizer keeps: momentum v, RMSprop s, Adam v and s */
export const OPTIMIZER_STATE_BLOCKS: Readonly<Record<OptimizerName, number>> = { sgd: 0, momentum: 1, rmsprop: 1, adam: 2 };

/** One layer's parameters: W (n_l × n_{l-1}), b (n_l). */
export interface LayerParams { W: Matrix; b: Float32Array }
export interface LayerParamsInput { W: MatrixInput; b: MatrixData | MatrixInput }
/** One layer's gradients, the shapes of its parameters. */
export interface LayerGrads { dW: Matrix; db: Float32Array }

/** Weights and biases of a network with these layer sizes: Σ_l n_l·(n_{l-1} + 1). */
export function paramCount(layers: readonly number[]): number {
  let n = 0;
  for (let l = 1; l < layers.length; l++) n += layers[l] * (layers[l - 1] + 1);
  return n;
}

/**
 * The largest network the library builds: one set of limits for Network.create and for the model
 * file, so that every network create() accepts can be written by toJSON() and read back by
 * fromJSON().
 */
export const NETWORK_LIMITS = {
  /** entries of `layers` (input included) */
  layers: 1024,
  /** each layer size */
  layerSize: 2 ** 20,
  /**
   * weights and biases in all (2^24 float32 = 64 MiB). The bound comes from the model file: a
   * float32 written by JSON.stringify takes at most 25 characters (a sign, "0.00000" and 17
   * significant digits, for values in [1e-6, 1e-5); smaller ones are written with an exponent),
   * 26 with its comma, so the text of a model at this limit stays below the model text limit
   * and below V8's longest string (2^29 − 24).
   */
  params: 2 ** 24,
} as const;
