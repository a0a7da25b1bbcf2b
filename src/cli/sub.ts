/**
 * The subcommands of the `wasm-mlp` binary: `train` and `predict` on a user's CSV, `export` to
 * ONNX and TF.js, `import` from TF.js. src/cli/main.ts
 * hands over when its first argument names one; each reports its own errors on stderr.
 */
import { DataError, UsageError } from './data.js';
import { exportMain, importMain } from './export.js';
import { predictMain } from './predict.js';
import { trainMain } from './train.js';

export const SUBCOMMANDS = ['train', 'predict', 'export', 'import'] as const;
export type Subcommand = (typeof SUBCOMMANDS)[number];

export function isSubcommand(arg: string | undefined): arg is Subcommand {
  return (SUBCOMMANDS as readonly (string | undefined)[]).includes(arg);
}

/** Runs a subcommand; returns the exit code: 0 done, 1 a bad file (or any failure), 2 a bad flag. */
export async function runSubcommand(name: Subcommand, argv: string[]): Promise<number> {
  try {
    const run = { train: trainMain, predict: predictMain, export: exportMain, import: importMain }[name];
    return await run(argv);
  } catch (e) {
    if (e instanceof UsageError) {
      process.stderr.write(`wasm-mlp ${name}: ${e.message} (see wasm-mlp ${name} --help)\n`);
      return 2;
    }
    process.stderr.write(`wasm-mlp ${name}: ${e instanceof DataError ? e.message : (e as Error).message ?? String(e)}\n`);
    return 1;
  }
}
