// The declaration files a .d.ts reaches, for the package tests.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { expect } from 'vitest';

/** The .d.ts files reachable from `entry` through relative imports and re-exports. */
export function declarationClosure(entry: string): Map<string, string> {
  const seen = new Map<string, string>();
  const todo = [entry];
  while (todo.length) {
    const file = todo.pop()!;
    if (seen.has(file)) continue;
    expect(existsSync(file), `${path.relative(process.cwd(), file)} (imported by a declaration file) exists`).toBe(true);
    const text = readFileSync(file, 'utf8');
    seen.set(file, text);
    for (const m of text.matchAll(/\bfrom\s+['"](\.{1,2}\/[^'"]+)['"]/g)) {
      todo.push(path.resolve(path.dirname(file), m[1].replace(/\.js$/, '.d.ts')));
    }
  }
  return seen;
}
