// The CommonJS entry's type declarations: each dist/types/**/*.d.ts copied beside itself as .d.cts,
// with its relative imports pointing at the .cjs twins. The package is "type": "module", so
// TypeScript reads a .d.ts there as an ES module; the require condition of "exports" needs
// declarations that describe a CommonJS module (dist/index.cjs), and a .d.cts is one.
// Run by npm run build:types after tsc.
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const dir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', 'dist', 'types');
let n = 0;
for (const d of readdirSync(dir, { recursive: true, withFileTypes: true })) {
  if (!d.isFile() || !d.name.endsWith('.d.ts')) continue;
  const file = path.join(d.parentPath ?? d.path, d.name);
  // from './x.js' and import('./x.js') → './x.cjs' (which TypeScript resolves to ./x.d.cts)
  const text = readFileSync(file, 'utf8').replace(/(['"])(\.{1,2}\/[^'"]*?)\.js\1/g, '$1$2.cjs$1');
  writeFileSync(file.replace(/\.d\.ts$/, '.d.cts'), text);
  n++;
}
if (n === 0) {
  console.error('cjs-types: no .d.ts files in dist/types; run tsc -p tsconfig.build.json first');
  process.exit(1);
}
