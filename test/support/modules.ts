// The kernel modules this engine can run, as test cases: plain SIMD always; the shared-memory
// (threads) builds where threads are available; relaxed SIMD where the engine has it (Node 20
// only with --experimental-wasm-relaxed-simd: test/relaxed-simd.test.ts reruns the module tests
// in such a child process).
import { createWasmBackend, type Backend } from '../../src/core/backend.js';
import { relaxedSimdSupported } from '../../src/core/modules.js';
import { threadsUnavailable } from '../../src/core/extra.js';
import { noSharedMemory, type SimdName } from '../../src/core/modules.js';

export interface ModuleCase {
  label: string;
  simd: SimdName;
  threads: number;
}

export function runnableModules(): ModuleCase[] {
  const simds: SimdName[] = relaxedSimdSupported() ? ['plain', 'relaxed'] : ['plain'];
  const threads = noSharedMemory() === undefined && threadsUnavailable() === undefined ? [1, 2] : [1];
  return simds.flatMap((simd) => threads.map((t) => ({ label: `${simd} SIMD, ${t === 1 ? 'own memory' : `shared memory, ${t} threads`}`, simd, threads: t })));
}

/** The backend of a case; throws when the engine gave another module than the case names. */
export async function backendOf(c: ModuleCase): Promise<Backend> {
  const be = await createWasmBackend({ simd: c.simd, threads: c.threads });
  if (be.simd !== c.simd || be.threads !== c.threads) {
    be.dispose();
    throw new Error(`asked for ${c.label}, got ${be.simd} SIMD with ${be.threads} threads: ${be.notes.join('; ')}`);
  }
  return be;
}
