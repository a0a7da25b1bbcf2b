// esbuild's binary loader (and the vitest config) turn a .wasm import into its bytes.
declare module '*.wasm' {
  const bytes: Uint8Array<ArrayBuffer>;
  export default bytes;
}
