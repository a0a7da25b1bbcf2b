// The import graph of src/: no circle anywhere, and every arrow runs down the layers
// cli → index → network → data/io → train → core → util (type-only imports count too).
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const SRC = path.resolve(__dirname, '../src');

/** Every .ts file below src/, as a path relative to src/ with forward slashes. */
function sourceFiles(dir = SRC): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((d) => {
    const full = path.join(dir, d.name);
    if (d.isDirectory()) return sourceFiles(full);
    return d.name.endsWith('.ts') && !d.name.endsWith('.d.ts') ? [path.relative(SRC, full).split(path.sep).join('/')] : [];
  });
}

/** The src/ files a file imports or re-exports from (relative specifiers only, `.js` → `.ts`). */
function importsOf(file: string): string[] {
  const text = readFileSync(path.join(SRC, file), 'utf8');
  const specs = [...text.matchAll(/^\s*(?:import|export)\b[^'";]*?\bfrom\s+['"]([^'"]+)['"]/gms)].map((m) => m[1]);
  return specs
    .filter((s) => s.startsWith('.') && !s.endsWith('.wasm'))
    .map((s) => path.posix.normalize(path.posix.join(path.posix.dirname(file), s)).replace(/\.js$/, '.ts'));
}

/** A cycle in the graph as [a, b, …, a], or null. */
function findCycle(graph: Map<string, string[]>): string[] | null {
  const state = new Map<string, 'open' | 'done'>();
  const stack: string[] = [];
  const visit = (n: string): string[] | null => {
    if (state.get(n) === 'done') return null;
    if (state.get(n) === 'open') return [...stack.slice(stack.indexOf(n)), n];
    state.set(n, 'open');
    stack.push(n);
    for (const m of graph.get(n) ?? []) {
      const c = visit(m);
      if (c) return c;
    }
    stack.pop();
    state.set(n, 'done');
    return null;
  };
  for (const n of graph.keys()) {
    const c = visit(n);
    if (c) return c;
  }
  return null;
}

/** The layer of a file: an import may only point at the same layer or a lower one. */
function layerOf(file: string): number {
  const top = file.split('/')[0];
  const byFolder: Record<string, number> = { util: 0, core: 1, train: 2, data: 3, io: 3, cli: 6 };
  if (top in byFolder) return byFolder[top];
  // the two entries, index.ts and export.ts (wasm-mlp/export, which imports index.ts); then network.ts, network-options.ts, gradcheck.ts
  return file === 'index.ts' || file === 'export.ts' ? 5 : 4;
}

const files = sourceFiles();
const graph = new Map(files.map((f) => [f, importsOf(f)]));

describe('the import graph of src/', () => {
  it('is read: every file is found and every import resolves to a file in src/', () => {
    expect(files).toContain('network.ts');
    expect(graph.get('network.ts')).toContain('core/engine.ts');
    expect(graph.get('index.ts')).toContain('network.ts');
    for (const [f, deps] of graph) for (const d of deps) expect(files, `${f} imports ${d}`).toContain(d);
  });

  it('the cycle finder finds a circle when there is one', () => {
    const g = new Map([['a', ['b']], ['b', ['c']], ['c', ['a']], ['d', ['a']]]);
    expect(findCycle(g)).toEqual(['a', 'b', 'c', 'a']);
    expect(findCycle(new Map([['a', ['b']], ['b', []]]))).toBeNull();
  });

  it('has no circle', () => {
    expect(findCycle(graph)).toBeNull();
  });

  it('runs down the layers: cli → index → network → data/io → train → core → util', () => {
    const against = [...graph].flatMap(([f, deps]) => deps.filter((d) => layerOf(d) > layerOf(f)).map((d) => `${f} → ${d}`));
    expect(against).toEqual([]);
  });
});
