/**
 * The benchmark's timing protocol, shared by `npm run bench` (Node) and `npm run bench:browser`
 * (the page and its worker): warm-up and calibration per runner, one untimed round of all of them,
 * then `repeats` timed repeats,
 * alternating round-robin across the runners (repeat r starts at runner r, so no runner always
 * follows the same one), each lasting at least `minSeconds` (or one step
 * when a step is longer), each from a collected heap where gc() is exposed. Only
 * performance.now() is used, so it runs anywhere.
 */
import { stepsFor } from './stats.js';

export interface Protocol {
  repeats: number;
  minSeconds: number;
  /** a runner whose single step would make its repeats take longer than this is skipped */
  maxSecondsPerImpl: number;
}
export const PROTOCOL: Protocol = { repeats: 5, minSeconds: 0.3, maxSecondsPerImpl: 90 };

/**
 * One implementation being timed: time(k) performs k steps (products, peak-loop chunks) and
 * returns the seconds they took, measured where they run (a worker times itself).
 */
export interface Runner { impl: string; before?(): Promise<void> | void; time(k: number): number | Promise<number> }
export interface Timing { impl: string; perStep: number[]; stepsPerRepeat: number; skipped?: string }

/** A runner's time() for a synchronous run(k). */
export function timed(run: (k: number) => void): (k: number) => number {
  return (k) => {
    const t0 = performance.now();
    run(k);
    return (performance.now() - t0) / 1000;
  };
}

/**
 * A runner's time() for k steps from a fixed start: `reset` (untimed) puts the initial
 * parameters back before every call, so every implementation, and every call, times the same
 * stretch of training (how fast a step runs can depend on where training is: saturated units,
 * say). Calls are ≥ 0.3 s, so `reset` costs under 1% of the wall time.
 */
export function timedFrom(reset: () => void, run: (k: number) => void): (k: number) => number {
  const t = timed(run);
  return (k) => {
    reset();
    return t(k);
  };
}

/** Warm-up and calibration of each runner, then the alternating timed repeats. */
export async function roundRobin(runners: readonly Runner[], p: Protocol = PROTOCOL): Promise<Timing[]> {
  const timings: Timing[] = [];
  for (const r of runners) {
    await r.before?.();
    // warm-up: double k until one call lasts ≥ 0.1 s (one call when a step is slower than that)
    let k = 1, t = await r.time(k);
    while (t < 0.1) { k *= 2; t = await r.time(k); }
    const perStep = t / k;
    const timing: Timing = { impl: r.impl, perStep: [], stepsPerRepeat: stepsFor(perStep, p.minSeconds) };
    if (perStep * p.repeats > p.maxSecondsPerImpl) timing.skipped = `one step takes ${perStep.toFixed(1)} s: ${p.repeats} repeats would exceed ${p.maxSecondsPerImpl} s`;
    timings.push(timing);
  }
  // one untimed round first, every runner for a repeat's length: the engine goes on compiling what
  // warm-up ran (V8 tiers wasm and JS up on background threads, TF.js's 0.1–0.4 MB of each among
  // them) for a while after it, on the core a second thread needs. Without this round the 2-thread
  // cell of mnist-shape ran 1.37× and 1.41× the 1-thread one in the first two rounds of a run and
  // 1.68–1.79× in the other three, in three runs; alone (no other implementation) 1.77×.
  for (const [i, r] of runners.entries()) {
    const tm = timings[i];
    if (tm.skipped) continue;
    await r.before?.();
    let seconds = 0;
    do { seconds += await r.time(tm.stepsPerRepeat); } while (seconds < p.minSeconds);
  }
  // each repeat starts one runner further on: in a fixed order the 2-thread cell on planar, which
  // runs the 1-thread cell's code (its threads never get a part), always came after the older
  // build's cell and ran 0.97× and 0.96× the 1-thread cell (a run's median of repeats; 1.00× in
  // one of three runs); with the turn it ran 1.00×, 0.99×, 1.00× (three runs of
  // `node --expose-gc build/bench.mjs --workloads planar --gemm none --no-checks --baseline …`),
  // as scripts/train-ab.mjs's alternation gives it (1.00× and 1.01×)
  for (let rep = 0; rep < p.repeats; rep++) {
    for (let s = 0; s < runners.length; s++) {
      const i = (s + rep) % runners.length, r = runners[i], tm = timings[i];
      if (tm.skipped) continue;
      await r.before?.();
      // each repeat starts from a collected heap (where gc() is exposed: Node's bench runs with
      // --expose-gc): the garbage one runner leaves (train({ iterations: 1 }) makes its result
      // objects, the step API its calls' temporaries) is not collected on the next one's clock.
      // Without it the runner after those two, the 2-thread cell on planar, lost 6–8% in three
      // runs; with it the 2-thread cell ran 1.03–1.04× the 1-thread one (README, Speed).
      (globalThis as { gc?: () => void }).gc?.();
      let steps = 0, seconds = 0;
      do { seconds += await r.time(tm.stepsPerRepeat); steps += tm.stepsPerRepeat; } while (seconds < p.minSeconds);
      tm.perStep.push(seconds / steps);
    }
  }
  return timings;
}
