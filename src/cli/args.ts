/** Flag parsing shared by the main job and the subcommands (train, predict, export, import): every bad value is a UsageError. */
import { parseArgs } from 'node:util';

/** A bad flag or flag value (exit code 2). */
export class UsageError extends Error {}

export type Flags = Record<string, string | boolean | undefined>;

export function parseFlags(argv: string[], options: Record<string, { type: 'string' | 'boolean'; short?: string }>): Flags {
  try {
    return parseArgs({ args: argv, strict: true, allowPositionals: false, options }).values as Flags;
  } catch (e) {
    // node explains some errors over several lines: keep all of it, on one line
    throw new UsageError((e as Error).message.replace(/\s*\n\s*/g, ' '));
  }
}

/**
 * A subcommand's flags plus -h/--help: with --help, prints `help` and returns undefined (the
 * command then exits 0 without doing anything else).
 */
export function commandFlags(argv: string[], options: Record<string, { type: 'string' | 'boolean'; short?: string }>, help: string): Flags | undefined {
  const f = parseFlags(argv, { ...options, help: { type: 'boolean', short: 'h' } });
  if (!f.help) return f;
  process.stdout.write(help);
  return undefined;
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
export function num<D extends number | undefined>(f: Flags, k: string, dflt: D, ok: (x: number) => boolean, want: string): number | D {
  const v = f[k] as string | undefined;
  if (v === undefined) return dflt;
  const x = Number(v);
  if (v.trim() === '' || !ok(x)) throw new UsageError(`--${k} must be ${want}; got '${v}'`);
  return x;
}

export const isPosInt = (x: number): boolean => Number.isInteger(x) && x > 0;

/** Hidden layer sizes from a comma list such as "16,8": each an integer from 1 to 4096. */
export function layerSizes(f: Flags, k: string, dflt: string, what: string, example: string): number[] {
  const str = (f[k] as string | undefined) ?? dflt;
  const sizes = str.split(',').map((s) => (s.trim() === '' ? NaN : Number(s)));
  if (!sizes.every((n) => isPosInt(n) && n <= 4096)) {
    throw new UsageError(`--${k} must be ${what} from 1 to 4096, comma separated (e.g. ${example}); got '${str}'`);
  }
  return sizes;
}

/** A 30-character progress bar followed by `text`, for stderr on a terminal. */
export function progressBar(done: number, total: number, text: string): string {
  const width = 30;
  const filled = Math.round((done / total) * width);
  return `[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${text}`;
}
