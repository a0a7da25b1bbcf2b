// The machine's WASM SIMD multiply-add peak, for the benchmark only (never part of the library).
// Compiled exactly like the library (asc --target release of asconfig.json: -O3, noAssert,
// runtime stub, SIMD) into build/peak.wasm; loaded by bench/bench.ts.
//
// N independent f32x4 accumulators, each updated acc = acc·x + y with f32x4.mul then f32x4.add
// (plain SIMD has no fused multiply-add), touching no memory: every update is one mul + one add
// of 4 lanes = 8 flop, so a loop iteration is N × 8 flop (FLOPS_PER_ITERATION_*), and
// GFLOP/s = iterations × N × 8 / seconds / 1e9. x < 1 and y = 1 − x keep every accumulator at 1:
// no overflow, no denormals.
//
// One chain waits a mul and an add latency (4 + 2…4 cycles on current x86 cores) before its next
// update, so the loop reaches the ports' throughput only with enough chains in flight: about 8–9
// on a core that retires 1–1.5 mul + add pairs per cycle. `peak_loop_12` (12 chains + x + y fit
// the 15 xmm registers V8 allocates on x64: truly register-only) is that textbook loop. On the
// development VM it was not enough: 12 chains ≈ 33, 16 ≈ 35, 24 ≈ 37–40 GFLOP/s, and the
// library's GEMM reached 39 GFLOP/s at n = 256, whose madd (acc += x·y) keeps the mul off the
// chain. So `peak_loop_24` runs 24 chains (V8 keeps some in stack slots; the loads and stores go
// to other ports than the FP ones), and the bench reports as the peak the larger of the two.

// `peak_loop_madd` is the shape of the GEMM micro-kernel without its loads: 8 accumulators, each
// acc += x_r·y_c for 4 broadcast-like operands x and 2 vectors y (all in registers), so only the
// add is on a chain. Its operands are loop-invariant; V8 (TurboFan, Node 20) does not hoist the
// products out of the loop — checked by timing: an iteration takes about 1.6× as long as the same
// loop with the multiplies removed — so every iteration performs 8 muls and 8 adds.
//
// `peak_loop_fma` is peak_loop_12 with each update one f32x4.relaxed_madd (fused where the engine
// and CPU fuse it: V8 on x64 with FMA3 emits vfmadd): still 8 flop per update. Relaxed SIMD
// exists only in the build made with --enable relaxed-simd (build/peak-relaxed.wasm, validated
// only where the engine accepts it); in the plain build (build/peak.wasm) the function is a trap,
// so that module stays valid on every engine with plain SIMD.

/** flop per loop iteration of peak_loop_madd: 8 × (4 + 4) */
export const FLOPS_PER_ITERATION_MADD: i32 = 8 * 8;

/** flop per loop iteration of peak_loop_12: 12 × (4 mul lanes + 4 add lanes) */
export const FLOPS_PER_ITERATION_12: i32 = 12 * 8;
/** flop per loop iteration of peak_loop_24: 24 × (4 + 4) */
export const FLOPS_PER_ITERATION_24: i32 = 24 * 8;
/** flop per loop iteration of peak_loop_fma: 12 × (4 mul lanes + 4 add lanes, fused) */
export const FLOPS_PER_ITERATION_FMA: i32 = 12 * 8;

/** `iterations` rounds of 12 independent multiply-add chains (register-only). */
export function peak_loop_12(iterations: i32, seed: f32): f32 {
  const x = f32x4.splat(seed);
  const y = f32x4.splat(<f32>1 - seed);
  const one = f32x4.splat(1);
  let a0 = one, a1 = one, a2 = one, a3 = one, a4 = one, a5 = one;
  let a6 = one, a7 = one, a8 = one, a9 = one, a10 = one, a11 = one;
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
  // every accumulator reaches the result, so none of the work can be dropped
  const s = f32x4.add(f32x4.add(f32x4.add(f32x4.add(a0, a1), f32x4.add(a2, a3)), f32x4.add(f32x4.add(a4, a5), f32x4.add(a6, a7))), f32x4.add(f32x4.add(a8, a9), f32x4.add(a10, a11)));
  return f32x4.extract_lane(s, 0) + f32x4.extract_lane(s, 1) + f32x4.extract_lane(s, 2) + f32x4.extract_lane(s, 3);
}

/** `iterations` rounds of 24 independent multiply-add chains. */
export function peak_loop_24(iterations: i32, seed: f32): f32 {
  const x = f32x4.splat(seed);
  const y = f32x4.splat(<f32>1 - seed);
  const one = f32x4.splat(1);
  let a0 = one, a1 = one, a2 = one, a3 = one, a4 = one, a5 = one;
  let a6 = one, a7 = one, a8 = one, a9 = one, a10 = one, a11 = one;
  let a12 = one, a13 = one, a14 = one, a15 = one, a16 = one, a17 = one;
  let a18 = one, a19 = one, a20 = one, a21 = one, a22 = one, a23 = one;
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
    a12 = f32x4.add(f32x4.mul(a12, x), y);
    a13 = f32x4.add(f32x4.mul(a13, x), y);
    a14 = f32x4.add(f32x4.mul(a14, x), y);
    a15 = f32x4.add(f32x4.mul(a15, x), y);
    a16 = f32x4.add(f32x4.mul(a16, x), y);
    a17 = f32x4.add(f32x4.mul(a17, x), y);
    a18 = f32x4.add(f32x4.mul(a18, x), y);
    a19 = f32x4.add(f32x4.mul(a19, x), y);
    a20 = f32x4.add(f32x4.mul(a20, x), y);
    a21 = f32x4.add(f32x4.mul(a21, x), y);
    a22 = f32x4.add(f32x4.mul(a22, x), y);
    a23 = f32x4.add(f32x4.mul(a23, x), y);
  }
  // every accumulator reaches the result, so none of the work can be dropped
  const s = f32x4.add(f32x4.add(f32x4.add(f32x4.add(f32x4.add(a0, a1), f32x4.add(a2, a3)), f32x4.add(f32x4.add(a4, a5), f32x4.add(a6, a7))), f32x4.add(f32x4.add(f32x4.add(a8, a9), f32x4.add(a10, a11)), f32x4.add(f32x4.add(a12, a13), f32x4.add(a14, a15)))), f32x4.add(f32x4.add(f32x4.add(a16, a17), f32x4.add(a18, a19)), f32x4.add(f32x4.add(a20, a21), f32x4.add(a22, a23))));
  return f32x4.extract_lane(s, 0) + f32x4.extract_lane(s, 1) + f32x4.extract_lane(s, 2) + f32x4.extract_lane(s, 3);
}

/** `iterations` rounds of 8 multiply-adds whose products are off the accumulators' chains. */
export function peak_loop_madd(iterations: i32, seed: f32): f32 {
  const x0 = f32x4.splat(seed), x1 = f32x4.splat(seed * 0.5), x2 = f32x4.splat(seed * 0.25), x3 = f32x4.splat(seed * 0.125);
  // tiny y: the sums stay small and normal (no overflow, no denormals) over any iteration count
  const y0 = f32x4.splat(1e-20), y1 = f32x4.splat(2e-20);
  let a0 = f32x4.splat(1), a1 = a0, a2 = a0, a3 = a0, a4 = a0, a5 = a0, a6 = a0, a7 = a0;
  for (let i = 0; i < iterations; i++) {
    a0 = f32x4.add(a0, f32x4.mul(x0, y0)); a1 = f32x4.add(a1, f32x4.mul(x0, y1));
    a2 = f32x4.add(a2, f32x4.mul(x1, y0)); a3 = f32x4.add(a3, f32x4.mul(x1, y1));
    a4 = f32x4.add(a4, f32x4.mul(x2, y0)); a5 = f32x4.add(a5, f32x4.mul(x2, y1));
    a6 = f32x4.add(a6, f32x4.mul(x3, y0)); a7 = f32x4.add(a7, f32x4.mul(x3, y1));
  }
  const s = f32x4.add(f32x4.add(f32x4.add(a0, a1), f32x4.add(a2, a3)), f32x4.add(f32x4.add(a4, a5), f32x4.add(a6, a7)));
  return f32x4.extract_lane(s, 0) + f32x4.extract_lane(s, 1) + f32x4.extract_lane(s, 2) + f32x4.extract_lane(s, 3);
}

/** `iterations` rounds of 12 independent relaxed_madd chains (register-only); the relaxed build only. */
export function peak_loop_fma(iterations: i32, seed: f32): f32 {
  if (!ASC_FEATURE_RELAXED_SIMD) unreachable(); // the plain build: no relaxed instruction in it
  const x = f32x4.splat(seed);
  const y = f32x4.splat(<f32>1 - seed);
  const one = f32x4.splat(1);
  let a0 = one, a1 = one, a2 = one, a3 = one, a4 = one, a5 = one;
  let a6 = one, a7 = one, a8 = one, a9 = one, a10 = one, a11 = one;
  if (ASC_FEATURE_RELAXED_SIMD) {
    for (let i = 0; i < iterations; i++) {
      a0 = f32x4.relaxed_madd(a0, x, y);
      a1 = f32x4.relaxed_madd(a1, x, y);
      a2 = f32x4.relaxed_madd(a2, x, y);
      a3 = f32x4.relaxed_madd(a3, x, y);
      a4 = f32x4.relaxed_madd(a4, x, y);
      a5 = f32x4.relaxed_madd(a5, x, y);
      a6 = f32x4.relaxed_madd(a6, x, y);
      a7 = f32x4.relaxed_madd(a7, x, y);
      a8 = f32x4.relaxed_madd(a8, x, y);
      a9 = f32x4.relaxed_madd(a9, x, y);
      a10 = f32x4.relaxed_madd(a10, x, y);
      a11 = f32x4.relaxed_madd(a11, x, y);
    }
  }
  // every accumulator reaches the result, so none of the work can be dropped
  const s = f32x4.add(f32x4.add(f32x4.add(f32x4.add(a0, a1), f32x4.add(a2, a3)), f32x4.add(f32x4.add(a4, a5), f32x4.add(a6, a7))), f32x4.add(f32x4.add(a8, a9), f32x4.add(a10, a11)));
  return f32x4.extract_lane(s, 0) + f32x4.extract_lane(s, 1) + f32x4.extract_lane(s, 2) + f32x4.extract_lane(s, 3);
}

// `tile_loop` is the plain GEMM's micro-kernel with its loads (assembly/gemm-packed.ts, plain
// builds: a 4 × 8 tile, acc += x·y with x one float of an A panel broadcast and y 4 floats of a B
// panel): per k, 4 broadcasts and 2 vector loads from panels of TILE_K values of k (4 + 8 KiB:
// L1-resident), 8 multiply-adds. scripts/host-noise.mjs times it beside the register-only loop
// and GEMM 512, to tell noise in the core's load and FP ports from noise in the caches beyond L1.
/** values of k in the tile's panels */
export const TILE_K: i32 = 256;
/** flop per call of tile_loop's inner pass: TILE_K × 8 × 8 */
export const FLOPS_PER_TILE_PASS: i32 = TILE_K * 8 * 8;
const PANEL_A = memory.data(TILE_K * 4 * 4, 64);
const PANEL_B = memory.data(TILE_K * 8 * 4, 64);

/** `passes` passes of the 4 × 8 tile over the panels (filled with `seed`-derived small values). */
export function tile_loop(passes: i32, seed: f32): f32 {
  for (let i = 0; i < TILE_K * 4; i++) store<f32>(PANEL_A + (<usize>i << 2), seed * <f32>(i & 7) * 1e-3);
  for (let i = 0; i < TILE_K * 8; i++) store<f32>(PANEL_B + (<usize>i << 2), seed * <f32>(i & 3) * 1e-3);
  let out = f32x4.splat(0);
  for (let p = 0; p < passes; p++) {
    let pa = PANEL_A, pb = PANEL_B;
    let c00 = f32x4.splat(0), c01 = c00, c10 = c00, c11 = c00, c20 = c00, c21 = c00, c30 = c00, c31 = c00;
    for (let k = 0; k < TILE_K; k++) {
      const y0 = v128.load(pb), y1 = v128.load(pb, 16);
      const x0 = v128.load32_splat(pa), x1 = v128.load32_splat(pa, 4), x2 = v128.load32_splat(pa, 8), x3 = v128.load32_splat(pa, 12);
      c00 = f32x4.add(c00, f32x4.mul(x0, y0)); c01 = f32x4.add(c01, f32x4.mul(x0, y1));
      c10 = f32x4.add(c10, f32x4.mul(x1, y0)); c11 = f32x4.add(c11, f32x4.mul(x1, y1));
      c20 = f32x4.add(c20, f32x4.mul(x2, y0)); c21 = f32x4.add(c21, f32x4.mul(x2, y1));
      c30 = f32x4.add(c30, f32x4.mul(x3, y0)); c31 = f32x4.add(c31, f32x4.mul(x3, y1));
      pa += 16; pb += 32;
    }
    // each pass's sums reach the result (a pass is a tile of C, as the GEMM stores it)
    out = f32x4.add(out, f32x4.add(f32x4.add(f32x4.add(c00, c01), f32x4.add(c10, c11)), f32x4.add(f32x4.add(c20, c21), f32x4.add(c30, c31))));
  }
  return f32x4.extract_lane(out, 0) + f32x4.extract_lane(out, 1) + f32x4.extract_lane(out, 2) + f32x4.extract_lane(out, 3);
}
