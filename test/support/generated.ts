// Settings shared by the generated (property-based) suites: how many cases, the seed that
// replays a failure, a tally of the cases run, and value and shape generators.
//
//   WASM_MLP_FC_SCALE=10 npm test            ten times the cases (a long run)
//   WASM_MLP_FC_SEED=<seed> [WASM_MLP_FC_PATH=<path>] npx vitest run test/generated-…
//                                            replays the failure fast-check printed
import fc from 'fast-check';
import { afterAll } from 'vitest';
import { createRng } from '../../src/util/rng.js';

export const FC_SCALE = Number(process.env.WASM_MLP_FC_SCALE ?? 1);
const SEED = process.env.WASM_MLP_FC_SEED === undefined ? undefined : Number(process.env.WASM_MLP_FC_SEED);
const PATH = process.env.WASM_MLP_FC_PATH;

/** Cases run in this test file (each property's predicate counts itself). */
let cases = 0;
export function counted<A extends unknown[], R>(f: (...a: A) => R): (...a: A) => R {
  return (...a: A) => {
    cases++;
    return f(...a);
  };
}

/** Prints the file's count after its tests: `[generated] <label>: N cases`. */
export function reportCases(label: string): void {
  afterAll(() => {
    console.log(`[generated] ${label}: ${cases} cases (WASM_MLP_FC_SCALE=${FC_SCALE})`);
  });
}

/**
 * fast-check parameters for `runs` cases (times WASM_MLP_FC_SCALE); the seed and path come from
 * the environment when replaying. On failure fast-check's message holds the seed and the path.
 */
export function fcRuns(runs: number): fc.Parameters<unknown> {
  const p: fc.Parameters<unknown> = { numRuns: Math.max(1, Math.round(runs * FC_SCALE)), endOnFailure: true };
  if (SEED !== undefined) p.seed = SEED;
  if (PATH !== undefined) p.path = PATH;
  return p;
}

/** A dimension 1–70, odd sizes over-represented. */
export const dim = fc.oneof(
  { weight: 3, arbitrary: fc.integer({ min: 1, max: 35 }).map((k) => 2 * k - 1) },
  { weight: 2, arbitrary: fc.integer({ min: 1, max: 70 }) },
  { weight: 1, arbitrary: fc.constantFrom(1, 2, 3, 4, 5, 7, 8, 9, 15, 16, 17, 31, 32, 33, 63, 64, 65) },
);

/** What a generated array holds: ordinary values, specials (±0, subnormals, tiny and large), or magnitudes spread over 2^±56. */
export type ValueMix = 'normal' | 'specials' | 'wide';
export const valueMix = fc.constantFrom<ValueMix>('normal', 'normal', 'specials', 'wide');

/** float32 values from a seeded stream (fast enough for 70·70 arrays; the seed and mix replay it). */
export function values(n: number, seed: number, mix: ValueMix, maxExp = 56): Float32Array {
  const rng = createRng(seed);
  const out = new Float32Array(n);
  const bits = new Uint32Array(out.buffer);
  for (let i = 0; i < n; i++) {
    const u = rng.uniform();
    const sign = rng.uniform() < 0.5 ? -1 : 1;
    if (mix === 'normal' || (mix === 'specials' && u < 0.5)) out[i] = 4 * rng.uniform() - 2;
    else if (mix === 'wide') out[i] = sign * 2 ** (2 * maxExp * rng.uniform() - maxExp);
    else if (u < 0.6) out[i] = sign * 0; // +0 and −0
    else if (u < 0.75) bits[i] = ((sign < 0 ? 0x80000000 : 0) | (Math.floor(rng.uniform() * 0x7fffff) + 1)) >>> 0; // a subnormal
    else if (u < 0.85) out[i] = sign * 2 ** (-126 - 20 * rng.uniform()); // near the normal/subnormal edge
    else if (u < 0.95) out[i] = sign * 2 ** (maxExp * rng.uniform()); // large
    else out[i] = sign;
  }
  return out;
}

/** Seed for a value stream. */
export const seed = fc.integer({ min: 0, max: 2 ** 31 - 1 });
