/**
 * dist/types as the package ships it: the declarations of the public API only. Every file in it is
 * reached from an entry's declarations (index.d.ts, data-index.d.ts, export.d.ts) through imports and re-exports (tsc emits one per source file the
 * library imports; scripts/prune-types.mjs removes those no public declaration refers to), and
 * none of the command line, the JS kernels, the engine or the trainer is among them.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { declarationClosure } from './support/declarations.js';
import { entryDeclarations } from '../scripts/package-entries.mjs';

const types = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', 'dist', 'types');

function allFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((d) =>
    d.isDirectory() ? allFiles(path.join(dir, d.name)) : [path.join(dir, d.name)]);
}

describe('dist/types', () => {
  const files = allFiles(types).map((f) => path.relative(types, f).split(path.sep).join('/')).sort();

  it("holds exactly what the entries' declarations reach (index.d.ts, data-index.d.ts, export.d.ts), each with its CommonJS twin (.d.cts)", () => {
    const pkg = JSON.parse(readFileSync(path.join(types, '..', '..', 'package.json'), 'utf8')) as { exports: Record<string, unknown> };
    const entries = entryDeclarations(pkg.exports).map((t) => path.resolve(types, '..', '..', t));
    expect(entries.map((e) => path.basename(e))).toEqual(['index.d.ts', 'data-index.d.ts', 'export.d.ts']);
    const reached = [...new Set(entries.flatMap((e) => [...declarationClosure(e).keys()]))]
      .map((f) => path.relative(types, f).split(path.sep).join('/')).sort();
    expect(files.filter((f) => f.endsWith('.d.ts'))).toEqual(reached);
    expect(files.filter((f) => f.endsWith('.d.cts'))).toEqual(reached.map((f) => f.replace(/\.d\.ts$/, '.d.cts')).sort());
    expect(files.filter((f) => !/\.d\.c?ts$/.test(f))).toEqual([]);
  });

  it('holds nothing of the command line, the JS kernels, the engine or the trainer', () => {
    expect(files).toContain('index.d.ts');
    expect(files).toContain('network.d.ts');
    const internal = files.filter((f) => /^cli\/|kernels-js\/|^core\/engine|^train\/trainer|^core\/plan/.test(f));
    expect(internal).toEqual([]);
  });
});
