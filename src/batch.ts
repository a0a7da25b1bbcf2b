/**
 * Batch: a network's data checked once. `net.batch(X, Y)` checks X (and Y, for the network's loss)
 * as forward, cost and backward would, and keeps float32 copies of both. Passing the batch to
 * `forward`, `cost` and `backward` then costs no check and, while the batch is what the network
 * last read, no copy: the step API runs at train()'s speed. A batch is a snapshot: changing X or Y
 * afterwards does not change it (make a new batch for new data).
 */

/** What a batch holds; reachable only from this module and the Network (never from user code). */
export interface BatchData {
  /** the network that checked the data (its layers and loss decide what is valid) */
  owner: object;
  /** examples (columns) */
  m: number;
  /** X (n_x × m) and Y (n_y × m, one-hot for class indices), row-major float32 */
  X: Float32Array;
  Y: Float32Array | undefined;
}

const data = new WeakMap<Batch, BatchData>();
const CREATE = Symbol('wasm-mlp batch');

export class Batch {
  /** examples (columns) in the batch */
  readonly m: number;
  /** whether the batch holds targets Y, which cost() and backward() need */
  readonly hasTargets: boolean;

  /** Batches come from `net.batch(X, Y)`; this constructor is not for user code. */
  constructor(key: symbol, d: BatchData) {
    if (key !== CREATE) throw new Error('Batch: make one with net.batch(X, Y)');
    this.m = d.m;
    this.hasTargets = d.Y !== undefined;
    data.set(this, d);
    Object.freeze(this);
  }
}

/** A batch of checked data: X and Y are the checks' own fresh copies, which the batch keeps (no one else holds them). */
export function makeBatch(owner: object, m: number, X: Float32Array, Y: Float32Array | undefined): Batch {
  return new Batch(CREATE, { owner, m, X, Y });
}

/** The data of a batch made by `owner`, or undefined for a batch of another network. */
export function batchData(b: Batch, owner: object): BatchData | undefined {
  const d = data.get(b);
  return d !== undefined && d.owner === owner ? d : undefined;
}
