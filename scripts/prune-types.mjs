// Keeps in dist/types only the declaration files the public API reaches: the entries' declarations
// (the "types" of each entry of package.json's "exports": index.d.ts, data-index.d.ts, export.d.ts)
// and what their imports and re-exports reach, transitively. tsc emits a declaration for every file the sources
// import (the JS kernels, the trainer, …); those that no public declaration refers to are deleted.
import { readdirSync, readFileSync, rmSync, rmdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { entryDeclarations } from './package-entries.mjs';

const root = path.resolve(process.argv[2] ?? 'dist/types');
// the entries' declarations as package.json's "exports" names them, relative to dist/types
const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));
const entries = entryDeclarations(pkg.exports).map((t) => path.relative(root, path.resolve(fileURLToPath(new URL('..', import.meta.url)), t)));
const reached = new Set();
const visit = (file) => {
  if (reached.has(file)) return;
  reached.add(file);
  const text = readFileSync(file, 'utf8');
  for (const m of text.matchAll(/\bfrom\s+['"](\.[^'"]+)['"]|\bimport\(\s*['"](\.[^'"]+)['"]\s*\)/g)) {
    visit(path.resolve(path.dirname(file), (m[1] ?? m[2]).replace(/\.js$/, '.d.ts')));
  }
};
for (const e of entries) visit(path.join(root, e));

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
