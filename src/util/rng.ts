/**
 * Seeded, deterministic random numbers: xoshiro128** seeded through splitmix32, Gaussians by
 * Box–Muller. Pure JS arithmetic on 32-bit integers, so the same seed gives the same stream on
 * every engine and both backends. `seededRng` also offers numpy's legacy stream (numpy-rng.ts).
 */
import { createNumpyRng, NUMPY_SEED_MAX } from './numpy-rng.js';
import { pairedNormals, uniform53, type Rng } from './rng-stream.js';
import { fail } from './validate.js';

function splitmix32(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x9e3779b9) >>> 0;
    let z = s;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
    return (z ^ (z >>> 16)) >>> 0;
  };
}

export function createRng(seed: number): Rng {
  const init = splitmix32(seed);
  let a = init(), b = init(), c = init(), d = init();
  const nextU32 = (): number => {
    const r = Math.imul(rotl(Math.imul(b, 5) >>> 0, 7), 9) >>> 0;
    const t = (b << 9) >>> 0;
    c ^= a; d ^= b; b ^= c; a ^= d; c ^= t;
    d = rotl(d, 11);
    a >>>= 0; b >>>= 0; c >>>= 0;
    return r;
  };
  const uniform = (): number => uniform53(nextU32);
  const normal = pairedNormals((keep) => {
    let u = 0;
    while (u === 0) u = uniform(); // log(0) would be -Infinity
    const v = uniform();
    const r = Math.sqrt(-2 * Math.log(u));
    keep(r * Math.sin(2 * Math.PI * v));
    return r * Math.cos(2 * Math.PI * v);
  });
  return { uniform, normal };
}

function rotl(x: number, k: number): number {
  return ((x << k) | (x >>> (32 - k))) >>> 0;
}

/** Which random stream seeds init() and the data sets: this library's own, or numpy's legacy one. */
export type RngName = 'default' | 'numpy';

export const RNG_NAMES: readonly RngName[] = Object.freeze(['default', 'numpy'] as const);

/** Checks an `rng` option (undefined → 'default'). */
export function checkRngName(where: string, v: unknown): RngName {
  if (v === undefined) return 'default';
  if (!RNG_NAMES.includes(v as RngName)) fail(where, 'rng', "'default' or 'numpy'", v);
  return v as RngName;
}

/**
 * The seeded stream of the given kind. 'numpy' is `np.random.seed(seed)` (see numpy-rng.ts), so its
 * seed must be an integer from 0 to 2³² − 1 like numpy's; 'default' takes any safe integer.
 */
export function seededRng(where: string, kind: RngName, seed: number): Rng {
  checkRngSeed(where, kind, seed);
  return kind === 'numpy' ? createNumpyRng(seed) : createRng(seed);
}

/** Checks that an integer seed suits the stream: 'numpy' takes only 0 … 2³² − 1, like np.random.seed. */
export function checkRngSeed(where: string, kind: RngName, seed: number): void {
  if (kind === 'numpy' && !(Number.isInteger(seed) && seed >= 0 && seed <= NUMPY_SEED_MAX)) {
    fail(where, 'seed', `an integer from 0 to ${NUMPY_SEED_MAX} with rng 'numpy' (the range of np.random.seed)`, seed);
  }
}

/** [0, 1, …, m − 1] */
export function identityPermutation(m: number): Int32Array {
  const p = new Int32Array(m);
  for (let i = 0; i < m; i++) p[i] = i;
  return p;
}

/** Fisher–Yates shuffle of p in place, from the seeded generator; returns p. */
export function shuffleInPlace(p: Int32Array, rng: Rng): Int32Array {
  for (let j = p.length - 1; j > 0; j--) {
    const k = Math.floor(rng.uniform() * (j + 1));
    const t = p[j];
    p[j] = p[k];
    p[k] = t;
  }
  return p;
}
