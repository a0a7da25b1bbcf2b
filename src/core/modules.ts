/**
 * The kernel modules and what this engine can run. One source (assembly/) gives four builds:
 * plain or relaxed SIMD, each with its own memory or importing a shared one (for threads). The two
 * with their own memory are inlined in every bundle, so one thread needs no extra file on any
 * engine; the two shared-memory builds ship as files beside the bundle (dist/ and dist/browser/),
 * read or fetched only when a network asks for threads, by the code in extra.ts (a file of its own
 * in the bundles).
 */
// build/mlp.wasm and build/mlp-relaxed.wasm deflated together (scripts/inline-wasm.mjs; named .wasm
// so that every bundler's binary loader for the module files inlines it too)
import inlinedDeflated from '../../build/mlp-inlined.wasm';
import type { SimdName } from './execution-options.js';

export { SIMD_OPTIONS, type SimdName, type SimdOption } from './execution-options.js';

/** True where the platform can unpack the inlined modules (DecompressionStream: Node 18, Chrome 80, Firefox 113, Safari 16.4). */
export function canInflate(): boolean {
  return typeof DecompressionStream === 'function';
}

/** build/mlp.wasm's and build/mlp-relaxed.wasm's bytes, inflated by the platform. */
async function inlinedBytes(): Promise<Record<SimdName, Uint8Array<ArrayBuffer>>> {
  if (!canInflate()) {
    throw new Error('this engine has no DecompressionStream, which unpacks the inlined kernels (Node 18, Chrome 80, Firefox 113 and Safari 16.4 have it)');
  }
  // read chunk by chunk (not through Response, which in Node loads undici and compiles its wasm)
  const reader = new Blob([inlinedDeflated]).stream().pipeThrough(new DecompressionStream('deflate')).getReader();
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
  // the two lengths (4 bytes each, little-endian), then in halves: plain's first, relaxed's first,
  // plain's second, relaxed's second (scripts/inline-wasm.mjs)
  const view = new DataView(bytes.buffer);
  const np = view.getUint32(0, true), nr = view.getUint32(4, true);
  const hp = np >> 1, hr = nr >> 1;
  const plain = new Uint8Array(np), relaxed = new Uint8Array(nr);
  plain.set(bytes.subarray(8, 8 + hp));
  relaxed.set(bytes.subarray(8 + hp, 8 + hp + hr));
  plain.set(bytes.subarray(8 + hp + hr, 8 + np + hr), hp);
  relaxed.set(bytes.subarray(8 + np + hr), hr);
  return { plain, relaxed };
}

const compiled: Partial<Record<SimdName, Promise<WebAssembly.Module>>> = {};

/**
 * An inlined module (its own memory), compiled once per process (the bytes are inflated for it
 * and let go; asking for the other one inflates them again). A failed inflate or compile is
 * retried next time.
 */
export function compiledInlinedModule(simd: SimdName): Promise<WebAssembly.Module> {
  let p = compiled[simd];
  if (p === undefined) {
    p = inlinedBytes().then((b) => WebAssembly.compile(b[simd]));
    compiled[simd] = p;
    p.catch(() => { compiled[simd] = undefined; });
  }
  return p;
}

/** A module of one function () → v128 whose code is `body` (an expression leaving one v128). */
function probe(body: number[]): Uint8Array<ArrayBuffer> {
  const code = [0x00 /* no locals */, ...body, 0x0b /* end */];
  return new Uint8Array([
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, // \0asm, version 1
    0x01, 0x05, 0x01, 0x60, 0x00, 0x01, 0x7b, //        type section: () → v128
    0x03, 0x02, 0x01, 0x00, //                          one function of that type
    0x0a, code.length + 2, 0x01, code.length, ...code, // its code
  ]);
}
const V128_ZERO = [0xfd, 0x0c, ...new Array<number>(16).fill(0)];

const isNode = typeof process === 'object' && typeof process.versions?.node === 'string';

/** A Node built-in, imported at run time only (a browser bundle never reaches these calls). */
export function importNode<T>(name: string): Promise<T> {
  const specifier = `node:${name}`;
  return import(/* webpackIgnore: true */ /* @vite-ignore */ specifier) as Promise<T>;
}

const probed: { simd?: boolean; relaxed?: boolean } = {};

/**
 * WebAssembly.validate of a probe, asked once per process: V8 keeps a little native memory for
 * every WebAssembly.validate (about 1 kB; 20 000 calls grew the resident size by 17 MiB), and the
 * answer cannot change.
 */
function validated(what: 'simd' | 'relaxed', body: () => number[]): boolean {
  let ok = probed[what];
  if (ok === undefined) {
    try {
      ok = typeof WebAssembly === 'object' && WebAssembly.validate(probe(body()));
    } catch {
      ok = false;
    }
    probed[what] = ok;
  }
  return ok;
}

/**
 * True when this engine can run the SIMD kernel modules: a module of one SIMD instruction
 * validates (the kernels need nothing newer than SIMD itself; their other features, bulk memory
 * and the sign and saturating conversions, came before it).
 */
export function wasmSimdSupported(): boolean {
  return validated('simd', () => V128_ZERO);
}

/**
 * True when this engine accepts relaxed SIMD (Chromium does; Node ≥ 22; Node 20 only with
 * --experimental-wasm-relaxed-simd): f32x4.relaxed_madd of three constants validates.
 */
export function relaxedSimdSupported(): boolean {
  return validated('relaxed', () => [...V128_ZERO, ...V128_ZERO, ...V128_ZERO, 0xfd, 0x85, 0x02 /* relaxed_madd, 0x105 */]);
}

/** Internal, for tests that stub WebAssembly.validate: the next probes ask again. */
export function forgetSimdProbe(): void {
  delete probed.simd;
  delete probed.relaxed;
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
