/**
 * What every seeded random stream here shares (this library's, rng.ts, and numpy's, numpy-rng.ts):
 * the Rng interface, the uniform double made of 53 random bits from two 32-bit words, and the
 * cache of Gaussians drawn in pairs.
 */

export interface Rng {
  /** uniform in [0, 1), 53 random bits */
  uniform(): number;
  /** standard normal N(0, 1) */
  normal(): number;
}

/**
 * Gaussians that come in pairs: `pair(keep)` computes one pair, passes the second to keep() and
 * returns the first; the kept one is returned by the next call.
 */
export function pairedNormals(pair: (keep: (second: number) => void) => number): () => number {
  let spare = 0;
  let hasSpare = false;
  const keep = (second: number): void => {
    spare = second;
    hasSpare = true;
  };
  return () => {
    if (hasSpare) {
      hasSpare = false;
      return spare;
    }
    return pair(keep);
  };
}

/**
 * A multiple of 2⁻⁵³ in [0, 1) from two 32-bit words a, b (drawn in that order):
 * ((a >>> 5)·2²⁶ + (b >>> 6)) / 2⁵³, numpy's random_sample.
 */
export function uniform53(nextU32: () => number): number {
  return ((nextU32() >>> 5) * 67108864 + (nextU32() >>> 6)) / 9007199254740992;
}
