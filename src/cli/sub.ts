/**
 * The subcommands of the `wasm-mlp` binary: `train` and `predict` on a user's CSV. src/cli/main.ts
 * hands over when its first argument names one; each reports its own errors on stderr.
 */
import { DataError, UnusableFileError, UsageError } from './data.js';
import { predictMain } from './predict.js';
import { trainMain } from './train.js';

export const SUBCOMMANDS = ['train', 'predict'] as const;
export type Subcommand = (typeof SUBCOMMANDS)[number];

export function isSubcommand(arg: string | undefined): arg is Subcommand {
  return (SUBCOMMANDS as readonly (string | undefined)[]).includes(arg);
}

/**
 * Runs a subcommand; returns the exit code: 0 done; 2 a bad flag, or a file it names that cannot
 * be used at all (missing, unreadable, empty, no data rows, a bad header, no such column); 1 a
 * file with bad rows, or any other failure.
 */
export async function runSubcommand(name: Subcommand, argv: string[]): Promise<number> {
  try {
    return await (name === 'train' ? trainMain(argv) : predictMain(argv));
  } catch (e) {
    if (e instanceof UsageError) {
      process.stderr.write(`wasm-mlp ${name}: ${e.message} (see wasm-mlp ${name} --help)\n`);
      return 2;
    }
    process.stderr.write(`wasm-mlp ${name}: ${e instanceof DataError ? e.message : (e as Error).message ?? String(e)}\n`);
    return e instanceof UnusableFileError ? 2 : 1;
  }
}
