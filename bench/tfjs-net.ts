/**
 * TensorFlow.js 4.22 for the benchmark (development dependency only): the same training step as
 * wasm-mlp's Network.train, and a square product, on whichever backend is active. Runs in Node and
 * in the browser bench's page alike; bench/tfjs.ts sets the backends up in Node.
 *
 * The step follows bench/workloads.json in wasm-mlp's layout (X is n_x × m, one column per
 * example): Z = W·A + b, A = tanh(Z) (sigmoid at the output), J = −(1/m) Σ [Y log A + (1−Y) log(1−A)]
 * read back as a number, dZ_L = A_L − Y, dW = (1/m) dZ·Aᵀ, db = (1/m) rowsum(dZ),
 * dZ_{l−1} = (Wᵀ·dZ) ⊙ (1 − A²), W −= α dW, b −= α db, all inside one tf.tidy on tf.variable's.
 * Two of the three products per layer need a transposed operand; `TfForm` chooses how:
 * - 'flags':    tf.matMul(dZ, A, false, true) and tf.matMul(W, dZ, true, false);
 * - 'explicit': tf.matMul(dZ, tf.transpose(A)) and tf.matMul(tf.transpose(W), dZ), so every
 *               product is the untransposed form, the one tfjs-backend-wasm runs fast (XNNPACK).
 * The bench times both forms per workload and backend and keeps the faster.
 */
import * as tf from '@tensorflow/tfjs';
import type { LayerParams, Matrix } from '../src/index.js';

export type TfBackend = 'wasm' | 'cpu';
export type TfForm = 'flags' | 'explicit';
export const TF_FORMS: readonly TfForm[] = ['flags', 'explicit'];

/** Makes `backend` the active one (cheap once initialised). */
export async function useTf(backend: TfBackend): Promise<void> {
  if (tf.getBackend() !== backend && !(await tf.setBackend(backend))) throw new Error(`bench: TensorFlow.js backend ${backend} failed`);
}

/** A network of variables on one TF.js backend, stepping like Network.train. */
export class TfNet {
  readonly #W: tf.Variable<tf.Rank.R2>[];
  readonly #b: tf.Variable<tf.Rank.R2>[];
  readonly #X: tf.Tensor2D;
  readonly #Y: tf.Tensor2D;
  readonly #oneMinusY: tf.Tensor2D;
  readonly #m: number;
  readonly #initial: readonly LayerParams[];
  form: TfForm = 'explicit';

  /** Call with `backend` active (useTf): every tensor lives on it. */
  constructor(readonly backend: TfBackend, params: readonly LayerParams[], X: Matrix, Y: Matrix) {
    // tf.variable keeps its initial tensor alive as a separate tensor: dispose it here
    const variable = (t: tf.Tensor2D) => { const v = tf.variable(t); t.dispose(); return v; };
    this.#W = params.map((p) => variable(tf.tensor2d(p.W.data, [p.W.rows, p.W.cols])));
    this.#b = params.map((p) => variable(tf.tensor2d(p.b, [p.b.length, 1])));
    this.#X = tf.tensor2d(X.data, [X.rows, X.cols]);
    this.#Y = tf.tensor2d(Y.data, [Y.rows, Y.cols]);
    this.#oneMinusY = tf.tidy(() => tf.sub(1, this.#Y));
    this.#m = X.cols;
    this.#initial = params;
  }

  /** Puts the initial parameters back (untimed, before every timed call of the bench). */
  reset(): void {
    this.#initial.forEach((p, l) => {
      tf.tidy(() => {
        this.#W[l].assign(tf.tensor2d(p.W.data, [p.W.rows, p.W.cols]));
        this.#b[l].assign(tf.tensor2d(p.b, [p.b.length, 1]));
      });
    });
  }

  /** One full-batch step; returns the cost of the forward pass (before the update). */
  step(lr: number): number {
    const W = this.#W, b = this.#b, L = W.length, m = this.#m;
    const explicit = this.form === 'explicit';
    const J = tf.tidy(() => {
      const A: tf.Tensor2D[] = [this.#X];
      for (let l = 0; l < L; l++) {
        const Z = tf.add<tf.Tensor2D>(tf.matMul(W[l], A[l]), b[l]);
        A.push(l < L - 1 ? tf.tanh<tf.Tensor2D>(Z) : tf.sigmoid<tf.Tensor2D>(Z));
      }
      const AL = A[L];
      const cost = tf.mul(tf.sum(tf.add(tf.mul(this.#Y, tf.log(AL)), tf.mul(this.#oneMinusY, tf.log(tf.sub(1, AL))))), -1 / m);
      let dZ: tf.Tensor2D = tf.sub(AL, this.#Y);
      for (let l = L - 1; l >= 0; l--) {
        // dW·α = (α/m)·dZ·Aᵀ: the 1/m and the learning rate folded into one scale
        const dZAt = explicit ? tf.matMul(dZ, tf.transpose(A[l])) : tf.matMul(dZ, A[l], false, true);
        const db = tf.sum(dZ, 1, true);
        if (l > 0) {
          const dA = explicit ? tf.matMul(tf.transpose(W[l]), dZ) : tf.matMul(W[l], dZ, true, false);
          dZ = tf.mul(dA, tf.sub(1, tf.square(A[l]))); // tanh' = 1 − A²
        }
        W[l].assign(tf.sub(W[l], tf.mul(dZAt, lr / m)));
        b[l].assign(tf.sub(b[l], tf.mul(db, lr / m)));
      }
      return cost;
    });
    const c = J.dataSync()[0];
    J.dispose();
    return c;
  }

  dispose(): void {
    for (const t of [...this.#W, ...this.#b, this.#X, this.#Y, this.#oneMinusY]) t.dispose();
  }
}

/**
 * Times both transpose forms of a TF.js step and keeps the faster (call with its backend
 * active): per form one untimed warm-up step (the first steps of a backend can take 100× longer),
 * then steps for ≥ 0.2 s, or a single step when it is slower (tfjs-cpu on wide costs four steps
 * here, not minutes). Returns the seconds per step of each form.
 */
export function chooseTfForm(net: TfNet, lr: number): Record<TfForm, number> {
  const t = {} as Record<TfForm, number>;
  for (const form of TF_FORMS) {
    net.form = form;
    net.step(lr);
    let steps = 0;
    const t0 = performance.now();
    do { net.step(lr); steps++; } while (performance.now() - t0 < 200);
    t[form] = (performance.now() - t0) / 1000 / steps;
  }
  net.form = t.explicit <= t.flags ? 'explicit' : 'flags';
  return t;
}

/** Square product C = A·B on one backend (created with it active). */
export class TfGemm {
  readonly #a: tf.Tensor2D;
  readonly #b: tf.Tensor2D;
  constructor(readonly backend: TfBackend, n: number, A: Float32Array, B: Float32Array) {
    this.#a = tf.tensor2d(A, [n, n]);
    this.#b = tf.tensor2d(B, [n, n]);
  }
  /** k products (the cpu and wasm backends run each op synchronously) */
  run(k: number): void {
    for (let i = 0; i < k; i++) tf.matMul(this.#a, this.#b).dispose();
  }
  result(): Float32Array {
    const c = tf.matMul(this.#a, this.#b);
    const d = c.dataSync() as Float32Array;
    c.dispose();
    return d;
  }
  dispose(): void {
    this.#a.dispose();
    this.#b.dispose();
  }
}

/** Live TF.js tensors (the bench checks it does not grow per step). */
export function tfTensorCount(): number {
  return tf.memory().numTensors;
}
