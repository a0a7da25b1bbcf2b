/** Flag parsing shared by `wasm-mlp train` and `wasm-mlp predict`: every bad value is a UsageError. */
import { parseArgs } from 'node:util';
import { UsageError } from './cli-data.js';

export type Flags = Record<string, string | boolean | undefined>;

export function parseFlags(argv: string[], options: Record<string, { type: 'string' | 'boolean'; short?: string }>): Flags {
  try {
    return parseArgs({ args: argv, strict: true, allowPositionals: false, options }).values as Flags;
  } catch (e) {
    // node explains some errors over several lines: keep all of it, on one line
    throw new UsageError((e as Error).message.replace(/\s*\n\s*/g, ' '));
  }
}

export function required(f: Flags, k: string, what: string): string {
  const v = f[k];
  if (typeof v !== 'string' || v === '') throw new UsageError(`--${k} ${what} is required`);
  return v;
}

export function oneOf<T extends string>(f: Flags, k: string, allowed: readonly T[], dflt: T): T {
  const v = f[k] as string | undefined;
  if (v === undefined) return dflt;
  if (!allowed.includes(v as T)) throw new UsageError(`--${k} must be one of ${allowed.join(', ')}; got '${v}'`);
  return v as T;
}

/** A numeric flag: `ok` says what is accepted, `want` how to say it. */
export function num(f: Flags, k: string, dflt: number | undefined, ok: (x: number) => boolean, want: string): number | undefined {
  const v = f[k] as string | undefined;
  if (v === undefined) return dflt;
  const x = Number(v);
  if (v.trim() === '' || !ok(x)) throw new UsageError(`--${k} must be ${want}; got '${v}'`);
  return x;
}

export const isPosInt = (x: number): boolean => Number.isInteger(x) && x > 0;
