// Keeps in dist/types only the declaration files the public API reaches: the entries' declarations
// (index.d.ts, export.d.ts) and what their imports and re-exports reach, transitively. tsc emits a declaration for every file the sources
// import (the JS kernels, the trainer, …); those that no public declaration refers to are deleted.
import { readdirSync, readFileSync, rmSync, rmdirSync } from 'node:fs';
import path from 'node:path';

const root = path.resolve(process.argv[2] ?? 'dist/types');
const reached = new Set();
const visit = (file) => {
  if (reached.has(file)) return;
  reached.add(file);
  const text = readFileSync(file, 'utf8');
  for (const m of text.matchAll(/\bfrom\s+['"](\.[^'"]+)['"]|\bimport\(\s*['"](\.[^'"]+)['"]\s*\)/g)) {
    visit(path.resolve(path.dirname(file), (m[1] ?? m[2]).replace(/\.js$/, '.d.ts')));
  }
};
// the package's two entries: "." (index.d.ts) and "./export" (export.d.ts) of package.json's exports
for (const entry of ['index.d.ts', 'export.d.ts']) visit(path.join(root, entry));

const prune = (dir) => {
  for (const d of readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, d.name);
    if (d.isDirectory()) {
      prune(full);
      if (readdirSync(full).length === 0) rmdirSync(full);
    } else if (!reached.has(full)) rmSync(full);
  }
};
prune(root);
