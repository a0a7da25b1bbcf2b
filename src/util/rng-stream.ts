/**
 * What every seeded random stream here shares (this library's, rng.ts, and numpy's, numpy-rng.ts):
 * the Rng interface and the uniform double made of 53 random bits from two 32-bit words.
 */

export interface Rng {
  /** uniform in [0, 1), 53 random bits */
  uniform(): number;
  /** standard normal N(0, 1) */
  normal(): number;
}

/**
 * A multiple of 2⁻⁵³ in [0, 1) from two 32-bit words a, b (drawn in that order):
 * ((a >>> 5)·2²⁶ + (b >>> 6)) / 2⁵³, numpy's random_sample.
 */
export function uniform53(nextU32: () => number): number {
  return ((nextU32() >>> 5) * 67108864 + (nextU32() >>> 6)) / 9007199254740992;
}
