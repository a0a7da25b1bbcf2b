/**
 * The benchmark's adapter to the library's module and thread variants: which kernel module
 * (plain SIMD or relaxed SIMD with fused multiply-add) and how many threads a wasm-mlp cell runs.
 *
 * Every cell of the bench's `--threads` × `--simd` axes goes through the two functions below, so
 * they are the only place that knows how the library selects a variant. A variant the library
 * (or this engine) cannot run comes back as `{ unavailable: reason }` and the bench prints the
 * reason instead of a number; threads 1 with the plain module always runs.
 *
 * The library asks for a variant with `Network.create({ threads, simd })` (networks) and
 * `createWasmBackend({ threads, simd })` (raw kernels), and reports what runs in `threads`, `simd`
 * and `notes`; a build without variants ignores the options and runs one thread on the plain
 * module, which is what `{ threads: 1, simd: 'plain' }` asks for.
 */
import { createWasmBackend, type Backend } from '../src/core/backend.js';
import { Network, type NetworkOptions } from '../src/index.js';

export type Simd = 'plain' | 'relaxed';
export const SIMD_MODULES: readonly Simd[] = ['plain', 'relaxed'];
export interface Variant { threads: number; simd: Simd }
export interface Unavailable { unavailable: string }

export const isDefault = (v: Variant): boolean => v.threads === 1 && v.simd === 'plain';

/** The label of a wasm-mlp cell in tables: 'wasm' for one thread on the plain module, else e.g. 'wasm t2 relaxed'. */
export function variantLabel(v: Variant): string {
  return isDefault(v) ? 'wasm' : `wasm${v.threads > 1 ? ` t${v.threads}` : ''}${v.simd === 'relaxed' ? ' relaxed' : ''}`;
}

/** What a network says it runs (undefined where the library has no such field). */
function reported(net: Network): { threads: unknown; simd: unknown } {
  return { threads: Reflect.get(net, 'threads'), simd: Reflect.get(net, 'simd') };
}

/**
 * A wasm network running variant `v`, or why there is none. `options` are the workload's
 * (layers, activations, seed); the backend is always 'wasm'.
 */
export async function createVariantNetwork(v: Variant, options: NetworkOptions): Promise<Network | Unavailable> {
  let net: Network;
  try {
    net = await Network.create({ ...options, backend: 'wasm', threads: v.threads, simd: v.simd } as NetworkOptions);
  } catch (e) {
    if (!isDefault(v)) return { unavailable: `Network.create({ threads: ${v.threads}, simd: '${v.simd}' }) failed: ${(e as Error).message}` };
    net = await Network.create({ ...options, backend: 'wasm' }); // a build that refuses the options runs the default
  }
  if (net.backend !== 'wasm') {
    net.dispose();
    return { unavailable: `backend 'wasm' is not available here (got '${net.backend}')` };
  }
  const r = reported(net);
  const threads = r.threads === undefined ? 1 : r.threads;
  const simd = r.simd === undefined ? 'plain' : r.simd;
  if (threads !== v.threads || simd !== v.simd) {
    net.dispose();
    const notes = Reflect.get(net, 'notes') as readonly string[] | undefined;
    const got = r.threads === undefined && r.simd === undefined
      ? 'this build of wasm-mlp has one thread and the plain module only'
      : `the network runs threads ${String(threads)}, simd '${String(simd)}'${notes?.length ? ` (${notes.join('; ')})` : ''}`;
    return { unavailable: `asked for threads ${v.threads}, simd '${v.simd}'; ${got}` };
  }
  return net;
}

/**
 * A raw backend (kernels on their own memory, for the GEMM rows) running variant `v`, or why there
 * is none: createWasmBackend({ threads, simd }), which reports what it runs in `threads` and `simd`
 * (a build without variants ignores the options and reports neither: one thread, plain).
 */
export async function createVariantBackend(v: Variant): Promise<(Backend & { dispose?(): void }) | Unavailable> {
  const create = createWasmBackend as unknown as (o: Variant) => Promise<Backend & { dispose?(): void }>;
  let be: Backend & { dispose?(): void };
  try {
    be = await create({ threads: v.threads, simd: v.simd });
  } catch (e) {
    return { unavailable: `createWasmBackend({ threads: ${v.threads}, simd: '${v.simd}' }) failed: ${(e as Error).message}` };
  }
  const threads = Reflect.get(be, 'threads') ?? 1, simd = Reflect.get(be, 'simd') ?? 'plain';
  if (threads === v.threads && simd === v.simd) return be;
  be.dispose?.();
  const notes = Reflect.get(be, 'notes') as readonly string[] | undefined;
  return {
    unavailable: `asked for threads ${v.threads}, simd '${v.simd}'; ${Reflect.get(be, 'threads') === undefined
      ? 'this build of wasm-mlp has one thread and the plain module only'
      : `the backend runs threads ${String(threads)}, simd '${String(simd)}'${notes?.length ? ` (${notes.join('; ')})` : ''}`}`,
  };
}

export const isUnavailable = (x: object): x is Unavailable => 'unavailable' in x;
