/**
 * The kernel modules and what this engine can run. One source (assembly/) gives four builds:
 * plain or relaxed SIMD, each with its own memory or importing a shared one (for threads). The
 * plain module with its own memory is inlined in every bundle, so the default needs no extra file;
 * the other three ship as files beside the bundle (dist/ and dist/browser/), read or fetched only
 * when a network asks for them, by the code in extra.ts (a file of its own in the bundles).
 */
// build/mlp.wasm deflated (scripts/deflate-wasm.mjs; named .wasm so that every bundler's binary
// loader for the module files inlines it too): base64 of deflated bytes adds about 3 KiB less
// gzip to the browser bundle than base64 of the module's own bytes (14.8 KiB against 17.8)
import plainDeflated from '../../build/mlp-deflated.wasm';
import type { SimdName } from './execution-options.js';

export { SIMD_OPTIONS, type SimdName, type SimdOption } from './execution-options.js';

/** True where the platform can unpack the inlined module (DecompressionStream: Node 18, Chrome 80, Firefox 113, Safari 16.4). */
export function canInflate(): boolean {
  return typeof DecompressionStream === 'function';
}

/** build/mlp.wasm's bytes, inflated by the platform. */
async function plainBytes(): Promise<Uint8Array<ArrayBuffer>> {
  if (!canInflate()) {
    throw new Error('this engine has no DecompressionStream, which unpacks the inlined kernels (Node 18, Chrome 80, Firefox 113 and Safari 16.4 have it)');
  }
  // read chunk by chunk (not through Response, which in Node loads undici and compiles its wasm)
  const reader = new Blob([plainDeflated]).stream().pipeThrough(new DecompressionStream('deflate')).getReader();
  const chunks: Uint8Array[] = [];
  let length = 0;
  for (let r = await reader.read(); !r.done; r = await reader.read()) {
    chunks.push(r.value);
    length += r.value.length;
  }
  const bytes = new Uint8Array(length);
  let at = 0;
  for (const c of chunks) {
    bytes.set(c, at);
    at += c.length;
  }
  return bytes;
}

/** The inlined module: plain SIMD, its own memory, compiled once (a failed compile is retried next time). */
let plainModule: Promise<WebAssembly.Module> | undefined;
export function compiledPlainModule(): Promise<WebAssembly.Module> {
  plainModule ??= plainBytes().then((bytes) => WebAssembly.compile(bytes));
  plainModule.catch(() => { plainModule = undefined; });
  return plainModule;
}

/**
 * The smallest SIMD module: one function () → v128 returning v128.const 0. (extra.ts builds its
 * relaxed-SIMD probe the same way: it imports no value from the main bundle's files.)
 */
function simdProbe(): Uint8Array<ArrayBuffer> {
  const code = [0x00 /* no locals */, 0xfd, 0x0c, ...new Array<number>(16).fill(0), 0x0b /* end */];
  return new Uint8Array([
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, // \0asm, version 1
    0x01, 0x05, 0x01, 0x60, 0x00, 0x01, 0x7b, //        type section: () → v128
    0x03, 0x02, 0x01, 0x00, //                          one function of that type
    0x0a, code.length + 2, 0x01, code.length, ...code, // its code
  ]);
}

export interface ModuleKind {
  simd: SimdName;
  /** imports a shared memory (threads) instead of owning one */
  shared: boolean;
}

/** The module's file name in build/ and beside the bundles in dist/. */
export function moduleFile(kind: ModuleKind): string {
  return `mlp${kind.simd === 'relaxed' ? '-relaxed' : ''}${kind.shared ? '-shared' : ''}.wasm`;
}

const isNode = typeof process === 'object' && typeof process.versions?.node === 'string';

/** A Node built-in, imported at run time only (a browser bundle never reaches these calls). */
export function importNode<T>(name: string): Promise<T> {
  const specifier = `node:${name}`;
  return import(/* webpackIgnore: true */ /* @vite-ignore */ specifier) as Promise<T>;
}

let simd: boolean | undefined;

/**
 * True when this engine can run the SIMD kernel module. Asked once per process: V8 keeps a little
 * native memory for every WebAssembly.validate (about 1 kB; 20 000 calls grew the resident size
 * by 17 MiB), and the answer cannot change.
 */
export function wasmSimdSupported(): boolean {
  if (simd === undefined) {
    try {
      // a module of one SIMD instruction: the kernels need nothing newer than SIMD itself (their
      // other features, bulk memory and the sign and saturating conversions, came before it)
      simd = typeof WebAssembly === 'object' && WebAssembly.validate(simdProbe());
    } catch {
      simd = false;
    }
  }
  return simd;
}

/** Internal, for tests that stub WebAssembly.validate: the next wasmSimdSupported() asks again. */
export function forgetSimdProbe(): void {
  simd = undefined;
}

const ISOLATION_HINT = 'serve it with Cross-Origin-Opener-Policy: same-origin and Cross-Origin-Embedder-Policy: require-corp';

/**
 * Why this page has no shared memory (it is not cross-origin isolated), or undefined. The finer
 * checks of threads (extra.ts's threadsUnavailable) come with the thread code, which such a page
 * never loads.
 */
export function noSharedMemory(): string | undefined {
  if ((globalThis as { crossOriginIsolated?: boolean }).crossOriginIsolated === false) {
    return `the page is not cross-origin isolated (${ISOLATION_HINT})`;
  }
  return undefined;
}

/** The number of cores this process may use (at least 1). */
export async function availableCores(): Promise<number> {
  const n = isNode
    ? (await importNode<typeof import('node:os')>('os')).availableParallelism()
    : (globalThis as { navigator?: { hardwareConcurrency?: number } }).navigator?.hardwareConcurrency;
  return Math.max(1, Math.floor(n ?? 1));
}

export { isNode };
