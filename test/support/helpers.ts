// Shared test helpers: a scratch memory on either backend, seeded data, float64 references.
import { createJsBackend, createWasmBackend, type Backend } from '../../src/core/backend.js';
import { createRng } from '../../src/util/rng.js';

export const BACKENDS = ['wasm', 'js'] as const;

/** float32 unit roundoff: half an ulp of 1 */
export const U32 = 2 ** -24;

/** A bump allocator over a backend's memory, for calling kernels directly. */
export class Scratch {
  #top: number;
  constructor(readonly be: Backend) {
    this.#top = be.base;
  }
  static async of(name: 'wasm' | 'js'): Promise<Scratch> {
    return new Scratch(name === 'wasm' ? await createWasmBackend() : createJsBackend());
  }
  get k() {
    return this.be.kernels;
  }
  /** Forgets every placement: the next put() starts at the base again. */
  reset(): void {
    this.#top = this.be.base;
  }
  /** Places `data` (or n zeros) at a fresh 16-byte-aligned offset; returns the byte pointer. */
  put(data: ArrayLike<number> | number, misalign = 0): number {
    const n = typeof data === 'number' ? data : data.length;
    const ptr = this.#top + misalign * 4;
    this.#top = Math.ceil((ptr + n * 4 + 64) / 16) * 16;
    const h = this.be.reserve(this.#top);
    if (typeof data === 'number') h.fill(0, ptr >> 2, (ptr >> 2) + n);
    else h.set(data, ptr >> 2);
    return ptr;
  }
  get(ptr: number, n: number): Float32Array {
    return this.be.reserve(0).slice(ptr >> 2, (ptr >> 2) + n);
  }
}

export function randomArray(n: number, seed: number, lo = -1, hi = 1): Float32Array {
  const rng = createRng(seed);
  const a = new Float32Array(n);
  for (let i = 0; i < n; i++) a[i] = lo + (hi - lo) * rng.uniform();
  return a;
}

/** Largest |a − b| over two arrays. */
export function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let d = 0;
  for (let i = 0; i < a.length; i++) d = Math.max(d, Math.abs(a[i] - b[i]));
  return d;
}

/** Same bits, element by element (so -0 differs from 0, and NaNs compare by payload). */
export function bitEqual(a: Float32Array, b: Float32Array): boolean {
  if (a.length !== b.length) return false;
  const x = new Uint32Array(a.buffer, a.byteOffset, a.length);
  const y = new Uint32Array(b.buffer, b.byteOffset, b.length);
  for (let i = 0; i < x.length; i++) if (x[i] !== y[i]) return false;
  return true;
}
