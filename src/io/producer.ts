/** Who writes the exported files: the library's name and version (test/export-version.test.ts keeps it equal to package.json's). */
export const LIBRARY_NAME = 'wasm-mlp';
export const LIBRARY_VERSION = '0.1.0';
