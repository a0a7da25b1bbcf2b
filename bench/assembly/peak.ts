// The machine's WASM SIMD multiply-add peak, for the benchmark only (never part of the library).
// Compiled exactly like the library (asc --target release of asconfig.json: -O3, noAssert,
// runtime stub, SIMD) into build/peak.wasm; loaded by bench/bench.ts.
//
// Twelve independent f32x4 accumulators, each updated acc = acc·x + y with f32x4.mul then
// f32x4.add (plain SIMD has no fused multiply-add), touching no memory. One chain waits a mul
// and an add latency (4 + 2…4 cycles on current x86 cores) before its next update, so one chain
// alone runs far below throughput. A core retires at most one to one and a half mul + add pairs
// per cycle (2 or 3 vector FP ports), so 8 to 9 chains in flight saturate it; 12 leave margin and
// 12 + x + y still fit the 15 xmm registers V8 allocates on x64 (no spills). Measured on the
// 2-core development VM: 8 accumulators ≈ 31, 12 ≈ 33, 16 ≈ 35 GFLOP/s (beyond 15 live vectors
// V8 spills, and the gain there is the sibling hyper-thread's share of the ports, not the loop).
// x < 1 and y = 1 − x keep every accumulator at 1: no overflow, no denormals.
//
// Work per loop iteration: 12 f32x4.mul + 12 f32x4.add = 12 × (4 + 4) = 96 flop, which is what
// FLOPS_PER_ITERATION reports; GFLOP/s = iterations × 96 / seconds / 1e9.

const ACCUMULATORS = 12;
/** flop per loop iteration of peak_loop: ACCUMULATORS × (4 mul lanes + 4 add lanes) */
export const FLOPS_PER_ITERATION: i32 = ACCUMULATORS * 8;

/** Runs `iterations` rounds of the 12 multiply-add chains; returns their sum so none is dropped. */
export function peak_loop(iterations: i32, seed: f32): f32 {
  const x = f32x4.splat(seed);
  const y = f32x4.splat(<f32>1 - seed);
  let a0 = f32x4.splat(1), a1 = f32x4.splat(1), a2 = f32x4.splat(1), a3 = f32x4.splat(1), a4 = f32x4.splat(1), a5 = f32x4.splat(1);
  let a6 = f32x4.splat(1), a7 = f32x4.splat(1), a8 = f32x4.splat(1), a9 = f32x4.splat(1), a10 = f32x4.splat(1), a11 = f32x4.splat(1);
  for (let i = 0; i < iterations; i++) {
    a0 = f32x4.add(f32x4.mul(a0, x), y);
    a1 = f32x4.add(f32x4.mul(a1, x), y);
    a2 = f32x4.add(f32x4.mul(a2, x), y);
    a3 = f32x4.add(f32x4.mul(a3, x), y);
    a4 = f32x4.add(f32x4.mul(a4, x), y);
    a5 = f32x4.add(f32x4.mul(a5, x), y);
    a6 = f32x4.add(f32x4.mul(a6, x), y);
    a7 = f32x4.add(f32x4.mul(a7, x), y);
    a8 = f32x4.add(f32x4.mul(a8, x), y);
    a9 = f32x4.add(f32x4.mul(a9, x), y);
    a10 = f32x4.add(f32x4.mul(a10, x), y);
    a11 = f32x4.add(f32x4.mul(a11, x), y);
  }
  const s = f32x4.add(
    f32x4.add(f32x4.add(f32x4.add(a0, a1), f32x4.add(a2, a3)), f32x4.add(f32x4.add(a4, a5), f32x4.add(a6, a7))),
    f32x4.add(f32x4.add(a8, a9), f32x4.add(a10, a11)));
  return f32x4.extract_lane(s, 0) + f32x4.extract_lane(s, 1) + f32x4.extract_lane(s, 2) + f32x4.extract_lane(s, 3);
}
