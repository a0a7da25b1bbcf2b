// The debug build of the kernels (build/mlp.debug.wasm: unoptimised, with assertions and names),
// instantiated through @assemblyscript/loader, which supplies the `env.abort` import and turns an
// AssemblyScript abort into an Error naming the message, file and line. The release modules import
// nothing and are instantiated directly (src/core/backend.ts); this build is where a kernel is
// debugged, so it must compute the same bits as the release module.
import { readFileSync } from 'node:fs';
import { instantiateSync } from '@assemblyscript/loader';
import { describe, expect, it } from 'vitest';
import { bitEqual, randomArray } from './support/helpers.js';

type Kernel = (...args: number[]) => number | void;
interface ModuleExports { memory: WebAssembly.Memory; arena_base(): number; [name: string]: unknown }

function load(file: string): ModuleExports {
  const bytes = readFileSync(new URL(`../build/${file}`, import.meta.url));
  return instantiateSync<ModuleExports>(bytes, {}).exports as unknown as ModuleExports;
}

/** Runs `name` on both modules over the same inputs and returns the output floats of each. */
function run(mod: ModuleExports, name: string, inputs: Float32Array[], outFloats: number, sizes: number[]): Float32Array {
  const base = mod.arena_base();
  const need = base + 4 * (outFloats + inputs.reduce((n, a) => n + a.length, 0)) + 64;
  if (need > mod.memory.buffer.byteLength) mod.memory.grow(Math.ceil((need - mod.memory.buffer.byteLength) / 65536));
  const heap = new Float32Array(mod.memory.buffer);
  let p = base;
  const out = p;
  heap.fill(0, out >> 2, (out >> 2) + outFloats);
  p += 4 * outFloats;
  const ptrs = inputs.map((a) => {
    heap.set(a, p >> 2);
    const at = p;
    p += 4 * a.length;
    return at;
  });
  (mod[name] as Kernel)(out, ...ptrs, ...sizes);
  return new Float32Array(mod.memory.buffer).slice(out >> 2, (out >> 2) + outFloats);
}

describe('the debug module through @assemblyscript/loader', () => {
  const debug = load('mlp.debug.wasm');
  const release = load('mlp.wasm');

  it('exports every kernel the release module has', () => {
    const kernels = (m: ModuleExports) => Object.keys(m).filter((k) => typeof m[k] === 'function').sort();
    expect(kernels(debug)).toEqual(kernels(release));
    expect(kernels(release)).toContain('gemm_nn');
  });

  // odd sizes, and one large enough for the packed path (every dimension ≥ 16, M·N·K ≥ 2^18)
  it.each([[1, 1, 1], [3, 5, 17], [33, 7, 5], [70, 65, 66]])('gemm_nn, gemm_nt, gemm_tn: the same bits as release (M, N, K = %i, %i, %i)', (M, N, K) => {
    const a = randomArray(M * K, 1), b = randomArray(K * N, 2), bt = randomArray(N * K, 3), at = randomArray(K * M, 4);
    for (const [name, x, y] of [['gemm_nn', a, b], ['gemm_nt', a, bt], ['gemm_tn', at, b]] as const) {
      const d = run(debug, name, [x, y], M * N, [M, N, K, 1, 0]);
      const r = run(release, name, [x, y], M * N, [M, N, K, 1, 0]);
      expect(bitEqual(d, r), name).toBe(true);
    }
  });

  it('tanh and sigmoid kernels: the same bits as release', () => {
    const z = randomArray(1001, 5, -12, 12);
    for (const name of ['tanh_forward', 'sigmoid_forward']) {
      expect(bitEqual(run(debug, name, [z], z.length, [z.length]), run(release, name, [z], z.length, [z.length])), name).toBe(true);
    }
  });
});
