/**
 * The arena plan: a pure function from the layer sizes and a batch capacity to the byte offset
 * of every buffer a training step touches. Layout, each buffer 16-byte aligned:
 *
 *   [ W1 b1 W2 b2 … WL bL ]   parameters: depend on the layer sizes only
 *   [ dW1 db1 … dWL dbL ]     gradients: the same layout, shifted, so an update is one flat loop
 *   [ state 0 ] [ state 1 ]   optimizer state (momentum v, RMSprop/Adam s), the same layout again;
 *                             only as many blocks as the optimizer in use needs (0, 1 or 2)
 *   [ X | Y | Z1 A1 dZ1 (mask1) | … | ZL AL dZL ]   the batch region, slots sized for mCap columns;
 *                             a dropout mask only for the layers that drop
 *
 * Matrices in the batch region are (rows × m) and contiguous at the start of their slot, so any
 * m ≤ mCap runs in the same plan and memory never grows for a batch size already seen.
 */

export interface LayerSlots {
  /** n_{l-1} and n_l */
  nIn: number;
  nOut: number;
  W: number; b: number; dW: number; db: number;
  /** input activations A[l-1] (X for the first layer) */
  Ain: number;
  Z: number; A: number; dZ: number;
  /** the dropout mask (n_l × mCap), or 0 when this layer has none */
  mask: number;
}

/** What the plan holds beyond parameters, gradients and the forward cache. */
export interface PlanExtras {
  /** optimizer state blocks (each the size of the parameter block): 0, 1 or 2 */
  stateBlocks?: number;
  /** per layer 1…L: true where a dropout mask is needed */
  dropout?: readonly boolean[];
}

export interface ArenaPlan {
  layers: readonly number[];
  /** the largest batch (columns) the batch region holds */
  mCap: number;
  params: number;
  grads: number;
  /** byte offsets of the optimizer state blocks (parameter layout), one per block */
  state: number[];
  /** floats in the parameter block, alignment padding included (the update loops over all) */
  paramFloats: number;
  X: number;
  Y: number;
  layer: LayerSlots[];
  /** one past the last byte used */
  end: number;
}

const ALIGN = 16;
const alignUp = (x: number): number => Math.ceil(x / ALIGN) * ALIGN;

export function planArena(layers: readonly number[], mCap: number, base: number, extras: PlanExtras = {}): ArenaPlan {
  const L = layers.length - 1;
  let at = alignUp(base);
  const take = (floats: number): number => {
    const p = at;
    at = alignUp(at + floats * 4);
    return p;
  };
  const W: number[] = [], b: number[] = [];
  const params = at;
  for (let l = 1; l <= L; l++) {
    W.push(take(layers[l] * layers[l - 1]));
    b.push(take(layers[l]));
  }
  const paramBytes = at - params;
  const grads = at;
  at += paramBytes;
  const state: number[] = [];
  for (let i = 0; i < (extras.stateBlocks ?? 0); i++) {
    state.push(at);
    at += paramBytes;
  }
  const X = take(layers[0] * mCap);
  const Y = take(layers[L] * mCap);
  const layer: LayerSlots[] = [];
  for (let l = 1; l <= L; l++) {
    const nOut = layers[l];
    const Z = take(nOut * mCap), A = take(nOut * mCap), dZ = take(nOut * mCap);
    const mask = extras.dropout?.[l - 1] ? take(nOut * mCap) : 0;
    layer.push({
      nIn: layers[l - 1], nOut,
      W: W[l - 1], b: b[l - 1], dW: W[l - 1] + paramBytes, db: b[l - 1] + paramBytes,
      Ain: l === 1 ? X : layer[l - 2].A,
      Z, A, dZ, mask,
    });
  }
  return { layers: [...layers], mCap, params, grads, state, paramFloats: paramBytes / 4, X, Y, layer, end: at };
}
