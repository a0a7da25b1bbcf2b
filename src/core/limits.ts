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

/** Σ_l n_l·(n_{l-1} + 1) for layer sizes [n_0, …, n_L] (exact: far below 2^53 for sizes ≤ 2^20). */
export function countParams(layers: readonly number[]): number {
  let n = 0;
  for (let l = 1; l < layers.length; l++) n += layers[l] * (layers[l - 1] + 1);
  return n;
}
