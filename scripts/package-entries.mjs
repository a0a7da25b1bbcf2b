// The ES-module type declarations of a package.json "exports" map: the "types" of each entry, or of
// its "import" branch (where "require" has .d.cts twins of its own), in the map's order.
export function entryDeclarations(exports) {
  const out = [];
  for (const value of Object.values(exports)) {
    if (typeof value !== 'object' || value === null) continue;
    const types = typeof value.types === 'string' ? value.types : value.import?.types;
    if (typeof types === 'string') out.push(types);
  }
  return out;
}
