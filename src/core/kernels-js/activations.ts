// Pure JS twins of assembly/activations.ts. Pointers are byte offsets into the heap h.
import { bias_add } from './bias.js';
// Backward kernels read element i before writing it, so dz may alias da.

export function sigmoid_forward(h: Float32Array, a: number, z: number, n: number): void {
  const a0 = a >> 2, z0 = z >> 2;
  for (let i = 0; i < n; i++) {
    const zi = h[z0 + i];
    // e^z / (1 + e^z) for z < 0 keeps exp from overflowing
    if (zi >= 0) h[a0 + i] = 1 / (1 + Math.exp(-zi));
    else {
      const e = Math.exp(zi);
      h[a0 + i] = e / (1 + e);
    }
  }
}

export function sigmoid_backward(h: Float32Array, dz: number, da: number, a: number, _z: number, n: number): void {
  const d0 = dz >> 2, g0 = da >> 2, a0 = a >> 2;
  for (let i = 0; i < n; i++) {
    const ai = h[a0 + i];
    h[d0 + i] = h[g0 + i] * (ai * (1 - ai));
  }
}

export function tanh_forward(h: Float32Array, a: number, z: number, n: number): void {
  const a0 = a >> 2, z0 = z >> 2;
  for (let i = 0; i < n; i++) h[a0 + i] = Math.tanh(h[z0 + i]);
}

export function tanh_backward(h: Float32Array, dz: number, da: number, a: number, _z: number, n: number): void {
  const d0 = dz >> 2, g0 = da >> 2, a0 = a >> 2;
  for (let i = 0; i < n; i++) {
    const ai = h[a0 + i];
    h[d0 + i] = h[g0 + i] * (1 - ai * ai);
  }
}

export function relu_forward(h: Float32Array, a: number, z: number, n: number): void {
  const a0 = a >> 2, z0 = z >> 2;
  for (let i = 0; i < n; i++) {
    const zi = h[z0 + i];
    // wasm's pmax(z, 0): z < 0 ? 0 : z, which keeps −0 and NaN
    h[a0 + i] = zi < 0 ? 0 : zi;
  }
}

export function relu_backward(h: Float32Array, dz: number, da: number, _a: number, z: number, n: number): void {
  const d0 = dz >> 2, g0 = da >> 2, z0 = z >> 2;
  for (let i = 0; i < n; i++) h[d0 + i] = h[z0 + i] > 0 ? h[g0 + i] : 0;
}

const LEAK = Math.fround(0.01);

export function leaky_relu_forward(h: Float32Array, a: number, z: number, n: number): void {
  const a0 = a >> 2, z0 = z >> 2;
  for (let i = 0; i < n; i++) {
    const zi = h[z0 + i];
    h[a0 + i] = zi >= 0 ? zi : zi * LEAK;
  }
}

export function leaky_relu_backward(h: Float32Array, dz: number, da: number, _a: number, z: number, n: number): void {
  const d0 = dz >> 2, g0 = da >> 2, z0 = z >> 2;
  for (let i = 0; i < n; i++) {
    const g = h[g0 + i];
    h[d0 + i] = h[z0 + i] >= 0 ? g : g * LEAK;
  }
}

// z is (rows × cols), b is (rows × 1): z[i, j] += b[i], then a = g(z) (a may alias z). The JS
// build runs the two passes one after the other; the wasm build fuses them.
type ElementForward = (h: Float32Array, a: number, z: number, n: number) => void;
const withBias = (forward: ElementForward) =>
  (h: Float32Array, a: number, z: number, b: number, rows: number, cols: number): void => {
    bias_add(h, z, b, rows, cols);
    forward(h, a, z, rows * cols);
  };

export const bias_sigmoid = withBias(sigmoid_forward);
export const bias_tanh = withBias(tanh_forward);
export const bias_relu = withBias(relu_forward);
export const bias_leaky_relu = withBias(leaky_relu_forward);
export const bias_identity = withBias((h, a, z, n) => {
  if (a !== z) h.copyWithin(a >> 2, z >> 2, (z >> 2) + n);
});
