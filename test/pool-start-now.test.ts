/**
 * Pool.startNow, the pool a threaded network's fresh backend runs on (after a large predict gave
 * its memory back): it returns at once, the calling thread runs every part until the workers are
 * up, then they take parts too; a worker that cannot start closes the pool, saying why, and the
 * kernels carry on on the calling thread.
 */
import { describe, expect, it } from 'vitest';
import { createWasmBackend } from '../src/core/backend.js';
import { CONTROL_BYTES, Pool } from '../src/core/pool.js';
import { Scratch, bitEqual, randomArray } from './support/helpers.js';
import { liveThreads, threadsDownTo } from './support/threads.js';

describe('Pool.startNow', () => {
  it("a fresh backend's pool: its parts run at once, and its worker takes parts once it is up, with the same bits", async () => {
    const first = await createWasmBackend({ simd: 'plain', threads: 2 });
    const be = first.fresh(); // synchronous: Pool.startNow
    first.dispose();
    expect(be.threads).toBe(2);
    const s = new Scratch(be), pool = be.pool!, id = pool.id('gemm_nn_part');
    const M = 40, N = 48, K = 33;
    const a = s.put(randomArray(M * K, 1)), b = s.put(randomArray(K * N, 2)), cw = s.put(M * N);
    be.raw!.gemm_nn(cw, a, b, M, N, K, 1, 0);
    const want = s.get(cw, M * N);
    const blocks = (workerFirst: boolean) => {
      const c = s.put(M * N);
      pool.begin();
      pool.part(id, 2, c, 0, a, b, M, N, K, 0, 20, 0, N, 1, 0);
      pool.part(id, 2, c, 0, a, b, M, N, K, 20, M, 0, N, 1, 0);
      pool.run(workerFirst);
      return s.get(c, M * N);
    };
    // right away (the worker may not have instantiated the module yet): the caller runs both
    expect(bitEqual(blocks(false), want)).toBe(true);
    // and the worker does start (it then waits for the next dispatch): it claims the first part
    // of that one (run(true) waits up to 10 s for a worker to claim)
    await pool.started;
    expect(pool.closed).toBeUndefined();
    const t0 = Date.now();
    expect(bitEqual(blocks(true), want)).toBe(true);
    expect(Date.now() - t0).toBeLessThan(5_000);
    be.dispose();
  });

  it('a worker that cannot instantiate the module closes the pool, saying why; its thread ends', async () => {
    (await createWasmBackend({ simd: 'plain', threads: 2 })).dispose(); // a start() first (it loads Node's Worker class)
    const threads = await threadsDownTo(liveThreads(), 0);
    // a module that imports a function env.f, which a worker (given only env.memory) lacks
    const bytes = new Uint8Array([
      0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, // \0asm, version 1
      0x01, 0x04, 0x01, 0x60, 0x00, 0x00, //             type section: () → ()
      0x02, 0x09, 0x01, 0x03, 0x65, 0x6e, 0x76, 0x01, 0x66, 0x00, 0x00, // import env.f of that type
    ]);
    const module = new WebAssembly.Module(bytes);
    const memory = new WebAssembly.Memory({ initial: 1, maximum: 1, shared: true });
    const pool = Pool.startNow({ module, memory, threads: 2, control: 0, commands: CONTROL_BYTES, scratch: [0, 0], exports: {}, importNode: (n) => import(`node:${n}`) });
    expect(pool.closed).toBeUndefined(); // it did not wait
    await pool.started;
    expect(pool.closed).toMatch(/^worker thread 1 did not start \(.*(LinkError|import).*\)$/);
    expect(await threadsDownTo(threads)).toBeLessThanOrEqual(threads);
  });
});
