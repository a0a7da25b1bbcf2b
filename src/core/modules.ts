/**
 * The kernel modules and what this engine can run. One source (assembly/) gives four builds:
 * plain or relaxed SIMD, each with its own memory or importing a shared one (for threads). The
 * plain module with its own memory is inlined in every bundle, so the default needs no extra file;
 * the other three ship as files beside the bundle (dist/ and dist/browser/) and are read or
 * fetched only when a network asks for them.
 */
import plainBytes from '../../build/mlp.wasm';

/** The SIMD build of the kernels: 'relaxed' fuses the products' multiply-adds, 'plain' does not. */
export type SimdName = 'relaxed' | 'plain';
/**
 * 'auto' picks 'relaxed' where the engine accepts relaxed SIMD, else 'plain' — but 'plain' for a
 * single-threaded network in a browser, which then needs no file beyond the bundle.
 */
export type SimdOption = SimdName | 'auto';
export const SIMD_OPTIONS: readonly SimdOption[] = ['auto', 'relaxed', 'plain'];

export interface ModuleKind {
  simd: SimdName;
  /** imports a shared memory (threads) instead of owning one */
  shared: boolean;
}

/** The module's file name in build/ and beside the bundles in dist/. */
export function moduleFile(kind: ModuleKind): string {
  return `mlp${kind.simd === 'relaxed' ? '-relaxed' : ''}${kind.shared ? '-shared' : ''}.wasm`;
}

// Each URL is written out literally, so that bundlers that follow new URL('…', import.meta.url)
// can find the file. (The tests run this file from src/: vitest.config.ts points these at build/.)
function moduleUrl(kind: ModuleKind): URL {
  if (kind.simd === 'relaxed') {
    return kind.shared ? new URL('./mlp-relaxed-shared.wasm', import.meta.url) : new URL('./mlp-relaxed.wasm', import.meta.url);
  }
  return new URL('./mlp-shared.wasm', import.meta.url);
}

const isNode = typeof process === 'object' && typeof process.versions?.node === 'string';

/** A Node built-in, imported at run time only (a browser bundle never reaches these calls). */
export function importNode<T>(name: string): Promise<T> {
  const specifier = `node:${name}`;
  return import(/* webpackIgnore: true */ /* @vite-ignore */ specifier) as Promise<T>;
}

const compiled = new Map<string, Promise<WebAssembly.Module>>();

/** The compiled module of this kind (compiled once per kind); a file that cannot be read rejects. */
export function loadModule(kind: ModuleKind): Promise<WebAssembly.Module> {
  const file = moduleFile(kind);
  let p = compiled.get(file);
  if (p === undefined) {
    p = (kind.simd === 'plain' && !kind.shared ? Promise.resolve(plainBytes) : readModule(moduleUrl(kind)))
      .then((bytes) => WebAssembly.compile(bytes));
    // a failure is not kept: a later network may find the file (say, after a deploy finished)
    p.catch(() => compiled.delete(file));
    compiled.set(file, p);
  }
  return p;
}

async function readModule(url: URL): Promise<Uint8Array<ArrayBuffer>> {
  try {
    if (url.protocol === 'file:') {
      const fs = await importNode<typeof import('node:fs/promises')>('fs/promises');
      return new Uint8Array(await fs.readFile(url));
    }
    const res = await fetch(url);
    if (!res.ok) throw new Error(`HTTP ${res.status} ${res.statusText}`);
    return new Uint8Array(await res.arrayBuffer());
  } catch (e) {
    throw new Error(`could not load ${url.href} (${(e as Error).message})`);
  }
}

/** True when this engine can run the SIMD kernel module. */
export function wasmSimdSupported(): boolean {
  try {
    return typeof WebAssembly === 'object' && WebAssembly.validate(plainBytes);
  } catch {
    return false;
  }
}

// () → v128 returning f32x4.relaxed_madd of three constants: valid only where relaxed SIMD is
function relaxedProbe(): Uint8Array<ArrayBuffer> {
  const v128 = [0xfd, 0x0c, ...new Array<number>(16).fill(0)];
  const body = [0x00, ...v128, ...v128, ...v128, 0xfd, 0x85, 0x02 /* relaxed_madd, 0x105 */, 0x0b];
  return new Uint8Array([
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, // \0asm, version 1
    0x01, 0x05, 0x01, 0x60, 0x00, 0x01, 0x7b, //        type section: () → v128
    0x03, 0x02, 0x01, 0x00, //                          one function of that type
    0x0a, body.length + 2, 0x01, body.length, ...body, // its code
  ]);
}

/** True when this engine accepts relaxed SIMD (Chromium does; Node 20 only with --experimental-wasm-relaxed-simd). */
export function relaxedSimdSupported(): boolean {
  try {
    return typeof WebAssembly === 'object' && WebAssembly.validate(relaxedProbe());
  } catch {
    return false;
  }
}

const ISOLATION_HINT = 'serve the page with the headers Cross-Origin-Opener-Policy: same-origin and Cross-Origin-Embedder-Policy: require-corp';

/** Why kernels cannot run on worker threads here, or undefined when they can. */
export function threadsUnavailable(): string | undefined {
  const g = globalThis as { crossOriginIsolated?: boolean; Worker?: unknown };
  if (g.crossOriginIsolated === false) return `the page is not cross-origin isolated, so it has no shared memory (${ISOLATION_HINT})`;
  if (typeof SharedArrayBuffer !== 'function' || typeof Atomics !== 'object') return 'this engine has no SharedArrayBuffer';
  try {
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 1, 0);
  } catch {
    return "Atomics.wait is not allowed on a page's main thread; create the network in a Worker to use threads";
  }
  if (!isNode && typeof g.Worker !== 'function') return 'this environment has no Worker';
  try {
    new WebAssembly.Memory({ initial: 1, maximum: 1, shared: true });
  } catch {
    return 'this engine has no shared WebAssembly memory';
  }
  return undefined;
}

let coreCount: Promise<number> | undefined;

/** The number of cores this process may use (at least 1). */
export function availableCores(): Promise<number> {
  coreCount ??= (async () => {
    if (isNode) {
      const os = await importNode<typeof import('node:os')>('os');
      return Math.max(1, os.availableParallelism?.() ?? os.cpus().length);
    }
    const n = (globalThis as { navigator?: { hardwareConcurrency?: number } }).navigator?.hardwareConcurrency;
    return typeof n === 'number' && n >= 1 ? Math.floor(n) : 1;
  })();
  return coreCount;
}

export { isNode };
