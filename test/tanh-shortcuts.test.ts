// tanh in the wasm kernels has one shortcut: a vector whose four |z| are all at or above the clamp
// (9.5) is ±1 without arithmetic (bias_tanh takes it for four vectors at once, 16 columns, when
// all sixteen are past the clamp). It must give the bits the full computation gives, which a
// vector of mixed lanes still runs: here every value goes through tanh_forward and bias_tanh
// twice, in a uniform vector (the shortcut, where it applies) and as the first lane of a mixed one
// (the full path), and the bits must agree. (Until the tanh of one formula, there were two more
// shortcuts, for vectors all below 0.625 and all between 0.625 and the clamp; the grid keeps their
// branch points.)
import { describe, expect, it } from 'vitest';
import { Scratch, bitEqual } from './support/helpers.js';

/** float32 values around both branch points and the clamp, both signs, zeros and extremes */
function grid(): Float32Array {
  const v: number[] = [0, -0, 1e-30, 1e-7, 0.3, 1, 3, 9.49, 9.5, 9.51, 43, 1e30, Infinity];
  for (const c of [0.625, 9.5]) {
    let x = Math.fround(c);
    const step = (y: number, up: boolean) => { const b = new Float32Array([y]); const u = new Int32Array(b.buffer); u[0] += up ? 1 : -1; return b[0]; };
    for (let i = 0; i < 40; i++) x = step(x, false);
    for (let i = 0; i < 80; i++) { v.push(x); x = step(x, true); }
  }
  for (let i = 0; i < 2000; i++) v.push(Math.fround(12 * Math.sin(i * 1.618) ** 3)); // spread over [−12, 12]
  return Float32Array.from([...v, ...v.map((x) => -x)]);
}

describe('tanh shortcuts (wasm): the same bits as the full computation', () => {
  const Z = grid();
  // the other lanes of a mixed vector: one small, one mid, one saturated |z|, so no shortcut applies
  const MIXED = [0.1, 3, 20];
  const uniform = Float32Array.from(Array.from(Z).flatMap((z) => [z, z, z, z]));
  const mixed = Float32Array.from(Array.from(Z).flatMap((z) => [z, ...MIXED]));
  const lane0 = (a: Float32Array) => a.filter((_, i) => i % 4 === 0);

  it('tanh_forward: uniform vectors (shortcuts) = lane 0 of mixed vectors (full path), and all four lanes agree', async () => {
    const s = await Scratch.of('wasm');
    const u = s.put(uniform), m = s.put(mixed);
    s.k.tanh_forward(u, u, uniform.length);
    s.k.tanh_forward(m, m, mixed.length);
    const U = s.get(u, uniform.length), M = s.get(m, mixed.length);
    expect(bitEqual(lane0(U), lane0(M))).toBe(true);
    for (let k = 1; k < 4; k++) expect(bitEqual(U.filter((_, i) => i % 4 === k), lane0(U))).toBe(true);
    // the saturated shortcut's ±1 is what the full path gives from the clamp on
    for (let i = 0; i < Z.length; i++) if (Math.abs(Z[i]) >= 9.5) expect(Math.abs(lane0(M)[i])).toBe(1);
  });

  it('bias_tanh: the same, with the bias added first (rows of two 16-column groups, 12 more and a tail of 2)', async () => {
    const s = await Scratch.of('wasm');
    const cols = 46, rows = Math.ceil(uniform.length / cols);
    const pad = (a: Float32Array) => { const p = new Float32Array(rows * cols); p.set(a); return p; };
    const b = s.put(new Float32Array(rows)); // b = 0: z + 0 is z, so the inputs are the grid itself
    const zu = s.put(pad(uniform)), au = s.put(rows * cols), zm = s.put(pad(mixed)), am = s.put(rows * cols);
    s.k.bias_tanh(au, zu, b, rows, cols);
    s.k.bias_tanh(am, zm, b, rows, cols);
    const n = uniform.length;
    expect(bitEqual(lane0(s.get(au, n)), lane0(s.get(am, n)))).toBe(true);
  });

  it('bias_tanh: a group of four vectors gives tanh_forward\'s bits whichever of its vectors are saturated, NaN among them', async () => {
    // each vector of 4 lanes is, by a seeded choice, four saturated values (either sign, ±∞), four
    // grid values, or saturated with one NaN lane: groups of 16 columns then mix all of them, and
    // a NaN beside saturated lanes must stay NaN (not take the shortcut's ±1)
    const s = await Scratch.of('wasm');
    let seed = 7;
    const rand = () => { seed = (seed * 1103515245 + 12345) >>> 0; return seed / 2 ** 32; };
    const cols = 16 * 9 + 4 + 3, rows = 40, n = rows * cols;
    const zs = new Float32Array(n);
    for (let i = 0; i < n; i += 4) {
      const kind = rand();
      for (let k = 0; k < 4 && i + k < n; k++) {
        const sat = (rand() < 0.5 ? -1 : 1) * [9.5, 10, 43, 1e30, Infinity][Math.floor(rand() * 5)];
        zs[i + k] = kind < 0.6 ? sat : kind < 0.9 ? Z[Math.floor(rand() * Z.length)] : k === 2 ? NaN : sat;
      }
    }
    const b = s.put(new Float32Array(rows));
    // tanh_forward of z + 0, the input bias_tanh sees (−0 + 0 is +0)
    const z = s.put(zs), a = s.put(n), zf = s.put(Float32Array.from(zs, (x) => x + 0)), af = s.put(n);
    s.k.bias_tanh(a, z, b, rows, cols);
    s.k.tanh_forward(af, zf, n);
    const A = s.get(a, n), F = s.get(af, n);
    expect(A.filter(Number.isNaN).length).toBe(zs.filter(Number.isNaN).length);
    expect(bitEqual(A.map((x) => (Number.isNaN(x) ? 0 : x)), F.map((x) => (Number.isNaN(x) ? 0 : x)))).toBe(true);
    expect(Array.from(A).findIndex((x, i) => Number.isNaN(x) !== Number.isNaN(zs[i]))).toBe(-1);
  });
});
