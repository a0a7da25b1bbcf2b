/**
 * numpy's legacy random stream (`np.random.seed`, `np.random.random_sample`, `np.random.randn`),
 * reimplemented from the algorithm definitions so that a seed gives the same doubles as numpy:
 *
 * - MT19937 (Matsumoto & Nishimura, 1998) seeded by its standard `init_genrand` recurrence, which
 *   is what `np.random.seed(n)` does for an integer 0 ≤ n < 2³²;
 * - uniform doubles with 53 random bits from two 32-bit words: (a >>> 5)·2²⁶ + (b >>> 6), over 2⁵³;
 * - Gaussians by Marsaglia's polar method, each accepted pair giving two values: the second is
 *   returned first and the first is kept for the next call (numpy's legacy `gauss` cache).
 *
 * The state is in 32-bit integers and every double operation is a single correctly rounded IEEE
 * operation (the logarithm too: logRounded, not Math.log, see log-exact.ts), so the stream is the
 * same on every engine and matches numpy built on a C library whose log is correctly rounded.
 */
import { pairedNormals, uniform53, type Rng } from './rng-stream.js';
import { logRounded } from './log-exact.js';

/** An Rng that also exposes the raw 32-bit words (for tests against the reference MT19937). */
export interface NumpyRng extends Rng {
  /** the next tempered 32-bit output of MT19937, an integer in [0, 2³²) */
  nextU32(): number;
}

/** The largest seed `np.random.seed` accepts as an integer. */
export const NUMPY_SEED_MAX = 0xffffffff;

// MT19937 parameters
const N = 624;
const M = 397;
const MATRIX_A = 0x9908b0df;
const UPPER = 0x80000000;
const LOWER = 0x7fffffff;

/**
 * numpy's legacy generator seeded like `np.random.seed(seed)`; seed is an integer in
 * [0, 2³² − 1] (checked by the callers, see checkRngSeed in rng.ts).
 */
export function createNumpyRng(seed: number): NumpyRng {
  const mt = new Uint32Array(N);
  // init_genrand: mt[i] = 1812433253 · (mt[i−1] xor (mt[i−1] >> 30)) + i  (mod 2³²)
  mt[0] = seed >>> 0;
  for (let i = 1; i < N; i++) {
    const p = mt[i - 1];
    mt[i] = (Math.imul(1812433253, p ^ (p >>> 30)) + i) >>> 0;
  }
  let pos = N; // the first draw regenerates the whole block

  /** One MT19937 "twist": regenerates the 624 words of the state. */
  const twist = (): void => {
    for (let k = 0; k < N; k++) {
      const y = (mt[k] & UPPER) | (mt[(k + 1) % N] & LOWER);
      mt[k] = mt[(k + M) % N] ^ (y >>> 1) ^ (y & 1 ? MATRIX_A : 0);
    }
    pos = 0;
  };

  const nextU32 = (): number => {
    if (pos >= N) twist();
    let y = mt[pos++];
    // tempering
    y ^= y >>> 11;
    y ^= (y << 7) & 0x9d2c5680;
    y ^= (y << 15) & 0xefc60000;
    y ^= y >>> 18;
    return y >>> 0;
  };

  /** random_sample: 27 + 26 bits → a multiple of 2⁻⁵³ in [0, 1) */
  const uniform = (): number => uniform53(nextU32);

  const normal = pairedNormals((keep) => {
    // polar method: a point uniform in the unit disc (without its centre)
    let x1: number, x2: number, r2: number;
    do {
      x1 = 2 * uniform() - 1;
      x2 = 2 * uniform() - 1;
      r2 = x1 * x1 + x2 * x2;
    } while (r2 >= 1 || r2 === 0);
    const f = Math.sqrt((-2 * logRounded(r2)) / r2);
    keep(f * x1); // numpy's legacy gauss cache: the second value of a pair is returned first
    return f * x2;
  });

  return { uniform, normal, nextU32 };
}
